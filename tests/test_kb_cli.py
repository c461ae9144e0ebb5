"""`kgbuild kb ...` through typer's CliRunner on the real root app."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.kb.records import build_sqlite, write_records

runner = CliRunner()
SHARED = Path(os.environ.get("KGBUILD_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
KAHN = SHARED / "data" / "wikidata-entity-fixtures" / "wikidata-toolkit" / "wbgetentites-Oliver-Kahn.json"


def run(*args, env=None):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture()
def tiny(tmp_path):
    records = tmp_path / "r.tsv.xz"
    write_records(records, {"sources": [{"name": "test", "licence": "CC0", "note": ""}]},
                  [{"qid": "Q64", "type": "LOC", "prior": 0.8, "names": [["Berlin", "label", "de"]], "source": "test"}], [])
    return build_sqlite(records, tmp_path / "kb.sqlite")


@pytest.mark.parametrize(
    "name, lang, qid",
    [("Nordkoreas", "de", "Q423"), ("russische", "de", "Q159"), ("Moskau", "de", "Q649"),
     ("Wladimir Putin", "de", "Q7747"), ("Joe Biden", "en", "Q6279"), ("NATO", "de", "Q7184")],
)
def test_kb_cli_lookup_json(name, lang, qid):
    res = run("kb", "lookup", name, "--lang", lang, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["qid"] == qid


def test_kb_cli_lookup_text_and_miss():
    res = run("kb", "lookup", "Pjöngjang", "--lang", "de", "-n", "2")
    assert res.exit_code == 0 and res.stdout.split()[0] == "Q18808" and len(res.stdout.splitlines()) <= 2
    miss = run("kb", "lookup", "xqzzyq", "--lang", "de")
    assert miss.exit_code == 1 and "no candidates" in miss.output


def test_kb_cli_show():
    res = run("kb", "show", "Q423", "--json")
    data = json.loads(res.stdout)
    assert data["labels"]["de"] == "Nordkorea" and "Q18808" in data["related"]
    assert ["Nordkorea", "label", "de"] in data["names"]
    text = run("kb", "show", "q7747")
    assert text.exit_code == 0 and "Wladimir Putin" in text.stdout and "P27" in text.stdout


def test_kb_cli_show_unknown_qid(tiny):
    res = run("kb", "show", "Q1", "--kb", str(tiny))
    assert res.exit_code == 1 and "kgbuild: error: Q1 is not in the KB" in res.output


def test_kb_cli_info(tiny):
    res = run("kb", "info", "--json")
    stats = json.loads(res.stdout)
    assert stats["entities"] > 80000 and stats["by_source"]["natural-earth"] > 7000
    assert {s["name"] for s in stats["sources"]} >= {"dr5hn-csc", "supraverden", "natural-earth"}
    text = run("kb", "info", "--kb", str(tiny))
    assert text.exit_code == 0 and "entities  1" in text.stdout and str(tiny) in text.stdout


def test_kb_cli_env_variable(tiny):
    res = run("kb", "lookup", "Berlin", "--json", env={"KGBUILD_KB": str(tiny)})
    assert [c["qid"] for c in json.loads(res.stdout)] == ["Q64"]


@pytest.mark.parametrize("content", [None, b"garbage" * 50])
def test_kb_cli_bad_kb_file_one_line_error(tmp_path, content):
    path = tmp_path / "kb.sqlite"
    if content:
        path.write_bytes(content)
    res = run("kb", "lookup", "Berlin", "--kb", str(path))
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kgbuild: error:") and str(path) in lines[0]


@pytest.mark.skipif(not KAHN.is_file(), reason="shared fixtures not available")
def test_kb_cli_import(tiny):
    res = run("kb", "import", str(KAHN), "--kb", str(tiny), "--json", "--no-progress")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["imported"] == 1
    assert json.loads(run("kb", "lookup", "Oliver Kahn", "--kb", str(tiny), "--json").stdout)[0]["qid"] == "Q131261"


def test_kb_cli_import_needs_target(tmp_path):
    res = run("kb", "import", str(tmp_path / "x.json"), env={"KGBUILD_KB": ""})
    assert res.exit_code == 1 and "--kb PATH" in res.output


def test_kb_cli_compile_missing_sources(tmp_path):
    res = run("kb", "compile", "--data", str(tmp_path), "--out", str(tmp_path / "r.tsv.xz"))
    assert res.exit_code == 1 and "Source folders missing" in res.output
    assert not (tmp_path / "r.tsv.xz").exists()


def test_kb_cli_help_lists_commands():
    res = run("kb", "--help")
    for cmd in ("info", "lookup", "show", "import", "compile"):
        assert cmd in res.stdout
