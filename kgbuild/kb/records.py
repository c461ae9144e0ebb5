"""The compressed record file the bundled KB is built from (``kgbuild/data/kb/kb-records.tsv.xz``).

Line 1 is a JSON header ``{"kgbuild_kb_records": 1, "norm_version": 1, "built": ..., "sources": [...]}``;
then tab-separated rows, one per line, tagged by their first field (the rows of the KB tables)::

    E  qid  type  prior  classes-json  claims-json  labels-json  descriptions-json  sources
    N  key  stem  qid  name  kind  lang          (lang empty = language-neutral)
    C  qid  property  value-qid      (item-valued claims; year claims, ``kgbuild.kb.years``, and genders,
                                      ``kgbuild.kb.gender``, only in the E row)
    G  given-name-key

``build_sqlite`` bulk-loads the rows into a KB file, written to a temporary name and renamed into place only
when complete (two processes building at once both succeed; the second rename wins with identical content).
"""
from __future__ import annotations

import hashlib
import json
import logging
import lzma
from pathlib import Path
from typing import Iterable, Iterator

from kgbuild.errors import KBCorruptError, KBNotFoundError, OutputError
from kgbuild.files import atomic_path
from kgbuild.kb import schema
from kgbuild.kb.gender import GENDER
from kgbuild.kb.normalize import NORM_VERSION, norm_key, stem_key
from kgbuild.kb.write import entity_row, finalize, name_rows
from kgbuild.kb.years import YEAR_PROPS

log = logging.getLogger("kgbuild.kb")
FORMAT = 1
_FIX = "Reinstall kgbuild or rebuild it with `kgbuild kb compile`."


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_lines(rec: dict) -> Iterator[str]:
    """The E/N/C lines of one entity record (see ``kgbuild.kb.write`` for the record shape)."""
    row = entity_row(rec)
    yield "E\t" + "\t".join(str(v) for v in row)
    for key, stem, qid, name, kind, lang in name_rows(rec["qid"], rec.get("names", ())):
        yield f"N\t{key}\t{stem}\t{qid}\t{name}\t{kind}\t{lang or ''}"
    for prop, values in sorted(rec.get("claims", {}).items()):
        if prop in YEAR_PROPS or prop == GENDER:
            continue  # years and genders are no links between entities: the entity row's claims hold them
        for value in sorted(set(values)):
            yield f"C\t{rec['qid']}\t{prop}\t{value}"


def write_records(path: Path, header: dict, records: Iterable[dict], given_names: Iterable[str]) -> int:
    """Write the compressed record file atomically; returns the number of entity records."""
    count = 0
    try:
        with atomic_path(path, parents=True) as tmp, lzma.open(tmp, "wt", encoding="utf-8", preset=9) as out:
            head = {"kgbuild_kb_records": FORMAT, "norm_version": NORM_VERSION, **header}
            out.write(json.dumps(head, ensure_ascii=False) + "\n")
            for rec in records:
                out.writelines(line + "\n" for line in record_lines(rec))
                count += 1
            keys = sorted({norm_key(n) for n in given_names} - {""})
            out.writelines(f"G\t{k}\n" for k in keys)
    except OutputError as exc:
        raise OutputError(f"Cannot write the KB record file: {exc}. Pass --out PATH.") from None
    return count


def read_records(path: Path) -> Iterator:
    """The header dict first, then every row as a list of fields (tag first)."""
    if not path.is_file():
        raise KBNotFoundError(f"KB record file '{path}' not found. {_FIX}")
    try:
        with lzma.open(path, "rt", encoding="utf-8") as fh:
            first = json.loads(fh.readline() or "{}")
            if first.get("kgbuild_kb_records") != FORMAT:
                raise KBCorruptError(f"KB record file '{path}' is not a kgbuild record file of format {FORMAT}. {_FIX}")
            yield first
            for line in fh:
                yield line.rstrip("\n").split("\t")
    except (lzma.LZMAError, EOFError, json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
        raise KBCorruptError(f"KB record file '{path}' is truncated or corrupt ({exc}). {_FIX}") from None


_SQL = {
    "E": ("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)", 9),
    "N": ("INSERT INTO names (key, stem, qid, name, kind, lang) VALUES (?, ?, ?, ?, ?, ?)", 7),
    "C": ("INSERT INTO claims (qid, prop, value) VALUES (?, ?, ?)", 4),
    "G": ("INSERT OR IGNORE INTO given_names (key) VALUES (?)", 2),
}


def bulk_load(conn, rows: Iterator[list[str]], rekey: bool = False, batch: int = 20000) -> None:
    """Insert record rows into a fresh KB without indexes; ``rekey`` recomputes name keys (other norm version)."""
    pending: dict[str, list[list]] = {tag: [] for tag in _SQL}
    rekeyed: set[tuple] = set()  # names that a new key makes equal (one of each is kept)
    for num, row in enumerate(rows, 2):
        tag = row[0]
        if tag not in _SQL or len(row) != _SQL[tag][1]:
            raise KBCorruptError(f"KB record file: line {num} is malformed ({row[:3]}). {_FIX}")
        values: list = row[1:]
        if tag == "N":
            if rekey:
                values[0] = norm_key(values[3])
                values[1] = stem_key(values[0])
                unique = (values[2], values[0], values[4], values[5])
                if unique in rekeyed:
                    continue
                rekeyed.add(unique)
            values[5] = values[5] or None
        elif tag == "E":
            values[2] = float(values[2])
        pending[tag].append(values)
        if len(pending[tag]) >= batch:
            conn.executemany(_SQL[tag][0], pending[tag])
            pending[tag].clear()
    for tag, values in pending.items():
        conn.executemany(_SQL[tag][0], values)


def build_sqlite(records_path: Path, db_path: Path) -> Path:
    """Build the KB file ``db_path`` from the record file (temp file + atomic rename; safe when racing)."""
    with atomic_path(db_path, parents=True) as tmp_path:
        tmp_path.unlink()
        conn = schema.create(tmp_path, indexes=False)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        rows = read_records(records_path)
        header = next(rows)
        bulk_load(conn, rows, rekey=header.get("norm_version") != NORM_VERSION)
        schema.create_indexes(conn)
        finalize(conn, {
            "content_hash": file_hash(records_path),
            "built": header.get("built", ""),
            "sources": json.dumps(header.get("sources", []), ensure_ascii=False),
            "origin": "bundled",
            "stop_words": "\n".join(header.get("stop_words", [])),
        })
        conn.close()
    log.info("built KB %s from %s", db_path, records_path)
    return db_path
