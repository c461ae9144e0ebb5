"""The KB-coverage ceiling of ``kgbuild eval``: share of gold QID mentions whose entity the KB has."""
from __future__ import annotations

from kgbuild.evaluation import GoldDocument, GoldMention, build_report, kb_coverage, render_table


class _KB:
    def __init__(self, qids):
        self.qids = set(qids)

    def entity(self, qid):
        return object() if qid in self.qids else None


def _doc():
    text = "Putin met Kim in Pyongyang and Nobody at Acme, said Reuters."
    return GoldDocument("d1", text, "en", (
        GoldMention(0, 5, "Q7747", "PER", "Q7747"),
        GoldMention(10, 13, "Q56226", "PER", "Q56226"),
        GoldMention(17, 26, "Q18808", "LOC", "Q18808"),
        GoldMention(31, 37, None, "PER", "Nobody"),  # NIL: not in the denominator
        GoldMention(41, 45, "Q999999", "ORG", "Q999999"),
        GoldMention(52, 59, "Q130879", None, "Q130879", optional=True),  # optional: not counted
    ))


def test_eval_coverage_counts_gold_qid_mentions_per_type():
    cov = kb_coverage([_doc()], _KB({"Q7747", "Q18808"}))
    assert cov["all"] == {"in_kb": 2, "gold": 4, "ceiling": 0.5}
    assert cov["per_type"]["PER"] == {"in_kb": 1, "gold": 2, "ceiling": 0.5}
    assert cov["per_type"]["LOC"]["ceiling"] == 1.0 and cov["per_type"]["ORG"]["ceiling"] == 0.0
    assert cov["distinct_qids"] == 4 and cov["distinct_in_kb"] == 2


def test_eval_coverage_respects_the_evaluation_span():
    doc = _doc()
    inside = GoldDocument(doc.id, doc.text, doc.lang, doc.mentions, eval_span=(0, 14))
    assert kb_coverage([inside], _KB({"Q7747"}))["all"] == {"in_kb": 1, "gold": 2, "ceiling": 0.5}


def test_eval_coverage_in_the_table():
    report = build_report([])
    report["kb_coverage"] = kb_coverage([_doc()], _KB({"Q7747", "Q18808"}))
    table = render_table(report)
    assert "KB coverage ceiling" in table and "all 50.0" in table and "LOC 100.0" in table
