"""The coordinators' links page: create (kiosk, PIN, dates), list with counts, revoke, download QR and poster."""
from __future__ import annotations

import re
import subprocess

from sqlalchemy import select

from proconnect.links.models import Link, Participant
from proconnect.extensions import db
from staff_helpers import people, seed, staff  # noqa: F401
from test_distribution import decode

NEW_LINK = {"form_id": "everything", "version": "", "language": "ar", "event": "Infoabend Delmenhorst",
            "kiosk": "y", "pin": "", "opens": "", "closes": "", "max_responses": ""}


def signed_in(staff, username="coord1"):
    """A staff browser reading the English source texts."""
    browser = staff(username)
    browser.client.set_cookie("lang", "en")
    return browser


def row_of(page: str, token: str) -> str:
    return next(row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if token in row)


def links(app) -> list[Link]:
    with app.app_context():
        rows = db.session.scalars(select(Link).order_by(Link.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def test_a_coordinator_creates_a_kiosk_link_and_sees_its_pin_once(app, people, staff):
    coordinator = signed_in(staff)
    created = coordinator.post("/staff/cohorts/ol-2027/links/new", NEW_LINK, follow_redirects=True)
    page = created.get_data(as_text=True)
    pin = re.search(r"Kiosk PIN \(shown only now\): (\d{6})", page).group(1)
    [link] = links(app)
    assert link.kiosk and link.language == "ar" and link.check_pin(pin) and pin not in link.kiosk_pin_hash
    assert f"/f/{link.token}" in page and "Infoabend Delmenhorst" in page
    again = coordinator.get("/staff/cohorts/ol-2027").get_data(as_text=True)
    assert pin not in again


def test_wrong_dates_keep_the_form_with_a_message(app, people, staff):
    page = signed_in(staff).post("/staff/cohorts/ol-2027/links/new",
                                {**NEW_LINK, "opens": "2027-03-02T10:00", "closes": "2027-03-01T10:00"})
    assert page.status_code == 400 and "The form must close after it opens." in page.get_data(as_text=True)
    assert links(app) == []


def test_the_list_counts_responses_and_a_switched_off_link_stops_taking_answers(app, people, staff, seed, client):
    seed(people["ol-2027"])
    [link] = links(app)
    coordinator = signed_in(staff)
    row = row_of(coordinator.get("/staff/cohorts/ol-2027").get_data(as_text=True), link.token)
    assert '<td class="num">1</td>' in row and "<td>open</td>" in row
    assert coordinator.post(f"/staff/links/{link.id}/revoke").status_code == 302
    row = row_of(coordinator.get("/staff/cohorts/ol-2027").get_data(as_text=True), link.token)
    assert "switched off" in row
    assert client.get(f"/f/{link.token}").status_code == 410


def test_qr_codes_and_the_poster_download_and_decode_to_the_link(app, people, staff, seed, tmp_path):
    seed(people["ol-2027"])
    [link] = links(app)
    url = f"http://127.0.0.1:5000/f/{link.token}"
    coordinator = signed_in(staff)
    png = coordinator.get(f"/staff/links/{link.id}/qr.png")
    assert png.mimetype == "image/png" and "attachment" in png.headers["Content-Disposition"]
    (tmp_path / "qr.png").write_bytes(png.data)
    assert decode(tmp_path / "qr.png") == [url]
    svg = coordinator.get(f"/staff/links/{link.id}/qr.svg")
    (tmp_path / "qr.svg").write_bytes(svg.data)
    subprocess.run(["rsvg-convert", "--background-color=white", "--width=500", str(tmp_path / "qr.svg"), "-o",
                    str(tmp_path / "svg.png")], check=True)
    assert decode(tmp_path / "svg.png") == [url]
    poster = coordinator.get(f"/staff/links/{link.id}/poster.pdf")
    assert poster.mimetype == "application/pdf" and poster.data.startswith(b"%PDF")


def test_another_cohorts_coordinator_gets_nothing(app, people, staff, seed):
    seed(people["ol-2027"])
    [link] = links(app)
    other = signed_in(staff, "coord2")
    for url in (f"/staff/links/{link.id}/qr.png", f"/staff/links/{link.id}/poster.pdf"):
        assert other.get(url).status_code == 404
    assert other.post(f"/staff/links/{link.id}/revoke").status_code == 404
    assert other.post("/staff/cohorts/ol-2027/cards", {"count": "3"}).status_code == 404
    assert links(app)[0].revoked_at is None


def test_a_coordinator_prints_cards_with_new_codes(app, people, staff):
    sheet = signed_in(staff).post("/staff/cohorts/ol-2027/cards", {"count": "3"})
    assert sheet.mimetype == "application/pdf" and sheet.data.startswith(b"%PDF")
    with app.app_context():
        assert db.session.query(Participant).count() == 3


def test_the_cohort_page_says_when_a_kiosk_link_has_no_room_for_more_tablets(app, people, staff):
    app.config["KIOSK_TABLETS_PER_LINK"] = 2
    coordinator = signed_in(staff)
    coordinator.post("/staff/cohorts/ol-2027/links/new", NEW_LINK)
    [link] = links(app)
    for n in range(3):
        app.test_client().post(f"/f/{link.token}/sync", data={"_kiosk": f"tablet-{n}".ljust(32, "x")},
                               headers={"X-Proconnect-Queue": "1"})
    row = row_of(coordinator.get("/staff/cohorts/ol-2027").get_data(as_text=True), link.token)
    assert row.count("Tablet tablet") == 2
    assert "No room for more tablets (at most 2 per link): another tablet still sends its answers" in row
