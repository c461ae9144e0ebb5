"""Bulk import of a whole dump (``kgbuild.kb.bulk``), on a dump-format file made of real Wikidata entity
documents (the shared ``wikidata-entity-fixtures``)."""
from __future__ import annotations

import bz2
import gzip
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from kgbuild.errors import KBError
from kgbuild.kb import SQLiteKB
from kgbuild.kb.bulk import bulk_import, iter_chunks, resolve_class
from kgbuild.kb.wikidata_json import entity_record, link_target
from kgbuild.kb.write import entity_row

SHARED = Path(os.environ.get("KGBUILD_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
FIX = SHARED / "data" / "wikidata-entity-fixtures"
pytestmark = pytest.mark.skipif(not FIX.is_dir(), reason="shared wikidata-entity-fixtures not available")

REAL = ["nomenklatura/Q7747.wbgetentities.json", "nomenklatura/Q254220.wbgetentities.json",
        "nomenklatura/Q5.wbgetentities.json", "wikibase-sdk/Q2112.json", "wikibase-sdk/Q217447.json",
        "wikibase-sdk/Q271094.json", "wikibase-sdk/Q328212.json", "wikibase-sdk/Q4132785.json",
        "wikibase-sdk/Q571.json", "wikibase-sdk/Q646148.json", "wikibase-sdk/Q970917.json",
        "wikibase-sdk/P8098.json", "wikidata-toolkit/item.json", "wikidata-toolkit/wbgetentites-Oliver-Kahn.json",
        "wikidata-toolkit/wbgetentities-Douglas-Adams.json"]
# two class items (test data, not Wikidata facts): Q705296 (Neihu's P31) -> Q900000001 -> human settlement
CLASSES = [{"type": "item", "id": "Q705296", "labels": {}, "descriptions": {}, "aliases": {}, "sitelinks": {},
            "claims": {"P279": [{"mainsnak": {"snaktype": "value", "property": "P279", "datavalue": {
                "value": {"entity-type": "item", "numeric-id": 900000001, "id": "Q900000001"},
                "type": "wikibase-entityid"}, "datatype": "wikibase-item"}, "type": "statement", "rank": "normal"}]}},
           {"type": "item", "id": "Q900000001", "labels": {}, "descriptions": {}, "aliases": {}, "sitelinks": {},
            "claims": {"P279": [{"mainsnak": {"snaktype": "value", "property": "P279", "datavalue": {
                "value": {"entity-type": "item", "numeric-id": 486972, "id": "Q486972"},
                "type": "wikibase-entityid"}, "datatype": "wikibase-item"}, "type": "statement", "rank": "normal"}]}}]
BAD_LINE = '{"type":"item","id":"Q999999999","sitelinks":{"enwiki":{"site":"enwiki","title":"Broken"'


def _docs() -> list[dict]:
    out = []
    for name in REAL:
        doc = json.loads((FIX / name).read_text(encoding="utf-8"))
        out += list(doc["entities"].values()) if "entities" in doc else [doc]
    seen = {d["id"] for d in out}
    bugs = (FIX / "wikidata-toolkit" / "mock-dump-with-bugs.json").read_text(encoding="utf-8").splitlines()
    for line in bugs[1:-1]:
        doc = json.loads(line.rstrip(","))
        if doc["id"] not in seen:
            out.append(doc)
    return out + CLASSES


def _dump(path: Path, opener=gzip.open) -> tuple[Path, list[dict]]:
    docs = _docs()
    lines = [json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in docs]
    lines.insert(5, BAD_LINE)
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write("[\n" + ",\n".join(lines) + "\n]\n")
    return path, docs


def _wiki(doc) -> bool:
    links = doc.get("sitelinks")
    return isinstance(links, dict) and ("enwiki" in links or "dewiki" in links)


def _content(path: Path) -> tuple:
    conn = sqlite3.connect(path)
    out = tuple(sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in ("entities", "names", "claims",
                                                                                 "given_names"))
    conn.close()
    return out


def test_bulk_import_real_entities(tmp_path):
    dump, docs = _dump(tmp_path / "latest-all.json.gz")
    report = bulk_import(dump, tmp_path / "kb.sqlite", bundled=False)
    items = [d for d in docs if _wiki(d) and d.get("type") == "item"]
    kept = [d for d in items if link_target(d, entity_record(d))]
    assert len(items) == 13 and report.kept == len(kept) == 11  # Q5 human and Q571 book are classes
    assert report.not_entities == 2 and {d["id"] for d in items} - {d["id"] for d in kept} == {"Q5", "Q571"}
    assert report.lines == len(docs) + 3  # "[", the bad line, "]"
    assert report.error_count == 1 and report.errors[0][0] == 7  # line 1 is "["
    assert report.typed_by_hierarchy == 1
    assert not (tmp_path / "kb.sqlite.import").exists()
    conn = sqlite3.connect(tmp_path / "kb.sqlite")
    rows = {r[0]: r for r in conn.execute("SELECT * FROM entities")}
    conn.close()
    assert set(rows) == {d["id"] for d in kept}
    for doc in kept:  # the same rows as the per-entity import path, apart from the hierarchy typing
        rec = entity_record(doc, source="wikidata-dump")
        expected = entity_row(rec)
        if doc["id"] == "Q271094":
            assert expected[1] == "MISC" and rows["Q271094"][1] == "LOC"  # P31 Q705296 -> ... -> settlement
            expected = (expected[0], "LOC", *expected[2:])
        assert rows[doc["id"]] == expected
    with SQLiteKB(tmp_path / "kb.sqlite") as kb:
        assert kb.lookup("Oliver Kahn", "de")[0].qid == "Q131261"
        assert kb.lookup("Kahns", "de")[0].qid == "Q131261"  # derived surname, genitive
        assert kb.lookup("Bielefeld", "de")[0].type == "LOC"
        assert kb.is_given_name("Oliver")
        assert kb.entity("Q970917") is None and kb.entity("P8098") is None  # no wiki article; a property
        assert any(s["name"] == "wikidata-dump" for s in kb.stats()["sources"])


def test_bulk_import_resumes_after_a_kill_in_parallel(tmp_path):
    dump, _ = _dump(tmp_path / "latest-all.json.gz")
    whole = bulk_import(dump, tmp_path / "one.sqlite", bundled=False, chunk_bytes=20_000)
    assert whole.chunks > 5
    first = bulk_import(dump, tmp_path / "two.sqlite", bundled=False, chunk_bytes=20_000, stop_after_chunks=3)
    assert first.chunks == 3 and not (tmp_path / "two.sqlite").exists()
    assert len(list((tmp_path / "two.sqlite.import").glob("*.done"))) == 3
    with pytest.raises(KBError, match="different import"):
        bulk_import(dump, tmp_path / "two.sqlite", bundled=False, chunk_bytes=30_000)
    second = bulk_import(dump, tmp_path / "two.sqlite", bundled=False, chunk_bytes=20_000, jobs=2)
    assert second.resumed_chunks == 3 and second.kept == whole.kept and second.lines == whole.lines
    assert _content(tmp_path / "one.sqlite") == _content(tmp_path / "two.sqlite")
    with pytest.raises(KBError, match="exists"):
        bulk_import(dump, tmp_path / "two.sqlite", bundled=False)


def test_bulk_import_bz2_merges_the_bundled_kb(tmp_path):
    dump, _ = _dump(tmp_path / "latest-all.json.bz2", bz2.open)
    report = bulk_import(dump, tmp_path / "kb.sqlite", langs=None)
    assert report.kept == 11  # of 13 items with an article: Q5 human and Q571 book are classes
    with SQLiteKB(tmp_path / "kb.sqlite") as kb:
        assert kb.lookup("Nordkorea", "de")[0].qid == "Q423"  # from the bundled KB
        assert kb.lookup("Douglas Adams", "en")[0].qid == "Q42"
        putin = kb.entity("Q7747")
        assert putin.type == "PER" and "bundled" not in kb.meta.get("origin", "")
        assert kb.meta["origin"] == "wikidata-dump" and kb.stats()["entities"] > 1000


def test_bulk_import_external_decompressor(tmp_path, monkeypatch):
    """``pigz`` as a subprocess when ISA-L is not installed (``gzip -dc`` stands in for it here)."""
    import sys

    gz = shutil.which("gzip")
    if gz is None:
        pytest.skip("no gzip binary")
    dump, _ = _dump(tmp_path / "latest-all.json.gz")
    monkeypatch.setitem(sys.modules, "isal", None)
    monkeypatch.setattr(shutil, "which", lambda tool: gz if tool == "pigz" else None)
    report = bulk_import(dump, tmp_path / "kb.sqlite", bundled=False)
    assert report.decompressor == "pigz" and report.kept == 11


def test_iter_chunks_cuts_at_line_ends():
    import io

    data = b"".join(b"line %d %s\n" % (i, b"x" * (i % 37)) for i in range(2000))
    chunks = list(iter_chunks(io.BytesIO(data + b"tail"), 1000))
    assert b"".join(c[2] for c in chunks) == data + b"tail"
    assert all(c[2].endswith(b"\n") for c in chunks[:-1])
    assert [c[1] for c in chunks] == [1 + b"".join(x[2] for x in chunks[:i]).count(b"\n") for i in range(len(chunks))]


def test_resolve_class_nearest_known_ancestor():
    edges = {"A": ["B", "C"], "B": ["Q5"], "C": ["Q515"], "D": ["E"], "E": ["D"]}
    table = {"Q5": "PER", "Q515": "LOC", "Q43229": "ORG"}
    parents = lambda xs: [p for x in xs for p in edges.get(x, [])]  # noqa: E731
    assert resolve_class("A", parents, table) == "PER"  # PER before LOC at the same distance
    assert resolve_class("Q43229", parents, table) == "ORG"
    assert resolve_class("D", parents, table) is None  # a cycle ends
