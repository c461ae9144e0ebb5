"""The stored name filter: no false negatives, few false positives, rows added later are found."""
from __future__ import annotations

import sqlite3

from kgbuild.kb import SQLiteKB, namefilter, schema
from kgbuild.kb.records import build_sqlite, write_records
from kgbuild.kb.write import finalize, write_record


def _kb(tmp_path, count=3000):
    recs = [{"qid": f"Q{i}", "type": "ORG", "prior": 0.5, "names": [[f"Firma Nummer {i}", "label", "de"]],
             "source": "t"} for i in range(1, count + 1)]
    write_records(tmp_path / "r.tsv.xz", {}, recs, [])
    return build_sqlite(tmp_path / "r.tsv.xz", tmp_path / "kb.sqlite")


def test_namefilter_no_false_negatives_few_false_positives(tmp_path):
    path = _kb(tmp_path)
    conn = sqlite3.connect(path)
    stored = conn.execute("SELECT keys, max_rowid, length(bits) FROM name_filter").fetchone()
    conn.close()
    assert stored[0] > 0 and stored[1] > 0 and stored[2] >= stored[0] * namefilter.BITS_PER_KEY // 8
    with SQLiteKB(path) as kb:
        assert not kb._index.extra  # everything is in the stored bits
        assert all(kb.has_name(f"Firma Nummer {i}") for i in range(1, 3001))
        misses = sum(kb.has_name(f"Verein Nummer {i}") for i in range(20000))
        assert misses < 20000 * 0.03
        assert [c.qid for c in kb.lookup("Firma Nummer 17")] == ["Q17"]


def test_namefilter_rows_added_later(tmp_path):
    path = _kb(tmp_path, 50)
    conn = schema.connect(path)
    write_record(conn, {"qid": "Q99999", "type": "PER", "prior": 0.3, "names": [["Erika Beispiel", "label", "de"]]})
    conn.commit()
    with SQLiteKB(path) as kb:  # not finalized: the new row is in the overlay
        assert kb._index.extra and kb.lookup("Erika Beispiel")[0].qid == "Q99999"
    finalize(conn, updated=True)  # folded into the stored bits incrementally
    conn.close()
    with SQLiteKB(path) as kb:
        assert not kb._index.extra and kb.lookup("Erika Beispiel")[0].qid == "Q99999"
        assert kb.has_name("Firma Nummer 3")


def test_namefilter_old_file_without_filter(tmp_path):
    path = _kb(tmp_path, 20)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE name_filter")
    conn.commit()
    conn.close()
    with SQLiteKB(path) as kb:  # built in memory
        assert kb.lookup("Firma Nummer 7")[0].qid == "Q7" and not kb.has_name("Firma Nummer 70")


def test_namefilter_answers_are_remembered_until_keys_are_added():
    filt = namefilter.NameFilter.empty(1000)
    filt.add_bits(["firma", "verein"])
    assert "firma" in filt and "verein" in filt and "partei" not in filt
    assert filt._seen == {"firma": True, "verein": True, "partei": False}
    filt.update(["partei"])  # the overlay: a key asked before is found now
    assert "partei" in filt
    filt.add_bits(["bund"])
    assert "bund" in filt and "firma" in filt
