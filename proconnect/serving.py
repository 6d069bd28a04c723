"""gunicorn's access log without what must not be kept in it: the secrets and pseudonyms that travel in addresses.

A company's or a participant's personal link (``/f/<token>``), a volunteer's recording invitation
(``/record/<token>``) and an invitation to set a password (``/account/set-password/<token>``) open what they
lead to for whoever has the address: a log line with one is a key. A participant's code in a staff address
ties a pseudonym to who looked at it, and when. Use it with ``gunicorn --logger-class
proconnect.serving.RedactingLogger`` (``make run`` does); the staff pages stay as they are.
"""
from __future__ import annotations

import re

from gunicorn.glogging import Logger

#: What stands in for a redacted part of an address.
HIDDEN = "*"
#: A path segment that follows one of these is a secret or a participant's code.
_SECRET_SEGMENT = re.compile(r"(/f/|/record/|/account/set-password/|/participants/|/apprentices/[^/?#\s]+/)"
                             r"[^/?#\s]+")
#: Query parameters whose value is a code or a key.
_SECRET_PARAMETER = re.compile(r"((?:^|[?&])(?:code|token|key)=)[^&#\s]*", re.IGNORECASE)
#: Headers a log format could name that carry a session, an API token or a device's sign-in.
_SECRET_HEADERS = ("{cookie}i", "{authorization}i", "{set-cookie}o")


def redact(text: str) -> str:
    """``text`` (a path, a request line, a referrer) with its secrets and participant codes replaced."""
    return _SECRET_PARAMETER.sub(rf"\g<1>{HIDDEN}", _SECRET_SEGMENT.sub(rf"\g<1>{HIDDEN}", text))


class RedactingLogger(Logger):
    """gunicorn's logger, whose access log entries name no personal link, invitation or participant code."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if isinstance(value, str) and name not in ("h", "t", "a"):
                atoms[name] = redact(value)
        for name in _SECRET_HEADERS:
            if name in atoms:
                atoms[name] = HIDDEN
        return atoms
