"""XLSForm (``.xlsx``, ``.xls``, pyxform's markdown) -> a proconnect definition, its translations, and every problem.

pyxform reads the workbook and parses the XLSForm (types, aliases, groups, ``or_other``, translated
columns); this module maps pyxform's result onto proconnect's field types. Each survey row carries its
row number through pyxform (a ``bind::`` column of its own), so every problem names its row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from io import BytesIO
from pathlib import Path

from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from ..definitions import conditions
from ..definitions.loader import IDENTIFIER
from ..definitions.shared import SHARED_KEY, shareable
from ..fieldtypes.builtin import UNSURE
from ..i18n import LANGUAGES, supported
from .codes import SheetProblem, XlsCode, problem
from .expressions import (Unsupported, calculation_score, choice_filter_show_if, constraint_limits,
                          relevant_to_show_if)

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
#: The bind attribute that carries a survey row's number through pyxform.
ROW_MARK = "proconnect-row"
#: The column that carries a choice's row number (pyxform keeps a choice's extra columns).
CHOICE_MARK = "proconnect-row"
#: XLSForm language names people use for proconnect's languages (``Arabic (ar)`` and ``ar`` work anyway).
LANGUAGE_NAMES = {"german": "de", "deutsch": "de", "english": "en", "arabic": "ar", "persian": "fa", "farsi": "fa",
                  "dari": "fa", "ukrainian": "uk", "russian": "ru", "turkish": "tr", "tigrinya": "ti",
                  "kurmanji": "kmr", "pashto": "ps", "sorani": "ckb"}
NOT_A_WORKBOOK = "expected an .xlsx or .xls workbook with a 'survey' sheet"
#: pyxform's name of a column without a language.
DEFAULT = "default"
#: Appearances that say how proconnect draws choices (``style``); ``likert`` makes a numbered list a scale.
STYLES = ("faces", "cards", "list")
#: ODK's dropdown (``appearance minimal``), a single choice's ``style = "dropdown"``; other types keep their look.
MINIMAL = "minimal"
DROPDOWN = "dropdown"
LIKERT = "likert"
MATRIX = "table-list"
MULTILINE = "multiline"
#: Keys of pyxform's question dicts that the mapping reads (any other column is reported as not carried over).
_READ = {"type", "name", "label", "hint", "bind", "control", "media", "choices", "itemset", "list_name",
         "parameters", "choice_filter", "children", "unit", "step", "__row_number"}
_BIND_READ = {"relevant", "required", "constraint", "calculate", ROW_MARK}
_PIPED = re.compile(r"\$\{([^}]*)\}")
_NUMBER = re.compile(r"^-?\d+$")


@dataclass(frozen=True)
class Translation:
    """One form text in another language, for the gettext catalogs (msgctxt = the form id)."""

    language: str
    msgid: str
    msgstr: str
    #: Where the text is used, as the extractor's comments say it (``age (number): label``).
    comment: str


@dataclass
class Conversion:
    """What an XLSForm became: the definition (plain data for TOML), its translations, and every problem."""

    form_id: str
    language: str = "de"
    #: ``{"form": {...}, "fields": [...]}``; None when a problem stops the import (and not lenient).
    data: dict | None = None
    translations: list[Translation] = dc_field(default_factory=list)
    problems: list[SheetProblem] = dc_field(default_factory=list)
    #: pyxform's own warnings about the workbook (misspelt sheets, missing translations).
    warnings: list[str] = dc_field(default_factory=list)
    #: field id -> its survey row, to place the problems ``forms check`` finds in the result
    rows: dict[str, int] = dc_field(default_factory=dict)

    @property
    def blocking(self) -> list[SheetProblem]:
        """The problems that stop a strict import (everything but notices)."""
        return [p for p in self.problems if not p.notice]


def read_xlsform(source: bytes | str | Path, form_id: str, *, lenient: bool = False,
                 language: str | None = None, title: str | None = None) -> Conversion:
    """Convert an XLSForm into a definition.

    :param source: the file's bytes, or its path
    :param form_id: the id of the form (the folder under forms/)
    :param lenient: keep what maps even when some rows do not (the problems list what was left out)
    :param language: the language of columns without one (``label``), when the settings sheet does not say
    :return: a ``Conversion``; ``data`` is None when there are blocking problems and ``lenient`` is false
    """
    conversion = Conversion(form_id=form_id)
    try:
        workbook = get_xlsform(BytesIO(source) if isinstance(source, bytes) else Path(source))
        _keep_quotes(workbook)
        raw_rows = _mark_rows(workbook)
        survey = workbook_to_json(workbook, form_name="data", warnings=conversion.warnings)
    except PyXFormError as exc:
        conversion.problems.append(problem("", 0, XlsCode.XLS_001, detail=_pyxform_message(exc)))
        return conversion
    except Exception:  # noqa: BLE001
        # An upload is any file: the readers under pyxform (zipfile, openpyxl, xlrd) raise their own errors
        # on a broken .xlsx, an .xls that is none, a CSV. Whatever they raise, it is one problem of the file.
        conversion.problems.append(problem("", 0, XlsCode.XLS_001, detail=NOT_A_WORKBOOK))
        return conversion
    _Mapper(conversion, survey, raw_rows, language, title).run()
    if not any(f["type"] != "page" for f in conversion.data["fields"]):
        conversion.problems.append(problem(SURVEY, 0, XlsCode.XLS_012,
                                           detail="no question maps onto proconnect's field types"))
        conversion.data = None
    if conversion.blocking and not lenient:
        conversion.data = None
    return conversion


def _pyxform_message(exc: Exception) -> str:
    # pyxform's own place ("[row : 4] ...") stays in the message: it is the row a spreadsheet shows.
    return " ".join(str(exc).split())


#: Typographic quotes in texts, and the private-use characters that carry them through pyxform.
_QUOTES = {"\u201c": "\ue001", "\u201d": "\ue002", "\u2018": "\ue003", "\u2019": "\ue004", "\u201e": "\ue005"}
_KEEP = str.maketrans(_QUOTES)
_RESTORE = str.maketrans({v: k for k, v in _QUOTES.items()})


def _keep_quotes(workbook) -> None:
    """Hide the typographic quotes of labels and hints from pyxform, which straightens them (German „…“).

    Expressions keep pyxform's straightening: there a spreadsheet's autocorrected ‘x’ means 'x'.
    """
    for rows in (workbook.survey or [], workbook.choices or []):
        for row in rows:
            for key, value in row.items():
                if isinstance(value, str) and key.lower().startswith(("label", "hint")):
                    row[key] = value.translate(_KEEP)


def _mark_rows(workbook) -> dict[int, dict]:
    """Give each survey row its number in a column pyxform carries into the question (``bind::``)."""
    rows = {}
    # pyxform splits headers at "::" if any header has it, else at ":" (older XLSForms: "label:English").
    header = workbook.survey_header[0] if workbook.survey_header else {}
    delimiter = "::" if any("::" in str(k) for k in header) or not any(":" in str(k) for k in header) else ":"
    column = f"bind{delimiter}{ROW_MARK}"
    for number, row in enumerate(workbook.survey or [], start=2):
        if row:
            rows[number] = {k.lower() if isinstance(k, str) else k: v for k, v in row.items()}
            row[column] = str(number)
    if workbook.survey_header:
        workbook.survey_header[0][column] = None
    for number, row in enumerate(workbook.choices or [], start=2):
        if row:
            row[CHOICE_MARK] = str(number)
    if workbook.choices_header:
        workbook.choices_header[0][CHOICE_MARK] = None
    return rows


def language_code(name: str) -> str | None:
    """The project's code for an XLSForm language (``Arabic (ar)``, ``ar``, ``arabic``), or None."""
    m = re.search(r"\(([A-Za-z_-]+)\)\s*$", name)
    if m and supported(m.group(1)):
        return supported(m.group(1))
    key = name.strip().lower()
    return LANGUAGE_NAMES.get(key) or (supported(key) if key.isascii() and len(key) <= 8 else None)


class _Mapper:
    def __init__(self, conversion: Conversion, survey: dict, raw_rows: dict[int, dict], language: str | None,
                 title: str | None):
        self.c = conversion
        self.survey = survey
        self.raw = raw_rows
        self.fields: list[dict] = []
        self.scores: list[dict] = []
        #: XLSForm name -> (show_if name, proconnect type) of the questions so far
        self.names: dict[str, tuple[str, str]] = {}
        self.ids: set[str] = set()
        self.bad_languages: set[str] = set()
        self.source = self._source_language(language)
        self.title = title

    # -- languages and texts ----------------------------------------------------------------------------

    def _source_language(self, option: str | None) -> str:
        declared = self.survey.get("default_language", DEFAULT)
        if declared != DEFAULT and language_code(declared):
            self.default_means = declared
            return language_code(declared)
        self.default_means = DEFAULT
        if option:
            return supported(option) or option
        found = self._languages_used()
        codes = {language_code(n) for n in found if n != DEFAULT} - {None}
        if DEFAULT in found or not codes:
            return "de"
        # Every label names its language: German if it is there (the project's source language), else one of them.
        for preferred in ("de", "en"):
            if preferred in codes:
                return preferred
        return sorted(codes)[0]

    def _languages_used(self) -> set[str]:
        """The languages of the questions' labels (a plain ``hint`` or choice label beside ``label::English`` is
        English too)."""
        found: set[str] = set()

        def walk(node):
            if node is not self.survey and not node.get("bind", {}).get(ROW_MARK):
                return  # a question pyxform adds (or_other's) has a label in no language
            if isinstance(node.get("label"), dict):
                found.update(node["label"])
            elif node.get("label"):
                found.add(DEFAULT)
            for child in node.get("children", []):
                walk(child)
        walk(self.survey)
        return found

    def texts(self, value, row: int, sheet: str = SURVEY) -> dict[str, str]:
        """A text in every language it is given in: project language code -> text."""
        if value is None:
            return {}
        if isinstance(value, str):
            return {self.source: value.translate(_RESTORE)}
        out = {}
        for name, text in value.items():
            if not isinstance(text, str) or not text.strip():
                continue
            text = text.translate(_RESTORE)
            code = self.source if name in (DEFAULT, self.default_means) else language_code(name)
            if code is None:
                if name not in self.bad_languages:
                    self.bad_languages.add(name)
                    self.report(sheet, row, XlsCode.XLS_009, column=f"label::{name}", language=name,
                                known=", ".join(LANGUAGES))
                continue
            out.setdefault(code, text)
        return out

    def text(self, value, row: int, what: str, comment: str, required: bool = False, sheet: str = SURVEY) -> str:
        """The text in the form's language; its other languages become translations."""
        texts = self.texts(value, row, sheet)
        source = texts.get(self.source, "")
        if not source:
            if required or texts:
                self.report(sheet, row, XlsCode.XLS_008, what=what, language=self.source)
            return ""
        piped = _PIPED.search(source)
        if piped:
            self.report(sheet, row, XlsCode.XLS_011, what=what, text=_short(source), name=piped.group(1))
        for code, text in texts.items():
            if code != self.source and text != source:
                self.c.translations.append(Translation(code, source, text, comment))
        return source

    # -- problems ---------------------------------------------------------------------------------------

    def report(self, sheet: str, row: int, code: XlsCode, **kw) -> None:
        self.c.problems.append(problem(sheet, row, code, **kw))

    def identifier(self, name: str, row: int) -> str | None:
        if IDENTIFIER.match(name or ""):
            if name in self.ids:
                self.report(SURVEY, row, XlsCode.XLS_012, detail=f"name '{name}' is used twice; a field id is unique")
                return None
            self.ids.add(name)
            return name
        self.report(SURVEY, row, XlsCode.XLS_006, name=name, hint=_suggest(name))
        return None

    # -- the survey -------------------------------------------------------------------------------------

    def run(self) -> None:
        settings_title = self.survey.get("title")
        title = self.title or (settings_title if settings_title and settings_title != self.survey.get("id_string")
                               or "form_title" in self.survey else "")
        form = {"id": self.c.form_id, "version": 1, "title": title or self.c.form_id, "language": self.source}
        if not title:
            self.report(SETTINGS, 0, XlsCode.XLS_013, column="form_title",
                        why=f": there is none, so the title is the form id '{self.c.form_id}'")
        description = self.survey.get("description")
        if description:
            form["description"] = self.text(description, 0, "the description", "form description", sheet=SETTINGS)
        if title:
            self.text(title, 0, "the title", "form title", sheet=SETTINGS)
        self.c.language = self.source
        after_group = False
        last_row = 0
        for node in _children(self.survey):
            if _is_meta(node):
                continue
            row = _row(node, last_row)
            last_row = row
            if node.get("type") == "group" and not self._is_matrix(node):
                self.page(node, row)
                after_group = True
                continue
            if after_group and node.get("type") not in ("repeat", "calculate"):
                # A question after a group is on a page of its own, not the group's (and not under its relevant).
                self.fields.append({"id": self._free_id(f"page_{row}"), "type": "page"})
                after_group = False
            self.question(node, row, None)
        self.c.data = {"form": form, "fields": self.fields}
        if self.scores:
            self.c.data["scores"] = self.scores

    def _free_id(self, wanted: str) -> str:
        candidate, n = wanted, 2
        while candidate in self.ids:
            candidate, n = f"{wanted}_{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def page(self, node: dict, row: int) -> None:
        self.check_columns(node, row)
        page_id = self.identifier(node.get("name", ""), row)
        entry = {"id": page_id or f"page_{row}", "type": "page"}
        label = self.text(_heading(node)["label"], row, "the group's label", f"{entry['id']} (page): page title")
        if label:
            entry["label"] = label
        help_text = self.text(_heading(node)["hint"], row, "the group's hint", f"{entry['id']} (page): help")
        if help_text:
            entry["help"] = help_text
        show_if = self.relevant(node, row)
        if show_if:
            entry["show_if"] = show_if
        self.fields.append(entry)
        self.c.rows[entry["id"]] = row
        last_row = row
        for child in _children(node):
            child_row = _row(child, last_row)
            last_row = child_row
            self.question(child, child_row, None)

    def question(self, node: dict, row: int, condition: str | None) -> None:
        """Map one question (or a group inside a page: its questions, each under the group's relevant)."""
        ntype = node.get("type", "")
        if ntype == "group":
            if self._is_matrix(node):
                self.matrix(node, row, condition)
                return
            self.check_columns(node, row)
            own = self.relevant(node, row)
            inner = _both(condition, own)
            heading = _heading(node)
            if heading["label"] or heading["hint"]:
                note_id = self.identifier(node.get("name", ""), row)
                text = self.text(heading["label"] or heading["hint"], row, "the group's label",
                                 f"{note_id} (note): text")
                help_text = self.text(heading["hint"], row, "the group's hint", f"{note_id} (note): help") \
                    if heading["label"] else ""
                if note_id and text:
                    note = {"id": note_id, "type": "note", "text": text, **({"help": help_text} if help_text else {})}
                    if inner:
                        note["show_if"] = inner
                    self._add(note, row)
            last_row = row
            for child in _children(node):
                child_row = _row(child, last_row)
                last_row = child_row
                self.question(child, child_row, inner)
            return
        if ntype == "calculate" and node.get("bind", {}).get(ROW_MARK):
            self.score(node, row)
            return
        handler = _QUESTIONS.get(ntype)
        if handler is None:
            self.unsupported(node, row)
            return
        self.check_columns(node, row)
        field_id = self.identifier(node.get("name", ""), row)
        if field_id is None:
            return
        entry = handler(self, node, row, field_id)
        if entry is None:
            return
        show_if = _both(condition, self.relevant(node, row))
        if show_if:
            entry["show_if"] = show_if
        self._add(entry, row)

    def _add(self, entry: dict, row: int) -> None:
        self.c.rows[entry["id"]] = row
        ordered = {k: entry[k] for k in _KEY_ORDER if k in entry}
        ordered.update({k: v for k, v in entry.items() if k not in ordered})
        self.fields.append(ordered)

    def score(self, node: dict, row: int) -> None:
        """A ``calculate`` that adds answers (or takes their mean) is a score of proconnect."""
        calculation = node.get("bind", {}).get("calculate", "")
        try:
            method, items, reverse = calculation_score(calculation, self.names)
            for item, total in reverse.items():
                entry = self._field(item)
                low = entry.get("start", 1) if entry else 1
                if entry is None or "points" not in entry or total != 2 * low + entry["points"] - 1:
                    raise Unsupported(f"({total:g} - {item}): only a scale's points are counted from the other "
                                      "end, with the lowest plus the highest point")
        except Unsupported as exc:
            ntype = self.raw.get(row, {}).get("type", "calculate")
            self.report(SURVEY, row, XlsCode.XLS_002, type=ntype,
                        why=f": only a sum or a mean of answers becomes a score, not {exc}")
            return
        score_id = self.identifier(node.get("name", ""), row)
        if score_id is None:
            return
        entry = {"id": score_id}
        label = self.text(node.get("label"), row, "the label", f"score {score_id}: label", required=True)
        entry["label"] = label or score_id
        entry["method"] = method
        entry["items"] = items
        if reverse:
            entry["reverse"] = list(reverse)
        help_text = self.text(node.get("hint"), row, "the hint", f"score {score_id}: help")
        if help_text:
            entry["help"] = help_text
        self.c.rows[score_id] = row
        self.scores.append(entry)

    def _field(self, name: str) -> dict | None:
        field_id = name.split(".", 1)[0]
        return next((f for f in self.fields if f.get("id") == field_id), None)

    def unsupported(self, node: dict, row: int) -> None:
        ntype = self.raw.get(row, {}).get("type") if node.get("bind", {}).get(ROW_MARK) else None
        ntype = ntype or node.get("type", "")
        ntype = str(ntype).strip()
        why = ""
        if node.get("type") == "repeat":
            inside = _count_questions(node)
            why = f": proconnect asks each question once; the {inside} question(s) inside it are left out"
        self.report(SURVEY, row, XlsCode.XLS_002, type=ntype, why=why)

    def check_columns(self, node: dict, row: int) -> None:
        for key in node:
            if key not in _READ:
                self.report(SURVEY, row, XlsCode.XLS_013, column=key, why="")
        for key in node.get("bind", {}):
            if key not in _BIND_READ:
                self.report(SURVEY, row, XlsCode.XLS_013, column=key,
                            why=": proconnect shows its own messages" if "Msg" in key or "message" in key else "")

    def relevant(self, node: dict, row: int) -> str | None:
        source = node.get("bind", {}).get("relevant")
        if not source:
            return None
        try:
            return relevant_to_show_if(source, self.names)
        except Unsupported as exc:
            self.report(SURVEY, row, XlsCode.XLS_003, expression=source, detail=str(exc))
            return None

    def required(self, node: dict, row: int) -> bool:
        value = node.get("bind", {}).get("required")
        if value in (None, ""):
            return False
        answer = aliases.yes_no.get(str(value).strip(), None)
        if answer is None:
            answer = {"true()": True, "false()": False}.get(str(value).strip().lower())
        if answer is None:
            self.report(SURVEY, row, XlsCode.XLS_010, expression=value)
            return False
        return answer

    def limits(self, node: dict, row: int, ftype: str, whole: bool = False) -> dict:
        source = node.get("bind", {}).get("constraint")
        if not source:
            return {}
        try:
            return constraint_limits(source, ftype, whole)
        except Unsupported as exc:
            self.report(SURVEY, row, XlsCode.XLS_004, expression=source, detail=str(exc))
            return {}

    def appearance(self, node: dict) -> list[str]:
        """The appearance as written in the sheet (pyxform rewrites a table-list group's and its questions')."""
        mark = node.get("bind", {}).get(ROW_MARK)
        written = self.raw.get(int(mark), {}).get("appearance") if mark else None
        return str(written or node.get("control", {}).get("appearance", "")).split()

    def common(self, node: dict, row: int, field_id: str, ftype: str, label_required: bool = True) -> dict:
        """id, type, label, help, required and image of a question."""
        name = f"{field_id} ({ftype})"
        entry = {"id": field_id, "type": ftype}
        label = self.text(node.get("label"), row, "the label", f"{name}: label", required=label_required)
        if label:
            entry["label"] = label
        help_text = self.text(node.get("hint"), row, "the hint", f"{name}: help")
        if help_text:
            entry["help"] = help_text
        if self.required(node, row):
            entry["required"] = True
        image = self.image(node.get("media"), row)
        if image:
            entry["image"] = image
        for appearance in self.appearance(node):
            if appearance not in (LIKERT, MULTILINE, *STYLES) and not (appearance == MINIMAL and ftype == "single"):
                self.report(SURVEY, row, XlsCode.XLS_013, column=f"appearance '{appearance}'",
                            why=": proconnect draws each type its own way")
        return entry

    def image(self, media, row: int, sheet: str = SURVEY) -> str | None:
        if not media:
            return None
        for kind, value in media.items():
            if kind != "image":
                self.report(sheet, row, XlsCode.XLS_013, column=kind, why=": only images are shown")
        image = media.get("image")
        if isinstance(image, dict):
            image = image.get(DEFAULT) or image.get(self.default_means) or next(iter(image.values()), None)
        return image or None

    def remember(self, xls_name: str, name: str, ftype: str) -> None:
        self.names[xls_name] = (name, ftype)

    # -- choices ----------------------------------------------------------------------------------------

    def choices(self, node: dict, row: int, field_id: str, ftype: str) -> list[dict] | None:
        out, ok = [], True
        list_name = node.get("list_name") or node.get("itemset") or ""
        for choice in self.filtered(node, row):
            # or_other's choice comes from pyxform, not from a row: it is the question's.
            sheet, crow = (CHOICES, int(choice[CHOICE_MARK])) if choice.get(CHOICE_MARK) else (SURVEY, row)
            value = str(choice.get("name", ""))
            if not IDENTIFIER.match(value):
                hint = _suggest(value)
                if _NUMBER.match(value):
                    hint = "; a numbered list is a scale when the question's appearance is 'likert'"
                self.report(sheet, crow, XlsCode.XLS_007, name=value, list=list_name, hint=hint)
                ok = False
                continue
            label = self.text(choice.get("label"), crow, f"choice '{value}' of list '{list_name}'",
                              f"{field_id} ({ftype}): choice {value}", required=True, sheet=sheet)
            entry = {"value": value, "label": label}
            image = self.image(choice.get("media"), crow, sheet)
            if image:
                entry["image"] = image
            out.append(entry)
        return out if ok else None

    def filtered(self, node: dict, row: int) -> list[dict]:
        """The question's choices; a choice_filter on the choices' own columns keeps those it lets through."""
        choices = node.get("choices", [])
        source = node.get("choice_filter")
        if not source:
            return choices
        try:
            tree = conditions.parse(choice_filter_show_if(source))
        except (Unsupported, conditions.ConditionSyntaxError) as exc:
            self.report(SURVEY, row, XlsCode.XLS_005, expression=source, detail=str(exc))
            return choices
        return [c for c in choices if conditions.is_shown(tree, {k: v for k, v in c.items() if isinstance(v, str)})]

    def _numbered(self, choices: list[dict]) -> list[int] | None:
        """The numbers of a list of choices named 0/1, 2, 3, … in order, or None."""
        names = [str(c.get("name", "")) for c in choices]
        if not names or not all(_NUMBER.match(n) for n in names):
            return None
        numbers = [int(n) for n in names]
        if numbers[0] not in (0, 1) or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            return None
        return numbers

    def points(self, node_choices: list[dict], row: int, field_id: str, ftype: str, entry: dict) -> bool:
        """Fill points, start and labels (or low/high) of a scale or matrix from a numbered list, and ``unsure``
        from its last choice when that is named so ("don't know": an answer, no point)."""
        node_choices, unsure = _split_unsure(node_choices)
        numbers = self._numbered(node_choices)
        if numbers is None or not 2 <= len(numbers) <= 11:
            return False
        entry["points"] = len(numbers)
        if numbers[0] == 0:
            entry["start"] = 0
        labels = []
        for number, choice in zip(numbers, node_choices):
            texts = self.texts(choice.get("label"), row)
            source = texts.get(self.source, "")
            labels.append((number, source if source != str(number) else "", texts))
        middle_blank = all(not text for _, text, _ in labels[1:-1])
        name = f"{field_id} ({ftype})"
        if middle_blank:
            for key, (number, text, texts), what in (("low", labels[0], "lowest point"),
                                                     ("high", labels[-1], "highest point")):
                if text:
                    entry[key] = self.text(texts, row, "a point's label", f"{name}: {what}")
        else:
            entry["labels"] = [self.text(texts, row, "a point's label", f"{name}: point {number}") or str(number)
                               for number, text, texts in labels]
        if unsure:
            entry["unsure"] = self.text(unsure.get("label"), row, "the answer 'don't know'",
                                        f"{name}: answer 'don't know'")
        return True

    def _is_matrix(self, node: dict) -> bool:
        children = _children(node)
        if MATRIX not in self.appearance(node) or not children:
            return False
        lists = {c.get("list_name") for c in children if c.get("type") == "select one"}
        return (len(lists) == 1 and all(c.get("type") == "select one" for c in children)
                and self._numbered(_split_unsure(children[0].get("choices", []))[0]) is not None)

    def matrix(self, node: dict, row: int, condition: str | None) -> None:
        self.check_columns(node, row)
        field_id = self.identifier(node.get("name", ""), row)
        if field_id is None:
            return
        name = f"{field_id} (matrix)"
        entry = {"id": field_id, "type": "matrix"}
        heading = _heading(node)
        label = self.text(heading["label"], row, "the group's label", f"{name}: label", required=True)
        if label:
            entry["label"] = label
        help_text = self.text(heading["hint"], row, "the group's hint", f"{name}: help")
        if help_text:
            entry["help"] = help_text
        children = _children(node)
        rows, required = [], []
        last_row = row
        for child in children:
            child_row = _row(child, last_row)
            last_row = child_row
            self.check_columns(child, child_row)
            xls_name = str(child.get("name", ""))
            # A name is unique in the whole XLSForm, so a row's often starts with the group's: not part of its id.
            row_id = xls_name.removeprefix(f"{field_id}_")
            if not IDENTIFIER.match(row_id):
                self.report(SURVEY, child_row, XlsCode.XLS_006, name=row_id, hint=_suggest(row_id))
                continue
            if child.get("bind", {}).get("relevant") or child.get("bind", {}).get("constraint"):
                self.report(SURVEY, child_row, XlsCode.XLS_014, what="row", type="matrix",
                            detail="a row of a table-list group is shown whenever the group is")
            required.append(self.required(child, child_row))
            row_label = self.text(child.get("label"), child_row, "the label", f"{name}: row {row_id}", required=True)
            entry_row = {"id": row_id, "label": row_label}
            image = self.image(child.get("media"), child_row)
            if image:
                entry_row["image"] = image
            rows.append(entry_row)
            self.remember(xls_name, f"{field_id}.{row_id}", "scale")
        if required and all(required):
            entry["required"] = True
        elif any(required):
            self.report(SURVEY, row, XlsCode.XLS_014, what="group", type="matrix",
                        detail="either every row is required or none")
        show_if = _both(condition, self.relevant(node, row))
        if show_if:
            entry["show_if"] = show_if
        self.points(children[0].get("choices", []), row, field_id, "matrix", entry)
        styles = [a for a in self.appearance(children[0]) if a in STYLES]
        if styles:
            entry["style"] = styles[0]
        entry["rows"] = rows
        self._add(entry, row)


def _split_unsure(choices: list[dict]) -> tuple[list[dict], dict | None]:
    """A scale's or matrix's choices without its last one when that is "don't know" (``unsure``), and that one."""
    if choices and str(choices[-1].get("name")) == UNSURE:
        return choices[:-1], choices[-1]
    return choices, None


def _text_question(m: _Mapper, node: dict, row: int, field_id: str) -> dict:
    ftype = "longtext" if MULTILINE in m.appearance(node) else "text"
    entry = m.common(node, row, field_id, ftype)
    entry.update(m.limits(node, row, "text"))
    m.remember(node["name"], field_id, ftype)
    return entry


def _number_question(m: _Mapper, node: dict, row: int, field_id: str) -> dict:
    whole = node.get("type") == "integer"
    entry = m.common(node, row, field_id, "number")
    entry.update(m.limits(node, row, "number", whole))
    unit = m.text(node.get("unit"), row, "the unit", f"{field_id} (number): unit")
    if unit:
        entry["unit"] = unit
    step = node.get("step")
    if step not in (None, ""):
        try:
            number = float(step)
            entry["step"] = int(number) if number.is_integer() and whole else number
        except ValueError:
            m.report(SURVEY, row, XlsCode.XLS_012, detail=f"step '{step}' is not a number")
    elif whole:
        entry["step"] = 1
    m.remember(node["name"], field_id, "number")
    return entry


def _date_question(m: _Mapper, node: dict, row: int, field_id: str) -> dict:
    entry = m.common(node, row, field_id, "date")
    entry.update(m.limits(node, row, "date"))
    m.remember(node["name"], field_id, "date")
    return entry


def _select_one(m: _Mapper, node: dict, row: int, field_id: str) -> dict | None:
    choices = node.get("choices", [])
    itemset = str(node.get("itemset") or "")
    if _shared(itemset, choices):
        return _shared_list(m, node, row, field_id, "single")
    if itemset.endswith(".csv") and not choices:
        # A list from a file (select_one_from_file companies.csv): choices fed from project data.
        entry = m.common(node, row, field_id, "record")
        entry["choices_from"] = itemset[:-len(".csv")]
        m.remember(node["name"], field_id, "record")
        return entry
    if [str(c.get("name")) for c in choices] == ["yes", "no"]:
        # proconnect's yes/no question says Yes and No in every language itself.
        entry = m.common(node, row, field_id, "yesno")
        m.remember(node["name"], field_id, "yesno")
        return entry
    points, unsure = _split_unsure(choices)
    if LIKERT in m.appearance(node) and m._numbered(points) is not None:
        entry = m.common(node, row, field_id, "scale")
        m.points(choices, row, field_id, "scale", entry)
        _style(m, node, entry)
        m.remember(node["name"], field_id, "scale")
        return entry
    return _select(m, node, row, field_id, "single")


def shared_file(shared: str) -> str:
    """The file a list of another form (``choices_of``) is read from in XLSForm: ``competence_check-municipality.csv``
    (a file name has one dot)."""
    return f"{shared.replace('.', '-')}.csv"


def _shared_name(itemset: str) -> str:
    return itemset[:-len(".csv")].replace("-", ".", 1)


def _shared(itemset: str, choices) -> bool:
    """A list from a file named after a role's choice field (``shared_file``)."""
    return not choices and itemset.endswith(".csv") and _shared_name(itemset) in shareable()


def _shared_list(m: _Mapper, node: dict, row: int, field_id: str, ftype: str) -> dict:
    # Another form's list, by name (choices_of): the list itself stays in that form.
    entry = m.common(node, row, field_id, ftype)
    entry[SHARED_KEY] = _shared_name(str(node["itemset"]))
    _style(m, node, entry)
    m.remember(node["name"], field_id, ftype)
    return entry


def _select_multiple(m: _Mapper, node: dict, row: int, field_id: str) -> dict | None:
    if _shared(str(node.get("itemset") or ""), node.get("choices", [])):
        entry = _shared_list(m, node, row, field_id, "multiple")
        entry.update(m.limits(node, row, "multiple"))
        return entry
    entry = _select(m, node, row, field_id, "multiple")
    if entry is not None:
        limits = m.limits(node, row, "multiple")
        choices = entry.pop("choices")
        entry.update(limits)
        entry["choices"] = choices
    return entry


def _select(m: _Mapper, node: dict, row: int, field_id: str, ftype: str) -> dict | None:
    entry = m.common(node, row, field_id, ftype)
    _style(m, node, entry)
    choices = m.choices(node, row, field_id, ftype)
    m.remember(node["name"], field_id, ftype)
    if choices is None:
        return None
    entry["choices"] = choices
    return entry


def _style(m: _Mapper, node: dict, entry: dict) -> None:
    appearances = m.appearance(node)
    styles = [a for a in appearances if a in STYLES]
    if entry["type"] == "single" and MINIMAL in appearances:
        entry["style"] = DROPDOWN
    elif styles:
        entry["style"] = styles[0]


def _note(m: _Mapper, node: dict, row: int, field_id: str) -> dict | None:
    entry = {"id": field_id, "type": "note"}
    text = m.text(node.get("label"), row, "the note", f"{field_id} (note): text", required=True)
    if not text:
        return None
    entry["text"] = text
    help_text = m.text(node.get("hint"), row, "the hint", f"{field_id} (note): help")
    if help_text:
        entry["help"] = help_text
    image = m.image(node.get("media"), row)
    if image:
        entry["image"] = image
    return entry


def _acknowledge(m: _Mapper, node: dict, row: int, field_id: str) -> dict:
    # The hint holds the consent text (the label is what a person agrees to); without one, the label is both.
    hint = node.pop("hint", None)
    entry = m.common(node, row, field_id, "consent")
    text = m.text(hint, row, "the hint (the consent text)", f"{field_id} (consent): text") if hint else ""
    entry["text"] = text or entry.get("label", "")
    m.remember(node["name"], field_id, "consent")
    return entry


#: pyxform's question type -> how it becomes a proconnect field (pyxform's ``QUESTION_CLASSES`` idea).
_QUESTIONS = {"text": _text_question, "integer": _number_question, "decimal": _number_question,
              "date": _date_question, "select one": _select_one, "select all that apply": _select_multiple,
              "note": _note, "acknowledge": _acknowledge}
_KEY_ORDER = ("id", "type", "choices_from", "choices_of", "label", "help", "text", "required", "show_if", "image", "style", "min", "max", "step",
              "unit", "max_length", "min_selected", "max_selected", "points", "start", "low", "high", "labels", "unsure")


def _heading(node: dict) -> dict:
    """A group's label and hint: pyxform moves a table-list group's into a note it adds as first question."""
    for child in node.get("children", []):
        if str(child.get("name", "")).startswith("generated_table_list_label_"):
            return {"label": child.get("label"), "hint": child.get("hint")}
    return {"label": node.get("label"), "hint": node.get("hint")}


def _children(node: dict) -> list[dict]:
    """A group's questions from the sheet, and the text question pyxform adds for ``or_other``.

    pyxform adds other rows of its own (a ``repeat_count``'s calculation, a table-list's header); they
    come from a row that is reported for itself.
    """
    out = []
    for child in node.get("children", []):
        generated = not child.get("bind", {}).get(ROW_MARK) and "__row_number" not in child
        if generated and not (child.get("type") == "text" and str(child.get("name", "")).endswith("_other")):
            continue
        out.append(child)
    return out


def _row(node: dict, last: int) -> int:
    mark = node.get("bind", {}).get(ROW_MARK)
    return int(mark) if mark else node.get("__row_number") or last


def _is_meta(node: dict) -> bool:
    return node.get("control", {}).get("bodyless") is True and node.get("name") == "meta"


def _count_questions(node: dict) -> int:
    return sum(_count_questions(c) if c.get("children") else 1 for c in _children(node))


def _both(a: str | None, b: str | None) -> str | None:
    if a and b:
        return f"({a}) and ({b})"
    return a or b


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _suggest(name: str) -> str:
    candidate = re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")
    candidate = re.sub(r"_+", "_", candidate)
    if candidate and not candidate[0].isalpha():
        candidate = "q_" + candidate
    return f", e.g. '{candidate}'" if candidate and IDENTIFIER.match(candidate) and candidate != name else ""
