"""Read one definition file (``forms/<form-id>/v<N>.toml``) into a validated ``FormDefinition``.

All problems of a file are collected, each with its line, so ``proconnect forms
check`` can list every one of them at once.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import fields as dataclass_fields
from datetime import date
from pathlib import Path
from types import MappingProxyType

from ..fieldtypes import FIELD_TYPES
from ..fieldtypes.keys import BOOL, INT, LIST, TEXT
from . import conditions
from .errors import DefinitionError, ErrorCode, Problem, did_you_mean
from .lines import SourceLines
from .model import Choice, Field, FormDefinition, Page, Score
from .shared import SHARED_KEY, check_reference

IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
FILE_NAME = re.compile(r"^v([1-9][0-9]*)\.toml$")
#: The file of a form's draft: its version number is the next one, checked with the form's other versions.
DRAFT_NAME = "draft.toml"

FORM_KEYS = {"id": TEXT, "version": INT, "title": TEXT, "description": TEXT, "language": TEXT}
COMMON_KEYS = {"id": TEXT, "type": TEXT, "label": TEXT, "help": TEXT, "required": BOOL, "show_if": TEXT, "image": TEXT}
#: Keys whose values the loader turns into choices, rows and labels itself.
SHAPED_KEYS = ("choices", "rows", "labels")
#: Field attributes the loader sets itself (not from a key of the same name).
DERIVED = {"id", "type", "line", "condition", "page", "extra"}
#: Keys that become an attribute of the same name of a ``Field``; a type's other keys go to ``Field.extra``.
FIELD_ATTRIBUTES = {f.name for f in dataclass_fields(Field)} - DERIVED
SCORE_KEYS = {"id": TEXT, "label": TEXT, "method": TEXT, "items": LIST, "reverse": LIST, "help": TEXT}
SCORE_METHODS = ("sum", "mean")
CHOICE_KEYS = {"value": TEXT, "label": TEXT, "image": TEXT}
ROW_KEYS = {"id": TEXT, "label": TEXT, "image": TEXT}
#: Every ``style`` some type can draw; which type draws which is the type's own (``FieldType.styles``).
STYLES = ("", "faces", "cards", "list", "dropdown")


def content_hash(raw: bytes) -> str:
    """The hash that pins a published version; line endings do not count."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


class _FileChecker:
    def __init__(self, path: Path, display: str):
        self.path = path
        self.display = display
        self.problems: list[Problem] = []

    def problem(self, line: int, field: str, code: ErrorCode, **kw) -> None:
        self.problems.append(Problem(self.display, line, field, code, code.format(**kw)))

    def check_keys(self, table: dict, allowed: dict, required, lines: SourceLines, where: tuple[str, int], field_id: str) -> dict:
        """Check unknown, missing and wrongly typed keys; return the keys that are usable."""
        good = {}
        for key, value in table.items():
            line = lines.of(*where, key)
            if key not in allowed:
                self.problem(line, field_id, ErrorCode.KEY_001, key=key, hint=did_you_mean(key, allowed))
                continue
            expected, types = allowed[key]
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
                self.problem(line, field_id, ErrorCode.KEY_003, key=key, expected=expected, got=value)
                continue
            good[key] = value
        for key in required:
            if key not in table:
                self.problem(lines.of(*where), field_id, ErrorCode.KEY_002, key=key)
        return good


def _as_tuple(types):
    return types if isinstance(types, tuple) else (types,)


def load_definition(path: Path, base: Path | None = None, assets: Path | None = None,
                    display: str | None = None) -> FormDefinition:
    """Parse and validate one definition file.

    :param path: ``forms/<form-id>/v<N>.toml`` (or ``draft.toml``: its number is checked by the registry)
    :param base: folder the displayed path is relative to (for messages)
    :param assets: the folder its pictures are in (default: the file's own; an instance's version of a shipped
        form uses the shipped form's pictures)
    :param display: the path messages show (an upload shows its own file name)
    :raise DefinitionError: with every problem found in the file.
    """
    if display is None:
        display = str(path.relative_to(base)) if base and path.is_relative_to(base) else str(path)
    checker = _FileChecker(path, display)
    checker.assets = assets or path.parent
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise DefinitionError([Problem(display, 1, "", ErrorCode.TOML_001,
                                       ErrorCode.TOML_001.format(detail=f"not UTF-8 ({exc.reason})"))])
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise DefinitionError([Problem(display, int(m.group(1)) if m else 1, "", ErrorCode.TOML_001,
                                       ErrorCode.TOML_001.format(detail=str(exc)))])
    lines = SourceLines.scan(text)
    definition = _build(checker, data, lines, raw)
    if checker.problems:
        raise DefinitionError(checker.problems)
    return definition


def _build(checker: _FileChecker, data: dict, lines: SourceLines, raw: bytes) -> FormDefinition | None:
    path = checker.path
    top_allowed = {"form": ("a table", dict), "fields": ("a list of tables", list), "scores": ("a list of tables", list)}
    data = checker.check_keys(data, top_allowed, ("form", "fields"), lines, ("", 0), "")
    form = checker.check_keys(data.get("form", {}), FORM_KEYS, ("id", "version", "title"), lines, ("form", 0), "")
    name_match = FILE_NAME.match(path.name)
    if not name_match and path.name != DRAFT_NAME:
        checker.problem(1, "", ErrorCode.FILE_001, name=path.name)
    elif name_match and "version" in form and form["version"] != int(name_match.group(1)):
        checker.problem(lines.of("form", 0, "version"), "", ErrorCode.FILE_003, got=form["version"],
                        expected=int(name_match.group(1)))
    if "id" in form and form["id"] != path.parent.name:
        checker.problem(lines.of("form", 0, "id"), "", ErrorCode.FILE_002, got=form["id"], expected=path.parent.name)

    fields = _build_fields(checker, data.get("fields", []), lines, checker.assets)
    scores = _build_scores(checker, data.get("scores", []), lines, fields)
    pages = _paginate(fields, form.get("title", ""))
    if checker.problems:
        return None
    return FormDefinition(
        id=form["id"], version=form["version"], title=form["title"], description=form.get("description", ""),
        language=form.get("language", "de"), path=str(path), content_hash=content_hash(raw),
        fields=tuple(f for page in pages for f in page.fields), scores=tuple(scores), pages=tuple(pages),
        folder=str(checker.assets), source=checker.display,
    )


def _build_fields(checker: _FileChecker, tables: list, lines: SourceLines, folder: Path) -> list[Field]:
    fields: list[Field] = []
    first_line: dict[str, int] = {}
    known: dict[str, Field] = {}  # names usable by later show_if conditions, with their field
    page_condition, page_index = None, 0
    for index, table in enumerate(tables):
        where = ("fields", index)
        line = lines.of(*where)
        if not isinstance(table, dict):
            checker.problem(line, "", ErrorCode.KEY_003, key=f"fields[{index}]", expected="a table", got=table)
            continue
        field_id = table.get("id") if isinstance(table.get("id"), str) else ""
        ftype = table.get("type")
        handler = FIELD_TYPES.get(ftype) if isinstance(ftype, str) else None
        if handler is None:
            if "type" in table:
                checker.problem(lines.of(*where, "type"), field_id, ErrorCode.TYPE_001, got=ftype,
                                expected=", ".join(FIELD_TYPES))
            else:
                checker.problem(line, field_id, ErrorCode.KEY_002, key="type")
            continue
        allowed, needs = COMMON_KEYS | handler.keys, ("id", "type") + tuple(handler.needs)
        if "choices" in handler.keys:
            # A list kept in another form (``choices_of = "<role>.<field>"``) stands for the field's own list.
            allowed = allowed | {SHARED_KEY: TEXT}
            needs = tuple(n for n in needs if n != "choices" or SHARED_KEY not in table)
        good = checker.check_keys(table, allowed, needs, lines, where, field_id)
        if SHARED_KEY in good:
            if "choices" in table:
                checker.problem(lines.of(*where, SHARED_KEY), field_id, ErrorCode.CHOICE_005)
            problem = check_reference(good[SHARED_KEY])
            if problem:
                checker.problem(lines.of(*where, SHARED_KEY), field_id, ErrorCode.CHOICE_004, **problem)
        if field_id and not IDENTIFIER.match(field_id):
            checker.problem(lines.of(*where, "id"), field_id, ErrorCode.ID_001, got=field_id)
        elif field_id in first_line:
            checker.problem(lines.of(*where, "id"), field_id, ErrorCode.ID_002, got=field_id,
                            first_line=first_line[field_id])
        elif field_id:
            first_line[field_id] = lines.of(*where, "id")

        kwargs = {k: v for k, v in good.items() if k in FIELD_ATTRIBUTES and k not in SHAPED_KEYS}
        extra = {k: v for k, v in good.items() if k not in FIELD_ATTRIBUTES and k not in COMMON_KEYS}
        for key in ("image",):
            if key in kwargs:
                _check_image(checker, folder, kwargs[key], lines.of(*where, key), field_id)
        if "choices" in good:
            kwargs["choices"] = _build_choices(checker, good["choices"], CHOICE_KEYS, "value", lines, where,
                                               "choices", field_id, folder)
            minimum = 2
            if len(kwargs["choices"]) < minimum:
                checker.problem(lines.of(*where, "choices"), field_id, ErrorCode.CHOICE_003, type=ftype,
                                minimum=minimum, got=len(kwargs["choices"]))
        if "rows" in good:
            kwargs["rows"] = _build_choices(checker, good["rows"], ROW_KEYS, "id", lines, where, "rows", field_id,
                                            folder)
        if "labels" in good:
            labels = good["labels"]
            if not all(isinstance(x, str) for x in labels) or len(labels) != good.get("points", len(labels)):
                checker.problem(lines.of(*where, "labels"), field_id, ErrorCode.KEY_003, key="labels",
                                expected=f"a list of {good.get('points')} texts, one per point", got=labels)
            kwargs["labels"] = tuple(str(x) for x in labels)
        if "style" in good and good["style"] not in STYLES:
            checker.problem(lines.of(*where, "style"), field_id, ErrorCode.KEY_003, key="style",
                            expected="one of " + ", ".join(repr(s) for s in STYLES if s), got=good["style"])
        elif good.get("style") and good["style"] not in handler.styles:
            checker.problem(lines.of(*where, "style"), field_id, ErrorCode.STYLE_001, style=good["style"], type=ftype,
                            styles=", ".join(repr(s) for s in handler.styles),
                            types=", ".join(sorted(t.name for t in FIELD_TYPES.values()
                                                   if good["style"] in t.styles and "style" in t.keys)))
        if "start" in good and good["start"] not in (0, 1):
            checker.problem(lines.of(*where, "start"), field_id, ErrorCode.KEY_003, key="start",
                            expected="0 or 1", got=good["start"])
        if "points" in good and not 2 <= good["points"] <= 11:
            checker.problem(lines.of(*where, "points"), field_id, ErrorCode.KEY_003, key="points",
                            expected="a whole number from 2 to 11", got=good["points"])
        for key, expected, got in handler.check(good):
            checker.problem(lines.of(*where, key), field_id, ErrorCode.KEY_003, key=key, expected=expected, got=got)
        for low_key, high_key in (("min", "max"), ("min_selected", "max_selected")):
            low, high = good.get(low_key), good.get(high_key)
            if isinstance(low, (int, float, date)) and isinstance(high, (int, float, date)) and type(low) is type(high) \
                    and low > high:
                checker.problem(lines.of(*where, high_key), field_id, ErrorCode.LIMIT_001, low_key=low_key,
                                low=low, high_key=high_key, high=high)
        if "step" in good and good["step"] <= 0:
            checker.problem(lines.of(*where, "step"), field_id, ErrorCode.KEY_003, key="step",
                            expected="a number greater than 0", got=good["step"])

        condition = None
        if "show_if" in good:
            condition = _parse_condition(checker, good["show_if"], lines.of(*where, "show_if"), field_id, known,
                                         set(first_line) | _later_ids(tables, index))
        if ftype == "page":
            page_index += 1 if fields else 0
            page_condition = condition
        elif page_condition is not None:
            condition = page_condition if condition is None else ["and", page_condition, condition]
        f = Field(id=field_id, type=ftype, line=line, condition=condition, page=page_index,
                  extra=MappingProxyType(extra), **kwargs)
        fields.append(f)
        for name in f.answer_names():
            known[name] = f
        if not handler.stores_answers:
            known.setdefault(f"#static:{field_id}", f)
    return fields


def _later_ids(tables: list, index: int) -> set[str]:
    ids = set()
    for t in tables[index:]:
        if isinstance(t, dict) and isinstance(t.get("id"), str):
            ids.add(t["id"])
            for row in t.get("rows", []) if isinstance(t.get("rows"), list) else []:
                if isinstance(row, dict) and isinstance(row.get("id"), str):
                    ids.add(f"{t['id']}.{row['id']}")
    return ids


def _parse_condition(checker, source, line, field_id, known: dict, all_ids: set) -> list | None:
    try:
        tree = conditions.parse(source)
    except conditions.ConditionSyntaxError as exc:
        checker.problem(line, field_id, ErrorCode.COND_001, detail=str(exc))
        return None
    ok = True
    for name in conditions.names(tree):
        if name in known:
            continue
        ok = False
        static = known.get(f"#static:{name}")
        if static:
            checker.problem(line, field_id, ErrorCode.COND_004, name=name, type=static.type)
        elif name in all_ids:
            checker.problem(line, field_id, ErrorCode.COND_003, name=name)
        else:
            checker.problem(line, field_id, ErrorCode.COND_002, name=name)
    return tree if ok else None


def _build_choices(checker, items, allowed, key, lines, where, list_key, field_id, folder) -> tuple[Choice, ...]:
    line = lines.of(*where, list_key)
    out, seen = [], set()
    for item in items:
        if not isinstance(item, dict):
            checker.problem(line, field_id, ErrorCode.KEY_003, key=list_key,
                            expected=f"a list of tables like {{ {key} = \"...\", label = \"...\" }}", got=item)
            continue
        good = checker.check_keys(item, allowed, (key, "label"), lines, where, field_id)
        if key not in good:
            continue
        value = good[key]
        if not IDENTIFIER.match(value):
            checker.problem(line, field_id, ErrorCode.CHOICE_001, got=value)
        elif value in seen:
            checker.problem(line, field_id, ErrorCode.CHOICE_002, got=value)
        seen.add(value)
        if "image" in good:
            _check_image(checker, folder, good["image"], line, field_id)
        out.append(Choice(value=value, label=good.get("label", ""), image=good.get("image")))
    return tuple(out)


def _check_image(checker, folder: Path, image: str, line: int, field_id: str) -> None:
    target = (folder / image).resolve()
    if not target.is_relative_to(folder.resolve()) or not target.is_file():
        checker.problem(line, field_id, ErrorCode.KEY_003, key="image",
                        expected=f"a file inside {folder.name}/", got=image)


def _build_scores(checker, tables: list, lines: SourceLines, fields: list[Field]) -> list[Score]:
    by_name: dict[str, Field] = {}
    for f in fields:
        by_name[f.id] = f
        for name in f.answer_names():
            by_name[name] = f
    scores = []
    seen = {f.id for f in fields}
    for index, table in enumerate(tables):
        where = ("scores", index)
        if not isinstance(table, dict):
            checker.problem(lines.of(*where), "", ErrorCode.KEY_003, key=f"scores[{index}]", expected="a table",
                            got=table)
            continue
        score_id = table.get("id") if isinstance(table.get("id"), str) else ""
        good = checker.check_keys(table, SCORE_KEYS, ("id", "label", "method", "items"), lines, where, score_id)
        if score_id and not IDENTIFIER.match(score_id):
            checker.problem(lines.of(*where, "id"), score_id, ErrorCode.ID_001, got=score_id)
        elif score_id in seen:
            checker.problem(lines.of(*where, "id"), score_id, ErrorCode.ID_002, got=score_id,
                            first_line=next((f.line for f in fields if f.id == score_id), lines.of(*where)))
        seen.add(score_id)
        method = good.get("method")
        if method is not None and method not in SCORE_METHODS:
            checker.problem(lines.of(*where, "method"), score_id, ErrorCode.SCORE_003,
                            expected=", ".join(SCORE_METHODS), got=method)
        items = [str(i) for i in good.get("items", [])]
        for item in items:
            f = by_name.get(item)
            if f is None:
                checker.problem(lines.of(*where, "items"), score_id, ErrorCode.SCORE_001, item=item)
            elif not (FIELD_TYPES[f.type].scored and item in f.answer_names()):
                # A question answered in parts (a matrix) is named by its parts.
                whole = item == f.id and item not in f.answer_names() and f.answer_names()
                checker.problem(lines.of(*where, "items"), score_id, ErrorCode.SCORE_002, item=item,
                                type=f"{f.type} (whole)" if whole else f.type)
        reverse = [str(i) for i in good.get("reverse", [])]
        for item in reverse:
            f = by_name.get(item)
            if item not in items:
                checker.problem(lines.of(*where, "reverse"), score_id, ErrorCode.SCORE_004, item=item)
            elif f is not None and not FIELD_TYPES[f.type].reversible:
                checker.problem(lines.of(*where, "reverse"), score_id, ErrorCode.SCORE_005, item=item, type=f.type)
        if not items and "items" in good:
            checker.problem(lines.of(*where, "items"), score_id, ErrorCode.KEY_003, key="items",
                            expected="a list of at least one field id", got=[])
        scores.append(Score(id=score_id, label=good.get("label", ""), method=method or "sum", items=tuple(items),
                            reverse=tuple(reverse), help=good.get("help", ""), line=lines.of(*where)))
    return scores


def _paginate(fields: list[Field], title: str) -> list[Page]:
    pages: list[Page] = []
    current: list[Field] = []
    current_title = ""
    for f in fields:
        if f.type == "page":
            if current:
                pages.append(Page(len(pages), current_title or title, tuple(current)))
            current, current_title = [f], f.label
        else:
            current.append(f)
    if current or not pages:
        pages.append(Page(len(pages), current_title or title, tuple(current)))
    return pages
