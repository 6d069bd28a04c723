"""Password rules: a minimum length and no password from the list of the most common ones."""
from __future__ import annotations

import functools
import gzip
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

#: 19,640 common passwords (Royce Williams' list, as bundled with Django; see COMMON-PASSWORDS-LICENSE.txt).
COMMON_LIST = Path(__file__).with_name("common-passwords.txt.gz")
#: scrypt takes any length; this only stops someone posting megabytes as a password.
MAX_LENGTH = 256


@functools.cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip())


def problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a new password (an empty list when it is fine)."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    found = []
    if len(password) < minimum:
        found.append(_l("Use at least %(n)s characters.", n=minimum))
    if len(password) > MAX_LENGTH:
        found.append(_l("Use at most %(n)s characters.", n=MAX_LENGTH))
    lowered = password.strip().lower()
    if lowered in common_passwords():
        found.append(_l("This password is one of the most common ones. Please choose another."))
    elif username and username.lower() in lowered:
        found.append(_l("The password must not contain the account name."))
    return [str(p) for p in found]
