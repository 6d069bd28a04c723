"""A participant's data as they have the right to get it (GDPR art. 15/20): JSON and a readable PDF."""
from __future__ import annotations

from dataclasses import asdict

from flask import current_app, render_template

from ..cohorts.models import Cohort
from ..definitions import forms_registry
from ..links import selection
from ..models_util import utcnow
from ..pdf import render_pdf
from .erasure import participant_responses
from .readable import readable


def participant_data(cohort: Cohort, code: str) -> dict:
    """Every answer of ``code`` in ``cohort``, across instruments, with question texts; JSON-safe."""
    registry = forms_registry(current_app)
    responses = [readable(r, registry) for r in participant_responses(cohort.id, code)]
    return {
        "participant_code": code.upper(),
        "cohort": {"slug": cohort.slug, "title": cohort.title},
        "exported_at": utcnow().isoformat(timespec="seconds") + "Z",
        "responses": [{
            "form": r.form_id, "title": r.title, "version": r.version, "language": r.language,
            "submitted_at": r.submitted_at.isoformat(timespec="seconds") + "Z",
            "answers": [asdict(item) for item in r.items],
        } for r in responses],
        # Selected for the project's support (the day only; the 75 % target counts against the selected).
        "selection": selection.export(cohort.id, code),
    }


def participant_pdf(cohort: Cohort, code: str) -> bytes:
    """The same data as a readable PDF (in the staff member's language, answers in their original script)."""
    data = participant_data(cohort, code)
    return render_pdf(render_template("privacy/export.html", data=data, cohort=cohort))
