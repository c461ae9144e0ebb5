"""`kgbuild eval` on the command line: table, --json, --output, and one-line errors with exit code 1."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_eval_support import FakePipeline, pm, result
from typer.testing import CliRunner

import kgbuild.cli.evaluate as evaluate_cli
from kgbuild.cli import app

DATA = Path(__file__).parent / "data" / "eval"
C1, C2 = "Angela Merkel besuchte Paris und traf Macron.", "NATO tagte in Brüssel."


@pytest.fixture()
def fake(monkeypatch):
    pipeline = FakePipeline({C1: result(C1, "de", [pm(C1, "Angela Merkel", "Q567", "PER")]),
                             C2: result(C2, "de", [pm(C2, "NATO", "Q7184", "ORG"), pm(C2, "Brüssel", "Q1", "LOC")])})
    monkeypatch.setattr(evaluate_cli, "open_pipeline", lambda *a, **k: pipeline)
    return pipeline


def test_eval_cli_json(fake, tmp_path):
    out = tmp_path / "report.json"
    res = CliRunner().invoke(app, ["eval", str(DATA / "tiny.nif.ttl"), "--json", "--lang", "de", "-o", str(out)])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    # gold QIDs Merkel, Macron, NATO, Brüssel: TP Merkel, NATO; FN Macron, Brüssel (wrong QID); FP Brüssel
    assert (rep["linking"]["inkb_micro"]["tp"], rep["linking"]["inkb_micro"]["fp"], rep["linking"]["inkb_micro"]["fn"]) == (2, 1, 2)
    assert rep["errors"]["wrong_qid"][0]["text"] == "Brüssel"
    assert json.loads(out.read_text()) == rep
    assert not list(tmp_path.glob(".*tmp"))
    assert [a.lang for a in fake.seen] == ["de", "de"]


def test_eval_cli_table(fake):
    res = CliRunner().invoke(app, ["eval", str(DATA / "tiny.nif.ttl"), "--errors", "1"])
    assert res.exit_code == 0, res.output
    assert "Entity linking (InKB" in res.stdout and "Errors: wrong_qid (1, 1 shown)" in res.stdout
    line = next(ln for ln in res.stdout.splitlines() if ln.strip().startswith("micro"))
    assert line.split()[1:4] == ["66.7", "50.0", "57.1"]


@pytest.mark.parametrize("content, message", [
    ('{"id": "d", "text": "Kurz.", "entities": [{"id": "Q1", "name": "x", "type": "LOC", "mentions": [[0, 99]]}]}',
     "outside the text"),
    ("plain words, no known format", "cannot tell the gold format"),
])
def test_eval_cli_broken_gold_is_one_line(fake, tmp_path, content, message):
    path = tmp_path / ("g.json" if content.startswith("{") else "g.dat")
    path.write_text(content)
    res = CliRunner().invoke(app, ["eval", str(path)])
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("kgbuild: error: ") and message in res.stderr
    assert fake.seen == []  # the gold is checked before anything is processed


def _write_gold(tmp_path: Path) -> Path:
    text = "Die russische Regierung empfing Angela Merkel in Moskau."
    gold = {"id": "g1", "lang": "de", "text": text, "entities": [
        {"id": "Q159", "type": "LOC", "mentions": [[4, 13, "russische"]]},
        {"id": "Q567", "type": "PER", "mentions": [[32, 45, "Angela Merkel"]]},
        {"id": "Q649", "type": "LOC", "mentions": [[49, 55, "Moskau"]]}]}
    path = tmp_path / "g.gold.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def test_eval_cli_mentions_modes_and_skip_demonyms(tmp_path):
    """Real pipelines: --mentions rules/ner/combined give different reports; --skip-demonyms drops "russische"."""
    gold = _write_gold(tmp_path)
    reports = {}
    for args in (["--model", "builtin", "--mentions", "rules"], ["--mentions", "ner"], ["--mentions", "combined"],
                 ["--model", "builtin", "--skip-demonyms"]):
        res = CliRunner().invoke(app, ["eval", str(gold), "--json", *args])
        assert res.exit_code == 0, res.output
        reports[" ".join(args)] = json.loads(res.stdout)
    strict = {k: r["recognition"]["strict"] for k, r in reports.items()}
    assert strict["--model builtin --mentions rules"]["tp"] == 3  # the KB knows all three, adjective included
    assert strict["--mentions ner"]["tp"] < 3  # the NER does not tag adjectives of nationality
    assert reports["--mentions combined"]["mentions"] == "combined"
    assert strict["--model builtin --skip-demonyms"]["tp"] == 2 and strict["--model builtin --skip-demonyms"]["fn"] == 1


def test_eval_cli_mentions_ner_without_a_model_is_an_error(tmp_path):
    res = CliRunner().invoke(app, ["eval", str(_write_gold(tmp_path)), "--model", "builtin", "--mentions", "ner"])
    assert res.exit_code == 1
    assert "no NER component" in res.output
    res = CliRunner().invoke(app, ["eval", str(_write_gold(tmp_path)), "--mentions", "everything"])
    assert res.exit_code == 1 and "use one of combined, rules, ner" in res.output
