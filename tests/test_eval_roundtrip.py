"""kgbuild's own RDF output is valid NIF gold: written by the real RDF writer, read back, it scores perfectly."""
from __future__ import annotations

from test_eval_support import FakePipeline, pm, result

from kgbuild.evaluation import build_report, read_gold, run
from kgbuild.rdf import document_graph

TEXT = "Der russische Präsident Wladimir Putin traf in Pjöngjang den Berater Juri Uschakow."


def test_eval_reads_kgbuild_output_as_nif_gold(tmp_path):
    res = result(TEXT, "de", [pm(TEXT, "russische", "Q159", "LOC"), pm(TEXT, "Wladimir Putin", "Q7747", "PER"),
                              pm(TEXT, "Pjöngjang", "Q18808", "LOC"), pm(TEXT, "Juri Uschakow", None, "PER")])
    path = tmp_path / "out.ttl"
    path.write_bytes(document_graph(res).serialize(format="turtle", encoding="utf-8"))
    docs = read_gold([path])
    assert len(docs) == 1 and docs[0].text == TEXT
    assert [(m.qid, m.type) for m in docs[0].mentions] == [("Q159", "LOC"), ("Q7747", "PER"), ("Q18808", "LOC"), (None, "PER")]
    rep = build_report(list(run(docs, FakePipeline({TEXT: res}))))
    assert rep["recognition"]["typed"]["f1"] == 1.0
    assert (rep["linking"]["inkb_micro"]["tp"], rep["linking"]["inkb_micro"]["fp"], rep["linking"]["inkb_micro"]["fn"]) == (3, 0, 0)
    assert rep["linking"]["nil"]["tp"] == 1
