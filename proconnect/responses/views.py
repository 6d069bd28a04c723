"""The web form: one page per group, answers carried along, stored once at the end (through ``flow``).

Kiosk links are shown by distribution, which owns kiosk mode: it registers its screens with
``show_kiosks_with`` when its blueprint is registered, so this module knows nothing about kiosks.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import abort, current_app, g, redirect, render_template, request, send_from_directory, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import escape
from sqlalchemy import delete, select, update
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from ..access import public
from ..definitions import forms_registry
from ..definitions.conditions import names
from ..definitions.model import FormDefinition, Page
from ..links import prefill
from ..links.about import about
from ..links.models import Link
from ..errors import refuse
from ..extensions import db
from ..i18n import current_language, form_texts_digest, form_translator
from ..models_util import utcnow
from ..signing import csrf_passes, csrf_token
from . import flow, pageframe
from .models import ResponseDraft
from .util import form_names, read_answers

ASSET_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".mp3", ".ogg", ".m4a", ".opus"}


@dataclass(frozen=True)
class KioskScreens:
    """How a kiosk link is shown instead of the plain web form."""

    #: ``start(link, definition)``: the response for the first screen (the language choice)
    start: Callable
    #: The template of a form page (the same context as ``responses/page.html``)
    page_template: str


def show_kiosks_with(app, screens: KioskScreens) -> None:
    """Show ``app``'s kiosk links with ``screens`` (without, a kiosk link is an ordinary web form)."""
    app.extensions["responses.kiosk"] = screens


def _kiosk_screens() -> KioskScreens | None:
    return current_app.extensions.get("responses.kiosk")


def _open(link: Link, key: str) -> tuple[FormDefinition, str | None]:
    """The version a sent page was shown under (else the one served now), and a notice when that version is gone.

    :raise 403/410: when the link does not take answers
    """
    shown = flow.shown_version(request.form) if request.method == "POST" else None
    try:
        return flow.open_link(link, key, shown), None
    except flow.VersionGone as exc:
        # The answers move into the version served now, whose pages the person must see again before sending.
        g.draft_seen = ""
        return exc.served, exc.message
    except flow.Refused as exc:
        refuse(exc.status, exc.message)


def _stored(link: Link, key: str) -> bool:
    """Whether these answers were stored before. :raise 409: when another link stored them"""
    try:
        return flow.stored(key, link)
    except flow.Refused as exc:
        refuse(exc.status, exc.message)


@public
def fill(token: str):
    """Show a page of the form (GET) or take a page's answers and move on or store them (POST)."""
    link = flow.find_link(token)
    if request.method == "GET":
        return _fill(link, token, secrets.token_urlsafe(24))
    # A double tap or a retry after a dropped connection gets the thank-you page: the answers are already safe.
    # Asked only when these answers are not stored now (a closed link, a changed version, a page shown again):
    # storing them is refused by the key's unique constraint and answers with the response stored before.
    key = request.form.get("_key", "")
    try:
        response = _fill(link, token, key)
    except HTTPException:
        if _stored(link, key):
            return _thanks(token)
        raise
    return response if g.get("stored_now") or not _stored(link, key) else _thanks(token)


def _thanks(token: str):
    return redirect(url_for(".thanks", token=token), 303)


def _fill(link: Link, token: str, key: str):
    definition, changed = _open(link, key if request.method == "POST" else "")
    fixed = _fixed(link, definition)
    g.about = about(link)
    draft = _draft(link) if request.method == "GET" and _personal(link) else None
    # Staff looking at a company's link (to check it before sending) is not the company opening it.
    if request.method == "GET" and _personal(link) and link.opened_at is None and not current_user.is_authenticated:
        _mark_opened(link)
    if request.method == "GET" and draft is None and not link.kiosk and set(request.args) <= {"lang"} and not fixed \
            and not g.about:
        return _first_page(definition, link, key)
    if draft is not None:
        # Resuming a saved survey: the saved inputs stand in for a posted page.
        g.form_data, g.draft_seen = MultiDict([tuple(pair) for pair in draft.answers]), draft.seen
    if fixed:
        g.form_data = _with_fixed(fixed)
    if request.method == "POST" and not changed and g.get("form_data") is None:
        moved_on = _plainly(definition, link, token, key)
        if moved_on is not None:
            return moved_on
    if g.get("form_data") is not None:
        form = flow.form_class(definition)(formdata=g.form_data)
    else:
        form = flow.form_class(definition, _next_only(definition, changed, link))()
    values, shown = read_answers(definition, form)
    visible = flow.visible_pages(definition, shown)
    g.response_key = key
    if request.method == "GET":
        screens = _kiosk_screens()
        if link.kiosk and screens is not None and not request.args.get("lang"):
            return screens.start(link, definition)
        if draft is not None:
            page = draft.page if draft.page in visible else (visible[0] if visible else 0)
            return _render(definition, link, form, page, shown, visible,
                           _l("Welcome back! Your saved answers are filled in. You can go on where you stopped."))
        return _render(definition, link, form, visible[0] if visible else 0, shown, visible)
    if changed:
        return _render(definition, link, form, visible[0] if visible else 0, shown, visible, changed)

    if not flow.KEY.match(key):
        abort(400)
    try:
        page = min(max(int(request.form.get("_page", 0)), 0), len(definition.pages) - 1)
    except ValueError:
        abort(400)
    nav = request.form.get("_nav", "next")
    if nav == "back":
        earlier = [i for i in visible if i < page]
        return _render(definition, link, form, earlier[-1] if earlier else page, shown, visible)
    if nav == "language":
        # The language buttons post here with ?lang=: the same page again, nothing checked, nothing lost.
        return _render(definition, link, form, page, shown, visible)

    notice = None
    if flow.unknown_inputs(definition, request.form):
        form.forged = True
        notice = _l("The form contained answers to questions that do not exist. Please check and send again.")
    if not form.csrf_token.validate(form):
        notice = notice or _l("For your safety the page was renewed. Your answers are kept: please press the button "
                              "again.")
    if nav == "save" and _personal(link) and not notice:
        if _stored(link, key):
            return _thanks(token)  # a draft of answers already sent would outlive them
        _save_draft(definition, link, page)
        return _render(definition, link, form, page, shown, visible, _l(
            "Your answers are saved. You can close this page and go on later with the same link."))
    if not flow.validate_page(definition, form, page, shown) or notice:
        return _render(definition, link, form, page, shown, visible, notice)
    later = [i for i in visible if i > page]
    if nav != "submit" and later:
        return _render(definition, link, form, later[0], shown, visible)
    # An answer on this page can open a later page; "Send" must not skip it. Pages that carry `_seen`
    # say which screens the person has been shown (the kiosk sends everything at once and carries none).
    unseen = [i for i in later if i not in _seen_pages() | {page}]
    if "_seen" in request.form and unseen:
        return _render(definition, link, form, unseen[0], shown, visible)

    invalid = flow.first_invalid_page(definition, form, shown)
    if invalid is not None:
        return _render(definition, link, form, invalid, shown, visible)
    return _store(definition, link, token, key, values, shown)


def _store(definition: FormDefinition, link: Link, token: str, key: str, values: dict, shown: dict):
    """Store the answers once (``flow.store``), forget a saved draft, and thank the person."""
    # Read before storing: the commit expires the link, and reading it afterwards would load it again.
    personal, link_id = _personal(link), link.id
    try:
        flow.store(definition, link, language=current_language(), key=key, values=values, shown=shown)
    except flow.Refused as exc:
        refuse(exc.status, exc.message)
    g.stored_now = True
    if personal:
        db.session.execute(delete(ResponseDraft).where(ResponseDraft.link_id == link_id))
        db.session.commit()
    return _thanks(token)


class _NoAnswers:
    """The form of a next page none of whose questions was answered: each is drawn as it is drawn empty."""

    forged = False

    def __contains__(self, name) -> bool:
        return False


def _plainly(definition: FormDefinition, link: Link, token: str, key: str):
    """A "Next" or "Send" whose pages are fine, read and checked by their field types without a WTForms form
    (``flow.read_next``, ``flow.read_all``): the next page filled into its kept frame, or the answers stored (most
    requests on a hall's tablets). None when the request takes the form's way, which says what is wrong: a question
    with a problem, a notice (forged inputs, a renewed token), another button, a prefilled form, a page the person
    has not seen, a next page answered before (the person went back) or not drawn yet."""
    page, nav = request.form.get("_page", ""), request.form.get("_nav", "next")
    if nav not in ("next", "submit") or not page.isdigit() or int(page) >= len(definition.pages) \
            or not flow.KEY.match(key) or g.get("fixed") or flow.unknown_inputs(definition, request.form) \
            or not csrf_passes(request.form.get("csrf_token")):
        return None
    page = int(page)
    fields = _next_only(definition, None, link)
    if fields is not None:
        read = flow.read_next(definition, page, fields, request.form)
        if read is None:
            return None
        visible = flow.visible_pages(definition, read[1])
        later = [i for i in visible if i > page]
        if later:
            return _next_page(definition, link, key, later[0], read[1], visible)
    read = flow.read_all(definition, request.form)
    if read is None:
        return None
    values, shown = read
    later = [i for i in flow.visible_pages(definition, shown) if i > page]
    # As the form's way: "Next" with pages to come shows them, and "Send" does not skip a page an answer opened.
    if (nav != "submit" and later) or ("_seen" in request.form and set(later) - _seen_pages() - {page}):
        return None
    return _store(definition, link, token, key, values, shown)


def _next_page(definition: FormDefinition, link: Link, key: str, index: int, shown: dict, visible: list[int]):
    """Page ``index`` filled into its kept frame with none of its questions answered; None when one was answered
    before (drawn through the form) or the frame was not drawn yet."""
    if any(name in request.form for name in form_names(definition, definition.pages[index].fields)):
        return None
    g.response_key = key
    form = _NoAnswers()
    frame = _frame(definition, link, form, index, shown, visible, draw=False)
    return None if frame is None else (_filled(frame, definition, form, index, csrf_token()), 200)


def _next_only(definition: FormDefinition, changed, link: Link) -> list | None:
    """The questions a "Next" needs (``flow.for_next``); None (all of them) for every other request."""
    page = request.form.get("_page", "") if request.method == "POST" else ""
    # A kiosk's page carries every other page of the form for its script: it draws every question.
    if link.kiosk or changed or request.form.get("_nav", "next") != "next" or not page.isdigit() \
            or int(page) >= len(definition.pages):
        return None
    return flow.for_next(definition, int(page), request.form)


#: Shown when prefilled values were altered: the person must open the link they were given again.
FORGED_PREFILL = _l("This link was changed, so the form cannot know what it is about. Nothing was stored. "
                    "Please open the link exactly as you received it.")


def _fixed(link: Link, definition: FormDefinition) -> dict[str, str]:
    """The prefilled values of this form (input name -> value), kept in ``g.fixed``.

    :raise 400: when the signed values were altered or made for another link
    """
    signed = request.form.get("_prefill", "") if request.method == "POST" else request.args.get(prefill.PARAMETER, "")
    try:
        values = prefill.fixed(link, signed)
    except prefill.Forged:
        refuse(400, FORGED_PREFILL)
    g.fixed, g.prefill = prefill.inputs(definition, values), signed
    return g.fixed


def _with_fixed(fixed: dict[str, str]) -> MultiDict:
    """The inputs as sent (or saved), with the prefilled ones set. :raise 400: when a page changed one"""
    sent = g.get("form_data")
    data = MultiDict(sent if sent is not None else (request.form if request.method == "POST" else ()))
    for name, value in fixed.items():
        if request.method == "POST" and data.getlist(name) not in ([], [value]):
            refuse(400, FORGED_PREFILL)
        data.setlist(name, [value])
    return data


def _first_page(definition: FormDefinition, link: Link, key: str):
    """The empty first page: its questions drawn into its frame (``pageframe``) once per link, language and
    version, then only the CSRF token and the idempotency key change (a hall full of tablets opens the same page
    again and again)."""
    frames = pageframe.frames()
    frame_key = ("first", link.token, definition.id, definition.version, definition.content_hash,
                 form_texts_digest(definition.id), current_language(), request.script_root)
    frame = frames.get(frame_key) if frames is not None else None
    if frame is None:
        form = flow.form_class(definition)()
        _values, shown = read_answers(definition, form)
        visible = flow.visible_pages(definition, shown)
        g.response_key = key
        frame = _frame(definition, link, form, visible[0] if visible else 0, shown, visible)
        if frame is None:
            return _render(definition, link, form, visible[0] if visible else 0, shown, visible)
        frame = frame.baked(definition, form, form_translator(definition.id))
        if frames is not None:
            frames[frame_key] = frame
    return frame.fill({"csrf": csrf_token(), "key": escape(key), "seen": "0", "carried": ""}, definition, _NoAnswers(),
                      form_translator(definition.id), _empty_form(definition))


def _more_pages(definition: FormDefinition, page_index: int, visible: list[int], on_page: set[str]) -> bool:
    """Whether a later page is shown now, or may be opened by an answer on this page ("Next", not "Send")."""
    return any(p.index in visible or any(f.condition and set(names(f.condition)) & on_page for f in p.fields)
               for p in definition.pages[page_index + 1:])


def _seen_pages() -> set[int]:
    """The page indices the person has been shown so far (carried in ``_seen``, or saved with a draft)."""
    seen = g.get("draft_seen") if g.get("draft_seen") is not None else request.form.get("_seen", "")
    return {int(i) for i in seen.split(",") if i.isdigit()}


def _personal(link: Link) -> bool:
    """A link for one answer only (a company's own survey link): it may be saved and resumed."""
    return link.max_responses == 1 and not link.kiosk


def _mark_opened(link: Link) -> None:
    """Remember when a personal link was first opened (a company's survey shows "opened" to coordinators)."""
    db.session.execute(update(Link).where(Link.id == link.id, Link.opened_at.is_(None)).values(opened_at=utcnow())
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _draft(link: Link) -> ResponseDraft | None:
    return db.session.scalar(select(ResponseDraft).filter_by(link_id=link.id))


def _save_draft(definition: FormDefinition, link: Link, page: int) -> None:
    """Keep what was entered so far (every page's inputs, as sent) under the link."""
    answers = [[name, value] for name in form_names(definition) for value in request.form.getlist(name)]
    draft = _draft(link) or ResponseDraft(link_id=link.id)
    draft.answers, draft.page = answers, page
    draft.seen = ",".join(str(i) for i in sorted(_seen_pages() | {page}))
    db.session.add(draft)
    db.session.commit()


def _page_context(definition: FormDefinition, link: Link, form, page_index: int, shown: dict, visible: list[int],
                  notice=None) -> dict:
    """What ``responses/page.html`` draws, except what differs between two requests for the same page: the CSRF
    token, the idempotency key, the pages seen and the carried answers (``pageframe.SLOTS``)."""
    page: Page = definition.pages[page_index]
    on_page = {name for f in page.fields for name in f.answer_names()}
    conditions = {}
    for f in page.fields:
        # Conditions on answers of this very page are decided in the browser (and again on the server);
        # conditions on earlier pages are already known here.
        if f.condition is not None and set(names(f.condition)) & on_page:
            conditions[f.id] = json.dumps(f.condition, separators=(",", ":"))
    fixed = g.get("fixed") or {}
    fixed_text = prefill.shown(definition, fixed, form_translator(definition.id))
    return dict(
        definition=definition, link=link, form=form, page=page, shown=shown, conditions=conditions,
        t=form_translator(definition.id), notice=notice, fixed=fixed_text, prefill=g.get("prefill") or "",
        about=g.get("about") or [],
        has_errors=_errors(definition, form, page) or notice,
        position=visible.index(page_index) + 1 if page_index in visible else 1, total=max(len(visible), 1),
        is_last=not _more_pages(definition, page_index, visible, on_page))


def _errors(definition: FormDefinition, form, page: Page) -> bool:
    """Whether a question of ``page`` has an error (one "Next" did not bind has none: it was not checked)."""
    return any(name in form and form[name].errors for name in form_names(definition, page.fields))


def _template(link: Link) -> str:
    screens = _kiosk_screens()
    return screens.page_template if link.kiosk and screens is not None else PAGE


PAGE = "responses/page.html"


def _frame(definition: FormDefinition, link: Link, form, page_index: int, shown: dict, visible: list[int],
           notice=None, draw: bool = True) -> pageframe.Frame | None:
    """The page's frame (``pageframe``), drawn once; None when it is drawn in full (errors, a notice, prefilled
    answers, a kiosk's page) or nothing may be kept.

    :param draw: False: None unless it was drawn before
    """
    frames = pageframe.frames()
    if frames is None or notice is not None or _template(link) != PAGE or g.get("fixed") or g.get("prefill") \
            or g.get("about"):
        return None
    page = definition.pages[page_index]
    if _errors(definition, form, page):
        return None
    position = visible.index(page_index) + 1 if page_index in visible else 1
    frame_key = (link.token, definition.id, definition.version, definition.content_hash,
                 form_texts_digest(definition.id), current_language(), request.script_root, page_index,
                 tuple(bool(shown[f.id]) for f in page.fields), position, len(visible))
    frame = frames.get(frame_key)
    if frame is None and draw:
        context, questions = _page_context(definition, link, form, page_index, shown, visible), []
        frame = pageframe.Frame.drawn(
            lambda **stand_ins: render_template(PAGE, **context, **stand_ins, question=pageframe.recorder(questions)),
            form.csrf_token.current_token, questions)
        frames[frame_key] = frame
    return frame


_CARRIED: dict = {}


def _carried_names(definition: FormDefinition, page_index: int) -> list[str]:
    """The inputs of every other page, carried along as hidden inputs (made once per version and page)."""
    key = (definition.id, definition.version, definition.content_hash, page_index)
    names = _CARRIED.get(key)
    if names is None:
        names = _CARRIED[key] = form_names(definition, [f for f in definition.fields if f.page != page_index])
    return names


def _filled(frame: pageframe.Frame, definition: FormDefinition, form, page_index: int, csrf: str) -> str:
    """Page ``page_index`` of ``frame`` filled for this request: its token, key, pages seen, carried answers and
    ``form``'s answers."""
    return frame.fill({"csrf": csrf, "key": escape(g.response_key), "seen": _seen(page_index),
                       "carried": _carried(definition, page_index)}, definition, form, form_translator(definition.id),
                      _empty_form(definition))


def _empty_form(definition: FormDefinition):
    """``empty(f)``: a form holding question ``f`` as nobody answered it (``pageframe.Frame.fill``)."""
    return lambda f: flow.form_class(definition, [f])(formdata=MultiDict(), meta={"csrf": False})


def _seen(page_index: int) -> str:
    return ",".join(str(i) for i in sorted(_seen_pages() | {page_index}))


def _carried(definition: FormDefinition, page_index: int):
    """The hidden inputs carrying the answers of every other page."""
    sent = g.get("form_data") or request.form
    return pageframe.hidden_inputs(
        (name, value) for name in _carried_names(definition, page_index) if name in sent for value in sent.getlist(name))


def _render(definition: FormDefinition, link: Link, form, page_index: int, shown: dict, visible: list[int],
            notice=None):
    frame = _frame(definition, link, form, page_index, shown, visible, notice)
    if frame is not None:
        return _filled(frame, definition, form, page_index, form.csrf_token.current_token), 200
    if any(name not in form for name in form_names(definition, definition.pages[page_index].fields)):
        # Drawn in full with questions "Next" did not bind (it draws them empty): bind every question.
        form = flow.form_class(definition)(formdata=g.get("form_data") or request.form)
    return render_template(_template(link), **_page_context(definition, link, form, page_index, shown, visible, notice),
                           key=g.response_key, seen=_seen(page_index), carried=_carried(definition, page_index)), \
        400 if form.forged else 200


@public
def thanks(token: str):
    link = flow.find_link(token)
    definition = flow.served_version(link)
    return render_template("responses/thanks.html", link=link, definition=definition,
                           t=form_translator(link.form_id))


@public
def asset(form_id: str, name: str):
    """Pictograms and recorded audio of an instrument (only those: never its definition files)."""
    instrument = forms_registry(current_app).instruments.get(form_id)
    if instrument is None or Path(name).suffix.lower() not in ASSET_TYPES:
        abort(404)
    return send_from_directory(instrument.folder, name, max_age=24 * 3600)
