"""Steps of a browser walking a form's screens, shared by the browser tests that walk a whole instrument."""
from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect


def no_sideways_scrolling(page) -> bool:
    """Whether the page fits its width (a tablet must never scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def next_screen(page, label: str) -> None:
    """Press the screen's forward button and wait until the next screen shows.

    A kiosk moves on once the server has checked the screen: reading the page before the progress text changed
    would read the screen just left.
    """
    progress = page.locator("#progress-text").inner_text()
    page.get_by_role("button", name=label).click()
    expect(page.locator("#progress-text")).not_to_have_text(progress)


def tick(control) -> None:
    """Tick a radio button or checkbox on a kiosk screen and make sure it took.

    Under CI load a click on a card's label was once lost while kiosk.js laid out the screens (the test then
    sent "Holz" unticked); a person taps again, and so does this.
    """
    for attempt in range(3):
        try:
            control.check(force=True, timeout=5000)
            return
        except PlaywrightError:
            if attempt == 2:
                raise
