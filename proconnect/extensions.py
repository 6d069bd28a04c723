"""Flask extensions, created unbound and initialised in ``create_app``."""
import logging

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    # WAL lets the report read while tablets write; the busy timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A deleted row's bytes are overwritten, not left in free pages (Debian's SQLite does this by default,
        # other builds do not): what erasure and retention delete must not stay readable in the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()


def wipe_deleted_rows() -> None:
    """Make what was just deleted (and committed) unreadable on disk too, as far as the database allows.

    SQLite: the write-ahead log still holds the pages as they were before, until it is written back and
    truncated here. PostgreSQL leaves dead rows in its files until autovacuum reuses the space (see the
    handbook on erasure): nothing to do per request.
    """
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        # A long read held the log: the next checkpoint writes it back; say so rather than fail the erasure.
        logging.getLogger(__name__).warning("the write-ahead log could not be truncated after a deletion: "
                                            "a reader held it; it is written back at the next checkpoint")


def first_row(sql: str, *params) -> tuple | None:
    """The first row of plain SQL through the pool's own connection: no session, nothing to compile or look up
    in a cache (the few reads on every form page). Write each parameter as ``?``; reads only committed data.
    """
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        if params and db.engine.dialect.paramstyle != "qmark":
            sql = sql.replace("?", "%s")
        cursor.execute(sql, params)
        row = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()
    return row
