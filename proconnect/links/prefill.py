"""Prefilled answers: values a form already knows when it is opened through a link, shown to the person and
never changeable by them.

Two ways, one result (answer name -> value: a question's id; a record question's ``<id>.other`` beside ``other``):

- held server-side on the link: features register a provider with ``prefill_with(app, provider)``;
  ``provider(link) -> dict`` (companies: a company's personal link knows the company; matching: a
  hospitation's feedback link knows the participant and the company);
- carried in the address, signed with the app's key and bound to the link's token (``signed_url``): the
  mentor's "new log entry" knows the apprentice's code. Anybody can read it, nobody can change it or move
  it to another link without the key: ``Forged`` is raised and nothing is stored.

The form page (``responses.views``) asks ``fixed(link, signed)``, turns the answers into the inputs that carry them
(``inputs``: each question's type says which) and overrides whatever the browser sends for those inputs; a page that
sends another value for one of them is refused. ``shown`` is what the person reads for each such question.
"""
from __future__ import annotations

from typing import Callable

from flask import Flask, current_app
from itsdangerous import BadData, URLSafeSerializer

from ..definitions.model import FormDefinition
from ..fieldtypes import field_type
from .models import Link
from .urls import link_url

#: Where the app keeps the registered providers (``app.extensions[EXTENSION]``).
EXTENSION = "proconnect.prefill"
#: The query parameter (and hidden input ``_prefill``) carrying signed values.
PARAMETER = "p"
_SALT = "proconnect.prefill"


class Forged(Exception):
    """Signed prefill values that were altered, or made for another link."""


def prefill_with(app: Flask, provider: Callable[[Link], dict]) -> None:
    """Add ``provider(link) -> {answer name: value}`` to what ``app``'s links know server-side."""
    app.extensions.setdefault(EXTENSION, []).append(provider)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def sign(link: Link, values: dict[str, str]) -> str:
    """``values`` signed for ``link`` only (text values; an answer name -> the value the form is opened with)."""
    return _serializer().dumps({"link": link.token, "values": {k: str(v) for k, v in values.items()}})


def signed_url(link: Link, values: dict[str, str]) -> str:
    """``link_url(link)`` that opens the form with ``values`` set."""
    return f"{link_url(link)}?{PARAMETER}={sign(link, values)}"


def fixed(link: Link, signed: str | None) -> dict[str, str]:
    """The values a form opened through ``link`` is given: the link's own, then the signed ones.

    :param signed: the signed text from the address or the page ("" or None: none)
    :raise Forged: when ``signed`` was altered or made for another link
    """
    values: dict[str, str] = {}
    for provider in current_app.extensions.get(EXTENSION, ()):
        values.update({k: str(v) for k, v in provider(link).items() if v not in (None, "")})
    if signed:
        try:
            data = _serializer().loads(signed)
        except BadData:
            raise Forged() from None
        if not isinstance(data, dict) or data.get("link") != link.token or not isinstance(data.get("values"), dict):
            raise Forged()
        for key, value in data["values"].items():
            # A signed value never overrides what the link itself holds (a company's own link stays its own).
            values.setdefault(str(key), str(value))
    return values


def inputs(definition: FormDefinition, values: dict[str, str]) -> dict[str, str]:
    """The inputs (HTML name -> value) of ``definition``'s questions that carry ``values`` (from ``fixed``), as each
    question's type says; values the form does not ask for are left out."""
    out: dict[str, str] = {}
    for f in definition.fields if values else ():
        out.update(field_type(f).prefilled(f, values))
    return out


def shown(definition: FormDefinition, fixed_inputs: dict[str, str], tr) -> dict[str, str]:
    """Question id -> its prefilled answer as the person reads it (``tr`` translates the definition's texts), for
    the questions whose answer ``fixed_inputs`` (from ``inputs``) sets."""
    return {f.id: field_type(f).prefilled_text(f, fixed_inputs, tr) for f in definition.fields if f.id in fixed_inputs}
