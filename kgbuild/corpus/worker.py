"""The worker side of a build: articles -> compact per-document results (in-process or in a worker process).

In: ``Article``s and the ``BuildOptions``. Out: a ``DocResult`` per article (N-Triples, zlib-compressed, plus
counts and entity keys; the N-Triples lines sorted, so equal graphs give equal bytes) or a ``DocError`` saying why the article was skipped. The pipeline (KB, spaCy
models) is created once per process, on the first article, and reused for every later one.
"""
from __future__ import annotations

import hashlib
import logging
import zlib
from dataclasses import dataclass
from urllib.parse import quote

from kgbuild.errors import KgbuildError
from kgbuild.types import Article

log = logging.getLogger(__name__)

_PIPELINE = None
_PIPELINE_KEY: tuple | None = None


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


def graph_iri(base: str, doc_id: str) -> str:
    """The IRI of a document's node and of its named graph (as the RDF writer mints it)."""
    return f"{base}doc/{quote(doc_id, safe='-_.')}"


def article_hash(article: Article) -> str:
    """Hash of everything of an article that goes into its graph (text and metadata)."""
    parts = [article.text, article.lang or "", article.url or "", str(article.published or ""), article.title or ""]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def pipeline_for(options):
    """The process's pipeline for these options, created on first use."""
    global _PIPELINE, _PIPELINE_KEY
    key = (str(options.kb or ""), options.online, options.model, options.lang, options.any_lang, options.mentions)
    if _PIPELINE is None or _PIPELINE_KEY != key:
        from kgbuild.pipeline import open_pipeline

        _PIPELINE = open_pipeline(options.kb, options.online, options.model, options.lang, options.any_lang,
                                  mention_mode=options.mentions)
        _PIPELINE_KEY = key
    return _PIPELINE


def build_one(article: Article, options) -> DocResult | DocError:
    """Process one article with the process's pipeline; a ``KgbuildError`` of this article is a ``DocError``."""
    from kgbuild.rdf import document_graph

    pipeline = pipeline_for(options)
    try:
        result = pipeline.process(article)
    except KgbuildError as exc:  # e.g. an unsupported language
        return DocError(article.id, f"{article.source or article.id}: {exc}")
    except Exception as exc:  # noqa: BLE001 - one broken article must not end a corpus run
        log.exception("article %s failed", article.id)
        return DocError(article.id, f"{article.source or article.id}: internal error ({type(exc).__name__}: {exc})")
    graph = document_graph(result, options.base_iri, kb_version=getattr(pipeline.kb, "version", ""),
                           min_confidence=options.min_confidence)
    lines = sorted(line for line in graph.serialize(format="nt", encoding="utf-8").splitlines() if line.strip())
    nt = b"\n".join(lines) + b"\n"
    relations = sum(1 for e in result.events if e.object and e.confidence >= options.min_confidence)
    return DocResult(
        id=article.id, hash=article_hash(article), graph=graph_iri(options.base_iri, article.id),
        nt_z=zlib.compress(nt, 3), triples=len(graph), events=len(result.events), relations=relations,
        entities=tuple((e.key, e.qid is not None) for e in result.entities))


def build_chunk(articles: list[Article], options) -> list[DocResult | DocError]:
    """``build_one`` for each article of a chunk (the unit of work sent to a worker process)."""
    return [build_one(a, options) for a in articles]
