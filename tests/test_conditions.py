"""The show_if language: parsed by our own parser, evaluated the same way at every submission."""
from __future__ import annotations

from datetime import date

import pytest

from proconnect.definitions.conditions import ConditionSyntaxError, evaluate, is_shown, names, parse


@pytest.mark.parametrize("source, answers, expected", [
    ("trade == 'metal'", {"trade": "metal"}, True),
    ("trade == 'metal'", {"trade": "wood"}, False),
    ("trade != 'metal'", {"trade": "wood"}, True),
    ("'metal' in trades", {"trades": ["wood", "metal"]}, True),
    ("'metal' in trades", {"trades": ["wood"]}, False),
    ("'metal' not in trades", {"trades": ["wood"]}, True),
    ("level in ['a1', 'a2']", {"level": "a2"}, True),
    ("level in ['a1', 'a2']", {"level": "b1"}, False),
    ("years >= 2 and years < 10", {"years": 3}, True),
    ("years >= 2 and years < 10", {"years": 12}, False),
    ("years > 2.5", {"years": 3}, True),
    ("not licence", {"licence": "no"}, True),
    ("licence", {"licence": "yes"}, True),
    ("a == 1 or b == 2", {"a": 0, "b": 2}, True),
    ("not (a == 1 or b == 2)", {"a": 0, "b": 2}, False),
    ("often.weld >= 3", {"often.weld": 4}, True),
    ("start < '2027-01-01'", {"start": date(2026, 5, 1)}, True),
    ("flag == true", {"flag": True}, True),
])
def test_conditions_evaluate_as_a_coordinator_would_read_them(source, answers, expected):
    assert is_shown(parse(source), answers) is expected


@pytest.mark.parametrize("source", ["trade == 'metal'", "years > 2", "'x' in trades", "not licence"])
def test_an_unanswered_field_keeps_the_question_hidden(source):
    assert is_shown(parse(source), {}) is False or source == "not licence"


def test_comparing_text_with_a_number_is_false_not_an_error():
    assert evaluate(parse("years > 'many'"), {"years": 3}) is False


def test_no_condition_means_always_shown():
    assert is_shown(None, {}) is True


def test_names_lists_every_field_reference():
    assert names(parse("a == 1 and ('x' in b or not c.row)")) == ["a", "b", "c.row"]


@pytest.mark.parametrize("source, message", [
    ("", "empty expression"),
    ("trade ==", "expected a field, a value or '(', got end of expression"),
    ("trade = 'metal'", "unexpected character '=' at position 7"),
    ("(a == 1", "expected ')', got end of expression"),
    ("a == 1 b", "unexpected 'b' after a complete expression"),
    ("__import__('os')", "unexpected '(' after a complete expression"),
    ("a in [b]", "expected a value (text in quotes, a number, true or false), got 'b'"),
])
def test_syntax_errors_say_what_was_expected(source, message):
    with pytest.raises(ConditionSyntaxError) as exc:
        parse(source)
    assert str(exc.value) == message
