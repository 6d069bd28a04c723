"""Report filters and options from a query string, shared by the web pages and the JSON API."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..links.models import Link
from ..extensions import db
from ..i18n import LANGUAGES
from .aggregation import Filters
from .texts import REPORT_LANGUAGES

MAX_MIN_CELL = 50
MAX_TEXT_LIMIT = 1000


class BadParameter(ValueError):
    """A query parameter that cannot be used; the message names it."""


class UnknownObject(BadParameter):
    """A well-formed parameter naming something that does not exist here (e.g. a link of another cohort)."""


@dataclass(frozen=True)
class Options:
    language: str = "de"
    funder: bool = False
    min_cell: int = 5
    text_limit: int = 50


def _date(args, name) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(f"{name}: expected a date YYYY-MM-DD, got {raw[:20]!r}") from None


def _int(args, name, default, low, high) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(f"{name}: expected a whole number from {low} to {high}, got {raw[:20]!r}")
    return int(raw)


def parse_filters(args, cohort_id: int, registry, form_key: str = "form") -> Filters:
    """:raise BadParameter: for an unknown instrument, language or link, or a malformed date"""
    form_id = (args.get(form_key) or "").strip() or None
    if form_id and registry.get(form_id) is None:
        raise BadParameter(f"{form_key}: no instrument {form_id[:64]!r}")
    language = (args.get("language") or "").strip() or None
    if language and language not in LANGUAGES:
        raise BadParameter(f"language: expected one of {', '.join(LANGUAGES)}")
    link_id = None
    raw_link = (args.get("link") or "").strip()
    if raw_link:
        link_id = db.session.scalar(select(Link.id).where(Link.id == int(raw_link), Link.cohort_id == cohort_id)) \
            if raw_link.isdigit() and len(raw_link) < 10 else None
        if link_id is None:
            raise UnknownObject("link: no such link in this cohort")
    # A 'from' after 'to' is an empty period, not an error: it simply covers no responses.
    since, until = _date(args, "from"), _date(args, "to")
    return Filters(cohort_id, form_id=form_id, since=since, until=until, link_id=link_id, language=language)


def parse_options(args) -> Options:
    """Report language, funder mode (small cells suppressed), threshold and free-text limit."""
    # Not "lang": that one switches the language of the whole web interface.
    language = (args.get("report_lang") or "de").strip()
    if language not in REPORT_LANGUAGES:
        raise BadParameter(f"report_lang: expected one of {', '.join(REPORT_LANGUAGES)}")
    funder = (args.get("funder") or "").strip().lower() in ("1", "true", "on", "yes")
    return Options(language=language, funder=funder, min_cell=_int(args, "min_cell", 5, 2, MAX_MIN_CELL),
                   text_limit=_int(args, "texts", 50, 0, MAX_TEXT_LIMIT))
