"""A participant's data as they have the right to get it (GDPR art. 15/20): JSON and a readable PDF.

Both hold what every feature's declaration (``proconnect.personal_data``) exports for the code.
"""
from __future__ import annotations

from flask import render_template

from ..cohorts.models import Cohort
from ..models_util import utcnow
from ..pdf import render_pdf
from ..personal_data import Section, declarations


def _sections(cohort: Cohort, code: str) -> list[Section]:
    return [s for d in declarations() if d.export is not None for s in d.export(cohort, code)]


def _data(cohort: Cohort, code: str, sections: list[Section]) -> dict:
    data = {"participant_code": code.upper(), "cohort": {"slug": cohort.slug, "title": cohort.title},
            "exported_at": utcnow().isoformat(timespec="seconds") + "Z"}
    for section in sections:
        data.setdefault(section.key, []).extend(section.records)
    return data


def participant_data(cohort: Cohort, code: str) -> dict:
    """Everything stored under ``code`` in ``cohort``: every answer (with question texts), decisions,
    hospitations, the mentor, drafts, cards …, one key per kind; JSON-safe."""
    return _data(cohort, code, _sections(cohort, code))


def participant_pdf(cohort: Cohort, code: str) -> bytes:
    """The same data as a readable PDF (in the staff member's language, answers in their original script)."""
    sections = _sections(cohort, code)
    return render_pdf(render_template("privacy/export.html", data=_data(cohort, code, sections),
                                      sections=[s for s in sections if s.entries], cohort=cohort))
