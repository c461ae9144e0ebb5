"""The checks of .ci/run, also run by the test suite so that every pre-landing run catches a violation:
ruff (pyproject's rule set), mypy (pyproject's ``files``) and the import contracts (import-linter: the library never
imports the CLI, no import cycles). Each test is skipped only when its tool is not installed (``pip install -e .[dev]``).
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent


def _run(tool: str, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    if importlib.util.find_spec(tool) is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[dev]')")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's kgbuild, not an installed one
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_code_health_ruff_clean():
    res = _run("ruff", "-m", "ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert res.returncode == 0, res.stdout + res.stderr


def test_code_health_mypy_clean():
    res = _run("mypy", "-m", "mypy")
    assert res.returncode == 0, res.stdout + res.stderr


def test_code_health_import_contracts_kept():
    res = _run("importlinter", "-c", "import sys; from importlinter.cli import lint_imports_command; "
               "sys.exit(lint_imports_command())", "--no-cache", "--no-logo")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout


def test_code_health_cli_contract_covers_the_whole_library():
    """Every top-level module and package except ``kgbuild.cli`` (and ``__main__``) is a source of the
    "never imports the CLI" contract, so a new module is covered from its first commit."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c.get("forbidden_modules") == ["kgbuild.cli"])
    package = ROOT / "kgbuild"
    names = {p.stem for p in package.glob("*.py")} | {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    expected = {f"kgbuild.{n}" for n in names - {"__init__", "__main__", "cli"}}
    assert set(contract["source_modules"]) == expected


def test_code_health_namespaces_have_one_owner():
    """Namespace IRIs are spelled out only in kgbuild/rdf/vocab.py; every other module reads them from there
    (docstrings may quote them)."""
    import ast

    from kgbuild.rdf.vocab import QUERY_PREFIXES

    namespaces = set(QUERY_PREFIXES.values())
    found = []
    for path in sorted((ROOT / "kgbuild").rglob("*.py")):
        if path == ROOT / "kgbuild" / "rdf" / "vocab.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found += [f"{path.relative_to(ROOT)}:{node.lineno}: {ns}" for ns in namespaces if ns in node.value]
    assert not found, "\n".join(found)
