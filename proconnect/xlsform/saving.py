"""Write an imported definition as the next version of its form and check it as ``forms check`` does."""
from __future__ import annotations

from pathlib import Path

from ..definitions.errors import Problem
from ..definitions.registry import scan_forms, version_number
from ..definitions.roles import check_roles
from .codes import SheetProblem, XlsCode, problem
from .reader import SURVEY, Conversion
from .toml_text import definition_toml


def next_version(forms_dir: Path, form_id: str) -> int:
    """The number the next version of ``form_id`` under ``forms_dir`` gets (1 for a new form)."""
    folder = Path(forms_dir) / form_id
    numbers = [n for n in (version_number(p) for p in folder.glob("v*.toml")) if n] if folder.is_dir() else []
    return max(numbers, default=0) + 1


def save_definition(conversion: Conversion, forms_dir: Path, source_name: str = "",
                    roles: dict | None = None) -> tuple[Path | None, list]:
    """Write ``forms_dir/<id>/v<N>.toml`` (N: the next version) and check the form with all its versions.

    A file that does not pass the check is removed again: nothing half-imported stays behind.

    :param roles: the instance's ``INSTRUMENT_ROLES``: a form that serves a role must still serve it
    :return: the written path (None when it failed the check), and the check's problems, each placed at its
        survey row where the field is known (``SheetProblem``) or at the TOML line (``Problem``)
    """
    folder = Path(forms_dir) / conversion.form_id
    version = next_version(forms_dir, conversion.form_id)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"v{version}.toml"
    path.write_text(definition_text(conversion, version, source_name), encoding="utf-8")
    registry, problems = scan_forms(forms_dir, roles=roles)
    problems += check_roles(registry, roles, forms_dir)
    mine = [p for p in problems if Path(p.path).parts[-2:] == path.parts[-2:] or p.path == str(path)]
    if mine:
        path.unlink()
        if created and not any(folder.iterdir()):
            folder.rmdir()
        return None, [placed(p, conversion) for p in mine]
    return path, []


def definition_text(conversion: Conversion, version: int, source_name: str = "") -> str:
    """The TOML of an imported definition as version ``version`` of its form."""
    conversion.data["form"]["version"] = version
    comment = f"Imported from the XLSForm {source_name}." if source_name else "Imported from an XLSForm."
    return definition_toml(conversion.data, comment)


def placed(found: Problem, conversion: Conversion) -> SheetProblem | Problem:
    """A problem the check found in the imported definition, at its survey row where the field is known."""
    row = conversion.rows.get(found.field)
    if row is None:
        return found
    return problem(SURVEY, row, XlsCode.XLS_012, detail=found.message)
