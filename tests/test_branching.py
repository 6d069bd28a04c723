"""A later page that an answer opens is never skipped by "Send answers"."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from proconnect.extensions import db
from proconnect.responses.models import Response

BRANCHING = '''
[form]
id = "branching"
version = 1
title = "Verzweigung"

[[fields]]
id = "placed"
type = "yesno"
label = "Haben Sie eine Stelle?"
required = true

[[fields]]
id = "details"
type = "page"
label = "Details"
show_if = "placed == 'yes'"

[[fields]]
id = "company"
type = "text"
label = "Welcher Betrieb?"
required = true
'''

#: A page an answer opens between two pages everybody sees ("Next" reads only the questions it needs).
DETOUR = BRANCHING.replace('id = "branching"', 'id = "detour"') + '''
[[fields]]
id = "remarks"
type = "page"
label = "Zum Schluss"

[[fields]]
id = "wish"
type = "text"
label = "Was wünschen Sie sich?"
required = true
'''


@pytest.fixture
def forms_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("forms")
    for form_id, text in (("branching", BRANCHING), ("detour", DETOUR)):
        (root / form_id).mkdir()
        (root / form_id / "v1.toml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("placed, pages", [("yes", ["Welcher Betrieb?", "Was wünschen Sie sich?"]),
                                           ("no", ["Was wünschen Sie sich?"])])
def test_next_goes_to_the_page_the_answers_show_and_next_on_the_last_page_sends(app, filler, make_link, placed,
                                                                                 pages):
    f = filler(make_link("detour", language="en"))
    f.open()
    answers = {"placed": placed}
    for question in pages:
        assert f.post(answers).status_code == 200
        assert question in f.text()
        answers = {"company": "Metallbau Nord"} if question.startswith("Welcher") else {"wish": "Eine Ausbildung"}
    assert f.post({"wish": ""}).status_code == 200 and "Please answer this question." in f.text()
    assert f.post({"wish": "Eine Ausbildung"}).status_code == 303
    with app.app_context():
        [response] = db.session.scalars(select(Response)).all()
        assert response.payload["answers"] == {"placed": placed, "wish": "Eine Ausbildung",
                                               **({"company": "Metallbau Nord"} if placed == "yes" else {})}


def test_send_on_the_first_page_goes_on_to_the_page_the_answer_opened(app, filler, make_link):
    f = filler(make_link("branching"))
    first = f.open().get_data(as_text=True)
    # An answer here can open the details page, so the page offers "Next", not "Send" …
    assert 'value="next"' in first and 'value="submit"' not in first
    # … and even a "Send" (an older page, a script) goes on to the page the answer opened.
    page = f.post({"placed": "yes"}, nav="submit")
    assert page.status_code == 200 and "Welcher Betrieb?" in page.get_data(as_text=True)
    assert f.post({"company": "Metallbau Nord"}, nav="submit").status_code == 303
    with app.app_context():
        [response] = db.session.scalars(select(Response)).all()
        assert response.payload["answers"] == {"placed": "yes", "company": "Metallbau Nord"}


def test_without_the_opening_answer_send_stores_at_once(app, filler, make_link):
    f = filler(make_link("branching"))
    f.open()
    assert f.post({"placed": "no"}, nav="submit").status_code == 303


def test_a_client_that_sends_everything_at_once_is_stored_at_once(app, client, make_link):
    # The kiosk's offline queue sends the whole form in one POST without `_seen`.
    token = make_link("branching")
    f_page = client.get(f"/f/{token}").get_data(as_text=True)
    import re
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', f_page).group(1)
    key = re.search(r'name="_key" value="([^"]+)"', f_page).group(1)
    done = client.post(f"/f/{token}", data={"csrf_token": csrf, "_key": key, "_page": "0", "_nav": "submit",
                                            "placed": "yes", "company": "Tischlerei West"})
    assert done.status_code == 303
