"""The staff area's instruments: upload a definition as a draft (TOML or XLSForm, problems on the page), preview
it in any language, rehearse it on a test link, publish it, download any version."""
from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from proconnect.audit.models import AuditEvent
from proconnect.definitions import forms_registry
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.responses.models import WITH_TESTS, FormVersion, Response
from proconnect.xlsform import read_xlsform
from staff_helpers import people, staff  # noqa: F401

SURVEY_V3 = """[form]
id = "survey"
version = 1
title = "Kurze Umfrage"

[[fields]]
id = "rating"
type = "scale"
label = "Wie hat es Ihnen gefallen?"
points = 5
low = "schlecht"
high = "sehr gut"
required = true

[[fields]]
id = "idea"
type = "text"
label = "Was sollen wir besser machen?"
"""


def upload(browser, form_id: str, name: str, content: bytes, **extra):
    return browser.post("/staff/forms/upload", {"form_id": form_id, "file": (io.BytesIO(content), name)},
                        content_type="multipart/form-data", **extra)


def xlsform(rows, choices=(), settings=None) -> bytes:
    """An XLSForm workbook: survey rows (the first is the header), choices, settings."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    for row in rows:
        survey.append(list(row))
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(list(row))
    if settings:
        sheet = book.create_sheet("settings")
        sheet.append(list(settings))
        sheet.append(list(settings.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_instruments_page_lists_every_form_with_its_versions(app, people, staff):
    page = staff("coord1").get("/staff/forms")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<code>everything</code>" in html and "<code>survey</code>" in html
    assert 'href="/staff/forms/survey/v2"' in html and 'href="/staff/forms/survey/v1"' in html
    assert 'href="/staff/forms" aria-current="page"' in html


def test_a_version_page_names_the_form_and_an_unknown_version_is_not_found(app, people, staff):
    browser = staff("coord1")
    html = browser.get("/staff/forms/survey/v1").get_data(as_text=True)
    assert "<code>survey</code>" in html and "v1" in html
    assert browser.get("/staff/forms/survey/v99").status_code == 404
    assert browser.get("/staff/forms/nothing/v1").status_code == 404


def test_an_uploaded_toml_becomes_the_next_draft_which_latest_never_serves(app, people, staff, make_link, filler):
    browser = staff("coord1")
    sent = upload(browser, "survey", "survey.toml", SURVEY_V3.encode())
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/staff/forms/survey/v3")
    saved = Path(app.config["INSTANCE_FORMS_DIR"]) / "survey" / "draft.toml"
    assert 'version = 3' in saved.read_text() and not saved.with_name("v3.toml").exists()
    html = browser.get("/staff/forms/survey/v3").get_data(as_text=True)
    assert "This is a draft" in html and "Publish v3" in html
    with app.app_context():
        registry = forms_registry(app)
        assert registry.get("survey").version == 2 and registry.get("survey", 3).draft
        [event] = db.session.scalars(select(AuditEvent).filter_by(action="draft_uploaded")).all()
        assert event.target == "form survey v3"
    # A link on "always the latest" still serves v2.
    assert 'name="_version" value="2"' in filler(make_link("survey")).open().get_data(as_text=True)


def test_every_problem_of_an_upload_is_shown_with_its_line_and_nothing_is_saved(app, people, staff):
    browser = staff("coord1")
    broken = SURVEY_V3.replace('type = "text"', 'type = "txt"').replace("required = true", 'required = "yes"')
    page = upload(browser, "survey", "mine.toml", broken.encode())
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "2 problems in mine.toml: nothing was saved" in html
    assert "mine.toml:13: rating: &#39;required&#39; must be true or false, got &#39;yes&#39;" in html
    assert "mine.toml:17: idea: unknown field type &#39;txt&#39;" in html
    assert "Traceback" not in html
    # A field id keeps its meaning in every later version, as forms check says.
    page = upload(browser, "survey", "mine.toml", SURVEY_V3.replace("points = 5", "points = 4").encode())
    assert page.status_code == 400
    assert "mine.toml:6: rating: field &#39;rating&#39; had 5 points in v2, now 4 points" in page.get_data(as_text=True)
    assert not (Path(app.config["INSTANCE_FORMS_DIR"]) / "survey").exists()


def test_a_definition_larger_than_a_form_arrives_and_a_too_large_one_is_refused_in_words(app, people, staff):
    browser = staff("coord1")
    # Scaled down (werkzeug's test client spools bodies over 500 KB to unclosed temporary files): a form may
    # carry 50 KB here, a definition 100 KB.
    app.config.update(MAX_CONTENT_LENGTH=50 * 1024, DEFINITION_MAX_BYTES=100 * 1024)
    # Larger than a form may be, under the definition limit: it reaches the converter.
    page = upload(browser, "survey", "big.xlsx", b"PK" + b"0" * (70 * 1024))
    assert page.status_code == 400 and "the file could not be read as an XLSForm" in page.get_data(as_text=True)
    page = upload(browser, "survey", "huge.xlsx", b"PK" + b"0" * (110 * 1024))
    assert page.status_code == 400
    assert "The file is larger than 0.1 MB. A definition is much smaller" in page.get_data(as_text=True)
    # Far beyond (more than twice the limit): the general page, before anything reads the request.
    assert upload(browser, "survey", "vast.xlsx", b"PK" + b"0" * (210 * 1024)).status_code == 413
    assert "survey" not in forms_registry(app).drafts


def test_a_file_that_is_no_definition_is_refused_with_a_message(app, people, staff):
    browser = staff("coord1")
    page = upload(browser, "survey", "notes.txt", b"hello")
    assert page.status_code == 400 and "Upload a definition as .toml or an XLSForm" in page.get_data(as_text=True)
    page = upload(browser, "Bad Id!", "x.toml", b"")
    assert page.status_code == 400 and "The form id must be" in page.get_data(as_text=True)
    page = upload(browser, "survey", "x.toml", b"\xff\xfe broken")
    assert page.status_code == 400 and "x.toml:1: -: TOML syntax error: not UTF-8" in page.get_data(as_text=True)
    page = upload(browser, "survey", "x.xlsx", b"PK not a workbook")
    assert page.status_code == 400 and "file: the file could not be read as an XLSForm" in page.get_data(as_text=True)


ARABIC_FORM = [("type", "name", "label::Deutsch (de)", "label::Arabic (ar)", "required"),
               ("begin group", "about", "Über Sie", "عنك", ""),
               ("integer", "age", "Wie alt sind Sie?", "كم عمرك؟", "yes"),
               ("select_one yn", "work", "Haben Sie gearbeitet?", "هل عملت؟", ""),
               ("end group", "", "", "", "")]
CHOICES = [("list_name", "name", "label::Deutsch (de)", "label::Arabic (ar)"),
           ("yn", "yes", "Ja", "نعم"), ("yn", "no", "Nein", "لا")]


def test_an_xlsform_with_a_problem_is_shown_by_row_and_its_corrected_upload_previews_in_arabic(app, people, staff):
    browser = staff("coord1")
    wrong = [*ARABIC_FORM[:3], ("geopoint", "place", "Wo?", "أين؟", ""), *ARABIC_FORM[3:]]
    page = upload(browser, "welcome", "welcome.xlsx", xlsform(wrong, CHOICES))
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "survey row 4: type &#39;geopoint&#39; is not supported" in html and "(column type)" in html
    sent = upload(browser, "welcome", "welcome.xlsx", xlsform(ARABIC_FORM, CHOICES))
    assert sent.headers["Location"].endswith("/staff/forms/welcome/v1")
    assert "<code>welcome</code>" in browser.get("/staff/forms").get_data(as_text=True)

    preview = browser.get("/staff/forms/welcome/v1/preview?language=ar&page=1").get_data(as_text=True)
    assert preview.count('src="/staff/forms/welcome/v1/preview/frame?language=ar&amp;page=1"') == 2
    assert "preview-frame-tablet" in preview and "preview-frame-phone" in preview
    frame = browser.get("/staff/forms/welcome/v1/preview/frame?language=ar&page=1")
    html = frame.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "كم عمرك؟" in html and "هل عملت؟" in html and "نعم" in html and "Wie alt" not in html
    # Nothing can be sent from a preview, and nothing was stored to show it.
    assert re.search(r'<button type="submit" name="_nav" value="submit" class="button-primary" disabled>', html)
    assert frame.headers["X-Frame-Options"] == "SAMEORIGIN" and "form-action 'none'" in \
        frame.headers["Content-Security-Policy"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Link.id))) == 0
    # The staff pages stay in English: the preview's language is no choice of the staff member's.
    assert "Instruments" in browser.get("/staff/forms").get_data(as_text=True)


def test_a_preview_of_a_page_or_language_that_does_not_exist_is_not_found(app, people, staff):
    browser = staff("coord1")
    assert browser.get("/staff/forms/survey/v1/preview/frame?language=xx&page=1").status_code == 404
    assert browser.get("/staff/forms/survey/v1/preview/frame?language=de&page=9").status_code == 404
    assert browser.get("/staff/forms/survey/v1/preview?language=de&page=0").status_code == 404


def test_publishing_the_draft_makes_it_the_latest_and_pins_its_hash_while_pinned_links_stay(
        app, people, staff, make_link, filler):
    browser = staff("coord1")
    upload(browser, "survey", "survey.toml", SURVEY_V3.encode())
    latest, pinned = make_link("survey"), make_link("survey", version=1)
    with app.app_context():
        draft = forms_registry(app).get("survey", 3)
    stale = browser.post("/staff/forms/survey/v3/publish", {"hash": "0" * 64}, follow_redirects=True)
    assert "replaced or published meanwhile" in stale.get_data(as_text=True)
    page = browser.post("/staff/forms/survey/v3/publish", {"hash": draft.content_hash}, follow_redirects=True)
    assert "v3 of survey is published" in page.get_data(as_text=True)
    folder = Path(app.config["INSTANCE_FORMS_DIR"]) / "survey"
    assert (folder / "v3.toml").is_file() and not (folder / "draft.toml").exists()
    with app.app_context():
        registry = forms_registry(app)
        assert registry.get("survey").version == 3 and not registry.get("survey").draft
        assert registry.get("survey").content_hash == draft.content_hash
        assert db.session.scalar(select(FormVersion.content_hash).filter_by(form_id="survey", version=3)) \
            == draft.content_hash
        assert db.session.scalar(select(AuditEvent.target).filter_by(action="version_published")) == "form survey v3"
    assert 'name="_version" value="3"' in filler(latest).open().get_data(as_text=True)
    assert 'name="_version" value="1"' in filler(pinned).open().get_data(as_text=True)
    # The next upload is v4's draft.
    again = upload(browser, "survey", "survey.toml", SURVEY_V3.encode())
    assert again.headers["Location"].endswith("/staff/forms/survey/v4")


def test_a_draft_is_rehearsed_on_a_test_link_only_and_its_answers_pin_nothing(app, people, staff, filler):
    browser = staff("coord1")
    upload(browser, "survey", "survey.toml", SURVEY_V3.encode())
    page = browser.post("/staff/forms/survey/v3/test-link", {"cohort": "ol-2027", "language": "de"},
                        follow_redirects=True)
    assert "The test link was created" in page.get_data(as_text=True)
    with app.app_context():
        link = db.session.scalar(select(Link))
        assert (link.test, link.version, link.form_id) == (True, 3, "survey")
        token = link.token
    f = filler(token)
    assert 'class="test-banner"' in f.open().get_data(as_text=True)
    assert f.post({"rating": "4", "idea": "Mehr Kaffee"}, nav="submit").status_code == 303
    with app.app_context():
        [stored] = db.session.scalars(select(Response), execution_options=WITH_TESTS).all()
        assert (stored.test, stored.version) == (True, 3)
        assert db.session.scalar(select(func.count(FormVersion.id))) == 0
    # A coordinator of another cohort cannot make one in a cohort that is not theirs.
    other = staff("coord2").post("/staff/forms/survey/v3/test-link", {"cohort": "ol-2027", "language": "de"},
                                 follow_redirects=True)
    assert "Choose one of your cohorts" in other.get_data(as_text=True)
    # A real link cannot serve a draft.
    refused = browser.post("/staff/cohorts/ol-2027/links/new", {"form_id": "survey", "version": "survey:3",
                                                                "language": "de"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Link.id)).where(Link.test.is_(False))) == 0


def test_every_version_downloads_as_its_toml_and_as_an_xlsform_that_imports_to_the_same_definition(
        app, people, staff):
    browser = staff("coord1")
    upload(browser, "welcome", "welcome.xlsx", xlsform(ARABIC_FORM, CHOICES))
    toml = browser.get("/staff/forms/welcome/v1.toml")
    assert toml.status_code == 200 and 'filename="welcome-v1-draft.toml"' in toml.headers["Content-Disposition"]
    with app.app_context():
        draft = forms_registry(app).get("welcome", 1)
        assert toml.data == Path(draft.path).read_bytes()
    xlsx = browser.get("/staff/forms/welcome/v1.xlsx")
    assert xlsx.status_code == 200
    arabic = [c.value for c in load_workbook(io.BytesIO(xlsx.data))["survey"][1]]
    assert any(v and "(ar)" in v for v in arabic)
    again = read_xlsform(xlsx.data, "welcome")
    assert again.problems == [] or all(p.notice for p in again.problems)
    first = read_xlsform(xlsform(ARABIC_FORM, CHOICES), "welcome")
    assert again.data["fields"] == first.data["fields"]
    assert {(t.language, t.msgid, t.msgstr) for t in again.translations} >= \
        {(t.language, t.msgid, t.msgstr) for t in first.translations}
    # Re-uploading the downloaded XLSForm replaces the draft with the same definition.
    assert upload(browser, "welcome", "welcome-v1.xlsx", xlsx.data).status_code == 302
    shipped = browser.get("/staff/forms/survey/v1.xlsx")
    assert shipped.status_code == 200 and read_xlsform(shipped.data, "survey").data is not None


def test_a_page_forged_to_name_the_draft_on_a_real_link_stores_nothing_under_the_draft(app, people, staff,
                                                                                       make_link, filler):
    upload(staff("coord1"), "survey", "survey.toml", SURVEY_V3.encode())
    with app.app_context():
        draft = forms_registry(app).get("survey", 3)
    f = filler(make_link("survey"))
    f.open()
    sent = f.post({"rating": "4", "idea": "x", "_version": "3", "_hash": draft.content_hash}, nav="submit")
    # The person is shown the version the link serves (v2) to check and send again; nothing is stored.
    assert sent.status_code == 200 and "Dieses Formular wurde geändert" in f.text()
    assert 'name="_version" value="2"' in sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).filter_by(version=3),
                                 execution_options=WITH_TESTS) == 0
        assert db.session.scalar(select(func.count(FormVersion.id)).filter_by(version=3)) == 0
    # A real link pinned to the draft's number (made before this rule, or by hand) serves nothing.
    pinned = filler(make_link("survey", version=3))
    assert pinned.open().status_code == 410


def test_a_kiosk_test_link_for_a_draft_gets_its_pin_shown_once(app, people, staff):
    browser = staff("coord1")
    upload(browser, "survey", "survey.toml", SURVEY_V3.encode())
    page = browser.post("/staff/forms/survey/v3/test-link", {"cohort": "ol-2027", "language": "ar", "kiosk": "y"},
                        follow_redirects=True).get_data(as_text=True)
    pin = re.search(r"Kiosk PIN \(shown only now\): (\d{6})", page).group(1)
    with app.app_context():
        link = db.session.scalar(select(Link))
        assert (link.kiosk, link.test, link.language) == (True, True, "ar") and link.check_pin(pin)
    assert pin not in browser.get("/staff/forms/survey/v3").get_data(as_text=True)


def test_a_mistaken_draft_is_deleted_and_its_test_link_then_opens_nothing(app, people, staff, filler):
    browser = staff("coord1")
    upload(browser, "welcome", "welcome.xlsx", xlsform(ARABIC_FORM, CHOICES))
    browser.post("/staff/forms/welcome/v1/test-link", {"cohort": "ol-2027", "language": "de"})
    with app.app_context():
        draft = forms_registry(app).get("welcome", 1)
        token = db.session.scalar(select(Link.token))
    assert filler(token).open().status_code == 200
    page = browser.post("/staff/forms/welcome/v1/discard", {"hash": draft.content_hash}, follow_redirects=True)
    assert "The draft v1 of welcome was deleted." in page.get_data(as_text=True)
    assert "<code>welcome</code>" not in page.get_data(as_text=True)
    assert not Path(draft.path).exists()
    assert filler(token).open().status_code == 410
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.target).filter_by(action="draft_discarded")) == "form welcome v1"
    # A shipped version is no draft: nothing to delete.
    assert "replaced or published meanwhile" in browser.post("/staff/forms/survey/v2/discard", {"hash": "x"},
                                                             follow_redirects=True).get_data(as_text=True)


def test_a_corrected_translation_shows_at_once_on_the_preview_and_the_test_link(app, people, staff, filler):
    # The definition's German texts stay the same, so the version is the same: only its translations change.
    browser = staff("coord1")
    upload(browser, "welcome", "welcome.xlsx", xlsform(ARABIC_FORM, CHOICES))
    browser.post("/staff/forms/welcome/v1/test-link", {"cohort": "ol-2027", "language": "ar"})
    with app.app_context():
        token = db.session.scalar(select(Link.token))
    frame = "/staff/forms/welcome/v1/preview/frame?language=ar&page=1"
    assert "كم عمرك؟" in browser.get(frame).get_data(as_text=True)
    assert "كم عمرك؟" in filler(token).open().get_data(as_text=True)
    corrected = [row if row[1] != "age" else (*row[:3], "كم عمرك الآن؟", row[4]) for row in ARABIC_FORM]
    upload(browser, "welcome", "welcome.xlsx", xlsform(corrected, CHOICES))
    assert "كم عمرك الآن؟" in browser.get(frame).get_data(as_text=True)
    page = filler(token).open().get_data(as_text=True)
    assert "كم عمرك الآن؟" in page and "كم عمرك؟" not in page
