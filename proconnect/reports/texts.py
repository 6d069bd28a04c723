"""Report wording that Python hands to the templates: the funnel's stages and the names of languages.

Every report text is a gettext message (English msgid, German in translations/de); the templates hold the
rest as ``_()``. A report is rendered in one of ``REPORT_LANGUAGES`` under ``force_locale``, so it comes out
complete whatever state other catalogs are in; the catalog tests keep German and English complete.
"""
from __future__ import annotations

from babel import Locale
from flask_babel import force_locale, gettext as _, lazy_gettext as _l

REPORT_LANGUAGES = ("de", "en")

#: Response languages whose name Babel gives too narrowly for this project (Dari beside Persian, Kurdish dialects).
LANGUAGE_NAMES = {"fa": _l("Persian/Dari"), "kmr": _l("Kurmanji (Northern Kurdish)"),
                  "ckb": _l("Sorani (Central Kurdish)")}


def language_name(code: str, language: str) -> str:
    """The name of a response language in the report's language (``ar`` -> ``Arabisch``)."""
    with force_locale(language):
        if code in LANGUAGE_NAMES:
            return str(LANGUAGE_NAMES[code])
    return Locale.parse(language).languages.get(code) or code


def funnel_stages() -> dict[str, str]:
    """The placement funnel's stages, in the current language."""
    return {"participants": _("Participants"), "selected": _("Selected participants"),
            "checked": _("Did the competence check"),
            "recorded": _("Outcome recorded"), "on_the_way": _("In EQ, internship, apprenticeship or job"),
            "placed": _("Placed (apprenticeship or SVB job, or its contract signed)")}

