"""Responses: filling in a form at ``/f/<token>`` and storing the answers with their exact version."""
from .blueprint import bp

__all__ = ["bp"]
