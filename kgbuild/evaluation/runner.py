"""Run the pipeline over gold documents and score each one.

In: ``GoldDocument``s and anything with ``process(Article) -> DocumentResult`` (``kgbuild.pipeline.Pipeline``:
the code path of ``kgbuild build``). Out: one ``DocScore`` per document (``kgbuild.evaluation.report``
aggregates them). A document the pipeline refuses (a ``KgbuildError``, e.g. an unsupported language) counts
as one where nothing was found, and its message is kept in ``DocScore.failure``.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Protocol

from kgbuild.errors import KgbuildError, ModelError
from kgbuild.evaluation.gold import GoldDocument
from kgbuild.evaluation.score_mentions import MentionScore, predicted_mentions, score_mentions
from kgbuild.evaluation.score_relations import RelationScore, score_relations
from kgbuild.types import Article, DocumentResult

log = logging.getLogger(__name__)


class Processor(Protocol):
    def process(self, article: Article) -> DocumentResult: ...


@dataclass
class DocScore:
    doc: GoldDocument
    lang: str
    mentions: MentionScore
    relations: RelationScore | None  # None when the gold has no relations
    timings: dict
    seconds: float
    model: str = ""
    failure: str | None = None  # the KgbuildError message when the pipeline refused the document


def article_of(doc: GoldDocument, lang: str | None = None) -> Article:
    """The article kgbuild sees: the gold text, id, language and date (nothing else from the gold)."""
    return Article(id=doc.id, text=doc.text, lang=lang or doc.lang, published=doc.date, source=doc.source)


def score_document(doc: GoldDocument, result: DocumentResult, min_confidence: float = 0.5,
                   skip_demonyms: bool = False) -> DocScore:
    """Score one pipeline result against its gold document (``skip_demonyms``: see ``predicted_mentions``)."""
    mentions = score_mentions(doc, predicted_mentions(result, doc.span, skip_demonyms))
    relations = score_relations(doc, result, min_confidence) if doc.relations_annotated else None
    return DocScore(doc, doc.lang or result.lang, mentions, relations, dict(result.timings), 0.0, result.model)


def run(docs: Iterable[GoldDocument], pipeline: Processor, lang: str | None = None, min_confidence: float = 0.5,
        on_done: Callable[[DocScore], None] | None = None, skip_demonyms: bool = False) -> Iterator[DocScore]:
    """Process every gold document with ``pipeline`` and score it; ``on_done`` is called after each."""
    for doc in docs:
        t0 = time.perf_counter()
        article = article_of(doc, lang)
        try:
            result, failure = pipeline.process(article), None
        except ModelError:
            raise  # a pipeline that cannot run at all is no failure of one document
        except KgbuildError as exc:  # scored as finding nothing, and listed, rather than ending the run
            log.warning("%s: %s", doc.id, exc)
            result = DocumentResult(article, article.lang or "?", (), (), (), (), model="failed")
            failure = str(exc)
        score = score_document(doc, result, min_confidence, skip_demonyms)
        score.failure = failure
        score.seconds = time.perf_counter() - t0
        log.debug("%s: %.2fs", doc.id, score.seconds)
        if on_done is not None:
            on_done(score)
        yield score
