"""proconnect's own import-linter contract type: no package imports another package's private names.

import-linter's built-in ``private_modules`` covers ``_module`` files; this covers ``from ..x import _helper``,
the way a feature reaches into another's internals without a module being private. Registered in
``pyproject.toml`` under ``[tool.importlinter] contract_types``; ``lint-imports`` runs it with the others.
"""
from __future__ import annotations

import ast
import importlib.util

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _package(module: str, depth: int) -> str:
    return ".".join(module.split(".")[:depth])


class PrivateNamesContract(Contract):
    """Modules below ``containers`` may import ``_names`` only from modules of their own package.

    Configuration: ``containers`` (e.g. ``proconnect``): each direct child of a container is one package.
    """

    type_name = "private_names"
    containers = fields.SetField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        illegal = []
        for container in sorted(self.containers):  # type: ignore[arg-type]
            depth = container.count(".") + 2
            for module in sorted(graph.find_descendants(container)):
                spec = importlib.util.find_spec(module)
                if spec is None or not spec.origin or not spec.origin.endswith(".py"):
                    continue
                with open(spec.origin, encoding="utf-8") as source:
                    tree = ast.parse(source.read(), spec.origin)
                package = module if spec.submodule_search_locations else module.rpartition(".")[0]
                for node in ast.walk(tree):
                    if not isinstance(node, ast.ImportFrom):
                        continue
                    if node.level:
                        base = package.split(".")
                        base = base[:len(base) - node.level + 1]
                        target = ".".join(base + ([node.module] if node.module else []))
                    else:
                        target = node.module or ""
                    if not target.startswith(container + ".") or \
                            _package(target, depth) == _package(module, depth):
                        continue
                    for alias in node.names:
                        if _private(alias.name):
                            illegal.append(f"{module} imports {target}.{alias.name} (l.{node.lineno})")
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Private names may only be imported within their own package:", bold=False)
        output.new_line()
        for line in check.metadata["illegal"]:
            output.print_error(f"- {line}", bold=False)
            output.new_line()
        output.print("Make the helper public in its own package (and document it), or move it where both belong.")
