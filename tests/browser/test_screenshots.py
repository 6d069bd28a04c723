"""What people see on a tablet and on a phone, kept as PNGs in docs/screenshots/ for the README and for review.

Every instrument in the real ``forms/`` folder gets its first page shot at both sizes; each shot also
checks that nothing sticks out sideways and that every picture loaded.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shipped_forms import FORMS, forms_dir  # noqa: F401

from .conftest import PHONE, TABLET

INSTRUMENTS = sorted(p.name for p in FORMS.iterdir() if p.is_dir() and any(p.glob("v*.toml")))
SIZES = {"tablet": {"viewport": TABLET}, "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True}}


@pytest.fixture(params=list(SIZES))
def sized_page(request, new_context):
    """A page at tablet or at phone size; :return: (size name, page)."""
    return request.param, new_context(**SIZES[request.param]).new_page()


def assert_looks_whole(page):
    """Nothing wider than the screen or than its own box, and no broken picture."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    # A long German word can also stick out of its own box without widening the page.
    spilled = page.evaluate("""[...document.querySelectorAll('main *')]
        .filter(e => getComputedStyle(e).overflowX === 'visible' && e.scrollWidth > e.clientWidth + 1 && e.clientWidth)
        .map(e => e.textContent.trim().slice(0, 40))""")
    assert spilled == []
    broken = page.evaluate("[...document.images].filter(i => !i.complete || !i.naturalWidth).map(i => i.src)")
    assert broken == []


@pytest.mark.parametrize("form_id", INSTRUMENTS)
def test_the_first_page_of_each_instrument(sized_page, make_link, screenshot, form_id):
    size, page = sized_page
    assert page.goto(make_link(form_id, language="de")).status == 200
    expect(page.locator("h1")).to_be_visible()
    assert_looks_whole(page)
    screenshot(page, f"{form_id}-{size}")


def test_the_thank_you_page(sized_page, make_link, screenshot):
    size, page = sized_page
    assert page.goto(make_link(INSTRUMENTS[0], language="de") + "/thanks").status == 200
    assert_looks_whole(page)
    screenshot(page, f"thanks-{size}")


def test_the_error_page(sized_page, live_server, screenshot):
    size, page = sized_page
    assert page.goto(f"{live_server}/f/this-link-does-not-exist").status == 404
    assert_looks_whole(page)
    screenshot(page, f"error-{size}")
