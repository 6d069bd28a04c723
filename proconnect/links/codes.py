"""Pseudonymous participant codes: four characters and a check character, e.g. ``K7Q2-M``.

The alphabet leaves out 0/O and 1/I, which people confuse on a printed card. The check
character is Luhn mod 32 over that alphabet: it catches every single wrong character and
every swap of two neighbouring characters but one, ``2`` and ``Z`` (the first and last of the
alphabet: Luhn's one blind spot; changing the scheme would void the cards already printed).

This module owns what a code may be: every place a code enters (a form, a kiosk, its queue, a staff
page, the command line, an address) reads it with ``normalise`` and takes it only when ``fits_card``.
A cohort without printed cards may use longer codes of its own (``K7Q2-XM4P``), in the same characters.
Codes stored before that rule (``AB 12/X``, ``=1+1``) stay reachable: ``spellings`` for typed lookups,
``to_address``/``from_address`` for the pages' addresses.
"""
from __future__ import annotations

import base64
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BODY_LENGTH = 4
PATTERN = re.compile(rf"^[{ALPHABET}]{{{BODY_LENGTH}}}-[{ALPHABET}]$")
#: The longest code (the ``participant_code`` columns hold 32 characters).
MAX_LENGTH = 32
#: What a card can carry: groups of card characters joined by single hyphens.
CARD_TEXT = re.compile(rf"^[{ALPHABET}]+(?:-[{ALPHABET}]+)*$")
# What people type instead: lower case, spaces, no hyphen, O for 0 and I/L for 1 are left to the check.
_SEPARATORS = re.compile(r"[\s\-_.]+")
#: An address segment that needs no encoding (``to_address``); anything else is ``~`` and base64.
_PLAIN = re.compile(r"^[A-Z0-9-]+$")
_ENCODED = "~"


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
    """A code as people type it, in the one form it is stored: ``k7q2 m`` and ``K7Q2M`` -> ``K7Q2-M``,
    ``k7q2 xm4p`` -> ``K7Q2-XM4P`` (upper case, groups joined by one hyphen; five characters are a card's).

    Only the letter case and the separators change: whether the result is a code at all says ``fits_card``.
    """
    upper = (text or "").strip().upper()
    compact = _SEPARATORS.sub("", upper)
    if len(compact) == BODY_LENGTH + 1:
        return f"{compact[:BODY_LENGTH]}-{compact[BODY_LENGTH]}"
    return "-".join(group for group in _SEPARATORS.split(upper) if group)


def fits_card(code: str) -> bool:
    """True when ``code`` (normalised) holds only what a card can carry: card characters, hyphens, 32 at most."""
    return len(code) <= MAX_LENGTH and bool(CARD_TEXT.match(code))


def stored_form(text: str) -> str:
    """The code ``text`` stands for: normalised when a card can carry it, else upper-cased as it is (a code
    stored before codes were checked)."""
    code = normalise(text)
    return code if fits_card(code) else (text or "").strip().upper()


def spellings(text: str) -> list[str]:
    """How a typed code may be stored, the likeliest first: normalised, then as typed (upper-cased: codes
    stored before codes were checked). A lookup takes the first one that finds something."""
    return list(dict.fromkeys([stored_form(text), (text or "").strip().upper()]))


def to_address(code: str) -> str:
    """``code`` as one segment of a page's address: itself when it reads back the same, else ``~`` and
    base64 (a stored ``AB 12/X`` has a slash, ``=1+1`` characters an address changes)."""
    if _PLAIN.match(code) and stored_form(code) == code:
        return code
    return _ENCODED + base64.urlsafe_b64encode(code.encode("utf-8")).decode("ascii").rstrip("=")


def from_address(segment: str) -> str:
    """The code of an address segment made by ``to_address`` (or typed: read as ``stored_form``).

    :raise ValueError: for a ``~`` segment that is not base64 of UTF-8 text
    """
    if not segment.startswith(_ENCODED):
        return stored_form(segment)
    data = segment[len(_ENCODED):]
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).decode("utf-8")
    except ValueError as exc:  # not base64, not ASCII, or not UTF-8
        raise ValueError(f"not a participant code's address: {segment!r}") from exc


def is_valid(code: str) -> bool:
    """True when ``code`` (normalised) has the right form and the right check character."""
    return bool(PATTERN.match(code)) and check_character(code[:BODY_LENGTH]) == code[-1]
