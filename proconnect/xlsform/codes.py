"""Everything the XLSForm converter can report, as one catalogue of codes (like ``definitions.errors``).

A ``SheetProblem`` names the sheet and row of the XLSForm (the row numbers a spreadsheet shows), so a
coordinator finds the cell: ``survey row 14: type 'geopoint' is not supported``.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass


class XlsCode(enum.Enum):
    XLS_001 = "the file could not be read as an XLSForm: {detail}"
    XLS_002 = "type '{type}' is not supported{why}"
    XLS_003 = "relevant \"{expression}\" is not supported: {detail}"
    XLS_004 = "constraint \"{expression}\" is not supported: {detail}"
    XLS_005 = "choice_filter \"{expression}\" is not supported: {detail}"
    XLS_006 = ("name '{name}' is not a valid id: use lower-case letters, digits and single underscores, "
               "starting with a letter{hint}")
    XLS_007 = ("choice name '{name}' of list '{list}' is not a valid value: use lower-case letters, digits and "
               "single underscores, starting with a letter{hint}")
    XLS_008 = "{what} has no text in the form's language '{language}'"
    XLS_009 = "column '{column}': language '{language}' is not one of proconnect's languages ({known})"
    XLS_010 = "required \"{expression}\" is not supported: a question is either required (yes) or not (no)"
    XLS_011 = "{what} \"{text}\" shows an answer (${{{name}}}); proconnect's texts cannot include answers"
    XLS_012 = "{detail}"
    XLS_013 = "'{column}' is not carried over{why}"
    XLS_014 = "this {what} has no equivalent in proconnect's {type} question: {detail}"

    def format(self, **kwargs) -> str:
        return self.value.format(**kwargs)


#: Codes that describe something left out without changing what a question asks: listed, never refused.
NOTICES = frozenset({XlsCode.XLS_013})
#: The column a problem is in, where its code says (an upload page can mark the cell).
COLUMNS = {XlsCode.XLS_002: "type", XlsCode.XLS_003: "relevant", XlsCode.XLS_004: "constraint",
           XlsCode.XLS_005: "choice_filter", XlsCode.XLS_006: "name", XlsCode.XLS_007: "name",
           XlsCode.XLS_010: "required"}


@dataclass(frozen=True)
class SheetProblem:
    """One problem of an XLSForm, with its place (row 0: the file or the sheet as a whole)."""

    sheet: str
    row: int
    code: XlsCode
    message: str
    #: The column, where it is known ("" otherwise).
    column: str = ""

    @property
    def notice(self) -> bool:
        """Left out without changing the questions (a display hint, a custom message): never blocks."""
        return self.code in NOTICES

    def __str__(self) -> str:
        where = f"{self.sheet} row {self.row}" if self.row else (self.sheet or "file")
        return f"{where}: {self.message}"


def problem(sheet: str, row: int, code: XlsCode, **kw) -> SheetProblem:
    """A ``SheetProblem`` with the message built from the catalogue."""
    column = COLUMNS.get(code) or (kw["column"] if code in (XlsCode.XLS_009, XlsCode.XLS_013) else "")
    return SheetProblem(sheet, row, code, code.format(**kw), column)
