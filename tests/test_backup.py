"""``proconnect backup`` writes one archive (database, the instance's forms/ and recordings/); ``proconnect restore``
fills a fresh instance from it, on SQLite and on PostgreSQL, and everything is found again."""
from __future__ import annotations

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
from proconnect.extensions import db
from proconnect.links.models import Link
from proconnect.responses.models import Answer, FormVersion, Response
from staff_helpers import people, seed  # noqa: F401

DEFINITION = b'[form]\nid = "added"\nversion = 1\ntitle = "Im Browser hochgeladen"\n'
RECORDING = b"\x1aE\xdf\xa3 not really webm, but the bytes must come back unchanged"


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
    """An instance in use: two answers, a definition added in the staff area, a recording."""
    seed(people["ol-2027"], code="K7Q2-H")
    seed(people["ol-2027"], code="M4TZ-P")
    instance = Path(app.instance_path)
    (instance / "forms" / "added").mkdir(parents=True)
    (instance / "forms" / "added" / "v1.toml").write_bytes(DEFINITION)
    (instance / "recordings" / "everything" / "ps").mkdir(parents=True)
    (instance / "recordings" / "everything" / "ps" / "trade.webm").write_bytes(RECORDING)
    return app


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
    assert {"manifest.json", "forms/added/v1.toml", "recordings/everything/ps/trade.webm"} <= names
    assert ("database.sqlite3" if runner.app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
            else "database.pgdump") in names

    restored = fresh_instance()
    result = restored.test_cli_runner().invoke(args=["restore", str(out)])
    assert result.exit_code == 0, result.output
    assert "Restored the backup of" in result.output and "recordings/: 1 files" in result.output
    assert _everything(restored) == before
    instance = Path(restored.instance_path)
    assert (instance / "forms" / "added" / "v1.toml").read_bytes() == DEFINITION
    assert (instance / "recordings" / "everything" / "ps" / "trade.webm").read_bytes() == RECORDING


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
