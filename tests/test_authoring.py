"""The staff area's instruments: the list of forms and the page of one version."""
from __future__ import annotations

from staff_helpers import people, staff  # noqa: F401


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
