"""scripts/eval_table.py turns `kgbuild eval` JSON reports into the tables of docs/EVALUATION.md."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from test_eval_scope import T1, T2, _conf, _elevant
from test_eval_support import FakePipeline, pm, result

from kgbuild.evaluation import build_report, read_gold, run, split_unannotated

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "eval_table.py"


def _module():
    spec = importlib.util.spec_from_file_location("eval_table", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_eval_table_rows(tmp_path, capsys):
    docs, annotation = split_unannotated(read_gold([_elevant(tmp_path)]))
    preds = [_conf(pm(T1, "Lyon", "Q456", "LOC"), 0.95), _conf(pm(T1, "Geneva", "Q71", "LOC"), 0.97)]
    rep = build_report(list(run(docs, FakePipeline({T1: result(T1, "en", preds), T2: result(T2, "en", [])}))))
    rep["annotation"] = annotation
    path = tmp_path / "r.json"
    path.write_text(json.dumps(rep), encoding="utf-8")
    _module().main([f"Tiny={path}", "--before", f"Tiny={path}", f"Again={path}", "--pool", "Tiny"])  # options between
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("| Again | 2 (2) | 0 | – | – | – |") for line in out)  # no earlier report
    row = next(line for line in out if line.startswith("| Tiny | 2 (2) | 0 |"))
    # gold QIDs Lake Tara Bridge, Lyon, Berlin x2 = 4; InKB TP Lyon, FP Geneva: P 50, R 25; D2KB: P 100, R 25
    assert "| 50.0 / 25.0 / 33.3 | **100.0 / 25.0 / 40.0** |" in row
    assert row.endswith("| 1 / 0 | 1/2 / 1/1 |")
    assert "| 0.9-1.0 | 2 | 96.0 % | 50.0 % | 1 | 95.0 % | 100.0 % |" in out
