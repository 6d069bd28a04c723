"""An install that does not go through make (a wheel, a container build) still serves every language."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from proconnect.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
#: What a wheel is built from (a copy: building writes build/ and *.egg-info beside the sources).
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "proconnect", "translations")


def build_wheel(tmp_path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, src / name, **({"ignore": shutil.ignore_patterns("*.mo", "__pycache__")}
                                          if (ROOT / name).is_dir() else {}))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                             "-w", str(tmp_path / "dist"), str(src)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    [wheel] = (tmp_path / "dist").glob("proconnect-*.whl")
    return wheel


def test_a_wheel_carries_compiled_catalogs_for_every_language_and_the_app_finds_them(tmp_path):
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"proconnect/translations/{code}/LC_MESSAGES/messages.mo" for code in LANGUAGES} <= names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("from proconnect.config import translations_directory as d; from proconnect.i18n import missing_catalogs"
             " as m; print(d()); print(m(d()))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PYTHONPATH=str(site)), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(site / "proconnect" / "translations"), "[]"]


def test_init_names_the_languages_without_compiled_catalogs_and_the_fix(app, runner, tmp_path):
    catalogs = tmp_path / "catalogs"
    for code in set(LANGUAGES) - {"ar", "fa"}:
        (catalogs / code / "LC_MESSAGES").mkdir(parents=True)
        (catalogs / code / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(catalogs)
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert (f"No compiled catalogs for ar, fa in {catalogs}: pages in those languages show German or English texts "
            "instead. Fix: 'make translations' in the source tree (or 'pybabel compile -d translations'); a wheel "
            "built with 'pip wheel .' brings them compiled.") in result.output


def test_init_names_catalogs_older_than_their_translations(app, runner, tmp_path):
    # A 'git pull' brought new German report wording, but nobody ran 'make translations'.
    catalogs = tmp_path / "catalogs"
    for code in LANGUAGES:
        folder = catalogs / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_text("")
        (folder / "messages.mo").write_bytes(b"")
        if code == "de":
            os.utime(folder / "messages.mo", (1_000_000_000, 1_000_000_000))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(catalogs)
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert ("Compiled catalogs older than their translations for de: pages and reports show the texts of before "
            "the last update. Fix: 'make translations' in the source tree (or 'pybabel compile -d translations').") \
        in result.output
    assert "No compiled catalogs" not in result.output


def test_init_is_quiet_about_catalogs_when_every_language_is_compiled(runner):
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0 and "compiled catalogs" not in result.output
    assert "older than their translations" not in result.output
