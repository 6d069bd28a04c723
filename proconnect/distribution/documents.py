"""Posters and card sheets as PDF jobs: what each depends on, and how the worker makes it.

A poster is kept while its link, its form versions and the public address stay the same; a card sheet
holds codes issued once, so each sheet is its own document (kept in the cohort's folder like its reports).
"""
from __future__ import annotations

from flask import current_app

from ..cohorts.models import Cohort
from ..definitions import forms_registry
from ..extensions import db
from ..i18n import form_texts_digest
from ..jobs import Rendered, cohort_folder, document, renderer
from ..jobs.kept import Document
from ..links.models import Link
from .printing import cards_pdf, poster_pdf


def poster_document(link: Link) -> Document:
    """The A4 poster of a link."""
    instrument = forms_registry(current_app).get(link.form_id, link.version)
    version = [link.token, link.form_id, link.version, link.language, link.event, current_app.config["PUBLIC_URL"],
               instrument.content_hash if instrument else None, form_texts_digest(link.form_id)]
    return document("poster", cohort_folder(link.cohort), {"link_id": link.id}, version,
                    f"poster-{link.form_id}-{link.id}.pdf", {})


@renderer("poster")
def _poster(params: dict) -> Rendered:
    return Rendered(poster_pdf(db.session.get(Link, params["link_id"])))


def cards_document(cohort: Cohort, codes: list[str]) -> Document:
    """A sheet of cards for codes just issued."""
    return document("cards", cohort_folder(cohort), {"cohort_id": cohort.id, "codes": codes}, None,
                    f"cards-{cohort.slug}.pdf", {})


@renderer("cards")
def _cards(params: dict) -> Rendered:
    return Rendered(cards_pdf(db.session.get(Cohort, params["cohort_id"]), params["codes"]))
