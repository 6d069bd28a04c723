"""A definition -> an XLSForm (``.xlsx``) that ``read_xlsform`` turns into the same definition again.

Where XLSForm has an equivalent, the export uses it: a page is a group, ``show_if`` is ``relevant``, limits
are a ``constraint``, a long text has the ``multiline`` appearance, a yes/no question a yes/no list. Where it
has none, it uses what XLSForm tools show sensibly: a scale is a ``select_one`` of numbered choices with
the ``likert`` appearance, a matrix a ``table-list`` group of such questions (one per row), a consent an
``acknowledge`` with the consent text as its hint; a number's unit and step go into ``unit`` and ``step``
columns (other tools ignore them). Texts in other languages come from the catalogs (``label::Arabic (ar)``).
"""
from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import Workbook

from ..definitions import conditions
from ..definitions.model import Field, FormDefinition, Score
from ..definitions.shared import SHARED_KEY
from ..fieldtypes import field_type
from .reader import DROPDOWN, LIKERT, MATRIX, MINIMAL, MULTILINE, UNSURE, shared_file

#: How the language columns are named: ``label::Arabic (ar)`` (pyxform's convention, code in brackets).
LANGUAGE_NAMES = {"de": "German", "en": "English", "ar": "Arabic", "fa": "Persian", "uk": "Ukrainian",
                  "ru": "Russian", "tr": "Turkish", "ti": "Tigrinya", "kmr": "Kurmanji", "ps": "Pashto",
                  "ckb": "Sorani"}
#: Words of the yes/no list in the form's language (proconnect's yes/no question has its own translations).
YES_NO = {"de": ("Ja", "Nein"), "en": ("Yes", "No")}
TRANSLATED = ("label", "hint", "unit")
SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "relevant", "constraint", "calculation", "appearance",
                  "image", "unit", "step")


def language_column(column: str, code: str) -> str:
    """``label::Arabic (ar)``."""
    return f"{column}::{LANGUAGE_NAMES.get(code, code)} ({code})"


class _Sheets:
    def __init__(self, definition: FormDefinition, texts: dict[str, dict[str, str]]):
        self.d = definition
        self.texts = {lang: t for lang, t in texts.items() if t and lang != definition.language}
        self.survey: list[dict] = []
        self.choices: list[dict] = []
        self.problems: list[str] = []

    def translated(self, row: dict, column: str, text: str) -> None:
        """Put ``text`` into ``column`` and its translations into ``column::<language>``."""
        if not text:
            return
        row[column] = text
        for lang, catalog in self.texts.items():
            if catalog.get(text):
                row[language_column(column, lang)] = catalog[text]

    def question(self, f: Field, xls_type: str, **columns) -> dict:
        row = {"type": xls_type, "name": f.id}
        self.translated(row, "label", f.label)
        self.translated(row, "hint", f.help)
        if f.required:
            row["required"] = "yes"
        if f.show_if:
            row["relevant"] = self.relevant(f)
        if f.image:
            row["image"] = f.image
        row.update({k: v for k, v in columns.items() if v not in (None, "", [])})
        return row

    def relevant(self, f: Field) -> str:
        try:
            return _xpath(conditions.parse(f.show_if), self.d)
        except (conditions.ConditionSyntaxError, _NoXPath) as exc:
            self.problems.append(f"{f.id}: show_if \"{f.show_if}\" has no XLSForm equivalent ({exc}); left out")
            return ""

    def choice_list(self, name: str, items: list[tuple[str, str, str | None]]) -> None:
        for value, label, image in items:
            row = {"list_name": name, "name": value}
            self.translated(row, "label", label)
            if image:
                row["image"] = image
            self.choices.append(row)

    def points(self, f: Field) -> None:
        labels = f.point_labels()
        items = []
        for number, label in zip(f.point_values(), labels):
            items.append((str(number), label or str(number), None))
        if f.extra.get("unsure"):
            # "Don't know" after the points, named as the form sends it (an answer, but no point).
            items.append((UNSURE, f.extra["unsure"], None))
        self.choice_list(f.id, items)


class _NoXPath(ValueError):
    pass


def _xpath(tree: list, definition: FormDefinition) -> str:
    """A parsed ``show_if`` as an XLSForm ``relevant``."""
    op = tree[0]
    if op == "field":
        f = _field_of(tree[1], definition)
        if f is not None and field_type(f).options(f) == ["yes", "no"]:
            # A bare yes/no question in show_if means "answered yes".
            return f"{_ref(tree[1])} = 'yes'"
        raise _NoXPath(f"'{tree[1]}' alone")
    if op == "lit":
        raise _NoXPath(f"the value {tree[1]!r} alone")
    if op == "not":
        return f"not({_xpath(tree[1], definition)})"
    if op in ("and", "or"):
        parts = []
        for child in tree[1:]:
            text = _xpath(child, definition)
            parts.append(f"({text})" if op == "and" and child[0] == "or" else text)
        return f" {op} ".join(parts)
    left, right = tree[1], tree[2]
    if op == "in" and left[0] == "lit" and right[0] == "field":
        return f"selected({_ref(right[1])}, {_value(left[1])})"
    if op == "in" and left[0] == "field" and right[0] == "lit" and isinstance(right[1], list):
        return "(" + " or ".join(f"{_ref(left[1])} = {_value(v)}" for v in right[1]) + ")"
    if left[0] == "field" and right[0] == "lit" and op != "in":
        return f"{_ref(left[1])} {'=' if op == '==' else op} {_value(right[1])}"
    raise _NoXPath(f"the comparison '{op}'")


def _field_of(name: str, definition: FormDefinition) -> Field | None:
    try:
        return definition.field(name.split(".", 1)[0])
    except KeyError:
        return None


def _ref(name: str) -> str:
    # A matrix row is a question of its own in XLSForm, named <matrix>_<row> (names are unique in a form).
    return "${" + name.replace(".", "_") + "}"


def _value(v) -> str:
    if isinstance(v, bool):
        return "true()" if v else "false()"
    if isinstance(v, (int, float)):
        return repr(v)
    text = str(v)
    return f'"{text}"' if "'" in text else f"'{text}'"


def _limit(value) -> str:
    if value == "today":
        return "today()"
    if isinstance(value, date):
        return f"date('{value.isoformat()}')"
    return repr(value)


def _constraint(pairs) -> str:
    return " and ".join(f"{subject} {op} {_limit(v)}" for subject, op, v in pairs if v is not None)


def _appearance(*words) -> str:
    return " ".join(w for w in words if w)


def _text(s: _Sheets, f: Field, appearance: str = "") -> list[dict]:
    return [s.question(f, "text", constraint=_constraint([("string-length(.)", "<=", f.max_length)]),
                       appearance=appearance)]


def _longtext(s: _Sheets, f: Field) -> list[dict]:
    return _text(s, f, MULTILINE)


def _number(s: _Sheets, f: Field) -> list[dict]:
    whole = isinstance(f.step, int) or (isinstance(f.step, float) and f.step.is_integer())
    row = s.question(f, "integer" if whole else "decimal",
                     constraint=_constraint([(".", ">=", f.min), (".", "<=", f.max)]),
                     step=None if f.step in (None, 1) else f.step)
    s.translated(row, "unit", f.unit)
    return [row]


def _date(s: _Sheets, f: Field) -> list[dict]:
    return [s.question(f, "date", constraint=_constraint([(".", ">=", f.min), (".", "<=", f.max)]))]


def _single(s: _Sheets, f: Field, xls_type: str = "select_one", constraint: str = "") -> list[dict]:
    appearance = MINIMAL if f.style == DROPDOWN else f.style
    if f.extra.get(SHARED_KEY):
        # Another form's list (choices_of): a list from a file named after it, as a record's source is.
        return [s.question(f, f"{xls_type}_from_file {shared_file(f.extra[SHARED_KEY])}", constraint=constraint,
                           appearance=appearance)]
    s.choice_list(f.id, [(c.value, c.label, c.image) for c in f.choices])
    return [s.question(f, f"{xls_type} {f.id}", constraint=constraint, appearance=appearance)]


def _record(s: _Sheets, f: Field) -> list[dict]:
    # Choices fed from project data: XLSForm's list from a file named after the source ("companies.csv").
    return [s.question(f, f"select_one_from_file {f.extra['choices_from']}.csv")]


def _multiple(s: _Sheets, f: Field) -> list[dict]:
    limits = [("count-selected(.)", ">=", f.min_selected), ("count-selected(.)", "<=", f.max_selected)]
    return _single(s, f, "select_multiple", _constraint(limits))


def _scale(s: _Sheets, f: Field) -> list[dict]:
    s.points(f)
    return [s.question(f, f"select_one {f.id}", appearance=_appearance(LIKERT, f.style))]


def _yesno(s: _Sheets, f: Field) -> list[dict]:
    if not any(c["list_name"] == "yes_no" for c in s.choices):
        yes, no = YES_NO.get(s.d.language, ("yes", "no"))
        s.choice_list("yes_no", [("yes", yes, None), ("no", no, None)])
    return [s.question(f, "select_one yes_no")]


def _matrix(s: _Sheets, f: Field) -> list[dict]:
    s.points(f)
    group = s.question(f, "begin group", appearance=MATRIX)
    group.pop("required", None)
    rows = [group]
    for r in f.rows:
        row = {"type": f"select_one {f.id}", "name": f"{f.id}_{r.value}", "appearance": _appearance(LIKERT, f.style)}
        s.translated(row, "label", r.label)
        if f.required:
            row["required"] = "yes"
        if r.image:
            row["image"] = r.image
        rows.append(row)
    rows.append({"type": "end group"})
    return rows


def _consent(s: _Sheets, f: Field) -> list[dict]:
    row = s.question(f, "acknowledge")
    if f.help:
        s.problems.append(f"{f.id}: the help of a consent has no place in an acknowledge (its hint is the "
                          "consent text); left out")
    for key in [k for k in row if k.startswith("hint")]:
        del row[key]
    s.translated(row, "hint", f.text)
    return [row]


def _note(s: _Sheets, f: Field) -> list[dict]:
    row = {"type": "note", "name": f.id}
    s.translated(row, "label", f.text)
    s.translated(row, "hint", f.help)
    if f.show_if:
        row["relevant"] = s.relevant(f)
    if f.image:
        row["image"] = f.image
    if f.label:
        s.problems.append(f"{f.id}: the label of a note has no place in XLSForm (the note's text is its label); "
                          "left out")
    return [row]


def _score(s: _Sheets, score: Score) -> dict:
    """A score as a ``calculate``: the sum of its items (or their mean), reversed items as (L - answer)."""
    terms = []
    for item in score.items:
        f = _field_of(item, s.d)
        if item in score.reverse and f is not None:
            terms.append(f"({f.start * 2 + (f.points or 0) - 1} - {_ref(item)})")
        else:
            terms.append(_ref(item))
    calculation = " + ".join(terms)
    if score.method == "mean":
        calculation = f"({calculation}) div {len(score.items)}"
    row = {"type": "calculate", "name": score.id, "calculation": calculation}
    s.translated(row, "label", score.label)
    s.translated(row, "hint", score.help)
    return row


#: proconnect type -> its rows in XLSForm (pages are groups, written by ``write_xlsform`` itself).
_TYPES = {"text": _text, "longtext": _longtext, "number": _number, "date": _date, "single": _single,
          "multiple": _multiple, "scale": _scale, "yesno": _yesno, "matrix": _matrix, "consent": _consent,
          "note": _note, "record": _record}


def write_xlsform(definition: FormDefinition, texts: dict[str, dict[str, str]] | None = None) -> tuple[bytes, list]:
    """The XLSForm of a definition.

    :param texts: language -> {text in the form's language: translation} (see ``catalog_texts``)
    :return: the ``.xlsx`` bytes, and what has no XLSForm equivalent (each "field: what; left out")
    """
    s = _Sheets(definition, texts or {})
    in_group = False
    for f in definition.fields:
        if f.type == "page":
            if in_group:
                s.survey.append({"type": "end group"})
            row = {"type": "begin group", "name": f.id}
            s.translated(row, "label", f.label)
            s.translated(row, "hint", f.help)
            if f.show_if:
                row["relevant"] = s.relevant(f)
            s.survey.append(row)
            in_group = True
            continue
        rows = _TYPES.get(f.type)
        if rows is None:
            s.problems.append(f"{f.id}: type '{f.type}' has no XLSForm equivalent; left out")
            continue
        s.survey.extend(rows(s, f))
    if in_group:
        s.survey.append({"type": "end group"})
    for score in definition.scores:
        s.survey.append(_score(s, score))
    settings = {"form_title": definition.title, "form_id": definition.id, "version": str(definition.version),
                "default_language": f"{LANGUAGE_NAMES.get(definition.language, definition.language)} "
                                    f"({definition.language})"}
    if definition.description:
        s.translated(settings, "description", definition.description)
    return _workbook(s, settings), s.problems


def _columns(rows: list[dict], first: tuple[str, ...]) -> list[str]:
    seen = [c for c in first if any(c in r for r in rows)]
    extra = []
    for r in rows:
        for key in r:
            if key not in seen and key not in extra:
                extra.append(key)
    # Each language column right after its own column: label, label::Arabic (ar), hint, hint::…
    ordered = []
    for column in seen:
        ordered.append(column)
        ordered += sorted((k for k in extra if k.split("::", 1)[0] == column and "::" in k), key=extra.index)
    return ordered + [k for k in extra if k not in ordered]


def _workbook(s: _Sheets, settings: dict) -> bytes:
    book = Workbook()
    sheets = (("survey", s.survey, SURVEY_COLUMNS), ("choices", s.choices, ("list_name", "name", "label", "image")),
              ("settings", [settings], ("form_title", "form_id", "version", "default_language", "description")))
    for index, (name, rows, first) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        columns = _columns(rows, first) or list(first[:3])
        sheet.append(columns)
        for row in rows:
            sheet.append([_cell(row.get(c)) for c in columns])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)
