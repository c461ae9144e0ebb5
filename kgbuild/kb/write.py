"""Writing entity records into a KB file: records (dicts) -> rows of ``entities``, ``names``, ``claims``.

A record is what the compiler, the Wikidata importer and the online client produce::

    {"qid": "Q423", "type": "LOC", "prior": 0.8, "classes": ["Q6256"], "claims": {"P36": ["Q18808"]},
     "labels": {"de": "Nordkorea"}, "descriptions": {"en": "country in East Asia"},
     "names": [["Nordkorea", "label", "de"], ["nordkoreanisch", "demonym", "de"]], "source": "dr5hn-csc"}

Writing the same QID again merges: names and claims are added, labels/descriptions updated, the prior and
type of the new record win unless ``keep_prior`` is set (imports keep the compiled prior when it is higher).
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Iterable, Mapping

from kgbuild.kb import namefilter
from kgbuild.kb.gender import GENDER
from kgbuild.kb.normalize import norm_key, plain_key, stem_key
from kgbuild.kb.schema import RELATED_LINK
from kgbuild.kb.years import YEAR_PROPS
from kgbuild.types import ENTITY_TYPES, NAME_KINDS

#: cap of ``max_name_tokens``: longer names (a few long official names) are found only by exact lookup
MAX_NAME_TOKENS = 12
_NAME_SQL = "INSERT OR IGNORE INTO names (key, stem, qid, name, kind, lang) VALUES (?, ?, ?, ?, ?, ?)"
_CLAIM_SQL = "INSERT OR IGNORE INTO claims (qid, prop, value) VALUES (?, ?, ?)"


def name_rows(qid: str, names: Iterable) -> list[tuple]:
    """Rows for ``names`` (each ``[name, kind, lang]``); umlaut names get an extra a/o/u key."""
    rows, seen = [], set()
    for name, kind, lang in names:
        if kind not in NAME_KINDS:
            raise ValueError(f"unknown name kind {kind!r} for {qid}")
        key = norm_key(name)
        if not key:
            continue
        for k in (key, plain_key(name)):
            if (k, kind, lang) not in seen:
                seen.add((k, kind, lang))
                rows.append((k, stem_key(k), qid, name, kind, lang))
    return rows


def _merge_json(old: str | None, new: Mapping) -> str:
    merged = json.loads(old) if old else {}
    for key, value in new.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = sorted(set(merged[key]) | set(value))
        else:
            merged[key] = value
    return json.dumps(merged, ensure_ascii=False, sort_keys=True)


def entity_row(rec: Mapping) -> tuple:
    """The ``entities`` row of a fresh record (no merging)."""
    etype = rec.get("type") or "MISC"
    if etype not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {etype!r} for {rec['qid']}")
    dump = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)  # noqa: E731
    return (
        rec["qid"], etype, float(rec.get("prior", 0.0)), dump(sorted(set(rec.get("classes", ())))),
        dump({p: sorted(set(v)) for p, v in rec.get("claims", {}).items() if v and p != RELATED_LINK}),
        dump(rec.get("labels", {})), dump(rec.get("descriptions", {})), rec.get("source", ""),
    )


def write_record(conn: sqlite3.Connection, rec: Mapping, keep_prior: bool = False) -> None:
    """Insert or merge one entity record (see module docstring)."""
    qid = rec["qid"]
    etype = rec.get("type") or "MISC"
    if etype not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {etype!r} for {qid}")
    row = conn.execute(
        "SELECT type, prior, classes, claims, labels, descriptions, source FROM entities WHERE qid=?", (qid,)
    ).fetchone()
    prior = float(rec.get("prior", 0.0))
    classes = sorted(set(rec.get("classes", ())))
    claims = {p: sorted(set(v)) for p, v in rec.get("claims", {}).items() if v}
    source = rec.get("source", "")
    if row:
        if keep_prior and row[1] >= prior:
            prior, etype = row[1], row[0]
        classes = sorted(set(json.loads(row[2])) | set(classes))
        source = ",".join(sorted(set(filter(None, row[6].split(",") + [source]))))
    conn.execute(
        "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            qid, etype, prior, json.dumps(classes),
            _merge_json(row[3] if row else None, claims),
            _merge_json(row[4] if row else None, rec.get("labels", {})),
            _merge_json(row[5] if row else None, rec.get("descriptions", {})),
            source,
        ),
    )
    conn.executemany(_NAME_SQL, name_rows(qid, rec.get("names", ())))
    conn.executemany(_CLAIM_SQL, [(qid, p, v) for p, vals in claims.items() if p not in YEAR_PROPS and p != GENDER
                                   for v in vals])
    if rec.get("given"):
        write_given_names(conn, rec["given"])


def stop_words_of(conn: sqlite3.Connection) -> set[str]:
    """The function words the KB never indexes as names (kept in ``meta`` by the compiler)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'stop_words'").fetchone()
    return set(filter(None, row[0].split("\n"))) if row else set()


def drop_stop_names(rec: dict, stop: set[str]) -> dict:
    """``rec`` without one-letter names and function words (all-caps abbreviations stay)."""
    def keep(name: str) -> bool:
        key = norm_key(name)
        return len(key) >= 2 and (key not in stop or (name.isupper() and len(name) >= 2))

    rec["names"] = [n for n in rec.get("names", ()) if keep(n[0])]
    return rec


def write_given_names(conn: sqlite3.Connection, names: Iterable[str]) -> None:
    keys = {norm_key(n) for n in names}
    conn.executemany("INSERT OR IGNORE INTO given_names (key) VALUES (?)", [(k,) for k in keys if k])


def finalize(conn: sqlite3.Connection, meta: Mapping[str, str] | None = None, updated: bool = False) -> None:
    """Update the derived meta data (max name length, counts, ``updated`` date when ``updated``) and the name
    filter (``kgbuild.kb.namefilter``), and commit. Only rows added since the last call are read (by rowid),
    so finalizing a few new names into a big KB is cheap."""
    old = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('max_name_tokens', 'names_rowid')"))
    since = int(old.get("names_rowid", 0)) if "max_name_tokens" in old else 0
    longest = conn.execute(
        "SELECT MAX(length(key) - length(replace(key, ' ', '')) + 1) FROM names WHERE kind != 'demonym' "
        "AND rowid > ?", (since,)
    ).fetchone()[0] or 1
    longest = max(longest, int(old.get("max_name_tokens", 1)) if since else 1)
    filt = namefilter.save(conn)
    values = {
        "max_name_tokens": str(min(longest, MAX_NAME_TOKENS)),
        "entities": str(conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0]),
        "names_rowid": str(filt.max_rowid),
    }
    conn.execute("DELETE FROM meta WHERE key IN ('name_index', 'name_rows')")  # the set of every key (old files)
    if updated:
        values["updated"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    values.update(meta or {})
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items()))
    conn.commit()
