"""KB files: built from records, merged, migrated; missing / truncated / corrupt files give one clear error."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from kgbuild.errors import KBCorruptError, KBError, KBNotFoundError
from kgbuild.kb import SQLiteKB, open_kb, schema
from kgbuild.kb.records import build_sqlite, read_records, write_records

RECORDS = [
    {"qid": "Q423", "type": "LOC", "prior": 0.87, "classes": ["Q6256"], "claims": {"P36": ["Q18808"]},
     "labels": {"de": "Nordkorea", "en": "North Korea"}, "descriptions": {"en": "country in East Asia"},
     "names": [["Nordkorea", "label", "de"], ["North Korea", "label", "en"], ["nordkoreanisch", "demonym", "de"],
               ["Demokratische Volksrepublik Korea", "official", "de"]], "source": "test"},
    {"qid": "Q18808", "type": "LOC", "prior": 0.77, "classes": ["Q5119"], "claims": {"P17": ["Q423"]},
     "labels": {"de": "Pjöngjang"}, "names": [["Pjöngjang", "label", "de"], ["Pyongyang", "label", "en"]], "source": "test"},
    {"qid": "Q7747", "type": "PER", "prior": 0.6, "classes": ["Q5"], "claims": {"P27": ["Q159"]},
     "labels": {"en": "Vladimir Putin"}, "names": [["Vladimir Putin", "label", "en"], ["Wladimir Putin", "transliteration", "de"],
                                                   ["Putin", "surname", None]], "source": "test"},
]


@pytest.fixture()
def tiny(tmp_path):
    records = tmp_path / "r.tsv.xz"
    write_records(records, {"built": "2026-01-01", "sources": [{"name": "test", "licence": "CC0", "note": ""}]},
                  RECORDS, ["Wladimir", "Juri"])
    return build_sqlite(records, tmp_path / "kb.sqlite")


def test_kb_store_build_and_lookup(tiny):
    with SQLiteKB(tiny) as kb:
        assert [c.qid for c in kb.lookup("Nordkoreas", "de")] == ["Q423"]
        assert kb.lookup("nordkoreanischen", "de")[0].kind == "demonym"
        assert kb.lookup("Putin")[0].qid == "Q7747"
        assert kb.is_given_name("juri") and not kb.is_given_name("Putin")
        assert kb.related("Q423") == {"Q18808"} and kb.related("Q18808") == {"Q423"}
        assert kb.max_name_tokens == 3  # "Demokratische Volksrepublik Korea"
        assert kb.stats()["by_source"] == {"test": 3}


def test_kb_store_records_roundtrip(tmp_path):
    path = tmp_path / "r.tsv.xz"
    assert write_records(path, {}, RECORDS, []) == 3
    rows = list(read_records(path))
    assert rows[0]["kgbuild_kb_records"] == 1
    assert sum(1 for r in rows[1:] if r[0] == "E") == 3
    assert {r[3] for r in rows[1:] if r[0] == "N"} == {"Q423", "Q18808", "Q7747"}


def test_kb_store_write_merges(tiny):
    from kgbuild.kb.write import finalize, write_record

    conn = schema.connect(tiny)
    write_record(conn, {"qid": "Q423", "type": "LOC", "prior": 0.1, "names": [["DVRK", "short", "de"]],
                        "claims": {"P36": ["Q18808"], "P17": ["Q423x"]}, "labels": {"fr": "Corée du Nord"},
                        "source": "other"}, keep_prior=True)
    finalize(conn, updated=True)
    conn.close()
    with SQLiteKB(tiny) as kb:
        ent = kb.entity("Q423")
        assert ent.prior == pytest.approx(0.87)  # kept the higher prior
        assert ent.labels == {"de": "Nordkorea", "en": "North Korea", "fr": "Corée du Nord"}
        assert kb.lookup("DVRK")[0].qid == "Q423"
        assert "+" in kb.version  # marks the KB as changed after the build


def test_kb_store_stale_index_is_rebuilt(tiny):
    conn = sqlite3.connect(tiny)
    conn.execute("INSERT INTO names VALUES ('dvrk', 'dvrk', 'Q423', 'DVRK', 'short', NULL)")
    conn.commit()
    conn.close()
    with SQLiteKB(tiny) as kb:
        assert kb.lookup("DVRK")[0].qid == "Q423"


def test_kb_store_missing_file(tmp_path):
    with pytest.raises(KBNotFoundError, match="not found"):
        open_kb(tmp_path / "nope.sqlite")


def test_kb_store_truncated_file(tiny):
    data = tiny.read_bytes()
    tiny.write_bytes(data[: len(data) // 2])
    with pytest.raises(KBCorruptError) as err:
        open_kb(tiny)
    assert str(tiny) in str(err.value) and "kgbuild kb compile" in str(err.value)


def test_kb_store_garbage_file(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(KBCorruptError, match="bad.sqlite"):
        open_kb(bad)


def test_kb_store_foreign_sqlite(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(KBCorruptError, match="not a kgbuild KB"):
        open_kb(other)


def test_kb_store_newer_schema(tiny):
    conn = sqlite3.connect(tiny)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(KBCorruptError, match="schema version"):
        open_kb(tiny)


def test_kb_store_migrations_cover_every_version():
    assert sorted(schema.MIGRATIONS) == list(range(1, schema.SCHEMA_VERSION + 1))


def test_kb_store_corrupt_records_file(tmp_path):
    path = tmp_path / "r.tsv.xz"
    write_records(path, {}, RECORDS, [])
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(KBCorruptError, match="truncated or corrupt"):
        build_sqlite(path, tmp_path / "kb.sqlite")
    assert not (tmp_path / "kb.sqlite").exists()


def test_kb_store_env_variable(tiny, monkeypatch):
    monkeypatch.setenv("KGBUILD_KB", str(tiny))
    with open_kb() as kb:
        assert kb.path == tiny


def test_kb_store_bundled_cache_concurrent_first_use(tmp_path):
    """Two processes building the bundled KB into an empty cache at once both succeed."""
    code = "from kgbuild.kb import open_kb; kb = open_kb(); print(kb.lookup('Nordkorea', 'de')[0].qid)"
    env = {"KGBUILD_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [o[0].strip() for o in outs] == ["Q423", "Q423"], outs
    assert len(list(tmp_path.glob("kb-*.sqlite"))) == 1
    assert not list(tmp_path.glob("*.tmp"))


def test_kb_store_unusable_cache_falls_back(tmp_path, monkeypatch):
    """A cache dir that cannot be created (read-only site, a file in the way) is skipped for the next one."""
    from kgbuild.kb import bundled

    blocker = tmp_path / "afile"
    blocker.write_text("x")
    target = tmp_path / "rw"
    monkeypatch.setattr(bundled, "cache_dirs", lambda: [blocker / "cache", target])
    monkeypatch.setattr(bundled, "build_sqlite", lambda src, dst: (dst.write_text("x"), dst)[1])
    assert bundled.bundled_kb_path().parent == target
    monkeypatch.setattr(bundled, "cache_dirs", lambda: [blocker / "cache"])
    with pytest.raises(KBError, match="KGBUILD_CACHE"):
        bundled.bundled_kb_path()


def test_kb_store_missing_bundled_records(tmp_path, monkeypatch):
    from kgbuild.kb import bundled

    monkeypatch.setenv("KGBUILD_CACHE", str(tmp_path))
    monkeypatch.delenv("KGBUILD_KB", raising=False)
    monkeypatch.setattr(bundled, "BUNDLED_RECORDS", tmp_path / "gone.tsv.xz")
    with pytest.raises(KBNotFoundError, match="gone.tsv.xz"):
        bundled.bundled_kb_path(tmp_path / "gone.tsv.xz")


def test_kb_store_builder_merge_rules():
    from kgbuild.kb.compile.model import Builder

    b = Builder()
    b.add("Q649", "dr5hn-csc", "LOC", 0.4, names=[("Moscow", "label", "en")], labels={"de": "Moskau (Stadt)"})
    b.add("Q649", "natural-earth", "LOC", 0.8, force=True, names=[("Moskau", "label", "de")], labels={"de": "Moskau"})
    b.add("Q649", "other", "ORG", 0.1, names=[("in", "short", None), ("Moskwa", "label", "xx")])
    assert b.add("null", "dr5hn-csc", "LOC") is None and b.counts["dr5hn-csc:bad-qid"] == 1
    rec = b.recs["Q649"].to_dict()
    assert rec["type"] == "LOC" and rec["prior"] == 0.8 and rec["labels"]["de"] == "Moskau"
    assert ["Moskau", "label", "de"] in rec["names"] and ["Moscow", "label", "en"] in rec["names"]
    assert all(n[0] not in ("in", "Moskwa") for n in rec["names"])  # stop word; language not kept
    assert rec["source"] == "dr5hn-csc,natural-earth,other"


def test_kb_store_damaged_pages_give_kb_error(tiny):
    """Bytes overwritten inside the file (not truncated): the first query that meets them says so."""
    from kgbuild.errors import KBError

    data = bytearray(tiny.read_bytes())
    page = 4096
    for start in range(2 * page, len(data), page):  # keep the header page, wreck every other page
        data[start:start + 200] = b"\xff" * 200
    tiny.write_bytes(bytes(data))
    with pytest.raises(KBError) as err:
        with open_kb(tiny) as kb:
            for surface in ("Nordkorea", "Putin", "Pjöngjang"):
                kb.lookup(surface)
            kb.entity("Q423")
            kb.related("Q423")
    assert str(tiny) in str(err.value)


def test_kb_store_migration_runs_on_open(tiny, monkeypatch):
    """A KB of an older schema version is upgraded step by step when opened (the file is writable)."""
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 2, "ALTER TABLE entities ADD COLUMN wikipedia_title TEXT;")
    with SQLiteKB(tiny) as kb:
        assert kb.lookup("Nordkorea", "de")[0].qid == "Q423"
    conn = sqlite3.connect(tiny)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "wikipedia_title" in {r[1] for r in conn.execute("PRAGMA table_info(entities)")}
    conn.close()


def test_kb_store_records_unwritable_target(tmp_path):
    from kgbuild.errors import OutputError

    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="--out"):
        write_records(blocker / "sub" / "r.tsv.xz", {}, RECORDS, [])
