"""The handbook's pages, in reading order: one per workflow a coordinator runs.

The pages are written in both languages (templates/handbook/<lang>/); their titles are gettext messages
(English msgid, German in translations/de), which the catalog tests keep complete in both.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale, lazy_gettext as _l
from flask_babel.speaklater import LazyString

#: Languages the handbook is written in; any other UI language reads the English pages.
LANGUAGES = ("de", "en")


def handbook_language(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


@dataclass(frozen=True)
class HelpPage:
    slug: str
    #: The title as a gettext message, translated when asked for (``title``).
    name: LazyString

    def title(self, lang: str) -> str:
        """The title in the handbook language that serves ``lang``."""
        with force_locale(handbook_language(lang)):
            return str(self.name)

    def template(self, lang: str) -> str:
        return f"handbook/{handbook_language(lang)}/{self.slug}.html"


PAGES = (
    HelpPage("info-event", _l("Prepare an info event")),
    HelpPage("after-the-event", _l("After the event: sync and check responses")),
    HelpPage("company-survey", _l("Company survey")),
    HelpPage("instruments", _l("Instruments: draft, rehearse, publish")),
    HelpPage("read-aloud", _l("Read-aloud recordings")),
    HelpPage("training-feedback", _l("Staff training feedback")),
    HelpPage("mentoring", _l("Mentoring")),
    HelpPage("outcomes", _l("Outcomes and the 75 % target")),
    HelpPage("reports", _l("Reports for funders")),
    HelpPage("data-protection", _l("Data-protection duties")),
    HelpPage("accounts", _l("Accounts and roles")),
    HelpPage("backups", _l("Backups")),
)
BY_SLUG = {p.slug: p for p in PAGES}
