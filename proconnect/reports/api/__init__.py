"""The read-only JSON API for partners' tools, with per-user API tokens."""
from .blueprint import bp, keys_bp

__all__ = ["bp", "keys_bp"]
