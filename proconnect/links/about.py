"""What a link is about, in a sentence for the person who opens it ("Hospitation im Bereich Elektro bei
Metallbau Nord, 3. Mai 2027 bis 7. Mai 2027"): the form page shows it under the title.

Features register ``about_with(app, provider)``; ``provider(link)`` returns the sentence in the current language,
or None. Like the prefilled values (``links.prefill``) it is held on the server, so nothing of it is in the
link's address.
"""
from __future__ import annotations

from typing import Callable

from flask import Flask, current_app

from .models import Link

#: Where the app keeps the registered providers (``app.extensions[EXTENSION]``).
EXTENSION = "proconnect.about"


def about_with(app: Flask, provider: Callable[[Link], str | None]) -> None:
    """Add ``provider(link) -> sentence or None`` to what ``app``'s form pages say about a link."""
    app.extensions.setdefault(EXTENSION, []).append(provider)


def about(link: Link) -> list[str]:
    """The sentences the registered providers say about ``link`` (most links: none)."""
    return [text for provider in current_app.extensions.get(EXTENSION, ()) if (text := provider(link))]
