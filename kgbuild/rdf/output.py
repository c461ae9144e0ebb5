"""Output: rdflib graphs -> Turtle, N-Triples, JSON-LD, TriG, N-Quads; written atomically.

A file is written to a temporary file in the same folder and moved into place with ``os.replace``, so a
reader never sees a half-written file and an interrupted run leaves the old file as it was.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from enum import Enum
from pathlib import Path
from typing import IO, Iterator

from rdflib import Dataset, Graph, URIRef

from kgbuild.errors import OutputError


class RDFFormat(str, Enum):
    turtle = "turtle"
    ntriples = "nt"
    jsonld = "json-ld"
    trig = "trig"
    nquads = "nquads"


SUFFIX = {RDFFormat.turtle: ".ttl", RDFFormat.ntriples: ".nt", RDFFormat.jsonld: ".jsonld",
          RDFFormat.trig: ".trig", RDFFormat.nquads: ".nq"}
QUAD_FORMATS = {RDFFormat.trig, RDFFormat.nquads}


def format_for_path(path: str | Path) -> RDFFormat | None:
    suffix = Path(str(path)).suffix.lower()
    for fmt, suf in SUFFIX.items():
        if suffix == suf:
            return fmt
    return {".n3": RDFFormat.turtle, ".json": RDFFormat.jsonld, ".ntriples": RDFFormat.ntriples}.get(suffix)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file next to ``path``; on success it replaces ``path``, on error it is removed."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, mode) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def serialize(graph: Graph | Dataset, fmt: RDFFormat = RDFFormat.turtle) -> bytes:
    data = graph.serialize(format=fmt.value, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def as_dataset(graphs: list[tuple[URIRef, Graph]]) -> Dataset:
    """Named graphs (one per document) in one rdflib Dataset, for TriG / N-Quads."""
    ds = Dataset()
    for prefix, ns in (graphs[0][1].namespaces() if graphs else []):
        ds.bind(prefix, ns, override=True)
    for name, g in graphs:
        named = ds.graph(name)
        for triple in g:
            named.add(triple)
    return ds


def write(graph: Graph | Dataset, path: str | Path | None, fmt: RDFFormat) -> int:
    """Serialise to ``path`` atomically (``None`` or ``-``: return bytes count after writing to stdout)."""
    data = serialize(graph, fmt)
    if path is None or str(path) == "-":
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return len(data)
    with atomic_open(path) as fh:
        fh.write(data)
    return len(data)
