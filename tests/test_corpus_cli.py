"""``kgbuild build`` over a corpus through the CLI: bad files are listed and skipped (non-zero only with
``--strict``), the summary, the progress bar, and ``--store`` kept in step with the corpus."""
from __future__ import annotations

import json

import pyoxigraph as ox
from test_corpus_support import EXAMPLES, graphs_of, write_corpus
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.store import EmbeddedStore

runner = CliRunner()
DOC = "https://w3id.org/kgbuild/resource/doc/"


def invoke(*args):
    return runner.invoke(app, ["build", *[str(a) for a in args], "--model", "builtin"])


def bad_corpus(folder):
    write_corpus(folder, copies=1)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03binary\x00" * 50)
    (folder / "french.txt").write_text("Le président russe est arrivé en Corée du Nord pour signer un traité avec "
                                       "le dirigeant nord-coréen, a annoncé le Kremlin.\n", encoding="utf-8")
    lines = [json.dumps({"id": "ok-line", "text": "Wladimir Putin reist nach Pjöngjang zu Kim Jong-un."}),
             "{not json", json.dumps({"id": "no-text", "title": "x"}), json.dumps({"id": "ok-line", "text": "Putin."})]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_corpus_cli_bad_files_are_listed_and_strict_fails(tmp_path):
    folder = tmp_path / "news"
    bad_corpus(folder)
    out = tmp_path / "out.nq"
    res = invoke(folder, "-o", out)
    assert res.exit_code == 0, res.output
    assert f"{len(EXAMPLES) + 1} article(s) built" in res.output and "6 skipped" in res.output
    skipped = [line for line in res.output.splitlines() if line.startswith("kgbuild: skipped:")]
    reasons = "\n".join(skipped)
    assert len(skipped) == 6
    for needle in ("empty.txt: the input is empty", "binary.txt: this looks like a binary file",
                   "french.txt", "'fr'", "feed.jsonl:2: invalid JSON", "feed.jsonl:3:", "duplicate article id 'ok-line'"):
        assert needle in reasons, needle
    graphs = graphs_of(out)
    assert len(graphs) == 7 and DOC + "ok-line" in graphs and DOC + "french" not in graphs
    strict = invoke(folder, "-o", out, "--strict")
    assert strict.exit_code == 2 and "6 skipped" in strict.output
    assert "0 article(s) built, 7 unchanged" in strict.output


def test_corpus_cli_summary_and_forced_progress(tmp_path):
    folder = tmp_path / "news"
    write_corpus(folder, copies=1)
    res = invoke(folder, "-o", tmp_path / "out.ttl", "--progress")
    assert res.exit_code == 0, res.output
    assert "article/s" in res.output  # tqdm's rate, forced although stderr is not a terminal
    assert "6 article(s) built" in res.output and "entities (" in res.output and "unlinked)" in res.output
    quiet = invoke(folder, "-o", tmp_path / "out.ttl", "--no-progress", "--force")
    assert quiet.exit_code == 0 and "article/s" not in quiet.output


def test_corpus_cli_quiet_turns_the_default_progress_bar_off(tmp_path, monkeypatch):
    """``kgbuild -q build`` (only errors on stderr) shows no progress bar on a terminal; ``--progress`` still does."""
    import sys
    import types

    import kgbuild.build
    import kgbuild.cli.build as cli_build
    from kgbuild.corpus import BuildSummary

    seen = []
    monkeypatch.setattr(kgbuild.build, "run_build", lambda options: seen.append(options.progress) or BuildSummary(articles=1))
    monkeypatch.setattr(cli_build, "sys", types.SimpleNamespace(stderr=types.SimpleNamespace(isatty=lambda: True),
                                                                version=sys.version))
    for args in ([], ["-q"], ["-q", "--progress"]):
        flags = [a for a in args if a != "--progress"]
        res = runner.invoke(app, [*flags, "build", str(tmp_path), "-o", str(tmp_path / "out.nq"),
                                  *[a for a in args if a == "--progress"]])
        assert res.exit_code == 0, res.output
    assert seen == [True, False, True]


def test_corpus_cli_store_kept_in_step(tmp_path):
    folder = tmp_path / "news"
    write_corpus(folder, copies=1)
    out, store_path = tmp_path / "out.nq", tmp_path / "store"
    res = invoke(folder, "-o", out, "--store", store_path)
    assert res.exit_code == 0, res.output
    with EmbeddedStore(store_path) as store:
        assert store.graphs() == sorted(graphs_of(out))
        sizes = {g: store.graph_size(g) for g in store.graphs()}
    assert sizes == {g: len(t) for g, t in graphs_of(out).items()}
    (folder / "scholz-paris-0.txt").unlink()
    (folder / "biden-tokyo-0.txt").write_text("Joe Biden traf am Montag in Tokio den japanischen Regierungschef.\n",
                                              encoding="utf-8")
    res = invoke(folder, "-o", out, "--store", store_path)
    assert res.exit_code == 0 and "1 removed" in res.output
    expected = graphs_of(out)
    with EmbeddedStore(store_path) as store:
        assert store.graphs() == sorted(expected) and DOC + "scholz-paris-0" not in store.graphs()
        got = {q.triple for q in store.store.quads_for_pattern(None, None, None, ox.NamedNode(DOC + "biden-tokyo-0"))}
    assert len(got) == len(expected[DOC + "biden-tokyo-0"])
    assert any(isinstance(t.object, ox.Literal) and "traf am Montag" in t.object.value for t in got)


def test_corpus_cli_store_added_later_gets_unchanged_documents(tmp_path):
    folder = tmp_path / "news"
    write_corpus(folder, copies=1)
    out, store_path = tmp_path / "out.nq", tmp_path / "store"
    assert invoke(folder, "-o", out).exit_code == 0
    res = invoke(folder, "-o", out, "--store", store_path)
    assert res.exit_code == 0 and "0 article(s) built, 6 unchanged" in res.output
    with EmbeddedStore(store_path) as store:
        assert store.graphs() == sorted(graphs_of(out))
