"""Configuration defaults; an instance's ``config.py`` or environment variables override them."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> str:
    return os.environ.get("PROCONNECT_INSTANCE") or str(PROJECT_ROOT / "instances")


def translations_directory() -> str:
    """The compiled catalogs: inside the package when installed from a wheel (setup.py compiles them there),
    else the source tree's ``translations/`` (``make translations``)."""
    packaged = Path(__file__).resolve().parent / "translations"
    return str(packaged if packaged.is_dir() else PROJECT_ROOT / "translations")


def database_url(instance: str) -> str:
    """``DATABASE_URL`` (PostgreSQL through psycopg 3) or SQLite in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance) / 'proconnect.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key(instance: str) -> str:
    """A secret key kept in the instance folder, made on first start, so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def secret_keys(config) -> tuple[str, ...]:
    """``SECRET_KEY`` and then each of ``SECRET_KEY_FALLBACKS``: what was keyed before a change is still opened."""
    return (config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or ()))


def defaults(instance: str) -> dict:
    return dict(
        SQLALCHEMY_DATABASE_URI=database_url(instance),
        FORMS_DIR=os.environ.get("PROCONNECT_FORMS") or str(PROJECT_ROOT / "forms"),
        #: Definitions added in the staff area (``<form_id>/vN.toml``, ``draft.toml``): kept with the instance, so
        #: they survive upgrades and go into backups.
        INSTANCE_FORMS_DIR=os.path.join(instance, "forms"),
        #: Start without loading instruments (to repair a broken definition through the CLI).
        SKIP_FORMS=False,
        #: Role name -> form id, for an instance whose instrument of a role has another id (None: not used);
        #: the roles and their default forms are declared in definitions/roles.py.
        INSTRUMENT_ROLES={},
        #: Base of the absolute URLs printed for links and QR codes.
        PUBLIC_URL=os.environ.get("PROCONNECT_PUBLIC_URL", "http://127.0.0.1:5000"),
        MAX_CONTENT_LENGTH=512 * 1024,
        MAX_FORM_MEMORY_SIZE=512 * 1024,
        # A tablet may sit at an info event for hours between two people.
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        #: None: secure when PUBLIC_URL is https (see complete()).
        SESSION_COOKIE_SECURE=None,
        #: A signed-in session ends after this long without a click, and after this long in any case.
        SESSION_IDLE_MINUTES=60,
        SESSION_MAX_HOURS=12,
        PASSWORD_MIN_LENGTH=12,
        #: How long an invitation link and a password reset link work.
        INVITATION_DAYS=7,
        RESET_HOURS=48,
        #: How many reverse proxies stand in front of the app (0: none). Only then is the client's address read
        #: from X-Forwarded-For, as the last of these proxies wrote it; anybody can write the header.
        TRUSTED_PROXIES=os.environ.get("PROCONNECT_TRUSTED_PROXIES", "0"),
        #: Failed sign-ins allowed per account name and per client address; a browser that signed in to the
        #: account before (its device cookie) has its own count instead, and keeps the cookie this many days.
        LOGIN_LIMIT_PER_ACCOUNT="5 per 15 minutes",
        LOGIN_LIMIT_PER_IP="20 per 15 minutes",
        LOGIN_LIMIT_PER_DEVICE="5 per 15 minutes",
        LOGIN_DEVICE_DAYS=180,
        #: Roles that must use two-factor sign-in (a code from an authenticator app after the password); an
        #: account of such a role without it can open nothing but the enrolment page. Every role may switch it
        #: on. To require it for all: ("admin", "coordinator", "trainer", "mentor").
        TWO_FACTOR_ROLES=("admin",),
        #: Wrong sign-in codes allowed per account, and how long the step between password and code stays open.
        TWO_FACTOR_LIMIT="5 per 15 minutes",
        TWO_FACTOR_PENDING_MINUTES=5,
        #: The name an authenticator app shows next to the account.
        TWO_FACTOR_ISSUER="pro:connect",
        #: Seconds without a touch after which a kiosk form is abandoned and the language choice comes back.
        KIOSK_IDLE_SECONDS=180,
        #: Tablets the server registers per kiosk link (a new one beyond is refused; its answers are still taken),
        #: and the most answers a tablet may report as waiting.
        KIOSK_TABLETS_PER_LINK=20,
        KIOSK_MAX_PENDING=1000,
        #: The largest read-aloud recording kept (a consent text read slowly is about 1 MB of opus), and how long
        #: an invitation link for a volunteer to record works unless revoked.
        RECORDING_MAX_BYTES=4 * 1024 * 1024,
        RECORDING_INVITATION_DAYS=14,
        #: The largest definition a coordinator may upload (TOML or XLSForm; a 1,000-row XLSForm is ~150 KB).
        DEFINITION_MAX_BYTES=2 * 1024 * 1024,
        #: PDFs are rendered by ``proconnect jobs worker`` from a queue in this SQLite file (default: jobs.sqlite3
        #: in the instance folder), or in Redis when a URL is given (worker on another host, same instance folder).
        JOBS_SQLITE=None,
        JOBS_REDIS_URL=os.environ.get("PROCONNECT_JOBS_REDIS_URL") or None,
        #: Render in the request that asks, without a worker: the old behaviour (a web worker is busy meanwhile).
        JOBS_IMMEDIATE=os.environ.get("PROCONNECT_JOBS_IMMEDIATE", "") in ("1", "true", "yes"),
        #: After this long the progress page says the worker may not be running; after JOBS_STALE_SECONDS a
        #: job that never finished (worker stopped mid-way) is asked for again.
        JOBS_SLOW_SECONDS=60,
        JOBS_STALE_SECONDS=900,
        #: The SMTP server the worker sends mail through (None: no mail; links are shown on the page to copy).
        MAIL_SERVER=os.environ.get("PROCONNECT_MAIL_SERVER") or None,
        MAIL_PORT=int(os.environ.get("PROCONNECT_MAIL_PORT") or 25),
        #: STARTTLS after connecting, or TLS from the start (port 465).
        MAIL_USE_TLS=os.environ.get("PROCONNECT_MAIL_USE_TLS", "") in ("1", "true", "yes"),
        MAIL_USE_SSL=False,
        MAIL_USERNAME=os.environ.get("PROCONNECT_MAIL_USERNAME") or None,
        MAIL_PASSWORD=os.environ.get("PROCONNECT_MAIL_PASSWORD") or None,
        #: The From address (default: proconnect@MAIL_SERVER).
        MAIL_DEFAULT_SENDER=os.environ.get("PROCONNECT_MAIL_SENDER") or None,
        MAIL_TIMEOUT=10,
        #: A mail the server did not take is tried again after this long, twice as long each time up to the
        #: maximum, at most MAIL_MAX_ATTEMPTS times (12 tries: about 8 hours), then shown as failed.
        MAIL_RETRY_SECONDS=60,
        MAIL_RETRY_MAX_SECONDS=3600,
        MAIL_MAX_ATTEMPTS=12,
        #: Retention of the outbox: bodies of mails done with go after this many days, the rows (to whom,
        #: subject, state) after MAIL_KEEP_DAYS.
        MAIL_KEEP_BODY_DAYS=30,
        MAIL_KEEP_DAYS=365,
        #: Automatic reminders of the company survey per company, at most (each after the days chosen on sending).
        SURVEY_MAX_REMINDERS=2,
        #: Coordinators who chose a daily digest of notifications get it after this hour (UTC).
        NOTIFY_DIGEST_HOUR=6,
        BABEL_DEFAULT_LOCALE="de",
        BABEL_TRANSLATION_DIRECTORIES=translations_directory(),
    )


def complete(config, instance: str) -> None:
    """Fill in the settings that follow from others once the instance's own are loaded."""
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = secret_key(instance)
    config["TRUSTED_PROXIES"] = trusted_proxies(config["TRUSTED_PROXIES"])
    if config.get("SESSION_COOKIE_SECURE") is None:
        # Secure cookies wherever the app is served over HTTPS (as the deployment notes require);
        # over plain http a browser would drop them, and neither staff nor tablets could keep a session.
        config["SESSION_COOKIE_SECURE"] = config["PUBLIC_URL"].startswith("https://")


def trusted_proxies(value) -> int:
    """``TRUSTED_PROXIES`` as a number of proxies; anything else stops start-up with the reason."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) > 5:
        raise ValueError(f"TRUSTED_PROXIES must be the number of reverse proxies in front of the app "
                         f"(0 to 5), not {value!r}")
    return int(text)
