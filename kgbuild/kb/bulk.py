"""Import of a whole Wikidata dump (``latest-all.json.gz|.bz2``) into a new KB file: every item with a
Wikipedia article in one of ``wikis`` (default English or German).

Three phases, each resumable:

1. **Read.** The decompressed stream (ISA-L ``igzip`` in a thread if installed, else ``pigz``/``lbzip2``/
   ``pbzip2`` as a subprocess if on ``PATH``, else the standard library) is cut into chunks of ``chunk_bytes``
   at line ends. Chunk ``i`` is the same bytes on every run of the same file, so it is the checkpoint unit.
2. **Parse** (``jobs`` processes, at most ``2 * jobs`` chunks in flight: bounded memory). A line is parsed only
   if it contains ``"enwiki"``/``"dewiki"`` (or ``"P279"``: subclass edges for typing) as bytes; parsing uses
   ``orjson`` when installed. Kept items become KB rows (``kgbuild.kb.records.record_lines``: the same rows the
   bundled record file holds) in ``<work>/chunk-NNNNNN.tsv.gz`` plus a ``.done`` file with the counts. After a
   kill, a rerun re-reads the stream up to the first unfinished chunk without parsing it (decompression only)
   and parses the rest.
3. **Merge.** The shards are bulk-loaded into ``<kb>.tmp`` (no indexes while loading), items whose P31 classes
   are not in ``kgbuild/data/lexicon/class_types.tsv`` are typed through the P279 hierarchy read from the same
   dump (nearest known ancestor class, up to ``MAX_CLASS_DEPTH`` steps), the bundled KB is merged in (curated
   names and types), indexes and the name filter are built and the file is renamed into place. A kill here
   repeats only the merge.

Priors come from sitelink and statement counts (``prior_from_counts``); claims for coherence are
``wikidata_json.CLAIM_PROPS``.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from kgbuild.errors import InputError, InputNotFoundError, KBError
from kgbuild.kb import schema
from kgbuild.kb.dump import EntityFilter
from kgbuild.kb.importer import FAMOUS_SITELINKS, cap_namesakes
from kgbuild.kb.normalize import norm_key
from kgbuild.kb.records import bulk_load, record_lines
from kgbuild.kb.wikidata_json import DEFAULT_LANGS, class_types, entity_record, link_target, subclass_of
from kgbuild.kb.write import drop_stop_names, finalize

try:  # optional speed-ups (pip install kgbuild[dump])
    import orjson as _json

    _loads: Callable[[bytes], object] = _json.loads
    JSON_PARSER = "orjson"
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads
    JSON_PARSER = "json"

log = logging.getLogger("kgbuild.kb.import")

CHUNK_BYTES = 16 << 20
MAX_CLASS_DEPTH = 8
_MAX_FRONTIER = 2000
_MAX_ERRORS = 100
_TYPE_RANK = {"PER": 0, "LOC": 1, "ORG": 2}
_FORMAT = 2  # 2: items that are no link targets (wikidata_json.link_target) are left out; K rows (famous items)


@dataclass
class BulkReport:
    source: str
    kb: str
    lines: int = 0  # lines of the dump
    parsed: int = 0  # lines parsed as JSON (passed the byte prefilter)
    kept: int = 0  # items written
    not_entities: int = 0  # items with an article left out as no link targets (classes, names, taxa, ...)
    capped: int = 0  # items the bundled KB had not put below its namesakes (``importer.cap_namesakes``)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message), the first 100
    error_count: int = 0
    chunks: int = 0
    resumed_chunks: int = 0  # chunks found finished from an earlier run
    typed_by_hierarchy: int = 0
    entities: int = 0
    names: int = 0
    decompressor: str = ""
    parser: str = JSON_PARSER
    seconds: dict[str, float] = field(default_factory=dict)


# -- phase 1: the decompressed stream, in chunks -------------------------------------------------------------

def open_dump(path: Path) -> tuple[IO[bytes], Callable[[], int], Callable[[], None], str]:
    """``(stream, compressed bytes read so far, close, method)`` for a .json, .json.gz or .json.bz2 file."""
    raw = open(path, "rb")
    suffix = path.suffix
    tools = {".gz": ("pigz",), ".bz2": ("lbzip2", "pbzip2")}.get(suffix, ())
    if suffix == ".gz":
        try:
            from isal import igzip_threaded

            stream = igzip_threaded.open(raw, "rb", threads=1)
            return stream, raw.tell, _closer(stream, raw), "isal"
        except ImportError:
            pass
    for tool in tools:
        exe = shutil.which(tool)
        if exe:
            proc = subprocess.Popen([exe, "-dc"], stdin=raw, stdout=subprocess.PIPE, bufsize=1 << 20)
            assert proc.stdout is not None
            out = proc.stdout

            def close(proc=proc, out=out) -> None:
                out.close()
                proc.kill()
                proc.wait()
                raw.close()
            return out, raw.tell, close, tool
    if suffix == ".gz":
        stream = gzip.GzipFile(fileobj=raw)
    elif suffix == ".bz2":
        import bz2

        stream = bz2.BZ2File(raw)
    else:
        return raw, raw.tell, raw.close, "none"
    return stream, raw.tell, _closer(stream, raw), "stdlib"


def _closer(*files) -> Callable[[], None]:
    def close() -> None:
        for f in files:
            f.close()
    return close


def iter_chunks(stream: IO[bytes], chunk_bytes: int = CHUNK_BYTES) -> Iterator[tuple[int, int, bytes]]:
    """``(index, number of the chunk's first line, bytes)``: whole lines, about ``chunk_bytes`` each."""
    rest, index, line = b"", 0, 1
    while True:
        block = stream.read(chunk_bytes)
        if not block:
            break
        data = rest + block
        cut = data.rfind(b"\n") + 1
        if cut == 0:  # one line longer than a chunk: keep reading
            rest = data
            continue
        rest = data[cut:]
        yield index, line, data[:cut]
        line += data.count(b"\n", 0, cut)
        index += 1
    if rest:
        yield index, line, rest


# -- phase 2: parse one chunk (in a worker) --------------------------------------------------------------------

def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def process_chunk(data: bytes, first_line: int, cfg: dict) -> tuple[list[str], dict[str, Any]]:
    """Rows (E/N/C/G of ``kgbuild.kb.records``, plus ``S child parent`` subclass edges) and counts of a chunk."""
    wikis = tuple(f"{w}wiki" for w in cfg["wikis"])
    needles = tuple(f'"{w}"'.encode() for w in wikis)
    keep: EntityFilter | None = cfg.get("keep")
    stop: set[str] = cfg["stop"]
    langs = cfg["langs"]
    out: list[str] = []
    errors: list[tuple[int, str]] = []
    stats: dict[str, Any] = {"lines": 0, "parsed": 0, "kept": 0, "not_entities": 0, "errors": errors,
                             "error_count": 0}
    number = first_line - 1
    for line in data.split(b"\n"):
        number += 1
        wanted = False
        for needle in needles:
            if needle in line:
                wanted = True
                break
        if not wanted and b'"P279"' not in line:
            continue
        text = line.rstrip(b", \r\t")
        if not text.startswith(b"{"):
            continue
        stats["parsed"] += 1
        try:
            doc = _loads(text)
            if not isinstance(doc, dict):
                raise ValueError("not an entity object")
            qid = doc.get("id", "")
            for parent in subclass_of(doc):
                out.append(f"S\t{qid}\t{parent}")
            sitelinks = doc.get("sitelinks")
            if not (wanted and isinstance(sitelinks, dict) and any(w in sitelinks for w in wikis)):
                continue
            if keep is not None and not keep(doc):
                continue
            rec = entity_record(doc, langs=langs, source="wikidata-dump")
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            stats["error_count"] += 1
            if len(errors) < _MAX_ERRORS:
                errors.append((number, f"{type(exc).__name__}: {str(exc)[:120]}"))
            continue
        if rec is None:
            continue
        if not link_target(doc, rec):
            stats["not_entities"] += 1
            continue
        rec = drop_stop_names(rec, stop)
        rec["names"] = [[_clean(n), kind, lang] for n, kind, lang in rec["names"]]
        out.extend(record_lines(rec))
        if len(sitelinks) >= FAMOUS_SITELINKS:
            out.append(f"K\t{qid}")  # famous: keeps its own prior beside the bundled KB's namesakes
        out.extend(f"G\t{key}" for key in {norm_key(g) for g in rec.get("given", ())} if key)
        stats["kept"] += 1
    stats["lines"] = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return out, stats


def _write_shard(work: Path, index: int, data: bytes, first_line: int, cfg: dict) -> dict[str, Any]:
    rows, stats = process_chunk(data, first_line, cfg)
    shard = work / f"chunk-{index:06d}.tsv.gz"
    tmp = shard.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as fh:
        fh.writelines(row + "\n" for row in rows)
    os.replace(tmp, shard)
    done = work / f"chunk-{index:06d}.done"
    done.with_suffix(".tmp").write_text(json.dumps(stats), encoding="utf-8")
    os.replace(done.with_suffix(".tmp"), done)
    return stats


# -- the whole import ----------------------------------------------------------------------------------------

def _manifest(source: Path, cfg: dict, chunk_bytes: int) -> dict:
    st = source.stat()
    keep = cfg.get("keep")
    return {"format": _FORMAT, "source": str(source.resolve()), "size": st.st_size, "mtime": int(st.st_mtime),
            "chunk_bytes": chunk_bytes, "wikis": list(cfg["wikis"]),
            "langs": sorted(cfg["langs"]) if cfg["langs"] is not None else None,
            "keep": repr(keep) if keep is not None else None}


def _prepare_work(work: Path, manifest: dict) -> None:
    work.mkdir(parents=True, exist_ok=True)
    path = work / "manifest.json"
    if path.is_file():
        old = json.loads(path.read_text(encoding="utf-8"))
        if old != manifest:
            raise KBError(f"Work folder '{work}' holds a different import ({old.get('source')}, other options). "
                          "Delete it to start over, or rerun with the same file and options to resume.")
    else:
        path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def bulk_import(source: str | Path, kb_path: str | Path, *, jobs: int = 1, wikis: Iterable[str] = ("en", "de"),
                langs: Iterable[str] | None = DEFAULT_LANGS, keep: EntityFilter | None = None,
                work: str | Path | None = None, chunk_bytes: int = CHUNK_BYTES, bundled: bool = True,
                keep_work: bool = False, progress: Callable[[int, int], None] | None = None,
                stop_after_chunks: int | None = None) -> BulkReport:
    """Build the KB file ``kb_path`` from a Wikidata dump (see the module docstring); returns the counts.
    ``stop_after_chunks`` stops after reading that many chunks (as a kill would; for tests)."""
    source, kb_path = Path(source), Path(kb_path)
    if not source.is_file():
        raise InputNotFoundError(f"Wikidata dump '{source}' not found. Give latest-all.json.gz or .json.bz2.")
    if kb_path.exists():
        raise KBError(f"'{kb_path}' exists. A bulk import builds a new KB file: remove it or choose another --kb.")
    if jobs < 1:
        raise KBError(f"--jobs must be at least 1 (got {jobs}).")
    work = Path(work) if work else kb_path.with_name(kb_path.name + ".import")
    base = _bundled_path() if bundled else None
    cfg = {"wikis": tuple(wikis), "langs": set(langs) if langs is not None else None, "keep": keep,
           "stop": _stop_words(base)}
    _prepare_work(work, _manifest(source, cfg, chunk_bytes))
    report = BulkReport(source=str(source), kb=str(kb_path), parser=JSON_PARSER)
    t0 = time.perf_counter()
    stopped = _read_and_parse(source, work, cfg, jobs, chunk_bytes, report, progress, stop_after_chunks)
    report.seconds["read_parse"] = round(time.perf_counter() - t0, 2)
    if stopped:
        return report
    t1 = time.perf_counter()
    _merge(work, kb_path, report, base, source)
    report.seconds["merge"] = round(time.perf_counter() - t1, 2)
    if not keep_work:
        shutil.rmtree(work, ignore_errors=True)
    log.info("%s -> %s: %d lines, %d parsed, %d items kept, %d errors, %d entities, %d names", source, kb_path,
             report.lines, report.parsed, report.kept, report.error_count, report.entities, report.names)
    return report


def _bundled_path() -> Path:
    from kgbuild.kb.bundled import bundled_kb_path

    return bundled_kb_path()


def _stop_words(base: Path | None) -> set[str]:
    if base is None:
        base = _bundled_path()
    conn = schema.connect(base, readonly=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'stop_words'").fetchone()
    finally:
        conn.close()
    return set(filter(None, row[0].split("\n"))) if row else set()


def _add(report: BulkReport, stats: dict) -> None:
    report.lines += stats["lines"]
    report.parsed += stats["parsed"]
    report.kept += stats["kept"]
    report.not_entities += stats.get("not_entities", 0)
    report.error_count += stats["error_count"]
    report.errors.extend(tuple(e) for e in stats["errors"][: _MAX_ERRORS - len(report.errors)])


def _read_and_parse(source: Path, work: Path, cfg: dict, jobs: int, chunk_bytes: int, report: BulkReport,
                    progress, stop_after: int | None) -> bool:
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    if pool is not None:  # start the workers before the decompressor's thread exists (fork + threads)
        list(pool.map(int, range(jobs)))
    stream, position, close, report.decompressor = open_dump(source)
    total = source.stat().st_size
    pending: deque[Future] = deque()
    try:
        try:
            for index, first_line, data in iter_chunks(stream, chunk_bytes):
                if stop_after is not None and index >= stop_after:
                    return True
                report.chunks += 1
                done = work / f"chunk-{index:06d}.done"
                if done.is_file() and (work / f"chunk-{index:06d}.tsv.gz").is_file():
                    _add(report, json.loads(done.read_text(encoding="utf-8")))
                    report.resumed_chunks += 1
                elif pool is None:
                    _add(report, _write_shard(work, index, data, first_line, cfg))
                else:
                    pending.append(pool.submit(_write_shard, work, index, data, first_line, cfg))
                    while len(pending) >= 2 * jobs:
                        _add(report, pending.popleft().result())
                if progress is not None:
                    progress(position(), total)
            while pending:
                _add(report, pending.popleft().result())
        except (OSError, EOFError) as exc:
            raise InputError(f"Cannot read '{source}' ({exc}); the chunks read so far are kept in '{work}', "
                             "rerun to resume.") from None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        close()
    return False


# -- phase 3: merge --------------------------------------------------------------------------------------------

def _shard_rows(work: Path, scratch: sqlite3.Connection) -> Iterator[list[str]]:
    edges: list[tuple[str, str]] = []
    for shard in sorted(work.glob("chunk-*.tsv.gz")):
        with gzip.open(shard, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = line.rstrip("\n").split("\t")
                if row[0] == "S":
                    edges.append((row[1], row[2]))
                    if len(edges) >= 50_000:
                        scratch.executemany("INSERT INTO subclass VALUES (?, ?)", edges)
                        edges.clear()
                elif row[0] == "K":
                    scratch.execute("INSERT OR IGNORE INTO famous VALUES (?)", (row[1],))
                else:
                    yield row
    scratch.executemany("INSERT INTO subclass VALUES (?, ?)", edges)


def resolve_class(cls: str, parents: Callable[[list[str]], list[str]], table: dict[str, str]) -> str | None:
    """The type of the nearest ancestor of ``cls`` (itself included) that the class table knows; at equal
    distance PER before LOC before ORG. None if no ancestor within ``MAX_CLASS_DEPTH`` steps is known."""
    frontier, seen = [cls], {cls}
    for _ in range(MAX_CLASS_DEPTH + 1):
        known = [table[c] for c in frontier if c in table]
        if known:
            return min(known, key=lambda t: _TYPE_RANK.get(t, 9))
        nxt = [p for p in parents(frontier) if p not in seen]
        seen.update(nxt)
        frontier = nxt[:_MAX_FRONTIER]
        if not frontier:
            return None
    return None


def _type_by_hierarchy(conn: sqlite3.Connection, scratch: sqlite3.Connection) -> int:
    """Type MISC items whose P31 classes reach a known class through P279; returns how many changed."""
    scratch.execute("CREATE INDEX IF NOT EXISTS subclass_child ON subclass (child)")
    table = class_types()

    def parents(children: list[str]) -> list[str]:
        out: list[str] = []
        for i in range(0, len(children), 500):
            part = children[i:i + 500]
            out += [r[0] for r in scratch.execute(
                f"SELECT DISTINCT parent FROM subclass WHERE child IN ({','.join('?' * len(part))})", part)]
        return out

    classes = [r[0] for r in conn.execute(
        "SELECT DISTINCT j.value FROM entities e, json_each(e.classes) j WHERE e.type = 'MISC'")]
    resolved = []
    for cls in classes:
        etype = resolve_class(cls, parents, table)
        if etype in _TYPE_RANK:
            resolved.append((cls, _TYPE_RANK[etype], etype))
    conn.execute("CREATE TEMP TABLE class_type (cls TEXT PRIMARY KEY, rank INTEGER, type TEXT)")
    conn.executemany("INSERT INTO class_type VALUES (?, ?, ?)", resolved)
    before = conn.total_changes
    conn.execute(
        "UPDATE entities SET type = (SELECT ct.type FROM json_each(entities.classes) j "
        "JOIN class_type ct ON ct.cls = j.value ORDER BY ct.rank LIMIT 1) "
        "WHERE type = 'MISC' AND EXISTS (SELECT 1 FROM json_each(entities.classes) j "
        "JOIN class_type ct ON ct.cls = j.value)")
    changed = conn.total_changes - before
    conn.execute("DROP TABLE class_type")
    return changed


def _merge_json(a: str, b: str) -> str:
    merged = json.loads(a)
    for key, value in json.loads(b).items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = sorted(set(merged[key]) | set(value))
        else:
            merged[key] = value
    return json.dumps(merged, ensure_ascii=False, sort_keys=True)


def _merge_bundled(conn: sqlite3.Connection, base: Path, scratch: Path | None = None) -> dict:
    """Add the bundled KB: its names, claims and given names; its entities where the dump has none; where
    both have one, the higher prior, the bundled (curated) type unless it is MISC, merged labels, claims and
    classes (the bundled labels win). Then the dump's items that the bundled KB has not, unless famous (the
    ``famous`` table of ``scratch``), rank below its entities of the same name (``importer.cap_namesakes``)."""
    conn.execute("ATTACH DATABASE ? AS b", (f"file:{base}?mode=ro",))
    conn.execute("CREATE TEMP TABLE import_new (qid TEXT PRIMARY KEY, famous INTEGER)")
    if scratch is not None:
        conn.execute("ATTACH DATABASE ? AS s", (f"file:{scratch}?mode=ro",))
    famous = "m.qid IN (SELECT qid FROM s.famous)" if scratch is not None else "0"
    conn.execute(f"INSERT INTO temp.import_new SELECT m.qid, {famous} FROM main.entities m "
                 "WHERE m.qid NOT IN (SELECT qid FROM b.entities)")
    conn.commit()
    if scratch is not None:
        conn.execute("DETACH DATABASE s")
    for table in ("names", "claims", "given_names"):
        conn.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM b.{table}")
    both = conn.execute(
        "SELECT m.qid, m.type, m.prior, m.classes, m.claims, m.labels, m.descriptions, m.source, "
        "x.type, x.prior, x.classes, x.claims, x.labels, x.descriptions, x.source "
        "FROM b.entities x JOIN main.entities m ON m.qid = x.qid").fetchall()
    rows = []
    for r in both:
        etype, prior = (r[8] if r[8] != "MISC" else r[1]), max(r[2], r[9])
        rows.append((etype, prior, json.dumps(sorted(set(json.loads(r[3])) | set(json.loads(r[10])))),
                     _merge_json(r[4], r[11]), _merge_json(r[5], r[12]), _merge_json(r[6], r[13]),
                     ",".join(sorted(set(filter(None, r[7].split(",") + r[14].split(","))))), r[0]))
    conn.executemany("UPDATE main.entities SET type=?, prior=?, classes=?, claims=?, labels=?, descriptions=?, "
                     "source=? WHERE qid=?", rows)
    conn.execute("INSERT OR IGNORE INTO main.entities SELECT * FROM b.entities")
    meta = dict(conn.execute("SELECT key, value FROM b.meta WHERE key IN ('sources', 'stop_words', 'built')"))
    conn.commit()
    conn.execute("DETACH DATABASE b")
    meta["capped"] = cap_namesakes(conn)
    conn.execute("DROP TABLE temp.import_new")
    conn.commit()
    return meta


def _merge(work: Path, kb_path: Path, report: BulkReport, base: Path | None, source: Path) -> None:
    tmp = kb_path.with_name(kb_path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    scratch_path = work / "classes.sqlite"
    scratch_path.unlink(missing_ok=True)
    scratch = sqlite3.connect(scratch_path)
    scratch.execute("CREATE TABLE subclass (child TEXT NOT NULL, parent TEXT NOT NULL)")
    scratch.execute("CREATE TABLE famous (qid TEXT PRIMARY KEY)")
    try:
        conn = schema.create(tmp, indexes=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072", "temp_store = FILE"):
            conn.execute(f"PRAGMA {pragma}")
        bulk_load(conn, _shard_rows(work, scratch))
        conn.commit()
        scratch.commit()
        report.typed_by_hierarchy = _type_by_hierarchy(conn, scratch)
        conn.commit()
        scratch.commit()
        schema.create_indexes(conn)
        meta = _merge_bundled(conn, base, scratch_path) if base is not None else {}
        report.capped = int(meta.pop("capped", 0))
        sources = json.loads(meta.get("sources", "[]"))
        sources.append({"name": "wikidata-dump", "licence": "CC0-1.0", "note": source.name})
        st = source.stat()
        digest = hashlib.sha256(f"{source.name}:{st.st_size}:{int(st.st_mtime)}:{meta.get('built')}".encode())
        finalize(conn, {
            "content_hash": digest.hexdigest(),
            "built": dt.date.today().isoformat(),
            "sources": json.dumps(sources, ensure_ascii=False),
            "origin": "wikidata-dump",
            "stop_words": meta.get("stop_words", ""),
        })
        report.entities = conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0]
        report.names = conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        conn.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, kb_path)
    finally:
        scratch.close()
        tmp.unlink(missing_ok=True)
        scratch_path.unlink(missing_ok=True)
