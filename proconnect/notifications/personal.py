"""What notifications keep: a staff member's choice and how far they have been told; nothing about a participant."""
from __future__ import annotations

from ..personal_data import Declaration

DECLARATION = Declaration("notifications", nothing={
    "notification_setting": "a staff member's choice of notification mails: nothing about a participant"})
