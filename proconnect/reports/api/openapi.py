"""The OpenAPI 3.0 document of the JSON API, served at ``/api/v1/openapi.json``.

Written by hand next to the views it describes; tests/test_api.py runs schemathesis against it, so a
view that answers something this document does not allow fails the suite.
"""
from __future__ import annotations

from ...cohorts.slugs import PATTERN as SLUG_PATTERN
from ...i18n import LANGUAGES

BASE = "/api/v1"


def _nullable(schema: dict) -> dict:
    return schema | {"nullable": True}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
COUNT = _nullable({"type": "integer", "minimum": 0, "description": "null when suppressed (fewer than min_cell)"})

SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": STRING}},
    "Cohort": {"type": "object", "required": ["slug", "title", "created_at", "responses"], "properties": {
        "slug": STRING, "title": STRING, "created_at": DATETIME, "responses": {"type": "integer", "minimum": 0}}},
    "Instrument": {"type": "object", "required": ["id", "title", "versions", "latest"], "properties": {
        "id": STRING, "title": STRING, "versions": {"type": "array", "items": INTEGER}, "latest": INTEGER}},
    "Column": {"type": "object", "required": ["name", "label", "type", "values"], "properties": {
        "name": {"type": "string", "description": "answer name: field id, 'matrix.row', score id or a meta column"},
        "label": STRING, "type": STRING, "values": {"type": "string", "description": "'value=label; ...'"}}},
    "Version": {"type": "object", "required": ["id", "version", "title", "content_hash", "columns"], "properties": {
        "id": STRING, "version": INTEGER, "title": STRING, "content_hash": STRING,
        "columns": {"type": "array", "items": {"$ref": "#/components/schemas/Column"}}}},
    "Response": {"type": "object", "required": ["id", "cohort", "instrument", "version", "submitted_at", "language",
                                                "participant_code", "event", "answers", "scores"], "properties": {
        "id": INTEGER, "cohort": STRING, "instrument": STRING, "version": INTEGER, "submitted_at": DATETIME,
        "language": STRING, "participant_code": _nullable(STRING), "event": _nullable(STRING),
        "answers": {"type": "object", "description": "answer name -> value as submitted (multiple choice: a list)",
                    "additionalProperties": {"anyOf": [STRING, NUMBER, {"type": "array", "items": STRING}]}},
        "scores": {"type": "object", "additionalProperties": NUMBER}}},
    "ResponsePage": {"type": "object", "required": ["items", "page", "per_page", "total", "pages", "next"],
                     "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Response"}},
        "page": INTEGER, "per_page": INTEGER, "total": INTEGER, "pages": INTEGER,
        "next": _nullable({"type": "string", "description": "URL of the next page"})}},
    "Bar": {"type": "object", "required": ["key", "label", "count", "percent", "suppressed"], "properties": {
        "key": STRING, "label": STRING, "count": COUNT, "percent": _nullable(NUMBER), "suppressed": {"type": "boolean"}}},
    "Numeric": {"type": "object", "required": ["n", "mean", "median", "low", "high", "unit", "bars", "scale"],
                "properties": {
        "n": COUNT, "mean": _nullable(NUMBER), "median": _nullable(NUMBER), "low": _nullable(NUMBER),
        "high": _nullable(NUMBER), "unit": STRING, "bars": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}},
        "scale": _nullable({"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2})}},
    "Question": {"type": "object", "required": ["id", "label", "type", "kind", "asked", "answered", "no_answer",
                                                "not_shown", "versions", "only_in", "bars", "numeric", "matrix",
                                                "texts"], "properties": {
        "id": STRING, "label": STRING, "type": STRING,
        "kind": {"type": "string", "enum": ["choice", "multi", "number", "date", "text", "matrix", "score"]},
        "asked": COUNT, "answered": COUNT, "no_answer": COUNT, "not_shown": COUNT,
        "versions": {"type": "array", "items": {"type": "object", "required": ["version", "responses"],
                                                "properties": {"version": INTEGER, "responses": COUNT}}},
        "only_in": {"type": "array", "items": INTEGER},
        "page": STRING, "help": STRING,
        "bars": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}},
        "numeric": _nullable({"$ref": "#/components/schemas/Numeric"}),
        "matrix": {"type": "array", "items": {"type": "object", "required": ["key", "label", "numeric"], "properties": {
            "key": STRING, "label": STRING, "numeric": {"$ref": "#/components/schemas/Numeric"},
            "no_answer": COUNT, "not_shown": COUNT}}},
        "points": {"type": "array", "items": {"type": "array", "items": {"anyOf": [INTEGER, STRING]}}},
        "first": _nullable(DATE), "last": _nullable(DATE),
        "texts": {"type": "array", "items": {"type": "object", "required": ["text", "language", "direction"],
                                             "properties": {"text": STRING, "language": STRING,
                                                            "direction": {"type": "string", "enum": ["ltr", "rtl"]},
                                                            "submitted_at": DATETIME}}},
        "texts_left_out": {"type": "integer", "minimum": 0}}},
    "Section": {"type": "object", "required": ["form_id", "title", "responses", "versions", "questions", "scores"],
                "properties": {
        "form_id": STRING, "title": STRING, "responses": COUNT,
        "versions": {"type": "array", "items": {"type": "object", "properties": {"version": INTEGER, "responses": COUNT}}},
        "questions": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}},
        "scores": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}},
        "languages": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}}}},
    "Funnel": {"type": "object", "required": ["participants", "stages", "placed", "rate", "target", "to_target",
                                              "statuses", "available"], "properties": {
        "participants": {"type": "integer", "minimum": 0},
        "stages": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}},
        "placed": COUNT, "rate": _nullable({"type": "number", "minimum": 0, "maximum": 1}),
        "target": {"type": "number"}, "to_target": _nullable({"type": "integer", "minimum": 0}),
        "statuses": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}},
        "available": {"type": "boolean"},
        "selection": {"type": "boolean", "description": "true: counted against the selected participants; "
                      "false: nobody is marked selected yet, everyone counts"},
        "not_selected": COUNT, "not_selected_placed": COUNT,
        "retention": _nullable({"type": "object", "description": "still in the apprenticeship or job six months "
                                "after the first start", "properties": {
            "due": COUNT, "retained": COUNT, "ended": COUNT, "unknown": COUNT,
            "rate": _nullable({"type": "number", "minimum": 0, "maximum": 1}),
            "reasons": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}}}})}},
    "Report": {"type": "object", "required": ["cohort_slug", "cohort_title", "language", "generated_at", "funder",
                                              "min_cell", "participants", "responses", "languages", "funnel",
                                              "sections"], "properties": {
        "cohort_slug": STRING, "cohort_title": STRING, "language": {"type": "string", "enum": ["de", "en"]},
        "generated_at": DATETIME, "period": {"type": "array", "items": _nullable(DATETIME)},
        "funder": {"type": "boolean"}, "min_cell": INTEGER, "text_limit": INTEGER,
        "filters": {"type": "object"}, "participants": COUNT, "total_responses": COUNT,
        "responses": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}},
        "languages": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}},
        "languages_form": _nullable(STRING),
        "funnel": {"$ref": "#/components/schemas/Funnel"},
        "sections": {"type": "array", "items": {"$ref": "#/components/schemas/Section"}}}},
}


def _param(name, where="query", schema=STRING, required=False, description="", example=None):
    param = {"name": name, "in": where, "required": required or where == "path", "schema": schema,
             "description": description}
    return param | ({"example": example} if example is not None else {})


def _errors(*statuses) -> dict:
    text = {400: "A parameter cannot be used (the message names it)", 401: "No valid API token",
            403: "The token's account may not read the API", 404: "Not found, or not yours to read"}
    return {str(s): {"description": text[s], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}} for s in statuses}


def _ok(schema: dict, description: str) -> dict:
    return {"200": {"description": description, "content": {"application/json": {"schema": schema}}}}


def _list_of(ref: str) -> dict:
    return {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}}}}


def _filters(instruments: list[str]) -> list[dict]:
    return [
        _param("cohort", required=True, schema={"type": "string", "pattern": f"^{SLUG_PATTERN}$"},
               description="Cohort slug (lower-case letters, digits and hyphens)",
               example="ol-2027"),
        _param("instrument", schema={"type": "string", "enum": instruments}, description="Instrument id",
               example=instruments[0] if instruments else None),
        _param("from", schema=DATE, description="First day of submission (YYYY-MM-DD)"),
        _param("to", schema=DATE, description="Last day of submission (YYYY-MM-DD); before 'from': no responses"),
    ]


def document(instruments: list[str]) -> dict:
    """The OpenAPI document; ``instruments`` are the ids installed in this app (an enum for callers)."""
    filters = _filters(instruments)
    return {
        "openapi": "3.0.3",
        "info": {"title": "proconnect API", "version": "1.0.0",
                 "description": "Read-only access to cohorts, instruments, responses and aggregates of "
                                "pro:connect, for partners' own tools. Every call needs an API token "
                                "(Authorization: Bearer ...), created by a coordinator on the reports page; "
                                "an admin can revoke any token."},
        "servers": [{"url": BASE}],
        "security": [{"token": []}],
        "paths": {
            "/cohorts": {"get": {"summary": "Cohorts the token may read", "operationId": "cohorts",
                                 "responses": _ok(_list_of("Cohort"), "Cohorts") | _errors(401, 403)}},
            "/instruments": {"get": {"summary": "Instruments and their versions", "operationId": "instruments",
                                     "responses": _ok(_list_of("Instrument"), "Instruments") | _errors(401, 403)}},
            "/instruments/{instrument}/versions/{version}": {"get": {
                "summary": "The codebook of one version", "operationId": "version",
                "parameters": [_param("instrument", "path", {"type": "string", "enum": instruments},
                                      example=instruments[0] if instruments else None),
                               _param("version", "path", {"type": "integer", "minimum": 1, "maximum": 99999},
                                      example=1)],
                "responses": _ok({"$ref": "#/components/schemas/Version"}, "Codebook") | _errors(401, 403, 404)}},
            "/responses": {"get": {
                "summary": "Responses of a cohort, oldest first, page by page", "operationId": "responses",
                "parameters": filters + [
                    _param("version", schema={"type": "integer", "minimum": 1, "maximum": 99999}),
                    _param("page", schema={"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1}),
                    _param("per_page", schema={"type": "integer", "minimum": 1, "maximum": 500, "default": 100}),
                ],
                "responses": _ok({"$ref": "#/components/schemas/ResponsePage"}, "A page of responses")
                | _errors(400, 401, 403, 404)}},
            "/aggregates": {"get": {
                "summary": "The cohort report's numbers, counted in the database", "operationId": "aggregates",
                "parameters": filters + [
                    _param("language", schema={"type": "string", "enum": list(LANGUAGES)},
                           description="Only responses given in this language"),
                    _param("link", schema={"type": "integer", "minimum": 1, "maximum": 999999999},
                           description="Only one link/event (404 when it is not a link of the cohort)"),
                    _param("report_lang", schema={"type": "string", "enum": ["de", "en"], "default": "de"}),
                    _param("funder", schema={"type": "boolean", "default": False},
                           description="Suppress cells describing fewer than min_cell people; no free texts"),
                    _param("min_cell", schema={"type": "integer", "minimum": 2, "maximum": 50, "default": 5}),
                    _param("texts", schema={"type": "integer", "minimum": 0, "maximum": 1000, "default": 50},
                           description="Free-text answers listed per question, newest first"),
                ],
                "responses": _ok({"$ref": "#/components/schemas/Report"}, "The report model")
                | _errors(400, 401, 403, 404)}},
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "An API token (pcapi_...)"}},
            "schemas": SCHEMAS,
        },
    }
