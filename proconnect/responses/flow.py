"""The form-filling flow, the same for every way of filling in a form (the web form, a kiosk, its offline queue).

A caller opens a link (``find_link``, then ``open_link``), builds the form for the version it serves
(``form_class``), reads the answers (``util.read_answers``), decides and checks the visible pages
(``visible_pages``, ``validate_page``, ``first_invalid_page``) and stores them once under the idempotency key
the person's device made when the form was opened (``stored``, ``store``). Pages, drafts and JSON answers
are the caller's own.
"""
from __future__ import annotations

import logging
import re

from flask import abort, current_app, g
from flask_babel import lazy_gettext as _l

from ..definitions import forms_registry
from ..definitions import conditions
from ..definitions.model import PARTICIPANT_FIELD, FormDefinition
from ..links.models import Link
from ..links import linkview
from ..links.linkview import LinkView
from ..links.participants import add_code_check, code_problem, tidy
from ..extensions import db
from ..i18n import current_language, form_texts_digest, form_translator
from ..models_util import utcnow
from .models import Response
from .storage import Full, KeyTaken, VersionChanged, check_unchanged, count_responses, store_response, stored_through
from .util import CONTROL_NAMES, VERSION_INPUTS, form_names, judged_fine, make_response_form, read_answers, read_sent

log = logging.getLogger(__name__)
#: What an idempotency key looks like (made by the server for the web form, by kiosk.js for a kiosk).
KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_form_classes: dict = {}
_next_fields: dict = {}
#: Per version: the names it takes (``unknown_inputs``), and per page the answer inputs its check reads.
_known_inputs: dict = {}
_checked_inputs: dict = {}


class Refused(Exception):
    """The answers are not taken.

    :param status: the HTTP status: 403 (not open yet, the only one worth trying again later), 409 (the sent
        form does not fit this link or version), 410 (closed or full for good)
    :param message: the translated reason, for the person
    """

    def __init__(self, status: int, message):
        super().__init__(message)
        self.status, self.message = status, message

    @property
    def final(self) -> bool:
        """Whether sending the same answers again can never succeed (a kiosk keeps them for staff)."""
        return self.status != 403


class Closed(Refused):
    """The link takes no answers now (switched off, not open yet, closed, full)."""


class VersionGone(Refused):
    """The version a page was shown under is no longer served as it was shown.

    :param served: the version the link serves now (the person's answers can be carried into it)
    """

    def __init__(self, served: FormDefinition):
        super().__init__(409, VERSION_CHANGED)
        self.served = served


_NUMBER = re.compile(r"^[0-9]{1,6}$")
VERSION_CHANGED = _l("This form was changed while you were filling it in. Your answers are kept where the questions "
                     "are the same: please check every page and send the form again.")
FULL = _l("This form has received all the answers it needs. Thank you!")
KEY_TAKEN = _l("These answers were not saved: the sent form does not belong to this link. "
               "Please open the form again from its link or QR code.")


def find_link(token: str) -> LinkView:
    """The link of ``token`` (a copy that is never stale: ``links.linkview``); its language and cohort then apply
    to the request. :raise 404: unknown token"""
    link = linkview.find(token) if len(token) <= 64 else None
    if link is None:
        abort(404)
    # The participant code check needs it (``links.participants``).
    g.link_cohort_has_cards = link.cohort_has_cards
    g.link_language = link.language
    g.link_cohort_id = link.cohort_id
    g.link_test = link.test
    return link


def served_version(link: Link) -> FormDefinition | None:
    """The version a link serves: the one it pins, else the latest (None when that version is gone)."""
    return _for_link(link, forms_registry(current_app).get(link.form_id, link.version))


def _for_link(link: Link, definition: FormDefinition | None) -> FormDefinition | None:
    """``definition``, unless it is a draft and the link is a real one (a draft is rehearsed on test links only)."""
    return None if definition is not None and definition.draft and not link.test else definition


def check_open(link: Link) -> None:
    """Refuse a link that is switched off or outside its dates. :raise Closed: with the reason"""
    now = utcnow()
    if link.revoked_at is not None:
        raise Closed(410, _l("This link was switched off by the project team."))
    if link.opens_at is not None and now < link.opens_at:
        raise Closed(403, _l("This form is not open yet. Please come back later."))
    if link.closes_at is not None and now >= link.closes_at:
        raise Closed(410, _l("This form is closed. It does not take answers any more."))


def shown_version(formdata) -> tuple[str, str, str] | None:
    """The (form id, number, content hash) a sent page was shown under; None for a page from before pages
    carried it (a kiosk may send such an item hours after an update)."""
    if not any(name in formdata for name in VERSION_INPUTS):
        return None
    return tuple(formdata.get(name, "") for name in VERSION_INPUTS)


def _version_shown(link: Link, shown: tuple[str, str, str]) -> FormDefinition | None:
    """The version named by a page, when this link may serve it and its file is the one the page was made from."""
    form_id, number, content_hash = shown
    if form_id != link.form_id or not _NUMBER.match(number) or link.version not in (None, int(number)):
        return None
    definition = _for_link(link, forms_registry(current_app).get(form_id, int(number)))
    return definition if definition is not None and definition.content_hash == content_hash else None


def _unchanged(definition: FormDefinition) -> FormDefinition:
    try:
        check_unchanged(definition)
    except VersionChanged as exc:
        log.error("refusing to serve %s", exc)
        raise Closed(410, _l("This form is being revised. Please tell the project team.")) from exc
    return definition


def open_link(link: Link, key: str = "", shown: tuple[str, str, str] | None = None) -> FormDefinition:
    """The definition to fill in: the version a sent page was shown under, else the one the link serves now.

    A "latest" link keeps taking answers under an earlier version while its file is unchanged: the person
    answered the questions and labels of that version.

    :param key: the idempotency key of sent answers: a link filled by these very answers still takes their retry
    :param shown: from ``shown_version`` of the sent page
    :raise Closed: when the link does not take answers
    :raise VersionGone: when the version the page was shown under is gone or its file changed
    """
    check_open(link)
    served = served_version(link)
    if served is None:
        raise Closed(410, _l("This version of the form is no longer available."))
    definition = served if shown is None else _version_shown(link, shown)
    if definition is None:
        raise VersionGone(_unchanged(served))
    _unchanged(definition)
    if link.max_responses is not None and count_responses(link.id) >= link.max_responses:
        if not (key and stored(key, link)):
            raise Closed(410, FULL)
    return definition


def form_class(definition: FormDefinition, fields=None):
    """The WTForms class of a version in the current language, with the participant code check (built once).

    :param fields: only these questions (``for_next``), else all of them
    """
    key = (definition.id, definition.version, definition.content_hash, form_texts_digest(definition.id),
           current_language(), None if fields is None else tuple(f.id for f in fields))
    if key not in _form_classes:
        _form_classes[key] = add_code_check(make_response_form(definition, form_translator(definition.id), fields),
                                            PARTICIPANT_FIELD)
    return _form_classes[key]


def for_next(definition: FormDefinition, index: int, sent) -> list:
    """The questions "Next" on page ``index`` binds: that page's (it is checked), every question a condition reads
    (which pages are shown), and of the pages up to the first one that is shown whatever was answered (the page
    that comes next is among them) the questions ``sent`` holds an answer to (a person who went back); all of them
    when no later page is sure to be shown. A page of 7 questions does not bind all of a form's 85: the next page's
    unanswered questions are drawn as they are drawn empty (``pageframe``).
    """
    # The questions kept are the version's Field objects: their texts and choices count as form_class's do.
    key = (definition.id, definition.version, definition.content_hash, form_texts_digest(definition.id), index)
    if key not in _next_fields:
        by_answer = {name: f for f in definition.fields for name in f.answer_names()}
        wanted = {f.id for f in definition.pages[index].fields}
        todo = [f for f in definition.fields if f.condition is not None]
        while todo:
            for name in conditions.names(todo.pop().condition):
                read = by_answer.get(name)
                if read is not None and read.id not in wanted:
                    wanted.add(read.id)
                    todo += [read] if read.condition is not None else []
        drawn: set = set()
        for page in definition.pages[index + 1:]:
            drawn |= {f.id for f in page.fields} - wanted
            if any(f.condition is None for f in page.fields):
                break
        else:
            # Perhaps no later page is shown: then "Next" sends the form, which checks every page.
            wanted, drawn = {f.id for f in definition.fields}, set()
        _next_fields[key] = ([f for f in definition.fields if f.id in wanted], wanted,
                             [(f, form_names(definition, [f])) for f in definition.fields if f.id in drawn])
    read, read_ids, drawn = _next_fields[key]
    answered = {f.id for f, names in drawn if any(name in sent for name in names)}
    return [f for f in definition.fields if f.id in answered or f.id in read_ids] if answered else read


def read_next(definition: FormDefinition, index: int, fields: list, sent) -> tuple[dict, dict] | None:
    """The answers of "Next" on page ``index`` read and checked by their field types without a WTForms form, as
    its form (``form_class(definition, fields)``) would read and check them: ``(values, shown)`` as
    ``util.read_answers`` gives them when every shown question of the page is fine; None when one is not, or a
    question's type reads its input its own way (read the page through its form, which says what is wrong).
    """
    return _read_plainly(definition, fields, sent, [index])


def read_all(definition: FormDefinition, sent) -> tuple[dict, dict] | None:
    """The answers of a form sent to be stored, read and checked as ``read_next`` does: ``(values, shown)`` when
    every shown question of every visible page is fine (what ``first_invalid_page`` finds with its form), else None."""
    return _read_plainly(definition, definition.fields, sent, None)


def _read_plainly(definition: FormDefinition, fields: list, sent, pages: list[int] | None):
    if not form_class(definition, None if fields is definition.fields else fields).plain:
        return None
    code = {PARTICIPANT_FIELD: tidy} if any(f.id == PARTICIPANT_FIELD for f in fields) else {}
    read = read_sent(definition, fields, sent, code)
    values, shown = read_answers(definition, read)
    checks = {PARTICIPANT_FIELD: code_problem} if code else {}
    for index in visible_pages(definition, shown) if pages is None else pages:
        for f in definition.pages[index].fields:
            if f.answerable and shown[f.id] and not judged_fine(f, read, checks):
                return None
    return values, shown


def unknown_inputs(definition: FormDefinition, names, allowed=()) -> set[str]:
    """The sent names that are neither an answer of this version, a control nor in ``allowed`` (a forged form)."""
    key = (definition.id, definition.version, definition.content_hash)
    known = _known_inputs.get(key)
    if known is None:
        known = _known_inputs[key] = frozenset(form_names(definition)) | frozenset(CONTROL_NAMES)
    return set(names) - known - set(allowed)


def visible_pages(definition: FormDefinition, shown: dict) -> list[int]:
    """Indices of the pages with at least one shown question, given ``shown`` from ``read_answers``."""
    return [p.index for p in definition.pages if any(shown[f.id] for f in p.fields)]


def validate_page(definition: FormDefinition, form, index: int, shown: dict) -> bool:
    """Validate the shown questions of page ``index``; hidden ones are neither required nor checked."""
    ok = True
    for field_id, names in _page_inputs(definition, index):
        if shown[field_id]:
            for name in names:
                ok = form[name].validate(form) and ok
    return ok


def _page_inputs(definition: FormDefinition, index: int) -> list[tuple[str, list[str]]]:
    """``(field id, input names)`` of each question of page ``index`` that takes an answer (once per version: a
    submission checks every page: asked per question and request, this was about a sixth of the check)."""
    key = (definition.id, definition.version, definition.content_hash, index)
    inputs = _checked_inputs.get(key)
    if inputs is None:
        inputs = _checked_inputs[key] = [(f.id, form_names(definition, [f])) for f in definition.pages[index].fields
                                         if f.answerable]
    return inputs


def first_invalid_page(definition: FormDefinition, form, shown: dict) -> int | None:
    """The first visible page with a missing or wrong answer (its fields carry the errors), else None.

    Every page is checked again before storing: inputs of earlier pages come back from the client and may
    be forged.
    """
    for index in visible_pages(definition, shown):
        if not validate_page(definition, form, index, shown):
            return index
    return None


def stored(key: str, link: Link) -> bool:
    """Whether the answers sent under ``key`` were stored through ``link`` before (a double tap, a retry, a resent
    queue).

    :raise Refused: when another link stored them: these answers would be dropped behind a thank-you
    """
    existing = stored_through(key) if KEY.match(key) else None
    if existing is not None and existing.link_id != link.id:
        raise Refused(409, KEY_TAKEN)
    return existing is not None


def store(definition: FormDefinition, link: Link, *, language: str, key: str, values: dict,
          shown: dict) -> tuple[Response, bool]:
    """Store the answers given through ``link`` once: a key stored before is not stored again.

    :return: ``(response, created)``
    :raise Closed: when the link is full (counted in the same transaction as the insert), or the version's file
        changed after answers were stored under it
    :raise Refused: when the key was stored through another link
    """
    try:
        return store_response(definition, cohort_id=link.cohort_id, link_id=link.id, language=language, key=key,
                              values=values, shown=shown, limit=link.max_responses, test=link.test)
    except Full as exc:
        raise Closed(410, FULL) from exc
    except KeyTaken as exc:
        raise Refused(409, KEY_TAKEN) from exc
    except VersionChanged as exc:
        log.error("refusing to store under %s", exc)
        raise Closed(410, _l("This form is being revised. Please tell the project team.")) from exc
