"""All instruments found under ``forms/``: every version of every form, checked together."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import DefinitionError, ErrorCode, Problem, WarningCode
from .loader import FILE_NAME, load_definition
from .model import FormDefinition


@dataclass
class Instrument:
    """One folder under ``forms/``: its versions (by number) and optional extras."""

    id: str
    folder: Path
    versions: dict[int, FormDefinition] = field(default_factory=dict)

    @property
    def latest(self) -> FormDefinition:
        return self.versions[max(self.versions)]

    @property
    def readme(self) -> str:
        path = self.folder / "README.md"
        return path.read_text(encoding="utf-8") if path.is_file() else ""


#: Where ``create_app`` keeps the registry in ``app.extensions``.
EXTENSION = "proconnect.forms"


@dataclass
class Registry:
    """Instruments keyed by id, plus the warnings found while checking them."""

    instruments: dict[str, Instrument] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def get(self, form_id: str, version: int | None = None) -> FormDefinition | None:
        """The given version of a form (``None``: the latest), or ``None`` when there is no such thing."""
        instrument = self.instruments.get(form_id)
        if instrument is None:
            return None
        return instrument.latest if version is None else instrument.versions.get(version)

    def __iter__(self):
        return iter(self.instruments.values())


def forms_registry(app) -> Registry:
    """The instruments loaded at start-up (``create_app`` keeps them on the app)."""
    return app.extensions[EXTENSION]


def load_registry(forms_dir: Path | str) -> Registry:
    """Load and check every definition under ``forms_dir``.

    :raise DefinitionError: with all problems of all files when anything is wrong.
    """
    registry, problems = scan_forms(forms_dir)
    if problems:
        raise DefinitionError(problems)
    return registry


def scan_forms(forms_dir: Path | str) -> tuple[Registry, list[Problem]]:
    """Load every definition that is valid and collect the problems of the others.

    :return: the registry of valid versions, and every problem found (empty when all is well)
    """
    forms_dir = Path(forms_dir)
    base = forms_dir.parent
    registry = Registry()
    problems: list[Problem] = []
    if not forms_dir.is_dir():
        return registry, [Problem(str(forms_dir), 0, "", ErrorCode.FILE_004, ErrorCode.FILE_004.format(path=forms_dir))]
    for folder in sorted(p for p in forms_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        instrument = Instrument(id=folder.name, folder=folder)
        files = sorted(folder.glob("*.toml"), key=lambda p: (len(p.name), p.name))
        for path in files:
            try:
                definition = load_definition(path, base)
            except DefinitionError as exc:
                problems.extend(exc.problems)
                continue
            instrument.versions[definition.version] = definition
        if instrument.versions:
            problems.extend(_check_versions(instrument, registry.warnings))
            registry.instruments[instrument.id] = instrument
    return registry, problems


def _check_versions(instrument: Instrument, warnings: list[Problem]) -> list[Problem]:
    """A field id keeps its type and the meaning of its values in every later version."""
    problems = []
    seen: dict[str, tuple[int, object]] = {}
    for number in sorted(instrument.versions):
        definition = instrument.versions[number]
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
