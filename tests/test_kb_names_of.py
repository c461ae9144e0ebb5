"""SQLiteKB.names_of: every name of the asked entities of the asked types, memoised per QID."""
from __future__ import annotations

import pytest

from kgbuild.kb import open_kb


@pytest.fixture(scope="module")
def kb():
    return open_kb()


def _direct(kb, qids, types):
    marks, tmarks = ",".join("?" * len(qids)), ",".join("?" * len(types))
    return set(kb._query("SELECT DISTINCT e.qid, e.type, e.prior, n.name, n.kind FROM entities e JOIN names n "
                         f"ON n.qid = e.qid WHERE e.qid IN ({marks}) AND e.type IN ({tmarks})", (*qids, *types)))


def test_names_of_equals_the_query_and_stays_so_from_the_memo(kb):
    qids = [c.qid for name in ("Angela Merkel", "Berlin", "NATO", "Eric Clapton", "Paris") for c in kb.lookup(name)[:3]]
    qids += ["Q0", qids[0]]  # an unknown QID, a repeated one
    for types in (("PER", "ORG"), ("LOC",), ("PER", "ORG", "LOC", "MISC")):
        want = _direct(kb, sorted(set(qids)), types)
        assert want  # the KB names some of them
        first = kb.names_of(qids, types)
        assert set(first) == want and len(first) == len(want)
        assert sorted(kb.names_of(list(reversed(qids)), types)) == sorted(first)  # from the memo
    kb.clear_cache()
    assert set(kb.names_of(qids, ("LOC",))) == _direct(kb, sorted(set(qids)), ("LOC",))
    assert kb.names_of([], ("PER",)) == []


def test_the_linkers_name_index_follows_the_kb_memo(kb):
    """The linker's per-process index of related entities' names (their folded words) equals what the names give,
    and is rebuilt when the KB's memo is cleared (new row lists), never read from the old one."""
    from kgbuild.linking import _NAME_INDEX, _indexed_names, _name_words, _names_of
    from kgbuild.linking.features import DocContext

    ctx = DocContext.build([], kb, "en", "")
    qids = [c.qid for name in ("Eric Clapton", "NATO", "Paris") for c in kb.lookup(name)[:3]] + ["Q0"]
    plain = _names_of(kb, qids, ctx)
    indexed = _indexed_names(kb, qids, ctx)
    assert indexed and set(indexed) == set(plain)  # persons and organisations only, unknown QIDs left out
    for qid, (type_, prior, names, words) in indexed.items():
        assert (type_, prior, sorted(names)) == (plain[qid][0], plain[qid][1], sorted(plain[qid][2]))
        assert words == frozenset().union(*(_name_words(n) for n, _ in names))
    qid = next(iter(indexed))
    before = _NAME_INDEX[qid][0]
    assert _indexed_names(kb, qids, ctx)[qid] is indexed[qid]  # the same rows: the same entry
    kb.clear_cache()
    again = _indexed_names(kb, qids, ctx)
    assert _NAME_INDEX[qid][0] is not before and again[qid] == indexed[qid]
