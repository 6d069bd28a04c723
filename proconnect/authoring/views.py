"""The instruments pages: the list of forms, and one version (or draft) of one form."""
from __future__ import annotations

from flask import abort, current_app, render_template

from ..access import allow
from ..definitions import forms_registry


@allow("coordinator")
def index():
    """Every instrument with its versions, newest first."""
    registry = forms_registry(current_app)
    return render_template("authoring/index.html", instruments=list(registry))


@allow("coordinator")
def version(form_id: str, version: int):
    """One version of one form: what it holds, and what can be done with it."""
    registry = forms_registry(current_app)
    definition = registry.get(form_id, version)
    if definition is None:
        abort(404)
    return render_template("authoring/version.html", definition=definition,
                           instrument=registry.instruments.get(form_id))
