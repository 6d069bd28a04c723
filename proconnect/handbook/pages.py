"""The handbook's pages, in reading order: one per workflow a coordinator runs.

Titles are written here in both languages, like the pages themselves (templates/handbook/<lang>/),
so the handbook is complete without waiting for the UI catalogs.
"""
from __future__ import annotations

from dataclasses import dataclass

#: Languages the handbook is written in; any other UI language reads the English pages.
LANGUAGES = ("de", "en")


def handbook_language(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


@dataclass(frozen=True)
class HelpPage:
    slug: str
    de: str
    en: str

    def title(self, lang: str) -> str:
        return getattr(self, handbook_language(lang))

    def template(self, lang: str) -> str:
        return f"handbook/{handbook_language(lang)}/{self.slug}.html"


PAGES = (
    HelpPage("info-event", "Eine Infoveranstaltung vorbereiten", "Prepare an info event"),
    HelpPage("after-the-event", "Nach der Veranstaltung: synchronisieren und Antworten prüfen",
             "After the event: sync and check responses"),
    HelpPage("company-survey", "Umfrage bei Betrieben", "Company survey"),
    HelpPage("training-feedback", "Rückmeldung zu Schulungen", "Staff training feedback"),
    HelpPage("mentoring", "Mentoring", "Mentoring"),
    HelpPage("outcomes", "Verbleib und das 75-%-Ziel", "Outcomes and the 75 % target"),
    HelpPage("reports", "Berichte für Geldgeber", "Reports for funders"),
    HelpPage("data-protection", "Datenschutzpflichten", "Data-protection duties"),
    HelpPage("accounts", "Konten und Rollen", "Accounts and roles"),
)
BY_SLUG = {p.slug: p for p in PAGES}

#: The PDF's own words (cover and contents), per handbook language.
PDF_TEXTS = {
    "de": {"title": "pro:connect – Verfahrenshandbuch", "contents": "Inhalt", "page": "Seite",
           "subtitle": "Abläufe und gute Praxis für Koordination, Trainer und Mentoren.",
           "made": "Erstellt am {date} aus den Hilfeseiten der Anwendung."},
    "en": {"title": "pro:connect – procedures handbook", "contents": "Contents", "page": "page",
           "subtitle": "Procedures and good practice for coordinators, trainers and mentors.",
           "made": "Generated on {date} from the application's help pages."},
}
