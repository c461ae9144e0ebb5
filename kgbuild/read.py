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
import io
import json
import logging
import re
import sys
import unicodedata
from pathlib import Path
from typing import IO, Iterable, Iterator

from kgbuild.chars import clean_text
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
        slug = "x" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return slug[:max_len].strip("-")


def safe_id(doc_id: str) -> str:
    """A document id usable in IRIs and file names: kept if it is already safe, else slugified."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}", doc_id):
        return doc_id
    return slugify(doc_id, max_len=120)


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


#: publication dates outside these years are refused (a typo, or a default such as 0001-01-01)
DATE_YEARS = (1500, 2500)


def parse_date(value: str | dt.date | None, where: str = "") -> dt.date | None:
    """ISO date or datetime string -> date; None stays None; garbage, trailing text or a year outside
    ``DATE_YEARS`` is an InputError."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    else:
        text = str(value).strip()
        try:
            date = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text).date()
        except ValueError:
            raise InputError(f"{where}invalid date {text!r}: use YYYY-MM-DD") from None
    if not DATE_YEARS[0] <= date.year <= DATE_YEARS[1]:
        raise InputError(f"{where}date {str(value).strip()!r} is out of range: use a year from {DATE_YEARS[0]}"
                         f" to {DATE_YEARS[1]}")
    return date


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes -> text, never silently wrong (see docs/RELIABILITY.md).

    ``encoding`` forces one (``--encoding``). Otherwise: a BOM decides (UTF-8, UTF-16, UTF-32); valid UTF-8
    is UTF-8; text that is *almost* UTF-8 keeps its good text with U+FFFD for the bad bytes (a warning
    names the file); a legacy encoding only on strong evidence (Latin-1/cp1252 letters inside words, or
    charset-normalizer finding a coherent language); anything else is an ``InputError`` naming the file.
    """
    if not data.strip():
        raise InputError(f"{name}: the input is empty")
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{name}: the input is {len(data):,} bytes, more than the {MAX_BYTES:,} bytes allowed for one article;"
            " split it into articles (e.g. JSONL, one per line)"
        )
    if encoding:
        return _check_controls(_decode_forced(data, name, encoding), name)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _check_controls(_decode_lenient(data[len(bom):], name, codec), name)
    if b"\x00" in data[:8192]:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise InputError(f"{name}: this looks like a binary file, not text (it holds NUL bytes); "
                             "if it is text, pass its --encoding")
        log.warning("%s: no byte order mark, read as %s", name, codec)
        return _check_controls(_decode_lenient(data, name, codec), name)
    try:
        return _check_controls(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    return _check_controls(_decode_guess(data, name), name)


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: cp1252 characters that Western European text (de, en, fr, ...) uses: letters and typographic punctuation
_WESTERN = set("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýŒœŠšŽžŸ")
_WESTERN_PUNCT = set("€‚„…–—‘’“”•™«»°§·´¨½¼¾©®")
#: almost UTF-8: at most this share of the bytes may be invalid (the rest decodes as UTF-8)
_ALMOST_UTF8 = 0.01
#: ... or this many, in a text that also holds valid UTF-8 letters (a short text with a stray pair of bytes: a
#: legacy codec would turn its good letters into mojibake, "PjĆ¶ngjang")
_STRAY_BYTES = 4


def _decode_forced(data: bytes, name: str, encoding: str) -> str:
    import codecs

    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"--encoding {encoding!r}: unknown encoding (e.g. utf-8, cp1252, latin-1, cp1250)") from None
    if codec.startswith("utf-8"):
        data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid {codec} (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def _decode_lenient(data: bytes, name: str, codec: str) -> str:
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad:
        log.warning("%s: %d byte sequence(s) are not valid %s; replaced by U+FFFD", name, bad, codec)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: nearly every other byte is NUL (text in Latin script)."""
    head = data[:8192]
    pairs = len(head) // 2
    if pairs < 8:
        return None
    for codec, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) >= 0.9 * pairs:
            return codec
    return None


def _decode_guess(data: bytes, name: str) -> str:
    """Not valid UTF-8: almost UTF-8, or a legacy encoding on strong evidence, or a clear error."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    if multibyte > 0 and bad <= max(multibyte, _STRAY_BYTES, _ALMOST_UTF8 * len(data)):
        log.warning("%s: %d byte(s) are not valid UTF-8; the rest is read as UTF-8, the bad bytes as U+FFFD"
                    " (pass --encoding to read it otherwise)", name, bad)
        return text
    if multibyte == 0 and _looks_western(data):
        log.warning("%s: not UTF-8; read as Windows-1252 (Latin-1) (pass --encoding to read it otherwise)", name)
        return data.decode("cp1252")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.chaos <= 0.1 and best.coherence >= 0.3:
        log.warning("%s: not UTF-8; read as %s (pass --encoding to read it otherwise)", name, best.encoding)
        return str(best)
    if bad <= _ALMOST_UTF8 * len(data):
        log.warning("%s: %d byte(s) are not valid UTF-8 and no other encoding fits; they are read as U+FFFD"
                    " (pass --encoding to read it otherwise)", name, bad)
        return text
    raise InputError(f"{name}: cannot tell the text's encoding (not UTF-8, and no other encoding fits clearly);"
                     " pass --encoding, e.g. --encoding cp1252")


def _looks_western(data: bytes) -> bool:
    """Every non-ASCII byte, read as cp1252, is a Western European letter inside a word or typographic
    punctuation: the strong evidence for Latin-1 / Windows-1252."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8d, ...)
        return False
    for i, ch in enumerate(text):
        if ord(ch) < 0x80 or ch in _WESTERN_PUNCT:
            continue
        if ch not in _WESTERN:
            return False
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if not (before.isalpha() or after.isalpha()):
            return False
    return True


def _check_controls(text: str, name: str) -> str:
    """CRLF -> LF; text made mostly of control characters is a binary file."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    head = text[:10000]
    bad = sum(1 for ch in head if unicodedata.category(ch) == "Cc" and ch not in "\n\t\x0b\x0c\x1c\x1d\x1e\x85")
    if bad > 10 and bad > 0.01 * len(head):
        raise InputError(f"{name}: the input holds many control characters: this looks like a binary file, not text")
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
    """Build an ``Article``; the id defaults to a content hash. Characters RDF can't carry are replaced first
    (``kgbuild.chars``), in the metadata too (a JSON ``"\\ud800"`` escape is a lone surrogate)."""
    text, id, url, title, lang = (clean_text(v) if isinstance(v, str) else v for v in (text, id, url, title, lang))
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


def read_text_file(path: Path, root: Path | None = None, encoding: str | None = None, **meta) -> Article:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text = decode_bytes(data, str(path), encoding)
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


def _jsonl_lines(fh: IO[bytes], name: str, encoding: str | None) -> Iterator[str]:
    """Decoded lines of a JSONL file: UTF-8 (or ``encoding``); a line with bad bytes keeps its good text."""
    for lineno, raw in enumerate(fh, start=1):
        if encoding:
            yield _decode_forced(raw, f"{name}:{lineno}", encoding)
            continue
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield _decode_lenient(raw, f"{name}:{lineno}", "utf-8")


def _iter_path(path: Path, root: Path | None, encoding: str | None = None) -> Iterator[Article | InputError]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        try:
            with path.open("rb") as fh:
                yield from iter_jsonl(_jsonl_lines(fh, str(path), encoding), str(path))
        except OSError as exc:
            yield InputError(f"{path}: cannot read ({exc.strerror})")
        except InputError as exc:  # --encoding that does not fit a line
            yield exc
        return
    try:
        yield read_text_file(path, root, encoding)
    except InputError as exc:
        yield exc


def read_inputs(inputs: Iterable[str | Path], encoding: str | None = None, **meta) -> Iterator[Article | InputError]:
    """Yield an ``Article`` (or an ``InputError`` to report) per article in files, folders, JSONL or ``-``.

    ``meta`` (lang, url, published) applies to single-file inputs only. A path that does not exist raises.
    ``encoding`` forces the encoding of every input (default: detected, see ``decode_bytes``).
    """
    for item in inputs:
        if str(item) == "-":
            yield from _read_stdin(encoding, **meta)
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
                yield from _iter_path(file, path, encoding)
        elif meta and path.suffix.lower() not in JSONL_SUFFIXES:
            try:
                yield read_text_file(path, None, encoding, **meta)
            except InputError as exc:
                yield exc
        else:
            yield from _iter_path(path, None, encoding)


def _read_stdin(encoding: str | None = None, **meta) -> Iterator[Article | InputError]:
    data = sys.stdin.buffer.read()
    stripped = data.lstrip()
    if stripped.startswith(b"{") and b"\n{" in stripped or (stripped.startswith(b"{") and stripped.rstrip().endswith(b"}")):
        try:
            yield from iter_jsonl(_jsonl_lines(io.BytesIO(data), "<stdin>", encoding), "<stdin>")
        except InputError as exc:
            yield exc
        return
    try:
        text = decode_bytes(data, "<stdin>", encoding)
        yield article_from_text(text, source="-", **meta)
    except InputError as exc:
        yield exc


def read_one(path: str | Path, encoding: str | None = None, **meta) -> Article:
    """Read exactly one article (raises ``InputError`` on bad input)."""
    for item in read_inputs([path], encoding, **meta):
        if isinstance(item, InputError):
            raise item
        return item
    raise InputError(f"{path}: no article found")
