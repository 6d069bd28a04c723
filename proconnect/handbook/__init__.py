"""The handbook (Verfahrenshandbuch): one help page per workflow, German and English, also as one PDF."""
from __future__ import annotations


def init_app(app) -> None:
    from .views import bp
    app.register_blueprint(bp)
