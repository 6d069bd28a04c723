"""What a cohort's short name (slug) may be: one rule for the cohort form, the command line and look-ups."""
from __future__ import annotations

import re

#: Lower-case letters, digits and hyphens, at most 64, not starting with a hyphen.
PATTERN = r"[a-z0-9][a-z0-9-]{0,63}"
SLUG = re.compile(PATTERN)
#: Well-formed slugs a new cohort may not take: "new" would be shadowed by the page that creates cohorts
#: (``/staff/cohorts/new``).
RESERVED = frozenset({"new"})


def well_formed(slug: str) -> bool:
    """Whether ``slug`` looks like a slug (nothing else can exist, so nothing else needs looking up)."""
    return SLUG.fullmatch(slug) is not None


def reserved(slug: str) -> bool:
    """Whether a new cohort may not take ``slug`` although it is well-formed."""
    return slug in RESERVED


def problem(slug: str) -> str | None:
    """Why a new cohort may not take ``slug``, in the command line's words (English); None when it may."""
    if not well_formed(slug):
        return "use lower-case letters, digits and hyphens (at most 64)"
    if reserved(slug):
        return f"'{slug}' is reserved (the staff area's page for a new cohort is /staff/cohorts/{slug}); choose another"
    return None
