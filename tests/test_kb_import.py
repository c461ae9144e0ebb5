"""Import of real Wikidata JSON (fixture files of Wikidata client libraries) into a KB file."""
from __future__ import annotations

import bz2
import gzip
import os
import shutil
from pathlib import Path

import pytest

from kgbuild.errors import InputError, InputNotFoundError
from kgbuild.kb import SQLiteKB
from kgbuild.kb.dump import EntityFilter, iter_entities
from kgbuild.kb.importer import import_file
from kgbuild.kb.records import build_sqlite, write_records
from kgbuild.kb.wikidata_json import entity_record

SHARED = Path(os.environ.get("KGBUILD_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
FIX = SHARED / "data" / "wikidata-entity-fixtures"
pytestmark = pytest.mark.skipif(not FIX.is_dir(), reason="shared wikidata-entity-fixtures not available")
BUGS = FIX / "wikidata-toolkit" / "mock-dump-with-bugs.json"


@pytest.fixture()
def empty_kb(tmp_path):
    records = tmp_path / "r.tsv.xz"
    write_records(records, {}, [{"qid": "Q64", "type": "LOC", "prior": 0.8, "names": [["Berlin", "label", "de"]]}], [])
    return build_sqlite(records, tmp_path / "kb.sqlite")


def test_kb_import_wbgetentities_answer(empty_kb):
    report = import_file(empty_kb, FIX / "wikidata-toolkit" / "wbgetentites-Oliver-Kahn.json")
    assert (report.read, report.imported, report.errors) == (1, 1, [])
    with SQLiteKB(empty_kb) as kb:
        assert kb.lookup("Oliver Kahn", "de")[0].qid == "Q131261"
        assert kb.lookup("Kahns", "de")[0].qid == "Q131261"  # derived surname, genitive
        assert kb.is_given_name("Oliver")
        ent = kb.entity("Q131261")
        assert ent.type == "PER" and ent.labels["de"] == "Oliver Kahn" and "Q183" in ent.claims["P27"]
        assert kb.lookup("Berlin", "de")[0].qid == "Q64"  # what was there stays


def test_kb_import_skips_properties_and_missing_items(empty_kb):
    report = import_file(empty_kb, FIX / "wikidata-toolkit" / "wbgetentities-Q6-Q42-P31.json")
    assert report.read == 3 and report.imported == 1 and report.filtered == 2
    with SQLiteKB(empty_kb) as kb:
        assert kb.lookup("Douglas Adams", "en")[0].qid == "Q42"
        assert kb.entity("P31") is None and kb.entity("Q6") is None


def test_kb_import_dump_format_gz(empty_kb):
    report = import_file(empty_kb, FIX / "wikidata-toolkit" / "sample-dump-20150815.json.gz")
    # 8 of its 55 items are no link targets: taxa (lion, dog, ...), the number 2, items with no class nor article
    assert report.read == 101 and report.imported == 47 and report.not_entities == 8 and report.errors == []
    with SQLiteKB(empty_kb) as kb:
        assert kb.entity("Q1") is not None


def test_kb_import_dump_with_format_bugs_keeps_every_item(empty_kb):
    """The toolkit's dump with deliberate format errors (labels as [], claims as [], old reference shapes)."""
    report = import_file(empty_kb, BUGS)
    assert report.read == 101 and report.imported == 47 and report.errors == []
    with SQLiteKB(empty_kb) as kb:
        assert kb.entity("Q8") is not None and kb.entity("Q298") is not None


def test_kb_import_broken_lines_reported_and_skipped(empty_kb, tmp_path):
    lines = BUGS.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5][: len(lines[5]) // 2] + "\n"  # line 6: cut in the middle
    lines.insert(20, "this is not json,\n")  # line 21
    broken = tmp_path / "broken-dump.json.bz2"
    broken.write_bytes(bz2.compress("".join(lines).encode()))
    report = import_file(empty_kb, broken)
    assert [line for line, _ in report.errors] == [6, 21]
    assert report.imported == 47  # line 6 was a property (P22): no item lost
    with SQLiteKB(empty_kb) as kb:
        assert kb.entity("Q298") is not None  # after the bad lines


def test_kb_import_truncated_gzip_keeps_what_was_read(empty_kb, tmp_path):
    data = gzip.compress(BUGS.read_bytes())
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    report = import_file(empty_kb, cut)
    assert report.errors and report.errors[-1][0] == -1  # the damaged end is reported
    assert 10 < report.imported < 47
    with SQLiteKB(empty_kb) as kb:
        assert kb.entity("Q1") is not None


@pytest.mark.parametrize(
    "keep, expected",
    [(EntityFilter(qids=frozenset({"Q1", "Q8", "P31"})), {"Q1", "Q8"}),
     (EntityFilter(classes=frozenset({"Q5"})), {"Q42"}),
     (EntityFilter(min_sitelinks=1), {"Q1", "Q8"}),
     (EntityFilter(min_sitelinks=2), set())],
)
def test_kb_import_filters(keep, expected):
    source = FIX / "wikidata-toolkit" / ("mock-dump-for-testing.json" if "Q42" not in expected else "wbgetentities-Q6-Q42-P31.json")
    docs = [d for d in iter_entities(source) if keep(d) and entity_record(d)]
    assert {d["id"] for d in docs} == expected


def test_kb_import_creates_kb_from_bundled(tmp_path):
    target = tmp_path / "mine.sqlite"
    report = import_file(target, FIX / "wikidata-toolkit" / "wbgetentites-Oliver-Kahn.json")
    assert report.imported == 1
    with SQLiteKB(target) as kb:
        assert kb.lookup("Oliver Kahn", "de")[0].qid == "Q131261"
        assert kb.lookup("Nordkorea", "de")[0].qid == "Q423"  # the bundled content is there too


def test_kb_import_old_claim_format():
    doc = {"id": "Q1", "type": "item", "labels": {"en": {"language": "en", "value": "x"}},
           "claims": [{"m": ["value", 31, "wikibase-entityid", {"entity-type": "item", "numeric-id": 5}], "q": [], "g": "x", "rank": 1}]}
    rec = entity_record(doc)
    assert rec["classes"] == ["Q5"] and rec["type"] == "PER"


def test_kb_import_entity_fixture_files_parse():
    for path in sorted(FIX.rglob("*.json*")):
        for doc in iter_entities(path):
            rec = entity_record(doc, langs=None)
            assert rec is None or rec["qid"].startswith("Q")
    putin = entity_record(next(iter_entities(FIX / "nomenklatura" / "Q7747.wbgetentities.json")))
    assert putin["type"] == "PER" and "Q159" in putin["claims"]["P27"] and len(putin["claims"]["P39"]) > 5


def test_kb_import_bad_inputs(tmp_path, empty_kb):
    with pytest.raises(InputNotFoundError):
        list(iter_entities(tmp_path / "nope.json"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"entities": {"Q1": ', encoding="utf-8")
    with pytest.raises(InputError, match="not valid Wikidata JSON"):
        import_file(empty_kb, bad)
    binary = tmp_path / "bin.json.gz"
    binary.write_bytes(b"\x00\x01 not gzip at all")
    with pytest.raises(InputError):
        import_file(empty_kb, binary)


def test_kb_import_of_a_broken_file_leaves_no_new_kb(tmp_path):
    """A file that is no Wikidata JSON at all, imported into a KB that does not exist yet, is one error and leaves
    no copy of the bundled KB behind; an existing KB is left where it is."""
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "Q1"\n', encoding="utf-8")
    target = tmp_path / "new" / "kb.sqlite"
    with pytest.raises(InputError, match="not valid Wikidata JSON"):
        import_file(target, bad)
    assert not target.exists() and not list(target.parent.glob("kb.sqlite*"))
    good = tmp_path / "items.json"
    shutil.copy(FIX / "wikidata-toolkit" / "mock-dump-for-testing.json", good)
    import_file(target, good)
    with pytest.raises(InputError):
        import_file(target, bad)
    with SQLiteKB(target) as kb:
        assert kb.entity("Q1") is not None


def test_kb_import_jsonl_lines(tmp_path, empty_kb):
    src = tmp_path / "items.jsonl"
    shutil.copy(FIX / "wikidata-toolkit" / "mock-dump-for-testing.json", tmp_path / "x.json")
    lines = [ln.rstrip().rstrip(",") for ln in (tmp_path / "x.json").read_text().splitlines() if ln.startswith("{")]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(empty_kb, src)
    assert report.read == 4 and report.imported == 2


def test_kb_import_drops_function_word_names(tmp_path):
    """Q1 (universe) has the alias "All"; imported into a KB with the bundled stop list it is not a name."""
    target = tmp_path / "mine.sqlite"
    import_file(target, FIX / "wikidata-toolkit" / "mock-dump-for-testing.json", langs=None)
    with SQLiteKB(target) as kb:
        assert kb.entity("Q1") is not None and kb.lookup("Universum", "de")[0].qid == "Q1"
        assert "All" not in {n for n, _, _ in kb.names("Q1")}
