"""Import of real Wikidata JSON into a KB file: dump / wbgetentities file -> records -> SQLite rows.

``import_file(kb_path, source, keep=EntityFilter(...))`` -> ``ImportReport``. Items that are no link targets
(classes such as Q5 "human", names, taxa, occupations, Wikimedia pages: ``wikidata_json.link_target``) are
skipped unless ``concepts=True``. An item new to the KB that shares a name with an entity already there ranks
below it unless it has ``FAMOUS_SITELINKS`` sitelinks (``cap_namesakes``): a partial import (wbgetentities
answers, a filtered dump) brings obscure namesakes without the sitelinks of the KB's own entities, whose priors
come from other sources, so popularity counts alone would let a village or a company outrank a famous namesake. The KB file is created as a
copy of the bundled KB when it does not exist. Records are committed every ``batch`` entities, so a file
that breaks off half-way keeps everything read before; bad lines are reported with their line number.
"""
from __future__ import annotations

import logging
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kgbuild.files import atomic_path
from kgbuild.kb import schema
from kgbuild.kb.dump import EntityFilter, iter_entities
from kgbuild.kb.wikidata_json import DEFAULT_LANGS, entity_record, link_target
from kgbuild.kb.write import drop_stop_names, finalize, stop_words_of, write_record

log = logging.getLogger("kgbuild.kb.import")

#: an item new to the KB with at least this many sitelinks keeps the prior of its own popularity even where the
#: KB has an entity of the same name (most Wikidata items with an article have a handful of sitelinks)
FAMOUS_SITELINKS = 50
#: how far below the KB's most popular namesake an obscure new item is put
NAMESAKE_MARGIN = 0.01


@dataclass
class ImportReport:
    source: str
    read: int = 0  # entity objects read
    imported: int = 0  # items written to the KB
    filtered: int = 0  # skipped by the filter (or not items: properties, lexemes; or no link targets)
    not_entities: int = 0  # of those: items that are no link targets (classes, names, taxa, ...)
    capped: int = 0  # new items put below a namesake the KB had (``cap_namesakes``)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def ensure_kb(path: Path) -> Path:
    """``path`` itself if it exists, else a new copy of the bundled KB there (atomic)."""
    if path.exists():
        return path
    from kgbuild.kb.bundled import bundled_kb_path

    with atomic_path(path, parents=True) as tmp:
        shutil.copyfile(bundled_kb_path(), tmp)
    log.info("created %s as a copy of the bundled KB", path)
    return path


def write_records_into(conn: sqlite3.Connection, records: Iterable[dict], batch: int = 1000) -> int:
    """Merge records into an open KB connection, committing every ``batch``; returns the count."""
    count = 0
    for rec in records:
        write_record(conn, rec, keep_prior=True)
        count += 1
        if count % batch == 0:
            conn.commit()
    conn.commit()
    return count


def cap_namesakes(conn: sqlite3.Connection, new: str = "temp.import_new") -> int:
    """Put each item of the table ``new`` (QIDs new to the KB; ``famous``: with ``FAMOUS_SITELINKS`` sitelinks or
    more) that is not famous ``NAMESAKE_MARGIN`` below the entities that the KB had before and that share one of
    its names (label, alias, Wikipedia title, derived surname), on every such name (a new "Hans Geiger" ranks
    below the KB's Hans Geiger even where a more popular Geiger shares the surname); returns how many priors
    were lowered. Indexed throughout: the cost grows with the new items' names, not with the KB."""
    conn.execute("DROP TABLE IF EXISTS temp.namesake_caps")
    conn.execute(f"""
        CREATE TEMP TABLE namesake_caps AS
        SELECT qid, MIN(top) - ? AS cap FROM (
            SELECT n1.qid AS qid, MAX(e2.prior) AS top
            FROM {new} i CROSS JOIN names n1 ON n1.qid = i.qid AND NOT i.famous
            JOIN names n2 ON n2.key = n1.key AND n2.qid != n1.qid
            JOIN entities e2 ON e2.qid = n2.qid
            WHERE n2.qid NOT IN (SELECT qid FROM {new})
            GROUP BY n1.qid, n1.key)
        GROUP BY qid""", (NAMESAKE_MARGIN,))
    lowered = conn.execute("SELECT c.qid, MAX(0.01, c.cap) FROM temp.namesake_caps c JOIN entities e "
                           "ON e.qid = c.qid WHERE e.prior > c.cap").fetchall()
    conn.executemany("UPDATE entities SET prior = ? WHERE qid = ?", [(cap, qid) for qid, cap in lowered])
    conn.execute("DROP TABLE temp.namesake_caps")
    return len(lowered)


def import_file(kb_path: str | Path, source: str | Path, keep: EntityFilter | None = None,
                langs: Iterable[str] | None = DEFAULT_LANGS, progress: bool = False, batch: int = 1000,
                concepts: bool = False) -> ImportReport:
    """Import every item of a Wikidata JSON file that passes ``keep`` into the KB at ``kb_path`` (with
    ``concepts``, also the items that are no link targets)."""
    keep = keep or EntityFilter()
    report = ImportReport(source=str(source))
    created = not Path(kb_path).exists()
    path = ensure_kb(Path(kb_path))
    try:
        return _import_into(path, source, keep, langs, progress, batch, concepts, report)
    except BaseException:
        if created and report.read == 0:
            # a source that fails before its first item leaves no new KB file behind (once an item was read,
            # batches may be committed: the file keeps them, see the module docstring)
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise


def _import_into(path: Path, source: str | Path, keep: EntityFilter, langs: Iterable[str] | None, progress: bool,
                 batch: int, concepts: bool, report: ImportReport) -> ImportReport:
    conn = schema.connect(path, readonly=False)
    stop = stop_words_of(conn)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_new (qid TEXT PRIMARY KEY, famous INTEGER)")
    conn.execute("DELETE FROM temp.import_new")
    try:
        def records():
            for doc in iter_entities(source, progress=progress, errors=report.errors):
                report.read += 1
                rec = entity_record(doc, langs=langs, source="wikidata-import") if keep(doc) else None
                if rec is not None and not concepts and not link_target(doc, rec):
                    report.not_entities += 1
                    rec = None
                if rec is None:
                    report.filtered += 1
                    continue
                if conn.execute("SELECT 1 FROM entities WHERE qid=?", (rec["qid"],)).fetchone() is None:
                    famous = len(doc.get("sitelinks") or ()) >= FAMOUS_SITELINKS
                    conn.execute("INSERT OR IGNORE INTO temp.import_new VALUES (?, ?)", (rec["qid"], famous))
                yield drop_stop_names(rec, stop)

        report.imported = write_records_into(conn, records(), batch)
        report.capped = cap_namesakes(conn)
        conn.execute("DROP TABLE temp.import_new")
    finally:
        finalize(conn, updated=True)
        conn.close()
    log.info("%s: %d read, %d imported (%d below a namesake), %d filtered (%d no link targets), %d bad lines",
             source, report.read, report.imported, report.capped, report.filtered, report.not_entities,
             len(report.errors))
    return report
