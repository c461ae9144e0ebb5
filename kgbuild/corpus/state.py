"""The state of incremental builds: one SQLite file with each document's hash, graph and counts.

In: results of the workers (``DocResult``), article ids and hashes seen in a run. Out: which articles are
unchanged, the per-document N-Triples (zlib) in id order for the output, totals for the summary, and the
documents to remove. Every built document is committed as soon as it arrives (WAL journal), so a run that
is killed loses at most the articles in flight; SQLite never leaves a half-written row behind.
"""
from __future__ import annotations

import contextlib
import logging
import sqlite3
import zlib
from pathlib import Path
from typing import Iterator

from kgbuild.corpus.worker import DocResult
from kgbuild.errors import OutputError

log = logging.getLogger(__name__)
STATE_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY, hash TEXT NOT NULL, graph TEXT NOT NULL, nt BLOB NOT NULL,
    triples INTEGER NOT NULL, events INTEGER NOT NULL, relations INTEGER NOT NULL, run INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    doc TEXT NOT NULL, key TEXT NOT NULL, linked INTEGER NOT NULL, PRIMARY KEY (doc, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS docs_run ON docs (run);
CREATE INDEX IF NOT EXISTS entities_key ON entities (key, linked);
"""


class BuildState:
    """``BuildState(path, fingerprint)``: open (or create) the state file and start a new run.

    When the fingerprint (kgbuild version, KB, model, base IRI, ...) differs from the stored one, every
    document is marked as changed, so the run rebuilds them all (and still knows which ones to remove).
    """

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = Path(path)
        self._seen: list[str] = []  # unchanged documents not yet marked with this run
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise OutputError(f"{self.path}: cannot use this build state file ({exc}); "
                              "delete it (the next run rebuilds everything) or pass another --state") from None
        self._start(fingerprint)

    def _start(self, fingerprint: str) -> None:
        meta = dict(self.db.execute("SELECT key, value FROM meta"))
        with self._tx():
            if meta.get("version") not in (None, str(STATE_VERSION)):
                log.info("%s has an older layout: rebuilding everything", self.path)
                self.db.execute("DELETE FROM entities")
                self.db.execute("DELETE FROM docs")
            elif meta.get("fingerprint") not in (None, fingerprint):
                log.info("build settings changed since the last run: rebuilding every article")
                self.db.execute("UPDATE docs SET hash = ''")
            self.run = int(meta.get("run", "0")) + 1
            self._set("version", str(STATE_VERSION))
            self._set("fingerprint", fingerprint)
            self._set("run", str(self.run))

    @contextlib.contextmanager
    def _tx(self) -> Iterator[None]:
        """One transaction (the connection is in autocommit mode otherwise)."""
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    def _set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._tx():
            self._set(key, value)

    # -- during a run ----------------------------------------------------------------------------
    def unchanged(self, doc_id: str, doc_hash: str) -> bool:
        """Is ``doc_id`` stored with this hash? If so it is marked as seen in this run."""
        row = self.db.execute("SELECT hash FROM docs WHERE id = ?", (doc_id,)).fetchone()
        if row is None or row[0] != doc_hash:
            return False
        self._seen.append(doc_id)
        if len(self._seen) >= 1000:
            self._flush_seen()
        return True

    def _flush_seen(self) -> None:
        """Mark the unchanged documents seen so far with this run, in one transaction."""
        if self._seen:
            with self._tx():
                self.db.executemany("UPDATE docs SET run = ? WHERE id = ?", [(self.run, d) for d in self._seen])
            self._seen.clear()

    def record(self, res: DocResult) -> None:
        """Store one built document (replacing its previous version) and commit."""
        with self._tx():
            self.db.execute("DELETE FROM entities WHERE doc = ?", (res.id,))
            self.db.execute(
                "INSERT OR REPLACE INTO docs (id, hash, graph, nt, triples, events, relations, run)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (res.id, res.hash, res.graph, res.nt_z, res.triples, res.events, res.relations, self.run))
            self.db.executemany("INSERT OR IGNORE INTO entities (doc, key, linked) VALUES (?, ?, ?)",
                                [(res.id, key, int(linked)) for key, linked in res.entities])

    def commit(self) -> None:
        self._flush_seen()
        if self.db.in_transaction:
            self.db.commit()

    def stale(self) -> list[tuple[str, str]]:
        """(id, graph IRI) of the documents not seen in this run."""
        self._flush_seen()
        return list(self.db.execute("SELECT id, graph FROM docs WHERE run != ? ORDER BY id", (self.run,)))

    def forget(self, doc_ids: list[str]) -> None:
        with self._tx():
            self.db.executemany("DELETE FROM entities WHERE doc = ?", [(d,) for d in doc_ids])
            self.db.executemany("DELETE FROM docs WHERE id = ?", [(d,) for d in doc_ids])

    # -- reading ---------------------------------------------------------------------------------
    def __contains__(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM docs WHERE id = ?", (doc_id,)).fetchone() is not None

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    def ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM docs ORDER BY id")]

    def result_of(self, doc_id: str, doc_hash: str) -> DocResult | None:
        """The stored ``DocResult`` of ``doc_id`` if it is stored with this hash (else None)."""
        row = self.db.execute("SELECT hash, graph, nt, triples, events, relations FROM docs WHERE id = ?",
                              (doc_id,)).fetchone()
        if row is None or row[0] != doc_hash:
            return None
        entities = tuple((key, bool(linked)) for key, linked in self.db.execute(
            "SELECT key, linked FROM entities WHERE doc = ? ORDER BY key", (doc_id,)))
        return DocResult(id=doc_id, hash=row[0], graph=row[1], nt_z=row[2], triples=row[3], events=row[4],
                         relations=row[5], entities=entities)

    def graph_of(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT graph FROM docs WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def ntriples(self, doc_id: str) -> bytes:
        row = self.db.execute("SELECT nt FROM docs WHERE id = ?", (doc_id,)).fetchone()
        return zlib.decompress(row[0]) if row else b""

    def documents(self) -> Iterator[tuple[str, str, bytes]]:
        """(id, graph IRI, N-Triples bytes) of every document in id order, one at a time."""
        cur = self.db.cursor()
        cur.execute("SELECT id, graph, nt FROM docs ORDER BY id")
        for doc_id, graph, blob in cur:
            yield doc_id, graph, zlib.decompress(blob)

    def digest(self) -> str:
        """A digest of (id, hash) of every document: equal digests mean an equal output."""
        import hashlib

        h = hashlib.sha1()
        for doc_id, doc_hash in self.db.execute("SELECT id, hash FROM docs ORDER BY id"):
            h.update(f"{doc_id}\t{doc_hash}\n".encode("utf-8"))
        return h.hexdigest()

    def totals(self) -> dict[str, int]:
        """Documents, entities, unlinked entities, events, relations and stored triples of the corpus."""
        docs, triples, events, relations = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(triples), 0), COALESCE(SUM(events), 0), COALESCE(SUM(relations), 0)"
            " FROM docs").fetchone()
        entities = self.db.execute("SELECT COUNT(DISTINCT key) FROM entities").fetchone()[0]
        unlinked = self.db.execute("SELECT COUNT(DISTINCT key) FROM entities WHERE linked = 0").fetchone()[0]
        return {"documents": docs, "triples": triples, "events": events, "relations": relations,
                "entities": entities, "unlinked": unlinked}

    def close(self) -> None:
        self.commit()
        self.db.close()
