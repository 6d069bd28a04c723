"""Forms folders of the tests' own, for tests that start the app with a form of their own or change one."""
from __future__ import annotations

import shutil
from pathlib import Path


def one_form(tmp_path: Path, form_id: str, definition: str, version: int = 1) -> Path:
    """Write ``definition`` as ``forms/<form_id>/v<version>.toml`` under ``tmp_path``; return the forms folder."""
    folder = tmp_path / "forms" / form_id
    folder.mkdir(parents=True)
    (folder / f"v{version}.toml").write_text(definition, encoding="utf-8")
    return folder.parent


def copy_of(forms: Path, tmp_path: Path) -> Path:
    """Copy the forms folder ``forms`` to ``tmp_path/forms`` (a test changes or adds a form there); return the copy."""
    folder = tmp_path / "forms"
    shutil.copytree(forms, folder)
    return folder
