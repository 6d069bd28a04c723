"""An uploaded definition (TOML, or an XLSForm through ``proconnect.xlsform``, the one converter) checked as the
next draft of its form: every problem at once, each at ``file:line`` or sheet/row/column, never a traceback."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from ..definitions.drafts import check_draft, numbered
from ..definitions.errors import ErrorCode, Problem
from ..definitions.model import FormDefinition
from ..definitions.registry import Registry
from ..xlsform import definition_text, placed, read_xlsform

#: A form's id: its folder's name, in links and addresses (the shipped forms use hyphens).
FORM_ID = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*\Z")
FORM_ID_MAX = 64
TOML, XLSFORM = (".toml",), (".xlsx", ".xls")


@dataclass
class Upload:
    """What an uploaded file became: the draft's TOML text, its translations, and every problem."""

    name: str
    text: str = ""
    draft: FormDefinition | None = None
    #: language -> {text in the form's language: translation} (from an XLSForm's ``label::<lang>`` columns)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list = field(default_factory=list)
    #: What an XLSForm had that is left out without changing a question (listed, never blocking).
    notices: list = field(default_factory=list)


def kind(name: str) -> str | None:
    """``toml`` or ``xlsform`` by the file's name, None for anything else."""
    suffix = PurePath(name).suffix.lower()
    return "toml" if suffix in TOML else "xlsform" if suffix in XLSFORM else None


def convert(name: str, content: bytes, form_id: str, registry: Registry, roles: dict | None) -> Upload:
    """Check ``content`` as the next draft of ``form_id`` (a new form when the registry has none)."""
    upload = Upload(name=name)
    version = registry.next_version(form_id)
    if kind(name) == "xlsform":
        conversion = read_xlsform(content, form_id)
        upload.notices = [p for p in conversion.problems if p.notice]
        if conversion.data is None:
            upload.problems = conversion.blocking
            return upload
        upload.text = definition_text(conversion, version, name)
        for t in conversion.translations:
            upload.texts.setdefault(t.language, {})[t.msgid] = t.msgstr
        upload.draft, problems = check_draft(registry, roles, form_id, upload.text, name)
        upload.problems = [placed(p, conversion) for p in problems]
        return upload
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        code = ErrorCode.TOML_001
        upload.problems = [Problem(name, 1, "", code, code.format(detail=f"not UTF-8 ({exc.reason})"))]
        return upload
    upload.text = numbered(text, version)
    upload.draft, upload.problems = check_draft(registry, roles, form_id, upload.text, name)
    return upload

