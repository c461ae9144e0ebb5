"""Read: files, folders, stdin and JSONL -> ``Article``.

In: paths (``.txt``, ``.md``, ``.jsonl``, folders of those) or ``-`` for stdin.
Out: ``Article(id, text, lang, url, published, source)``; or, for input that can't be used, an ``InputError``
with one clear line (empty, binary, undecodable, malformed JSONL, too large).

``read_inputs`` yields ``Article`` or ``InputError`` items so that a corpus run can list what it skipped and
go on; ``read_one`` raises.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import sys
import unicodedata
from pathlib import Path
from typing import IO, Iterable, Iterator

from kgbuild.errors import InputError, InputNotFoundError
from kgbuild.types import Article

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: articles larger than this are refused (a news article is a few kB; 5 MB is a book)
MAX_BYTES = 5_000_000


def slugify(text: str, max_len: int = 60) -> str:
    """ASCII slug for IRIs: 'Juri Uschakow' -> 'juri-uschakow'."""
    text = text.replace("ß", "ss")
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", norm).strip("-").lower()
    if not slug:
        slug = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return slug[:max_len].strip("-")


def safe_id(doc_id: str) -> str:
    """A document id usable in IRIs and file names: kept if it is already safe, else slugified."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}", doc_id):
        return doc_id
    return slugify(doc_id, max_len=120)


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def parse_date(value: str | dt.date | None, where: str = "") -> dt.date | None:
    """ISO date or datetime string -> date; None stays None; garbage is an InputError."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(f"{where}invalid date {text!r}: use YYYY-MM-DD") from None


def decode_bytes(data: bytes, name: str) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), else a detected encoding; binary is an InputError."""
    if not data.strip():
        raise InputError(f"{name}: the input is empty")
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{name}: the input is {len(data):,} bytes, more than the {MAX_BYTES:,} bytes allowed for one article;"
            " split it into articles (e.g. JSONL, one per line)"
        )
    if b"\x00" in data[:8192]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return _strip_controls(data.decode("utf-16"))
        raise InputError(f"{name}: this looks like a binary file, not text")
    try:
        return _strip_controls(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: cannot decode the text (not UTF-8 and no other encoding fits)")
    log.warning("%s: not UTF-8, read as %s", name, best.encoding)
    return _strip_controls(str(best))


def _strip_controls(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = sum(1 for ch in text[:10000] if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if bad > 10:
        raise InputError("the input holds many control characters: this looks like a binary file, not text")
    return text


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: the input is empty")
    return text


def article_from_text(
    text: str,
    *,
    id: str | None = None,
    lang: str | None = None,
    url: str | None = None,
    published: str | dt.date | None = None,
    source: str | None = None,
    title: str | None = None,
) -> Article:
    """Build an ``Article``; the id defaults to a content hash."""
    name = source or "text"
    _check_text(text, name)
    doc_id = safe_id(id) if id else "sha1-" + content_hash(text)[:16]
    return Article(
        id=doc_id,
        text=text,
        lang=lang or None,
        url=url or None,
        published=parse_date(published, f"{name}: "),
        source=source,
        title=title,
    )


def _article_id_for(path: Path, root: Path | None) -> str:
    if root is not None:
        rel = path.relative_to(root).with_suffix("")
        return "--".join(safe_id(part) for part in rel.parts)
    return safe_id(path.with_suffix("").name if path.suffix.lower() in TEXT_SUFFIXES else path.name)


def read_text_file(path: Path, root: Path | None = None, **meta) -> Article:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text = decode_bytes(data, str(path))
    return article_from_text(text, id=meta.pop("id", None) or _article_id_for(path, root), source=str(path), **meta)


def iter_jsonl(stream: IO[str] | Iterable[str], name: str) -> Iterator[Article | InputError]:
    """One article per line: ``{"text": ..., "id"?, "url"?, "date"?, "lang"?, "title"?}``."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{where}: invalid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield InputError(f'{where}: each line must be a JSON object with a "text" string')
            continue
        try:
            yield article_from_text(
                obj["text"],
                id=str(obj["id"]) if obj.get("id") not in (None, "") else None,
                lang=obj.get("lang") or obj.get("language"),
                url=obj.get("url"),
                published=obj.get("date") or obj.get("published"),
                source=where,
                title=obj.get("title"),
            )
        except InputError as exc:
            yield exc


def _iter_path(path: Path, root: Path | None) -> Iterator[Article | InputError]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        try:
            with path.open("r", encoding="utf-8", errors="strict") as fh:
                yield from iter_jsonl(fh, str(path))
        except UnicodeDecodeError:
            yield InputError(f"{path}: JSONL must be UTF-8")
        return
    try:
        yield read_text_file(path, root)
    except InputError as exc:
        yield exc


def read_inputs(inputs: Iterable[str | Path], **meta) -> Iterator[Article | InputError]:
    """Yield an ``Article`` (or an ``InputError`` to report) per article in files, folders, JSONL or ``-``.

    ``meta`` (lang, url, published) applies to single-file inputs only. A path that does not exist raises.
    """
    for item in inputs:
        if str(item) == "-":
            yield from _read_stdin(**meta)
            continue
        path = Path(item)
        if not path.exists():
            raise InputNotFoundError(f"{path}: no such file or directory")
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES and not p.name.startswith(".")
            )
            if not files:
                yield InputError(f"{path}: the folder holds no .txt, .md or .jsonl files")
            for file in files:
                yield from _iter_path(file, path)
        elif meta and path.suffix.lower() not in JSONL_SUFFIXES:
            try:
                yield read_text_file(path, None, **meta)
            except InputError as exc:
                yield exc
        else:
            yield from _iter_path(path, None)


def _read_stdin(**meta) -> Iterator[Article | InputError]:
    data = sys.stdin.buffer.read()
    stripped = data.lstrip()
    if stripped.startswith(b"{") and b"\n{" in stripped or (stripped.startswith(b"{") and stripped.rstrip().endswith(b"}")):
        text = data.decode("utf-8", errors="replace")
        yield from iter_jsonl(text.splitlines(), "<stdin>")
        return
    try:
        text = decode_bytes(data, "<stdin>")
        yield article_from_text(text, source="-", **meta)
    except InputError as exc:
        yield exc


def read_one(path: str | Path, **meta) -> Article:
    """Read exactly one article (raises ``InputError`` on bad input)."""
    for item in read_inputs([path], **meta):
        if isinstance(item, InputError):
            raise item
        return item
    raise InputError(f"{path}: no article found")
