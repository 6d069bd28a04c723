"""Pseudonymous participant codes: four characters and a check character, e.g. ``K7Q2-M``.

The alphabet leaves out 0/O and 1/I, which people confuse on a printed card. The check
character is Luhn mod 32 over that alphabet: it catches every single wrong character and
every swap of two neighbouring characters.
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BODY_LENGTH = 4
PATTERN = re.compile(rf"^[{ALPHABET}]{{{BODY_LENGTH}}}-[{ALPHABET}]$")
# What people type instead: lower case, spaces, no hyphen, O for 0 and I/L for 1 are left to the check.
_SEPARATORS = re.compile(r"[\s\-_.]+")


def check_character(body: str) -> str:
    """The Luhn mod 32 check character of ``body`` (characters from ``ALPHABET``)."""
    n = len(ALPHABET)
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def new_code() -> str:
    """A random code with its check character (20 bits: unique per project, checked on creation)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return f"{body}-{check_character(body)}"


def normalise(text: str) -> str:
    """``k7q2 m`` -> ``K7Q2-M``; anything that is not four characters and one more is returned upper-cased."""
    compact = _SEPARATORS.sub("", text or "").upper()
    if len(compact) == BODY_LENGTH + 1:
        return f"{compact[:BODY_LENGTH]}-{compact[BODY_LENGTH]}"
    return compact


def is_valid(code: str) -> bool:
    """True when ``code`` (normalised) has the right form and the right check character."""
    return bool(PATTERN.match(code)) and check_character(code[:BODY_LENGTH]) == code[-1]
