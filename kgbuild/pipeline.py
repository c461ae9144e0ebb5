"""The table of contents: one article through every stage.

``Article`` -> language -> spaCy ``Doc`` -> mentions -> linking -> relations/events -> ``DocumentResult``.
``kgbuild build``, ``kgbuild link`` and ``kgbuild eval`` all call ``Pipeline.process``; the RDF writer
(``kgbuild.rdf``) turns its result into a graph.
"""
from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from kgbuild import lang as langmod
from kgbuild import lemma_cache
from kgbuild.errors import KgbuildError, ModelError
from kgbuild.linking import LinkerConfig, link
from kgbuild.mentions import (
    find_mentions,
    merge,
    refine_boundaries,
    sentences_of,
    spot_kb,
    spot_ner,
    spot_person_rules,
    spot_repeated_surnames,
)
from kgbuild.nlp import SentenceParser, get_pipeline, sentence_parser
from kgbuild.relations import extract_events, resolve_coreference
from kgbuild.relations.parse_needs import sentences_needing_parse
from kgbuild.types import Article, DocumentResult, KnowledgeBase

log = logging.getLogger(__name__)

#: which mention sources to use: both (default), the KB spotter and rules only, or the statistical NER only
MENTION_MODES = ("combined", "rules", "ner")
#: articles per ``nlp.pipe`` batch in ``Pipeline.process_many``
BATCH_SIZE = 32


@dataclass
class Pipeline:
    """Everything needed to process articles; create once, reuse for many articles.

    ``kb``: a KnowledgeBase (default: the bundled one). ``model``: a spaCy model name or path, "builtin" for the
    built-in pipeline, None to use the best installed one. ``lang``: force a language. ``any_lang``: process
    unsupported languages with the language-independent parts only (KB spotting, linking, no relations).
    ``full_parse``: run the dependency parser on every sentence, as spaCy does; by default it runs only on
    the sentences the relation extractor can read it in (``kgbuild.nlp.SentenceParser``; same results).
    """

    kb: KnowledgeBase | None = None
    model: str | None = None
    lang: str | None = None
    any_lang: bool = False
    mention_mode: str = "combined"
    linker: LinkerConfig | None = None
    full_parse: bool = False

    def __post_init__(self) -> None:
        lemma_cache.install()  # simplemma's dictionaries from kgbuild's cache: cold start (issue 15)
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
        return nlp_for_language(lang, self.model)

    def sentence_parser(self, lang: str) -> SentenceParser | None:
        """The parser run afterwards on the sentences that need it (None: the whole pipeline runs at once)."""
        if self.full_parse:
            return None
        return sentence_parser(lang, "builtin" if lang not in langmod.SUPPORTED and self.model is None else self.model)

    def process(self, article: Article) -> DocumentResult:
        t0 = time.perf_counter()
        lang, nlp, info = self._prepare(article)
        deferred = self.sentence_parser(lang)
        doc = nlp(article.text, disable=deferred.disable) if deferred is not None else nlp(article.text)
        if deferred is not None:
            parse_where_needed(deferred, lang, [doc])
        return self._finish(article, lang, info, doc, time.perf_counter() - t0)

    def _prepare(self, article: Article):
        lang = langmod.resolve(article.text, article.lang, self.lang, allow_other=self.any_lang)
        nlp, info = self.nlp_for(lang)
        return lang, nlp, info

    def _finish(self, article: Article, lang: str, info, doc, nlp_seconds: float) -> DocumentResult:
        """Every stage after spaCy, for one article whose ``doc`` is ready."""
        timings: dict[str, float] = {}
        t1 = time.perf_counter()
        sentences = sentences_of(doc)
        timings["nlp"] = nlp_seconds + time.perf_counter() - t1
        t1 = time.perf_counter()
        mentions = self._mentions(doc, lang, sentences, info.has_ner)
        t2 = time.perf_counter()
        timings["mentions"] = t2 - t1
        linked, entities = link(mentions, self.knowledge_base, lang, self.linker, text=article.text,
                                published=article.published)
        t3 = time.perf_counter()
        timings["linking"] = t3 - t2
        if lang in langmod.SUPPORTED:  # pronouns, role nouns and metonyms join the mentions of their antecedents
            linked = sorted([*linked, *resolve_coreference(doc, sentences, linked, lang, self.kb)],
                            key=lambda m: (m.start, m.end))
            events = extract_events(doc, sentences, linked, lang, article.published, kb=self.kb)
        else:
            events = []
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
            return refine_boundaries(doc, merge(ner, spot_repeated_surnames(doc, ner, sentences)),
                                     self.knowledge_base, lang)
        base = merge(spot_kb(doc, self.knowledge_base, lang, sentences), spot_person_rules(doc, self.knowledge_base, lang, sentences))
        return refine_boundaries(doc, merge(base, spot_repeated_surnames(doc, base, sentences)),
                                 self.knowledge_base, lang)

    def process_many(self, articles: Iterable[Article], batch_size: int = BATCH_SIZE,
                     errors: bool = False) -> Iterator[DocumentResult | Exception]:
        """``process`` for many articles, in input order, with spaCy's ``nlp.pipe`` over batches of up to
        ``batch_size`` articles of one language (the same analyses as one ``nlp(text)`` call each, faster).

        With ``errors=True`` an article that fails yields its exception instead of ending the iteration.
        """
        it = iter(articles)
        while batch := list(itertools.islice(it, max(1, batch_size))):
            for item in self._batch(batch):
                if isinstance(item, Exception) and not errors:
                    raise item
                yield item

    def _batch(self, batch: list[Article]) -> Iterator[DocumentResult | Exception]:
        """spaCy over the whole batch first (one ``nlp.pipe`` per language), then the other stages article by
        article, each result yielded as soon as it is done."""
        for article, item in zip(batch, self.analyse(batch), strict=True):
            yield item if isinstance(item, Exception) else self.finish(article, item)

    def analyse(self, batch: list[Article]) -> list[Analysed | Exception]:
        """spaCy's part of ``process`` for a batch of articles (one ``nlp.pipe`` per language): per article its
        ``Analysed`` (the ``Doc``, ready for ``finish``) or the exception that stopped it. Corpus workers run
        this half and send the documents on (``kgbuild.corpus.worker``)."""
        prepared: list[tuple | Exception] = []
        groups: dict[int, tuple] = {}  # id(nlp) -> (nlp, [index in batch])
        for i, article in enumerate(batch):
            try:
                lang, nlp, info = self._prepare(article)
            except Exception as exc:  # noqa: BLE001 - reported per article
                prepared.append(exc)
                continue
            prepared.append((lang, info))
            groups.setdefault(id(nlp), (nlp, []))[1].append(i)
        docs: dict[int, tuple] = {}  # index in batch -> (doc, nlp seconds) or (exception, 0)
        for nlp, members in groups.values():
            texts = [batch[i].text for i in members]
            deferred = self.sentence_parser(prepared[members[0]][0])
            disable = deferred.disable if deferred is not None else []
            t0 = time.perf_counter()
            try:
                piped = list(nlp.pipe(texts, batch_size=len(texts), disable=disable))
                if deferred is not None:
                    parse_where_needed(deferred, prepared[members[0]][0], piped)
            except Exception:  # noqa: BLE001 - find the article that breaks spaCy: one at a time
                piped = None
            seconds = time.perf_counter() - t0
            total = sum(len(t) for t in texts) or 1
            for k, i in enumerate(members):
                if piped is not None:
                    docs[i] = (piped[k], seconds * len(texts[k]) / total)
                    continue
                t0 = time.perf_counter()
                try:
                    doc = nlp(texts[k], disable=disable)
                    if deferred is not None:
                        parse_where_needed(deferred, prepared[i][0], [doc])
                    docs[i] = (doc, time.perf_counter() - t0)
                except Exception as exc:  # noqa: BLE001 - reported per article
                    docs[i] = (exc, 0.0)
        out: list[Analysed | Exception] = []
        for i, item in enumerate(prepared):
            if isinstance(item, Exception):
                out.append(item)
                continue
            doc, seconds = docs.pop(i)
            out.append(doc if isinstance(doc, Exception) else Analysed(item[0], item[1], doc, seconds))
        return out

    def finish(self, article: Article, analysed: Analysed) -> DocumentResult | Exception:
        """Every stage after spaCy for ``article`` and its ``analyse`` result (an exception is returned)."""
        try:
            return self._finish(article, analysed.lang, analysed.info, analysed.doc, analysed.seconds)
        except Exception as exc:  # noqa: BLE001 - reported per article
            return exc


@dataclass
class Analysed:
    """What ``Pipeline.analyse`` made of one article: its language, the pipeline's ``NLPInfo``, the ``Doc`` and
    the seconds spaCy took for it."""

    lang: str
    info: object
    doc: object
    seconds: float


def parse_where_needed(deferred: SentenceParser, lang: str, docs: list) -> None:
    """Run ``deferred`` (the pipeline's parser, left out of the first pass) on the sentences of ``docs`` that
    the relation extractor can read it in: none for a language kgbuild extracts no relations for."""
    if lang in langmod.SUPPORTED:
        deferred.parse_many([(doc, sentences_needing_parse(doc, lang, deferred.pos_from_parse)) for doc in docs])


def nlp_for_language(lang: str, model: str | None = None):
    """(spaCy pipeline, NLPInfo) for ``lang``: ``model``, else the built-in pipeline for a language kgbuild
    does not support, else the best installed one (loaded once per process)."""
    if lang not in langmod.SUPPORTED and model is None:
        model = "builtin"
    return get_pipeline(lang, model)


def preload_languages(articles: Iterable[Article], model: str | None = None, lang: str | None = None,
                      any_lang: bool = False) -> set[str]:
    """Load the spaCy pipelines of the languages of ``articles`` into this process (e.g. before worker
    processes are forked from it); returns the languages. Articles whose language is refused are passed over."""
    langs = set()
    for article in articles:
        try:
            langs.add(langmod.resolve(article.text, article.lang, lang, allow_other=any_lang))
        except KgbuildError:
            continue
    for code in sorted(langs):
        nlp_for_language(code, model)
        _load_lemma_dictionary(code)
    return langs


def _load_lemma_dictionary(lang: str) -> None:
    """simplemma's dictionary of ``lang`` (German lemmas, English known words: ~1 s / 0.3 s to decode), loaded
    here so that worker processes forked from this one share it instead of each decoding its own."""
    import simplemma

    try:
        simplemma.is_known("the", lang=lang)
    except ValueError:  # a language simplemma does not know
        pass
    lemma_cache.load_whole(lang)  # not just its index (kgbuild.lemma_cache): the workers share it


def open_pipeline(kb_path: str | Path | None = None, online: bool = False, model: str | None = None,
                  lang: str | None = None, any_lang: bool = False, mention_mode: str = "combined") -> Pipeline:
    """A ``Pipeline`` over the KB file ``kb_path`` (default: the bundled KB), optionally backed by live Wikidata
    (``online``): what ``kgbuild build``, ``link`` and ``eval`` and each corpus worker process run."""
    from kgbuild.kb import open_kb

    kb = open_kb(kb_path, online=online)
    return Pipeline(kb=kb, model=model, lang=lang, any_lang=any_lang, mention_mode=mention_mode)
