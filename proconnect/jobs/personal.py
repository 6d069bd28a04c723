"""What the PDF jobs keep about participants: finished PDFs in the instance folder (profile sheets, card
sheets, reports). No table; the files of a cohort lie in one folder and are made again when asked for."""
from __future__ import annotations

import calendar
from datetime import datetime
from pathlib import Path

from ..personal_data import Declaration
from .kept import folder_of, forget
from .views import cohort_folder


def _kept(cohort) -> list[Path]:
    folder = folder_of(cohort_folder(cohort))
    return sorted(folder.glob("*.pdf")) if folder.is_dir() else []


def erase(cohort, code: str) -> dict[str, int]:
    """Every kept PDF of the cohort goes: any of them may show the code (a profile sheet, a card sheet)."""
    count = len(_kept(cohort))
    forget(cohort_folder(cohort))
    return {"kept_pdfs": count}


def expire(cohort, cutoff: datetime, remove: bool) -> dict[str, int]:
    """PDFs made before ``cutoff``; when one is there, the cohort's folder goes (newer ones show old data too)."""
    moment = calendar.timegm(cutoff.utctimetuple())
    old = [pdf for pdf in _kept(cohort) if pdf.stat().st_mtime < moment]
    if remove and old:
        forget(cohort_folder(cohort))
    return {"kept_pdfs": len(old)}


DECLARATION = Declaration("jobs", erase=erase, expire=expire)
