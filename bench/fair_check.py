"""The fair baseline's essential work on a competence check, with nothing around it (issue 14, hot paths).

``rules(toml_path)`` reads the form definition once per worker into a table of answer names and their
allowed values; ``store(connection, rules, pairs, key)`` checks every answer against it and inserts the
response row plus one row per answer into proconnect's own tables, in one transaction. No WTForms, no
templates, no ORM, no session: what any endpoint storing this form must do, and no more.
"""
from __future__ import annotations

import json
import sqlite3
import tomllib
from datetime import date, datetime, timezone

#: The CSRF token; the page's other bookkeeping inputs (_key, _page, _seen, _nav, _form) start with "_".
CSRF = "csrf_token"


class Invalid(Exception):
    """An answer whose name is not in the definition or whose value it does not allow."""


def _number(low, high):
    def check(value: str):
        number = int(value)
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(value)
        return {"value_num": number}
    return check


def _one_of(allowed: set[str], numeric: bool = False):
    def check(value: str):
        if value not in allowed:
            raise ValueError(value)
        return {"value_num": int(value)} if numeric else {"value_text": value}
    return check


def _date(low):
    def check(value: str):
        day = date.fromisoformat(value)
        if (low is not None and day < low) or day > date.today():
            raise ValueError(value)
        return {"value_date": value}
    return check


def _text(max_length):
    def check(value: str):
        if max_length is not None and len(value) > max_length:
            raise ValueError(value)
        return {"value_long": value}
    return check


def rules(toml_path: str) -> tuple[dict, dict]:
    """``(form header, answer name -> check)``; a check returns the typed columns or raises ValueError."""
    with open(toml_path, "rb") as f:
        definition = tomllib.load(f)
    table = {}
    for field in definition["fields"]:
        kind, name = field["type"], field["id"]
        points = [str(p) for p in range(field.get("start", 1), field.get("start", 1) + field.get("points", 0))]
        if kind in ("single", "multiple"):
            table[name] = _one_of({c["value"] for c in field["choices"]})
        elif kind == "matrix":
            for row in field["rows"]:
                table[f"{name}__{row['id']}"] = _one_of(set(points), numeric=True)
        elif kind == "scale":
            table[name] = _one_of(set(points), numeric=True)
        elif kind == "yesno":
            table[name] = _one_of({"yes", "no"})
        elif kind == "consent":
            table[name] = _one_of({"y"})
        elif kind == "number":
            table[name] = _number(field.get("min"), field.get("max"))
        elif kind == "date":
            table[name] = _date(field.get("min"))
        elif kind in ("text", "longtext"):
            table[name] = _text(field.get("max_length"))
    return definition["form"], table


def store(db: sqlite3.Connection, form: dict, table: dict, pairs, key: str, link: tuple[int, int]) -> None:
    """Check every answer, then insert the response and one row per answer in one transaction.

    :param link: ``(cohort id, link id)`` the response belongs to
    :raise Invalid: when an answer's name or value is not allowed (nothing is stored)
    """
    rows, payload = [], {}
    for name, value in pairs:
        if name[0] == "_" or name == CSRF:
            continue
        check = table.get(name)
        if check is None:
            raise Invalid(name)
        try:
            rows.append((name.replace("__", "."), check(value)))  # a matrix row is stored as matrix.row
        except ValueError:
            raise Invalid(name) from None
        payload.setdefault(name, []).append(value)
    code = payload.get("participant_code", [None])[0]
    with db:
        cursor = db.execute(
            "INSERT INTO response (form_id, version, content_hash, cohort_id, link_id, language, idempotency_key, "
            "participant_code, submitted_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (form["id"], form["version"], "-", link[0], link[1], "de", key, code.upper() if code else None,
             datetime.now(timezone.utc).replace(tzinfo=None).isoformat(" "), json.dumps(payload)))
        response_id = cursor.lastrowid
        db.executemany(
            "INSERT INTO answer (response_id, form_id, cohort_id, field_id, shown, value_text, value_num, value_date, "
            "value_long) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
            [(response_id, form["id"], link[0], name, typed.get("value_text"), typed.get("value_num"),
              typed.get("value_date"), typed.get("value_long")) for name, typed in rows])
