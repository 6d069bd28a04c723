"""The instance's own definitions: a draft checked and kept as ``<instance>/forms/<form_id>/draft.toml``,
published as ``vN.toml`` beside it, and the translations of its texts in ``<form_id>/translations/<lang>.po``.

A draft is checked exactly as ``forms check`` checks the files (with every version of its form, shipped and the
instance's, and with the instrument roles as if it were published) before it replaces the draft there was.
Every change renews the stamp that tells every worker to read the definitions again.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from .errors import Problem
from .loader import DRAFT_NAME
from .model import FormDefinition
from .registry import Instrument, Registry, mark_changed, scan_forms
from .roles import check_roles
from .shared import resolve as resolve_shared
from .texts import TRANSLATIONS

#: ``version = 3`` in the ``[form]`` table of an uploaded file (its number is the form's next one).
_FORM_TABLE = re.compile(r"^\[form\][ \t]*(?:#.*)?$", re.M)
_VERSION = re.compile(r"^([ \t]*version[ \t]*=[ \t]*)[^\n#]*", re.M)
_NEXT_TABLE = re.compile(r"^[ \t]*\[", re.M)


def numbered(text: str, version: int) -> str:
    """The TOML text with its ``[form] version`` set to ``version`` (lines unchanged, so problems keep theirs)."""
    table = _FORM_TABLE.search(text)
    if table is None:
        return text
    end = _NEXT_TABLE.search(text, table.end())
    stop = end.start() if end else len(text)
    return text[:table.end()] + _VERSION.sub(lambda m: f"{m.group(1)}{version}", text[table.end():stop], count=1) \
        + text[stop:]


def check_draft(registry: Registry, roles: dict | None, form_id: str, text: str,
                display: str) -> tuple[FormDefinition | None, list[Problem]]:
    """Check ``text`` as the next draft of ``form_id`` with every version of the form and the roles.

    :param display: the name problems are shown under (the uploaded file's)
    :return: the draft (None when it has problems) and its problems
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / form_id / DRAFT_NAME
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        found, problems = scan_forms(registry.shipped_dir, registry.instance_dir, candidate=(path, display),
                                     roles=roles)
        draft = found.drafts.get(form_id)
        if draft is not None:
            problems += [p for p in _role_problems(found, roles, form_id, draft) if p not in problems]
    mine = [p for p in problems if p.path == display]
    # Problems of other files (a hand-edited version) block it too: the check is the whole registry's.
    if problems:
        return None, mine or problems
    return draft, []


def _role_problems(registry: Registry, roles, form_id: str, draft: FormDefinition) -> list[Problem]:
    """What the roles would say once the draft is published (its form's newest version), and every list another
    form takes from it (``choices_of``) that it would no longer give."""
    published = _with_published(registry, draft)
    shared = resolve_shared(published, roles)
    return [p for p in check_roles(published, roles) if p.path == draft.source] + shared


def _with_published(registry: Registry, draft: FormDefinition) -> Registry:
    published = dict(registry.instruments)
    old = published.get(draft.id)
    instrument = Instrument(id=draft.id, folder=old.folder if old else Path(draft.folder),
                            versions={**(old.versions if old else {}), draft.version: replace(draft, draft=False)})
    published[draft.id] = instrument
    return Registry(instruments=published)


def save_draft(instance_dir: Path, form_id: str, text: str) -> Path:
    """Keep ``text`` (checked by ``check_draft``) as the form's draft, in place of the one there was."""
    folder = Path(instance_dir) / form_id
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{DRAFT_NAME}.{os.getpid()}"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, folder / DRAFT_NAME)
    mark_changed(instance_dir)
    return folder / DRAFT_NAME


class AlreadyPublished(Exception):
    """The draft's number was taken meanwhile (published twice at once, or a shipped version came)."""


def publish_draft(instance_dir: Path, draft: FormDefinition) -> Path:
    """Turn the draft into ``vN.toml`` (the same bytes, so the same hash). :raise AlreadyPublished:"""
    source = Path(draft.path)
    target = Path(instance_dir) / draft.id / f"v{draft.version}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.parent != target.parent:
        # A shipped draft: its published version is the instance's.
        shutil.copyfile(source, target.with_suffix(".tmp"))
        source = target.with_suffix(".tmp")
    try:
        # A hard link fails when the target exists: two publications at once cannot both win.
        os.link(source, target)
    except FileExistsError as exc:
        raise AlreadyPublished(target) from exc
    source.unlink()
    mark_changed(instance_dir)
    return target


def discard_draft(instance_dir: Path, draft: FormDefinition) -> None:
    """Delete the instance's draft of a form (its test answers stay test answers of a version no link serves)."""
    path = Path(draft.path)
    if path.parent.parent != Path(instance_dir):
        raise AlreadyPublished(path)  # a shipped draft is the software's, not the instance's to delete
    path.unlink(missing_ok=True)
    mark_changed(instance_dir)


def save_translations(instance_dir: Path, form_id: str, texts: dict[str, dict[str, str]]) -> int:
    """Keep the translations of a form's texts (language -> {text in the form's language: translation}); a new
    translation of a text replaces the old one. :return: how many were written"""
    written = 0
    folder = Path(instance_dir) / form_id / TRANSLATIONS
    for language, pairs in sorted(texts.items()):
        if not pairs:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{language}.po"
        catalog = Catalog(locale=None)
        if path.is_file():
            with path.open("rb") as f:
                catalog = read_po(f)
        for msgid, msgstr in pairs.items():
            catalog.delete(msgid, context=form_id)
            catalog.add(msgid, msgstr, context=form_id)
            written += 1
        with path.open("wb") as f:
            write_po(f, catalog, width=100)
    if written:
        mark_changed(instance_dir)
    return written
