"""PDFs off the request path: background jobs with Huey, and the finished files kept in the instance folder.

Features register a renderer (``runner.renderer``), build a ``Document`` in their download route and return
``views.serve``; ``proconnect jobs worker`` renders. See ``runner`` for the configuration.
"""
from __future__ import annotations

from flask import Flask

from . import runner
from .kept import Document, forget
from .runner import Rendered, document, every_minute, huey_of, renderer
from .views import bp, cohort_folder, serve


def init_app(app: Flask) -> None:
    """Huey from the app's config, the render task, and the progress pages."""
    runner.init_app(app)
    app.register_blueprint(bp)


__all__ = ["Document", "Rendered", "cohort_folder", "document", "every_minute", "forget", "huey_of", "init_app", "renderer",
           "serve"]
