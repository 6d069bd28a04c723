"""Distribution: the staff pages that make links, QR codes, posters, participant cards, and kiosk mode.

The records themselves (links, kiosks, participant codes) live in ``proconnect.links``, below the form flow.
The blueprint lives in ``blueprint.py`` (imported by the app factory).
"""
