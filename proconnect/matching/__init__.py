"""Match-making between participants and companies' places, by explicit and explainable rules."""
from __future__ import annotations

from ..links.about import about_with
from ..links.prefill import prefill_with
from ..reports.builder import SOURCES as REPORT_SOURCES
from ..reports.documents import DATA_VERSIONS as REPORT_VERSIONS
from .blueprint import bp
from .hospitation_links import about_feedback_link, participant_of_feedback_link
from .pipeline import pipeline_version, placements


def init_app(app) -> None:
    """The match-making pages, and the pipeline as the cohort report's "placements in detail"."""
    app.register_blueprint(bp)
    prefill_with(app, participant_of_feedback_link)
    about_with(app, about_feedback_link)
    REPORT_SOURCES["placements"] = placements
    REPORT_VERSIONS["placements"] = pipeline_version
