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
"""
from __future__ import annotations

import contextlib
import logging
import marshal
import os
import tempfile
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
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            data = marshal.loads((directory / name).read_bytes())  # marshal.load(file) reads slowly: 3x the time
            if isinstance(data, dict):
                return data
    data = decode(langcode)
    for directory in dirs:
        if _write(directory, name, data):
            break
    return data


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
    for old in directory.glob(f"{_PREFIX}*-{lang}-*.marshal"):
        if old.name != name:
            with contextlib.suppress(OSError):
                old.unlink()
    return True
