"""Distribution: links, QR codes, posters, participant cards, kiosk mode and the offline queue.

The blueprint lives in ``blueprint.py`` (imported by the app factory, not here, because the
response views import this package's models).
"""
