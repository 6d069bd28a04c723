"""XLSForm expressions (XPath, as pyxform's lexer splits them) into proconnect's ``show_if`` language and limits.

Only what has a meaning in proconnect is translated: a ``relevant`` made of comparisons of earlier answers
with values, ``selected()``, ``and``/``or``/``not()`` and parentheses; a ``constraint`` that is a range, a
length or a number of choices. Anything else raises ``Unsupported`` with the part that has no equivalent,
so the converter can name it with its row.
"""
from __future__ import annotations

import re
from datetime import date

from pyxform.parsing.expression import parse_expression

from ..fieldtypes import FIELD_TYPES

#: XPath comparison -> show_if comparison.
_COMPARE = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
#: The comparison seen from the other side (``5 < .`` is ``. > 5``).
_MIRROR = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


class Unsupported(ValueError):
    """An expression (or a part of it) that has no equivalent in proconnect; the message names the part."""


def _tokens(source: str) -> list[tuple[str, str]]:
    """pyxform's tokens without white space, with ``>`` ``=`` joined into ``>=`` (its lexer splits them)."""
    out: list[tuple[str, str]] = []
    for token in parse_expression(source):
        kind, value = token.type, str(token.value)
        if kind == "WHITESPACE":
            continue
        if kind == "OPS_COMP" and out and out[-1][0] == "OPS_COMP" and value == "=" and out[-1][1] in "<>!":
            out[-1] = ("OPS_COMP", out[-1][1] + "=")
            continue
        if kind in ("OPS_BOOL", "OPS_MATH"):
            value = value.strip()
        if kind == "NAME" and value in ("and", "or"):
            kind = "OPS_BOOL"
        out.append((kind, value))
    return out


def _several(ftype: str) -> bool:
    """Whether a question of this type has a list of answers (``'x' in f`` in show_if), as its type says."""
    return ftype in FIELD_TYPES and FIELD_TYPES[ftype].aggregation == "multi"


def _shown(tokens: list[tuple[str, str]]) -> str:
    """Tokens as a person would write them again (for messages)."""
    out = ""
    for kind, text in tokens:
        if kind in ("OPS_COMP", "OPS_BOOL", "OPS_MATH"):
            out += f" {text} "
        elif kind == "COMMA":
            out += ", "
        else:
            out += text
    return out.strip()


def _single_value(text: str) -> bool:
    return bool(re.fullmatch(r'"[^"]*"|\'[^\']*\'|-?\d+(?:\.\d+)?|true|false', text))


def _literal(text: str) -> str:
    return f'"{text}"' if "'" in text else f"'{text}'"


class _Relevant:
    """A recursive-descent translation of a ``relevant`` over pyxform's tokens.

    :param fields: XLSForm name -> (show_if name, proconnect type) of the questions before this row
    """

    def __init__(self, source: str, fields: dict[str, tuple[str, str]], columns: bool = False):
        self.source = source
        self.tokens = _tokens(source)
        self.fields = fields
        #: Names are columns of the choices sheet (a choice_filter), not ${questions}.
        self.columns = columns
        self.i = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("END", "")

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok[0] == "FUNC_CALL" and tok[1] not in ("not(", "selected(", "true(", "false("):
            raise Unsupported(f"the function {tok[1]}) has no equivalent in show_if")
        if (kind and tok[0] != kind) or (value is not None and tok[1] != value):
            want = {"CLOSE_PAREN": "')'", "COMMA": "','", "PATH_SEP": "'/'", "NAME": "a name"}.get(kind, value)
            raise Unsupported(f"'{tok[1] or 'the end'}' where {want or 'something else'} was expected")
        self.i += 1
        return tok

    def translate(self) -> str:
        text = self.or_()
        if self.peek()[0] != "END":
            raise Unsupported(f"'{self.peek()[1]}'")
        return text

    def or_(self) -> str:
        parts = [self.and_()]
        while self.peek() == ("OPS_BOOL", "or"):
            self.take()
            parts.append(self.and_())
        if len(parts) == 1:
            return parts[0]
        # "x = 'a' or x = 'b'" is how XLSForm says "x is one of a, b": say it as show_if does.
        equal = [p.split(" == ", 1) for p in parts]
        if all(len(e) == 2 and " " not in e[0] and e[0] == equal[0][0] and _single_value(e[1]) for e in equal):
            return f"{equal[0][0]} in [{', '.join(e[1] for e in equal)}]"
        return "(" + " or ".join(parts) + ")"

    def and_(self) -> str:
        parts = [self.unary()]
        while self.peek() == ("OPS_BOOL", "and"):
            self.take()
            parts.append(self.unary())
        return " and ".join(parts)

    def unary(self) -> str:
        tok = self.peek()
        if tok == ("FUNC_CALL", "not("):
            self.take()
            inner = self.or_()
            self.take("CLOSE_PAREN")
            return f"not ({inner})"
        if tok == ("FUNC_CALL", "selected("):
            self.take()
            name, ftype = self.reference()
            self.take("COMMA")
            value = self.value()
            self.take("CLOSE_PAREN")
            if _several(ftype):
                return f"{value} in {name}"
            return f"{name} == {value}"
        if tok[0] == "OPEN_PAREN":
            self.take()
            inner = self.or_()
            self.take("CLOSE_PAREN")
            return f"({inner})"
        return self.comparison()

    def comparison(self) -> str:
        left = self.operand()
        tok = self.peek()
        if tok[0] != "OPS_COMP":
            raise Unsupported(f"'{left[1]}' alone (compare it with a value)")
        self.take()
        op = _COMPARE[tok[1]]
        right = self.operand()
        if self.columns and left[0] == right[0] == "field":
            raise Unsupported(f"'{right[1]}' is a column, not a value (a value is quoted: {left[1]} = '{right[1]}')")
        if left[0] == "value" and right[0] == "field":
            left, right, op = right, left, _MIRROR[op]
        if left[0] != "field" or right[0] != "value":
            raise Unsupported(f"a comparison of {left[1]} with {right[1]} (compare an answer with a value)")
        name, ftype = left[2]
        if _several(ftype):
            raise Unsupported(f"'{left[1]} {tok[1]} …' on a select_multiple (use selected({left[1]}, …))")
        if right[1] in ("''", '""'):
            raise Unsupported(f"a comparison with an empty text ({left[1]} {tok[1]} '')")
        return f"{name} {op} {right[1]}"

    def operand(self) -> tuple:
        tok = self.peek()
        if tok[0] in ("PYXFORM_REF", "PARENT_REF") or (self.columns and tok[0] == "NAME"):
            name, ftype = self.reference()
            return ("field", name, (name, ftype))
        return ("value", self.value())

    def reference(self) -> tuple[str, str]:
        tok = self.take()
        if self.columns:
            if tok[0] != "NAME":
                raise Unsupported(f"'{tok[1]}' (a filter on the choices compares their columns with values)")
            return tok[1], "single"
        if tok[0] == "PYXFORM_REF":
            xls_name = tok[1][2:-1]
        elif tok[0] == "PARENT_REF":
            # pyxform writes its own references as ../name (or_other's question).
            self.take("PATH_SEP")
            xls_name = self.take("NAME")[1]
        else:
            raise Unsupported(f"'{tok[1]}' where a question (${{name}}) was expected")
        if xls_name not in self.fields:
            raise Unsupported(f"${{{xls_name}}}, which is not an earlier question of this form")
        return self.fields[xls_name]

    def value(self) -> str:
        tok = self.take()
        if tok[0] == "SYSTEM_LITERAL":
            return _literal(tok[1][1:-1])
        if tok[0] == "NUMBER":
            return tok[1]
        if tok[0] == "FUNC_CALL" and tok[1] in ("true(", "false("):
            self.take("CLOSE_PAREN")
            return tok[1][:-1]
        raise Unsupported(f"'{tok[1]}'")


def relevant_to_show_if(source: str, fields: dict[str, tuple[str, str]]) -> str:
    """The ``show_if`` for an XLSForm ``relevant``.

    :param fields: XLSForm name -> (show_if name, proconnect type) of every earlier question
    :raise Unsupported: naming the part that has no equivalent
    """
    return _Relevant(source, fields).translate()


def choice_filter_show_if(source: str) -> str:
    """A ``choice_filter`` on the choices' own columns (``pastel = 'yes'``) in the ``show_if`` language, to be
    evaluated once per choice with its columns as answers.

    :raise Unsupported: for a filter that depends on an answer (``${state} = cf``) or anything else
    """
    if "${" in source:
        raise Unsupported("proconnect's choices do not depend on earlier answers (a filter on the choices' own "
                          "columns, such as pastel = 'yes', is applied once, at import)")
    return _Relevant(source, {}, columns=True).translate()


def constraint_limits(source: str, ftype: str, whole: bool = False) -> dict:
    """The limits (``min``/``max``, ``max_length``, ``min_selected``/``max_selected``) of a ``constraint``.

    Understood: comparisons of ``.`` with numbers (number fields), with ``date('…')`` or ``today()`` (dates),
    of ``string-length(.)`` (texts) and ``count-selected(.)`` (select_multiple), joined by ``and``.

    :param ftype: the proconnect type of the question
    :param whole: the question takes whole numbers only (an XLSForm ``integer``): ``. > 5`` is ``min = 6``
    :raise Unsupported: naming the part that has no equivalent
    """
    tokens = _tokens(source)
    limits: dict = {}
    parts: list[list[tuple[str, str]]] = [[]]
    for tok in tokens:
        if tok == ("OPS_BOOL", "and"):
            parts.append([])
        elif tok[0] == "OPS_BOOL":
            raise Unsupported(f"'{tok[1]}' (only conditions joined by 'and' are limits)")
        else:
            parts[-1].append(tok)
    for part in parts:
        subject, op, value = _limit_part(part)
        _apply_limit(limits, subject, op, value, ftype, whole)
    return limits


#: What a limit in a constraint is about: the answer, its length, the number of choices.
_SUBJECTS = {(("SELF_REF", "."),): "value",
             (("FUNC_CALL", "string-length("), ("SELF_REF", "."), ("CLOSE_PAREN", ")")): "length",
             (("FUNC_CALL", "count-selected("), ("SELF_REF", "."), ("CLOSE_PAREN", ")")): "count"}


def _limit_part(part: list[tuple[str, str]]) -> tuple[str, str, object]:
    text = _shown(part) or "nothing"
    for tokens, subject in _SUBJECTS.items():
        n = len(tokens)
        if tuple(part[:n]) == tokens and len(part) > n and part[n][0] == "OPS_COMP":
            return subject, part[n][1], _limit_value(part[n + 1:], text)
        if tuple(part[-n:]) == tokens and len(part) > n and part[-n - 1][0] == "OPS_COMP":
            op = _MIRROR[_COMPARE[part[-n - 1][1]]].replace("==", "=")
            return subject, op, _limit_value(part[:-n - 1], text)
    raise Unsupported(f"'{text}'")


def _limit_value(tokens: list[tuple[str, str]], text: str):
    if len(tokens) == 1 and tokens[0][0] == "NUMBER":
        number = float(tokens[0][1])
        return int(number) if number.is_integer() and "." not in tokens[0][1] else number
    if [t[0] for t in tokens] == ["FUNC_CALL", "CLOSE_PAREN"] and tokens[0][1] == "today(":
        return "today"
    if [t[0] for t in tokens] == ["FUNC_CALL", "SYSTEM_LITERAL", "CLOSE_PAREN"] and tokens[0][1] == "date(":
        try:
            return date.fromisoformat(tokens[1][1][1:-1])
        except ValueError:
            raise Unsupported(f"'{text}' (not a date YYYY-MM-DD)") from None
    if [t[0] for t in tokens] == ["DATE"]:
        return date.fromisoformat(tokens[0][1])
    raise Unsupported(f"'{text}' (a limit must be a number or a date)")


#: (subject, type kind) -> (key for >=, key for <=)
_LIMIT_KEYS = {("value", "number"): ("min", "max"), ("value", "date"): ("min", "max"),
               ("length", "text"): (None, "max_length"), ("count", "multiple"): ("min_selected", "max_selected")}


def _apply_limit(limits: dict, subject: str, op: str, value, ftype: str, whole: bool) -> None:
    kind = "text" if ftype in ("text", "longtext") else ftype
    keys = _LIMIT_KEYS.get((subject, kind))
    described = {"value": ".", "length": "string-length(.)", "count": "count-selected(.)"}[subject]
    if keys is None:
        raise Unsupported(f"'{described} {op} …' on a {ftype} question")
    counted = isinstance(value, int) and (whole or subject != "value")
    if op in (">", "<") and not counted:
        raise Unsupported(f"'{described} {op} {value}' (use {op}= with the limit itself)")
    if op in (">=", ">"):
        key, value = keys[0], value + 1 if op == ">" else value
    elif op in ("<=", "<"):
        key, value = keys[1], value - 1 if op == "<" else value
    else:
        raise Unsupported(f"'{described} {op} {value}'")
    if key is None:
        raise Unsupported(f"'{described} {op} {value}' (a text has a longest length only)")
    if key in limits:
        raise Unsupported(f"a second '{described} {op} …'")
    limits[key] = value


def calculation_score(source: str, fields: dict[str, tuple[str, str]]) -> tuple[str, list[str], dict[str, float]]:
    """The score a ``calculate`` describes: a sum of answers (``${a} + ${b}``) or their mean
    (``(${a} + ${b}) div 2``); an item counted from the other end is ``(L - ${c})`` with L = lowest + highest point.

    :return: ``(method, items, {reversed item: L})``
    :raise Unsupported: naming the part that is not such a sum
    """
    tokens = _tokens(source)
    method = "sum"
    if tokens and tokens[0][0] == "OPEN_PAREN" and len(tokens) > 3 and tokens[-2] == ("OPS_MATH", "div") \
            and tokens[-1][0] == "NUMBER" and tokens[-3][0] == "CLOSE_PAREN":
        tokens, method, count = tokens[1:-3], "mean", tokens[-1][1]
    else:
        count = None
    items, reverse = [], {}
    terms: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for tok in tokens:
        depth += {"OPEN_PAREN": 1, "CLOSE_PAREN": -1}.get(tok[0], 0)
        if tok == ("OPS_MATH", "+") and depth == 0:
            terms.append([])
        else:
            terms[-1].append(tok)
    for term in terms:
        kinds = [k for k, _ in term]
        if kinds == ["PYXFORM_REF"]:
            items.append(_score_item(term[0][1], fields))
        elif kinds == ["OPEN_PAREN", "NUMBER", "OPS_MATH", "PYXFORM_REF", "CLOSE_PAREN"] and term[2][1] == "-":
            name = _score_item(term[3][1], fields)
            items.append(name)
            reverse[name] = float(term[1][1])
        else:
            raise Unsupported(f"'{_shown(term) or 'nothing'}' (a score adds answers: ${{a}} + ${{b}})")
    if count is not None and float(count) != len(items):
        raise Unsupported(f"'div {count}' (a mean divides by the number of answers, {len(items)})")
    return method, items, reverse


def _score_item(ref: str, fields: dict[str, tuple[str, str]]) -> str:
    name = ref[2:-1]
    if name not in fields:
        raise Unsupported(f"{ref}, which is not an earlier question of this form")
    return fields[name][0]
