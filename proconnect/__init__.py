"""proconnect: versioned forms for the pro:connect project, from tablet to cohort report."""
from __future__ import annotations

import logging
import os

from flask import Flask

from . import access, accounts, companies, config, errors, i18n, jobs, matching, notifications, outbox, outreach, \
    personal_data, reports, signing, web
from .admin.blueprint import bp as admin_bp
from .authoring import bp as authoring_bp
from .commands import register_commands
from .definitions import DefinitionError, Registry, forms_registry, load_registry
from .definitions.registry import install
from .definitions.roles import check_roles
from .distribution.blueprint import bp as distribution_bp
from .extensions import csrf, db, migrate
from .handbook import bp as handbook_bp
from .privacy import bp as privacy_bp
from .recordings import bp as recordings_bp
from .responses import bp as responses_bp
# Every model, so that the metadata (and Alembic) know every table.
from .accounts import models as _accounts  # noqa: F401
from .admin import models as _admin  # noqa: F401
from .audit import models as _audit  # noqa: F401
from .cohorts import models as _cohorts  # noqa: F401
from .companies import models as _companies  # noqa: F401
from .corrections import models as _corrections  # noqa: F401
from .links import models as _links  # noqa: F401
from .matching import models as _matching  # noqa: F401
from .outbox import models as _outbox  # noqa: F401
from .outreach import models as _outreach  # noqa: F401
from .notifications import models as _notifications  # noqa: F401
from .privacy import models as _privacy  # noqa: F401
from .recordings import models as _recordings  # noqa: F401
from .reports.api import models as _api_tokens  # noqa: F401
from .responses import models as _responses  # noqa: F401
# What each feature stores about a participant: how it is exported, erased and expired (privacy calls them).
from .accounts.personal import DECLARATION as ACCOUNTS_DATA
from .admin.models import DECLARATION as ADMIN_DATA
from .audit import DECLARATION as AUDIT_DATA
from .jobs.personal import DECLARATION as JOBS_DATA
from .cohorts.models import DECLARATION as COHORTS_DATA
from .companies.personal import DECLARATION as COMPANIES_DATA
from .corrections.personal import DECLARATION as CORRECTIONS_DATA
from .links.personal import DECLARATION as LINKS_DATA
from .matching.personal import DECLARATION as MATCHING_DATA
from .outbox.personal import DECLARATION as OUTBOX_DATA
from .outreach.personal import DECLARATION as OUTREACH_DATA
from .notifications.personal import DECLARATION as NOTIFICATIONS_DATA
from .privacy.models import DECLARATION as PRIVACY_DATA
from .recordings.personal import DECLARATION as RECORDINGS_DATA
from .reports.api.models import DECLARATION as REPORTS_DATA
from .responses.personal import DECLARATION as RESPONSES_DATA

#: Every feature's personal-data declaration; a new table must be declared by one of them (a test checks).
#: Corrections come before responses: they find a participant's responses by the code that erasure removes.
PERSONAL_DATA = (CORRECTIONS_DATA, RESPONSES_DATA, MATCHING_DATA, LINKS_DATA, ACCOUNTS_DATA, AUDIT_DATA,
                 ADMIN_DATA, COHORTS_DATA, PRIVACY_DATA, REPORTS_DATA, JOBS_DATA, COMPANIES_DATA, OUTBOX_DATA,
                 RECORDINGS_DATA, OUTREACH_DATA, NOTIFICATIONS_DATA)

log = logging.getLogger(__name__)
MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")


def create_app(test_config: dict | None = None, skip_forms: bool = False) -> Flask:
    """Build the app: config, extensions, form definitions (a broken one stops start-up), blueprints.

    :param skip_forms: start without instruments, to repair broken definitions through the CLI
    """
    instance = (test_config or {}).get("INSTANCE_PATH") or config.instance_path()
    os.makedirs(instance, exist_ok=True)
    app = Flask(__name__, instance_path=instance, instance_relative_config=True)
    app.config.from_mapping(config.defaults(instance))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    config.complete(app.config, instance)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    csrf.init_app(app)
    app.session_interface = signing.KeptSessionInterface()
    i18n.init_app(app)
    # Before the forms: definitions may choose from company records (``choices_from = "companies"``).
    companies.init_app(app)
    install(app, Registry() if skip_forms or app.config["SKIP_FORMS"] else _load_forms(app))

    for declaration in PERSONAL_DATA:
        personal_data.register(app, declaration)
    access.init_app(app)
    errors.init_app(app)
    web.init_app(app)
    jobs.init_app(app)
    outbox.init_app(app)
    outreach.init_app(app)
    notifications.init_app(app)
    matching.init_app(app)
    companies.register_pages(app)
    app.register_blueprint(responses_bp)
    app.register_blueprint(distribution_bp)
    app.register_blueprint(recordings_bp)
    reports.init_app(app)
    accounts.init_app(app)
    app.register_blueprint(admin_bp)
    app.register_blueprint(authoring_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(handbook_bp)
    register_commands(app)
    return app


def _load_forms(app: Flask) -> Registry:
    """Every instrument, checked; a form that lacks what its role needs stops start-up like a broken file."""
    roles = app.config["INSTRUMENT_ROLES"]
    registry = load_registry(app.config["FORMS_DIR"], app.config["INSTANCE_FORMS_DIR"], roles)
    problems = check_roles(registry, roles, app.config["FORMS_DIR"])
    if problems:
        raise DefinitionError(problems)
    registry.roles = roles
    return registry


__all__ = ["create_app", "forms_registry"]
