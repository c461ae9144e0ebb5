"""Helpers of the corpus tests: small real corpora from the example articles, N-Quads per named graph,
and a counter of ``Pipeline.process`` calls (the NLP work of a build)."""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
#: a fixed corpus of six example articles (counts in the corpus tests rest on it)
EXAMPLES = [ROOT / "examples" / f"{name}.txt" for name in ("baerbock-kiew.de", "biden-tokyo.en", "merkel-peking.de",
                                                          "nato-vilnius.en", "putin-nordkorea.de", "scholz-paris.de")]


def write_corpus(folder: Path, copies: int = 1) -> list[Path]:
    """``copies`` variants of every example article as ``folder/<name>-<i>.txt`` (texts differ by a line)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(copies):
        for src in EXAMPLES:
            stem = src.name.split(".")[0]
            path = folder / f"{stem}-{i}.txt"
            path.write_text(src.read_text(encoding="utf-8") + f"\n\n{i}\n", encoding="utf-8")
            paths.append(path)
    return paths


def graphs_of(path: Path, fmt=ox.RdfFormat.N_QUADS) -> dict[str, set]:
    """Named graph IRI -> set of its triples, from an N-Quads / TriG file."""
    out: dict[str, set] = defaultdict(set)
    for q in ox.parse(path=str(path), format=fmt):
        out[q.graph_name.value].add(q.triple)
    return dict(out)


class ProcessCounter:
    """Wraps ``Pipeline._prepare`` (through monkeypatch; every article that ``process`` or ``process_many``
    processes passes through it once) and counts the articles."""

    def __init__(self, monkeypatch) -> None:
        from kgbuild.pipeline import Pipeline

        self.ids: list[str] = []
        original = Pipeline._prepare

        def counting(pipeline, article):
            self.ids.append(article.id)
            return original(pipeline, article)

        monkeypatch.setattr(Pipeline, "_prepare", counting)

    @property
    def calls(self) -> int:
        return len(self.ids)

    def reset(self) -> None:
        self.ids.clear()


def committed(state: Path) -> int:
    """Articles the corpus state has committed so far (0 while it does not exist yet); read-only."""
    try:
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
    except sqlite3.Error:
        return 0
