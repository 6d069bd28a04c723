"""Links, kiosks and participant codes: the records that bring a person to a form.

Below the form flow (``responses``), which opens links and checks codes; the pages that make and print
them live in ``distribution``.
"""
