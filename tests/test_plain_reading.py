"""A "Next" reads and checks its page, and a sent form all its pages, without building a WTForms form
(``flow.read_next``, ``flow.read_all``): they must take exactly what the form takes, with the same answers, and
leave everything the form refuses to the form, which says what is wrong. Checked on every page of every version shipped and of the test forms, with answers as people give
them and as forged or mistyped forms send them."""
from __future__ import annotations

import random

import pytest
from flask import g
from werkzeug.datastructures import MultiDict

from proconnect.companies.models import Company
from proconnect.definitions import forms_registry
from proconnect.extensions import db
from proconnect.fieldtypes import field_type
from proconnect.responses import flow
from proconnect.responses.util import read_answers
from conftest import FIXTURE_FORMS
from shipped_forms import FORMS

#: What a person (or a forged form) may send for one input, besides the offered answers.
ODD = ["", " ", "zwei", "2,5", "٣", "-1", "1e9", "nan", "9", "unsure", "other", "yes", "no", "2027-05-03", "2019-12-31",
       "03.05.2027", "K7Q2-XM4P", "k7q2 xm4p", "K7Q2-XM4Q", "=1+1", "x" * 30, " Sami ", "<b>", "false", "y"]


@pytest.fixture(params=[FIXTURE_FORMS, FORMS], ids=["test forms", "shipped forms"])
def forms_dir(request):
    return request.param


def _offered(f, name: str) -> list[str]:
    kind = field_type(f)
    if f.type == "matrix" or f.type == "scale":
        return [str(v) for v in kind.options(f)]
    if f.type == "record" and not name.endswith("__other"):
        return kind.options(f)
    return [str(v) for v in kind.options(f)] if kind.options(f) else ["Sami", "3", "12,5", "2027-05-03", "y"]


def _bodies(definition, index: int, rng: random.Random, count: int) -> list[MultiDict]:
    """Sent pages of page ``index``: mostly offered answers, some left out, some odd, some several times."""
    bodies = []
    for _ in range(count):
        pairs = []
        for f in definition.fields:
            if not f.answerable or (f.page != index and rng.random() < 0.5):
                continue
            for name in field_type(f).input_names(f):
                roll = rng.random()
                if roll < 0.15:
                    continue
                choices = _offered(f, name)
                if roll < 0.75:
                    pairs += [(name, rng.choice(choices)) for _ in range(rng.choice([1, 1, 1, 2]))]
                else:
                    pairs.append((name, rng.choice(ODD)))
        bodies.append(MultiDict(pairs))
    return bodies


def _by_form(definition, index: int | None, fields: list | None, sent: MultiDict):
    """What the WTForms form reads and decides: of page ``index`` ("Next"), or of every page (None: "Send")."""
    form = flow.form_class(definition, fields)(formdata=sent, meta={"csrf": False})
    values, shown = read_answers(definition, form)
    if index is None:
        return (values, shown) if flow.first_invalid_page(definition, form, shown) is None else None
    return (values, shown) if flow.validate_page(definition, form, index, shown) else None


def test_a_page_read_without_its_form_takes_and_refuses_what_its_form_does(app, forms_dir):
    # The test forms have few pages: more sent pages each (the shipped forms have over a hundred pages).
    rng, count = random.Random(7), 30 if forms_dir == FIXTURE_FORMS else 8
    with app.app_context():
        db.session.add_all([Company(name="Elektro Nord"), Company(name="Pflege Süd")])
        db.session.commit()
        registry = forms_registry(app)
        taken = refused = stored = 0
        for definition in (d for instrument in registry for d in instrument.versions.values()):
            for index in range(len(definition.pages)):
                for sent in _bodies(definition, index, rng, count):
                    with app.test_request_context("/?lang=ar"):
                        g.link_cohort_id, g.link_test = None, False
                        fields = flow.for_next(definition, index, sent)
                        plain, by_form = flow.read_next(definition, index, fields, sent), \
                            _by_form(definition, index, fields, sent)
                        sent_all, by_whole_form = flow.read_all(definition, sent), _by_form(definition, None, None, sent)
                    assert plain == by_form, (definition.id, definition.version, index, sent)
                    assert sent_all == by_whole_form, (definition.id, definition.version, sent)
                    taken, refused = taken + (plain is not None), refused + (plain is None)
                    stored += sent_all is not None
        # Both ways are exercised: pages taken and pages refused, forms that would be stored.
        assert taken > 20 and refused > 20 and stored > 5

