"""What the company survey keeps: which company of a cohort was asked, when, in which language, its reminders.
Nothing about a participant (a company's answers are the responses', declared there)."""
from __future__ import annotations

from ..personal_data import Declaration

DECLARATION = Declaration("outreach", nothing={
    "company_invitation": "which company was sent the readiness survey and reminded, when: nothing about a "
                          "participant"})
