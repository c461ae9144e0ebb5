"""``kgbuild load``: RDF files -> named graphs in a remote store (Graph Store Protocol) or an embedded one.

In: RDF files, a :class:`~kgbuild.store.endpoint.Client` or an :class:`~kgbuild.store.embedded.EmbeddedStore`.
Out: a :class:`LoadReport` (graphs, triples, seconds); on failure a :class:`LoadError` whose message and
``report`` say which graphs were loaded and which were not.

No half-loaded graph: a graph of up to ``batch_size`` triples goes in one request (PUT replaces, POST adds;
the server applies a request in one transaction). A larger graph is uploaded in batches into a temporary
graph ``urn:kgbuild:tmp:…`` and then moved into place with one SPARQL ``MOVE`` (replace) or ``ADD``; on
failure the temporary graph is dropped and the target graph is untouched. Graphs with blank nodes are never
split (blank node labels are local to one request). Bodies are spooled to temp files, never the corpus in
memory; files are staged one at a time (see :mod:`kgbuild.store.sources`).
"""
from __future__ import annotations

import logging
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable, Sequence

import pyoxigraph as ox

from kgbuild.errors import KgbuildError, StoreError
from kgbuild.store import remote, sources
from kgbuild.store.embedded import EmbeddedStore
from kgbuild.store.endpoint import Client
from kgbuild.store.report import LoadError, LoadReport

log = logging.getLogger("kgbuild.store")

Progress = Callable[[int], None]
SPOOL_BYTES = 16 * 1024 * 1024
TMP_PREFIX = "urn:kgbuild:tmp:"


class _Slice:
    """A byte range of a file, readable and rewindable (a request body of known length)."""

    def __init__(self, fh, start: int, end: int, triples: int = 0):
        self.fh, self.start, self.end, self.pos, self.triples = fh, start, end, 0, triples

    def __len__(self) -> int:
        return self.end - self.start

    def seek(self, pos: int, whence: int = 0) -> int:
        self.pos = pos if whence == 0 else (self.pos + pos if whence == 1 else len(self) + pos)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def read(self, n: int = -1) -> bytes:
        n = len(self) - self.pos if n is None or n < 0 else min(n, len(self) - self.pos)
        self.fh.seek(self.start + self.pos)
        data = self.fh.read(n)
        self.pos += len(data)
        return data


def spool(quads, batch_size: int):
    """Write a graph's triples as N-Triples to a spooled temp file; -> (file, batch slices, triples, bnodes)."""
    fh = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, prefix="kgbuild-load-")
    bounds, counts, chunk, bnodes = [0], [], [], False
    for q in quads:
        chunk.append(q.triple)
        bnodes = bnodes or isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
        if len(chunk) >= batch_size:
            _flush(fh, chunk, bounds, counts)
    _flush(fh, chunk, bounds, counts)
    slices = [_Slice(fh, a, b, n) for a, b, n in zip(bounds, bounds[1:], counts, strict=False)] or [_Slice(fh, 0, 0)]
    return fh, slices, sum(counts), bnodes


def _flush(fh, chunk: list, bounds: list, counts: list) -> None:
    if chunk:
        ox.serialize(chunk, output=fh, format=ox.RdfFormat.N_TRIPLES)
        bounds.append(fh.tell())
        counts.append(len(chunk))
        chunk.clear()


def load_to_endpoint(paths: Sequence[str | Path], client: Client, graph: str | None = None, replace: bool = False,
                     batch_size: int = 1_000_000, progress: Progress | None = None) -> LoadReport:
    """Upload every graph of ``paths`` to the endpoint (see the module docstring for the guarantees)."""
    def upload(sg: sources.SourceGraph, first: bool) -> tuple[int, int]:
        return _upload(client, sg, replace and first, batch_size, progress)

    return _load(paths, graph, upload, progress)


def load_to_store(paths: Sequence[str | Path], store: EmbeddedStore, graph: str | None = None, replace: bool = False,
                  progress: Progress | None = None, bulk: bool = False) -> LoadReport:
    """Load every graph of ``paths`` into an embedded store, each graph atomically.

    ``bulk=True`` uses pyoxigraph's bulk loader, one call per file: several times faster for large corpora,
    but not atomic (an interrupted bulk load can leave part of a graph; run it again with ``replace=True``).
    """
    if bulk:
        from kgbuild.store.bulk import load_bulk

        return load_bulk(paths, store, graph, replace, progress)

    def upload(sg: sources.SourceGraph, first: bool) -> tuple[int, int]:
        if replace and first:
            return store.replace_graph(sg.iri, sg.quads()), 0
        return store.add_triples(sg.iri, sg.quads()), 0

    return _load(paths, graph, upload, progress)


def _load(paths, graph: str | None, upload: Callable[[sources.SourceGraph, bool], tuple[int, int]],
          progress: Progress | None) -> LoadReport:
    """Upload graph by graph; ``upload`` returns (triples, triples already shown in ``progress``).
    A graph is in ``report.loaded`` as soon as its upload returned, before anything else can interrupt."""
    paths = [str(sources.check_input(p)) for p in paths]
    report, seen, started = LoadReport(), set(), time.perf_counter()
    for i, path in enumerate(paths):
        try:
            with sources.staged(path) as staging:
                todo = sources.graphs_of(staging, path, graph)
                for j, sg in enumerate(todo):
                    done = False
                    try:
                        n, shown = upload(sg, sg.iri not in seen)
                        report.loaded.append((sg.iri, path, n))
                        seen.add(sg.iri)
                        done = True
                        if progress and n > shown:
                            progress(n - shown)
                    except (KgbuildError, KeyboardInterrupt) as exc:
                        report.failed += [(g.iri, path, 0) for g in todo[j + done:]]
                        report.not_started = paths[i + 1:]
                        cause = str(exc) if isinstance(exc, KgbuildError) else "Interrupted (Ctrl-C)"
                        raise LoadError(cause, report) from None
        except LoadError:
            report.seconds = time.perf_counter() - started
            raise
        except KgbuildError as exc:  # the file itself could not be read
            report.not_started = paths[i:]
            report.seconds = time.perf_counter() - started
            raise LoadError(str(exc).rstrip("."), report) from None
    report.seconds = time.perf_counter() - started
    log.info("loaded %d triples in %d graphs in %.2f s", report.triples, report.graphs, report.seconds)
    return report


def _upload(client: Client, sg: sources.SourceGraph, replace: bool, batch_size: int,
            progress: Progress | None) -> tuple[int, int]:
    fh, slices, count, bnodes = spool(sg.quads(), batch_size)
    with fh:
        if len(slices) == 1 or bnodes:
            body = slices[0] if len(slices) == 1 else _Slice(fh, 0, slices[-1].end)
            remote.send_graph(client, sg.iri, body, replace, f"uploading <{sg.iri}> ({count} triples)")
        else:
            _upload_batched(client, sg.iri, slices, replace, progress)
            return count, count
    return count, 0


def _upload_batched(client: Client, iri: str, slices: list[_Slice], replace: bool, progress: Progress | None) -> None:
    tmp, target = ox.NamedNode(TMP_PREFIX + uuid.uuid4().hex), ox.NamedNode(iri)
    try:
        for k, body in enumerate(slices, 1):
            remote.send_graph(client, tmp.value, body, replace=False, what=f"uploading batch {k}/{len(slices)} of <{iri}>")
            if progress:
                progress(body.triples)
        op = f"MOVE GRAPH {tmp} TO {target}" if replace else f"ADD GRAPH {tmp} TO {target} ; DROP GRAPH {tmp}"
        remote.update(client, op, what=f"moving the batches of <{iri}> into place")
    except StoreError as exc:
        try:
            remote.update(client, f"DROP SILENT GRAPH {tmp}", what="dropping the temporary graph")
        except StoreError:
            log.warning("could not drop the temporary graph %s; drop it by hand", tmp)
            raise StoreError(f"{exc} (the temporary graph {tmp} may be left: `DROP SILENT GRAPH {tmp}`; "
                             f"<{iri}> itself is unchanged)") from None
        raise
