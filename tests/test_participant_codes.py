"""Participant codes hold only what a card can carry, wherever they enter; codes stored before that rule stay
reachable: the participant list, export, profile sheet, mentor page and erasure (web and command line) work.

Issue 13, finding 5: in cohorts without printed cards codes were free text; ``ab 12/x`` and ``=1+1`` were
stored, the participant list linked to an address that answered 404, and there was no erasure on the command
line.
"""
from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import func, select, update

from proconnect.accounts.models import MentorAssignment
from proconnect.audit.models import AuditEvent
from proconnect.extensions import db
from proconnect.links import codes
from proconnect.responses.models import Response
from staff_helpers import PAGE_ONE, PAGE_TWO, people, seed, staff  # noqa: F401
from test_kiosk import kiosk_link, queued  # noqa: F401

ODD = ("AB 12/X", "=1+1")
URL = "/staff/cohorts/ol-2027/participants"


def stored_codes(app) -> list:
    with app.app_context():
        return sorted(db.session.scalars(select(Response.participant_code)), key=str)


@pytest.mark.parametrize("typed, stored", [("k7q2 xm4p", "K7Q2-XM4P"), ("k7q2m", "K7Q2-M"), (" K7Q2_M ", "K7Q2-M"),
                                           ("q3zz-h7", "Q3ZZ-H7")])
def test_a_code_is_stored_the_way_a_card_prints_it_however_it_was_typed(app, make_link, filler, typed, stored):
    f = filler(make_link())
    f.open()
    assert f.post({**PAGE_ONE, "participant_code": typed}).status_code == 200
    assert f.post(PAGE_TWO, nav="submit").status_code == 303
    assert stored_codes(app) == [stored]


@pytest.mark.parametrize("typed", ["ab 12/x", "=1+1", "K7Q2-M0", "Sami Haddad", "K7Q2--" + "X" * 40])
@pytest.mark.parametrize("lang, message", [
    ("en", "This does not look like a participant code. A code looks like K7Q2-M: please copy it from your card."),
    ("ar", "هذا لا يبدو رمز مشاركة"),
    ("ti", "እዚ ናይ ተሳትፎ ኮድ ኣይመስልን"),
])
def test_text_no_card_carries_is_refused_with_a_translated_message_even_without_cards(app, make_link, filler,
                                                                                      typed, lang, message):
    f = filler(make_link())
    f.open(lang=lang)
    page = f.post({**PAGE_ONE, "participant_code": typed})
    assert page.status_code == 200 and message in f.text()
    assert 'aria-invalid="true"' in page.get_data(as_text=True)
    f.post(PAGE_TWO, nav="submit")
    assert stored_codes(app) == []


def test_a_kiosks_queue_gets_the_same_refusal_and_stores_nothing(app, client, kiosk_link):  # noqa: F811
    token = kiosk_link()
    refused = queued(client, token, participant_code="=1+1")
    assert refused.status_code == 422 and refused.json["status"] == "invalid"
    assert "participant_code" in refused.json["errors"]
    assert queued(client, token, key="m" * 24, participant_code="k7q2 m").json["status"] == "stored"
    assert stored_codes(app) == ["K7Q2-M"]


@pytest.fixture
def odd(app, people, seed):  # noqa: F811
    """Two codes stored before codes were checked, as the issue found them, and one card code."""
    for code in ("K7Q2-H", "B8M3-Q", "K7Q2-M"):
        seed(people["ol-2027"], code=code, story=f"Geschichte von {code}")
    with app.app_context():
        for card, old in zip(("K7Q2-H", "B8M3-Q"), ODD):
            db.session.execute(update(Response).where(Response.participant_code == card).values(participant_code=old))
        db.session.commit()
    return people


def hrefs(page) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page.get_data(as_text=True))]


def test_the_participant_list_links_to_pages_that_open_every_stored_code(app, odd, staff):  # noqa: F811
    coordinator = staff("coord1")
    listed = [h for h in hrefs(coordinator.get(URL)) if h.startswith(URL + "/")]
    assert len(listed) == 3
    for href in listed:
        page = coordinator.get(href)
        assert page.status_code == 200, href
    pages = {href: coordinator.get(href).get_data(as_text=True) for href in listed}
    for code in ODD:
        [href] = [h for h, text in pages.items() if f"Participant {html.escape(code)}" in text]
        export = coordinator.get(f"{href}/export.json")
        assert export.status_code == 200 and json.loads(export.data)["participant_code"] == code
        assert '/' not in export.headers["Content-Disposition"].split("filename=")[1]
        assert coordinator.get(f"{href}/export.pdf").data.startswith(b"%PDF")
    assert coordinator.get(f"{URL}/k7q2-m").status_code == 200  # typed by hand, as people type codes
    for forged in ("~AA", "~", "~%C3%BF", "~" + "QUIgMTIvWA" * 10, "K7Q2-" + "X" * 40):
        assert coordinator.get(f"{URL}/{forged}").status_code == 404, forged


def test_an_odd_code_is_erased_from_its_page(app, odd, staff):  # noqa: F811
    coordinator = staff("coord1")
    href = next(h for h in hrefs(coordinator.get(URL)) if h.startswith(URL + "/") and "K7Q2-M" not in h
                and "=1+1" in coordinator.get(h).get_data(as_text=True))
    erase = next(h for h in hrefs(coordinator.get(href)) if h.endswith("/erase"))
    assert coordinator.post(erase, {"confirm": "=1+1"}).status_code == 302
    assert stored_codes(app) == ["AB 12/X", "K7Q2-M", None]
    assert coordinator.get(href).status_code == 410


def test_a_mentor_opens_an_apprentice_with_an_odd_code(app, odd, staff):  # noqa: F811
    with app.app_context():
        db.session.add(MentorAssignment(mentor_id=odd["mentor1"], cohort_id=odd["ol-2027"], participant_code="AB 12/X"))
        db.session.commit()
    mentor = staff("mentor1")
    [href] = [h for h in hrefs(mentor.get("/staff/apprentices")) if h.startswith("/staff/apprentices/")]
    page = mentor.get(href)
    assert page.status_code == 200 and "AB 12/X" in page.get_data(as_text=True)


def test_the_command_line_erases_a_participant_after_asking(app, runner, odd):
    asked = runner.invoke(args=["participants", "erase", "ol-2027", "k7q2 m"], input="n\n")
    assert asked.exit_code == 0 and "Erase the data of participant K7Q2-M in cohort ol-2027 (1 response(s))?" \
        in asked.output and "Nothing was erased." in asked.output
    assert "K7Q2-M" in stored_codes(app)
    done = runner.invoke(args=["participants", "erase", "ol-2027", "k7q2 m"], input="y\n")
    assert done.exit_code == 0 and "Erased participant K7Q2-M in cohort ol-2027" in done.output
    assert "K7Q2-M" not in stored_codes(app)
    with app.app_context():
        entry = db.session.scalar(select(AuditEvent).filter_by(action="erasure"))
        assert entry.actor == "cli" and "K7Q2-M" not in entry.target
    again = runner.invoke(args=["participants", "erase", "ol-2027", "K7Q2-M", "--yes"])
    assert again.exit_code == 0 and "was erased before" in again.output


@pytest.mark.parametrize("typed", ODD + ("ab 12/x",))
def test_the_command_line_erases_an_odd_code_without_asking_when_told(app, runner, odd, typed):
    result = runner.invoke(args=["participants", "erase", "ol-2027", typed, "--yes"])
    assert result.exit_code == 0, result.output
    assert typed.upper() not in stored_codes(app)


def test_the_command_line_erases_nothing_in_another_cohort_or_for_an_unknown_code(app, runner, odd):
    for args, message in ((["dh-2027", "K7Q2-M"], "No responses with participant code K7Q2-M in cohort dh-2027"),
                          (["ol-2027", "ZZZZ-Z"], "No responses with participant code ZZZZ-Z in cohort ol-2027"),
                          (["nope", "K7Q2-M"], "no cohort 'nope'")):
        result = runner.invoke(args=["participants", "erase", *args, "--yes"])
        assert result.exit_code != 0 and message in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).where(Response.participant_code.is_(None))) == 0


@pytest.mark.parametrize("code", ["K7Q2-M", "K7Q2-XM4P", "AB 12/X", "=1+1", "K7Q2 XM4P", "~A", "..", "ab"])
def test_every_code_reads_back_from_its_address(code):
    segment = codes.to_address(code)
    assert re.fullmatch(r"[A-Za-z0-9_~-]+", segment) and segment not in (".", "..")
    assert codes.from_address(segment) == code
