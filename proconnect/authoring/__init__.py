"""The staff area's instruments: every form with its versions and drafts; upload a definition (TOML or
XLSForm) as a draft, preview any page in any language at tablet and phone width, rehearse on a test link,
publish, download as TOML or XLSForm. Coordinators and admins; every change is audit-logged."""
from .blueprint import bp

__all__ = ["bp"]
