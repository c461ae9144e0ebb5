"""``kgbuild build`` as a library function: inputs -> processed articles -> RDF output (+ store, + state).

In: ``BuildOptions``. Out: the written output and a ``BuildSummary``.

1. Articles are read lazily; each one whose hash (text and metadata) is in the state unchanged is skipped.
2. The others are built in this process or by ``jobs`` worker processes (``kgbuild.corpus.parallel``).
3. Each result goes into the embedded store (``--store``, one named graph per document, replaced atomically)
   and is then committed to the SQLite state; a killed run resumes from there.
4. Documents that are no longer among the inputs (or can no longer be built) are dropped from state, store
   and output folder.
5. The output is written from the state as a stream (``kgbuild.corpus.assemble``), atomically; when the
   state says that the existing output is already exactly this graph, it is left as it is.
Corpus inputs (folders, JSONL, several files) keep their state next to the output
(``.<output>.kgbuild-state.sqlite``); a single article or a build to stdout uses a temporary one.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Iterator

from kgbuild import __version__
from kgbuild.corpus import BuildOptions, BuildState, BuildSummary, DocError, article_hash
from kgbuild.corpus.assemble import doc_file, write_document, write_output
from kgbuild.corpus.parallel import process
from kgbuild.errors import InputError, OutputError
from kgbuild.lifecycle import held_fd, pid_alive
from kgbuild.read import JSONL_SUFFIXES, TEXT_SUFFIXES, read_inputs
from kgbuild.types import Article

log = logging.getLogger(__name__)


def run_build(options: BuildOptions) -> BuildSummary:
    """Build the graph of all input articles; see the module docstring."""
    start = time.perf_counter()
    options.check()
    _check_output(options)
    summary = BuildSummary(output=options.output if options.output not in (None, "-") else None)
    folder = _output_folder(options)
    fingerprint = _fingerprint(options)
    with _state(options, fingerprint) as state, _store(options) as store:
        _build_changed(options, state, store, folder, summary)
        _drop_stale(state, store, folder, options, summary)
        for key, value in state.totals().items():
            setattr(summary, key, value)
        if folder is None and (summary.documents or summary.articles or summary.removed):
            _write_corpus(options, state, summary)
    summary.seconds = time.perf_counter() - start
    return summary


# ---------------------------------------------------------------- steps

def _build_changed(options, state: BuildState, store, folder: Path | None, summary: BuildSummary) -> None:
    bar = _progress(options)
    try:
        for res in _results(options, state, _todo(options, state, store, folder, summary, bar), summary, bar):
            if isinstance(res, DocError):
                summary.skipped.append(res.message)
                continue
            nt = zlib.decompress(res.nt_z) if store is not None or folder is not None else b""
            if store is not None:  # store and folder first: once recorded, a document counts as done
                store.replace_graph(res.graph, _ox_triples(nt))
            if folder is not None:
                write_document(folder, (res.id, res.graph, nt), options.fmt)
            state.record(res)
            summary.articles += 1
            if bar is not None:
                bar.update(1)
    finally:
        state.commit()
        if bar is not None:
            bar.close()


def _results(options, state: BuildState, todo: Iterator[Article], summary: BuildSummary, bar):
    """The results of building ``todo``: in this process or ``jobs`` workers, or shard by shard on a Dask
    cluster (``kgbuild.corpus.cluster``; its shard states live next to the client's state)."""
    if not options.cluster:
        return process(options, todo)
    from kgbuild.corpus import cluster

    summary.shards = max(1, options.shards)

    def shown(stats: cluster.ClusterStats, articles: int) -> None:
        summary.shards_run, summary.reused = stats.shards_run, stats.reused
        if bar is not None:
            bar.total = articles
            bar.set_postfix(shards=f"{stats.shards_done}/{stats.shards_run}")

    return cluster.process(options, todo, state_path=state.path, fingerprint=state.get_meta("fingerprint") or "",
                           progress=shown, removed=lambda: [doc_id for doc_id, _ in state.stale()])


def _todo(options, state: BuildState, store, folder, summary: BuildSummary, bar) -> Iterator[Article]:
    """The articles to build: new or changed ones (all with ``--force``); unchanged ones are brought up to
    date in the store and the output folder from the state."""
    for article in _articles(options, summary):
        if not options.force and state.unchanged(article.id, article_hash(article)):
            summary.unchanged += 1
            _sync_unchanged(article.id, state, store, folder, options)
            if bar is not None and summary.unchanged % 100 == 0:
                bar.set_postfix(unchanged=summary.unchanged, skipped=len(summary.skipped))
            continue
        yield article


def _sync_unchanged(doc_id: str, state: BuildState, store, folder: Path | None, options) -> None:
    if store is not None:
        import pyoxigraph as ox

        graph = state.graph_of(doc_id)
        if not store.store.contains_named_graph(ox.NamedNode(graph)):
            store.replace_graph(graph, _ox_triples(state.ntriples(doc_id)))
    if folder is not None and not doc_file(folder, doc_id, options.fmt).exists():
        write_document(folder, (doc_id, state.graph_of(doc_id), state.ntriples(doc_id)), options.fmt)


def _drop_stale(state: BuildState, store, folder: Path | None, options, summary: BuildSummary) -> None:
    stale = state.stale()
    for doc_id, graph in stale:
        if store is not None:
            store.remove_graph(graph)
        if folder is not None:
            doc_file(folder, doc_id, options.fmt).unlink(missing_ok=True)
    state.forget([doc_id for doc_id, _ in stale])
    summary.removed = len(stale)


def _write_corpus(options, state: BuildState, summary: BuildSummary) -> None:
    out = options.output
    key = f"output:{Path(out).resolve()}:{options.fmt.value}" if out not in (None, "-") else None
    stamp = _stamp(out, state.digest()) if key else None
    if key and summary.articles == 0 and not summary.removed and stamp and state.get_meta(key) == stamp:
        summary.output_rewritten = False
        summary.triples = int(state.get_meta(key + ":triples") or summary.triples)
        return
    summary.triples = write_output(out, state.documents(), options.fmt)
    if key:
        state.set_meta(key, _stamp(out, state.digest()) or "")
        state.set_meta(key + ":triples", str(summary.triples))


def _stamp(out: str, digest: str) -> str | None:
    try:
        st = Path(out).stat()
    except OSError:
        return None
    return f"{digest}|{st.st_size}|{st.st_mtime_ns}"


# ---------------------------------------------------------------- inputs, state, store, progress

def _is_corpus(options: BuildOptions) -> bool:
    return len(options.inputs) > 1 or any(
        str(i) != "-" and (Path(i).is_dir() or Path(i).suffix.lower() in JSONL_SUFFIXES) for i in options.inputs)


def _articles(options: BuildOptions, summary: BuildSummary) -> Iterator[Article]:
    """Articles of the inputs; unreadable inputs and repeated ids go to ``summary.skipped``."""
    meta = {}
    if len(options.inputs) == 1 and not _is_corpus(options):
        meta = {k: v for k, v in (("url", options.url), ("published", options.date), ("lang", options.lang)) if v}
    elif options.url or options.date:
        raise InputError("--url and --date apply to a single article; give them per line in JSONL instead")
    seen: set[str] = set()
    for item in read_inputs(options.inputs, options.encoding, **meta):
        if isinstance(item, InputError):
            summary.skipped.append(str(item))
            continue
        if item.id in seen:
            summary.skipped.append(f"{item.source}: duplicate article id {item.id!r} (the first one is kept)")
            continue
        seen.add(item.id)
        yield item


def _check_output(options: BuildOptions) -> None:
    """Fail before any work when the output (file or folder) can't be written: one ``OutputError`` line."""
    out = options.output
    if not out or out == "-":
        return
    _check_not_an_input(options)
    folder = _output_folder(options)
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    else:
        folder = Path(out).parent if str(Path(out).parent) else Path(".")
        if not folder.is_dir():
            raise OutputError(f"{out}: the folder {folder} does not exist")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(f"{out}: cannot write into {folder} ({exc.strerror or exc})") from None


def _check_not_an_input(options: BuildOptions) -> None:
    """The output must not replace an article: ``-o`` naming one of the input files, or a file of an input
    folder that the next run would read as an article, is one ``OutputError`` line before any work."""
    target = Path(options.output)
    if target.is_dir():
        return
    for given in options.inputs:
        if str(given) == "-":
            continue
        source = Path(given)
        if target.exists() and source.is_file() and _same_file(source, target):
            raise OutputError(f"{options.output}: the output is the input file {given}; it would be overwritten "
                              "(choose another -o)")
        if (source.is_dir() and target.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES
                and target.resolve().is_relative_to(source.resolve())):
            raise OutputError(f"{options.output}: the output is an article of the input folder {given}; the "
                              "next build would read it (choose another -o)")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _output_folder(options: BuildOptions) -> Path | None:
    out = options.output
    if out and out != "-" and (out.endswith(("/", "\\")) or Path(out).is_dir()):
        return Path(out)
    return None


def _fingerprint(options: BuildOptions) -> str:
    """What the graphs depend on besides the article: kgbuild, KB, models and settings."""
    from kgbuild.kb import open_kb

    kb_version = getattr(open_kb(options.kb), "version", "")
    models = ""
    if options.model is None:
        from kgbuild.models import available_models

        models = ",".join(f"{m.lang}:{m.name}:{m.version}" for m in available_models())
    parts = [__version__, _code_digest(), options.base_iri, str(options.min_confidence), options.model or "", models,
             options.lang or "", str(options.kb or ""), kb_version, str(options.online), str(options.any_lang),
             options.mentions]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


_CODE_SUFFIXES = {".py", ".tsv", ".json", ".jsonl", ".yaml", ".yml", ".txt", ".ttl", ".cfg", ".xz", ".sqlite"}


def _code_digest() -> str:
    """Name, size and mtime of kgbuild's own code and data files: editing kgbuild (in a checkout, or by an
    upgrade) changes the fingerprint, so that the next run rebuilds everything."""
    import kgbuild

    package = Path(kgbuild.__file__).parent
    h = hashlib.sha1()
    for path in sorted(package.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and not path.name.startswith(".") and "__pycache__" not in path.parts:
            try:
                st = path.stat()
            except OSError:  # removed while we look
                continue
            h.update(f"{path.relative_to(package)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _state_path(options: BuildOptions) -> Path | None:
    if options.state:
        return Path(options.state)
    out = options.output
    if out and out != "-" and _is_corpus(options):
        p = Path(out.rstrip("/\\"))
        return p.parent / f".{p.name}.kgbuild-state.sqlite"
    return None


@contextlib.contextmanager
def _state(options: BuildOptions, fingerprint: str) -> Iterator[BuildState]:
    path = _state_path(options)
    with contextlib.ExitStack() as stack:
        if path is None:
            path = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kgbuild-"))) / "state.sqlite"
        stack.enter_context(_locked(path))
        _remove_leftovers(options.output)
        state = BuildState(path, fingerprint)
        stack.callback(state.close)
        yield state


@contextlib.contextmanager
def _locked(state: Path) -> Iterator[None]:
    """Hold an exclusive lock next to the state file, so that two builds never share one state.

    An ``flock`` on ``<state>.lock``; the kernel drops it when the process ends, however it ends. Worker
    processes forked from the build close their inherited copy at once (``kgbuild.lifecycle.held_fds``), so
    an orphan can't keep it. The owner's pid is written into the file: a second build names it, and when
    the owner is dead but the lock is still held (processes it left behind are ending) waits a moment.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    path = state.parent / f"{state.name}.lock"
    try:
        state.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise OutputError(f"{state}: cannot write the build state here ({exc.strerror or exc}); "
                          "pass another --state") from None
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                alive = not owner.isdigit() or pid_alive(int(owner))
                if alive or time.monotonic() > deadline:
                    who = f" (pid {owner})" if owner.isdigit() else ""
                    what = "is using this state" if alive else "ended, but processes it started still hold the state"
                    raise OutputError(f"{state}: another kgbuild build {what}{who}; wait for it to finish, "
                                      "or pass another --state / -o") from None
                time.sleep(0.1)  # the owner is dead: what holds the lock is ending too
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        with held_fd(fd):
            yield
    finally:
        os.close(fd)  # releases the lock


def _remove_leftovers(output: str | None) -> None:
    """Temporary files of an output whose writing was killed (``atomic_open`` names them ``.<name>.*.tmp``)."""
    if not output or output == "-" or output.endswith(("/", "\\")):
        return
    out = Path(output)
    for tmp in out.parent.glob(f".{out.name}.*.tmp") if out.parent.is_dir() else ():
        log.info("removing %s, left by an interrupted run", tmp)
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _store(options: BuildOptions):
    if options.store is None:
        yield None
        return
    from kgbuild.store import EmbeddedStore

    with EmbeddedStore(options.store) as store:
        yield store


def _ox_triples(nt: bytes):
    import pyoxigraph as ox

    return [q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]


def _progress(options: BuildOptions):
    if not options.progress:
        return None
    from tqdm import tqdm

    return tqdm(unit="article", desc="kgbuild build", file=sys.stderr, mininterval=0.5, smoothing=0.1)
