"""The handbook's pages, in reading order: one per workflow a coordinator runs."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: Languages the handbook is written in; any other UI language reads the English pages.
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: object

    def template(self, lang: str) -> str:
        return f"handbook/{lang if lang in LANGUAGES else 'en'}/{self.slug}.html"


PAGES = (
    HelpPage("info-event", _l("Prepare an info event")),
    HelpPage("after-the-event", _l("After the event: sync and check responses")),
    HelpPage("company-survey", _l("Company survey")),
    HelpPage("training-feedback", _l("Staff training feedback")),
    HelpPage("mentoring", _l("Mentoring")),
    HelpPage("outcomes", _l("Outcomes and the 75 % target")),
    HelpPage("reports", _l("Reports for funders")),
    HelpPage("data-protection", _l("Data-protection duties")),
    HelpPage("accounts", _l("Accounts and roles")),
)
BY_SLUG = {p.slug: p for p in PAGES}
