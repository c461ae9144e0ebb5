"""The worker side of a build: articles -> compact per-document results (in-process or in a worker process).

In: ``Article``s and the ``BuildOptions``. Out: a ``DocResult`` per article (N-Triples, zlib-compressed, plus
counts and entity keys; the N-Triples lines sorted, so equal graphs give equal bytes) or a ``DocError`` saying why the article was skipped. The pipeline (KB, spaCy
models) is created once per process, on the first article, and reused for every later one.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import zlib
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

from kgbuild.errors import GraphError, KgbuildError
from kgbuild.types import Article

log = logging.getLogger(__name__)

_PIPELINE = None
_PIPELINE_KEY: tuple | None = None
_PIPELINE_PID: int | None = None
_INHERITED: list = []  # pipelines a forked worker found in place: kept, never used nor closed (their SQLite)


@dataclass(frozen=True)
class DocResult:
    """One built document: its graph as zlib-compressed N-Triples and what the summary counts."""

    id: str
    hash: str
    graph: str
    nt_z: bytes
    triples: int
    events: int
    relations: int
    entities: tuple[tuple[str, bool], ...]  # (entity key, linked?)


@dataclass(frozen=True)
class DocError:
    """An article that could not be built (unsupported language, ...): ``message`` says which and why."""

    id: str
    message: str


def article_hash(article: Article) -> str:
    """Hash of everything of an article that goes into its graph (text and metadata)."""
    parts = [article.text, article.lang or "", article.url or "", str(article.published or ""), article.title or ""]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def pipeline_for(options):
    """The process's pipeline for these options, created on first use."""
    global _PIPELINE, _PIPELINE_KEY, _PIPELINE_PID
    key = (str(options.kb or ""), options.online, options.model, options.lang, options.any_lang, options.mentions)
    if _PIPELINE is not None and _PIPELINE_PID != os.getpid():
        # made by the process this one was forked from: its KB's SQLite connection is not this process's to
        # use (nor to close); the spaCy pipelines and the module-level memos are shared all the same
        _INHERITED.append(_PIPELINE)
        _PIPELINE = None
    if _PIPELINE is None or _PIPELINE_KEY != key:
        from kgbuild.pipeline import open_pipeline

        _PIPELINE = open_pipeline(options.kb, options.online, options.model, options.lang, options.any_lang,
                                  mention_mode=options.mentions)
        _PIPELINE_KEY, _PIPELINE_PID = key, os.getpid()
    return _PIPELINE


def release_pipeline() -> None:
    """Drop this process's pipeline (its KB memos with it); the next ``pipeline_for`` opens a fresh one. The
    main process of a parallel build does this with every new pool of workers, as the workers are replaced."""
    global _PIPELINE, _PIPELINE_KEY
    _PIPELINE = _PIPELINE_KEY = None


def build_chunk(articles: list[Article], options) -> list[DocResult | DocError]:
    """Build a chunk of articles (the unit of work sent to a worker process)."""
    return list(build_stream(articles, options))


def build_stream(articles: Iterable[Article], options) -> Iterator[DocResult | DocError]:
    """Build articles one after the other, spaCy's work batched with ``nlp.pipe`` over ``options.chunk``
    articles; each result comes as soon as its article is done."""
    pipeline = pipeline_for(options)
    if getattr(options, "max_seconds", None):  # a time budget per article: one article at a time
        for article in articles:
            yield _within_budget(article, pipeline, options)
        return
    pending: deque[Article] = deque()

    def remember(items: Iterable[Article]) -> Iterator[Article]:
        for article in items:
            pending.append(article)
            yield article

    for result in pipeline.process_many(remember(articles), batch_size=max(1, options.chunk), errors=True):
        yield _document(pending.popleft(), result, pipeline, options)


@dataclass(frozen=True)
class Analysed:
    """spaCy's analysis of one article, sent from a worker process to the parent, which runs the other
    stages (``finish_chunk``): the ``Doc`` as ``Doc.to_bytes`` (without the tensor, which no later stage
    reads) and its sentence starts (``Doc.from_bytes`` derives them from the arcs, where kgbuild's
    sentencizer set them: ``kgbuild.nlp.SentenceParser`` parses only some sentences)."""

    lang: str
    seconds: float
    doc: bytes
    sent_starts: bytes


def analyse_chunk(articles: list[Article], options) -> list[Analysed | DocError]:
    """spaCy's part of building a chunk of articles (the unit of work a worker does while the parent runs the
    later stages): per article its ``Analysed`` or the ``DocError`` that ended it."""
    from spacy.attrs import SENT_START

    pipeline = pipeline_for(options)
    out: list[Analysed | DocError] = []
    for article, item in zip(articles, pipeline.analyse(articles), strict=True):
        if isinstance(item, Exception):
            out.append(_document(article, item, pipeline, options))  # type: ignore[arg-type]
            continue
        out.append(Analysed(item.lang, item.seconds, item.doc.to_bytes(exclude=["tensor"]),
                            item.doc.to_array([SENT_START]).tobytes()))
    return out


def warm_up_finishing(article: Article, options) -> None:
    """Ready this process to finish chunks (``finish_chunk``) while the workers analyse the first ones: the
    pipeline opened (KB, linker, word lists) and the first few hundred characters of ``article`` built, so
    that the first results do not wait for that. The output is the same either way (the caches this fills
    are memos of pure functions)."""
    import dataclasses

    from kgbuild.lang import resolve

    pipeline = pipeline_for(options)
    try:
        lang = resolve(article.text, article.lang, pipeline.lang, allow_other=pipeline.any_lang)
    except KgbuildError:
        return
    with contextlib.suppress(Exception):
        pipeline.process(dataclasses.replace(article, text=article.text[:300], lang=lang))


def finish_chunk(articles: list[Article], analysed: list[Analysed | DocError], options
                 ) -> Iterator[DocResult | DocError]:
    """The stages after spaCy for a chunk that ``analyse_chunk`` analysed (in another process): the same
    results as ``build_chunk`` gives."""
    import numpy
    from spacy.attrs import SENT_START
    from spacy.tokens import Doc

    from kgbuild import pipeline as pipemod

    pipeline = pipeline_for(options)
    for article, item in zip(articles, analysed, strict=True):
        if isinstance(item, DocError):
            yield item
            continue
        try:
            nlp, info = pipeline.nlp_for(item.lang)
            doc = Doc(nlp.vocab).from_bytes(item.doc)
            doc.from_array([SENT_START], numpy.frombuffer(item.sent_starts, dtype="uint64").reshape(-1, 1))
            result = pipeline.finish(article, pipemod.Analysed(item.lang, info, doc, item.seconds))
        except Exception as exc:  # noqa: BLE001 - reported by _document as this article's error
            result = exc
        yield _document(article, result, pipeline, options)


def _within_budget(article: Article, pipeline, options) -> DocResult | DocError:
    """Build one article within ``options.max_seconds`` (kgbuild.lifecycle.time_limit); over it, a ``DocError``."""
    from kgbuild.lifecycle import TimeLimitExceeded, time_limit

    _warm_up(article, pipeline)
    try:
        with time_limit(options.max_seconds):
            try:
                result = pipeline.process(article)
            except Exception as exc:  # noqa: BLE001 - reported by _document as this article's error
                result = exc
            return _document(article, result, pipeline, options)
    except TimeLimitExceeded:
        return DocError(article.id, f"{article.source or article.id}: skipped: not built within --max-seconds "
                                    f"{options.max_seconds:g} ({len(article.text):,} characters)")


_WARM: set[str] = set()


def _warm_up(article: Article, pipeline) -> None:
    """Load what the first article of a language loads (spaCy model, word lists, relation catalogue) outside
    the time budget: once per process and language, the article's first few hundred characters are built."""
    import dataclasses

    from kgbuild.lang import resolve

    try:
        lang = resolve(article.text, article.lang, pipeline.lang, allow_other=pipeline.any_lang)
    except KgbuildError:
        return
    if lang in _WARM:
        return
    _WARM.add(lang)
    with contextlib.suppress(Exception):
        pipeline.process(dataclasses.replace(article, text=article.text[:300], lang=lang))


def _document(article: Article, result, pipeline, options) -> DocResult | DocError:
    """A processed article as a ``DocResult``; a ``KgbuildError`` of this article is a ``DocError``."""
    from kgbuild.rdf import document_graph
    from kgbuild.rdf.iris import document_iri

    if isinstance(result, KgbuildError):  # e.g. an unsupported language
        return DocError(article.id, f"{article.source or article.id}: {result}")
    if isinstance(result, Exception):  # one broken article must not end a corpus run
        log.error("article %s failed", article.id, exc_info=result)
        return DocError(article.id, f"{article.source or article.id}: internal error "
                                    f"({type(result).__name__}: {result})")
    try:
        # the triples go into a plain set, not an rdflib Graph: no store indexes to keep up, the same N-Triples
        triples: set = set()
        document_graph(result, options.base_iri, kb_version=getattr(pipeline.kb, "version", ""),
                       kb_snapshot=(getattr(pipeline.kb, "meta", None) or {}).get("wikidata_snapshot", ""),
                       min_confidence=options.min_confidence, graph=triples)  # type: ignore[arg-type]
        nt = "".join(sorted(nt_rows(triples))).encode("utf-8")
        check_ntriples(nt)  # a graph that would not parse back is never stored
    except KgbuildError as exc:
        return DocError(article.id, f"{article.source or article.id}: {exc}")
    except Exception as exc:  # noqa: BLE001 - one broken article must not end a corpus run
        log.error("article %s failed", article.id, exc_info=exc)
        return DocError(article.id, f"{article.source or article.id}: internal error ({type(exc).__name__}: {exc})")
    relations = sum(1 for e in result.events if e.object and e.confidence >= options.min_confidence)
    return DocResult(
        id=article.id, hash=article_hash(article), graph=document_iri(options.base_iri, article.id),
        nt_z=zlib.compress(nt, 3), triples=len(triples), events=len(result.events), relations=relations,
        entities=tuple((e.key, e.qid is not None) for e in result.entities))


_IRI_N3: dict = {}  # IRI -> its N-Triples form (the same IRIs recur in every document: predicates, classes, runs)


def nt_rows(triples) -> list[str]:
    """The N-Triples line of each triple, as rdflib's N-Triples serialiser writes it; each IRI is checked
    and written once per process, not once per triple."""
    from rdflib import Literal, URIRef
    from rdflib.plugins.serializers.nt import _quoteLiteral

    cache = _IRI_N3
    if len(cache) > 200_000:
        cache.clear()

    def n3(term) -> str:
        if type(term) is URIRef:
            key = str(term)  # a plain str: hashed and compared in C (URIRef's own __hash__/__eq__ are Python)
            text = cache.get(key)
            if text is None:
                text = cache[key] = term.n3()
            return text
        return _quoteLiteral(term) if isinstance(term, Literal) else term.n3()

    return [f"{n3(s)} {n3(p)} {n3(o)} .\n" for s, p, o in triples]


def check_ntriples(nt: bytes) -> None:
    """Raise ``GraphError`` unless ``nt`` parses as N-Triples (pyoxigraph, strict)."""
    import pyoxigraph as ox

    try:
        for _ in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as exc:
        raise GraphError(f"the graph is not valid RDF ({exc}); please report this") from None
