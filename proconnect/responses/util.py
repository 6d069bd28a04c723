"""From a form model to a WTForms form, and from a filled-in form to answers and scores."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm

from ..definitions.conditions import is_shown
from ..definitions.model import FormDefinition
from ..fieldtypes import field_type
from ..fieldtypes.formfields import NO_OTHERS, sent
from ..signing import KeptCSRF

#: The hidden inputs by which a page names the version it was shown under: form id, number, content hash.
VERSION_INPUTS = ("_form", "_version", "_hash")
#: Form names of the hidden controls every response form carries.
CONTROL_NAMES = ("csrf_token", "_key", "_page", "_nav", "_seen", "_prefill") + VERSION_INPUTS


class ResponseForm(FlaskForm):
    """The base of every version's form class: its fields are bound once, then copied for each request.

    Binding a WTForms field runs its whole constructor (label, flags, validators, choices): for a form of 84
    questions that was a sixth of a POST, on every request, for the same result. ``Meta.bind_field`` (the hook
    WTForms offers for this) binds each declared field once per class and gives every form a shallow copy,
    which ``process`` then fills with the request's input. Nothing on a bound field that a request changes is
    shared: ``data``, ``raw_data``, ``errors`` and ``process_errors`` are set anew on the copy; labels, flags,
    validators and choices are only read.
    """

    forged = False
    #: declared unbound field -> (the options it was bound with, the bound field), filled at the first request
    _prototypes: dict = {}

    class Meta:
        #: The token signed and checked as Flask-WTF does, each signature checked once per process.
        csrf_class = KeptCSRF

        def bind_field(self, form, unbound_field, options):
            prototypes = type(form)._prototypes
            if unbound_field not in prototypes:
                # Not declared on the class (the CSRF field, made per form for its session).
                return unbound_field.bind(form=form, **options)
            bound = prototypes[unbound_field]
            if bound is None or bound[0] != options:
                bound = prototypes[unbound_field] = (options, unbound_field.bind(form=form, **options))
            field = object.__new__(type(bound[1]))
            field.__dict__.update(bound[1].__dict__)
            field._form, field.meta = form, form.meta
            return field


def make_response_form(definition: FormDefinition, translate, fields=None) -> type[FlaskForm]:
    """Build the WTForms class for one form version.

    :param translate: function turning a German definition text into the current language
    :param fields: only these questions (default: all of them)
    :return: a ``ResponseForm`` subclass with one field per answer name (``matrix__row`` for matrix rows)
    """
    form_class = type("ResponseForm", (ResponseForm,), {"_prototypes": {}})
    for f in definition.fields if fields is None else fields:
        label = translate(f.label) if f.label else ""
        for name, unbound in field_type(f).build(f, label, translate).items():
            setattr(form_class, name, unbound)
            form_class._prototypes[unbound] = None
    # Every input read by its field type (``reads``): its answers may be read and checked without this form.
    form_class.plain = all(unbound.kwargs.get("reads") is not None for unbound in form_class._prototypes)
    return form_class


def form_names(definition: FormDefinition, fields=None) -> list[str]:
    """The HTML names of the inputs belonging to ``fields`` (default: all fields)."""
    names = []
    for f in definition.fields if fields is None else fields:
        names += field_type(f).input_names(f)
    return names


class SentInput:
    """One input of a sent page read by its field type, without a WTForms form: as sent (``raw_data``), as read
    (``data``), and why it could not be read (``unreadable``, else None)."""

    __slots__ = ("raw_data", "data", "unreadable")

    def __init__(self, raw_data: list, data, unreadable=None):
        self.raw_data, self.data, self.unreadable = raw_data, data, unreadable


def read_sent(definition: FormDefinition, fields, sent, tidy: dict) -> dict[str, SentInput]:
    """The inputs of ``fields`` in ``sent`` read as their WTForms fields read them (``FieldType.parse``); a mapping
    ``read_answers`` takes in place of a form.

    :param tidy: input name -> what the form's field does to the value after reading (a participant code's form)
    """
    read = {}
    for f in fields:
        kind = field_type(f)
        for name in kind.input_names(f):
            raw = sent.getlist(name)
            try:
                item = SentInput(raw, kind.parse(f, name, raw))
            except ValueError as exc:
                item = SentInput(raw, None, (exc.args[0] if exc.args else None) or "")
            if name in tidy:
                item.data = tidy[name](item.data)
            read[name] = item
    return read


def judged_fine(f, read: dict[str, SentInput], checks: dict) -> bool:
    """Whether every input of question ``f`` in ``read`` passes its field type's ``judge`` and ``checks`` (input
    name -> the form field's further check of a given answer, a participant code's), as its form would find."""
    kind = field_type(f)
    names = kind.input_names(f)
    answers = {name: read[name].data for name in names} if kind.judged_together else NO_OTHERS
    for name in names:
        item = read[name]
        if kind.judge(f, name, item.raw_data, item.data, item.unreadable, answers) is not None:
            return False
        if name in checks and sent(item.raw_data) and checks[name](item.data) is not None:
            return False
    return True


def read_answers(definition: FormDefinition, form: FlaskForm) -> tuple[dict, dict]:
    """Evaluate conditions in form order and read every answer the form holds.

    A form of some questions only (``flow.form_class(definition, fields)``) holds every answer a condition reads:
    ``shown`` is complete, ``values`` has the answers of its questions.

    :return: ``(values, shown)``: answer name -> value (None when empty or hidden),
             field id -> whether its condition shows it
    """
    values: dict = {}
    shown: dict = {}
    for f, condition, first_input, read in _reading_layout(definition):
        shown[f.id] = condition is None or is_shown(condition, values)
        if first_input is not None and first_input not in form:
            continue
        answers = read(f, form)
        # A hidden question keeps no answer, so later conditions cannot see stale input.
        values.update(answers if shown[f.id] else {name: None for name in answers})
    return values, shown


_readings: dict = {}


def _reading_layout(definition: FormDefinition) -> list:
    """``(field, its condition, its first input's name or None, its type's values)`` of every field, made once per
    version (each "Next" read the whole form's fields, types and input names again)."""
    key = (definition.id, definition.version, definition.content_hash)
    layout = _readings.get(key)
    if layout is None:
        layout = _readings[key] = [(f, f.condition, next(iter(field_type(f).input_names(f)), None),
                                    field_type(f).values) for f in definition.fields]
    return layout


def answer_rows(definition: FormDefinition, values: dict, shown: dict) -> list[dict]:
    """Typed answer rows for storage: values of shown fields (their field type's ``rows``), one empty row per
    answer name of a hidden field."""
    rows = []
    for f, rows_of, hidden in _answer_layout(definition):
        if shown[f.id]:
            rows += rows_of(f, values)
        else:
            rows += [dict(row) for row in hidden]
    return rows


_layouts: dict = {}


def _answer_layout(definition: FormDefinition) -> list:
    """``(field, its type's rows, its "not shown" rows)`` of each answer field, made once per version: every
    submission asked the definition for its answer fields and each field for its type and names."""
    key = (definition.id, definition.version, definition.content_hash)
    layout = _layouts.get(key)
    if layout is None:
        layout = _layouts[key] = [(f, field_type(f).rows, [{"field_id": name, "shown": False}
                                                           for name in f.answer_names()])
                                  for f in definition.answer_fields]
    return layout


def compute_scores(definition: FormDefinition, values: dict) -> dict[str, float | None]:
    """Each declared score from the answers given; reversed items count from the other end.

    Unanswered, hidden and "don't know" items are left out; a score with no answered item is None.
    """
    scores = {}
    for score in definition.scores:
        numbers = []
        for item in score.items:
            value = values.get(item)
            if value is None or isinstance(value, str):
                continue  # unanswered, or "don't know": no point
            if item in score.reverse:
                f = definition.field(item.split(".")[0])
                value = 2 * f.start + f.points - 1 - value
            numbers.append(float(value))
        if not numbers:
            scores[score.id] = None
        else:
            total = sum(numbers)
            scores[score.id] = round(total / len(numbers) if score.method == "mean" else total, 4)
    return scores


def payload(values: dict, scores: dict) -> dict:
    """A JSON-safe copy of the answers (dates as ISO text) with the scores, for audit and export."""
    def safe(v):
        return v.isoformat() if isinstance(v, date) else v
    return {"answers": {k: safe(v) for k, v in values.items() if v is not None},
            "scores": {k: v for k, v in scores.items() if v is not None}}
