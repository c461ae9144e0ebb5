"""Run the worker over a stream of articles: in this process, or in ``jobs`` worker processes.

In: an iterator of ``Article``s (read lazily) and the ``BuildOptions``. Out: ``DocResult``/``DocError`` items
in input order. With ``jobs > 1`` articles go in chunks of ``options.chunk`` to a ``ProcessPoolExecutor``;
at most ``4 * jobs`` chunks are in flight and as many again are read ahead, so memory is bounded by that
window, not by the corpus. The read-ahead shows where the input (or a pool's share of it) ends: the last
articles go in ever smaller chunks (a quarter of what is left per worker, by characters), so that the
workers finish together instead of one waiting for the other's last full chunk (``balanced_chunks``).
The spaCy models are loaded here and inherited by the forked workers. Each worker opens the pipeline (KB)
once, and is replaced by a fresh one after ``options.worker_articles`` articles, so that its caches can't
grow with the corpus. Where workers are forked and a core is left for this process (``--jobs`` below the
usable cores), a chunk normally goes to a worker for spaCy's part only (``analyse_chunk``: the ``Doc``s come
back as bytes) and the later stages run here (``finish_chunk``), so that their caches (KB look-ups, linking)
fill once instead of once per worker; while this process is behind, and otherwise always, chunks go to the
workers whole (``build_chunk``). Both give the same bytes. A worker that dies
(killed, out of memory) ends the run with ``BuildAbortedError``; everything finished is already saved.
"""
from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing as mp
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from kgbuild.corpus.options import BuildAbortedError, BuildOptions, usable_cores
from kgbuild.corpus.worker import (
    DocError,
    DocResult,
    analyse_chunk,
    build_chunk,
    build_stream,
    finish_chunk,
    pipeline_for,
    release_pipeline,
    warm_up_finishing,
)
from kgbuild.lifecycle import close_held_fds, die_with_parent, watch_parent
from kgbuild.types import Article

IN_FLIGHT_PER_JOB = 4  # chunks submitted to the pool per worker
READ_AHEAD_PER_JOB = 4  # chunks read from the input beyond those, per worker (to see where it ends)
#: a chunk goes to a worker whole (not only its spaCy part) while more than this many chunks per worker are
#: done there and wait for this process to finish them
BEHIND_PER_JOB = 2


def chunked(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items (the last may be shorter), read lazily."""
    it = iter(items)
    while chunk := list(itertools.islice(it, max(1, size))):
        yield chunk


def balanced_chunks(articles: Iterable[Article], size: int, jobs: int, ahead: int) -> Iterator[list[Article]]:
    """Chunks of ``size`` articles, read lazily ``ahead`` articles in advance; once the end of the input is
    in sight, chunks of about ``1 / (2 * jobs)`` of the characters left (at most ``size`` articles, at least
    one), so that the last chunks are small and ``jobs`` workers end at about the same time.

    The articles and their order are the same as with ``chunked``; only where the chunks end differs."""
    size = max(1, size)
    it = iter(articles)
    buffer: deque[Article] = deque(itertools.islice(it, ahead + size))
    ended = len(buffer) < ahead + size
    left = sum(len(a.text) for a in buffer) if ended else 0  # characters not yet handed out, once known
    while buffer:
        if not ended:
            chunk = [buffer.popleft() for _ in range(min(size, len(buffer)))]
            more = list(itertools.islice(it, size))
            buffer.extend(more)
            if len(more) < size:
                ended = True
                left = sum(len(a.text) for a in buffer)
            yield chunk
            continue
        target = left / (2 * max(1, jobs))
        chunk, chars = [], 0
        while buffer and len(chunk) < size and (not chunk or chars + len(buffer[0].text) <= target):
            article = buffer.popleft()
            chunk.append(article)
            chars += len(article.text)
        left -= chars
        yield chunk


def process(options: BuildOptions, articles: Iterable[Article]) -> Iterator[DocResult | DocError]:
    """Build every article; results come in input order. An input of at most one chunk is built in this
    process whatever ``jobs`` says (starting workers would cost more than they save); a small input is
    cut into smaller chunks, so that every worker gets some."""
    if options.cluster:
        from kgbuild.corpus import cluster

        yield from cluster.process(options, articles)
        return
    it = iter(articles)
    chunk = max(1, options.chunk)
    head = list(itertools.islice(it, chunk + 1))
    if not head:
        return
    if options.jobs <= 1 or len(head) <= chunk:
        pipeline_for(options)  # load models before the first article is timed
        yield from build_stream(itertools.chain(head, it), options)  # spaCy over chunks with nlp.pipe
        return
    head += itertools.islice(it, options.jobs * IN_FLIGHT_PER_JOB * chunk - len(head))
    _preload_models(options, head)
    # what is loaded so far (spaCy, the models, the dictionaries) stays for the run: out of the cyclic GC's
    # sight, its pages are neither written by the workers' collections (copy-on-write) nor scanned by theirs
    # and this process's (about 0.5 CPU s less on the 240 benchmark articles with two workers)
    gc.freeze()
    try:
        yield from _in_pool(options, itertools.chain(head, it))
    finally:
        gc.unfreeze()  # a library caller's later garbage is collected as usual


def _preload_models(options: BuildOptions, articles: list[Article]) -> None:
    """Load the spaCy pipelines that the first articles need here, before the worker processes are forked:
    they inherit them (no model load per worker, memory pages shared until written)."""
    if _context().get_start_method() != "fork":
        return
    from kgbuild import lemma_cache
    from kgbuild.pipeline import preload_languages

    # simplemma's dictionaries from kgbuild's cache (a pipeline does this when it is made, but here none is
    # made before the fork): else simplemma decodes the shipped one, ~0.1 CPU s for English, on the serial path
    lemma_cache.install()
    preload_languages(articles, options.model, options.lang, options.any_lang)


def _worker_init(parent: int) -> None:
    """Workers leave Ctrl-C to the parent, which stops submitting and keeps what is finished; they end with
    their parent, whatever signal ends it (kgbuild.lifecycle), so that no orphan keeps working."""
    close_held_fds()  # the build's state lock stays the parent's
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    die_with_parent(signal.SIGKILL, parent)
    watch_parent(parent)


def _context():
    return mp.get_context("fork") if hasattr(os, "fork") else mp.get_context("spawn")


def _in_pool(options: BuildOptions, articles: Iterable[Article]) -> Iterator[DocResult | DocError]:
    """Pools of ``jobs`` workers, each replaced after ``worker_articles`` articles per worker (this bounds
    what their caches and spaCy's string store accumulate over a long corpus). A pool's share of the input
    ends in small chunks (``balanced_chunks``): the next pool starts when every worker of this one is done."""
    it = iter(articles)
    per_pool = max(1, options.jobs * options.worker_articles)
    ahead = READ_AHEAD_PER_JOB * options.jobs * max(1, options.chunk)
    done = 0
    while True:
        generation = balanced_chunks(itertools.islice(it, per_pool), options.chunk, options.jobs, ahead)
        first = next(generation, None)
        if first is None:
            return
        try:
            for result in _one_pool(options, itertools.chain([first], generation)):
                done += 1
                yield result
            release_pipeline()  # what this process cached finishing chunks goes with the workers
        except BrokenProcessPool:
            raise BuildAbortedError(
                f"a worker process died (killed or out of memory?) after {done} article(s); the finished ones "
                "are saved: run the same command again to resume, or use fewer --jobs") from None


def _one_pool(options: BuildOptions, chunks: Iterable[list[Article]]) -> Iterator[DocResult | DocError]:
    """One pool's chunks. A chunk is either built whole by a worker (``build_chunk``) or only analysed there
    by spaCy (``analyse_chunk``) and finished here (``finish_chunk``): the caches of the later stages (KB
    look-ups, linking) then fill once, in this process, instead of once per worker. A chunk goes whole when
    this process is behind (more than ``BEHIND_PER_JOB * jobs`` chunks wait for it), so that it does not
    hold the workers up."""
    window = IN_FLIGHT_PER_JOB * options.jobs
    split = _split_allowed(options)
    with ProcessPoolExecutor(max_workers=options.jobs, mp_context=_context(), initializer=_worker_init,
                             initargs=(os.getpid(),)) as pool:
        pending: deque = deque()  # (future, chunk, analysed only?)
        warm = False
        try:
            for chunk in chunks:
                behind = sum(1 for fut, _, _ in pending if fut.done())  # chunks that wait for this process
                analysed = split and behind <= BEHIND_PER_JOB * options.jobs
                pending.append((pool.submit(analyse_chunk if analysed else build_chunk, chunk, options), chunk,
                                analysed))
                if analysed and not warm:  # the workers are forked (at the first submit): get ready meanwhile
                    warm_up_finishing(chunk[0], options)
                    warm = True
                while len(pending) >= window:
                    yield from _results_of(pending.popleft(), options)
            while pending:
                yield from _results_of(pending.popleft(), options)
        except BaseException:
            for fut, _, _ in pending:
                fut.cancel()
            _stop_workers(pool)  # don't wait for the articles in flight: their results would be dropped
            raise


def _split_allowed(options: BuildOptions) -> bool:
    """Whether chunks may be analysed in the workers and finished here: where a core is left for this process
    besides the workers' (``--jobs`` below the usable cores; with a worker on every core, this process would
    take CPU from them, and the caches saved do not make up for that), where the workers are forked from this
    process (they share its spaCy models' vocabulary), not under a time budget per article (``--max-seconds``
    is kept by the worker that builds the article whole), and not with ``--online`` (the look-ups on live
    Wikidata wait for the network: in every worker at once, not one after the other here)."""
    return (options.jobs < usable_cores() and _context().get_start_method() == "fork" and not options.max_seconds
            and not options.online)


def _results_of(item, options: BuildOptions) -> Iterator[DocResult | DocError]:
    fut, chunk, analysed = item
    if analysed:
        yield from finish_chunk(chunk, fut.result(), options)
    else:
        yield from fut.result()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's worker processes now (an interrupted or failed run)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
