"""The fixed wording of reports, in German (default) and English.

Kept here rather than in the gettext catalogues: a report must come out complete in both languages
whatever state the translations are in, and the profile sheet is German by rule. Form texts (questions,
choices) still come from the definitions and their catalogues.
"""
from __future__ import annotations

from dataclasses import dataclass, field

REPORT_LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class Texts:
    lang: str
    project: str
    project_line: str
    report_title: str
    funder_title: str
    funder_note: str
    internal_note: str
    cohort: str
    period: str
    generated: str
    filters: str
    filter_names: dict
    contents: str
    page: str
    of: str
    key_figures: str
    participants: str
    participants_help: str
    responses: str
    instruments: str
    languages: str
    language: str
    placement_rate: str
    target: str
    funnel: str
    funnel_help: str
    funnel_stages: dict
    statuses: str
    statuses_help: str
    placements: str
    days_to_placement: str
    by_trade: str
    by_company: str
    leaving: str
    to_target: str
    target_reached: str
    no_outcomes: str
    answers: str
    count: str
    share: str
    answered: str
    no_answer: str
    not_shown: str
    versions: str
    version: str
    only_in: str
    mean: str
    median: str
    range: str
    scale_of: str
    scale: str
    n: str
    scores: str
    first_last: str
    free_texts: str
    texts_rest: str
    texts_funder: str
    texts_none: str
    no_answers: str
    matrix_note: str
    scores_note: str
    original_language: str
    suppressed: str
    method: str
    method_items: tuple
    versions_note: str
    version_line: str
    nothing: str
    choose: str
    download: str
    show: str
    all_: str
    from_: str
    to: str
    event: str
    funder_option: str
    min_cell_option: str
    text_limit_option: str
    report_language: str
    participant_sheets: str
    profile_title: str
    export_csv: str
    export_xlsx: str
    multi_note: str
    choose_instrument: str
    filters_title: str
    apply: str
    downloads: str
    no_cohorts: str
    participants_none: str
    checks: str
    last_check: str
    profile: str
    tokens_title: str
    tokens_intro: str
    token_once: str
    token_label: str
    token_create: str
    token_start: str
    token_owner: str
    token_created: str
    token_used: str
    token_revoke: str
    token_revoked: str
    key_revoked: str
    language_names: dict = field(default_factory=dict)


DE = Texts(
    lang="de", project="pro:connect",
    project_line="Geflüchtete in Ausbildung und Arbeit – Ammerland, Landkreis Oldenburg, Oldenburg, Delmenhorst",
    report_title="Kohortenbericht", funder_title="Kohortenbericht für Förderer",
    funder_note="Kleine Zahlen sind unterdrückt: Zellen mit weniger als {k} Personen erscheinen als „< {k}“; "
                "freie Antworten sind nicht abgedruckt.",
    internal_note="Nur für das Projektteam: enthält freie Antworten und kleine Zahlen.",
    cohort="Kohorte", period="Zeitraum", generated="Erstellt am", filters="Auswahl",
    filter_names={"form": "Instrument", "period": "Zeitraum", "link": "Veranstaltung/Link", "language": "Sprache"},
    contents="Inhalt", page="Seite", of="von",
    key_figures="Kennzahlen", participants="Teilnehmende",
    participants_help="Verschiedene Teilnahme-Codes in den Antworten der Kohorte.",
    responses="Antworten", instruments="Antworten je Instrument", languages="Sprachen der Antworten",
    language="Sprache", placement_rate="Vermittlungsquote", target="Ziel",
    funnel="Vermittlung: vom Check in Ausbildung und Arbeit",
    funnel_help="Jede Person zählt mit ihrem neuesten Verbleib. Vermittelt = Ausbildung oder "
                "sozialversicherungspflichtige Beschäftigung (Ziel: {target} der Teilnehmenden).",
    funnel_stages={"participants": "Teilnehmende", "checked": "Kompetenz-Check gemacht",
                   "recorded": "Verbleib erfasst", "on_the_way": "In EQ, Praktikum, Ausbildung oder Job",
                   "placed": "Vermittelt (Ausbildung oder SVB-Job)"},
    statuses="Aktueller Verbleib", statuses_help="Neuester Eintrag je Person; alle Werte getrennt ausgewiesen.",
    placements="Vermittlungen im Einzelnen",
    days_to_placement="Vom Kompetenz-Check bis zur Vermittlung: im Median {days} Tage ({n} Vermittelte mit Check).",
    by_trade="Vermittelt je Beruf", by_company="Vermittelt je Betrieb", leaving="Gründe für das Ausscheiden",
    to_target="Bis zum Ziel fehlen noch {n} Vermittlungen.", target_reached="Das Ziel ist erreicht.",
    no_outcomes="Noch kein Verbleib erfasst.",
    answers="Antworten", count="Anzahl", share="Anteil", answered="beantwortet", no_answer="keine Antwort",
    not_shown="nicht gezeigt", versions="Versionen", version="Version", only_in="nur in {versions}",
    mean="Mittelwert", median="Median", range="Spanne", scale_of="Skala {low}–{high}", scale="Skala", n="n", scores="Auswertungsskalen",
    first_last="Frühestes und spätestes Datum", free_texts="Freie Antworten",
    texts_rest="… und {n} weitere (vollständig im Export).",
    texts_funder="{n} freie Antworten (im Bericht für Förderer nicht abgedruckt).",
    texts_none="Keine freien Antworten.", original_language="Originalsprache",
    no_answers="Keine Antworten in dieser Auswahl.",
    matrix_note="Anteile je Zeile; Ø = Mittelwert der gewählten Stufen.",
    scores_note="Der Balken zeigt den Mittelwert auf der Skala der Fragen (links: niedrigster, rechts: höchster "
                "Wert). Berechnet aus den Antworten der Person, ohne unbeantwortete Fragen.",
    suppressed="< {k}",
    method="Methodische Hinweise",
    method_items=(
        "Gezählt wird in der Datenbank über alle Antworten der Auswahl; die Zahlen sind vollständig, "
        "nicht hochgerechnet.",
        "Anteile beziehen sich auf die Personen, die eine Frage beantwortet haben. Bei Mehrfachauswahl kann "
        "die Summe über 100 % liegen.",
        "„Keine Antwort“: die Frage wurde gezeigt, aber nicht beantwortet. „Nicht gezeigt“: die Frage wurde "
        "wegen einer Bedingung übersprungen (z. B. Fragen zu einem Beruf, den die Person nicht gewählt hat).",
        "Fragen mit gleicher Kennung werden über Versionen zusammengefasst; jede Frage nennt die Versionen, "
        "aus denen Antworten stammen.",
        "Freie Antworten stehen in der Originalsprache und -schrift, die neuesten zuerst.",
        "Skalenwerte: Mittelwert und Median der gewählten Stufen; Auswertungsskalen werden beim Absenden "
        "aus den Antworten berechnet.",
        "Vermittlung und Verbleib: Stand am Ende des Zeitraums über alle Personen der Kohorte, unabhängig von "
        "einer Auswahl nach Instrument, Sprache oder Veranstaltung.",
        "Teilnahme-Codes werden nur zum Zählen der Personen verwendet und nie abgedruckt.",
    ),
    versions_note="Versionen der Instrumente", version_line="v{version}: {n} Antworten",
    nothing="Für diese Auswahl liegen noch keine Antworten vor.",
    choose="Bericht wählen", download="Herunterladen", show="Anzeigen", all_="alle", from_="von", to="bis",
    event="Veranstaltung/Link", funder_option="Bericht für Förderer (kleine Zahlen unterdrücken)",
    min_cell_option="Mindestgröße einer Zelle", text_limit_option="Freie Antworten je Frage",
    report_language="Berichtssprache", participant_sheets="Profilbögen der Teilnehmenden",
    profile_title="Profilbogen", export_csv="CSV-Export", export_xlsx="Excel-Export",
    multi_note="Mehrfachauswahl",
    choose_instrument="Eine CSV-Datei enthält ein Instrument: Bitte wählen Sie zuerst ein Instrument.",
    filters_title="Auswahl und Optionen", apply="Bericht anzeigen", downloads="Herunterladen",
    no_cohorts="Sie sind noch keiner Kohorte zugeordnet.",
    participants_none="Noch kein Kompetenz-Check mit Teilnahme-Code in dieser Kohorte.",
    checks="Checks", last_check="Letzter Check", profile="Profilbogen (PDF)", tokens_title="API-Schlüssel",
    tokens_intro="Mit einem API-Schlüssel lesen Programme von Partnern Kohorten, Antworten und Auswertungen "
                 "(nur lesend, mit Ihren Rechten). Beschreibung der Schnittstelle:",
    token_once="Ihr neuer Schlüssel – er wird nur jetzt angezeigt. Bitte sicher aufbewahren:",
    token_label="Wofür?", token_create="Neuen Schlüssel erstellen", token_start="Beginnt mit",
    token_owner="Konto", token_created="Erstellt", token_used="Zuletzt benutzt", token_revoke="Sperren",
    token_revoked="gesperrt am", key_revoked="Der Schlüssel {hint}… ist gesperrt.",
    language_names={"fa": "Persisch/Dari", "kmr": "Kurmandschi (Nordkurdisch)", "ckb": "Sorani (Zentralkurdisch)"},
)

EN = Texts(
    lang="en", project="pro:connect",
    project_line="Refugees into apprenticeships and jobs – Ammerland, Oldenburg district, Oldenburg, Delmenhorst",
    report_title="Cohort report", funder_title="Cohort report for funders",
    funder_note="Small numbers are suppressed: cells describing fewer than {k} people appear as “< {k}”; "
                "free-text answers are not printed.",
    internal_note="For the project team only: contains free-text answers and small numbers.",
    cohort="Cohort", period="Period", generated="Generated", filters="Selection",
    filter_names={"form": "Instrument", "period": "Period", "link": "Event/link", "language": "Language"},
    contents="Contents", page="Page", of="of",
    key_figures="Key figures", participants="Participants",
    participants_help="Distinct participant codes in the cohort's responses.",
    responses="Responses", instruments="Responses per instrument", languages="Languages of the responses",
    language="Language", placement_rate="Placement rate", target="Target",
    funnel="Placement: from the check to apprenticeships and jobs",
    funnel_help="Each person counts with their newest outcome. Placed = apprenticeship or job subject to "
                "social insurance (target: {target} of participants).",
    funnel_stages={"participants": "Participants", "checked": "Did the competence check",
                   "recorded": "Outcome recorded", "on_the_way": "In EQ, internship, apprenticeship or job",
                   "placed": "Placed (apprenticeship or SVB job)"},
    statuses="Current outcome", statuses_help="Newest record per person; every status shown separately.",
    placements="Placements in detail",
    days_to_placement="From the competence check to the placement: median {days} days ({n} placed with a check).",
    by_trade="Placed per trade", by_company="Placed per company", leaving="Reasons for leaving",
    to_target="{n} more placements are needed to reach the target.", target_reached="The target is reached.",
    no_outcomes="No outcomes recorded yet.",
    answers="Answers", count="Count", share="Share", answered="answered", no_answer="no answer",
    not_shown="not shown", versions="Versions", version="Version", only_in="only in {versions}",
    mean="Mean", median="Median", range="Range", scale_of="scale {low}–{high}", scale="Scale", n="n", scores="Scores",
    first_last="Earliest and latest date", free_texts="Free-text answers",
    texts_rest="… and {n} more (all of them in the export).",
    texts_funder="{n} free-text answers (not printed in the funder report).",
    texts_none="No free-text answers.", original_language="Original language",
    no_answers="No answers in this selection.",
    matrix_note="Shares per row; Ø = mean of the chosen points.",
    scores_note="The bar shows the mean on the questions' scale (left: lowest, right: highest value). Computed "
                "from each person's answers, leaving out unanswered questions.",
    suppressed="< {k}",
    method="Method notes",
    method_items=(
        "Counts are made in the database over all responses of the selection; they are complete, "
        "not estimated.",
        "Shares refer to the people who answered a question. With multiple choice the sum can exceed 100 %.",
        "“No answer”: the question was shown but not answered. “Not shown”: the question was skipped because "
        "of a condition (e.g. questions about a trade the person did not choose).",
        "Questions with the same id are merged across versions; each question names the versions its "
        "answers come from.",
        "Free-text answers are printed in their original language and script, newest first.",
        "Scales: mean and median of the chosen points; scores are computed from the answers at submission.",
        "Placements and outcomes: the state at the end of the period, over all people of the cohort, whatever "
        "instrument, language or event the selection names.",
        "Participant codes are only used to count people and are never printed.",
    ),
    versions_note="Instrument versions", version_line="v{version}: {n} responses",
    nothing="There are no responses for this selection yet.",
    choose="Choose a report", download="Download", show="Show", all_="all", from_="from", to="to",
    event="Event/link", funder_option="Funder report (suppress small numbers)",
    min_cell_option="Smallest cell shown", text_limit_option="Free-text answers per question",
    report_language="Report language", participant_sheets="Participant profile sheets",
    profile_title="Profile sheet", export_csv="CSV export", export_xlsx="Excel export",
    multi_note="multiple choice",
    choose_instrument="A CSV file holds one instrument: please choose an instrument first.",
    filters_title="Selection and options", apply="Show report", downloads="Download",
    no_cohorts="You are not assigned to a cohort yet.",
    participants_none="No competence check with a participant code in this cohort yet.",
    checks="Checks", last_check="Last check", profile="Profile sheet (PDF)", tokens_title="API keys",
    tokens_intro="With an API key, partners' programs read cohorts, responses and aggregates "
                 "(read only, with your rights). Description of the interface:",
    token_once="Your new key. It is shown only now; keep it safe:",
    token_label="What for?", token_create="Create a new key", token_start="Starts with",
    token_owner="Account", token_created="Created", token_used="Last used", token_revoke="Revoke",
    token_revoked="revoked on", key_revoked="The key {hint}… is revoked.",
    language_names={"fa": "Persian/Dari", "kmr": "Kurmanji (Northern Kurdish)", "ckb": "Sorani (Central Kurdish)"},
)

_TEXTS = {"de": DE, "en": EN}


def language_name(code: str, language: str) -> str:
    """The name of a response language in the report's language (``ar`` -> ``Arabisch``)."""
    from babel import Locale
    t = texts(language)
    return t.language_names.get(code) or Locale.parse(t.lang).languages.get(code) or code


def texts(language: str) -> Texts:
    """The report wording in ``language`` (German for anything but English)."""
    return _TEXTS.get(language, DE)
