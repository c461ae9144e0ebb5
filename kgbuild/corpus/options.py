"""What a corpus build is asked to do (``BuildOptions``) and what it did (``BuildSummary``).

In: the options of ``kgbuild build`` (inputs, output, format, KB, model, jobs, state, store, ...).
Out: counts for the whole corpus graph after the run, the inputs skipped and why, timings.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kgbuild.errors import InputError, KgbuildError
from kgbuild.rdf.output import RDFFormat
from kgbuild.rdf.vocab import DEFAULT_BASE

#: memory one worker process needs (KB, spaCy models for two languages, caches), for the default of --jobs
WORKER_MEMORY_MB = 600


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask; ``os.process_cpu_count`` on Python 3.13+)."""
    count = getattr(os, "process_cpu_count", None)
    if count is not None:
        return max(1, count() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def available_memory_mb() -> int | None:
    """Memory available for new processes (``MemAvailable`` of /proc/meminfo), None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def default_jobs() -> int:
    """The default of ``--jobs``: one worker per usable core, as many as the available memory holds."""
    jobs = usable_cores()
    memory = available_memory_mb()
    if memory is not None:
        jobs = min(jobs, max(1, memory // WORKER_MEMORY_MB))
    return jobs


class BuildAbortedError(KgbuildError, RuntimeError):
    """A corpus build stopped before its end (a worker process died); what was finished is kept."""


@dataclass
class BuildOptions:
    """The options of one build. ``inputs``: files, folders, JSONL files or ``-``. ``output``: a file,
    ``-``/None for stdout, or a folder (ends with ``/`` or exists) for one file per article.
    ``state``: the SQLite state file of incremental builds (default: next to the output for corpus inputs).
    ``jobs``: worker processes (``default_jobs()``: one per usable core, capped by memory); ``chunk``: articles
    per task sent to a worker, and per spaCy ``nlp.pipe`` batch; ``worker_articles``: a worker is replaced by
    a fresh process after this many articles (bounds the growth of its caches).
    """

    inputs: list[str]
    output: str | None = None
    fmt: RDFFormat = RDFFormat.turtle
    lang: str | None = None
    date: str | None = None
    url: str | None = None
    base_iri: str = DEFAULT_BASE
    kb: Path | None = None
    online: bool = False
    model: str | None = None
    mentions: str = "combined"  # where mentions come from: combined | rules | ner (kgbuild.pipeline.MENTION_MODES)
    min_confidence: float = 0.5
    any_lang: bool = False
    store: Path | None = None
    jobs: int = 1
    state: Path | None = None
    force: bool = False
    encoding: str | None = None  # force the encoding of text inputs (default: detected, kgbuild.read)
    max_seconds: float | None = None  # per-article time budget; an article over it is skipped
    progress: bool = False
    chunk: int = 16
    worker_articles: int = 2000
    cluster: str | None = None  # address of a Dask scheduler: build on that cluster (kgbuild.corpus.cluster)
    shards: int = 64  # with ``cluster``: the articles fall into this many shards, each with its own state

    def check(self) -> None:
        """Raise ``InputError`` (one line, naming the option) for a value that can't work."""
        check_base_iri(self.base_iri)
        if self.date:
            from kgbuild.read import parse_date

            parse_date(self.date, "--date: ")
        if self.encoding:
            import codecs

            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise InputError(f"--encoding {self.encoding!r}: unknown encoding (e.g. utf-8, cp1252, latin-1)") from None
        if self.max_seconds is not None and not self.max_seconds > 0:
            raise InputError(f"--max-seconds {self.max_seconds!r}: use a number of seconds above 0")
        if self.shards < 1:
            raise InputError(f"--shards {self.shards!r}: use a number of shards of at least 1")
        if not 0 <= self.min_confidence <= 1:
            raise InputError(f"--min-confidence {self.min_confidence!r}: use a number from 0 to 1")


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')


def check_base_iri(iri: str) -> str:
    """The base IRI of minted nodes: an absolute IRI (scheme, and a host for http/https) without spaces or
    characters IRIs forbid, ending with ``/`` or ``#``; else ``InputError``."""
    where = f"--base-iri {iri!r}"
    bad = _IRI_FORBIDDEN.search(iri)
    if bad:
        raise InputError(f"{where}: an IRI can't hold {bad.group()!r} (percent-encode it, e.g. %20 for a space)")
    scheme = _SCHEME.match(iri)
    if not scheme:
        raise InputError(f"{where}: must be an absolute IRI with a scheme, e.g. https://example.org/kg/")
    if scheme.group().lower() in ("http:", "https:") and not re.match(r"https?://[^/?#]+", iri, re.IGNORECASE):
        raise InputError(f"{where}: needs a host, e.g. https://example.org/kg/")
    if not iri.endswith(("/", "#")):
        raise InputError(f"{where} must end with '/' or '#'")
    return iri


@dataclass
class BuildSummary:
    """Counts of a build. ``articles``: built in this run; ``unchanged``: reused from the state;
    ``removed``: documents dropped because their input is gone (or can no longer be built);
    ``documents``, ``entities``, ``unlinked``, ``events``, ``relations``, ``triples``: the whole output graph;
    ``skipped``: one line per input that was not built, saying why. With ``--cluster``: ``shards`` of the
    partition, ``shards_run`` of them sent to the cluster (those with new or changed articles), ``reused``
    articles whose graphs a worker took from its shard's state instead of building them.
    """

    articles: int = 0
    unchanged: int = 0
    removed: int = 0
    documents: int = 0
    entities: int = 0
    unlinked: int = 0
    relations: int = 0
    events: int = 0
    triples: int = 0
    skipped: list = field(default_factory=list)
    seconds: float = 0.0
    output: str | None = None
    output_rewritten: bool = True
    shards: int = 0
    shards_run: int = 0
    reused: int = 0

    def describe(self) -> str:
        """One line for the end of ``kgbuild build`` (stderr)."""
        rate = self.articles / self.seconds if self.seconds else 0.0
        parts = [f"{self.articles} article(s) built", f"{self.unchanged} unchanged", f"{len(self.skipped)} skipped"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        if self.shards:
            parts.append(f"{self.shards_run} of {self.shards} shard(s) run on the cluster"
                         + (f" ({self.reused} article(s) from shard states)" if self.reused else ""))
        target = self.output or "stdout"
        if not self.output_rewritten:
            target += " (already up to date)"
        return (f"kgbuild: {', '.join(parts)}; {self.documents} documents, {self.entities} entities"
                f" ({self.unlinked} unlinked), {self.events} events, {self.relations} relations, {self.triples} triples"
                f" -> {target} in {self.seconds:.1f}s ({rate:.1f} articles/s)")

    def as_dict(self) -> dict:
        """The summary as plain JSON-able data."""
        return {k: getattr(self, k) for k in (
            "articles", "unchanged", "removed", "documents", "entities", "unlinked", "events", "relations",
            "triples", "skipped", "seconds", "output", "shards", "shards_run", "reused")}
