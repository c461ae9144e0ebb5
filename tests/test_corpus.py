"""Corpus builds through ``run_build``: incremental reruns, one graph per document, one node per entity,
``--force``, settings changes, per-document folders. Real bundled KB, built-in spaCy pipeline."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from test_corpus_support import EXAMPLES, ProcessCounter, graphs_of, write_corpus

from kgbuild.build import run_build
from kgbuild.corpus import BuildOptions
from kgbuild.errors import OutputError
from kgbuild.rdf import RDFFormat

DOC = "https://w3id.org/kgbuild/resource/doc/"
ITS = "http://www.w3.org/2005/11/its/rdf#taIdentRef"


def options(inputs, out, **kw) -> BuildOptions:
    kw.setdefault("model", "builtin")
    fmt = kw.pop("fmt", RDFFormat.nquads)
    return BuildOptions(inputs=[str(i) for i in inputs], output=str(out), fmt=fmt, **kw)


@pytest.fixture()
def corpus(tmp_path) -> Path:
    write_corpus(tmp_path / "news", copies=1)
    return tmp_path / "news"


def test_corpus_rerun_with_nothing_changed_does_no_nlp_work(corpus, tmp_path, monkeypatch):
    counter = ProcessCounter(monkeypatch)
    out = tmp_path / "out.nq"
    first = run_build(options([corpus], out))
    n = len(EXAMPLES)
    assert counter.calls == first.articles == n and first.documents == n
    data = out.read_bytes()
    counter.reset()
    again = run_build(options([corpus], out))
    assert counter.calls == 0
    assert (again.articles, again.unchanged, again.removed) == (0, n, 0)
    assert again.triples == first.triples and again.entities == first.entities
    assert out.read_bytes() == data
    out.unlink()  # the output is gone: written again from the state, still without NLP work
    third = run_build(options([corpus], out))
    assert counter.calls == 0 and third.output_rewritten and out.read_bytes() == data


def test_corpus_one_changed_article_changes_only_its_named_graph(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out.nq"
    run_build(options([corpus], out))
    before = graphs_of(out)
    assert len(before) == len(EXAMPLES) and all(g.startswith(DOC) for g in before)
    changed = corpus / "merkel-peking-0.txt"
    changed.write_text("Bundeskanzler Olaf Scholz reist am Montag nach Paris.\n", encoding="utf-8")
    counter = ProcessCounter(monkeypatch)
    summary = run_build(options([corpus], out))
    assert counter.ids == ["merkel-peking-0"] and summary.unchanged == len(EXAMPLES) - 1
    after = graphs_of(out)
    assert after.keys() == before.keys()
    target = DOC + "merkel-peking-0"
    for graph in before:
        assert (after[graph] == before[graph]) == (graph != target), graph
    texts = {t.object.value for t in after[target]}
    assert "Paris" in texts and not any("Peking" in v for v in texts)  # nothing of the old version is left


def test_corpus_removed_article_and_force(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out.trig"
    run_build(options([corpus], out, fmt=RDFFormat.trig))
    (corpus / "nato-vilnius-0.txt").unlink()
    summary = run_build(options([corpus], out, fmt=RDFFormat.trig))
    graphs = graphs_of(out, ox.RdfFormat.TRIG)
    assert summary.removed == 1 and summary.documents == 5
    assert DOC + "nato-vilnius-0" not in graphs and len(graphs) == 5
    counter = ProcessCounter(monkeypatch)
    forced = run_build(options([corpus], out, fmt=RDFFormat.trig, force=True))
    assert counter.calls == 5 and forced.articles == 5 and forced.unchanged == 0
    assert graphs_of(out, ox.RdfFormat.TRIG) == graphs


def test_corpus_settings_change_rebuilds_everything(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out.nq"
    run_build(options([corpus], out))
    counter = ProcessCounter(monkeypatch)
    run_build(options([corpus], out, min_confidence=0.9))
    assert counter.calls == len(EXAMPLES)


def test_corpus_entity_is_one_node_across_articles(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.txt").write_text("Kreml-Berater Juri Uschakow sagte am Montag in Moskau, Präsident Wladimir Putin "
                                  "werde nach Pjöngjang reisen.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Wie Juri Uschakow mitteilte, trifft Putin am Dienstag Kim Jong-un in Nordkorea.\n",
                                  encoding="utf-8")
    out = tmp_path / "out.ttl"
    summary = run_build(options([folder], out, fmt=RDFFormat.turtle))
    triples = list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    links: dict[str, set] = {}
    for t in triples:
        if t.predicate.value == ITS:
            doc = t.subject.value.split("#")[0]
            links.setdefault(t.object.value, set()).add(doc)
    uschakow = [e for e in links if "/entity/per/" in e and "uschakow" in e]
    assert len(uschakow) == 1, links.keys()  # one node for the unlinked person, from both articles
    assert links[uschakow[0]] == {DOC + "a", DOC + "b"}
    assert links["http://www.wikidata.org/entity/Q7747"] == {DOC + "a", DOC + "b"}
    labels = [t for t in triples if t.subject.value == uschakow[0] and t.predicate.value.endswith("#label")]
    assert len(labels) == 1  # shared triples are written once
    assert summary.entities == len({e for e in links}) and summary.unlinked >= 1


def test_corpus_parallel_output_equals_serial(tmp_path):
    folder = tmp_path / "news"
    write_corpus(folder, copies=2)
    serial, parallel, recycled = tmp_path / "serial.nq", tmp_path / "parallel.nq", tmp_path / "recycled.nq"
    one = run_build(options([folder], serial))
    two = run_build(options([folder], parallel, jobs=2, chunk=2))
    fresh = run_build(options([folder], recycled, jobs=2, chunk=1, worker_articles=3))  # new workers every 6
    assert one.articles == two.articles == fresh.articles == 12
    assert serial.read_bytes() == parallel.read_bytes() == recycled.read_bytes()


def test_corpus_folder_output_one_file_per_article(corpus, tmp_path):
    out = tmp_path / "graphs"
    run_build(options([corpus], str(out) + "/", fmt=RDFFormat.turtle))
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(p.stem + ".ttl" for p in corpus.iterdir())
    (corpus / "biden-tokyo-0.txt").unlink()
    summary = run_build(options([corpus], str(out) + "/", fmt=RDFFormat.turtle))
    assert summary.removed == 1 and not (out / "biden-tokyo-0.ttl").exists() and len(list(out.iterdir())) == 5
    g = list(ox.parse(path=str(out / "putin-nordkorea-0.ttl"), format=ox.RdfFormat.TURTLE))
    assert any(t.subject.value == DOC + "putin-nordkorea-0" for t in g)


def test_corpus_unusable_state_file_is_a_clear_error(corpus, tmp_path):
    state = tmp_path / "state.sqlite"
    state.write_bytes(b"this is not a database" * 200)
    with pytest.raises(OutputError, match="delete it"):
        run_build(options([corpus], tmp_path / "out.nq", state=state))


def test_corpus_window_bounds_articles_in_flight(tmp_path):
    """With workers, the input is read only as far as the window of chunks in flight and the read-ahead, not to
    its end."""
    from kgbuild.corpus.parallel import IN_FLIGHT_PER_JOB, READ_AHEAD_PER_JOB, process
    from kgbuild.read import article_from_text

    pulled = []

    def articles():
        for i in range(10_000):
            pulled.append(i)
            yield article_from_text(f"Putin reist nach Paris. Nummer {i}.", id=f"a{i}", lang="de")

    opts = BuildOptions(inputs=[], model="builtin", jobs=2, chunk=3)
    results = process(opts, articles())
    first = [next(results) for _ in range(5)]
    results.close()
    assert [r.id for r in first] == [f"a{i}" for i in range(5)]
    assert len(pulled) <= ((IN_FLIGHT_PER_JOB + READ_AHEAD_PER_JOB) * 2 + 3) * 3, len(pulled)


def test_corpus_state_is_locked_and_leftovers_are_removed(corpus, tmp_path):
    from kgbuild.build import _locked

    out, state = tmp_path / "out.nq", tmp_path / "state.sqlite"
    leftover = tmp_path / ".out.nq.k1ll3d.tmp"  # as atomic_open names it; left by a killed run
    leftover.write_bytes(b"<a> <b> ")
    with _locked(state):
        with pytest.raises(OutputError, match="another kgbuild build is using this state"):
            run_build(options([corpus], out, state=state))
    assert leftover.exists() and not out.exists()
    run_build(options([corpus], out, state=state))
    assert out.exists() and not leftover.exists()
