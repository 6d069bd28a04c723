"""A test link for a version that is not the latest (a pinned version) rehearses that version like any test link:
the banner, answers stored as test under that version, nothing pinned, nothing counted."""
from __future__ import annotations

from sqlalchemy import func, select

from proconnect.extensions import db
from proconnect.responses.models import WITH_TESTS, FormVersion, Response


def test_a_pinned_test_link_rehearses_its_version_without_freezing_or_counting_anything(app, make_link, filler):
    f = filler(make_link("survey", version=1, test=True))
    page = f.open().get_data(as_text=True)
    assert 'class="test-banner"' in page and 'name="_version" value="1"' in page
    assert f.post({"rating": "4", "missing": "Kaffee"}, nav="submit").status_code == 303
    assert 'class="test-banner"' in f.client.get(f"{f.url}/thanks").get_data(as_text=True)
    with app.app_context():
        [stored] = db.session.scalars(select(Response), execution_options=WITH_TESTS).all()
        assert (stored.test, stored.version) == (True, 1)
        assert db.session.scalar(select(func.count(Response.id))) == 0
        # The version can still be corrected before its first real answer.
        assert db.session.scalar(select(func.count(FormVersion.id))) == 0


def test_a_full_test_link_counts_only_its_own_test_answers(app, make_link, filler):
    token = make_link("survey", version=1, test=True, max_responses=1)
    first = filler(token)
    first.open()
    assert first.post({"rating": "4"}, nav="submit").status_code == 303
    second = filler(token).open()
    assert second.status_code == 410
