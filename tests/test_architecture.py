"""The architecture contracts in pyproject.toml hold: layers, no cycles, no private names across packages."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(cwd), str(ROOT)])}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_code_keeps_every_import_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def write(path: Path, text: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_private_name_imported_from_another_package_breaks_the_contract(tmp_path):
    write(tmp_path / "shop" / "__init__.py")
    write(tmp_path / "shop" / "orders" / "__init__.py")
    write(tmp_path / "shop" / "orders" / "util.py", "def _total():\n    return 1\n\ndef total():\n    return 1\n")
    # Inside its own package a private helper is fine ...
    write(tmp_path / "shop" / "orders" / "views.py", "from .util import _total\n")
    # ... from another package it is not, written relative or absolute.
    write(tmp_path / "shop" / "billing" / "__init__.py")
    write(tmp_path / "shop" / "billing" / "invoice.py",
          "from ..orders.util import _total, total\nfrom shop.orders.util import (\n    total as t,\n    _total as t2,\n)\n")
    write(tmp_path / ".importlinter", "[importlinter]\nroot_package = shop\ncontract_types =\n"
          "    private_names: tools.import_contracts.PrivateNamesContract\n\n"
          "[importlinter:contract:private]\nname = Private names\ntype = private_names\ncontainers =\n    shop\n")

    result = lint_imports(tmp_path, "--config", str(tmp_path / ".importlinter"))

    assert result.returncode == 1
    out = " ".join(result.stdout.split())
    assert "shop.billing.invoice imports shop.orders.util._total (l.1)" in out
    assert "shop.billing.invoice imports shop.orders.util._total (l.2)" in out
    assert "shop.orders.views" not in out
    assert "util.total " not in out
