"""WSGI entry point: ``gunicorn wsgi:app``."""
import gc

from proconnect import create_app

app = create_app()
# What start-up made (definitions, templates, catalogs, the ORM's mappings) lives as long as the worker: kept out
# of the garbage collector's full passes, which otherwise walk all of it every few hundred requests.
gc.freeze()
