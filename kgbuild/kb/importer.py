"""Import of real Wikidata JSON into a KB file: dump / wbgetentities file -> records -> SQLite rows.

``import_file(kb_path, source, keep=EntityFilter(...))`` -> ``ImportReport``. The KB file is created as a
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
from kgbuild.kb.wikidata_json import DEFAULT_LANGS, entity_record
from kgbuild.kb.write import drop_stop_names, finalize, stop_words_of, write_record

log = logging.getLogger("kgbuild.kb.import")


@dataclass
class ImportReport:
    source: str
    read: int = 0  # entity objects read
    imported: int = 0  # items written to the KB
    filtered: int = 0  # skipped by the filter (or not items: properties, lexemes)
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


def import_file(kb_path: str | Path, source: str | Path, keep: EntityFilter | None = None,
                langs: Iterable[str] | None = DEFAULT_LANGS, progress: bool = False, batch: int = 1000) -> ImportReport:
    """Import every item of a Wikidata JSON file that passes ``keep`` into the KB at ``kb_path``."""
    keep = keep or EntityFilter()
    report = ImportReport(source=str(source))
    path = ensure_kb(Path(kb_path))
    conn = schema.connect(path, readonly=False)
    stop = stop_words_of(conn)
    try:
        def records():
            for doc in iter_entities(source, progress=progress, errors=report.errors):
                report.read += 1
                rec = entity_record(doc, langs=langs, source="wikidata-import") if keep(doc) else None
                if rec is None:
                    report.filtered += 1
                    continue
                yield drop_stop_names(rec, stop)

        report.imported = write_records_into(conn, records(), batch)
    finally:
        finalize(conn, updated=True)
        conn.close()
    log.info("%s: %d read, %d imported, %d filtered, %d bad lines", source, report.read, report.imported,
             report.filtered, len(report.errors))
    return report
