"""Files written whole or not at all: the one atomic writer of kgbuild.

``atomic_path(path)`` gives a temporary file in the same folder; when the block ends without an error the file is
flushed to disk (``fsync``), moved over ``path`` with ``os.replace`` and the folder's entry is flushed too, so a
reader sees the old file or the new one, never a half-written one, even after a crash. On an error the temporary
file is removed and ``path`` is left as it was. ``atomic_open`` and ``write_atomic`` are the usual ways to use it.
Temporary files are named ``.<name>.<random>.tmp`` (``kgbuild build`` removes those a killed run left).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator

from kgbuild.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: new files get the usual permissions (0o666 less the umask), not mkstemp's 0o600
_MODE = 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_path(path: str | Path, *, parents: bool = False) -> Iterator[Path]:
    """A temporary path next to ``path`` (the file exists and is empty) that replaces ``path`` when the block
    ends without an error; on an error it is removed. ``parents``: create missing folders first."""
    target = Path(path)
    folder = target.parent
    try:
        if parents:
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise OutputError(f"{target}: the folder {folder} does not exist")
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync(tmp)
        os.chmod(tmp, _MODE)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_folder(folder)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "wb", *, encoding: str | None = None,
                parents: bool = False) -> Iterator[IO[Any]]:
    """``open(path, mode)`` written atomically (see ``atomic_path``); text modes default to UTF-8."""
    if "b" not in mode and encoding is None:
        encoding = "utf-8"
    with atomic_path(path, parents=parents) as tmp, open(tmp, mode, encoding=encoding) as fh:
        yield fh


def write_atomic(path: str | Path, data: bytes | str, *, parents: bool = False) -> None:
    """Write ``data`` (bytes, or text as UTF-8) to ``path`` atomically."""
    with atomic_open(path, "wb", parents=parents) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; some systems cannot open or sync a folder, which is no error."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
