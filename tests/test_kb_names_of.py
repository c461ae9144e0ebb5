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
