"""A link as people reach it: its public address (what its QR code, poster, and the staff pages show)."""
from __future__ import annotations

from flask import current_app

from .models import Link


def link_url(link: Link) -> str:
    """The absolute URL of a link (``PUBLIC_URL`` + ``/f/<token>``); needs no request (the command line)."""
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/f/{link.token}"
