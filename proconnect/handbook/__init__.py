"""The handbook (Verfahrenshandbuch): one help page per workflow, German and English, also as one PDF."""
from .views import bp

__all__ = ["bp"]
