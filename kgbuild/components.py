"""spaCy components: kgbuild's stages as factories for anyone's spaCy pipeline.

    nlp = spacy.blank("de")            # or any statistical pipeline
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kgbuild_mentions")   # KB spotting + person rules (+ the pipeline's NER) -> doc._.kgbuild_mentions
    nlp.add_pipe("kgbuild_linker")     # -> linked mentions, doc._.kgbuild_entities, doc.spans["kgbuild"] (kb_id_ = QID)
    nlp.add_pipe("kgbuild_relations")  # -> doc._.kgbuild_events (visits, meets, signs ..., holdsPositionIn, says)

The factories are published under the ``spacy_factories`` entry point. Each takes ``kb_path`` (default: the
bundled KB, or $KGBUILD_KB) and ``lang`` (default: the pipeline's language).
"""
from __future__ import annotations

import datetime as dt
import functools

from spacy.language import Language
from spacy.tokens import Doc

from kgbuild.linking import link
from kgbuild.mentions import find_mentions, sentences_of
from kgbuild.relations import extract_events

for _name in ("kgbuild_sentences", "kgbuild_mentions", "kgbuild_entities", "kgbuild_events", "kgbuild_published"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@functools.lru_cache(maxsize=4)
def _kb(kb_path: str | None):
    from kgbuild.kb import open_kb

    return open_kb(kb_path or None)


class MentionSpotter:
    def __init__(self, nlp: Language, kb_path: str | None, lang: str | None) -> None:
        self.kb_path, self.lang = kb_path, lang or nlp.lang

    def __call__(self, doc: Doc) -> Doc:
        sentences = sentences_of(doc)
        doc._.kgbuild_sentences = sentences
        doc._.kgbuild_mentions = find_mentions(doc, _kb(self.kb_path), self.lang, sentences,
                                               use_ner=doc.has_annotation("ENT_IOB"))
        return doc


class Linker:
    def __init__(self, nlp: Language, kb_path: str | None, lang: str | None) -> None:
        self.kb_path, self.lang = kb_path, lang or nlp.lang

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc._.kgbuild_mentions
        if mentions is None:
            raise ValueError("kgbuild_linker needs kgbuild_mentions before it in the pipeline")
        linked, entities = link(mentions, _kb(self.kb_path), self.lang, text=doc.text,
                                published=doc._.kgbuild_published)
        doc._.kgbuild_mentions = linked
        doc._.kgbuild_entities = entities
        spans = []
        for m in linked:
            span = doc.char_span(m.start, m.end, label=m.type, kb_id=m.entity_key or "", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["kgbuild"] = spans
        return doc


class RelationExtractor:
    def __init__(self, nlp: Language, lang: str | None) -> None:
        self.lang = lang or nlp.lang

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc._.kgbuild_mentions
        if mentions is None or doc._.kgbuild_entities is None:
            raise ValueError("kgbuild_relations needs kgbuild_mentions and kgbuild_linker before it")
        published: dt.date | None = doc._.kgbuild_published
        doc._.kgbuild_events = extract_events(doc, doc._.kgbuild_sentences, mentions, self.lang, published)
        return doc


@Language.factory("kgbuild_mentions", default_config={"kb_path": None, "lang": None},
                  assigns=["doc._.kgbuild_mentions", "doc._.kgbuild_sentences"])
def make_mention_spotter(nlp: Language, name: str, kb_path: str | None, lang: str | None) -> MentionSpotter:
    return MentionSpotter(nlp, kb_path, lang)


@Language.factory("kgbuild_linker", default_config={"kb_path": None, "lang": None},
                  requires=["doc._.kgbuild_mentions"], assigns=["doc._.kgbuild_entities", "doc.spans"])
def make_linker(nlp: Language, name: str, kb_path: str | None, lang: str | None) -> Linker:
    return Linker(nlp, kb_path, lang)


@Language.factory("kgbuild_relations", default_config={"lang": None},
                  requires=["doc._.kgbuild_mentions", "doc._.kgbuild_entities"], assigns=["doc._.kgbuild_events"])
def make_relation_extractor(nlp: Language, name: str, lang: str | None) -> RelationExtractor:
    return RelationExtractor(nlp, lang)
