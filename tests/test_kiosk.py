"""Kiosk mode on the server side: the language choice, the offline queue's endpoint, the staff PIN."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from proconnect.distribution import pin_guard
from proconnect.links.models import Kiosk, Link
from proconnect.extensions import db
from proconnect.models_util import utcnow
from proconnect.responses.models import Response

QUEUE = {"X-Proconnect-Queue": "1"}
#: Tablet ids as kiosk.js makes them (24 random bytes, URL-safe Base64).
TABLET, OTHER_TABLET = "tAbLeT-0001_" + "a" * 20, "tAbLeT-0002_" + "b" * 20
ANSWERS = {"participant_code": "", "name": "Sami", "trade": "metal", "metal_detail": "Geländer",
           "skills": "weld", "likes_building": "3", "licence": "yes", "often__saw": "4", "often__drill": "1",
           "consent": "y"}


@pytest.fixture
def kiosk_link(app, make_link):
    """Factory: a kiosk link with PIN 4711; :return: its token."""
    def make(**kw):
        token = make_link(language="de", kiosk=True, **kw)
        with app.app_context():
            link = db.session.scalar(select(Link).filter_by(token=token))
            link.set_pin("4711")
            db.session.commit()
        return token
    return make


def responses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Response.id)))


def unlock(client, token, pin, tablet=""):
    """Type ``pin`` into the staff screen as a person would (the page's CSRF token included; kiosk.js writes in
    the ``tablet``'s id)."""
    page = client.get(f"/f/{token}/staff").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(f"/f/{token}/staff", data={"pin": pin, "csrf_token": csrf, "_kiosk": tablet})


def opened(response) -> bool:
    return response.status_code == 200 and "Kiosk-Modus verlassen" in response.get_data(as_text=True)


class Clock:
    """The PIN guard's clock, moved on by the test."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(pin_guard, "guard", pin_guard.PinGuard(clock))
    return clock


def queued(client, token, key="k" * 24, headers=QUEUE, **changes):
    body = {**ANSWERS, "_key": key, "_nav": "submit", "_lang": "ar", "_kiosk": TABLET, "_pending": "0",
            **changes}
    return client.post(f"/f/{token}/sync", data={k: v for k, v in body.items() if v is not None}, headers=headers)


def test_a_kiosk_starts_with_the_language_choice_by_native_name_in_the_links_language(client, kiosk_link):
    token = kiosk_link()
    client.set_cookie("lang", "fa")  # the previous person's choice
    page = client.get(f"/f/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="de" dir="ltr">' in html
    assert "<h1>Wählen Sie Ihre Sprache</h1>" in html
    for code, name in (("ar", "العربية"), ("ti", "ትግርኛ"), ("uk", "Українська")):
        assert f'href="/f/{token}?lang={code}"' in html and name in html
    assert 'lang="ar" dir="rtl"' in html
    assert "lang=;" in page.headers["Set-Cookie"] and "Expires=Thu, 01 Jan 1970" in page.headers["Set-Cookie"]


def test_a_kiosk_page_leads_nowhere_but_the_form_and_the_pin_screen(client, kiosk_link):
    token = kiosk_link()
    for url in (f"/f/{token}", f"/f/{token}?lang=ar", f"/f/{token}/staff"):
        html = client.get(url).get_data(as_text=True)
        targets = set(re.findall(r'href="([^"]+)"', html)) - {"#languages"}
        assert all(t.startswith(f"/f/{token}") or t.startswith("/static/") for t in targets), (url, targets)


def test_a_kiosk_form_page_carries_every_other_page_for_the_script(client, kiosk_link):
    html = client.get(f"/f/{kiosk_link()}?lang=en").get_data(as_text=True)
    assert html.count('<template class="kiosk-template" data-page="1">') == 1
    assert 'data-show-if="[&#34;==&#34;,[&#34;field&#34;,&#34;trade&#34;],[&#34;lit&#34;,&#34;metal&#34;]]"' in html
    assert 'name="often__saw"' in html and 'data-reset="12"' in html


def test_without_javascript_a_kiosk_form_posts_page_by_page_and_returns_to_the_languages(app, filler, kiosk_link):
    token = kiosk_link(kiosk_reset_seconds=5)
    form = filler(token)
    form.open(lang="en")
    form.post({k: ANSWERS[k] for k in ("participant_code", "name", "trade", "metal_detail", "skills")})
    done = form.post({k: v for k, v in ANSWERS.items() if k in ("likes_building", "licence", "often__saw",
                                                                  "often__drill", "consent")}, nav="submit")
    assert done.status_code == 303 and responses(app) == 1
    thanks = form.client.get(done.headers["Location"]).get_data(as_text=True)
    assert f'<meta http-equiv="refresh" content="5;url=/f/{token}">' in thanks


def heartbeat(client, token, device=TABLET, pending="0", **extra):
    return client.post(f"/f/{token}/sync", data={"_kiosk": device, "_pending": pending, **extra}, headers=QUEUE)


def tablets(app) -> list[Kiosk]:
    with app.app_context():
        return db.session.scalars(select(Kiosk).order_by(Kiosk.id)).all()


def test_a_queued_submission_is_stored_once_and_a_resend_is_answered_duplicate(app, client, kiosk_link):
    token = kiosk_link()
    first = queued(client, token)
    assert first.status_code == 200 and first.get_json() == {"status": "stored"}
    again = queued(client, token)
    assert again.status_code == 200 and again.get_json() == {"status": "duplicate"}
    assert responses(app) == 1
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert (response.language, response.payload["answers"]["metal_detail"]) == ("ar", "Geländer")
        kiosk = db.session.scalar(select(Kiosk))
        assert (kiosk.device, kiosk.received, kiosk.pending) == (TABLET, 1, 0)
        assert kiosk.last_sync_at is not None


def test_a_queued_submission_needs_no_session_but_the_queue_header(app, client, kiosk_link):
    token = kiosk_link()
    assert queued(client, token, headers={}).status_code == 403
    assert queued(client, token, headers={**QUEUE, "Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert responses(app) == 0


def test_a_queued_submission_with_a_missing_answer_is_refused_with_its_page(app, client, kiosk_link):
    refused = queued(client, kiosk_link(), consent=None)
    assert refused.status_code == 422
    assert refused.get_json()["status"] == "invalid" and refused.get_json()["page"] == 1
    assert list(refused.get_json()["errors"]) == ["consent"]
    assert responses(app) == 0


def test_a_queued_submission_for_a_closed_link_gets_the_translated_reason(app, client, kiosk_link):
    refused = queued(client, kiosk_link(closes_at=utcnow() - timedelta(hours=1)), _lang="en")
    assert refused.status_code == 410
    assert refused.get_json() == {"status": "closed", "final": True,
                                  "message": "This form is closed. It does not take answers any more."}
    assert responses(app) == 0


def test_a_queued_submission_for_a_link_not_open_yet_is_to_be_sent_again_later(app, client, kiosk_link):
    later = queued(client, kiosk_link(opens_at=utcnow() + timedelta(hours=1)), _lang="en")
    assert later.status_code == 403 and later.get_json()["final"] is False
    assert responses(app) == 0


def test_forged_tokens_and_web_links_have_no_queue(client, make_link):
    assert queued(client, "forged-token-000000000000").status_code == 404
    assert queued(client, make_link()).status_code == 404


def test_a_kiosk_link_can_be_installed_on_a_tablets_home_screen_and_opens_full_screen(client, kiosk_link):
    token = kiosk_link()
    page = client.get(f"/f/{token}").get_data(as_text=True)
    assert f'<link rel="manifest" href="/f/{token}/manifest.webmanifest">' in page
    reply = client.get(f"/f/{token}/manifest.webmanifest")
    assert reply.status_code == 200 and reply.mimetype == "application/manifest+json"
    manifest = reply.get_json(force=True)
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (f"/f/{token}", f"/f/{token}",
                                                                               "fullscreen")
    assert manifest["lang"] == "de" and manifest["name"] == "pro:connect"
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as image:
            assert image.status_code == 200
            data = image.data
        with Image.open(io.BytesIO(data)) as picture:
            assert f"{picture.width}x{picture.height}" == icon["sizes"] and picture.format == "PNG"
    # Every page of a form, and the form page itself, carries it (a person may add the link on any screen).
    assert "manifest.webmanifest" in client.get(f"/f/{token}?lang=ar").get_data(as_text=True)


def test_only_a_kiosk_link_has_a_manifest(client, make_link):
    assert client.get(f"/f/{make_link()}/manifest.webmanifest").status_code == 404
    assert client.get("/f/forged-token-000000000000/manifest.webmanifest").status_code == 404


def test_the_browsers_icon_request_finds_an_icon(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
        data = icon.data
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "ICO"


def screen_checked(client, token, page, headers=QUEUE, **answers):
    body = {"_page": page, "_lang": "en", **answers}
    return client.post(f"/f/{token}/check", data=body, headers=headers)


def test_a_screen_is_checked_as_the_sent_form_will_be_and_nothing_is_stored(app, client, kiosk_link):
    token = kiosk_link()
    words = screen_checked(client, token, "0", name="Sami", years="drei", trade="wood", skills="measure")
    assert words.status_code == 422
    assert words.get_json() == {"status": "invalid", "page": 0,
                                "errors": {"years": ["Please enter a number, for example 3 or 2.5."]}}
    fine = screen_checked(client, token, "0", name="Sami", years="3", trade="wood", skills="measure")
    assert fine.status_code == 200 and fine.get_json() == {"status": "ok"}
    # Only the screen asked about: page 2's missing consent is for later.
    assert screen_checked(client, token, "0", **{k: v for k, v in ANSWERS.items() if k != "consent"}).status_code == 200
    assert responses(app) == 0


def test_a_screen_check_answers_in_the_persons_language(client, kiosk_link):
    errors = screen_checked(client, kiosk_link(), "0", _lang="ar", name="", trade="wood").get_json()["errors"]
    assert list(errors) == ["name"] and errors["name"] != ["Please answer this question."]


@pytest.mark.parametrize("page", ["7", "-1", "x", ""])
def test_a_screen_check_of_a_page_the_form_has_not_is_refused(client, kiosk_link, page):
    refused = screen_checked(client, kiosk_link(), page, name="Sami")
    assert refused.status_code == 400 and refused.get_json()["status"] == "invalid"


def test_a_screen_check_needs_the_queue_header_a_kiosk_and_an_open_link(client, kiosk_link, make_link):
    token = kiosk_link()
    assert screen_checked(client, token, "0", headers={}).status_code == 403
    assert screen_checked(client, token, "0", headers={**QUEUE, "Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert screen_checked(client, make_link(), "0").status_code == 404
    assert screen_checked(client, "forged-token-000000000000", "0").status_code == 404
    closed = screen_checked(client, kiosk_link(closes_at=utcnow() - timedelta(hours=1)), "0", name="Sami")
    assert closed.status_code == 410 and closed.get_json()["status"] == "closed"
    assert screen_checked(client, token, "0", name="Sami", forged="1").status_code == 400


def test_a_heartbeat_shows_staff_which_tablets_synced(app, client, kiosk_link):
    token = kiosk_link()
    beat = heartbeat(client, token, OTHER_TABLET, pending="3")
    assert beat.get_json() == {"status": "heartbeat"}
    page = unlock(client, token, "4711").get_data(as_text=True)
    assert "tAbLeT-0" in page and "<td>3</td>" in page


@pytest.mark.parametrize("dates, status, message", [
    ({"revoked_at": utcnow()}, 410, "This link was switched off by the project team."),
    ({"closes_at": utcnow() - timedelta(hours=1)}, 410, "This form is closed. It does not take answers any more."),
    ({"opens_at": utcnow() + timedelta(days=1)}, 403, "This form is not open yet. Please come back later."),
])
def test_a_switched_off_closed_or_not_yet_open_link_takes_no_heartbeat(app, client, kiosk_link, dates, status,
                                                                        message):
    beat = heartbeat(client, kiosk_link(**dates), pending="5000000", _lang="en")
    assert beat.status_code == status
    assert beat.get_json() == {"status": "closed", "message": message, "final": status != 403}
    assert tablets(app) == []


def test_a_tablet_cannot_claim_more_waiting_answers_than_a_tablet_holds(app, client, kiosk_link):
    token = kiosk_link()
    assert heartbeat(client, token, pending="5000000").status_code == 200
    assert heartbeat(client, token, OTHER_TABLET, pending="-7").status_code == 200
    assert [k.pending for k in tablets(app)] == [app.config["KIOSK_MAX_PENDING"], 0] == [1000, 0]


def test_a_link_registers_no_more_tablets_than_its_limit_but_still_takes_their_answers(app, client, kiosk_link):
    token = kiosk_link()
    fakes = [f"fake-tablet-{n:04d}".ljust(32, "x") for n in range(52)]
    answers = [heartbeat(client, token, device, pending="99999", _lang="en") for device in fakes]
    assert [a.status_code for a in answers] == [200] * 20 + [403] * 32
    assert answers[-1].get_json() == {"status": "refused",
                                      "message": "This link takes no more tablets. Please tell the project team."}
    assert len(tablets(app)) == 20 and sum(k.pending for k in tablets(app)) == 20 * 1000
    # A form finished on a tablet beyond the limit is not lost.
    assert queued(client, token, _kiosk=OTHER_TABLET).get_json() == {"status": "stored"}
    assert responses(app) == 1 and len(tablets(app)) == 20


@pytest.mark.parametrize("device", ["", "tablet-0001", "x" * 33, "ä" * 32, "a" * 31 + "/", "a" * 31 + "\n"])
def test_a_heartbeat_needs_a_tablet_id_of_the_shape_kiosk_js_makes(app, client, kiosk_link, device):
    token = kiosk_link()
    beat = heartbeat(client, token, device)
    assert beat.status_code == 400 and beat.get_json()["status"] == "invalid"
    if device:
        assert queued(client, token, _kiosk=device).status_code == 400
    assert tablets(app) == [] and responses(app) == 0


def test_the_pin_screen_lets_out_only_with_the_right_pin(client, kiosk_link, clock):
    token = kiosk_link()
    locked = client.get(f"/f/{token}/staff")
    assert locked.status_code == 200 and 'type="password"' in locked.get_data(as_text=True)
    assert 'name="_kiosk" id="kiosk-device"' in locked.get_data(as_text=True)
    wrong = unlock(client, token, "1234")
    assert wrong.status_code == 403 and "Diese PIN ist nicht richtig." in wrong.get_data(as_text=True)
    assert "Kiosk-Modus verlassen" not in wrong.get_data(as_text=True)
    assert opened(unlock(client, token, "4711"))


def test_a_stranger_tapping_wrong_pins_on_one_tablet_locks_the_staff_out_of_nothing(client, kiosk_link, clock):
    token = kiosk_link()
    for tablet in (TABLET, OTHER_TABLET):
        heartbeat(client, token, tablet)
    tapped = [unlock(client, token, f"{n:04d}", tablet=TABLET).status_code for n in range(20)]
    assert tapped == [403] * 3 + [429] * 17
    # Staff get in at once on another tablet, and on the tapped one after a short wait.
    assert opened(unlock(client, token, "4711", tablet=OTHER_TABLET))
    waiting = unlock(client, token, "4711", tablet=TABLET)
    assert waiting.status_code == 429 and waiting.headers["Retry-After"] == "5"
    assert "Zu viele falsche PINs. Bitte versuchen Sie es in 5 s noch einmal." in waiting.get_data(as_text=True)
    clock.advance(5)
    assert opened(unlock(client, token, "4711", tablet=TABLET))


def wrong_pins_waiting(client, token, tablet, count: int, clock: Clock) -> list[int]:
    """Type ``count`` wrong PINs on ``tablet``, waiting whenever asked to; :return: the waits asked for."""
    waits = []
    for n in range(count):
        answer = unlock(client, token, f"{n:06d}", tablet=tablet)
        if answer.status_code == 429:
            waits.append(int(answer.headers["Retry-After"]))
            clock.advance(waits[-1])
            answer = unlock(client, token, f"{n:06d}", tablet=tablet)
        assert answer.status_code == 403
    return waits


def test_each_further_wrong_pin_on_a_tablet_waits_twice_as_long_up_to_a_minute(client, kiosk_link, clock):
    token = kiosk_link()
    heartbeat(client, token)
    assert wrong_pins_waiting(client, token, TABLET, 9, clock) == [5, 10, 20, 40, 60, 60]


def test_tries_sent_all_at_once_get_no_more_than_the_free_ones(clock):
    # Each try is counted before its PIN is checked (a check takes a while: the PIN is hashed).
    assert [pin_guard.guard.attempt("token", TABLET) for _ in range(10)] == [0] * 3 + [5] * 7


def test_a_guesser_gains_no_tries_from_made_up_tablet_ids(client, kiosk_link, clock):
    token = kiosk_link()
    heartbeat(client, token)
    made_up = [f"made-up-{n}".ljust(32, "x") for n in range(5)]
    assert [unlock(client, token, f"{n:04d}", tablet=t).status_code for n, t in enumerate(made_up)] == \
        [403] * 3 + [429] * 2
    assert unlock(client, token, "0005").status_code == 429  # nor from none
    # The registered tablet is not slowed by them.
    assert opened(unlock(client, token, "4711", tablet=TABLET))


def test_a_link_guessed_at_on_many_tablets_makes_every_wait_grow_to_ten_minutes(client, kiosk_link, clock,
                                                                                 monkeypatch):
    # 100 wrong PINs in an hour, scaled down (each check of a PIN hashes it, slowly on purpose).
    monkeypatch.setattr(pin_guard, "UNDER_ATTACK", 10)
    token = kiosk_link()
    fakes = [f"fake-tablet-{n:04d}".ljust(32, "x") for n in range(4)]
    for tablet in fakes + [TABLET]:
        heartbeat(client, token, tablet)
    for tablet in fakes[1:]:
        wrong_pins_waiting(client, token, tablet, 3, clock)  # 9 wrong PINs, none of them waited for
    assert wrong_pins_waiting(client, token, fakes[0], 12, clock) == [5, 10, 20, 40, 80, 160, 320, 600, 600]
    # The right PIN still opens after the wait, and at once on a tablet nobody guessed on.
    assert opened(unlock(client, token, "4711", tablet=TABLET))
    assert unlock(client, token, "4711", tablet=fakes[0]).status_code == 429
    clock.advance(600)
    assert opened(unlock(client, token, "4711", tablet=fakes[0]))


def test_the_service_worker_is_served_from_the_root_and_never_cached_stale(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype in ("text/javascript", "application/javascript")
    assert worker.headers["Cache-Control"] == "no-cache" and b"proconnect-kiosk" in worker.data
