"""The finished PDFs kept in the instance folder, and the markers of jobs that run or failed.

Layout: ``<instance>/pdfs/<folder>/<slot>-<version>.pdf`` where ``folder`` groups what one person's data can
appear in (``cohort-12``: every report, profile sheet, poster and card sheet of that cohort), ``slot`` is the
document asked for (its kind and parameters) and ``version`` what its content depends on (the data, the form
versions, the code). A newer version of a slot replaces the older file; erasure and retention delete a whole
folder (:func:`forget`). Beside a file in the making lies ``.pending`` (when it was asked for), beside a failed
one ``.failed``; ``.job`` holds what was asked for (so the progress page can find it by key alone), ``.json``
facts the renderer reported (e.g. the number of responses, for the audit log).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import current_app

FOLDER = "pdfs"
_SAFE_FOLDER = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Document:
    """A PDF to make or to hand out.

    :param kind: the renderer's registered name (``report``, ``profile``, ``poster``, ``cards``, ``handbook``)
    :param folder: whose data it holds (``cohort-<id>``, ``handbook``); erasure deletes by folder
    :param params: what the renderer needs (JSON values only: the worker may be another process)
    :param version: what the content depends on; when it changes, the document is made again
    :param name: the file name a download gets
    :param audit: the audit log entry of a download: ``{"action": ..., "target": ..., **details}``
    """

    kind: str
    folder: str
    params: dict = field(default_factory=dict)
    version: object = None
    name: str = "document.pdf"
    audit: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        # As the worker and the progress page will read them back: JSON values, so the key stays the same.
        for name in ("params", "version", "audit"):
            object.__setattr__(self, name, json.loads(json.dumps(getattr(self, name), default=str)))
        if not _SAFE_FOLDER.match(self.folder):
            raise ValueError(f"folder: expected lower-case letters, digits and '-', got {self.folder!r}")

    @property
    def slot(self) -> str:
        return _digest([self.kind, self.params])

    @property
    def key(self) -> str:
        return f"{self.slot}-{_digest(self.version)}"


def root() -> Path:
    return Path(current_app.instance_path) / FOLDER


def folder_of(name: str) -> Path:
    """The folder of kept files for ``cohort-<id>`` and the like (it may not exist)."""
    if not _SAFE_FOLDER.match(name):
        raise ValueError(f"folder: unexpected name {name!r}")
    return root() / name


def path(doc: Document, suffix: str = ".pdf") -> Path:
    return folder_of(doc.folder) / f"{doc.key}{suffix}"


def ready(doc: Document) -> Path | None:
    """The finished PDF, if it is kept."""
    pdf = path(doc)
    return pdf if pdf.is_file() else None


def find(folder: str, key: str) -> Document | None:
    """The document that was asked for under ``key`` in ``folder``, or None."""
    if not re.fullmatch(r"[0-9a-f]{32}-[0-9a-f]{32}", key or ""):
        return None
    try:
        data = json.loads((folder_of(folder) / f"{key}.job").read_text())
        doc = Document(**data)
    except (OSError, ValueError, TypeError):
        return None
    return doc if doc.key == key and doc.folder == folder else None


def facts(doc: Document) -> dict:
    """What the renderer reported about the finished file (empty when it reported nothing)."""
    try:
        return json.loads(path(doc, ".json").read_text())
    except (OSError, ValueError):
        return {}


def pending_since(doc: Document) -> float | None:
    """When the document was asked for (a UNIX time), while its job has not finished."""
    try:
        return path(doc, ".pending").stat().st_mtime
    except OSError:
        return None


def failed(doc: Document) -> bool:
    return path(doc, ".failed").is_file()


def claim(doc: Document, stale_after: float) -> bool:
    """Mark the document as asked for; False when another request did so less than ``stale_after`` s ago.

    The marker is created exclusively, so two coordinators asking at once start one job, not two.
    """
    marker = path(doc, ".pending")
    marker.parent.mkdir(parents=True, exist_ok=True)
    since = pending_since(doc)
    if since is not None:
        if time.time() - since < stale_after:
            return False
        # The worker that had it stopped (restart, crash): ask again.
        marker.unlink(missing_ok=True)
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    remember(doc)
    return True


def remember(doc: Document) -> None:
    """Write down what was asked for under the document's key."""
    path(doc, ".job").parent.mkdir(parents=True, exist_ok=True)
    path(doc, ".job").write_text(json.dumps(asdict(doc), default=str))


def store(doc: Document, pdf: bytes, reported: dict) -> Path:
    """Keep the finished PDF (written whole, then renamed) and drop older versions of the same slot."""
    target = path(doc)
    target.parent.mkdir(parents=True, exist_ok=True)
    path(doc, ".json").write_text(json.dumps(reported, default=str))
    partial = target.with_suffix(f".part{os.getpid()}")
    partial.write_bytes(pdf)
    partial.chmod(0o600)
    partial.replace(target)
    for old in target.parent.glob(f"{doc.slot}-*"):
        if not old.name.startswith(doc.key):
            old.unlink(missing_ok=True)
    path(doc, ".failed").unlink(missing_ok=True)
    path(doc, ".pending").unlink(missing_ok=True)
    return target


def mark_failed(doc: Document, error: str) -> None:
    path(doc, ".failed").parent.mkdir(parents=True, exist_ok=True)
    path(doc, ".failed").write_text(json.dumps({"at": time.time(), "error": error}))
    path(doc, ".pending").unlink(missing_ok=True)


def clear_failure(doc: Document) -> None:
    path(doc, ".failed").unlink(missing_ok=True)


def forget(name: str) -> None:
    """Delete every kept PDF of a folder (``cohort-<id>``): the privacy seam calls this on erasure and retention."""
    shutil.rmtree(folder_of(name), ignore_errors=True)
