"""Where the KB comes from: ``$KGBUILD_KB``, an explicit path, or the bundled record file compiled once
into a cache (``$KGBUILD_CACHE`` or ``~/.cache/kgbuild``, else a temp dir) and rebuilt when it changes
(the cached file's name carries the record file's hash and ``CACHE_FORMAT``; files of older versions are removed).
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from kgbuild.errors import KBError
from kgbuild.kb.records import build_sqlite, file_hash

BUNDLED_RECORDS = Path(__file__).resolve().parent.parent / "data" / "kb" / "kb-records.tsv.xz"
#: bumped when the compiled file's layout changes without a schema migration (2: the stored name filter)
CACHE_FORMAT = 2


def cache_dirs() -> list[Path]:
    """Candidate cache directories, first usable wins."""
    dirs = []
    if os.environ.get("KGBUILD_CACHE"):
        dirs.append(Path(os.environ["KGBUILD_CACHE"]))
    if os.environ.get("XDG_CACHE_HOME"):
        dirs.append(Path(os.environ["XDG_CACHE_HOME"]) / "kgbuild")
    dirs.append(Path.home() / ".cache" / "kgbuild")
    dirs.append(Path(tempfile.gettempdir()) / f"kgbuild-{os.getuid() if hasattr(os, 'getuid') else 'user'}")
    return dirs


def _remove_stale(directory: Path, keep: Path, min_age_s: float = 600.0) -> None:
    """Delete bundled KBs of other record versions (older than ``min_age_s``; best effort)."""
    now = time.time()
    for old in directory.glob("kb-*.sqlite"):
        try:
            if old != keep and now - old.stat().st_mtime > min_age_s:
                old.unlink()
        except OSError:
            pass


def bundled_kb_path(records: Path = BUNDLED_RECORDS) -> Path:
    """The compiled bundled KB, built into the first writable cache dir if missing or outdated."""
    digest = file_hash(records)[:16] if records.is_file() else "missing"
    errors = []
    for directory in cache_dirs():
        target = directory / f"kb-{digest}-{CACHE_FORMAT}.sqlite"
        if target.is_file():
            return target
        try:
            directory.mkdir(parents=True, exist_ok=True)
            if not os.access(directory, os.W_OK):
                raise PermissionError(f"{directory} is not writable")
            built = build_sqlite(records, target)
            _remove_stale(directory, keep=target)
            return built
        except (PermissionError, OSError) as exc:
            if isinstance(exc, KBError):
                raise
            errors.append(f"{directory}: {exc}")
    raise KBError(
        "Cannot build the bundled knowledge base: no writable cache directory ("
        + "; ".join(errors) + "). Set $KGBUILD_CACHE to a writable directory."
    )
