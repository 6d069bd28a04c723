"""All instruments: the shipped ones under ``forms/`` and the instance's own under ``<instance>/forms/``, every
version of every form checked together, drafts included.

An instance's versions continue the shipped numbering of a form (the shipped v1–v3, then the instance's v4);
a number both folders claim (an upgrade shipped its own v4) is a problem (``VER_004``), never a silent choice.
A form's draft (``draft.toml``, at most one) carries the next number; it is checked like a version, known to
``Registry.get`` by that number, and never the latest.
"""
from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..i18n import install_form_texts
from .errors import DefinitionError, ErrorCode, Problem, WarningCode
from .loader import DRAFT_NAME, FILE_NAME, load_definition
from .model import FormDefinition
from .roles import check_roles
from .shared import digests as shared_digests, resolve as resolve_shared
from .texts import instance_texts

log = logging.getLogger(__name__)

#: The file whose change tells every worker to load the instance's definitions again.
STAMP = ".changed"


@dataclass
class Instrument:
    """One form: its published versions (by number), its draft, and the folder of its pictures and audio."""

    id: str
    folder: Path
    versions: dict[int, FormDefinition] = field(default_factory=dict)
    draft: FormDefinition | None = None

    @property
    def latest(self) -> FormDefinition:
        """The newest published version (never the draft)."""
        return self.versions[max(self.versions)]

    @property
    def next_version(self) -> int:
        """The number the next published version gets (the draft's number)."""
        return max(self.versions, default=0) + 1

    @property
    def readme(self) -> str:
        path = self.folder / "README.md"
        return path.read_text(encoding="utf-8") if path.is_file() else ""


#: Where ``create_app`` keeps the registry in ``app.extensions``.
EXTENSION = "proconnect.forms"


@dataclass
class Registry:
    """Instruments keyed by id, plus the warnings found while checking them.

    ``instruments`` and iteration give the forms that have a published version; ``drafts`` has every draft by
    form id (a new form's first draft too).
    """

    instruments: dict[str, Instrument] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    drafts: dict[str, FormDefinition] = field(default_factory=dict)
    #: The instance's folder of definitions, and the stamp of its last change when it was read.
    instance_dir: Path | None = None
    stamp: tuple | None = None
    #: What the registry was loaded with, to load it again the same way (shipped folder, roles).
    shipped_dir: Path | None = None
    roles: dict | None = None
    #: The translations of the instance's own forms: (form id, language) -> {text: translation}.
    texts: dict = field(default_factory=dict)

    def __post_init__(self):
        #: The stamp's path as a plain string, made once: it is looked at on every use of the registry.
        self.stamp_file = os.path.join(self.instance_dir, STAMP) if self.instance_dir is not None else None

    def get(self, form_id: str, version: int | None = None) -> FormDefinition | None:
        """The given version of a form (``None``: the latest published one), the draft by its number, or
        ``None`` when there is no such thing."""
        instrument = self.instruments.get(form_id)
        draft = self.drafts.get(form_id)
        if version is not None and draft is not None and draft.version == version:
            return draft
        if instrument is None:
            return None
        return instrument.latest if version is None else instrument.versions.get(version)

    def form_ids(self) -> list[str]:
        """Every form id, published or only drafted, sorted."""
        return sorted(set(self.instruments) | set(self.drafts))

    def next_version(self, form_id: str) -> int:
        """The number a new draft of ``form_id`` gets (1 for a new form)."""
        instrument = self.instruments.get(form_id)
        return instrument.next_version if instrument else 1

    def __iter__(self):
        return iter(self.instruments.values())


def forms_registry(app) -> Registry:
    """The instruments, read again when the instance's definitions changed (an upload or a publication in
    another worker); a cheap ``stat`` otherwise."""
    registry: Registry = app.extensions[EXTENSION]
    if registry.stamp_file is not None and _stat(registry.stamp_file) != registry.stamp:
        registry = app.extensions[EXTENSION] = _reloaded(registry)
        install_form_texts(app, registry.texts, shared_digests(registry))
    return registry


def install(app, registry: Registry) -> None:
    """Make ``registry`` the app's instruments, with the translations of the instance's forms."""
    app.extensions[EXTENSION] = registry
    install_form_texts(app, registry.texts, shared_digests(registry))


def _reloaded(old: Registry) -> Registry:
    """The registry read again; the old one (with the new stamp) when the folder now has problems."""
    # Roles are checked here too: a form whose newest version lost what its role needs would break its features.
    stamp = read_stamp(old.instance_dir)
    registry, problems = scan_forms(old.shipped_dir, old.instance_dir, roles=old.roles)
    problems += check_roles(registry, old.roles, old.shipped_dir)
    if problems:
        log.error("instance definitions not loaded again, %d problem(s):\n%s", len(problems),
                  "\n".join(str(p) for p in problems))
        old.stamp = stamp
        return old
    registry.roles, registry.stamp = old.roles, stamp
    registry.texts = instance_texts(registry.instance_dir)
    return registry


def read_stamp(instance_dir: Path) -> tuple | None:
    """What identifies the last change of the instance's definitions (None: never changed)."""
    return _stat(os.path.join(instance_dir, STAMP))


def _stat(path: str) -> tuple | None:
    # Asked on every look-up of the registry (a few per request): a plain string path, no pathlib.
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def mark_changed(instance_dir: Path) -> None:
    """Tell every worker that the instance's definitions changed (a new file replaces the stamp)."""
    instance_dir = Path(instance_dir)
    instance_dir.mkdir(parents=True, exist_ok=True)
    temporary = instance_dir / f"{STAMP}.{uuid.uuid4().hex}"
    temporary.write_text(uuid.uuid4().hex)
    os.replace(temporary, instance_dir / STAMP)


def load_registry(forms_dir: Path | str, instance_dir: Path | str | None = None, roles: dict | None = None) -> Registry:
    """Load and check every definition under ``forms_dir`` and the instance's ``instance_dir``.

    :param roles: the instance's ``INSTRUMENT_ROLES`` (the forms whose lists ``choices_of`` names)
    :raise DefinitionError: with all problems of all files when anything is wrong.
    """
    stamp = read_stamp(Path(instance_dir)) if instance_dir is not None else None
    registry, problems = scan_forms(forms_dir, instance_dir, roles=roles)
    if problems:
        raise DefinitionError(problems)
    registry.stamp = stamp
    registry.texts = instance_texts(registry.instance_dir)
    return registry


def _folders(root: Path | None) -> dict[str, Path]:
    if root is None or not root.is_dir():
        return {}
    return {p.name: p for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))}


def _display_base(root: Path, instance: bool) -> Path:
    # The instance's files show as ``instance/forms/<id>/v4.toml``, not to be taken for shipped ones.
    return root.parent.parent if instance and root.parent.parent != root.parent else root.parent


def scan_forms(forms_dir: Path | str, instance_dir: Path | str | None = None,
               candidate: tuple[Path, str] | None = None,
               roles: dict | None = None) -> tuple[Registry, list[Problem]]:
    """Load every definition that is valid and collect the problems of the others.

    :param instance_dir: the instance's own definitions (``<instance>/forms``), beside the shipped ones
    :param candidate: an uploaded draft (its file in a folder named for its form, and the name its messages
        show) checked as if it were that form's draft, in place of the draft there is
    :param roles: the instance's ``INSTRUMENT_ROLES``: a field with ``choices_of`` gets the choices of the
        form that serves the role it names (``shared.resolve``)
    :return: the registry of valid versions, and every problem found (empty when all is well)
    """
    forms_dir = Path(forms_dir)
    instance_dir = Path(instance_dir) if instance_dir is not None else None
    if instance_dir is not None and instance_dir.resolve() == forms_dir.resolve():
        instance_dir = None  # an instance that keeps all its forms in its own folder: one folder, read once
    registry = Registry(instance_dir=instance_dir, shipped_dir=forms_dir)
    problems: list[Problem] = []
    if not forms_dir.is_dir():
        return registry, [Problem(str(forms_dir), 0, "", ErrorCode.FILE_004, ErrorCode.FILE_004.format(path=forms_dir))]
    shipped, own = _folders(forms_dir), _folders(instance_dir)
    candidate_id = candidate[0].parent.name if candidate else None
    for form_id in sorted(set(shipped) | set(own) | ({candidate_id} if candidate_id else set())):
        assets = shipped.get(form_id) or own.get(form_id) or candidate[0].parent
        instrument = Instrument(id=form_id, folder=assets)
        places: dict[int, str] = {}
        drafts: list[FormDefinition] = []
        for root, folder in ((forms_dir, shipped.get(form_id)), (instance_dir, own.get(form_id))):
            if folder is None:
                continue
            base = _display_base(root, root is instance_dir)
            for path in sorted(folder.glob("*.toml"), key=lambda p: (len(p.name), p.name)):
                if path.name == DRAFT_NAME and form_id == candidate_id:
                    continue
                definition = _load(path, base, assets, problems)
                if definition is None:
                    continue
                if path.name == DRAFT_NAME:
                    drafts.append(replace(definition, draft=True))
                elif definition.version in instrument.versions:
                    code = ErrorCode.VER_004
                    problems.append(Problem(definition.source, 1, "", code, code.format(
                        version=definition.version, form=form_id, other=places[definition.version],
                        next_version=max(instrument.versions) + 1)))
                else:
                    instrument.versions[definition.version] = definition
                    places[definition.version] = definition.source
        if candidate_id == form_id:
            definition = _load(candidate[0], None, assets, problems, display=candidate[1])
            if definition is not None:
                drafts.append(replace(definition, draft=True))
        problems.extend(_check_draft(instrument, drafts))
        if instrument.versions or instrument.draft:
            problems.extend(_check_versions(instrument, registry.warnings))
        if instrument.versions:
            registry.instruments[form_id] = instrument
        if instrument.draft is not None:
            registry.drafts[form_id] = instrument.draft
    problems.extend(resolve_shared(registry, roles))
    return registry, problems


def _load(path: Path, base: Path | None, assets: Path, problems: list[Problem], display: str | None = None):
    try:
        return load_definition(path, base, assets, display)
    except DefinitionError as exc:
        problems.extend(exc.problems)
        return None


def _check_draft(instrument: Instrument, drafts: list[FormDefinition]) -> list[Problem]:
    """A form has at most one draft, numbered as the next version; sets ``instrument.draft``."""
    problems = []
    for draft in drafts[1:]:
        code = ErrorCode.VER_006
        problems.append(Problem(draft.source, 1, "", code, code.format(form=instrument.id, other=drafts[0].source)))
    if not drafts or problems:
        return problems
    draft = drafts[0]
    if draft.version != instrument.next_version:
        code = ErrorCode.VER_005
        newer = draft.version < instrument.next_version and draft.version in instrument.versions
        problems.append(Problem(draft.source, 1, "", code, code.format(
            got=draft.version, form=instrument.id, expected=instrument.next_version,
            why=f" (v{draft.version} is {instrument.versions[draft.version].source})" if newer else "")))
        return problems
    instrument.draft = draft
    return problems


def _check_versions(instrument: Instrument, warnings: list[Problem]) -> list[Problem]:
    """A field id keeps its type and the meaning of its values in every later version, the draft included."""
    problems = []
    seen: dict[str, tuple[int, object]] = {}
    everything = dict(instrument.versions)
    if instrument.draft is not None:
        everything[instrument.draft.version] = instrument.draft
    for number in sorted(everything):
        definition = everything[number]
        display = definition.source
        for f in definition.answer_fields:
            if f.id in seen:
                old_version, old = seen[f.id]
                if old.type != f.type:
                    code = ErrorCode.VER_001
                    problems.append(Problem(display, f.line, f.id, code, code.format(
                        field=f.id, old=old.type, old_version=old_version)))
                    continue
                for attr, what in (("points", "{} points"), ("start", "first point {}"), ("unit", "unit '{}'")):
                    if getattr(old, attr) != getattr(f, attr):
                        code = ErrorCode.VER_002
                        problems.append(Problem(display, f.line, f.id, code, code.format(
                            field=f.id, old=what.format(getattr(old, attr)), old_version=old_version,
                            new=what.format(getattr(f, attr)))))
                old_labels = {c.value: c.label for c in old.choices + old.rows}
                for c in f.choices + f.rows:
                    if c.value in old_labels and old_labels[c.value] != c.label:
                        code = WarningCode.WARN_001
                        warnings.append(Problem(display, f.line, f.id, code, code.value.format(
                            value=c.value, field=f.id, old_version=old_version)))
            seen[f.id] = (number, f)
    return problems


def version_number(path: Path) -> int | None:
    """The N of ``vN.toml``, or None."""
    m = FILE_NAME.match(path.name)
    return int(m.group(1)) if m else None
