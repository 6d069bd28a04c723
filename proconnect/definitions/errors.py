"""The catalogue of everything that can be wrong with a form definition.

Each entry has a stable code and a message template, so the CLI, the app and
the tests build the same text from the same place (the pyxform ``ErrorCode`` idea).
"""
from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass


class ErrorCode(enum.Enum):
    TOML_001 = "TOML syntax error: {detail}"
    FILE_001 = "file name must be v<N>.toml with N a positive whole number (or draft.toml), got '{name}'"
    FILE_002 = "[form] id '{got}' does not match the folder name '{expected}'"
    FILE_003 = "[form] version {got} does not match the file name (expected {expected})"
    FILE_004 = "forms folder '{path}' does not exist"
    KEY_001 = "unknown key '{key}'{hint}"
    KEY_002 = "missing required key '{key}'"
    KEY_003 = "'{key}' must be {expected}, got {got!r}"
    TYPE_001 = "unknown field type '{got}'; expected one of: {expected}"
    ID_001 = "id {got!r} is not valid: use lower-case letters, digits and single underscores, starting with a letter"
    ID_002 = "duplicate id '{got}' (first used on line {first_line})"
    CHOICE_001 = "choice value {got!r} is not valid: use lower-case letters, digits and single underscores, starting with a letter"
    CHOICE_002 = "duplicate choice value '{got}'"
    CHOICE_003 = "a {type} field needs at least {minimum} choices, got {got}"
    CHOICE_004 = "choices_of {got!r} names no choice field of a role; expected '<role>.<field>', one of: {expected}{hint}"
    CHOICE_005 = "a field has either its own 'choices' or 'choices_of' another form's, not both"
    CHOICE_006 = "choices_of '{shared}': {why}, so this field has no choices"
    STYLE_001 = "style '{style}' is only for a {types} question; a {type} question takes one of: {styles}"
    LIMIT_001 = "'{low_key}' ({low}) must not be greater than '{high_key}' ({high})"
    COND_001 = "show_if syntax error: {detail}"
    COND_002 = "show_if refers to unknown field '{name}'"
    COND_003 = "show_if refers to '{name}', which comes later in the form; a condition may only use earlier answers"
    COND_004 = "show_if refers to '{name}', which is a {type} and has no answer"
    SCORE_001 = "score item '{item}' is not a field of this form"
    SCORE_002 = "score item '{item}' is a {type} field; scores can only use number, scale or matrix rows"
    SCORE_003 = "score method must be one of: {expected}, got {got!r}"
    SCORE_004 = "score reverses '{item}', which is not one of its items"
    SCORE_005 = "score reverses '{item}', a {type} field; only scale and matrix answers can be reversed"
    VER_001 = "field '{field}' was a {old} field in v{old_version}; a field id keeps its type. Use a new id"
    VER_002 = "field '{field}' had {old} in v{old_version}, now {new}; that changes the meaning of stored answers. Use a new id"
    VER_003 = "this version is published: {responses} response(s) were stored under its content hash, but the file has changed since. Restore the file and put the changes into v{next_version}.toml instead"
    VER_004 = "v{version} of '{form}' is also {other}: the instance's versions continue the shipped numbering, and an upgrade brought a shipped v{version} of its own. Answers stored under v{version} belong to the version whose hash is pinned; keep that one, and give the other the next free number (v{next_version})"
    VER_005 = "this draft says version {got}, but the next version of '{form}' is v{expected}{why}. Upload it again: it becomes v{expected}"
    VER_006 = "'{form}' has two drafts ({other} too); a form has at most one"
    ROLE_001 = "INSTRUMENT_ROLES points the {role} role at form '{form}', which does not exist{hint}"
    ROLE_002 = "the {role} role ({uses}) needs a {expected} '{field}'{why}; this form has none{hint}"
    ROLE_003 = "the {role} role ({uses}) needs '{field}' to be a {expected} field, not {got}"
    ROLE_004 = "the {role} role ({uses}) needs the {what} '{value}' in '{field}', which is missing"
    ROLE_005 = "INSTRUMENT_ROLES names '{role}', which is not a role; the roles are: {expected}{hint}"
    ROLE_006 = "the {role} role ({uses}) needs the choices of '{field}' to be those of {other}: {diff}. Write choices_of = \"{shared}\" instead of a list of its own"

    def format(self, **kwargs) -> str:
        return self.value.format(**kwargs)


class WarningCode(enum.Enum):
    WARN_001 = "choice '{value}' of field '{field}' is labelled differently than in v{old_version}; make sure its meaning is unchanged"


@dataclass(frozen=True)
class Problem:
    """One problem found in a definition file, with its place."""

    path: str
    line: int
    field: str
    code: ErrorCode | WarningCode
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field or '-'}: {self.message}"


class DefinitionError(Exception):
    """Raised when definition files have problems; carries all of them, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def closest(key: str, known) -> str | None:
    """The known name nearest to a near-miss ``key``, or None when none is near."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(key: str, known) -> str:
    """A ``, did you mean 'x'?`` hint for a near-miss key, or an empty string."""
    close = closest(key, known)
    return f", did you mean '{close}'?" if close else ""
