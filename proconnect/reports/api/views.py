"""The read-only JSON API: cohorts, instruments and their codebooks, responses (paged), aggregates.

Every call but the OpenAPI document carries an API token (see auth.py); what a token may read is what
its owner may read in the web interface. Errors are JSON: ``{"error": "..."}`` with the status.
"""
from __future__ import annotations

import dataclasses
import functools
from datetime import date, datetime

from flask import current_app, jsonify, request, url_for
from sqlalchemy import func, select

from ...access import public
from ...accounts.scope import visible_cohorts
from ...cohorts.models import Cohort
from ...control_chars import first_with_control
from ...definitions import forms_registry
from ...links.models import Link
from ...extensions import db
from ...responses.models import Response
from ..builder import build_cohort_report
from ..exports import columns
from ..params import BadParameter, UnknownObject, parse_filters, parse_options
from .auth import ApiError, authenticate, cohort_for
from .openapi import document

MAX_PER_PAGE = 500


def token_required(view):
    """Run ``view`` with the token's owner as first argument; API errors become JSON answers.

    The session-based access rule lets API calls through (they carry no session); this is their gate.
    """
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(authenticate(), *args, **kwargs)
        except ApiError as exc:
            return error(exc.status, exc.message)
    return public(wrapper)


def error(status: int, message: str):
    response = jsonify(error=message)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="proconnect"'
    return response


def jsonable(value):
    """Dataclasses, dates and tuples as JSON values (times are UTC, marked with Z)."""
    if dataclasses.is_dataclass(value):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    # isdecimal, not isdigit: int() refuses "²"; the length check spares int() a huge string.
    if not raw.isdecimal() or len(raw) > len(str(high)) or not low <= int(raw) <= high:
        raise ApiError(400, f"{name}: expected a whole number from {low} to {high}")
    return int(raw)


@public
def openapi():
    """The OpenAPI 3 document describing this API."""
    return jsonify(document(list(forms_registry(current_app).instruments)))


@token_required
def cohorts(user):
    rows = db.session.scalars(visible_cohorts(user).order_by(Cohort.created_at, Cohort.id)).all()
    counts = dict(db.session.execute(select(Response.cohort_id, func.count()).where(
        Response.cohort_id.in_([c.id for c in rows])).group_by(Response.cohort_id)).all())
    return jsonify(items=[{"slug": c.slug, "title": c.title, "created_at": jsonable(c.created_at),
                           "responses": counts.get(c.id, 0)} for c in rows])


@token_required
def instruments(user):
    registry = forms_registry(current_app)
    return jsonify(items=[{"id": i.id, "title": i.latest.title, "versions": sorted(i.versions),
                           "latest": max(i.versions)} for i in registry])


@token_required
def version(user, form_id: str, number: str):
    """One version's codebook: the export columns with labels, types and choice values."""
    definition = forms_registry(current_app).get(form_id, int(number)) if number.isdigit() and len(number) <= 5 \
        else None
    if definition is None:
        raise ApiError(404, f"no instrument '{form_id[:64]}' with version {number[:8]}")
    return jsonify(id=definition.id, version=definition.version, title=definition.title,
                   content_hash=definition.content_hash,
                   columns=[{"name": c.name, "label": c.label, "type": c.type, "values": c.values}
                            for c in columns([definition])])


def _cohort_filters(user):
    bad = first_with_control(request.args.items(multi=True))
    if bad is not None:
        raise ApiError(400, f"{bad[:40]!s}: contains a control character")
    slug = request.args.get("cohort", "")
    if not slug:
        raise ApiError(400, "cohort: required (a cohort's slug)")
    cohort = cohort_for(user, slug)
    try:
        return cohort, parse_filters(request.args, cohort.id, forms_registry(current_app), form_key="instrument")
    except BadParameter as exc:
        raise ApiError(404 if isinstance(exc, UnknownObject) else 400, str(exc)) from None


@token_required
def responses(user):
    """Responses of a cohort, oldest first, ``per_page`` at a time."""
    cohort, filters = _cohort_filters(user)
    page = _int_arg("page", 1, 1, 10**6)
    per_page = _int_arg("per_page", 100, 1, MAX_PER_PAGE)
    where = filters.conditions()
    version_arg = request.args.get("version", "")
    if version_arg:
        if not version_arg.isdecimal() or len(version_arg) > 5 or not 1 <= int(version_arg) <= 99999:
            raise ApiError(400, "version: expected a whole number from 1 to 99999")
        where.append(Response.version == int(version_arg))
    total = db.session.scalar(select(func.count()).select_from(Response).where(*where))
    rows = db.session.execute(
        select(Response.id, Response.form_id, Response.version, Response.submitted_at, Response.language,
               Response.participant_code, Link.event, Response.payload)
        .outerjoin(Link, Link.id == Response.link_id).where(*where)
        .order_by(Response.id).limit(per_page).offset((page - 1) * per_page)).all()
    items = [{"id": rid, "cohort": cohort.slug, "instrument": form_id, "version": version_number,
              "submitted_at": jsonable(at), "language": language, "participant_code": code, "event": event or None,
              "answers": (payload or {}).get("answers", {}), "scores": (payload or {}).get("scores", {})}
             for rid, form_id, version_number, at, language, code, event, payload in rows]
    pages = -(-total // per_page)
    following = None
    if page < pages:
        args = request.args.to_dict() | {"page": page + 1, "per_page": per_page}
        following = url_for(".responses", **args)
    return jsonify(items=items, page=page, per_page=per_page, total=total, pages=pages, next=following)


@token_required
def aggregates(user):
    """The cohort report's numbers (the same model as the PDF), with the same filters and options."""
    cohort, filters = _cohort_filters(user)
    try:
        options = parse_options(request.args)
    except BadParameter as exc:
        raise ApiError(400, str(exc)) from None
    report = build_cohort_report(forms_registry(current_app), cohort, filters, language=options.language,
                                 funder=options.funder, min_cell=options.min_cell, text_limit=options.text_limit)
    return jsonify(jsonable(report))


@public
def not_found(rest: str):
    """Anything else under the API answers in JSON too."""
    return error(404, "no such API address; see /api/v1/openapi.json")
