"""A corpus build on a Dask distributed cluster (``kgbuild build ... --cluster tcp://SCHEDULER:8786``).

In: the articles to build (the new and changed ones: the client's state already left out the unchanged),
the ``BuildOptions`` and where the client keeps its state. Out: ``DocResult``/``DocError`` items (in the
order the shards finish), exactly what ``kgbuild.corpus.parallel.process`` yields on one machine, so the
client records them in the same state and writes the same output (byte-identical N-Quads).

- **Shards**: every article belongs to one of ``options.shards`` shards, by a hash of its id
  (``shard_of``), so an article stays in its shard when others are added or removed. The client reads
  the input once, puts the articles to build aside per shard (a spool in a temporary folder, so its
  memory does not grow with the input), then sends one Dask task per shard that has work, at most
  ``IN_FLIGHT_PER_THREAD`` per worker thread at a time, largest first. Shards without new, changed or
  removed articles get no task at all (a shard that only lost articles runs to drop them, no NLP work).
- **Each shard has its own incremental state**: an SQLite file ``<state>.shards-<N>/<shard>.sqlite``
  (same layout as the client's state, ``kgbuild.corpus.state``) that the worker copies to its local disk,
  brings up to date (articles whose id and hash it already holds are taken from it, the others are
  built) and writes back through ``kgbuild.files.atomic_path`` - at the end of the shard, and every
  ``CHECKPOINT_SECONDS`` while a big shard is built, so a retried shard resumes from the last checkpoint.
  SQLite never runs on the shared folder itself (its locks are unreliable on network filesystems): the
  file is only copied from and atomically replaced. With the state on a filesystem that every worker
  mounts at the same path, a shard finished by a worker is kept even when the client is killed before it
  gets the result: the rerun finds it there and does no NLP work for it. Without a shared filesystem
  each host keeps its own copies (a warning says so); the output is the same, a resume redoes more.
- **Results merged by the client**: a task returns its shard's per-document results; the client records
  them in its own state as they come, so the output is written by the same code as on one machine.
- **Failures are Dask's business**: a task whose worker dies (killed, out of memory, lost from the network)
  is run again on another worker by the scheduler; a task that raises is retried ``TASK_RETRIES`` times.
  Only when Dask gives up does the build end with ``BuildAbortedError``; what was finished is saved.

Workers must run the same kgbuild version with the same models and KB as the client (checked when the
build starts). Start them with one thread each (``dask worker ADDRESS --nthreads 1 --nworkers N``):
spaCy's work holds the GIL, so threads of one worker process would only take turns. See docs/CORPUS.md.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import pickle
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kgbuild.corpus.options import BuildAbortedError, BuildOptions
from kgbuild.corpus.state import BuildState
from kgbuild.corpus.worker import DocError, DocResult, article_hash, build_stream
from kgbuild.errors import KgbuildError
from kgbuild.files import atomic_path
from kgbuild.types import Article

log = logging.getLogger(__name__)

#: tasks (shards) in flight per worker thread of the cluster
IN_FLIGHT_PER_THREAD = 2
#: how often a task that raised is run again (a task of a worker that died is rescheduled by Dask anyway)
TASK_RETRIES = 2
#: seconds to wait for the scheduler, and for the first worker to join it
CONNECT_TIMEOUT = 30
#: a worker writes the state of the shard it builds back to the shard folder at least this often
CHECKPOINT_SECONDS = 30.0
#: articles the client keeps in memory per shard before it appends them to the shard's spool file
SPOOL_BUFFER = 64
#: a temporary file in the shard folder this old (s) is what a killed task left (removed by the next build)
LEFTOVER_SECONDS = 3600.0

_TASK_LOCK = threading.Lock()  # one task at a time per worker process, whatever its --nthreads


class ClusterError(KgbuildError, RuntimeError):
    """The Dask cluster cannot be used (not installed, not reachable, no workers, workers differ)."""


@dataclass
class ClusterStats:
    """What the cluster did in one build: ``shards`` of the partition, ``shards_run`` sent as tasks (those
    with new or changed articles), ``built`` articles built by the workers' NLP, ``reused`` articles whose
    graphs a worker took from its shard's state, ``shared``: whether every worker sees the shard folder."""

    shards: int = 0
    shards_run: int = 0
    shards_done: int = 0
    built: int = 0
    reused: int = 0
    shared: bool = True
    folder: str = ""


@dataclass
class ShardReport:
    """What one shard task returns: its results in the order of its articles, and what it did."""

    shard: int
    results: list = field(default_factory=list)
    built: int = 0
    reused: int = 0
    saved: bool = False


def shard_of(doc_id: str, shards: int) -> int:
    """The shard of an article: a hash of its id, so it does not move when other articles come or go."""
    return int.from_bytes(hashlib.sha1(doc_id.encode("utf-8")).digest()[:8], "big") % max(1, shards)


def shard_folder(state_path: Path, shards: int) -> Path:
    """Where the shard states of the client state ``state_path`` live (one folder per number of shards)."""
    state_path = Path(state_path).resolve()
    return state_path.parent / f"{state_path.name}.shards-{shards}"


def shard_path(folder: Path, shard: int) -> Path:
    return Path(folder) / f"{shard:05d}.sqlite"


def worker_identity(options: BuildOptions) -> dict:
    """What must be equal on the client and every worker for the same graph: kgbuild, KB, models."""
    from kgbuild import __version__
    from kgbuild.kb import open_kb

    models = []
    if options.model in (None, ""):
        from kgbuild.models import available_models

        models = sorted(f"{m.lang}:{m.name}:{m.version}" for m in available_models())
    return {"kgbuild": __version__, "models": models,
            "kb": getattr(open_kb(options.kb), "version", "")}


# ---------------------------------------------------------------- the worker side

def build_shard(shard: int, path: str, articles: list[Article], options: BuildOptions,
                fingerprint: str, removed: list[str] | tuple = ()) -> ShardReport:
    """One Dask task: bring the state of ``shard`` (the SQLite file at ``path``) up to date with
    ``articles`` and return their results (see the module docstring); documents in ``removed`` (no longer
    among the inputs) leave the shard's state."""
    with _TASK_LOCK, tempfile.TemporaryDirectory(prefix="kgbuild-shard-") as tmp:
        target = Path(path)
        local = Path(tmp) / "state.sqlite"
        state = _open_local(target, local, fingerprint, fresh=options.force)
        try:
            return _bring_up_to_date(shard, state, target, articles, options, removed)
        finally:
            state.close()


def _open_local(target: Path, local: Path, fingerprint: str, fresh: bool) -> BuildState:
    """A local copy of the shard's state (a new one if there is none, it can't be read, or ``fresh``)."""
    if not fresh:
        try:
            shutil.copyfile(target, local)
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("%s: cannot read this shard state (%s); building the shard anew", target, exc)
    try:
        return BuildState(local, fingerprint)
    except KgbuildError as exc:
        log.warning("%s: %s; building the shard anew", target, exc)
        for leftover in local.parent.glob(local.name + "*"):
            leftover.unlink()
        return BuildState(local, fingerprint)


def _bring_up_to_date(shard: int, state: BuildState, target: Path, articles: list[Article],
                      options: BuildOptions, removed: list[str] | tuple = ()) -> ShardReport:
    report = ShardReport(shard)
    ids = {a.id for a in articles}
    gone = [doc_id for doc_id in removed if doc_id not in ids and doc_id in state]
    if gone:
        state.forget(gone)
    results: dict[str, DocResult | DocError] = {}
    todo = []
    for article in articles:
        kept = state.result_of(article.id, article_hash(article))
        if kept is None:
            todo.append(article)
        else:
            results[article.id] = kept
    report.reused = len(articles) - len(todo)
    last_save = time.monotonic()
    for res in build_stream(todo, options) if todo else ():  # (no pipeline is loaded for nothing)
        results[res.id] = res
        if isinstance(res, DocResult):
            state.record(res)
            report.built += 1
            if time.monotonic() - last_save >= CHECKPOINT_SECONDS:
                report.saved = _save(state, target)
                last_save = time.monotonic()
        elif res.id in state:  # it can no longer be built: it leaves the output, and the shard's state
            state.forget([res.id])
            gone.append(res.id)
    if report.built or gone:
        report.saved = _save(state, target)
    report.results = [results[a.id] for a in articles]
    return report


def _save(state: BuildState, target: Path) -> bool:
    """Write the shard state to ``target`` atomically (a copy of the local database: SQLite's backup)."""
    state.commit()
    try:
        with atomic_path(target, parents=True) as tmp:
            copy = sqlite3.connect(str(tmp))
            try:
                state.db.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")
            finally:
                copy.close()
        return True
    except (KgbuildError, OSError, sqlite3.Error) as exc:  # the shard state is a cache: the build goes on
        log.warning("%s: cannot save this shard state (%s)", target, exc)
        return False


def _sees(path: str, token: str) -> bool:
    """Run on each worker: does it see the file the client wrote (a shared filesystem)?"""
    try:
        return Path(path).read_text(encoding="ascii") == token
    except OSError:
        return False


# ---------------------------------------------------------------- the client side

def connect(address: str):
    """A ``distributed.Client`` of the scheduler at ``address`` that has at least one worker."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("--cluster needs Dask distributed: pip install 'kgbuild[cluster]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); start it with "
                           "'dask scheduler' and pass the address it prints") from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError):
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers; start some with "
                           f"'dask worker {address} --nthreads 1'") from None
    return client


def scheduler_identity() -> str:
    """Run on the scheduler: the kgbuild it can import (it unpickles kgbuild's tasks)."""
    from kgbuild import __version__

    return __version__


def _check_scheduler(client, address: str) -> None:
    """The scheduler must import kgbuild to read the tasks; without it every task fails with a long traceback."""
    from kgbuild import __version__

    try:
        theirs = client.run_on_scheduler(scheduler_identity)
    except Exception as exc:  # noqa: BLE001  (whatever the scheduler's import raised, pickled back to us)
        raise ClusterError(f"the Dask scheduler at {address} cannot import kgbuild ({type(exc).__name__}: {exc}); "
                           "start 'dask scheduler' in an environment where kgbuild is installed, as for the "
                           "workers") from None
    if theirs != __version__:
        raise ClusterError(f"the Dask scheduler at {address} has kgbuild {theirs}, this machine {__version__}; "
                           "run the same kgbuild on the scheduler, the workers and here")


def _check_workers(client, options: BuildOptions) -> None:
    mine = worker_identity(options)
    try:
        theirs = client.run(worker_identity, options)
    except KgbuildError as exc:
        raise ClusterError(f"a Dask worker cannot open the KB or models: {exc}") from None
    for worker, identity in sorted(theirs.items()):
        if identity != mine:
            differ = ", ".join(k for k in mine if identity.get(k) != mine[k])
            raise ClusterError(f"Dask worker {worker} differs from this machine in {differ} "
                               f"({identity} here: {mine}); install the same kgbuild, models and KB everywhere")


def _check_shared(client, folder: Path) -> bool:
    """Whether every worker sees ``folder`` (the client writes a file there and asks them to read it)."""
    token = uuid.uuid4().hex
    probe = folder / f".probe-{token}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_text(token, encoding="ascii")
    except OSError as exc:
        raise ClusterError(f"{folder}: cannot write the shard states here ({exc.strerror or exc}); "
                           "pass another --state") from None
    try:
        seen = client.run(_sees, str(probe), token)
    finally:
        probe.unlink(missing_ok=True)
    blind = sorted(worker for worker, ok in seen.items() if not ok)
    if blind:
        log.warning("Dask worker(s) %s do not see %s: the shard states are not on a shared filesystem, so "
                    "each host keeps its own (the output is the same; a resume after a failure redoes more "
                    "work). See docs/CORPUS.md.", ", ".join(blind), folder)
    return not blind


class _Spool:
    """The articles to build, put aside per shard: in memory up to ``SPOOL_BUFFER`` per shard, then
    appended to the shard's file in a temporary folder (pickles of ``Article``, read back by the client)."""

    def __init__(self, folder: Path, shards: int) -> None:
        self.folder, self.shards = folder, shards
        self.buffers: dict[int, list[Article]] = {}
        self.counts: dict[int, int] = {}

    def add(self, article: Article) -> None:
        shard = shard_of(article.id, self.shards)
        buf = self.buffers.setdefault(shard, [])
        buf.append(article)
        self.counts[shard] = self.counts.get(shard, 0) + 1
        if len(buf) >= SPOOL_BUFFER:
            self._flush(shard)

    def _flush(self, shard: int) -> None:
        with open(self.folder / f"{shard}.pickle", "ab") as fh:
            for article in self.buffers.pop(shard, []):
                pickle.dump(article, fh, protocol=pickle.HIGHEST_PROTOCOL)

    def articles(self, shard: int) -> list[Article]:
        out: list[Article] = []
        path = self.folder / f"{shard}.pickle"
        if path.exists():
            with open(path, "rb") as fh:
                while True:
                    try:
                        out.append(pickle.load(fh))
                    except EOFError:
                        break
            path.unlink()
        out.extend(self.buffers.pop(shard, []))
        return out


Progress = Callable[[ClusterStats, int], None]
Removed = Callable[[], Iterable[str]]


def process(options: BuildOptions, articles: Iterable[Article], client=None, *, state_path: Path | None = None,
            fingerprint: str = "", stats: ClusterStats | None = None, progress: Progress | None = None,
            removed: Removed | None = None) -> Iterator[DocResult | DocError]:
    """Build ``articles`` on the cluster at ``options.cluster`` (or ``client``), shard by shard.

    ``state_path``: the client's state file; the shard states go next to it (``shard_folder``), or into a
    temporary folder when it is None. ``fingerprint``: the client state's (settings the graphs depend on).
    ``stats`` is filled in as the build goes; ``progress(stats, articles_to_build)`` is called when the
    shards are known and after each finished shard. ``removed()``, called once the input is read, names the
    documents of the client's state that are no longer among the inputs (and the changed ones, which the
    shard tasks tell apart): a shard that holds any of them runs too, to drop them from its state."""
    stats = ClusterStats() if stats is None else stats
    stats.shards = max(1, options.shards)
    it = iter(articles)
    first = next(it, None)
    if first is None:  # nothing to build: the cluster is not needed (nor contacted)
        if state_path is not None and removed is not None:  # removed articles leave their shards' states here
            folder = shard_folder(state_path, stats.shards)
            for shard, ids in sorted(_removed_by_shard(removed, folder, stats.shards, {}).items()):
                build_shard(shard, str(shard_path(folder, shard)), [], options, fingerprint or "", ids)
        return
    own = client is None
    client = connect(str(options.cluster)) if own else client  # before the input is read: fail early
    try:
        _check_scheduler(client, str(options.cluster or client.scheduler.address))
        _check_workers(client, options)
        with contextlib.ExitStack() as stack:
            if state_path is None:
                state_path = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kgbuild-"))) / "state"
            folder = shard_folder(state_path, stats.shards)
            stats.folder = str(folder)
            spool = _Spool(Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kgbuild-spool-"))),
                           stats.shards)
            total = 0
            for article in itertools.chain([first], it):
                spool.add(article)
                total += 1
            stats.shared = _check_shared(client, folder)
            _remove_leftovers(folder)
            gone = _removed_by_shard(removed, folder, stats.shards, spool.counts)
            work = set(spool.counts) | set(gone)
            order = sorted(work, key=lambda s: (-spool.counts.get(s, 0), s))  # largest shards first
            stats.shards_run = len(order)
            if progress is not None:
                progress(stats, total)
            yield from _run(client, options, folder, spool, order, gone, fingerprint or "", stats, progress, total)
    finally:
        if own:
            client.close()


def _remove_leftovers(folder: Path, older_than: float = LEFTOVER_SECONDS) -> None:
    """Temporary files of shard states whose writing was killed (``atomic_path`` names them ``.<name>.*.tmp``),
    once they are old enough that no task can still be writing them."""
    now = time.time()
    for tmp in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > older_than:
                log.info("removing %s, left by an interrupted shard task", tmp)
                tmp.unlink()


def _removed_by_shard(removed: Removed | None, folder: Path, shards: int, busy) -> dict[int, list[str]]:
    """The ids ``removed()`` names, by shard: of the shards in ``busy`` and those with a state file."""
    gone: dict[int, list[str]] = {}
    for doc_id in (removed() if removed is not None else ()):
        gone.setdefault(shard_of(doc_id, shards), []).append(doc_id)
    return {s: ids for s, ids in gone.items() if s in busy or shard_path(folder, s).exists()}


def _run(client, options: BuildOptions, folder: Path, spool: _Spool, order: list[int], gone: dict[int, list[str]],
         fingerprint: str, stats: ClusterStats, progress: Progress | None,
         total: int) -> Iterator[DocResult | DocError]:
    from distributed import CancelledError, as_completed

    threads = max(1, sum(client.nthreads().values()))
    window = IN_FLIGHT_PER_THREAD * threads
    queue = iter(order)
    run = uuid.uuid4().hex[:8]
    futures = as_completed(loop=client.loop)
    pending: set = set()
    done = 0

    def top_up() -> None:
        while len(pending) < window:
            shard = next(queue, None)
            if shard is None:
                return
            fut = client.submit(build_shard, shard, str(shard_path(folder, shard)), spool.articles(shard), options,
                                fingerprint, gone.get(shard, []), retries=TASK_RETRIES, pure=False,
                                key=f"kgbuild-shard-{shard:05d}-{run}")
            pending.add(fut)
            futures.add(fut)

    try:
        top_up()
        for fut in futures:
            pending.discard(fut)
            report: ShardReport = fut.result()
            stats.shards_done += 1
            stats.built += report.built
            stats.reused += report.reused
            done += len(report.results)
            yield from report.results
            if progress is not None:
                progress(stats, total)
            top_up()
    except (CancelledError, KgbuildError, OSError, TimeoutError) as exc:
        raise BuildAbortedError(_gave_up(done, exc)) from None
    except Exception as exc:  # a task that failed after its retries (e.g. KilledWorker)
        if type(exc).__module__.startswith("distributed"):
            raise BuildAbortedError(_gave_up(done, exc)) from None
        raise
    finally:
        for fut in pending:
            fut.cancel()


def _gave_up(done: int, exc: BaseException) -> str:
    return (f"the cluster gave up after {done} article(s) ({type(exc).__name__}: {exc}); the finished ones are "
            "saved: run the same command again to resume")
