"""A forms folder of one instrument, for tests that start the app with a form of their own."""
from __future__ import annotations

from pathlib import Path


def one_form(tmp_path: Path, form_id: str, definition: str, version: int = 1) -> Path:
    """Write ``definition`` as ``forms/<form_id>/v<version>.toml`` under ``tmp_path``; return the forms folder."""
    folder = tmp_path / "forms" / form_id
    folder.mkdir(parents=True)
    (folder / f"v{version}.toml").write_text(definition, encoding="utf-8")
    return folder.parent
