"""simplemma's lemma dictionaries, decoded once and kept in kgbuild's cache directory (cold start, issue 15).

In: simplemma's shipped dictionaries (``data/<lang>.plzma``: lzma-compressed, front-coded). Out: the same
``dict[bytes, bytes]`` that simplemma decodes, read from a ``marshal`` file in the user's cache
(``$KGBUILD_CACHE``, ``$XDG_CACHE_HOME/kgbuild`` or ``~/.cache/kgbuild``, as ``kgbuild.kb.bundled.cache_dirs``
but never the shared temp dir; ``marshal`` holds data only, no code).

Decoding in Python is most of what a dictionary costs to load (measured: German 1.1 M entries 0.86 CPU s
decoded, 0.29-0.36 s from the cache file; English 0.13 s and 0.035 s). The file's name carries simplemma's version and
the size and time of the shipped file, so another simplemma makes a new one; a cache that can't be read or
written is passed over (simplemma decodes as before). :func:`install` points simplemma's loader at this
one; lemmas, ``is_known`` and language detection are unchanged (the same mapping).

Next to each cache file goes an index of it (SQLite, one row per entry): a dictionary read from the cache is
answered from the index for its first ``INDEX_LOOKUPS`` lookups and only then loaded whole, so a process that
asks a language only a few words does not pay for the whole dictionary (an English build asks the German one
whether a few organisation names decline weakly: 0.3-0.4 CPU s to load it, for a handful of lookups).
``load_whole`` loads one at once (before worker processes are forked, so that they share it).
"""
from __future__ import annotations

import contextlib
import logging
import marshal
import os
import sqlite3
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)

_PREFIX = "simplemma-dict-"


def install() -> bool:
    """Let simplemma's dictionary loader go through the cache (once per process; idempotent). False when this
    simplemma has no such loader (another version): then nothing changes."""
    try:
        from simplemma.strategies.dictionaries import dictionary_factory as factory
    except ImportError:
        return False
    loader = getattr(factory, "_load_dictionary_from_disk", None)
    if loader is None or not hasattr(factory, "DATA_FOLDER"):
        return False
    if getattr(loader, "kgbuild_cached", False):
        return True

    def load(langcode: str) -> dict[bytes, bytes]:
        return cached_dictionary(langcode, loader, Path(factory.DATA_FOLDER))

    load.kgbuild_cached = True  # type: ignore[attr-defined]
    factory._load_dictionary_from_disk = load
    return True


def cache_name(langcode: str, data_folder: Path) -> str | None:
    """The cache file's name for ``langcode``: simplemma's version, the shipped file's size and time."""
    try:
        import simplemma

        st = (data_folder / f"{langcode}.plzma").stat()
    except (ImportError, OSError):
        return None
    return f"{_PREFIX}{simplemma.__version__}-{langcode}-{st.st_size}-{st.st_mtime_ns}.marshal"


def cached_dictionary(langcode: str, decode, data_folder: Path) -> dict[bytes, bytes]:
    """``decode(langcode)``'s dictionary, from the cache when it is there, else decoded and then cached."""
    from kgbuild.kb.bundled import cache_dirs

    name = cache_name(langcode, data_folder)
    if name is None:
        return decode(langcode)
    dirs = [d for d in cache_dirs() if not _is_shared_temp(d)]
    for directory in dirs:
        path = directory / name
        index = _index_path(path)
        if index.is_file() and path.is_file():
            found = _CREATED[langcode] = IndexedDictionary(index, lambda path=path: _read(path) or decode(langcode))
            return found
        data = _read(path)
        if data is not None:
            _write_index(index, data)
            return data
    data = decode(langcode)
    for directory in dirs:
        if _write(directory, name, data):
            _write_index(_index_path(directory / name), data)
            break
    return data


def _read(path: Path) -> dict | None:
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        data = marshal.loads(path.read_bytes())  # marshal.load(file) reads slowly: 3x the time
        if isinstance(data, dict):
            return data
    return None


#: lookups an ``IndexedDictionary`` answers from its index before it loads the whole dictionary
INDEX_LOOKUPS = 2000
_CREATED: dict[str, "IndexedDictionary"] = {}  # language -> the dictionary last read from the cache
_MISSING = object()


class IndexedDictionary(dict):
    """A dictionary of the cache, answered from its index until it has been asked ``INDEX_LOOKUPS`` times (or
    is iterated, measured or compared), then loaded whole (``load``) and answered from that. The same mapping
    either way. (A ``dict`` for simplemma's type checks; its entries live in ``_data``, not in the dict itself.)"""

    def __init__(self, index: Path, load) -> None:
        super().__init__()
        self._index, self._load = index, load
        self._data: dict | None = None
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._asked = 0

    @property
    def is_whole(self) -> bool:
        return self._data is not None

    def whole(self) -> dict:
        """The whole dictionary, loaded once."""
        data = self._data
        if data is None:
            with self._lock:
                if self._data is None:
                    self._data = self._load()
                    if self._conn is not None and self._pid == os.getpid():
                        self._conn.close()
                    self._conn = None
                data = self._data
        return data

    def get(self, key, default=None):
        data = self._data
        if data is None:
            found = self._from_index(key)
            if found is not _MISSING:
                return default if found is None else found
            data = self.whole()
        return data.get(key, default)

    def _from_index(self, key):
        """The value of ``key`` from the index (None when absent), or _MISSING when it is to be loaded whole."""
        with self._lock:
            self._asked += 1
            if self._asked > INDEX_LOOKUPS or self._data is not None:
                return _MISSING
            try:
                if self._conn is None or self._pid != os.getpid():  # a forked process opens its own
                    self._conn = sqlite3.connect(f"{self._index.as_uri()}?mode=ro", uri=True,
                                                 check_same_thread=False)
                    self._pid = os.getpid()
                row = self._conn.execute("SELECT v FROM d WHERE k = ?", (key,)).fetchone()
                return row[0] if row is not None else None
            except (sqlite3.Error, ValueError, TypeError) as exc:
                log.debug("lemma index %s unusable (%s): loading the dictionary whole", self._index, exc)
                return _MISSING

    def __getitem__(self, key):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __iter__(self):
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())

    def __eq__(self, other) -> bool:
        return self.whole() == (other.whole() if isinstance(other, IndexedDictionary) else other)

    def __ne__(self, other) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.whole())

    def keys(self):
        return self.whole().keys()

    def values(self):
        return self.whole().values()

    def items(self):
        return self.whole().items()

    def copy(self) -> dict:
        return dict(self.whole())

    def __reduce__(self):
        return (dict, (self.whole(),))


def load_whole(langcode: str) -> None:
    """Load the dictionary of ``langcode`` read from the cache whole now (nothing when there is none)."""
    found = _CREATED.get(langcode)
    if found is not None:
        found.whole()


def _index_path(path: Path) -> Path:
    return path.with_suffix(".sqlite")


def _write_index(index: Path, data: dict) -> bool:
    """The index of a cache file, written atomically (passed over when it can't be)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=index.parent, prefix=f".{index.name}.", suffix=".tmp")
        os.close(fd)
    except OSError:
        return False
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("CREATE TABLE d (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
            conn.executemany("INSERT INTO d VALUES (?, ?)", sorted(data.items()))
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, index)
    except (OSError, sqlite3.Error, TypeError) as exc:
        log.debug("cannot index %s: %s", index, exc)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def _is_shared_temp(directory: Path) -> bool:
    """The last resort of ``cache_dirs``: a directory in the temp dir that anyone could have made."""
    user = os.getuid() if hasattr(os, "getuid") else "user"
    return directory == Path(tempfile.gettempdir()) / f"kgbuild-{user}" and not os.environ.get("KGBUILD_CACHE")


def _write(directory: Path, name: str, data: dict) -> bool:
    """Write the file atomically into ``directory`` (and remove older ones of the same language)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(data, fh)
        os.replace(tmp, directory / name)
    except OSError as exc:
        log.debug("cannot cache %s in %s: %s", name, directory, exc)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    lang = name[len(_PREFIX):].split("-")[1]
    for old in [*directory.glob(f"{_PREFIX}*-{lang}-*.marshal"), *directory.glob(f"{_PREFIX}*-{lang}-*.sqlite")]:
        if old.name not in (name, _index_path(directory / name).name):
            with contextlib.suppress(OSError):
                old.unlink()
    return True
