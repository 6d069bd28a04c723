"""``proconnect backup`` writes one archive (database, the instance's forms/ and recordings/); ``proconnect restore``
fills a fresh instance from it, on SQLite and on PostgreSQL, and everything is found again."""
from __future__ import annotations

import re
import stat
import tarfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from conftest import FIXTURE_FORMS, _config
from proconnect import create_app
from proconnect.audit.models import AuditEvent
from proconnect.cohorts.models import Cohort
from proconnect.definitions import forms_registry
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.recordings import audio_urls
from proconnect.recordings.storage import lines, save
from proconnect.responses.models import Answer, FormVersion, Response
from staff_helpers import people, seed  # noqa: F401

#: A definition added in the staff area (the instance's forms/), and a read-aloud take (webm's first bytes).
DEFINITION = (FIXTURE_FORMS / "survey" / "v1.toml").read_bytes().replace(b'id = "survey"', b'id = "added"')
RECORDING = b"\x1a\x45\xdf\xa3" + b" the bytes must come back unchanged" + bytes(100)


@pytest.fixture
def fresh_instance(tmp_path, database_url):
    """Factory: a new, empty instance (folder and database of the same kind as the test's), as an app."""
    made = []

    def make():
        folder = tmp_path / f"restored-{len(made)}"
        folder.mkdir()
        if database_url.startswith("sqlite"):
            url = f"sqlite:///{folder / 'proconnect.sqlite3'}"
        else:
            name = f"restore_{uuid.uuid4().hex[:12]}"
            admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
        app = create_app(_config(folder, url, FIXTURE_FORMS))
        made.append((app, url))
        return app
    yield make
    for app, url in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if not url.startswith("sqlite"):
            admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
            admin.dispose()


def _everything(app) -> dict:
    """What a restore must bring back: responses with their answers, pinned versions, links, the audit log."""
    with app.app_context():
        return {
            "responses": sorted((r.idempotency_key, r.participant_code, r.form_id, r.version, r.content_hash)
                                for r in db.session.scalars(select(Response))),
            "answers": sorted((a.field_id, a.value_text or "", str(a.value_num or ""))
                              for a in db.session.scalars(select(Answer))),
            "versions": sorted((v.form_id, v.version, v.content_hash) for v in db.session.scalars(select(FormVersion))),
            "links": sorted((link.token, link.form_id, link.event or "") for link in db.session.scalars(select(Link))),
            "audit": sorted((e.action, e.target) for e in db.session.scalars(select(AuditEvent))),
        }


@pytest.fixture
def used_instance(app, people, seed):  # noqa: F811
    """An instance in use: two answers, a definition added in the staff area, a recording of a text."""
    seed(people["ol-2027"], code="K7Q2-H")
    seed(people["ol-2027"], code="M4TZ-P")
    added = Path(app.config["INSTANCE_FORMS_DIR"]) / "added"
    added.mkdir(parents=True)
    (added / "v1.toml").write_bytes(DEFINITION)
    with app.test_request_context():
        definition = forms_registry(app).get("everything", 1)
        trade = next(line.spoken for line in lines(definition, "ps") if line.spoken.key == "trade")
        save(definition, "ps", trade, RECORDING, "audio/webm;codecs=opus")
        db.session.commit()
        assert set(audio_urls(definition, "ps")) == {"trade"}
    return app


def _reopened(app):
    """The app as it starts on the restored instance (it loads the instance's definitions then)."""
    return create_app(_config(Path(app.instance_path), app.config["SQLALCHEMY_DATABASE_URI"], FIXTURE_FORMS))


def test_a_restored_instance_has_every_response_version_link_and_recording_again(used_instance, runner, tmp_path,
                                                                                   fresh_instance):
    before = _everything(used_instance)
    assert len(before["responses"]) == 2 and before["versions"] and before["links"]
    out = tmp_path / "backups" / "proconnect.tar.gz"
    result = runner.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Backup written to {out}" in result.output
    assert "Not in it: the secret key, config.py and matching.toml" in result.output
    # It holds personal data: nobody but its owner may read it.
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with tarfile.open(out) as archive:
        names = set(archive.getnames())
    assert {"manifest.json", "forms/added/v1.toml"} <= names
    assert any(re.fullmatch(r"recordings/everything/ps/trade\.[0-9a-f]{8}\.webm", name) for name in names)
    assert ("database.sqlite3" if runner.app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
            else "database.pgdump") in names

    restored = fresh_instance()
    result = restored.test_cli_runner().invoke(args=["restore", str(out)])
    assert result.exit_code == 0, result.output
    assert "Restored the backup of" in result.output and "recordings/: 1 files" in result.output
    assert (Path(restored.config["INSTANCE_FORMS_DIR"]) / "added" / "v1.toml").read_bytes() == DEFINITION
    assert _everything(restored) == before
    started = _reopened(restored)
    try:
        with started.test_request_context():
            assert forms_registry(started).get("added", 1).title == "Kurze Umfrage"
            urls = audio_urls(forms_registry(started).get("everything", 1), "ps")
            assert set(urls) == {"trade"}
        served = started.test_client().get(urls["trade"])
        assert served.data == RECORDING
        served.close()
    finally:
        with started.app_context():
            db.engine.dispose()


def test_restore_refuses_an_instance_that_is_not_fresh_unless_forced(used_instance, runner, tmp_path, fresh_instance):
    out = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", "--out", str(out)]).exit_code == 0
    target = fresh_instance()
    target_runner = target.test_cli_runner()
    assert target_runner.invoke(args=["init"]).exit_code == 0
    with target.app_context():
        # Something the backup does not have: a forced restore must remove it.
        cohort = Cohort(slug="elsewhere", title="Nur hier")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(Link(form_id="everything", cohort_id=cohort.id, language="de", event="only here"))
        db.session.commit()
    stray = Path(target.instance_path) / "recordings" / "survey" / "de" / "old.webm"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"old")

    result = target_runner.invoke(args=["restore", str(out)])
    assert result.exit_code == 1
    assert "This instance is not empty (the database has" in result.output
    assert "recordings holds files" in result.output and "add --force" in result.output
    with target.app_context():
        assert db.session.scalar(select(Link).filter_by(event="only here")) is not None

    result = target_runner.invoke(args=["restore", "--force", str(out)])
    assert result.exit_code == 0, result.output
    assert _everything(target) == _everything(used_instance)
    assert not stray.exists()


def test_restore_names_a_file_that_is_no_backup(app, tmp_path, fresh_instance):
    target = fresh_instance()
    junk = tmp_path / "report.pdf"
    junk.write_bytes(b"%PDF-1.7 not an archive")
    result = target.test_cli_runner().invoke(args=["restore", str(junk)])
    assert result.exit_code == 1
    assert f"{junk} is not a proconnect backup (not a readable .tar.gz archive)." in result.output
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        archive.add(junk, arcname="report.pdf")
    result = target.test_cli_runner().invoke(args=["restore", str(other)])
    assert result.exit_code == 1
    assert f"{other} is not a proconnect backup (it has no readable manifest.json)." in result.output


def test_a_backup_runs_while_the_app_writes_and_holds_what_was_committed(used_instance, runner, tmp_path,
                                                                        fresh_instance):
    """The app keeps running: a transaction open in another connection neither stops the backup nor gets into it."""
    engine = create_engine(used_instance.config["SQLALCHEMY_DATABASE_URI"])
    try:
        # The INSERT opens a transaction (both drivers begin one before it) that stays open during the backup.
        with engine.connect() as writer:
            writer.execute(text("INSERT INTO cohort (slug, title, retention_months, created_at) "
                                "VALUES ('half-done', 'Noch nicht gespeichert', 24, CURRENT_TIMESTAMP)"))
            out = tmp_path / "while-writing.tar.gz"
            result = runner.invoke(args=["backup", "--out", str(out)])
            assert result.exit_code == 0, result.output
            writer.commit()
    finally:
        engine.dispose()
    restored = fresh_instance()
    assert restored.test_cli_runner().invoke(args=["restore", str(out)]).exit_code == 0
    with restored.app_context():
        slugs = set(db.session.scalars(select(Cohort.slug)))
    assert "ol-2027" in slugs and "half-done" not in slugs
