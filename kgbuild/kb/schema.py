"""The SQLite schema of the KB, its version (``PRAGMA user_version``) and the migrations between versions.

Tables: ``meta`` (key/value: version, build date, sources, max_name_tokens), ``entities`` (one row per QID),
``names`` (surface forms with their normalised ``key`` and inflection-insensitive ``stem``), ``claims``
(qid, property, value QID) and ``given_names`` (normalised first names).
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kgbuild.errors import KBCorruptError, KBNotFoundError

SCHEMA_VERSION = 1
#: the ``claims.prop`` of kgbuild's own relatedness links (``kgbuild.kb.compile.links``; no Wikidata property):
#: rows of the ``claims`` table only, not in an entity's ``claims`` JSON
RELATED_LINK = "related"

_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    qid TEXT PRIMARY KEY, type TEXT NOT NULL, prior REAL NOT NULL,
    classes TEXT NOT NULL DEFAULT '[]', claims TEXT NOT NULL DEFAULT '{}',
    labels TEXT NOT NULL DEFAULT '{}', descriptions TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL, stem TEXT NOT NULL, qid TEXT NOT NULL,
    name TEXT NOT NULL, kind TEXT NOT NULL, lang TEXT
);
CREATE TABLE IF NOT EXISTS claims (qid TEXT NOT NULL, prop TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS given_names (key TEXT PRIMARY KEY);
"""

#: indexes of version 1 (created after a bulk load, see ``kgbuild.kb.records.build_sqlite``)
INDEXES_V1 = """
CREATE UNIQUE INDEX IF NOT EXISTS names_unique ON names (qid, key, kind, IFNULL(lang, ''));
CREATE INDEX IF NOT EXISTS names_key ON names (key);
CREATE INDEX IF NOT EXISTS names_stem ON names (stem);
CREATE UNIQUE INDEX IF NOT EXISTS claims_unique ON claims (qid, prop, value);
CREATE INDEX IF NOT EXISTS claims_value ON claims (value);
"""

#: migrations[n] turns a schema of version n-1 into version n (version 0 = empty file)
MIGRATIONS: dict[int, str] = {1: _V1 + INDEXES_V1}

_FIX = "Delete it and rerun (the bundled KB is rebuilt automatically), or rebuild it with `kgbuild kb compile`."


def create(path: Path, indexes: bool = True) -> sqlite3.Connection:
    """A new, empty KB at ``path`` (schema of the current version; ``indexes=False`` for a bulk load,
    then call ``create_indexes``)."""
    conn = sqlite3.connect(str(path))
    if indexes:
        migrate(conn, path)
    else:
        conn.executescript(_V1)
    return conn


def create_indexes(conn: sqlite3.Connection) -> None:
    """Add the indexes after a bulk load and mark the file as the current schema version."""
    conn.executescript(INDEXES_V1)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.commit()


def migrate(conn: sqlite3.Connection, path: Path | str) -> None:
    """Apply every migration between the file's ``user_version`` and ``SCHEMA_VERSION``."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise KBCorruptError(
            f"Knowledge base '{path}' has schema version {version}, newer than this kgbuild "
            f"(supports {SCHEMA_VERSION}). Upgrade kgbuild or rebuild it with `kgbuild kb compile`."
        )
    for step in range(version + 1, SCHEMA_VERSION + 1):
        conn.executescript(MIGRATIONS[step])
        conn.execute(f"PRAGMA user_version = {step}")
    conn.commit()


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """Open an existing KB file, checking that it is a complete kgbuild KB of a known schema version."""
    if not path.is_file():
        raise KBNotFoundError(
            f"Knowledge base '{path}' not found. Check the path (--kb / $KGBUILD_KB), "
            "or leave both unset to use the bundled KB."
        )
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
        ok = "ok" if pages <= path.stat().st_size else f"file has {path.stat().st_size} of {pages} bytes"
    except sqlite3.DatabaseError as exc:
        raise KBCorruptError(f"Knowledge base '{path}' is not a readable SQLite KB ({exc}). {_FIX}") from None
    if ok != "ok":
        raise KBCorruptError(f"Knowledge base '{path}' is corrupt (truncated: {ok}). {_FIX}")
    if not {"meta", "entities", "names"} <= tables or version == 0:
        raise KBCorruptError(f"Knowledge base '{path}' is not a kgbuild KB (tables missing). {_FIX}")
    if not readonly:
        migrate(conn, path)
    elif version < SCHEMA_VERSION and os.access(path, os.W_OK):  # upgrade in place, then read
        conn.close()
        writer = sqlite3.connect(str(path))
        migrate(writer, path)
        writer.close()
        return connect(path, readonly=True)
    elif version != SCHEMA_VERSION:
        raise KBCorruptError(
            f"Knowledge base '{path}' has schema version {version}, expected {SCHEMA_VERSION}. {_FIX}"
        )
    return conn
