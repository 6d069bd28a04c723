"""What no request may carry (control characters, broken UTF-8) and what no cache may keep (staff pages, downloads)."""
from __future__ import annotations

from sqlalchemy import func, select

from proconnect.extensions import db
from proconnect.responses.models import Response
from staff_helpers import people, seed, staff  # noqa: F401
from test_kiosk import kiosk_link, queued  # noqa: F401


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Response.id)))


def test_a_nul_byte_in_an_answer_is_refused_with_a_clear_400_and_nothing_is_stored(app, filler, make_link):
    form = filler(make_link())
    form.open(lang="en")
    page = form.post({"name": "Sa\x00mi", "story": "eins\x01zwei", "trade": "wood", "consent": "y"}, nav="submit")
    assert page.status_code == 400
    assert "Please go back, check your answers and send them again." in page.get_data(as_text=True)
    assert stored(app) == 0


def test_tabs_and_line_breaks_in_a_long_answer_are_kept(app, filler, make_link):
    form = filler(make_link())
    form.open()
    page = form.post({"name": "Sami", "story": "eins\r\n\tzwei", "trade": "wood"})
    assert page.status_code in (200, 303)


def test_a_nul_byte_or_control_character_in_the_address_is_a_400(client, make_link):
    token = make_link()
    client.set_cookie("lang", "en")
    for url in ("/f/abc%00", f"/f/{token}%01", f"/f/{token}?lang=%00", f"/f/{token}?%1b=1"):
        page = client.get(url)
        assert page.status_code == 400, url
        assert "Please check the address or scan the QR code again." in page.get_data(as_text=True)


def test_a_nul_byte_in_a_staff_filter_is_a_400(people, staff):  # noqa: F811
    admin = staff("admin1")
    assert admin.get("/staff/audit", query_string={"actor": "\x00"}).status_code == 400
    coordinator = staff("coord1")
    assert coordinator.get("/staff/cohorts/ol-2027/responses", query_string={"form": "\x00"}).status_code == 400


def test_a_queued_kiosk_item_with_a_nul_byte_is_refused_for_good_in_json(app, client, kiosk_link):  # noqa: F811
    refused = queued(client, kiosk_link(), name="Sa\x00mi")
    # Not a 5xx: the tablet keeps the item for staff and sends the next one instead of retrying forever.
    assert refused.status_code == 400 and refused.json["status"] == "invalid" and refused.json["message"]
    assert stored(app) == 0


def test_staff_pages_and_downloads_are_never_cached(people, seed, staff):  # noqa: F811
    seed(people["ol-2027"])
    coordinator = staff("coord1")
    for url in ("/staff/cohorts/ol-2027", "/staff/cohorts/ol-2027/responses?form=everything",
                "/reports/ol-2027/responses.csv?form=everything"):
        answer = coordinator.get(url)
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store", url
    xlsx = coordinator.get("/reports/ol-2027/responses.xlsx")
    xlsx.close()
    assert xlsx.headers["Cache-Control"] == "no-store"


def test_a_public_form_page_keeps_its_caching(client, make_link):
    page = client.get(f"/f/{make_link()}")
    assert page.status_code == 200 and "no-store" not in page.headers.get("Cache-Control", "")


def test_broken_utf8_anywhere_in_a_sent_form_is_a_400_and_whole_characters_are_taken(app, client, make_link):
    token = make_link()
    broken = (b"name=%ff%fe&_nav=next", b"%c3=Sami&_nav=next",  # in a value, in a name
              b"name=Sa%c3&story=%a4mi&_nav=next",  # a character cut in two between two answers
              b"name=Sa%e2%82&_nav=next", b"name=S\xc3\xa4mi&_nav=next")  # cut short at the end; not encoded
    for body in broken:
        page = client.post(f"/f/{token}", data=body, content_type="application/x-www-form-urlencoded")
        assert page.status_code == 400, body
    page = client.post(f"/f/{token}", data=b"name=S%C3%A4mi+%E2%82%AC&_key=" + b"k" * 24 + b"&_nav=next",
                       content_type="application/x-www-form-urlencoded")
    assert page.status_code == 200 and "Sämi €" in page.get_data(as_text=True)
    assert stored(app) == 0
