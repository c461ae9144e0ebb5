"""The name filter of a KB file: a Bloom filter over every name stem, kept in the file itself.

The spotter asks the KB about every n-gram of a text, and most n-grams are not names. Holding every key in a
Python set (what the store did first) costs ~100 bytes per key: gigabytes at Wikidata scale. A lookup reads
the names whose ``stem`` equals the query's stem, so the distinct values of ``names.stem`` are the whole
index: the filter holds them at ``BITS_PER_KEY`` bits each (~1 % false positives, which then cost one
indexed SQL query that finds nothing) and never says no to a stem that is in the file.

Layout: table ``name_filter`` with one row ``(id=1, k, m, max_rowid, keys, bits)``: ``k`` hash functions over
``m`` bits, covering every ``names`` row with ``rowid <= max_rowid`` (``keys`` distinct keys and stems went
(the distinct stems) went in). Rows added later (an interrupted import, the online cache) are read into a small overlay set when the
KB opens, and ``update`` folds them into the bits. Bit ``i`` of the filter is bit ``i & 7`` of byte ``i >> 3``;
a key's bits are ``(h1 + j * h2) mod m`` for ``j < k`` where ``h1``/``h2`` are the low/high 32 bits (``h2`` made
odd) of the 8-byte BLAKE2b digest of the UTF-8 key, read little-endian.
"""
from __future__ import annotations

import logging
import math
import sqlite3
from hashlib import blake2b
from typing import Iterable, Iterator

log = logging.getLogger("kgbuild.kb")

BITS_PER_KEY = 10
K = 7
_MIN_BITS = 1 << 16
_SEEN_MAX = 200_000  # answers kept per filter (past it, the memo starts again)
_CREATE = ("CREATE TABLE IF NOT EXISTS name_filter (id INTEGER PRIMARY KEY CHECK (id = 1), k INTEGER NOT NULL, "
           "m INTEGER NOT NULL, max_rowid INTEGER NOT NULL, keys INTEGER NOT NULL, bits BLOB NOT NULL)")
_KEYS_SQL = "SELECT DISTINCT stem FROM names WHERE rowid > ?"


def _hashes(key: str) -> tuple[int, int]:
    d = int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")
    return d & 0xFFFFFFFF, (d >> 32) | 1


class NameFilter:
    """Bloom filter bits plus an overlay set of keys not yet in the bits."""

    __slots__ = ("k", "m", "bits", "keys", "max_rowid", "extra", "_seen")

    def __init__(self, k: int, m: int, bits: bytes | bytearray, keys: int = 0, max_rowid: int = 0):
        self.k, self.m, self.bits, self.keys, self.max_rowid = k, m, bits, keys, max_rowid
        self.extra: set[str] = set()
        #: the answers given so far (the spotter asks about the same n-grams from article to article); forgotten
        #: whenever keys are added
        self._seen: dict[str, bool] = {}

    @classmethod
    def empty(cls, expected_keys: int) -> "NameFilter":
        m = max(_MIN_BITS, math.ceil(expected_keys * BITS_PER_KEY / 64) * 64)
        return cls(K, m, bytearray(m >> 3))

    def __contains__(self, key: str) -> bool:
        found = self._seen.get(key)
        if found is None:
            found = self._probe(key)
            if len(self._seen) >= _SEEN_MAX:
                self._seen.clear()
            self._seen[key] = found
        return found

    def _probe(self, key: str) -> bool:
        if key in self.extra:
            return True
        h1, h2 = _hashes(key)
        bits, m = self.bits, self.m
        for j in range(self.k):
            b = (h1 + j * h2) % m
            if not bits[b >> 3] >> (b & 7) & 1:
                return False
        return True

    def update(self, keys: Iterable[str]) -> None:
        """Add keys to the overlay (visible at once; written into the bits by ``save``)."""
        self.extra.update(keys)
        self._seen.clear()

    def add_bits(self, keys: Iterable[str]) -> int:
        """Set the bits of ``keys`` (the filter must hold a ``bytearray``); returns how many keys."""
        try:
            import numpy as np
        except ImportError:  # pragma: no cover - numpy comes with spaCy
            np = None  # type: ignore[assignment]
        bits, m, k, count = self.bits, self.m, self.k, 0
        for chunk in _chunks(keys, 200_000):
            count += len(chunk)
            pairs = [_hashes(key) for key in chunk]
            if np is None:
                for h1, h2 in pairs:
                    for j in range(k):
                        b = (h1 + j * h2) % m
                        bits[b >> 3] |= 1 << (b & 7)
                continue
            h = np.array(pairs, dtype=np.uint64).reshape(-1, 2)
            idx = ((h[:, :1] + np.arange(k, dtype=np.uint64) * h[:, 1:]) % np.uint64(m)).ravel()
            view = np.frombuffer(bits, dtype=np.uint8)
            np.bitwise_or.at(view, (idx >> np.uint64(3)).astype(np.int64),
                             (np.uint8(1) << (idx & np.uint64(7)).astype(np.uint8)))
        self.keys += count
        self._seen.clear()
        return count


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _max_rowid(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT IFNULL(MAX(rowid), 0) FROM names").fetchone()[0]


def _distinct_keys(conn: sqlite3.Connection) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM ({_KEYS_SQL})", (0,)).fetchone()[0]


def load(conn: sqlite3.Connection) -> NameFilter:
    """The filter of an open KB (rows newer than the stored bits go to the overlay); built in memory from the
    ``names`` table when the file has none (a KB written by an older kgbuild)."""
    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='name_filter'").fetchone()
    row = conn.execute("SELECT k, m, bits, keys, max_rowid FROM name_filter WHERE id = 1").fetchone() \
        if has_table else None
    if row is None:
        log.info("KB has no name filter: building it in memory (rebuild the KB to store one)")
        filt = NameFilter.empty(_distinct_keys(conn))
        filt.add_bits(r[0] for r in conn.execute(_KEYS_SQL, (0,)))
        filt.max_rowid = _max_rowid(conn)
        return filt
    filt = NameFilter(row[0], row[1], row[2], row[3], row[4])
    if _max_rowid(conn) > filt.max_rowid:
        filt.update(r[0] for r in conn.execute(_KEYS_SQL, (filt.max_rowid,)))
    return filt


def save(conn: sqlite3.Connection, rebuild: bool = False) -> NameFilter:
    """Bring the stored filter up to date with the ``names`` table (no commit): new rows are added to the
    bits; the bits are rebuilt when missing, when ``rebuild``, or when they would hold more than 1.5 times the
    keys they were sized for (false positives would climb)."""
    conn.execute(_CREATE)
    row = None if rebuild else conn.execute(
        "SELECT k, m, bits, keys, max_rowid FROM name_filter WHERE id = 1").fetchone()
    top = _max_rowid(conn)
    if row is not None and row[4] == top:
        return NameFilter(row[0], row[1], row[2], row[3], row[4])
    if row is not None and (row[3] + top - row[4]) * BITS_PER_KEY <= 1.5 * row[1]:  # room left: add
        filt = NameFilter(row[0], row[1], bytearray(row[2]), row[3], row[4])
        filt.add_bits(r[0] for r in conn.execute(_KEYS_SQL, (row[4],)))
    else:
        filt = NameFilter.empty(_distinct_keys(conn))
        filt.add_bits(r[0] for r in conn.execute(_KEYS_SQL, (0,)))
    filt.max_rowid = top
    conn.execute("INSERT OR REPLACE INTO name_filter (id, k, m, max_rowid, keys, bits) VALUES (1, ?, ?, ?, ?, ?)",
                 (filt.k, filt.m, top, filt.keys, bytes(filt.bits)))
    return filt
