"""Read-aloud recordings made in the browser: the texts a person hears, recording, coverage, what the kiosk plays,
a changed text, invitation links for volunteers, and every way an upload is refused."""
from __future__ import annotations

import html
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import Session

from proconnect.audit.models import AuditEvent
from proconnect.definitions import forms_registry
from proconnect.definitions.model import Field, FormDefinition, Page
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.models_util import utcnow
from proconnect.recordings.models import Recording, RecordingInvitation
from proconnect.recordings.texts import spoken_texts
from conftest import FIXTURE_FORMS
from form_folders import copy_of
from staff_helpers import CSRF, people, staff  # noqa: F401

#: The first bytes of what Chrome's MediaRecorder makes (EBML header of a webm file), and of Firefox's (Ogg).
WEBM = b"\x1a\x45\xdf\xa3" + b"\x9f\x42\x86\x81\x01" + bytes(400)
OGG = b"OggS" + bytes(300)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(300)
PAGE = "/staff/forms/everything/v1/recordings"


def _take(data=WEBM, mimetype="audio/webm;codecs=opus"):
    return {"audio": (io.BytesIO(data), "take", mimetype)}


def _token(browser, url):
    return CSRF.search(browser.get(url).get_data(as_text=True)).group(1)


def _send(browser, url, page, data=WEBM, mimetype="audio/webm;codecs=opus", as_json=True):
    """POST a take as recorder.js does (multipart, CSRF header, asking for JSON)."""
    token = _token(browser, page)
    headers = {"X-CSRFToken": token, "Accept": "application/json"} if as_json else {}
    body = {**_take(data, mimetype)} if as_json else {**_take(data, mimetype), "csrf_token": token}
    return browser.client.post(url, data=body, headers=headers, content_type="multipart/form-data")


def _kiosk_audio(client, app, make_link, form_id="everything", version=None, lang="ps") -> dict:
    token = make_link(form_id, version=version, language="de", kiosk=True)
    with app.app_context():
        db.session.scalar(select(Link).filter_by(token=token)).set_pin("4711")
        db.session.commit()
    page = client.get(f"/f/{token}?lang={lang}").get_data(as_text=True)
    return json.loads(html.unescape(re.search(r'data-audio="([^"]*)"', page).group(1)))


def test_the_page_lists_every_text_a_person_hears_titles_questions_choices_rows_help(app):
    with app.test_request_context():
        texts = {s.key: s for s in spoken_texts(forms_registry(app).get("everything", 1), "de")}
    assert texts["form-title"].text == "Alle Feldtypen" and texts["form-description"].kind == "text"
    assert texts["page-1"].text == "Seite zwei" and texts["page-1"].kind == "title"
    assert texts["trade"].text == "Beruf" and texts["trade.metal"].text == "Metall"
    assert texts["skills.weld"].text == "Schweißen"
    # A scale's labelled ends are heard; its bare numbers are not texts to record.
    assert texts["likes_building.1"].text == "gar nicht" and "likes_building.2" not in texts
    assert texts["often.saw"].kind == "row"
    assert texts["consent-text"].kind == "text"
    assert texts["licence.yes"].text == "Ja" and texts["info"].text == "Fast fertig."
    assert all(s.translated for s in texts.values())
    # Help under a question, and a note's text under its title.
    years = Field(id="years", type="number", line=1, label="Jahre", help="Ungefähr reicht.")
    note = Field(id="hint", type="note", line=2, label="Hinweis", text="Bitte ehrlich antworten.")
    small = FormDefinition(id="small", version=1, title="Klein", path="", content_hash="", fields=(years, note),
                           pages=(Page(0, "Klein", (years, note)),))
    with app.test_request_context():
        assert [(s.key, s.kind, s.text) for s in spoken_texts(small, "de")] == [
            ("form-title", "title", "Klein"), ("years", "question", "Jahre"), ("years-help", "help", "Ungefähr reicht."),
            ("hint", "question", "Hinweis"), ("hint-text", "text", "Bitte ehrlich antworten.")]


def test_a_coordinator_records_a_text_and_the_kiosk_plays_it(app, people, staff, client, make_link):  # noqa: F811
    coordinator = staff("coord1")
    page = coordinator.get(f"{PAGE}/ps").get_data(as_text=True)
    total = page.count('class="take"')
    assert f"<strong data-covered>0</strong> of <span data-total>{total}</span> texts have a recording." in page
    assert 'lang="de" dir="ltr">Beruf</p>' in page and "Not translated yet" in page
    assert _kiosk_audio(client, app, make_link) == {}

    answer = _send(coordinator, f"{PAGE}/ps/trade", f"{PAGE}/ps")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["status"] == "ok" and body["covered"] == 1 and body["total"] == total
    assert re.fullmatch(r"/recordings/everything/ps/trade\.[0-9a-f]{8}\.webm", body["url"])
    stored = Path(app.instance_path) / "recordings" / "everything" / "ps" / body["url"].rsplit("/", 1)[1]
    assert stored.read_bytes() == WEBM

    page = coordinator.get(f"{PAGE}/ps").get_data(as_text=True)
    assert f"<strong data-covered>1</strong> of <span data-total>{total}</span>" in page
    assert f'src="{body["url"]}"' in page
    served = client.get(body["url"])
    assert served.status_code == 200 and served.mimetype == "audio/webm" and served.data == WEBM
    served.close()
    assert _kiosk_audio(client, app, make_link) == {"trade": body["url"]}
    # Other languages play nothing of it.
    assert _kiosk_audio(client, app, make_link, lang="ti") == {}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).filter_by(action="recording_saved"))
        assert event.actor == "coord1" and event.target == "recording everything/ps/trade"

    # Record again: the new take replaces the old one (file and address).
    again = _send(coordinator, f"{PAGE}/ps/trade", f"{PAGE}/ps", data=OGG, mimetype="audio/ogg;codecs=opus").get_json()
    assert again["url"].endswith(".ogg") and again["covered"] == 1 and not stored.exists()
    assert _kiosk_audio(client, app, make_link) == {"trade": again["url"]}

    # Delete (a plain form, as the page has it).
    deleted = coordinator.post(f"{PAGE}/ps/trade/delete", follow_redirects=True).get_data(as_text=True)
    assert "Recording deleted." in deleted and "<strong data-covered>0</strong>" in deleted
    assert _kiosk_audio(client, app, make_link) == {}
    assert client.get(again["url"]).status_code == 404


def test_a_recording_made_here_wins_over_a_shipped_file(app, people, staff, client, make_link, tmp_path,  # noqa: F811
                                                        forms_dir):
    shipped = Path(forms_dir) / "everything" / "audio" / "ps" / "name.ogg"
    assert shipped.is_file()
    assert _kiosk_audio(client, app, make_link) == {"name": "/assets/everything/audio/ps/name.ogg"}
    url = _send(staff("coord1"), f"{PAGE}/ps/name", f"{PAGE}/ps").get_json()["url"]
    assert _kiosk_audio(client, app, make_link) == {"name": url}


@pytest.fixture
def forms_dir(request, tmp_path):
    """The fixture forms, plus a shipped Pashto file for "name" (for the test that asks for it)."""
    folder = copy_of(FIXTURE_FORMS, tmp_path)
    if request.node.name.startswith("test_a_recording_made_here_wins"):
        (folder / "everything" / "audio" / "ps").mkdir(parents=True)
        (folder / "everything" / "audio" / "ps" / "name.ogg").write_bytes(OGG)
    return folder


def test_a_changed_text_needs_a_new_recording_and_the_old_one_is_not_played_for_it(app, people, staff,  # noqa: F811
                                                                                 client, make_link):
    coordinator = staff("coord1")
    v1 = "/staff/forms/survey/v1/recordings"
    url = _send(coordinator, f"{v1}/ps/rating", f"{v1}/ps").get_json()["url"]
    # v2 asks "Wie hat es Ihnen gefallen?" where v1 asked "Wie war es?".
    page = coordinator.get("/staff/forms/survey/v2/recordings/ps").get_data(as_text=True)
    assert "Needs a new recording" in page
    assert 'The recording was made for an earlier wording: <q lang="ps" dir="rtl">Wie war es?</q>' in page
    assert _kiosk_audio(client, app, make_link, "survey", version=2) == {}
    assert _kiosk_audio(client, app, make_link, "survey", version=1) == {"rating": url}
    overview = coordinator.get("/staff/forms/survey/v2/recordings").get_data(as_text=True)
    assert re.search(r'<td lang="ps">پښتو</td><td class="num">0 of \d+</td>\s*<td class="num">1</td>', overview)
    # Recorded for v2: both versions play their own take.
    url2 = _send(coordinator, "/staff/forms/survey/v2/recordings/ps/rating",
                 "/staff/forms/survey/v2/recordings/ps").get_json()["url"]
    assert _kiosk_audio(client, app, make_link, "survey", version=2) == {"rating": url2}
    assert _kiosk_audio(client, app, make_link, "survey", version=1) == {"rating": url}


@pytest.mark.parametrize("data, mimetype", [
    (PNG, "audio/webm"),               # a picture sent as sound
    (WEBM, "video/webm"),              # a video
    (b"<script>alert(1)</script>", "audio/ogg"),
    (OGG, "text/html"),
], ids=["png-as-webm", "video", "html-as-ogg", "declared-html"])
def test_what_is_not_browser_audio_is_refused_with_a_message(app, people, staff, data, mimetype):  # noqa: F811
    coordinator = staff("coord1")
    answer = _send(coordinator, f"{PAGE}/ps/trade", f"{PAGE}/ps", data=data, mimetype=mimetype)
    assert answer.status_code == 400
    assert answer.get_json()["message"] == ("This is not a sound recording the app can keep. Record again here, "
                                            "or upload a webm, ogg or m4a (mp4) sound file.")
    with app.app_context():
        assert db.session.scalar(select(Recording)) is None
    assert not (Path(app.instance_path) / "recordings" / "everything" / "ps").exists() or \
        not any((Path(app.instance_path) / "recordings" / "everything" / "ps").iterdir())


def test_an_empty_a_too_long_and_a_missing_take_get_clear_messages_never_a_500(app, people, staff):  # noqa: F811
    # Small enough for the test client to build the requests in memory (it spools larger ones to files).
    app.config["RECORDING_MAX_BYTES"] = 100 * 1024
    coordinator = staff("coord1")
    too_long = "The recording is too long (more than 0.1 MB). Please record a shorter take."
    # Over the limit, within what the request may carry: the take's own check.
    answer = _send(coordinator, f"{PAGE}/ps/trade", f"{PAGE}/ps", data=WEBM + bytes(100 * 1024))
    assert (answer.status_code, answer.get_json()["message"]) == (400, too_long)
    # Far over it: the request itself is cut off (the page's script says the take is too long).
    answer = _send(coordinator, f"{PAGE}/ps/trade", f"{PAGE}/ps", data=WEBM + bytes(300 * 1024))
    assert answer.status_code == 413 and "Too much data" in answer.get_data(as_text=True)
    answer = _send(coordinator, f"{PAGE}/ps/trade", f"{PAGE}/ps", data=b"")
    assert answer.get_json()["message"] == "The recording is empty. Check that the microphone is allowed and record again."
    # The page's own upload form, without a file, without JavaScript: the page again with the message.
    page = coordinator.post(f"{PAGE}/ps/trade", data={}, follow_redirects=True).get_data(as_text=True)
    assert "No recording arrived. Please record again." in page
    # Without the CSRF token: refused, nothing kept.
    answer = coordinator.client.post(f"{PAGE}/ps/trade", data=_take(), content_type="multipart/form-data")
    assert answer.status_code == 400
    # A text the version does not have, a language the app does not know.
    assert _send(coordinator, f"{PAGE}/ps/nonsense", f"{PAGE}/ps").status_code == 404
    assert coordinator.get(f"{PAGE}/xx").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Recording)) is None


def test_an_invitation_opens_one_language_only_and_is_revocable(app, people, staff, client):  # noqa: F811
    coordinator = staff("coord1")
    coordinator.post(f"{PAGE}/invitations", data={"language": "ps", "note": "Sprachtandem Paschtu"})
    overview = coordinator.get(PAGE).get_data(as_text=True)
    link = re.search(r'<span class="url">http://127.0.0.1:5000(/record/[^<]+)</span>', overview).group(1)
    assert "Sprachtandem Paschtu" in overview

    volunteer = type(coordinator)(app.test_client())  # no account, no sign-in
    page = volunteer.get(link)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert "Read-aloud in پښتو" in page.get_data(as_text=True)
    answer = _send(volunteer, f"{link}/trade", link)
    assert answer.status_code == 200 and answer.get_json()["covered"] == 1
    with app.app_context():
        recording = db.session.scalar(select(Recording))
        invitation = db.session.scalar(select(RecordingInvitation))
        assert (recording.language, recording.invitation_id, recording.account_id) == ("ps", invitation.id, None)
        event = db.session.scalar(select(AuditEvent).filter_by(action="recording_saved"))
        assert event.actor == "-" and event.details == {"size": len(WEBM), "invitation": invitation.id}
        assert db.session.scalar(select(AuditEvent).filter_by(action="recording_invitation_created")).details[
            "language"] == "ps"
    # It opens nothing else: not the staff pages of other languages, not a made-up or altered link.
    assert volunteer.get(f"{PAGE}/ti").status_code == 302
    assert volunteer.client.post(f"{PAGE}/ti/trade", data=_take()).status_code in (302, 400)
    assert "This invitation link does not work" in volunteer.get(link[:-3] + "abc").get_data(as_text=True)

    coordinator.post(f"/staff/recordings/invitations/{invitation.id}/revoke")
    gone = volunteer.get(link)
    assert gone.status_code == 404 and "Please ask the coordinator for a new one." in gone.get_data(as_text=True)
    assert volunteer.client.post(f"{link}/trade", data=_take()).status_code in (400, 404)
    with app.app_context():
        assert db.session.scalar(select(Recording)) is not None, "recordings made with it stay"
        assert db.session.scalar(select(AuditEvent).filter_by(action="recording_invitation_revoked")) is not None


def test_an_expired_invitation_opens_nothing(app, people, staff):  # noqa: F811
    coordinator = staff("coord1")
    coordinator.post(f"{PAGE}/invitations", data={"language": "ti"})
    link = re.search(r"http://127.0.0.1:5000(/record/[^<]+)<", coordinator.get(PAGE).get_data(as_text=True)).group(1)
    with app.app_context():
        db.session.scalar(select(RecordingInvitation)).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert staff().get(link).status_code == 404
    assert "expired" in coordinator.get(PAGE).get_data(as_text=True)


def test_two_first_takes_of_one_text_at_the_same_moment_keep_one_and_say_so(app, people, staff):  # noqa: F811
    """Another volunteer's take is committed between this take's check and its commit."""
    coordinator = staff("coord1")
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])

    def the_other_take(session):
        with app.app_context(), app.test_request_context():
            definition = forms_registry(app).get("everything", 1)
            digest = next(s.digest for s in spoken_texts(definition, "ps") if s.key == "trade")
        with other.begin() as conn:
            conn.execute(text("INSERT INTO recording (form_id, language, key, text_digest, text, filename, mimetype, "
                              "size, created_at) VALUES ('everything', 'ps', 'trade', :d, 'Beruf', 'trade.00000000.ogg', "
                              "'audio/ogg', 1, CURRENT_TIMESTAMP)"), {"d": digest})

    token = _token(coordinator, f"{PAGE}/ps")
    event.listen(Session, "before_commit", the_other_take, once=True)
    try:
        answer = coordinator.client.post(f"{PAGE}/ps/trade", data=_take(), content_type="multipart/form-data",
                                         headers={"X-CSRFToken": token, "Accept": "application/json"})
    finally:
        other.dispose()
    assert answer.status_code == 409
    assert answer.get_json()["message"].startswith("Someone else saved a take of this text at the same moment.")
    with app.app_context():
        assert [r.filename for r in db.session.scalars(select(Recording))] == ["trade.00000000.ogg"]
    folder = Path(app.instance_path) / "recordings" / "everything" / "ps"
    assert not folder.exists() or not any(folder.iterdir()), "the refused take's file is gone"
