"""A corpus build on a Dask distributed cluster (``kgbuild build ... --cluster tcp://SCHEDULER:8786``).

In: the articles to build (the new and changed ones: the client's state already left out the unchanged)
and the ``BuildOptions``. Out: ``DocResult``/``DocError`` items in input order, exactly what
``kgbuild.corpus.parallel.process`` yields on one machine, so the client records them in the same state
and writes the same output (byte-identical N-Quads).

- Shards of the input are Dask tasks: ``options.chunk`` articles each (fewer for a small input, so that
  every worker gets some), at most ``IN_FLIGHT_PER_THREAD`` per worker thread in flight, so the client's
  memory is bounded by that window, not by the corpus. A task carries its articles (no shared storage is
  needed) and returns compact results (zlib-compressed N-Triples).
- Each worker process loads the pipeline (KB, spaCy models) once, on its first task, and reuses it.
- Failures are Dask's business: a task whose worker dies (killed, out of memory, lost from the network)
  is run again on another worker by the scheduler; a task that raises is retried ``TASK_RETRIES`` times.
  Only when Dask gives up does the build end with ``BuildAbortedError``; what was finished is saved.
- Incremental state stays with the client (one SQLite file per corpus, as on one machine): a rerun sends
  only new and changed articles, and an interrupted run resumes from what was recorded.

Workers must run the same kgbuild version with the same models and KB as the client (checked when the
build starts). Start them with one thread each (``dask worker ADDRESS --nthreads 1 --nworkers N``):
spaCy's work holds the GIL, so threads of one worker process would only take turns. See docs/CORPUS.md.
"""
from __future__ import annotations

import dataclasses
import itertools
import logging
import threading
from collections import deque
from typing import Iterable, Iterator

from kgbuild.corpus.options import BuildAbortedError, BuildOptions
from kgbuild.corpus.worker import DocError, DocResult, build_chunk
from kgbuild.errors import KgbuildError
from kgbuild.types import Article

log = logging.getLogger(__name__)

#: tasks in flight per worker thread of the cluster
IN_FLIGHT_PER_THREAD = 4
#: how often a task that raised is run again (a task of a worker that died is rescheduled by Dask anyway)
TASK_RETRIES = 2
#: seconds to wait for the scheduler, and for the first worker to join it
CONNECT_TIMEOUT = 30

_TASK_LOCK = threading.Lock()  # one task at a time per worker process, whatever its --nthreads


class ClusterError(KgbuildError, RuntimeError):
    """The Dask cluster cannot be used (not installed, not reachable, no workers, workers differ)."""


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


def build_task(articles: list[Article], options: BuildOptions) -> list[DocResult | DocError]:
    """One Dask task: build a shard of articles with this worker process's pipeline."""
    with _TASK_LOCK:
        return build_chunk(articles, options)


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


def process(options: BuildOptions, articles: Iterable[Article], client=None) -> Iterator[DocResult | DocError]:
    """Build ``articles`` on the cluster at ``options.cluster`` (or ``client``); results in input order."""
    own = client is None
    client = connect(str(options.cluster)) if own else client
    try:
        _check_workers(client, options)
        threads = max(1, sum(client.nthreads().values()))
        window = IN_FLIGHT_PER_THREAD * threads
        it = iter(articles)
        head = list(itertools.islice(it, window * max(1, options.chunk)))
        if not head:
            return
        if len(head) < window * options.chunk:  # the whole input: shards that give every worker some
            options = dataclasses.replace(options, chunk=max(1, -(-len(head) // window)))
        yield from _run(client, options, itertools.chain(head, it), window)
    finally:
        if own:
            client.close()


def _run(client, options: BuildOptions, articles: Iterator[Article], window: int) -> Iterator[DocResult | DocError]:
    from distributed import CancelledError

    pending: deque = deque()
    done = 0
    shard = 0

    def submit(chunk: list[Article]) -> None:
        nonlocal shard
        shard += 1
        pending.append(client.submit(build_task, chunk, options, retries=TASK_RETRIES, pure=False,
                                     key=f"kgbuild-shard-{shard}-{chunk[0].id[:40]}"))

    try:
        chunks = (list(itertools.islice(articles, options.chunk)) for _ in itertools.count())
        for chunk in chunks:
            if not chunk:
                break
            submit(chunk)
            while len(pending) >= window:
                results = pending.popleft().result()
                done += len(results)
                yield from results
        while pending:
            results = pending.popleft().result()
            done += len(results)
            yield from results
    except (CancelledError, KgbuildError, OSError, TimeoutError) as exc:
        raise BuildAbortedError(f"the cluster gave up after {done} article(s) ({type(exc).__name__}: {exc}); the "
                                "finished ones are saved: run the same command again to resume") from None
    except Exception as exc:  # a task that failed after its retries (e.g. KilledWorker)
        if type(exc).__module__.startswith("distributed"):
            raise BuildAbortedError(f"the cluster gave up after {done} article(s) ({type(exc).__name__}: {exc});"
                                    " the finished ones are saved: run the same command again to resume") from None
        raise
    finally:
        for fut in pending:
            fut.cancel()
