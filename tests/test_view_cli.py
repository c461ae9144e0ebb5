"""``kgbuild view`` on the command line: writes the page, --json summary, one-line errors with exit 1."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgbuild.cli import app

DATA = Path(__file__).parent / "data" / "view"
PUTIN = str(DATA / "putin-nordkorea.de.ttl")
runner = CliRunner()


def test_view_cli_writes_page_and_prints_json(tmp_path):
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["view", PUTIN, "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["entities"] == 8 and summary["events"] == 5 and summary["lang"] == "de"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_view_cli_page_to_stdout():
    result = runner.invoke(app, ["view", PUTIN, "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and 'id="kg-data"' in result.stdout
    result = runner.invoke(app, ["view", PUTIN, "-o", "-", "--json"])
    assert result.exit_code == 1 and "need an output file" in result.stderr


def test_view_cli_filters_and_lang(tmp_path):
    out = tmp_path / "g.html"
    result = runner.invoke(app, ["view", PUTIN, str(DATA / "scholz-macron.en.trig"), "-o", str(out), "--json",
                                 "--type", "visits,meets", "--lang", "en", "--from", "2024-06-01", "--to", "2024-06-30"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["events"] == 2 and summary["lang"] == "en"  # Putin's visit and meeting; Scholz met in May
    result = runner.invoke(app, ["view", PUTIN, "-o", str(out), "--json", "--entity", "Kim Jong-un", "--depth", "1"])
    assert json.loads(result.stdout)["entities"] == 2


def test_view_cli_limit_warns(tmp_path):
    out = tmp_path / "g.html"
    result = runner.invoke(app, ["view", PUTIN, "-o", str(out), "--json", "--limit", "5"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["nodes"] <= 5 and summary["total_nodes"] == 13 and "13 nodes" in summary["warnings"][0]


@pytest.mark.parametrize("args,message", [
    ([str(DATA / "not-kgbuild.ttl")], "is not a kgbuild graph"),
    ([str(DATA / "no-entities.ttl")], "has no entities"),
    ([str(DATA / "broken.ttl")], "Cannot parse"),
    ([str(DATA / "missing.ttl")], "not found"),
    ([PUTIN, "--entity", "Q1"], "is not in the graph"),
    ([PUTIN, "--from", "June"], "is not a date"),
])
def test_view_cli_errors_are_one_line_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["view", *args, "-o", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kgbuild: error: ") and message in lines[0]
    assert not out.exists()


def test_view_cli_failed_run_keeps_the_old_page(tmp_path):
    out = tmp_path / "graph.html"
    out.write_text("previous page", encoding="utf-8")
    result = runner.invoke(app, ["view", str(DATA / "broken.ttl"), "-o", str(out)])
    assert result.exit_code == 1 and out.read_text(encoding="utf-8") == "previous page"


def test_view_cli_help_lists_the_options():
    result = runner.invoke(app, ["view", "--help"])
    assert result.exit_code == 0
    for option in ("--entity", "--depth", "--type", "--from", "--to", "--limit", "--lang", "--json"):
        assert option in result.stdout
