"""Addresses: a link as people reach it (what its QR code, poster, and the staff pages show), and a
participant code as a segment of a staff page's address."""
from __future__ import annotations

from flask import current_app
from werkzeug.routing import BaseConverter, ValidationError

from . import codes
from .models import Link


def link_url(link: Link) -> str:
    """The absolute URL of a link (``PUBLIC_URL`` + ``/f/<token>``); needs no request (the command line)."""
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/f/{link.token}"


class CodeConverter(BaseConverter):
    """``<code:code>`` in a URL rule: a participant code, whatever was stored (``codes.to_address``).

    A view gets the code as stored; a typed address (``k7q2-m``) is read as a person types it.
    """

    def to_python(self, value: str) -> str:
        try:
            code = codes.from_address(value)
        except ValueError:
            raise ValidationError() from None
        # A forged ``~`` segment may decode to anything: PostgreSQL refuses a NUL in a query (a 500).
        if not code or len(code) > codes.MAX_LENGTH or "\x00" in code:
            raise ValidationError()
        return code

    def to_url(self, value: str) -> str:
        return super().to_url(codes.to_address(value))
