"""The table of contents: one article through every stage.

``Article`` -> language -> spaCy ``Doc`` -> mentions -> linking -> relations/events -> ``DocumentResult``.
``kgbuild build``, ``kgbuild link`` and ``kgbuild eval`` all call ``Pipeline.process``; the RDF writer
(``kgbuild.rdf``) turns its result into a graph.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from kgbuild import lang as langmod
from kgbuild.errors import ModelError
from kgbuild.linking import LinkerConfig, link
from kgbuild.mentions import (
    find_mentions,
    merge,
    sentences_of,
    spot_kb,
    spot_ner,
    spot_person_rules,
    spot_repeated_surnames,
)
from kgbuild.nlp import get_pipeline
from kgbuild.relations import extract_events
from kgbuild.types import Article, DocumentResult, KnowledgeBase

log = logging.getLogger(__name__)

#: which mention sources to use: both (default), the KB spotter and rules only, or the statistical NER only
MENTION_MODES = ("combined", "rules", "ner")


@dataclass
class Pipeline:
    """Everything needed to process articles; create once, reuse for many articles.

    ``kb``: a KnowledgeBase (default: the bundled one). ``model``: a spaCy model name or path, "builtin" for the
    built-in pipeline, None to use the best installed one. ``lang``: force a language. ``any_lang``: process
    unsupported languages with the language-independent parts only (KB spotting, linking, no relations).
    """

    kb: KnowledgeBase | None = None
    model: str | None = None
    lang: str | None = None
    any_lang: bool = False
    mention_mode: str = "combined"
    linker: LinkerConfig | None = None

    def __post_init__(self) -> None:
        self.kb = self.knowledge_base
        if self.mention_mode not in MENTION_MODES:
            raise ValueError(f"mention_mode must be one of {MENTION_MODES}")

    @property
    def knowledge_base(self) -> KnowledgeBase:
        """The KB in use (``kb``, or the bundled one that ``__post_init__`` opened)."""
        if self.kb is None:
            from kgbuild.kb import open_kb

            self.kb = open_kb()
        return self.kb

    def nlp_for(self, lang: str):
        model = self.model
        if lang not in langmod.SUPPORTED and model is None:
            model = "builtin"
        return get_pipeline(lang, model)

    def process(self, article: Article) -> DocumentResult:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        lang = langmod.resolve(article.text, article.lang, self.lang, allow_other=self.any_lang)
        nlp, info = self.nlp_for(lang)
        doc = nlp(article.text)
        sentences = sentences_of(doc)
        t1 = time.perf_counter()
        timings["nlp"] = t1 - t0
        mentions = self._mentions(doc, lang, sentences, info.has_ner)
        t2 = time.perf_counter()
        timings["mentions"] = t2 - t1
        linked, entities = link(mentions, self.knowledge_base, lang, self.linker)
        t3 = time.perf_counter()
        timings["linking"] = t3 - t2
        events = extract_events(doc, sentences, linked, lang, article.published) if lang in langmod.SUPPORTED else []
        timings["relations"] = time.perf_counter() - t3
        return DocumentResult(article, lang, sentences, tuple(linked), tuple(entities), tuple(events),
                              model=info.name, timings=timings)

    def _mentions(self, doc, lang, sentences, has_ner):
        if self.mention_mode == "combined":
            return find_mentions(doc, self.knowledge_base, lang, sentences, use_ner=has_ner)
        if self.mention_mode == "ner":
            if not has_ner:
                raise ModelError(f"mentions from the NER only, but the {lang!r} pipeline has no NER component; "
                                 f"choose a statistical model with --model (see 'kgbuild info')")
            ner = spot_ner(doc, self.knowledge_base, lang, sentences) if has_ner else []
            return merge(ner, spot_repeated_surnames(doc, ner, sentences))
        base = merge(spot_kb(doc, self.knowledge_base, lang, sentences), spot_person_rules(doc, self.knowledge_base, lang, sentences))
        return merge(base, spot_repeated_surnames(doc, base, sentences))

    def process_many(self, articles: Iterable[Article]) -> Iterator[DocumentResult]:
        for article in articles:
            yield self.process(article)


def open_pipeline(kb_path: str | Path | None = None, online: bool = False, model: str | None = None,
                  lang: str | None = None, any_lang: bool = False, mention_mode: str = "combined") -> Pipeline:
    """A ``Pipeline`` over the KB file ``kb_path`` (default: the bundled KB), optionally backed by live Wikidata
    (``online``): what ``kgbuild build``, ``link`` and ``eval`` and each corpus worker process run."""
    from kgbuild.kb import open_kb

    kb = open_kb(kb_path, online=online)
    return Pipeline(kb=kb, model=model, lang=lang, any_lang=any_lang, mention_mode=mention_mode)
