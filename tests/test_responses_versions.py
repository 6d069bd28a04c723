"""Answers are stored under the version the person was shown, even when a new one is deployed meanwhile.

A rating form whose second version turns its scale round (1 = "sehr gut"): an answer of 5 given under v1
means the opposite under v2. A page and a queued kiosk item name the version (id, number, content hash) they
were shown under; the answers are stored under it while it is known with that hash, or come back to the
person with a translated notice and nothing they typed lost.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from proconnect.definitions import load_registry
from proconnect.definitions.registry import EXTENSION
from proconnect.extensions import db
from proconnect.responses.models import Response

from conftest import FIXTURE_FORMS
from form_folders import copy_of

V1 = """[form]
id = "event-rating"
version = 1
title = "Wie war die Veranstaltung?"

[[fields]]
id = "overall"
type = "scale"
label = "Wie fanden Sie die Veranstaltung?"
points = 5
low = "sehr schlecht"
high = "sehr gut"
required = true
"""
REVERSED = V1.replace('low = "sehr schlecht"\nhigh = "sehr gut"', 'low = "sehr gut"\nhigh = "sehr schlecht"')
V2 = REVERSED.replace("version = 1", "version = 2")
QUEUE = {"X-Proconnect-Queue": "1"}
VERSION_CHANGED_DE = "Dieses Formular wurde geändert, während Sie es ausgefüllt haben."
VERSION_CHANGED_EN = "This form was changed while you were filling it in."


@pytest.fixture
def forms_dir(tmp_path):
    folder = copy_of(FIXTURE_FORMS, tmp_path)
    (folder / "event-rating").mkdir()
    (folder / "event-rating" / "v1.toml").write_text(V1, encoding="utf-8")
    return folder


@pytest.fixture
def deploy(app, forms_dir):
    """``deploy(name, text)``: write ``event-rating/<name>`` and restart on the new forms; :return: its hash."""
    def write(name: str, text: str) -> str:
        (forms_dir / "event-rating" / name).write_text(text, encoding="utf-8")
        app.extensions[EXTENSION] = load_registry(forms_dir)
        return app.extensions[EXTENSION].get("event-rating", int(name[1])).content_hash
    return write


def hash_of(app, version):
    return app.extensions[EXTENSION].get("event-rating", version).content_hash


def stored(app) -> list[tuple]:
    with app.app_context():
        return [(r.version, r.content_hash, r.payload["answers"]["overall"])
                for r in db.session.scalars(select(Response).order_by(Response.id))]


def test_an_answer_given_under_v1_is_stored_as_v1_when_v2_is_deployed_before_it_is_sent(app, filler, make_link,
                                                                                         deploy):
    f = filler(make_link("event-rating"))
    assert "sehr gut" in f.open().get_data(as_text=True)
    v1 = hash_of(app, 1)
    deploy("v2.toml", V2)
    done = f.post({"overall": "5"}, nav="submit")  # "sehr gut", as the person read it
    assert done.status_code == 303
    assert stored(app) == [(1, v1, 5)]
    # Whoever opens the link now answers version 2, and is stored under it.
    g = filler(f.token)
    g.open()
    assert g.post({"overall": "1"}, nav="submit").status_code == 303
    assert stored(app)[1][:2] == (2, hash_of(app, 2))


def test_an_answer_to_a_version_whose_file_changed_comes_back_with_a_notice_and_is_kept(app, filler, make_link,
                                                                                        deploy):
    f = filler(make_link("event-rating"))
    f.open()
    edited = deploy("v1.toml", REVERSED)  # not published yet, so still editable: the scale is turned round
    page = f.post({"overall": "5"}, nav="submit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and stored(app) == []
    assert VERSION_CHANGED_DE in html
    assert 'value="5" checked' in html  # what the person chose is still there, to be checked against the new labels
    assert f'name="_hash" value="{edited}"' in html
    assert f.post({"overall": "1"}, nav="submit").status_code == 303
    assert stored(app) == [(1, edited, 1)]


def test_a_page_naming_another_form_or_an_unknown_version_is_not_stored_under_it(app, filler, make_link, deploy):
    f = filler(make_link("event-rating"))
    f.open()
    for forged in ({"_form": "everything"}, {"_version": "7"}, {"_version": "²"}, {"_hash": "0" * 64}):
        f.hidden = [(k, forged.get(k, v)) for k, v in f.hidden]
        page = f.post({"overall": "4"}, nav="submit")
        assert page.status_code == 200 and VERSION_CHANGED_DE in page.get_data(as_text=True), forged
    assert stored(app) == []


def kiosk_item(client, token) -> dict:
    """What kiosk.js queues from the page it was shown: the page's hidden inputs and the answers."""
    html = client.get(f"/f/{token}?lang=en").get_data(as_text=True)
    hidden = dict(re.findall(r'<input type="hidden" name="(_form|_version|_hash)" value="([^"]*)"', html))
    assert set(hidden) == {"_form", "_version", "_hash"}
    return {**hidden, "overall": "5", "_key": "queued-for-hours-0001", "_nav": "submit", "_lang": "en"}


def synced_after(client, token, deploy, name, text, drop=()):
    """A kiosk item made from the page, a deploy of ``name`` while it waits, then the item synced: the reply."""
    item = {k: v for k, v in kiosk_item(client, token).items() if k not in drop}
    deploy(name, text)
    return client.post(f"/f/{token}/sync", data=item, headers=QUEUE)


def test_a_kiosk_item_queued_under_v1_and_synced_after_v2_is_deployed_is_stored_as_v1(app, client, make_link,
                                                                                        deploy):
    sent = synced_after(client, make_link("event-rating", kiosk=True), deploy, "v2.toml", V2)
    assert sent.get_json() == {"status": "stored"}
    assert stored(app) == [(1, hash_of(app, 1), 5)]


def test_a_kiosk_item_of_a_version_whose_file_changed_is_refused_for_good_with_the_reason(app, client, make_link,
                                                                                          deploy):
    refused = synced_after(client, make_link("event-rating", kiosk=True), deploy, "v1.toml", REVERSED)
    assert refused.status_code == 409
    assert refused.get_json()["status"] == "version" and refused.get_json()["final"] is True
    assert refused.get_json()["message"].startswith(VERSION_CHANGED_EN)
    assert stored(app) == []


def test_a_kiosk_item_queued_before_pages_named_their_version_is_stored_under_the_version_served(app, client,
                                                                                                 make_link, deploy):
    sent = synced_after(client, make_link("event-rating", kiosk=True), deploy, "v2.toml", V2,
                        drop=("_form", "_version", "_hash"))
    assert sent.get_json() == {"status": "stored"}
    assert stored(app) == [(2, hash_of(app, 2), 5)]
