"""The recording pages: coverage per language of a version, recording each text in the browser, invitation
links for volunteers (one language, no account), and the recordings served to the kiosk.

Staff record through ``/staff/forms/<form>/v<N>/recordings/<lang>``; a volunteer through ``/record/<token>``,
which opens that one page and nothing else. Both pages are the same template and send their takes to
the same code (``_upload``/``_delete``).
"""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..access import allow, public
from ..audit import record
from ..definitions import forms_registry
from ..errors import refuse
from ..extensions import db
from ..i18n import LANGUAGES, RTL_LANGUAGES
from ..models_util import utcnow
from . import storage
from .invitations import find_invitation, invitation_url
from .models import Recording, RecordingInvitation

#: How the page names each kind of text (``texts.KINDS``).
KIND_LABELS = {"title": _l("Title"), "question": _l("Question"), "text": _l("Text"), "help": _l("Help"),
               "choice": _l("Choice"), "row": _l("Row")}


def _definition(form_id: str, version: int):
    definition = forms_registry(current_app).get(form_id, version)
    if definition is None:
        abort(404)
    return definition


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        abort(404)
    return lang


def _spoken(definition, lang: str, key: str):
    for line in storage.lines(definition, lang):
        if line.spoken.key == key:
            return line
    abort(404)


# -- staff -------------------------------------------------------------------------------------------------

@allow("coordinator")
def version(form_id: str, version: int):
    """Coverage of one version in every language, and the invitation links given for it."""
    definition = _definition(form_id, version)
    languages = [(code, name, *storage.coverage(definition, code)) for code, name in LANGUAGES.items()]
    invitations = db.session.scalars(select(RecordingInvitation).filter_by(form_id=form_id, version=version)
                                     .order_by(RecordingInvitation.created_at.desc())).all()
    return render_template("recordings/version.html", definition=definition, languages=languages,
                           invitations=invitations, invitation_url=invitation_url, now=utcnow(),
                           days=current_app.config["RECORDING_INVITATION_DAYS"])


@allow("coordinator")
def page(form_id: str, version: int, lang: str):
    """Every text a person hears in ``lang``, each with its recording; recording happens in the browser."""
    definition = _definition(form_id, version)
    return _page(definition, _language(lang), None)


@allow("coordinator")
def upload(form_id: str, version: int, lang: str, key: str):
    definition = _definition(form_id, version)
    return _upload(definition, _language(lang), key, None,
                   url_for("recordings.page", form_id=form_id, version=version, lang=lang))


@allow("coordinator")
def delete(form_id: str, version: int, lang: str, key: str):
    definition = _definition(form_id, version)
    return _delete(definition, _language(lang), key, None,
                   url_for("recordings.page", form_id=form_id, version=version, lang=lang))


@allow("coordinator")
def invite(form_id: str, version: int):
    """A new invitation link for one language of this version (shown on the version's recording page)."""
    definition = _definition(form_id, version)
    lang = request.form.get("language", "")
    if lang not in LANGUAGES:
        flash(_("Choose the language the volunteer records in."), "error")
        return redirect(url_for("recordings.version", form_id=form_id, version=version))
    note = " ".join(request.form.get("note", "").split())[:120]
    days = current_app.config["RECORDING_INVITATION_DAYS"]
    invitation = RecordingInvitation(form_id=definition.id, version=definition.version, language=lang, note=note,
                                     created_by_id=current_user.id, expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    record("recording_invitation_created", f"recording invitation {invitation.id}", form=definition.id,
           version=definition.version, language=lang, days=days)
    db.session.commit()
    flash(_("The invitation link for %(language)s is ready below. It works for %(days)s days and opens only "
            "this language's recording page.", language=LANGUAGES[lang], days=days), "ok")
    return redirect(url_for("recordings.version", form_id=form_id, version=version, _anchor="invitations"))


@allow("coordinator")
def revoke(invitation_id: int):
    invitation = db.session.get(RecordingInvitation, invitation_id)
    if invitation is None:
        abort(404)
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        record("recording_invitation_revoked", f"recording invitation {invitation.id}", form=invitation.form_id,
               language=invitation.language)
        db.session.commit()
    flash(_("The invitation link no longer works. Recordings made with it stay."), "ok")
    return redirect(url_for("recordings.version", form_id=invitation.form_id, version=invitation.version,
                            _anchor="invitations"))


# -- a volunteer's invitation ------------------------------------------------------------------------------

def _invitation(token: str) -> RecordingInvitation:
    invitation = find_invitation(token)
    if invitation is None:
        refuse(404, _l("This invitation link does not work (any more). Please ask the coordinator for a new one."))
    return invitation


@public
def invited(token: str):
    invitation = _invitation(token)
    return _page(_definition(invitation.form_id, invitation.version), invitation.language, token)


@public
def invited_upload(token: str, key: str):
    invitation = _invitation(token)
    return _upload(_definition(invitation.form_id, invitation.version), invitation.language, key, invitation,
                   url_for("recordings.invited", token=token))


@public
def invited_delete(token: str, key: str):
    invitation = _invitation(token)
    return _delete(_definition(invitation.form_id, invitation.version), invitation.language, key, invitation,
                   url_for("recordings.invited", token=token))


# -- shared by both --------------------------------------------------------------------------------------

def _page(definition, lang: str, token: str | None):
    found = storage.lines(definition, lang)
    covered = sum(1 for line in found if line.covered)
    if token is None:
        def action(key: str, what: str) -> str:
            return url_for(f"recordings.{what}", form_id=definition.id, version=definition.version, lang=lang, key=key)
    else:
        def action(key: str, what: str) -> str:
            return url_for(f"recordings.invited_{what}", token=token, key=key)
    response = current_app.make_response(render_template(
        "recordings/page.html", definition=definition, lang=lang, language=LANGUAGES[lang],
        direction="rtl" if lang in RTL_LANGUAGES else "ltr", lines=found, covered=covered, kinds=KIND_LABELS,
        action=action, invited=token is not None, audio_url=storage.audio_url))
    # The invitation's token is in the address: it must not travel on to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _answer(ok: bool, message, back: str, status: int = 200, **extra):
    """JSON for the page's script (it asks for it), else a message and the page again."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify(status="ok" if ok else "refused", message=str(message), **extra), status
    flash(message, "ok" if ok else "error")
    return redirect(back)


def _upload(definition, lang: str, key: str, invitation: RecordingInvitation | None, back: str):
    line = _spoken(definition, lang, key)
    limit = current_app.config["RECORDING_MAX_BYTES"]
    upload = request.files.get("audio")
    if upload is None:
        return _answer(False, _("No recording arrived. Please record again."), back, 400)
    data = upload.read(limit + 1)
    try:
        recording = storage.save(definition, lang, line.spoken, data, upload.mimetype or upload.content_type or "",
                                 account_id=current_user.id if invitation is None else None,
                                 invitation_id=invitation.id if invitation else None)
    except storage.Refused as exc:
        return _answer(False, exc.message, back, 400)
    details = {"invitation": invitation.id} if invitation else {}
    record("recording_saved", f"recording {definition.id}/{lang}/{key}", size=len(data), **details)
    filename = recording.filename
    try:
        db.session.commit()
    except IntegrityError:
        # Two first takes of one text at the same moment (two volunteers): the other one was kept.
        db.session.rollback()
        (storage.folder(definition.id, lang) / filename).unlink(missing_ok=True)
        return _answer(False, _("Someone else saved a take of this text at the same moment. Reload the page "
                                "and listen to it, then record again if needed."), back, 409)
    found = storage.lines(definition, lang)
    return _answer(True, _("Recording saved."), back, url=storage.audio_url(recording),
                   covered=sum(1 for line in found if line.covered), total=len(found))


def _delete(definition, lang: str, key: str, invitation: RecordingInvitation | None, back: str):
    line = _spoken(definition, lang, key)
    if line.recording is not None:
        storage.delete(line.recording)
        details = {"invitation": invitation.id} if invitation else {}
        record("recording_deleted", f"recording {definition.id}/{lang}/{key}", **details)
        db.session.commit()
    return _answer(True, _("Recording deleted."), back)


# -- what the kiosk plays ----------------------------------------------------------------------------------

@public
def audio(form_id: str, lang: str, filename: str):
    """A recording, as the kiosk plays it (any take that exists; its name changes with every take)."""
    if forms_registry(current_app).instruments.get(form_id) is None or lang not in LANGUAGES \
            or not storage.FILE_NAME.match(filename) or filename.startswith("."):
        abort(404)
    mimetype = storage.SERVED[filename[filename.rindex("."):]]
    return send_from_directory(storage.folder(form_id, lang), filename, mimetype=mimetype, max_age=30 * 24 * 3600)
