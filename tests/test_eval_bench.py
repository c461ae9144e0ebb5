"""benchmarks/: the corpus builder and the report renderer (no timing is asserted)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus  # noqa: E402
import report  # noqa: E402

needs_data = pytest.mark.skipif(not corpus.ELEVANT.is_dir(), reason="shared ELEVANT data not available")


@needs_data
def test_eval_bench_corpus_is_deterministic_and_mixed(tmp_path):
    arts = corpus.articles(60)
    assert arts == corpus.articles(60)
    assert {lang for lang, _ in arts} == {"de", "en"}
    assert len({text for _, text in arts}) >= 55
    grouped = [t for lang, t in arts[len(corpus.example_articles()):]]
    assert all(len(t.split()) <= corpus.MAX_WORDS for t in grouped)
    paths = corpus.write_corpus(12, tmp_path)
    assert len(paths) == 12 and all(p.read_text(encoding="utf-8").strip() for p in paths)
    assert paths[0].name.endswith((".de.txt", ".en.txt"))


def test_eval_bench_report_renders(tmp_path):
    stages = {s: 0.1 for s in report.STAGES}
    size = {"articles": 10, "words": 2000, "seconds": 2.0, "load_seconds": 3.0, "stages": stages,
            "languages": {"en": {"articles": 5, "words": 1000, "seconds": 1.0}}, "models": ["m"], "triples": 10,
            "peak_rss_mb": 300.0}
    results = {"machine": {"python": "3.11", "platform": "x", "cpus": 2, "kgbuild": "0", "spacy": "3", "date": "d"},
               "sizes": {"10": size}, "cli": {"10": {"seconds": 5.0, "peak_rss_mb": 310.0, "articles": 10, "words": 2000}},
               "cold_start": {"runs": [{"seconds": 4.0, "peak_rss_mb": 250.0}], "median_seconds": 4.0, "peak_rss_mb": 250.0, "words": 200},
               "spacy": {"articles": 5, "words": 1000, "seconds": 0.5, "load_seconds": 1.0, "model": "en_x", "pipes": ["ner"], "peak_rss_mb": 200.0}}
    report.write(results, tmp_path / "R.md", tmp_path / "t.png")
    text = (tmp_path / "R.md").read_text()
    assert "| 10 | 2000 | 2.00 | 5.00 | 1000 | 300 | 3.0 |" in text
    assert "Ratio kgbuild / spaCy (words/s): **0.50**" in text
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
