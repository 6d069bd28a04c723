"""Realistic demo answers for any form definition, and a demo cohort built from them.

Answers follow the definition: conditions decide what is shown, limits and steps are kept, free texts
come in the respondent's language and script. The same generator feeds ``proconnect demo`` and the
report benchmark, so the demo is always a valid submission of the current instruments.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..companies.models import Company, name_key
from ..definitions.conditions import is_shown
from ..definitions.model import Field, FormDefinition
from ..definitions.roles import (COMPANY_READINESS, COMPETENCE_CHECK, HOSPITATION_FEEDBACK, HOSPITATION_VOICE, MENTOR_LOG,
                                 OUTCOME, TRAINING_FEEDBACK)
from ..links.models import Link, Selection
from ..extensions import db
from ..fieldtypes import field_type
from ..responses.storage import PARTICIPANT_FIELD, store_response
from .placement import PLACED, RETENTION_DAYS, STARTED

#: Languages participants answer in, with how often (the project's largest groups first).
LANGUAGE_WEIGHTS = {"ar": 26, "fa": 14, "uk": 14, "de": 10, "ps": 7, "tr": 7, "ti": 6, "ru": 5, "kmr": 5,
                    "ckb": 3, "en": 3}

#: Short answers naming a trade, in each language's own script.
SHORT_TEXTS = {
    "de": ["Schneiderei", "Friseur", "Bäckerei"],
    "en": ["Tailoring", "Hairdresser", "Bakery"],
    "ar": ["خياطة", "حلاقة", "مخبز"],
    "fa": ["خیاطی", "آرایشگری", "نانوایی"],
    "ps": ["ګنډل", "سلماني", "ډوډۍ پخول"],
    "uk": ["Кравецтво", "Перукарня", "Пекарня"],
    "ru": ["Швейное дело", "Парикмахер", "Пекарня"],
    "tr": ["Terzilik", "Kuaförlük", "Fırıncılık"],
    "ti": ["ስፌት", "ምቁራጽ ጸጉሪ", "ምስራሕ ባኒ"],
    "kmr": ["Terzîtî", "Porbirîn", "Nanpêjî"],
    "ckb": ["بەرگدروون", "سەرتاشین", "نانەواخانە"],
}
#: Short answers naming a language (for "another language"), in the respondent's script.
LANGUAGE_TEXTS = {
    "de": ["Somali", "Amharisch"], "en": ["Amharic", "Somali"], "ar": ["اللغة الأمازيغية", "السريانية"],
    "fa": ["ازبکی", "ترکمنی"], "ps": ["بلوڅي", "ازبکي"], "uk": ["Кримськотатарська"], "ru": ["Чеченский"],
    "tr": ["Lazca"], "ti": ["ትግረ"], "kmr": ["Zazakî"], "ckb": ["هەورامی"],
}
LONG_TEXTS = {
    "de": ["Ich möchte gern eine Ausbildung als Elektriker machen.",
           "Ich habe in Syrien fünf Jahre in einer Schlosserei gearbeitet und kann gut schweißen."],
    "en": ["I would like to train as a car mechanic.",
           "I worked for three years in a warehouse and can drive a forklift."],
    "ar": ["عملت خمس سنوات في ورشة حدادة في حلب، وأريد أن أتعلم مهنة اللحام في ألمانيا.",
           "أحتاج إلى دورة لغة قبل بدء التدريب المهني، وعندي طفلان صغيران."],
    "fa": ["من سه سال در یک نجاری در هرات کار کردم و می‌خواهم در آلمان نجار شوم.",
           "برای شروع کار به کلاس زبان آلمانی نیاز دارم."],
    "ps": ["ما په کابل کې د لرګيو کار کړی دی او غواړم چې نجار شم.",
           "زه غواړم چې د برېښنا کار زده کړم او په یوه شرکت کې کار وکړم."],
    "uk": ["Я працювала кухарем у ресторані в Харкові і хочу працювати на кухні.",
           "Мені потрібен дитячий садок для доньки, щоб почати навчання."],
    "ru": ["Я десять лет работал водителем грузовика и хочу работать на складе.",
           "Мне нужна помощь с признанием диплома."],
    "tr": ["İstanbul'da iki yıl boyunca kaynakçı olarak çalıştım.",
           "Elektrikçi olmak istiyorum ama önce Almancamı geliştirmem gerekiyor."],
    "ti": ["ኣብ ኤርትራ ንሰለስተ ዓመት ከም ኤሌክትሪሻን ሰሪሐ እየ።",
           "ኣብ ጀርመን ሞያ ክመሃር ደስ ይብለኒ።"],
    "kmr": ["Min li Qamişloyê çar salan wek elektrîkçî kar kir.",
            "Ez dixwazim bibim mekanîkê otomobîlan."],
    "ckb": ["من لە هەولێر پێنج ساڵ وەک دارتاش کارم کردووە.",
            "دەمەوێت لە ئەڵمانیا فێری کاری کارەبا ببم."],
}
#: Notes written by staff (company-readiness, mentor log, outcome), in German.
STAFF_TEXTS = ["Wir wünschen uns mehr Zeit für die Einarbeitung.", "Sprachkurs am Arbeitsplatz wäre hilfreich.",
               "Termin mit der BBS-Lehrkraft am Monatsende; Nachhilfe in Mathe organisieren.",
               "Gespräch mit dem Ausbilder: läuft gut, Berichtsheft nachholen."]


@dataclass(frozen=True)
class DemoCompany:
    """A partner company of the demo: what it does decides what it offers (a car dealer trains car
    mechatronics technicians, not gardeners), and it lies in a Gemeinde of the participants' list."""

    name: str
    #: its sector: a trade of the competence check (the readiness survey's `sector`)
    trade: str
    #: a Gemeinde of the competence check's `municipality` list (the company record's place)
    municipality: str
    #: Ausbildungsberufe (the survey's `apprenticeships` values, matching's [occupations])
    apprenticeships: tuple[str, ...] = ()
    #: open SVB jobs: (helpers, skilled workers) in its trade
    jobs: tuple[int, int] = (0, 0)
    #: offers an entry qualification (EQ) in its trade
    eq: bool = False


#: Partner companies, with their trades, Berufe, jobs and Gemeinden; their names also answer fields that ask
#: for a company's name.
DEMO_COMPANIES = (
    DemoCompany("Metallbau Janssen GmbH", "metal", "westerstede", ("metallbauer", "fachpraktiker_metall"), (1, 1),
                eq=True),
    DemoCompany("Tischlerei Oltmanns", "wood", "bad_zwischenahn", ("tischler",), (0, 1), eq=True),
    DemoCompany("Elektro Hinrichs KG", "electrical", "oldenburg_city", ("elektroniker",), (1, 1)),
    DemoCompany("Autohaus Wübbena", "vehicles", "rastede", ("kfz_mechatroniker",), (1, 0)),
    DemoCompany("Sanitär Meyer & Söhne", "plumbing", "edewecht", ("anlagenmechaniker_shk",), (1, 1), eq=True),
    DemoCompany("Gartenbau Bruns", "agriculture", "wardenburg", ("gaertner",), (2, 0)),
    DemoCompany("Spedition Ahlers", "logistics", "ganderkesee", ("fachkraft_lagerlogistik", "fachlagerist",
                                                               "berufskraftfahrer"), (3, 1)),
    DemoCompany("Landgasthof Apen", "gastronomy", "apen", ("koch", "fachkraft_kueche"), (2, 0), eq=True),
    DemoCompany("Pflegedienst Hunte", "care", "wildeshausen", ("pflegefachkraft",), (1, 2)),
    DemoCompany("Bau Rüdebusch GmbH", "construction", "hude", ("maurer", "hochbaufacharbeiter"), (2, 1)),
    DemoCompany("Malerbetrieb Hillje", "painting", "delmenhorst", ("maler", "bauten_objektbeschichter"), (1, 0)),
    DemoCompany("Frischemarkt Kuhlmann", "retail", "hatten", ("verkaeufer", "kaufmann_einzelhandel"), (2, 0)),
)
COMPANIES = [c.name for c in DEMO_COMPANIES]


def _weights(rng: random.Random, n: int) -> list[float]:
    """Uneven, seeded weights, so charts of demo data have a shape (and every option some answers)."""
    return [rng.random() ** 1.5 + 0.15 for _ in range(n)]


class _Demo:
    """What a field type's demo value draws on (``FieldType.demo``): the dice, the respondent and the pools."""

    def __init__(self, rng: random.Random, language: str, today: date, weights: dict, staff: bool):
        self.rng, self.language, self.today, self._weights, self.staff = rng, language, today, weights, staff

    def weights(self, key: str, n: int) -> list[float]:
        """The weights of ``key``'s ``n`` options, drawn at its first answer."""
        # Drawn every time (and kept the first time): the demo's sequence of random numbers stays as it was.
        return self._weights.setdefault(key, _weights(self.rng, n))

    def free_text(self, f: Field, long: bool) -> str:
        """A company's name, a staff note, a language or the respondent's own words, by what ``f`` asks."""
        if "company" in f.id:
            pool = COMPANIES
        elif self.staff:
            pool = STAFF_TEXTS
        elif "language" in f.id:
            pool = LANGUAGE_TEXTS.get(self.language, LANGUAGE_TEXTS["de"])
        else:
            pool = (LONG_TEXTS if long else SHORT_TEXTS).get(self.language, LONG_TEXTS["de"])
        return self.rng.choice(pool)


def field_values(f: Field, rng: random.Random, language: str, today: date, weights: dict,
                 staff: bool = False) -> dict:
    """Random answers to one shown field, under its answer names (None: left empty)."""
    return field_type(f).demo(f, _Demo(rng, language, today, weights, staff))


def random_answers(definition: FormDefinition, rng: random.Random, *, language: str = "de",
                   code: str | None = None, fixed: dict | None = None, today: date | None = None,
                   weights: dict | None = None, staff: bool = False) -> tuple[dict, dict]:
    """A plausible submission: ``(values, shown)`` in the shape ``read_answers`` gives.

    :param fixed: answer name -> value to use instead of a random one (e.g. an outcome status); None leaves
                  a question that is not required unanswered
    :param weights: per-field choice weights, shared between calls so answers cluster like real ones
    :param staff: free texts are staff notes in German (company, mentor and outcome forms)
    """
    today = today or date.today()
    fixed = dict(fixed or {})
    if code is not None:
        fixed[PARTICIPANT_FIELD] = code
    weights = {} if weights is None else weights
    values, shown = {}, {}
    for f in definition.fields:
        shown[f.id] = is_shown(f.condition, values)
        if not f.answerable:
            continue
        names = f.answer_names()
        if not shown[f.id]:
            values.update({name: None for name in names})
            continue
        if f.id in fixed and fixed[f.id] is None and not f.required:
            values.update({name: None for name in names})
            continue
        if f.id in fixed and field_type(f).offers(f, fixed[f.id]):
            values[f.id] = fixed[f.id]
            continue
        if f.id == PARTICIPANT_FIELD:
            values[f.id] = None
            continue
        values.update(field_values(f, rng, language, today, weights, staff))
    return values, shown


def participant_code(rng: random.Random) -> str:
    """A code in the shape of the printed participant cards (e.g. ``K7Q2-XM4P``)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(rng.choice(alphabet) for _ in range(4)) + "-" + "".join(rng.choice(alphabet) for _ in range(4))


#: Where selected participants stand at the end of the demo (newest outcome), with how often.
FINAL_STATUS = {"apprenticeship": 34, "svb_job": 20, "contract_signed": 8, "eq": 9, "internship": 7,
                "language_course": 8, "school": 3, "searching": 8, "moved_away": 3, "left_project": 2}
#: ... and participants the project did not select (they are counted apart).
NOT_SELECTED_STATUS = {"svb_job": 3, "language_course": 10, "school": 4, "searching": 10, "moved_away": 3}
#: An earlier step on the way there.
EARLIER_STATUS = ("internship", "language_course", "eq", "searching")
#: A contract signed, the start still ahead.
SIGNED = tuple(s for s in PLACED if s not in STARTED)
#: Share of the participants the project selects after their competence check.
SELECTED_SHARE = 0.8
#: Of those who started, how many end early within six months, and how many are followed up after six months.
ENDED_EARLY_SHARE = 0.12
FOLLOWED_UP_SHARE = 0.8


def company_answers(company: DemoCompany, rng: random.Random) -> dict:
    """The readiness survey's answers that follow from what the company does and where it is."""
    field = COMPANY_READINESS.field
    offers = ["hospitation", "internship"] + (["eq"] if company.eq else [])
    helpers, skilled = company.jobs
    # The Gemeinde where v3 asks it, the district where an older version does (the newest version is filled).
    answers = {field("company_name"): company.name, field("sector"): company.trade,
               field("municipality"): company.municipality,
               field("district"): COMPETENCE_CHECK.meanings("municipality").get(company.municipality, "other"),
               field("apprenticeships"): list(company.apprenticeships) or ["none"],
               field("job_trades"): [company.trade] if helpers or skilled else ["none"],
               field("helper_jobs_{}", company.trade): helpers, field("skilled_jobs_{}", company.trade): skilled,
               field("entry_offers"): offers, field("trial_places"): rng.randint(1, 2),
               field("eq_trades"): [company.trade] if company.eq else None,
               field("eq_places"): 1 if company.eq else None}
    for occupation in company.apprenticeships:
        answers[field("apprenticeship_places_{}", occupation)] = rng.randint(1, 2)
    return answers


def company_record(company: DemoCompany) -> Company:
    """The company's record (project-wide: a second demo cohort finds the one the first made)."""
    key = name_key(company.name)
    record = db.session.scalar(select(Company).where(Company.name_key == key).order_by(Company.id).limit(1))
    if record is None:
        record = Company(name=company.name, name_key=key, municipality=company.municipality, trades=[company.trade])
        db.session.add(record)
        db.session.flush()
    return record


def fill_demo(registry, cohort, participants: int, seed: int, today: date | None = None) -> dict[str, int]:
    """Store a demo cohort's responses through the normal storage path (scores, pinning, rows).

    :return: form id -> number of responses stored
    """
    rng = random.Random(seed)
    today = today or date.today()
    # Long enough ago that the first starts are six months on (retention) by today.
    start = today - timedelta(days=330)
    weights: dict = {}
    counts: dict[str, int] = {}
    links: dict[tuple, Link] = {}

    def link_for(form_id, language, event):
        key = (form_id, event)
        if key not in links:
            links[key] = Link(form_id=form_id, cohort_id=cohort.id, language=language, event=event)
            db.session.add(links[key])
            db.session.flush()
        return links[key]

    check_form, voice_form = COMPETENCE_CHECK.form_id(), HOSPITATION_VOICE.form_id()

    def store(form_id, language, when: date, event, code=None, fixed=None):
        definition = registry.get(form_id)
        if definition is None:
            return None
        values, shown = random_answers(definition, rng, language=language, code=code, fixed=fixed, today=when,
                                       weights=weights.setdefault(form_id, {}),
                                       staff=form_id not in (check_form, voice_form))
        link = link_for(form_id, language if form_id == check_form else "de", event)
        response, _created = store_response(definition, cohort_id=cohort.id, link_id=link.id, language=language,
                                             key=secrets.token_urlsafe(24), values=values, shown=shown)
        response.submitted_at = datetime.combine(when, time(rng.randint(9, 18), rng.randint(0, 59)))
        counts[form_id] = counts.get(form_id, 0) + 1
        return response

    def check_answers(language: str) -> dict:
        """Most people fill the check in their first language; many worked in the region's trades, and
        every other one in a trade of their own, which they name in their words (a free text)."""
        fixed = {}
        if language != "de" and rng.random() < 0.85:
            fixed["first_language"] = language
        check = registry.get(check_form)
        if check is None:
            return fixed
        values = COMPETENCE_CHECK.items(check, "trades")
        trades = [v for v in values if v != "other"]
        chosen = set(rng.sample(trades, min(len(trades), rng.randint(1, 3))))
        if "other" in values and rng.random() < 0.5:
            chosen.add("other")
        fixed[COMPETENCE_CHECK.field("trades")] = [v for v in values if v in chosen]
        return fixed

    def outcome(code, when: date, status: str, entered: date | None = None, follow_up: str | None = None):
        # A follow-up answer only on the follow-up entry: a start is not its own follow-up.
        response = store(OUTCOME.form_id(), "de", when, "Verbleib", code, {
            OUTCOME.field("status"): status, OUTCOME.field("status_date"): when,
            OUTCOME.field("follow_up"): follow_up})
        if response is not None and entered is not None:
            response.submitted_at = datetime.combine(min(entered, today), time(rng.randint(9, 18)))

    def after_start(code, started: date, status: str) -> None:
        """What follows a start: it ends early, or the follow-up about six months on finds the person there."""
        if rng.random() < ENDED_EARLY_SHARE:
            ended = started + timedelta(days=rng.randint(30, 170))
            if ended <= today:
                outcome(code, ended, "ended_early")
                return
        follow_day = started + timedelta(days=RETENTION_DAYS + rng.randint(0, 30))
        if follow_day <= today and rng.random() < FOLLOWED_UP_SHARE:
            outcome(code, started, status, entered=follow_day, follow_up="yes" if rng.random() < 0.92 else "unknown")

    # The companies' records come first: forms that choose a company from the records (the outcome) then see
    # the same ones in every demo cohort, so the same seed gives the same answers.
    answering = max(4, participants // 3)
    records = [company_record(c) for c in DEMO_COMPANIES[:answering]]
    events = ["Infoabend Oldenburg", "Infoabend Delmenhorst", "Infotag Westerstede", "Infotag Wildeshausen"]
    languages = list(LANGUAGE_WEIGHTS)
    selected_people = []
    for i in range(participants):
        code = participant_code(rng)
        language = rng.choices(languages, list(LANGUAGE_WEIGHTS.values()))[0]
        checked = start + timedelta(days=rng.randint(0, 40))
        store(check_form, language, checked, events[i % len(events)], code, check_answers(language))
        selected = rng.random() < SELECTED_SHARE
        if selected:
            selected_people.append((code, language, checked))
            db.session.add(Selection(cohort_id=cohort.id, participant_code=code,
                                     selected_on=checked + timedelta(days=rng.randint(3, 14))))
        if rng.random() < 0.9:
            weights_of = FINAL_STATUS if selected else NOT_SELECTED_STATUS
            final = rng.choices(list(weights_of), list(weights_of.values()))[0]
            first_day = checked + timedelta(days=rng.randint(10, 50))
            if rng.random() < 0.5:
                outcome(code, first_day, rng.choice(EARLIER_STATUS))
                first_day += timedelta(days=rng.randint(14, 40))
            if final in SIGNED:
                # Signed lately, the start still ahead (apprenticeships begin on 1 August).
                first_day = max(first_day, today - timedelta(days=rng.randint(5, 60)))
            first_day = min(first_day, today)
            outcome(code, first_day, final)
            if final in STARTED:
                after_start(code, first_day, final)
            if final == "apprenticeship":
                for k in range(rng.randint(1, 3)):
                    when = min(today, first_day + timedelta(days=14 * (k + 1)))
                    store(MENTOR_LOG.form_id(), "de", when, "Begleitung", code,
                          {MENTOR_LOG.field("meeting_date"): when})
    # Each company answers through its own link (matching counts a company per link), which belongs to its
    # record; its first answer comes from management, who speak for the places and jobs, later ones from
    # staff or management. Every answer offers what the company does.
    managers = COMPANY_READINESS.values("respondent_role")
    for i in range(answering):
        company = DEMO_COMPANIES[i % len(DEMO_COMPANIES)]
        fixed = company_answers(company, rng)
        if i < len(DEMO_COMPANIES):
            fixed[COMPANY_READINESS.field("respondent_role")] = managers[i % len(managers)]
        event = f"Betriebs-Check {company.name}"
        store(COMPANY_READINESS.form_id(), "de", start + timedelta(days=rng.randint(0, 120)), event, fixed=fixed)
        if (COMPANY_READINESS.form_id(), event) in links:
            links[(COMPANY_READINESS.form_id(), event)].company_id = records[i % len(records)].id
    for i in range(max(6, participants // 2)):
        session = ["Schulung Interkulturelle Kommunikation", "Schulung Rechtlicher Rahmen"][i % 2]
        store(TRAINING_FEEDBACK.form_id(), "de", start + timedelta(days=60 + 7 * (i % 2)), session)
    # Last, so that the answers above stay as they were for a seed: about half of the selected try a company for a
    # few days; the company sends its feedback, the participant their own about the same company, in their language.
    for code, language, checked in selected_people:
        if rng.random() < 0.5:
            when = min(today, checked + timedelta(days=rng.randint(20, 80)))
            feedback = store(HOSPITATION_FEEDBACK.form_id(), "de", when, "Hospitation", code)
            company = (feedback.payload or {}).get("answers", {}).get(HOSPITATION_FEEDBACK.field("company")) \
                if feedback is not None else None
            store(voice_form, language, min(today, when + timedelta(days=2)), "Hospitation (Teilnehmende)", code,
                  {HOSPITATION_VOICE.field("company"): company} if company else None)
    db.session.commit()
    return counts
