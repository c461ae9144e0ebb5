"""Chunks analysed by spaCy in a worker process and finished in the main one (``analyse_chunk`` /
``finish_chunk``) give the same N-Quads as chunks built whole, with the real statistical models (German and
English, the parser run on some sentences only), an article in a language kgbuild refuses, and a mix of both
kinds of chunk in one run."""
from __future__ import annotations

import multiprocessing as mp
import pickle

import pytest
from test_corpus_support import EXAMPLES, write_corpus

from kgbuild.build import run_build
from kgbuild.corpus import BuildOptions, parallel
from kgbuild.corpus.worker import DocError, DocResult, analyse_chunk, build_chunk, finish_chunk
from kgbuild.rdf import RDFFormat
from kgbuild.read import article_from_text

pytestmark = pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="workers are forked")


def _articles():
    arts = [article_from_text(p.read_text(encoding="utf-8"), id=p.stem, lang=p.name.split(".")[1]) for p in EXAMPLES]
    arts.append(article_from_text("Ceci n'est pas un article allemand ni anglais, mais il est assez long pour être "
                                  "reconnu comme du français par le détecteur.", id="fr"))
    return arts


def test_analysed_then_finished_equals_built_whole():
    """In one process, through pickle (what the pool sends): the same results, errors included."""
    opts = BuildOptions(inputs=[])
    arts = _articles()
    whole = build_chunk(arts, opts)
    shipped = pickle.loads(pickle.dumps(analyse_chunk(arts, opts)))
    split = list(finish_chunk(arts, shipped, opts))
    assert [type(r) for r in split] == [type(r) for r in whole]
    assert any(isinstance(r, DocError) for r in whole) and sum(isinstance(r, DocResult) for r in whole) == 6
    assert split == whole  # DocResult is a frozen dataclass: the compressed N-Triples compared byte for byte


@pytest.mark.parametrize("behind", [None, -1, 0])
def test_parallel_split_and_whole_chunks_equal_serial(tmp_path, monkeypatch, behind):
    """``--jobs 2`` with a core left for the main process: chunks split as the build decides (None), split
    while nothing waits (0), every chunk whole (-1); byte-identical to ``--jobs 1``."""
    folder = tmp_path / "news"
    write_corpus(folder, copies=1)
    serial = tmp_path / "serial.nq"
    run_build(BuildOptions(inputs=[str(folder)], output=str(serial), fmt=RDFFormat.nquads))
    finished = []
    original = parallel.finish_chunk

    def counting(articles, analysed, options):
        finished.append(len(articles))
        yield from original(articles, analysed, options)

    monkeypatch.setattr(parallel, "finish_chunk", counting)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 3)  # a core left for the main process
    if behind is not None:
        monkeypatch.setattr(parallel, "BEHIND_PER_JOB", behind)
    out = tmp_path / "parallel.nq"
    summary = run_build(BuildOptions(inputs=[str(folder)], output=str(out), fmt=RDFFormat.nquads, jobs=2, chunk=1))
    assert summary.articles == 6
    assert out.read_bytes() == serial.read_bytes()
    if behind == -1:
        assert finished == []
    else:
        assert sum(finished) >= 1


def test_no_split_with_a_worker_on_every_core(tmp_path, monkeypatch):
    """The default ``--jobs`` (a worker per usable core), ``--max-seconds`` and ``--online`` build chunks whole."""
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)
    assert not parallel._split_allowed(BuildOptions(inputs=[], jobs=2))
    monkeypatch.setattr(parallel, "usable_cores", lambda: 4)
    assert parallel._split_allowed(BuildOptions(inputs=[], jobs=2))
    assert not parallel._split_allowed(BuildOptions(inputs=[], jobs=2, max_seconds=5))
    assert not parallel._split_allowed(BuildOptions(inputs=[], jobs=2, online=True))
