"""Streaming reader of Wikidata entity JSON files: .json, .json.gz or .json.bz2, in any of three shapes

- the dump format of ``latest-all.json`` (a JSON array, one entity per line, lines ending in ``,``),
- JSON lines (one entity per line),
- one JSON document: a ``wbgetentities`` answer ``{"entities": {...}}``, a single entity or a list.

``iter_entities(path)`` yields entity dicts without loading a dump whole; a line that is not valid JSON is
logged with its line number, appended to ``errors`` as ``(line, message)`` and skipped.
"""
from __future__ import annotations

import bz2
import gzip
import io
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator

from tqdm import tqdm

from kgbuild.errors import InputError, InputNotFoundError
from kgbuild.kb.wikidata_json import entities_of

log = logging.getLogger("kgbuild.kb.import")
_WHOLE_LIMIT = 200 * 2**20  # a single JSON document larger than this is refused (use the dump format)


@dataclass(frozen=True)
class EntityFilter:
    """Keep an entity if it passes every given test: P31 class in ``classes``, at least ``min_sitelinks``
    sitelinks, QID in ``qids``. Empty filter keeps everything."""

    classes: frozenset = field(default_factory=frozenset)
    min_sitelinks: int = 0
    qids: frozenset = field(default_factory=frozenset)

    def __call__(self, doc: dict) -> bool:
        if self.qids and doc.get("id") not in self.qids:
            return False
        if self.min_sitelinks and len(doc.get("sitelinks") or {}) < self.min_sitelinks:
            return False
        if self.classes:
            p31 = (doc.get("claims") or {}).get("P31", []) if isinstance(doc.get("claims"), dict) else []
            found = {((s.get("mainsnak") or {}).get("datavalue") or {}).get("value", {}).get("id") for s in p31}
            found |= {f"Q{((s.get('mainsnak') or {}).get('datavalue') or {}).get('value', {}).get('numeric-id')}" for s in p31}
            if not found & self.classes:
                return False
        return True


def _open(path: Path) -> tuple[IO[bytes], IO[str]]:
    raw = open(path, "rb")
    stream: io.BufferedIOBase | IO[bytes]
    if path.suffix == ".gz":
        stream = gzip.GzipFile(fileobj=raw)
    elif path.suffix == ".bz2":
        stream = bz2.BZ2File(raw)
    else:
        stream = raw
    return raw, io.TextIOWrapper(stream, encoding="utf-8", errors="strict")


def _parse_line(line: str, number: int, path: Path, errors: list) -> dict | None:
    text = line.strip()
    if text.endswith(","):
        text = text[:-1]
    if text in ("", "[", "]"):
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        log.warning("%s:%d: skipped a malformed entity line (%s)", path, number, exc.msg)
        errors.append((number, exc.msg))
        return None
    if not isinstance(doc, dict):
        log.warning("%s:%d: skipped a line that is not an entity object", path, number)
        errors.append((number, "not an entity object"))
        return None
    return doc


def iter_entities(path: str | Path, progress: bool = False, errors: list | None = None) -> Iterator[dict]:
    """Entity dicts of a Wikidata JSON file (see module docstring); bad lines go to ``errors``."""
    path = Path(path)
    errors = [] if errors is None else errors
    if not path.is_file():
        raise InputNotFoundError(f"Wikidata file '{path}' not found. Give a .json, .json.gz or .json.bz2 file.")
    raw, text = _open(path)
    bar = tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc=path.name, file=sys.stderr,
               disable=not progress, leave=False)
    try:
        try:
            first = text.readline()
            stripped = first.strip()
            second = text.readline() if stripped == "[" else ""
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read '{path}': {exc}. Is it a (compressed) Wikidata JSON file?") from None
        head = second.strip()
        dump = stripped == "[" and ((head.startswith("{") and head != "{") or head == "]")
        if not (dump or _is_entity_line(stripped)):  # one (pretty-printed) JSON document
            yield from _whole_document(path, first + second, text)
            return
        number = 1 if dump else 0
        lines: Iterable[str] = _chain(second, text) if dump else _chain(first, text)
        for line in lines:
            number += 1
            doc = _parse_line(line, number, path, errors)
            if number % 1000 == 0:
                bar.update(raw.tell() - bar.n)
            if doc is not None:
                yield doc
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        log.warning("%s: stopped reading at a damaged part of the file (%s)", path, exc)
        errors.append((-1, f"file damaged: {exc}"))
    finally:
        bar.update(max(0, raw.tell() - bar.n))
        bar.close()
        raw.close()


def _chain(first: str, rest: Iterable[str]) -> Iterator[str]:
    yield first
    yield from rest


def _is_entity_line(text: str) -> bool:
    if not text.startswith("{"):
        return False
    try:
        doc = json.loads(text.rstrip(","))
    except json.JSONDecodeError:
        return False
    return isinstance(doc, dict) and "entities" not in doc and "id" in doc


def _whole_document(path: Path, first: str, rest: IO[str]) -> Iterator[dict]:
    body = first + rest.read(_WHOLE_LIMIT)
    if rest.read(1):
        raise InputError(f"'{path}' is a single JSON document over 200 MB; use the dump format (one entity per line).")
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        raise InputError(f"'{path}' is not valid Wikidata JSON (line {exc.lineno}: {exc.msg}).") from None
    yield from (dict(entity) for entity in entities_of(doc))
