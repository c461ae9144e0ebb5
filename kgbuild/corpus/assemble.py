"""Write the corpus graph from the per-document graphs of the state, as a stream (pyoxigraph).

In: ``(id, graph IRI, N-Triples bytes)`` per document in id order, an output path (``-``/None: stdout) and a
format. Out: the file, written atomically, and the number of triples (quads for TriG / N-Quads) written.

- TriG / N-Quads: one named graph per document (the document's IRI), so a document can be replaced alone.
- Turtle / N-Triples / JSON-LD: the union graph. Triples that mention a document's own nodes belong to that
  document only; the others (entity labels and types, truthy relations between entities, the run) can
  recur across documents and are written once: only those are remembered, so memory grows with the
  number of distinct entities and relations, not with the corpus.
- N-Triples and N-Quads are copied line by line; Turtle, TriG and JSON-LD go through pyoxigraph's streaming
  serialisers (rdflib needs the whole graph in memory and is much slower, see docs/CORPUS.md).
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

import pyoxigraph as ox

from kgbuild.errors import OutputError
from kgbuild.files import atomic_open
from kgbuild.rdf.output import QUAD_FORMATS, SUFFIX, RDFFormat
from kgbuild.rdf.vocab import PREFIXES

OX_FORMAT = {RDFFormat.turtle: ox.RdfFormat.TURTLE, RDFFormat.trig: ox.RdfFormat.TRIG,
             RDFFormat.jsonld: ox.RdfFormat.JSON_LD}

Doc = tuple[str, str, bytes]


# N-Triples lines end at "\n" only: str.splitlines() would also split inside literals at \x0c, \x85, U+2028, ...
def union_lines(docs: Iterable[Doc], seen: set[str] | None = None) -> Iterator[str]:
    """The N-Triples lines of the union graph: shared triples (see module docstring) only once."""
    seen = set() if seen is None else seen
    for _, graph, nt in docs:
        # a line that names one of the document's own nodes (<doc>, <doc#…>, <doc/…>) is the document's alone
        own, fragment, path = f"<{graph}>", f"<{graph}#", f"<{graph}/"
        for line in nt.decode("utf-8").split("\n"):
            if not line.strip():
                continue
            if not (own in line or fragment in line or path in line):
                if line in seen:
                    continue
                seen.add(line)
            yield line


def quad_lines(docs: Iterable[Doc]) -> Iterator[str]:
    """N-Quads lines: each document's triples in its own named graph."""
    for _, graph, nt in docs:
        suffix = f" <{graph}> ."
        for line in nt.decode("utf-8").split("\n"):
            line = line.rstrip()
            if line:
                yield line[:-1].rstrip() + suffix


class _Counter:
    def __init__(self, lines: Iterable[str]) -> None:
        self.lines, self.count = lines, 0

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.count += 1
            yield line


def _ox_items(lines: Iterable[str], quads: bool, batch: int = 5000) -> Iterator:
    """Parse N-Triples / N-Quads lines in batches into pyoxigraph triples or quads."""
    buf: list[str] = []

    def flush() -> Iterator:
        data = ("\n".join(buf) + "\n").encode("utf-8")
        fmt = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
        for q in ox.parse(data, format=fmt):
            yield q if quads else q.triple
        buf.clear()

    for line in lines:
        buf.append(line)
        if len(buf) >= batch:
            yield from flush()
    if buf:
        yield from flush()


def write_stream(fh: IO[bytes], docs: Iterable[Doc], fmt: RDFFormat) -> int:
    """Serialise ``docs`` in ``fmt`` to the binary file ``fh``; returns the number of triples / quads."""
    quads = fmt in QUAD_FORMATS
    lines = _Counter(quad_lines(docs) if quads else union_lines(docs))
    if fmt in (RDFFormat.ntriples, RDFFormat.nquads):
        for line in lines:
            fh.write((line + "\n").encode("utf-8"))
        return lines.count
    ox.serialize(_ox_items(lines, quads), fh, OX_FORMAT[fmt], prefixes=PREFIXES)
    return lines.count


@contextmanager
def _target(out: str | Path | None) -> Iterator[IO[bytes]]:
    if out is None or str(out) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    try:
        with atomic_open(out) as fh:
            yield fh
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror or exc})") from None


def write_output(out: str | Path | None, docs: Iterable[Doc], fmt: RDFFormat) -> int:
    """The whole corpus graph to ``out`` (atomically; ``-``/None: stdout). Returns triples / quads written."""
    with _target(out) as fh:
        return write_stream(fh, docs, fmt)


def doc_file(folder: Path, doc_id: str, fmt: RDFFormat) -> Path:
    return folder / f"{doc_id}{SUFFIX[fmt]}"


def write_document(folder: Path, doc: Doc, fmt: RDFFormat) -> Path:
    """One document's graph as its own file in ``folder`` (``kgbuild build -o folder/``), atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    path = doc_file(folder, doc[0], fmt)
    with _target(path) as fh:
        write_stream(fh, [doc], fmt)
    return path
