"""Where recordings live and which one a screen plays: ``<instance>/recordings/<form>/<lang>/<file>``, beside
the recorded files an instrument ships in ``forms/<id>/audio/<lang>/`` (a recording made here wins)."""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, url_for
from flask_babel import format_decimal, lazy_gettext as _l
from sqlalchemy import select

from ..definitions import forms_registry
from ..definitions.model import FormDefinition
from ..extensions import db
from .models import Recording
from .texts import Spoken, spoken_texts

FOLDER = "recordings"
#: Files an instrument ships (``forms/<id>/audio/<lang>/<key>.<ext>``).
SHIPPED_TYPES = (".mp3", ".ogg", ".m4a", ".opus")
#: What a browser's MediaRecorder makes (Chrome webm, Firefox ogg, Safari mp4), by declared type: the
#: extension it is kept under, and how its first bytes look.
ACCEPTED = {"audio/webm": ".webm", "audio/ogg": ".ogg", "audio/mp4": ".m4a", "audio/x-m4a": ".m4a"}
SERVED = {".webm": "audio/webm", ".ogg": "audio/ogg", ".m4a": "audio/mp4"}
FILE_NAME = re.compile(r"[a-z0-9_.-]{1,200}\.(?:webm|ogg|m4a)\Z")


class Refused(Exception):
    """An upload that is not kept; ``message`` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Line:
    """A text of the recording page: what is heard, and what is recorded for it."""

    spoken: Spoken
    #: The recording made for exactly this text (None: none yet).
    recording: Recording | None
    #: A recording made for an earlier wording of this key (it is not played for this text).
    outdated: Recording | None
    #: A file the instrument ships for this key (played when nothing was recorded here).
    shipped: str | None

    @property
    def covered(self) -> bool:
        return self.recording is not None or self.shipped is not None


def folder(form_id: str, lang: str) -> Path:
    return Path(current_app.instance_path) / FOLDER / form_id / lang


def shipped_audio(definition: FormDefinition, lang: str) -> dict[str, str]:
    """The instrument's own files: ``<key>`` -> URL (``forms/<id>/audio/<lang>/<key>.<ext>``)."""
    instrument = forms_registry(current_app).instruments.get(definition.id)
    shipped = Path(instrument.folder) / "audio" / lang if instrument else None
    if shipped is None or not shipped.is_dir():
        return {}
    return {p.stem: url_for("responses.asset", form_id=definition.id, name=f"audio/{lang}/{p.name}")
            for p in sorted(shipped.iterdir()) if p.suffix.lower() in SHIPPED_TYPES}


def lines(definition: FormDefinition, lang: str) -> list[Line]:
    """Every text a person hears in ``lang``, each with its recording (current or outdated) and shipped file."""
    texts = spoken_texts(definition, lang)
    made = db.session.scalars(select(Recording).filter_by(form_id=definition.id, language=lang)
                              .order_by(Recording.created_at)).all()
    exact = {(r.key, r.text_digest): r for r in made}
    latest = {r.key: r for r in made}
    shipped = shipped_audio(definition, lang)
    out = []
    for spoken in texts:
        recording = exact.get((spoken.key, spoken.digest))
        other = latest.get(spoken.key)
        out.append(Line(spoken, recording, other if recording is None else None, shipped.get(spoken.key)))
    return out


def audio_url(recording: Recording) -> str:
    return url_for("recordings.audio", form_id=recording.form_id, lang=recording.language,
                   filename=recording.filename)


def audio_urls(definition: FormDefinition, lang: str) -> dict[str, str]:
    """What the kiosk plays: ``<key>`` -> URL, recordings of the texts as they stand over shipped files."""
    urls = shipped_audio(definition, lang)
    for line in lines(definition, lang):
        if line.recording is not None:
            urls[line.spoken.key] = audio_url(line.recording)
    return urls


def coverage(definition: FormDefinition, lang: str) -> tuple[int, int, int]:
    """(texts with something to play, all texts, texts whose recording is for an earlier wording)."""
    found = lines(definition, lang)
    return (sum(1 for line in found if line.covered), len(found),
            sum(1 for line in found if line.outdated is not None and not line.covered))


def _audio_kind(data: bytes, declared: str) -> str:
    """The extension to keep ``data`` under. :raise Refused: unless it is webm, ogg or mp4 audio."""
    mimetype = (declared or "").split(";", 1)[0].strip().lower()
    extension = ACCEPTED.get(mimetype)
    looks = {".webm": data[:4] == b"\x1a\x45\xdf\xa3", ".ogg": data[:4] == b"OggS", ".m4a": data[4:8] == b"ftyp"}
    if extension is None or not looks[extension]:
        raise Refused(_l("This is not a sound recording the app can keep. Record again here, or upload a "
                         "webm, ogg or m4a (mp4) sound file."))
    return extension


def save(definition: FormDefinition, lang: str, spoken: Spoken, data: bytes, declared: str,
         account_id: int | None = None, invitation_id: int | None = None) -> Recording:
    """Keep ``data`` as the recording of ``spoken`` (replacing an earlier take of the same text).

    The caller commits. :raise Refused: for an empty, too large or non-audio upload
    """
    limit = current_app.config["RECORDING_MAX_BYTES"]
    if not data:
        raise Refused(_l("The recording is empty. Check that the microphone is allowed and record again."))
    if len(data) > limit:
        raise Refused(_l("The recording is too long (more than %(mb)s MB). Please record a shorter take.",
                         mb=format_decimal(round(limit / (1024 * 1024), 1))))
    extension = _audio_kind(data, declared)
    target = folder(definition.id, lang)
    target.mkdir(parents=True, exist_ok=True)
    # A new name per take: a tablet that cached the old take must not keep playing it.
    filename = f"{spoken.key}.{secrets.token_hex(4)}{extension}"
    partial = target / f".{filename}.part"
    partial.write_bytes(data)
    os.replace(partial, target / filename)
    recording = db.session.scalar(select(Recording).filter_by(
        form_id=definition.id, language=lang, key=spoken.key, text_digest=spoken.digest))
    if recording is None:
        recording = Recording(form_id=definition.id, language=lang, key=spoken.key, text_digest=spoken.digest)
        db.session.add(recording)
    else:
        _remove_file(recording)
    recording.text, recording.filename, recording.mimetype = spoken.text, filename, SERVED[extension]
    recording.size, recording.account_id, recording.invitation_id = len(data), account_id, invitation_id
    return recording


def delete(recording: Recording) -> None:
    """Remove a recording and its file (the caller commits)."""
    _remove_file(recording)
    db.session.delete(recording)


def _remove_file(recording: Recording) -> None:
    path = folder(recording.form_id, recording.language) / recording.filename
    path.unlink(missing_ok=True)
