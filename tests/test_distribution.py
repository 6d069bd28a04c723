"""Distribution: links made on the command line, their QR codes read back by a real decoder, posters, cards."""
from __future__ import annotations

import random
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from proconnect.links import codes
from proconnect.links.models import Link, Participant
from proconnect.extensions import db
from proconnect.models_util import utcnow
from test_reports_pdf import pdf_file_text

PUBLIC = "http://127.0.0.1:5000"


def decode(image: Path) -> list[str]:
    """Every QR code zbar finds in an image (zbarimg, as installed by make test)."""
    done = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
                          capture_output=True, text=True)
    return sorted(done.stdout.splitlines())


def pdf_pages(pdf: Path, out: Path, dpi: int = 100) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / "page")], check=True)
    return sorted(out.glob("page*.png"))


@pytest.fixture
def create_link(runner, make_cohort):
    """Factory: ``proconnect links create`` with extra arguments; :return: (url, token, output)."""
    make_cohort("ol-2027")

    def create(*args):
        result = runner.invoke(args=["links", "create", "--form", "everything", "--cohort", "ol-2027", *args])
        assert result.exit_code == 0, result.output
        url = result.output.splitlines()[0]
        return url, url.rsplit("/", 1)[1], result.output
    return create


def stored_link(app, token) -> Link:
    with app.app_context():
        link = db.session.scalar(select(Link).filter_by(token=token))
        db.session.expunge(link)
        return link


def test_a_kiosk_link_gets_a_pin_shown_once_and_stored_only_as_a_hash(app, create_link):
    url, token, output = create_link("--kiosk", "--event", "Infoabend Delmenhorst", "--lang", "ar")
    pin = output.splitlines()[1].rsplit(" ", 1)[1]
    assert output.splitlines()[1].startswith("Kiosk PIN (shown only now, stored hashed): ")
    assert len(pin) == 6 and pin.isdigit()
    link = stored_link(app, token)
    assert link.kiosk and link.language == "ar" and link.event == "Infoabend Delmenhorst"
    assert pin not in link.kiosk_pin_hash and link.check_pin(pin) and not link.check_pin("000000x")


def test_a_chosen_pin_dates_and_a_limit_are_kept(app, create_link):
    _, token, output = create_link("--kiosk", "--pin", "4711", "--opens", "2027-03-01", "--closes",
                                   "2027-03-02 18:00", "--max-responses", "40", "--reset-seconds", "8")
    assert "PIN" not in output
    link = stored_link(app, token)
    assert link.check_pin("4711") and link.reset_seconds == 8 and link.max_responses == 40
    assert (link.opens_at.isoformat(), link.closes_at.isoformat()) == ("2027-03-01T00:00:00", "2027-03-02T18:00:00")


def test_a_link_token_is_long_random_and_url_safe(create_link):
    tokens = {create_link()[1] for _ in range(3)}
    assert len(tokens) == 3
    for token in tokens:
        # 192 bits of secrets.token_urlsafe: 32 characters of the URL-safe base64 alphabet.
        assert len(token) >= 22 and set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize("args, message", [
    (["--pin", "1234"], "only a kiosk link has a PIN and a reset time; add --kiosk"),
    (["--kiosk", "--pin", "12"], "use 4 to 12 digits"),
    (["--opens", "2027-03-02", "--closes", "2027-03-01"], "must be after --opens"),
    (["--max-responses", "0"], "0 is not in the range x>=1"),
    (["--closes", "next week"], "'next week' does not match the formats"),
])
def test_wrong_link_options_get_a_clear_message(runner, make_cohort, args, message):
    make_cohort("ol-2027")
    result = runner.invoke(args=["links", "create", "--form", "everything", "--cohort", "ol-2027", *args])
    assert result.exit_code == 2 and message in result.output


def test_links_are_listed_per_cohort_with_state_and_response_counts(runner, create_link, make_cohort, filler):
    _, open_token, _ = create_link("--event", "Infoabend", "--max-responses", "5")
    _, revoked_token, _ = create_link("--kiosk", "--pin", "1234")
    make_cohort("del-2027", "Delmenhorst")
    other = runner.invoke(args=["links", "create", "--form", "survey", "--cohort", "del-2027"]).output.strip()
    form = filler(open_token)
    form.open()
    form.post({"participant_code": "", "name": "Sami", "trade": "wood"})
    form.post({"licence": "no", "consent": "y"}, nav="submit")
    assert runner.invoke(args=["links", "revoke", revoked_token]).exit_code == 0

    listed = runner.invoke(args=["links", "list", "--cohort", "ol-2027"]).output.splitlines()
    assert len(listed) == 2 and other.rsplit("/", 1)[1] not in "".join(listed)
    assert listed[0].split()[:8] == [open_token, "ol-2027", "everything", "vlatest", "de", "web", "open", "1/5"]
    assert listed[0].endswith("Infoabend")
    assert listed[1].split()[:8] == [revoked_token, "ol-2027", "everything", "vlatest", "de", "kiosk", "revoked",
                                     "0"]


def test_a_revoked_link_shows_a_translated_page_never_the_form(runner, create_link, client):
    _, token, _ = create_link("--lang", "de")
    assert runner.invoke(args=["links", "revoke", token]).exit_code == 0
    page = client.get(f"/f/{token}?lang=de")
    assert page.status_code == 410
    assert "Teilnahme-Code" not in page.get_data(as_text=True)


@pytest.mark.parametrize("kind, render", [
    ("png", None),
    ("svg", ["rsvg-convert", "--background-color=white", "--width=600"]),
])
def test_the_qr_code_of_a_link_decodes_to_its_exact_url(runner, create_link, tmp_path, kind, render):
    url, token, _ = create_link()
    out = tmp_path / f"code.{kind}"
    result = runner.invoke(args=["links", "qr", token, "--format", kind, "--out", str(out)])
    assert result.exit_code == 0 and result.output == f"Wrote {out} ({url})\n"
    image = out
    if render:
        image = tmp_path / "rendered.png"
        subprocess.run([*render, str(out), "-o", str(image)], check=True)
    assert decode(image) == [url]


def test_the_poster_carries_the_scannable_url_and_instructions_in_the_links_language_and_german(
        runner, create_link, tmp_path):
    url, token, _ = create_link("--lang", "ar", "--event", "Infoabend Oldenburg 3. März")
    pdf = tmp_path / "poster.pdf"
    assert runner.invoke(args=["links", "poster", token, "--out", str(pdf)]).exit_code == 0
    [page] = pdf_pages(pdf, tmp_path, dpi=72)
    assert decode(page) == [url]
    text = pdf_file_text(pdf)
    assert "Alle Feldtypen" in text and "Infoabend Oldenburg 3. März" in text and url in text
    assert "Kamera" in text  # the German instructions, below the Arabic ones


def test_participant_cards_print_new_codes_each_with_its_qr_code(app, runner, make_cohort, tmp_path):
    make_cohort("ol-2027", "Oldenburg 2027")
    pdf = tmp_path / "cards.pdf"
    result = runner.invoke(args=["participants", "cards", "--cohort", "ol-2027", "--count", "12", "--out", str(pdf)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = sorted(db.session.scalars(select(Participant.code)))
    assert len(stored) == 12 and all(codes.is_valid(c) for c in stored)
    pages = pdf_pages(pdf, tmp_path, dpi=150)
    assert len(pages) == 2
    assert sorted(decode(pages[0]) + decode(pages[1])) == stored
    assert all(code in pdf_file_text(pdf) for code in stored)


def test_a_participant_holds_only_a_code_and_a_cohort():
    assert set(Participant.__table__.columns.keys()) == {"id", "code", "cohort_id", "created_at"}


@pytest.mark.parametrize("typed, normalised", [("k7q2 m", "K7Q2-M"), ("K7Q2M", "K7Q2-M"), (" k7q2-m ", "K7Q2-M")])
def test_codes_are_read_the_way_people_type_them(typed, normalised):
    assert codes.normalise(typed) == normalised


@pytest.mark.parametrize("seed", range(40))
def test_the_check_character_catches_every_single_typo_and_neighbour_swap_but_2_and_z(seed):
    # Random bodies, and one holding Z next to 2: the one swap Luhn cannot see.
    rng = random.Random(seed)
    body = "".join(rng.choice(codes.ALPHABET) for _ in range(4)) if seed else "YSZ2"
    code = f"{body}-{codes.check_character(body)}"
    assert codes.is_valid(code)
    for i in range(4):
        for char in codes.ALPHABET:
            if char != body[i]:
                typo = body[:i] + char + body[i + 1:]
                assert not codes.is_valid(f"{typo}-{code[-1]}"), typo
    for i in range(3):
        swapped = body[:i] + body[i + 1] + body[i] + body[i + 2:]
        if swapped != body:
            assert codes.is_valid(f"{swapped}-{code[-1]}") == ({body[i], body[i + 1]} == {"2", "Z"}), swapped


@pytest.fixture
def carded_link(app, runner, make_link, tmp_path):
    """A link whose cohort has printed cards; :return: (token, one issued code)."""
    token = make_link(language="de")
    with app.app_context():
        slug = db.session.scalar(select(Link).filter_by(token=token)).cohort.slug
    runner.invoke(args=["participants", "cards", "--cohort", slug, "--count", "2", "--out", str(tmp_path / "c.pdf")])
    with app.app_context():
        return token, db.session.scalars(select(Participant.code)).first()


def wrong_check(code: str) -> str:
    return code[:-1] + next(c for c in codes.ALPHABET if c != code[-1])


@pytest.mark.parametrize("lang, message", [
    ("en", "This code has a typing error: its last character does not match. Please compare it with your card."),
    ("de", "Dieser Code hat einen Tippfehler"),
    ("ar", "هذا الرمز فيه خطأ"),
])
def test_a_code_with_a_wrong_check_character_gets_a_clear_translated_message(carded_link, filler, lang, message):
    token, code = carded_link
    form = filler(token)
    form.open(lang=lang)
    page = form.post({"participant_code": wrong_check(code), "name": "Sami", "trade": "wood"})
    assert page.status_code == 200 and message in form.text()
    assert 'aria-invalid="true"' in page.get_data(as_text=True)


def test_a_typed_card_code_links_the_response_and_a_foreign_code_is_refused(app, carded_link, filler):
    from proconnect.responses.models import Response
    token, code = carded_link
    form = filler(token)
    form.open(lang="en")
    page = form.post({"participant_code": "Q3ZZ-" + codes.check_character("Q3ZZ"), "name": "Sami", "trade": "wood"})
    assert "This code does not belong to this group." in form.text()
    form.post({"participant_code": code.lower().replace("-", " "), "name": "Sami", "trade": "wood"})
    assert form.post({"licence": "no", "consent": "y"}, nav="submit").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Response.participant_code)) == code


def test_a_link_not_yet_open_full_or_closed_never_shows_the_form(client, make_link, filler):
    now = utcnow()
    soon = make_link(opens_at=now + timedelta(days=1))
    over = make_link(closes_at=now - timedelta(minutes=1))
    full = make_link(max_responses=1)
    form = filler(full)
    form.open()
    form.post({"participant_code": "", "name": "Sami", "trade": "wood"})
    form.post({"licence": "no", "consent": "y"}, nav="submit")
    for token, status in ((soon, 403), (over, 410), (full, 410)):
        page = client.get(f"/f/{token}?lang=en")
        assert page.status_code == status and "Spitzname" not in page.get_data(as_text=True)


def test_a_token_never_starts_with_a_hyphen_so_the_command_line_takes_it(monkeypatch):
    from proconnect.links import models
    drawn = iter(["-starts-like-an-option-0000000000", "Rk2f-fine-token-000000000000000000"])
    monkeypatch.setattr(models.secrets, "token_urlsafe", lambda n: next(drawn))
    assert models.new_token() == "Rk2f-fine-token-000000000000000000"
