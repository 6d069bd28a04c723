"""Words for answers that only staff and reports read (the GDPR export, the cohort report).

Kept apart from the types' form texts on purpose: the catalogs count a message as participants' interface
by its source file (``catalogs.status.PARTICIPANT_SOURCES``), and these need German and English only.
"""
from __future__ import annotations

from flask_babel import gettext as _


def consent(given: bool) -> str:
    """Whether a consent question was agreed to, as the GDPR export writes it."""
    return _("given") if given else _("not given")


def agreed() -> str:
    """The one bar of a consent question in a report."""
    return _("Agreed")


def typed_name(name: str) -> str:
    """A report's bar of a record question for a name typed under "other"."""
    return _("%(name)s (not in the list)", name=name)


def other_unnamed() -> str:
    """A report's bar of a record question for "other" answers that name nothing."""
    return _("Other, no name given")
