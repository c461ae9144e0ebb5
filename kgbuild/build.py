"""``kgbuild build`` as a library function: inputs -> processed articles -> RDF output (+ store, + state).

In: ``BuildOptions``. Out: the written output and a ``BuildSummary``. Articles are read lazily and processed
one by one, or by ``jobs`` worker processes; each document's graph goes to the state folder (corpus runs) or
straight into memory (a single article), and the output is assembled and written atomically at the end.
"""
from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import Iterable, Iterator

from rdflib import Dataset, Graph, URIRef

from kgbuild import __version__
from kgbuild.corpus import BuildOptions, BuildState, BuildSummary, _build_one, _init_worker
from kgbuild.errors import InputError, OutputError
from kgbuild.rdf.output import QUAD_FORMATS, RDFFormat, SUFFIX, atomic_open, serialize
from kgbuild.rdf.writer import new_graph
from kgbuild.read import read_inputs
from kgbuild.types import Article

log = logging.getLogger(__name__)


def _fingerprint(options: BuildOptions) -> str:
    parts = [__version__, options.base_iri, str(options.min_confidence), options.model or "", options.lang or "",
             str(options.kb or ""), str(options.any_lang)]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _is_corpus(options: BuildOptions) -> bool:
    return any(str(i) != "-" and (Path(i).is_dir() or Path(i).suffix.lower() in (".jsonl", ".ndjson"))
               for i in options.inputs) or len(options.inputs) > 1


def _state_folder(options: BuildOptions) -> Path | None:
    if options.state:
        return options.state
    if options.output and options.output != "-" and _is_corpus(options):
        out = Path(options.output)
        return out.parent / f".{out.name}.kgbuild-state"
    return None


def _articles(options: BuildOptions, summary: BuildSummary) -> Iterator[Article]:
    single_meta = {}
    if len(options.inputs) == 1 and not _is_corpus(options):
        single_meta = {k: v for k, v in (("url", options.url), ("published", options.date), ("lang", options.lang)) if v}
    elif options.url or options.date:
        raise InputError("--url and --date apply to a single article; give them per line in JSONL instead")
    seen: set[str] = set()
    for item in read_inputs(options.inputs, **single_meta):
        if isinstance(item, InputError):
            summary.skipped.append(str(item))
            continue
        if item.id in seen:
            summary.skipped.append(f"{item.source}: duplicate article id {item.id!r} (first one kept)")
            continue
        seen.add(item.id)
        yield item


def _process(options: BuildOptions, articles: Iterable[Article]) -> Iterator[dict]:
    if options.jobs <= 1:
        _init_worker(options)
        for article in articles:
            yield _build_one(article)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork") if hasattr(__import__("os"), "fork") else mp.get_context()
    with ctx.Pool(options.jobs, initializer=_init_worker, initargs=(options,)) as pool:
        yield from pool.imap(_build_one, articles, chunksize=4)


def run_build(options: BuildOptions) -> BuildSummary:
    """Build the graph of all input articles; see the module docstring."""
    summary = BuildSummary(output=options.output if options.output not in (None, "-") else None)
    start = time.perf_counter()
    folder = _state_folder(options)
    state = BuildState(folder, _fingerprint(options)) if folder else None
    per_doc_dir = Path(options.output) if options.output and (options.output.endswith("/") or Path(options.output).is_dir()) else None
    results: dict[str, dict] = {}
    seen_ids: list[str] = []
    store = _open_store(options)

    def todo() -> Iterator[Article]:
        for article in _articles(options, summary):
            seen_ids.append(article.id)
            if state and not options.force and state.unchanged(article):
                summary.unchanged += 1
                continue
            yield article

    bar = _progress(options)
    for n, res in enumerate(_process(options, todo()), start=1):
        if "error" in res:
            summary.skipped.append(res["error"])
            continue
        summary.articles += 1
        if state:
            state.record(res)
            if n % 50 == 0:
                state.save()
        else:
            results[res["id"]] = res
        if per_doc_dir:
            _write_one(per_doc_dir, res, options.fmt)
        if store is not None:
            store.replace_graph(res["graph"], _graph_from_nt(res["nt"]))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    if state:
        if not summary.skipped:
            for doc_id in [d for d in state.docs if d not in set(seen_ids)]:
                if store is not None:
                    store.remove_graph(state.docs[doc_id]["graph"])
                state.forget(doc_id)
                summary.removed += 1
        state.save()
        docs = state.docs
        nt_of = lambda doc_id: state.file_for(doc_id).read_text(encoding="utf-8")  # noqa: E731
    else:
        docs = results
        nt_of = lambda doc_id: results[doc_id]["nt"]  # noqa: E731
    for entry in docs.values():
        summary.entities.update(entry["entities"])
        summary.unlinked.update(entry["unlinked"])
        summary.events += entry["events"]
        summary.relations += entry["relations"]
    if store is not None:
        store.close() if hasattr(store, "close") else None
    if per_doc_dir is None and (docs or summary.articles):
        summary.triples = _assemble(options, docs, nt_of)
    else:
        summary.triples = sum(e["triples"] for e in docs.values())
    summary.seconds = time.perf_counter() - start
    return summary


def _progress(options: BuildOptions):
    if not options.progress:
        return None
    from tqdm import tqdm

    return tqdm(unit="article", desc="kgbuild build", leave=False)


def _open_store(options: BuildOptions):
    if options.store is None:
        return None
    from kgbuild.store import EmbeddedStore

    return EmbeddedStore(options.store)


def _graph_from_nt(nt: str) -> Graph:
    g = Graph()
    g.parse(data=nt, format="nt")
    return g


def _write_one(folder: Path, res: dict, fmt: RDFFormat) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    g = new_graph()
    g.parse(data=res["nt"], format="nt")
    data = _serialize_docs([(res["graph"], g)], fmt)
    with atomic_open(folder / f"{res['id']}{SUFFIX[fmt]}") as fh:
        fh.write(data)


def _serialize_docs(items: list[tuple[str, Graph]], fmt: RDFFormat) -> bytes:
    if fmt in QUAD_FORMATS:
        ds = Dataset()
        for prefix, ns in new_graph().namespaces():
            ds.bind(prefix, ns, override=True)
        for name, g in items:
            named = ds.graph(URIRef(name))
            for t in g:
                named.add(t)
        return serialize(ds, fmt)
    union = new_graph()
    for _, g in items:
        for t in g:
            union.add(t)
    return serialize(union, fmt)


def _assemble(options: BuildOptions, docs: dict, nt_of) -> int:
    """Write the whole output: streamed for N-Triples / N-Quads, through rdflib for the other formats."""
    ids = sorted(docs)
    out = options.output
    if options.fmt in (RDFFormat.ntriples, RDFFormat.nquads):
        return _stream_lines(out, ids, docs, nt_of, quads=options.fmt == RDFFormat.nquads)
    items = []
    for doc_id in ids:
        g = Graph()
        g.parse(data=nt_of(doc_id), format="nt")
        items.append((docs[doc_id]["graph"], g))
    data = _serialize_docs(items, options.fmt)
    _emit(out, data)
    return sum(len(g) for _, g in items)


def _stream_lines(out, ids, docs, nt_of, quads: bool) -> int:
    seen: set[str] = set()
    count = 0

    def lines() -> Iterator[bytes]:
        nonlocal count
        for doc_id in ids:
            graph = docs[doc_id]["graph"]
            for line in nt_of(doc_id).splitlines():
                if not line.strip():
                    continue
                if quads:
                    line = f"{line.rstrip()[:-1].rstrip()} <{graph}> ."
                elif line in seen:
                    continue
                else:
                    seen.add(line)
                count += 1
                yield (line + "\n").encode("utf-8")

    if out is None or out == "-":
        import sys

        for chunk in lines():
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    else:
        with atomic_open(out) as fh:
            for chunk in lines():
                fh.write(chunk)
    return count


def _emit(out: str | None, data: bytes) -> None:
    if out is None or out == "-":
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        with atomic_open(out) as fh:
            fh.write(data)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror})") from None
