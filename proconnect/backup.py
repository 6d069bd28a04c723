"""``proconnect backup`` and ``proconnect restore``: the database plus the instance's own files, in one archive.

Definitions added in the staff area (``<instance>/forms/``) and read-aloud recordings
(``<instance>/recordings/``) live outside the database, so a copy of the database alone is no backup.

The archive is a ``.tar.gz`` holding ``manifest.json`` (what it is, from which kind of database and
schema revision), the database (``database.sqlite3``, copied with SQLite's online backup API, so the app
may keep running; or ``database.pgdump``, ``pg_dump``'s custom format, one consistent snapshot), and the
folders in ``FOLDERS``. It holds personal data: it is written readable by its owner only.

Not in it, on purpose: the secret key, ``config.py`` and ``matching.toml`` (configuration, kept by whoever
runs the server), kept PDFs (made again on demand) and the PDF job queue.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import URL

from .clisupport import requires_db
from .extensions import db

#: The instance's folders a backup carries (beside the database), by their name in the archive.
FOLDERS = ("forms", "recordings")
MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE, PG_FILE = "database.sqlite3", "database.pgdump"


class BackupError(Exception):
    """Something that stops a backup or a restore, said so that the person at the terminal can act on it."""


@dataclass
class Restored:
    """What a restore put back."""

    database: str
    revision: str | None
    created: str
    folders: dict[str, int]


def find_binary(name: str) -> str:
    """``pg_dump``/``pg_restore``: on PATH, else the newest PostgreSQL's ``bin`` (Debian keeps them in
    ``/usr/lib/postgresql/<major>/bin``, as ``.ci/with-postgres.sh`` finds its server).

    :raise BackupError: when there is none
    """
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"'{name}' was not found (on PATH or in /usr/lib/postgresql/*/bin): install the PostgreSQL "
                      "client tools (Debian: apt-get install postgresql-client), of the server's major version or newer.")


def _kind(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("The database is in memory: there is nothing on disk to back up or restore into.")
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {url.get_backend_name()}.")


def _pg_command(binary: str, url: URL, *args: str) -> tuple[list[str], dict]:
    """A PostgreSQL client call for ``url``; the password goes through the environment, not the process list."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return [binary, *args, "--dbname", plain], env


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} failed ({Path(command[0]).name} exited with {result.returncode}):\n"
                          f"{result.stderr.strip()}")


def _revision() -> str | None:
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def write_backup(out: Path) -> dict:
    """Write the archive of the current app's database and instance folders to ``out``.

    It is written beside ``out`` first and renamed when complete, so an interrupted backup never looks whole.

    :return: the manifest
    :raise BackupError: when the database cannot be copied
    """
    url = db.engine.url
    kind = _kind(url)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".proconnect-backup-") as tmp:
        tmp = Path(tmp)
        if kind == "sqlite":
            dump = tmp / SQLITE_FILE
            source, target = sqlite3.connect(url.database), sqlite3.connect(dump)
            try:
                # The online backup API: a consistent copy while the app goes on writing.
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            dump = tmp / PG_FILE
            command, env = _pg_command(find_binary("pg_dump"), url, "--format=custom", "--no-owner",
                                       "--no-privileges", "--file", str(dump))
            _run(command, env, "pg_dump")
        manifest = {"format": FORMAT, "database": kind, "revision": _revision(),
                    "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "folders": {name: _count_files(_folder(name)) for name in FOLDERS}}
        partial = tmp / "archive.tar.gz"
        # Personal data: readable by the owner only, from the first byte on.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for name in FOLDERS:
                if _folder(name).is_dir():
                    archive.add(_folder(name), arcname=name)
        os.replace(partial, out)
    return manifest


def _folder(name: str) -> Path:
    """Where the archive's ``forms/`` and ``recordings/`` live in this instance (``INSTANCE_FORMS_DIR`` may
    point the definitions elsewhere)."""
    if name == "forms":
        return Path(current_app.config["INSTANCE_FORMS_DIR"])
    return Path(current_app.instance_path) / name


def _count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def _contents() -> list[str]:
    """What makes this instance not fresh: database tables, non-empty instance folders."""
    found = []
    tables = inspect(db.engine).get_table_names()
    if tables:
        found.append(f"the database has {len(tables)} tables")
    for name in FOLDERS:
        if _count_files(_folder(name)):
            found.append(f"{_folder(name)} holds files")
    return found


def _read_manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError(f"{path} is not a proconnect backup (it has no readable {MANIFEST}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of format {manifest.get('format')!r}; this version reads format {FORMAT}.")
    return manifest


def restore_backup(path: Path, force: bool = False) -> Restored:
    """Fill the current app's database and instance folders from the archive at ``path``.

    :param force: replace what the instance holds (its tables and its ``forms/`` and ``recordings/``)
    :raise BackupError: for an archive that is none, another kind of database, or an instance that is not fresh
    """
    url = db.engine.url
    kind = _kind(url)
    instance = Path(current_app.instance_path)
    try:
        archive = tarfile.open(path, mode="r:*")
    except (OSError, tarfile.TarError):
        raise BackupError(f"{path} is not a proconnect backup (not a readable .tar.gz archive).") from None
    with archive, tempfile.TemporaryDirectory(dir=instance, prefix=".proconnect-restore-") as tmp:
        manifest = _read_manifest(archive, path)
        if manifest.get("database") != kind:
            raise BackupError(f"{path} holds a {manifest.get('database')} database; this instance uses {kind}. "
                              "Restore into an instance with the same kind of database.")
        found = _contents()
        if found and not force:
            raise BackupError("This instance is not empty (" + "; ".join(found) + "). Restore into a fresh instance "
                              "(an empty database, no forms/ or recordings/ folder), or add --force to replace "
                              "everything it holds with the backup.")
        tmp = Path(tmp)
        try:
            # "data": no absolute paths, no links out of the folder, no device files.
            archive.extractall(tmp, filter="data")
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"{path} could not be unpacked: {exc}") from None
        db.session.remove()
        if found:
            _drop_everything()
        db.engine.dispose()
        if kind == "sqlite":
            _restore_sqlite(tmp / SQLITE_FILE, url.database)
        else:
            # Forced: also what outlives the tables (the audit log's append-only trigger function).
            clean = ("--clean", "--if-exists") if found else ()
            command, env = _pg_command(find_binary("pg_restore"), url, "--no-owner", "--no-privileges", *clean,
                                       "--single-transaction", "--exit-on-error", str(tmp / PG_FILE))
            _run(command, env, "pg_restore")
        folders = {}
        for name in FOLDERS:
            target = _folder(name)
            if target.exists():
                shutil.rmtree(target)
            if (tmp / name).is_dir():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(tmp / name, target)
            folders[name] = _count_files(target)
    return Restored(database=kind, revision=manifest.get("revision"), created=manifest.get("created", "?"),
                    folders=folders)


def _drop_everything() -> None:
    """Every table of the database, also those of a newer schema that the models do not know."""
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    metadata.drop_all(bind=db.engine)


def _restore_sqlite(source_file: Path, target_file: str) -> None:
    if not source_file.is_file():
        raise BackupError(f"The backup has no {SQLITE_FILE}.")
    source, target = sqlite3.connect(source_file), sqlite3.connect(target_file)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The archive to write (.tar.gz).")
@with_appcontext
@requires_db
def backup_command(out: Path):
    """Write one archive with the database and the instance's forms/ and recordings/ (while the app runs)."""
    try:
        manifest = write_backup(out)
    except BackupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    folders = ", ".join(f"{name}/: {count} files" for name, count in manifest["folders"].items())
    click.echo(f"Backup written to {out}: {manifest['database']} database (schema {manifest['revision']}), {folders}.")
    click.echo("Not in it: the secret key, config.py and matching.toml. Keep them safe separately.")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the database and forms/ and recordings/ of a non-empty instance.")
@with_appcontext
def restore_command(archive: Path, force: bool):
    """Fill a fresh instance (empty database, no forms/ or recordings/) from a backup archive."""
    try:
        restored = restore_backup(archive, force=force)
    except BackupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    folders = ", ".join(f"{name}/: {count} files" for name, count in restored.folders.items())
    click.echo(f"Restored the backup of {restored.created}: {restored.database} database (schema "
               f"{restored.revision}), {folders}.")
    click.echo("Next: 'proconnect init' brings the schema up to this version of proconnect.")
