"""The instruments pages: the list of forms, one version (or draft), upload, publish, download, preview and a
test link for a rehearsal. Every change is audit-logged."""
from __future__ import annotations

import secrets
from pathlib import Path
from types import SimpleNamespace

from flask import Response as HttpResponse, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_decimal, gettext as _
from sqlalchemy import select

from ..access import allow
from ..accounts.scope import visible_cohort, visible_cohorts
from ..audit import record
from ..cohorts.models import Cohort
from ..definitions import forms_registry
from ..definitions.drafts import AlreadyPublished, discard_draft, publish_draft, save_draft, save_translations
from ..extensions import db
from ..i18n import LANGUAGES, form_translator
from ..links.models import Link
from ..links.urls import link_url
from ..responses import flow
from ..responses.storage import count_responses, pin_published
from ..xlsform import catalog_texts, write_xlsform
from .upload import FORM_ID, FORM_ID_MAX, convert, kind

#: The widths the preview shows a page at (CSS pixels): a tablet at an info event, a phone.
PREVIEW_WIDTHS = (("tablet", 800), ("phone", 375))


def _registry():
    return forms_registry(current_app)


def _instance_dir() -> Path:
    return Path(current_app.config["INSTANCE_FORMS_DIR"])


def _definition_or_404(form_id: str, version: int):
    definition = _registry().get(form_id, version)
    if definition is None:
        abort(404)
    return definition


@allow("coordinator")
def index():
    """Every instrument with its versions and its draft; the upload of a definition."""
    return _index_page()


def _index_page(upload=None, errors=(), form_id: str = "", status: int = 200):
    registry = _registry()
    rows = []
    for fid in registry.form_ids():
        instrument, draft = registry.instruments.get(fid), registry.drafts.get(fid)
        rows.append({"id": fid, "title": (instrument.latest if instrument else draft).title,
                     "versions": sorted(instrument.versions, reverse=True) if instrument else [], "draft": draft})
    return render_template("authoring/index.html", rows=rows, upload=upload, errors=errors,
                           form_id=form_id), status


@allow("coordinator")
def version(form_id: str, version: int):
    """One version of one form: what it holds, preview, downloads, test links; a draft can be published."""
    registry = _registry()
    definition = _definition_or_404(form_id, version)
    cohorts = db.session.scalars(visible_cohorts().order_by(Cohort.title)).all()
    links = db.session.scalars(select(Link).where(Link.form_id == form_id, Link.version == version,
                                                  Link.test.is_(True), Link.cohort_id.in_([c.id for c in cohorts]))
                               .order_by(Link.id.desc())).all()
    test_links = [(link, count_responses(link.id)) for link in links]
    instrument = registry.instruments.get(form_id)
    return render_template("authoring/version.html", definition=definition, instrument=instrument,
                           draft=registry.drafts.get(form_id), cohorts=cohorts, test_links=test_links,
                           link_url=link_url, languages=LANGUAGES)


@allow("coordinator")
def upload():
    """A TOML or XLSForm file as the next draft of a form (a new form for a new id); problems on the page."""
    form_id = request.form.get("form_id", "").strip()
    sent = request.files.get("file")
    errors = []
    if not FORM_ID.match(form_id) or len(form_id) > FORM_ID_MAX:
        errors.append(_("The form id must be lower-case letters and digits, joined by single hyphens or "
                        "underscores, starting with a letter (at most %(max)s characters).", max=FORM_ID_MAX))
    if sent is None or not sent.filename:
        errors.append(_("Choose a file to upload."))
    elif kind(sent.filename) is None:
        errors.append(_("Upload a definition as .toml or an XLSForm as .xlsx or .xls."))
    limit = current_app.config["DEFINITION_MAX_BYTES"]
    content = b"" if errors else sent.read(limit + 1)
    if len(content) > limit:
        errors.append(_("The file is larger than %(mb)s MB. A definition is much smaller: is it the right file?",
                        mb=format_decimal(round(limit / (1024 * 1024), 1))))
    if errors:
        return _index_page(errors=errors, form_id=form_id, status=400)
    registry = _registry()
    result = convert(sent.filename, content, form_id, registry, current_app.config["INSTRUMENT_ROLES"])
    if result.problems:
        return _index_page(upload=result, form_id=form_id, status=400)
    replaced = form_id in registry.drafts
    save_draft(_instance_dir(), form_id, result.text)
    save_translations(_instance_dir(), form_id, result.texts)
    record("draft_uploaded", f"form {form_id} v{result.draft.version}", file=sent.filename,
           replaced=replaced, new_form=form_id not in registry.instruments)
    db.session.commit()
    flash(_("The draft v%(version)s of %(form)s was saved. Preview it and rehearse it on a test link; publish it "
            "when it is ready.", version=result.draft.version, form=form_id), "ok")
    for notice in result.notices:
        flash(_("Left out: %(what)s", what=str(notice)), "info")
    return redirect(url_for(".version", form_id=form_id, version=result.draft.version))


def _the_draft(form_id: str, version: int):
    """The draft the page showed (its number and hash), or None with a message when it changed meanwhile."""
    draft = _registry().drafts.get(form_id)
    if draft is None or draft.version != version or draft.content_hash != request.form.get("hash"):
        flash(_("This draft was replaced or published meanwhile. Look at it again."), "error")
        return None
    return draft


@allow("coordinator")
def publish(form_id: str, version: int):
    """Publish the draft: it becomes vN (its hash pinned at once); links on "latest" serve it from now on."""
    draft = _the_draft(form_id, version)
    if draft is None:
        return redirect(url_for(".index"))
    try:
        publish_draft(_instance_dir(), draft)
    except AlreadyPublished:
        flash(_("v%(version)s of %(form)s exists already.", version=version, form=form_id), "error")
        return redirect(url_for(".index"))
    pin_published(draft)
    record("version_published", f"form {form_id} v{version}", content_hash=draft.content_hash)
    db.session.commit()
    flash(_("v%(version)s of %(form)s is published. Links on \"always the latest\" serve it now; links pinned to "
            "a version stay with theirs.", version=version, form=form_id), "ok")
    return redirect(url_for(".version", form_id=form_id, version=version))


@allow("coordinator")
def discard(form_id: str, version: int):
    """Delete the draft (a mistaken upload); its test links then serve nothing."""
    draft = _the_draft(form_id, version)
    if draft is None:
        return redirect(url_for(".index"))
    try:
        discard_draft(_instance_dir(), draft)
    except AlreadyPublished:
        abort(404)
    record("draft_discarded", f"form {form_id} v{version}", content_hash=draft.content_hash)
    db.session.commit()
    flash(_("The draft v%(version)s of %(form)s was deleted.", version=version, form=form_id), "ok")
    return redirect(url_for(".index"))


def _texts(definition) -> dict[str, dict[str, str]]:
    """The translations of a form's texts: the project's catalogs, and the instance's own over them."""
    languages = [code for code in LANGUAGES if code != definition.language]
    directory = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])
    texts = catalog_texts(directory, definition.id, languages)
    for (form_id, language), own in _registry().texts.items():
        if form_id == definition.id and language in languages:
            texts[language] = {**texts.get(language, {}), **own}
    return texts


@allow("coordinator")
def download(form_id: str, version: int, file_type: str):
    """A version as its TOML file, or as an XLSForm with a label::<language> column per translated language."""
    definition = _definition_or_404(form_id, version)
    name = f"{form_id}-v{version}{'-draft' if definition.draft else ''}"
    if file_type == "toml":
        return HttpResponse(Path(definition.path).read_bytes(), mimetype="application/toml",
                            headers={"Content-Disposition": f'attachment; filename="{name}.toml"'})
    content, _left_out = write_xlsform(definition, _texts(definition))
    return HttpResponse(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


@allow("coordinator")
def test_link(form_id: str, version: int):
    """A test link for this version (a draft too) in one of the person's cohorts: a rehearsal, never counted."""
    definition = _definition_or_404(form_id, version)
    cohort = visible_cohort(request.form.get("cohort", ""))
    language = request.form.get("language", definition.language)
    if cohort is None or language not in LANGUAGES:
        flash(_("Choose one of your cohorts and a language."), "error")
        return redirect(url_for(".version", form_id=form_id, version=version))
    link = Link(form_id=form_id, version=version, cohort_id=cohort.id, language=language, test=True,
                event=_("Rehearsal of v%(version)s", version=version), kiosk=request.form.get("kiosk") == "y")
    pin = None
    if link.kiosk:
        # A rehearsal with the real tablets: kiosk mode needs its PIN, shown once like any kiosk link's.
        pin = f"{secrets.randbelow(10 ** 6):06d}"
        link.set_pin(pin)
    db.session.add(link)
    db.session.flush()
    record("link_created", f"link {link.id} of cohort {cohort.slug}", form=form_id, version=version,
           language=language, event=link.event, kiosk=link.kiosk, test=True)
    db.session.commit()
    flash(_("The test link was created: %(url)s", url=link_url(link))
          + (" " + _("Kiosk PIN (shown only now): %(pin)s", pin=pin) if pin else ""), "ok")
    return redirect(url_for(".version", form_id=form_id, version=version, _anchor="test-links"))


def _preview_choice(definition) -> tuple[str, int]:
    language = request.args.get("language", definition.language)
    page = request.args.get("page", "1")
    if language not in LANGUAGES or not page.isdigit() or not 1 <= int(page) <= len(definition.pages):
        abort(404)
    return language, int(page)


@allow("coordinator")
def preview(form_id: str, version: int):
    """One page of the version in one language, side by side at tablet and phone width."""
    definition = _definition_or_404(form_id, version)
    language, page = _preview_choice(definition)
    frame = url_for(".preview_frame", form_id=form_id, version=version, language=language, page=page)
    return render_template("authoring/preview.html", definition=definition, language=language, page=page,
                           frame=frame, widths=PREVIEW_WIDTHS, languages=LANGUAGES)


@allow("coordinator")
def preview_frame(form_id: str, version: int):
    """The real form page for a definition, page and language, without a link: nothing is stored, and its
    buttons are switched off, so nothing can be sent from it."""
    definition = _definition_or_404(form_id, version)
    language, page = _preview_choice(definition)
    stand_in = SimpleNamespace(token="preview", kiosk=False, max_responses=None, test=False)
    with force_locale(language):
        form = flow.form_class(definition)()
        page_obj = definition.pages[page - 1]
        html = render_template(
            "responses/page.html", definition=definition, link=stand_in, form=form, page=page_obj,
            shown={f.id: True for f in definition.fields}, conditions={}, carried="", t=form_translator(definition.id),
            notice=None, key="preview", seen="", has_errors=False, position=page, total=len(definition.pages),
            is_last=page == len(definition.pages), preview=True)
    response = HttpResponse(html)
    # Shown in the preview page's frames (this site only), unlike every other page.
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                                   "script-src 'self'; frame-ancestors 'self'; form-action 'none'; "
                                                   "base-uri 'none'")
    return response
