"""The translations of the instance's own forms (``<instance>/forms/<form_id>/translations/<lang>.po``, msgctxt =
the form id, as in the project's catalogs), which the form pages use before the project's catalogs."""
from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = "translations"


def instance_texts(instance_dir: Path | None) -> dict[tuple[str, str], dict[str, str]]:
    """(form id, language) -> {text: translation} of every instance form's translations."""
    texts: dict[tuple[str, str], dict[str, str]] = {}
    if instance_dir is None or not Path(instance_dir).is_dir():
        return texts
    for path in sorted(Path(instance_dir).glob(f"*/{TRANSLATIONS}/*.po")):
        form_id = path.parent.parent.name
        with path.open("rb") as f:
            catalog = read_po(f)
        texts[(form_id, path.stem)] = {m.id: m.string for m in catalog
                                       if m.id and isinstance(m.id, str) and m.string and m.context == form_id}
    return texts
