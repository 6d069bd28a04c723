"""Help pages in the staff area (German or English, after the interface language)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..access import staff
from ..i18n import current_language
from .pages import BY_SLUG, PAGES, handbook_language

bp = Blueprint("handbook", __name__, url_prefix="/help", template_folder="templates")


@bp.route("/")
@staff
def index():
    return render_template("handbook/index.html", pages=PAGES, hb_lang=handbook_language(current_language()))


@bp.route("/<slug>")
@staff
def page(slug: str):
    help_page = BY_SLUG.get(slug)
    if help_page is None:
        abort(404)
    position = PAGES.index(help_page)
    return render_template("handbook/page.html", page=help_page, hb_lang=handbook_language(current_language()),
                           previous=PAGES[position - 1] if position else None,
                           next=PAGES[position + 1] if position + 1 < len(PAGES) else None)
