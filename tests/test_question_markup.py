"""A question is drawn once per version and language and its answers filled in per request (``responses.markup``):
what a person sees is exactly what drawing it in full shows, whatever was answered, typed or forged."""
from __future__ import annotations

import pytest
from flask import g
from werkzeug.datastructures import MultiDict

from proconnect.definitions import forms_registry
from proconnect.i18n import form_translator
from proconnect.responses import flow, markup
from test_responses import PAGE_ONE, PAGE_TWO

ODD = {"name": 'Sa<mi> & "Co"', "story": "Zeile 1\nZeile 2 </textarea><b>", "years": "drei", "trade": "<metal>",
       "skills": ["weld", "x\" onfocus=\"y"], "likes_building": "9", "licence": "vielleicht", "start": "2027-13-45",
       "often__saw": "4", "consent": "on"}
STATES = {"empty": None, "answered": {**PAGE_ONE, **PAGE_TWO}, "odd": ODD, "sent empty": {"trade": ""}}


def drawn_both_ways(app, language: str, data: dict | None, validate: bool) -> list[tuple[str, str, str]]:
    """``(field id, drawn in full, drawn once and filled)`` for every question of the form ``everything``."""
    out = []
    with app.test_request_context("/", query_string={"lang": language}):
        definition = forms_registry(app).get("everything", None)
        formdata = None
        if data is not None:
            formdata = MultiDict([(k, v) for k, vs in data.items() for v in (vs if isinstance(vs, list) else [vs])])
        g.link_cohort_id = None
        form = flow.form_class(definition)(formdata=formdata, meta={"csrf": False})
        if validate:
            form.validate()
        t = form_translator(definition.id)
        for f in definition.fields:
            condition = '{"x":1}' if f.condition else None
            full = str(markup._draw(definition, form, f, t, condition, None))
            for _ in range(2):  # the first call draws it once, the second only fills it in
                once = str(markup.question(definition, form, f, t, condition))
            out.append((f.id, full, once))
    return out


@pytest.mark.parametrize("language", ["de", "en", "ar"])
@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("validate", [False, True], ids=["as sent", "with errors"])
def test_a_question_drawn_once_shows_what_drawing_it_in_full_shows(app, language, state, validate):
    drawn = drawn_both_ways(app, language, STATES[state], validate)
    assert [(i, once) for i, _full, once in drawn] == [(i, full) for i, full, _once in drawn]
    kept = app.extensions[markup.EXTENSION]
    assert any(parts for parts in kept.values()), "nothing was drawn once"


def test_what_was_answered_shows_checked_and_filled_in(app):
    drawn = dict((i, once) for i, _full, once in drawn_both_ways(app, "de", STATES["answered"], False))
    assert 'value="metal" checked' in drawn["trade"] and 'value="weld" checked' in drawn["skills"]
    assert 'value="Sami"' in drawn["name"] and 'value="2027-08-01"' in drawn["start"]
    assert drawn["consent"].count(" checked") == 1


def test_forged_text_stays_text(app):
    drawn = dict((i, once) for i, _full, once in drawn_both_ways(app, "de", ODD, False))
    assert 'value="Sa&lt;mi&gt; &amp; &#34;Co&#34;"' in drawn["name"]
    assert "</textarea><b>" not in drawn["story"] and "&lt;/textarea&gt;&lt;b&gt;" in drawn["story"]
    assert 'onfocus' not in drawn["skills"].replace("value=\"x&#34; onfocus", "")
