"""WSGI entry point: ``gunicorn wsgi:app``."""
from proconnect import create_app

app = create_app()
