"""The ``show_if`` language: a small, safe expression language over earlier answers.

Grammar (no ``eval``; a hand-written recursive-descent parser)::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand [("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") operand]
    operand := NAME | STRING | NUMBER | "true" | "false" | "[" [literal ("," literal)*] "]" | "(" expr ")"

A NAME is a field id, or ``matrix_id.row_id`` for one row of a matrix. An
unanswered field is ``None``; every comparison with ``None`` is false, so a
question that depends on an unanswered one stays hidden. ``x in field`` tests
membership in a multiple-choice answer; ``field in [...]`` tests a value
against a list. A bare NAME is true when the field has an answer that is not
"no"/false/empty. The parsed tree is plain lists, so the browser can evaluate
the same tree (see ``static/form.js``).
"""
from __future__ import annotations

import re
from datetime import date

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>"[^"\\]*"|'[^'\\]*')
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
_COMPARATORS = {"==", "!=", "<", "<=", ">", ">="}
_KINDS = {"lit": "a value (text in quotes, a number, true or false)"}


class ConditionSyntaxError(ValueError):
    """A ``show_if`` expression that cannot be parsed; the message says where."""


def _tokenize(source: str) -> list[tuple[str, object]]:
    tokens, pos = [], 0
    source = source.rstrip()
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if not m or m.end() == pos:
            at = len(source) - len(source[pos:].lstrip())
            raise ConditionSyntaxError(f"unexpected character {source[at]!r} at position {at + 1}")
        pos = m.end()
        kind = m.lastgroup
        text = m.group(kind)
        if kind == "number":
            tokens.append(("lit", float(text) if "." in text else int(text)))
        elif kind == "string":
            tokens.append(("lit", text[1:-1]))
        elif kind == "name" and text in _KEYWORDS:
            if text in ("true", "false"):
                tokens.append(("lit", text == "true"))
            else:
                tokens.append(("kw", text))
        elif kind == "name":
            tokens.append(("name", text))
        else:
            tokens.append(("op", text))
    return tokens


class _Parser:
    def __init__(self, source: str):
        self.tokens = _tokenize(source)
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if (kind and tok[0] != kind) or (value is not None and tok[1] != value):
            want = repr(value) if value is not None else _KINDS.get(kind, kind)
            got = "end of expression" if tok[0] == "end" else repr(tok[1])
            raise ConditionSyntaxError(f"expected {want}, got {got}")
        self.i += 1
        return tok

    def parse(self):
        if not self.tokens:
            raise ConditionSyntaxError("empty expression")
        tree = self.expr()
        if self.peek()[0] != "end":
            raise ConditionSyntaxError(f"unexpected {self.peek()[1]!r} after a complete expression")
        return tree

    def expr(self):
        node = self.and_()
        while self.peek() == ("kw", "or"):
            self.take()
            node = ["or", node, self.and_()]
        return node

    def and_(self):
        node = self.not_()
        while self.peek() == ("kw", "and"):
            self.take()
            node = ["and", node, self.not_()]
        return node

    def not_(self):
        if self.peek() == ("kw", "not"):
            self.take()
            return ["not", self.not_()]
        return self.compare()

    def compare(self):
        left = self.operand()
        tok = self.peek()
        if tok[0] == "op" and tok[1] in _COMPARATORS:
            self.take()
            return [tok[1], left, self.operand()]
        if tok == ("kw", "in"):
            self.take()
            return ["in", left, self.operand()]
        if tok == ("kw", "not") and self.i + 1 < len(self.tokens) and self.tokens[self.i + 1] == ("kw", "in"):
            self.take(), self.take()
            return ["not", ["in", left, self.operand()]]
        return left

    def operand(self):
        tok = self.peek()
        if tok[0] == "name":
            self.take()
            return ["field", tok[1]]
        if tok[0] == "lit":
            self.take()
            return ["lit", tok[1]]
        if tok == ("op", "("):
            self.take()
            node = self.expr()
            self.take("op", ")")
            return node
        if tok == ("op", "["):
            self.take()
            items = []
            while self.peek() != ("op", "]"):
                items.append(self.take("lit")[1])
                if self.peek() != ("op", "]"):
                    self.take("op", ",")
            self.take("op", "]")
            return ["lit", items]
        got = "end of expression" if tok[0] == "end" else repr(tok[1])
        raise ConditionSyntaxError(f"expected a field, a value or '(', got {got}")


def parse(source: str) -> list:
    """Parse a ``show_if`` expression into a tree of lists.

    :raise ConditionSyntaxError: with a message that says what was expected.
    """
    return _Parser(source).parse()


def names(tree: list) -> list[str]:
    """The field names a parsed expression refers to, in order of appearance."""
    if tree[0] == "field":
        return [tree[1]]
    if tree[0] == "lit":
        return []
    return [n for child in tree[1:] for n in names(child)]


def _truthy(value) -> bool:
    return value not in (None, "", [], False, "no", 0)


def _comparable(a, b):
    # Dates arrive as date objects, literals as ISO strings: compare them as strings.
    if isinstance(a, date):
        a = a.isoformat()
    if isinstance(b, date):
        b = b.isoformat()
    return a, b


def evaluate(tree: list, answers: dict) -> bool | object:
    """Evaluate a parsed expression against ``answers`` (field name -> value or None)."""
    op = tree[0]
    if op == "lit":
        return tree[1]
    if op == "field":
        return answers.get(tree[1])
    if op == "not":
        return not _truthy(evaluate(tree[1], answers))
    if op == "and":
        return _truthy(evaluate(tree[1], answers)) and _truthy(evaluate(tree[2], answers))
    if op == "or":
        return _truthy(evaluate(tree[1], answers)) or _truthy(evaluate(tree[2], answers))
    left, right = evaluate(tree[1], answers), evaluate(tree[2], answers)
    if left is None or right is None:
        return False
    if op == "in":
        return left in right if isinstance(right, (list, tuple, set, str)) else False
    left, right = _comparable(left, right)
    try:
        return {
            "==": lambda: left == right,
            "!=": lambda: left != right,
            "<": lambda: left < right,
            "<=": lambda: left <= right,
            ">": lambda: left > right,
            ">=": lambda: left >= right,
        }[op]()
    except TypeError:
        # Comparing text with a number is simply false, not an error at a refugee's tablet.
        return False


def is_shown(tree: list | None, answers: dict) -> bool:
    """True when a field with condition ``tree`` (None = always) is shown."""
    return tree is None or _truthy(evaluate(tree, answers))
