"""Imports of Wikidata JSON keep things news name and leave out what is no link target (classes, names, taxa,
Wikimedia pages, items known by a label only). The entities below are written for these tests in the shape of
Wikidata's JSON (made-up QIDs in a range Wikidata does not use)."""
from __future__ import annotations

import gzip
import json

import pytest

from kgbuild.kb import SQLiteKB
from kgbuild.kb.bulk import bulk_import
from kgbuild.kb.importer import import_file
from kgbuild.kb.records import build_sqlite, write_records


def _claim(prop: str, qid: str) -> dict:
    return {"mainsnak": {"snaktype": "value", "property": prop, "datavalue": {
        "value": {"entity-type": "item", "id": qid}, "type": "wikibase-entityid"}}, "type": "statement",
        "rank": "normal"}


def _item(qid: str, label: str, p31: str | None = None, p279: str | None = None, wikis=("enwiki",),
          alias: str | None = None) -> dict:
    claims = {}
    if p31:
        claims["P31"] = [_claim("P31", p31)]
    if p279:
        claims["P279"] = [_claim("P279", p279)]
    doc = {"type": "item", "id": qid, "labels": {"en": {"language": "en", "value": label}},
           "claims": claims, "sitelinks": {w: {"site": w, "title": label, "badges": []} for w in wikis}}
    if alias:
        doc["aliases"] = {"en": [{"language": "en", "value": alias}]}
    return doc


ITEMS = [
    _item("Q8000000001", "Marla Quennet", p31="Q5"),  # a person: kept
    _item("Q8000000002", "crowd member", p31="Q8000000009", p279="Q8000000008", alias="folks"),  # a class
    _item("Q8000000003", "Quennet", p31="Q4167410"),  # a disambiguation page
    _item("Q8000000004", "Marla", p31="Q11879590"),  # a female given name
    _item("Q8000000005", "Felis quennetii", p31="Q16521"),  # a taxon
    _item("Q8000000006", "ferry pilot", p31="Q28640"),  # a profession
    {"type": "item", "id": "Q8000000007", "labels": {"en": {"language": "en", "value": "Brisk Harbour"}}},  # label only
    _item("Q8000000010", "Quennet Harbour Regatta", p31="Q8000000011"),  # an unknown class, with an article: kept
]
KEPT = {"Q8000000001", "Q8000000010"}


@pytest.fixture()
def small_kb(tmp_path):
    records = tmp_path / "r.tsv.xz"
    write_records(records, {}, [{"qid": "Q64", "type": "LOC", "prior": 0.8, "names": [["Berlin", "label", "de"]]}], [])
    return build_sqlite(records, tmp_path / "kb.sqlite")


def _answer(tmp_path):
    path = tmp_path / "answer.json"
    path.write_text(json.dumps({"entities": {d["id"]: d for d in ITEMS}}), encoding="utf-8")
    return path


def test_import_leaves_out_classes_names_taxa_and_pages(small_kb, tmp_path):
    report = import_file(small_kb, _answer(tmp_path))
    assert (report.read, report.imported, report.not_entities) == (8, 2, 6)
    with SQLiteKB(small_kb) as kb:
        assert {q for q in (d["id"] for d in ITEMS) if kb.entity(q)} == KEPT
        assert kb.lookup("folks") == [] and kb.lookup("Marla Quennet")[0].qid == "Q8000000001"
        assert [c.qid for c in kb.lookup("Quennet")] == ["Q8000000001"]  # the person's surname, not the page


def test_import_keeps_concepts_when_asked(small_kb, tmp_path):
    report = import_file(small_kb, _answer(tmp_path), concepts=True)
    assert report.imported == 8 and report.not_entities == 0
    with SQLiteKB(small_kb) as kb:
        assert kb.lookup("folks")[0].qid == "Q8000000002"


def test_bulk_import_leaves_out_classes_with_an_article(tmp_path):
    dump = tmp_path / "dump.json.gz"
    with gzip.open(dump, "wt", encoding="utf-8") as fh:
        fh.write("[\n" + ",\n".join(json.dumps(d) for d in ITEMS) + "\n]\n")
    report = bulk_import(dump, tmp_path / "bulk.sqlite", bundled=False, work=tmp_path / "work")
    assert report.kept == 2 and report.not_entities == 5  # the label-only item has no article: never parsed
    with SQLiteKB(tmp_path / "bulk.sqlite") as kb:
        assert {q for q in (d["id"] for d in ITEMS) if kb.entity(q)} == KEPT


def _with_sitelinks(doc: dict, n: int, statements: int = 0) -> dict:
    doc = dict(doc)
    doc["sitelinks"] = {**doc["sitelinks"], **{f"x{i}wiki": {"site": f"x{i}wiki", "title": "t"} for i in range(n)}}
    doc["claims"] = {**doc["claims"], "P9999": [{"mainsnak": {"snaktype": "somevalue", "property": "P9999"},
                                                  "rank": "normal"}] * statements}
    return doc


@pytest.fixture()
def gazette_kb(tmp_path):
    """A KB whose newspaper 'Quennet Gazette' has a low prior from its source (ranked by the age of its item)."""
    records = tmp_path / "r.tsv.xz"
    write_records(records, {}, [{"qid": "Q8000000100", "type": "ORG", "prior": 0.2, "classes": ["Q11032"],
                                 "names": [["Quennet Gazette", "label", "en"]]}], [])
    return build_sqlite(records, tmp_path / "kb.sqlite")


def test_import_puts_an_obscure_namesake_below_the_kbs_entity(gazette_kb, tmp_path):
    firm = _with_sitelinks(_item("Q8000000101", "Quennet Gazette", p31="Q4830453"), 6, statements=40)
    famous = _with_sitelinks(_item("Q8000000102", "Quennet Gazette", p31="Q7725634"), 60, statements=300)
    path = tmp_path / "answer.json"
    path.write_text(json.dumps({"entities": {d["id"]: d for d in (firm, famous)}}), encoding="utf-8")
    report = import_file(gazette_kb, path)
    assert report.imported == 2 and report.capped == 1
    with SQLiteKB(gazette_kb) as kb:
        ranked = [(c.qid, round(c.prior, 2)) for c in kb.lookup("Quennet Gazette")]
    # the famous namesake (60 sitelinks) ranks by its own popularity; the company (6) just below the newspaper
    assert ranked == [("Q8000000102", ranked[0][1]), ("Q8000000100", 0.2), ("Q8000000101", 0.19)]
    assert ranked[0][1] > 0.5


def test_import_keeps_the_prior_of_an_item_the_kb_had(gazette_kb, tmp_path):
    again = _with_sitelinks(_item("Q8000000100", "Quennet Gazette", p31="Q11032"), 20, statements=60)
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(again), encoding="utf-8")
    report = import_file(gazette_kb, path)
    assert report.imported == 1 and report.capped == 0
    with SQLiteKB(gazette_kb) as kb:
        assert kb.lookup("Quennet Gazette")[0].prior > 0.4  # its own popularity, higher than the source's 0.2


def test_import_namesake_ranks_below_on_every_shared_name(tmp_path):
    """A new 'Hans Quennet' ranks below the KB's Hans Quennet, though a more popular Quennet shares the surname."""
    records = tmp_path / "r.tsv.xz"
    write_records(records, {}, [
        {"qid": "Q8000000200", "type": "PER", "prior": 0.3, "names": [["Hans Quennet", "label", "en"],
                                                                      ["Quennet", "surname", "en"]]},
        {"qid": "Q8000000201", "type": "PER", "prior": 0.6, "names": [["Ida Quennet", "label", "en"],
                                                                      ["Quennet", "surname", "en"]]}], [])
    kb_path = build_sqlite(records, tmp_path / "kb.sqlite")
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(_with_sitelinks(_item("Q8000000202", "Hans Quennet", p31="Q5"), 8, 60)))
    assert import_file(kb_path, path).capped == 1
    with SQLiteKB(kb_path) as kb:
        assert [c.qid for c in kb.lookup("Hans Quennet")] == ["Q8000000200", "Q8000000202"]


def test_bulk_import_puts_an_obscure_namesake_below_the_bundled_entity(tmp_path, monkeypatch):
    """The whole-dump path merges the bundled KB; the dump's obscure namesake of a bundled entity ranks below it."""
    from kgbuild.kb import bulk

    base = tmp_path / "base"
    base.mkdir()
    records = base / "r.tsv.xz"
    write_records(records, {}, [{"qid": "Q8000000100", "type": "ORG", "prior": 0.2, "classes": ["Q11032"],
                                 "names": [["Quennet Gazette", "label", "en"]]}], [])
    monkeypatch.setattr(bulk, "_bundled_path", lambda: build_sqlite(records, base / "kb.sqlite"))
    firm = _with_sitelinks(_item("Q8000000101", "Quennet Gazette", p31="Q4830453"), 6, statements=40)
    famous = _with_sitelinks(_item("Q8000000102", "Quennet Gazette", p31="Q7725634"), 60, statements=300)
    dump = tmp_path / "dump.json.gz"
    with gzip.open(dump, "wt", encoding="utf-8") as fh:
        fh.write("[\n" + ",\n".join(json.dumps(d) for d in (firm, famous)) + "\n]\n")
    report = bulk_import(dump, tmp_path / "bulk.sqlite", work=tmp_path / "work")
    assert report.kept == 2 and report.capped == 1
    with SQLiteKB(tmp_path / "bulk.sqlite") as kb:
        assert [c.qid for c in kb.lookup("Quennet Gazette")] == ["Q8000000102", "Q8000000100", "Q8000000101"]
