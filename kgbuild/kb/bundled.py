"""Where the KB comes from: ``$KGBUILD_KB``, an explicit path, or the bundled record file compiled once
into a cache (``$KGBUILD_CACHE`` or ``~/.cache/kgbuild``, else a temp dir) and rebuilt when it changes.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kgbuild.errors import KBError
from kgbuild.kb.records import build_sqlite, file_hash

BUNDLED_RECORDS = Path(__file__).resolve().parent.parent / "data" / "kb" / "kb-records.tsv.xz"


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


def bundled_kb_path(records: Path = BUNDLED_RECORDS) -> Path:
    """The compiled bundled KB, built into the first writable cache dir if missing or outdated."""
    digest = file_hash(records)[:16] if records.is_file() else "missing"
    errors = []
    for directory in cache_dirs():
        target = directory / f"kb-{digest}.sqlite"
        if target.is_file():
            return target
        try:
            directory.mkdir(parents=True, exist_ok=True)
            if not os.access(directory, os.W_OK):
                raise PermissionError(f"{directory} is not writable")
            return build_sqlite(records, target)
        except (PermissionError, OSError) as exc:
            if isinstance(exc, KBError):
                raise
            errors.append(f"{directory}: {exc}")
    raise KBError(
        "Cannot build the bundled knowledge base: no writable cache directory ("
        + "; ".join(errors) + "). Set $KGBUILD_CACHE to a writable directory."
    )
