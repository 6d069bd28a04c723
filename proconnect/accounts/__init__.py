"""Accounts of the people who run the project (admins, coordinators, trainers, mentors); refugees never need one."""


def init_app(app) -> None:
    """Sign-in throttling, cookie settings and the accounts blueprint."""
    from . import throttle
    from .blueprint import bp
    app.config.setdefault("PASSWORD_MIN_LENGTH", 12)
    app.config.setdefault("INVITATION_DAYS", 7)
    app.config.setdefault("RESET_HOURS", 48)
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        # Secure cookies wherever the app is served over HTTPS (as the deployment notes require);
        # over plain http a browser would drop them, and neither staff nor tablets could keep a session.
        app.config["SESSION_COOKIE_SECURE"] = app.config["PUBLIC_URL"].startswith("https://")
    throttle.init_app(app)
    app.register_blueprint(bp)
