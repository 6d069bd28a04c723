"""Compiles the gettext catalogs into the package when a wheel is built (``pip wheel .``, ``pip install .``).

An install that does not go through ``make`` then serves every language; ``proconnect.config`` looks the
catalogs up inside the package first, then in the source tree's ``translations/`` (``make translations``).
"""
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGS = Path(__file__).resolve().parent / "translations"


class build_py_with_catalogs(build_py):
    """``build_py``, then ``translations/<lang>/LC_MESSAGES/messages.po`` -> ``proconnect/translations/…/.mo``."""

    def run(self):
        super().run()
        # An editable install runs from the source tree and reads its translations/ (``make translations``).
        if getattr(self, "editable_mode", False):
            return
        for po in sorted(CATALOGS.glob("*/LC_MESSAGES/messages.po")):
            language = po.parent.parent.name
            with po.open("rb") as f:
                catalog = read_po(f, locale=language)
            # As `pybabel compile`: a broken placeholder stops the build, fuzzy entries await a translator.
            errors = [f"{po}: {message.id!r}: {error}" for message, problems in catalog.check() for error in problems]
            if errors:
                raise SystemExit("\n".join(errors))
            mo = Path(self.build_lib) / "proconnect" / "translations" / language / "LC_MESSAGES" / "messages.mo"
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": build_py_with_catalogs})
