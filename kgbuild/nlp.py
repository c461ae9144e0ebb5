"""NLP: text -> spaCy ``Doc`` with sentences and lemmas (and NER / parse when a statistical model is used).

The built-in pipeline needs no downloaded model: spaCy's tokenizer for the language, sentence boundaries
(punctuation and line breaks), and simplemma lemmas. When a statistical pipeline is installed (an official
spaCy model, or kgbuild's own German one from ``kgbuild.models``) it is used instead, with the line-break
sentence splitter in front and simplemma filling lemmas it leaves empty.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import simplemma
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kgbuild.errors import ModelError

log = logging.getLogger(__name__)


@Language.component("kgbuild_linebreaks", assigns=["token.is_sent_start"])
def linebreak_boundaries(doc: Doc) -> Doc:
    """A token after a line break starts a sentence (news paragraphs, headlines, datelines)."""
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text_with_ws and not token.is_space or token.is_space and "\n" in token.text:
            doc[i + 1].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=200_000)
def _lemma(word: str, lang: str) -> str:
    return simplemma.lemmatize(word, lang=lang)


@Language.factory("kgbuild_lemmatizer", assigns=["token.lemma"], default_config={"overwrite": False})
def make_lemmatizer(nlp: Language, name: str, overwrite: bool):
    lang = nlp.lang

    def lemmatize(doc: Doc) -> Doc:
        for token in doc:
            if token.is_punct or token.is_space:
                continue
            if overwrite or not token.lemma_:
                token.lemma_ = _lemma(token.text, lang)
        return doc

    return lemmatize


#: languages whose simplemma lemmas the built-in pipeline sets (the others get none)
LEMMA_LANGS = ("de", "en", "fr", "es", "it", "nl", "pl", "pt", "ru")


@dataclass(frozen=True)
class NLPInfo:
    name: str
    lang: str
    source: str  # builtin | kgbuild | official
    has_ner: bool
    has_parser: bool


def builtin_pipeline(lang: str) -> Language:
    """A blank spaCy pipeline: tokenizer + sentences + simplemma lemmas."""
    try:
        nlp = spacy.blank(lang)
    except ImportError:
        nlp = spacy.blank("xx")
    nlp.add_pipe("kgbuild_linebreaks")
    nlp.add_pipe("sentencizer")
    if lang in LEMMA_LANGS:
        nlp.add_pipe("kgbuild_lemmatizer")
    return nlp


def _prepare_statistical(nlp: Language) -> Language:
    if "kgbuild_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("kgbuild_linebreaks", first=True)
    if "kgbuild_lemmatizer" not in nlp.pipe_names and nlp.lang in ("de", "en"):
        nlp.add_pipe("kgbuild_lemmatizer", last=True)
    if "sentencizer" not in nlp.pipe_names:
        # punctuation and line breaks decide sentences; a parser trained on little data splits names apart
        # ("Juri | Uschakow") and respects boundaries that are already set
        nlp.add_pipe("sentencizer", after="kgbuild_linebreaks")
    return nlp


@functools.lru_cache(maxsize=16)
def get_pipeline(lang: str, model: str | None = None) -> tuple[Language, NLPInfo]:
    """The pipeline for ``lang``: ``model`` if named, else an installed statistical one, else the built-in.

    ``model="builtin"`` forces the built-in pipeline. Loaded once per process.
    """
    if model != "builtin":
        try:
            from kgbuild.models import load_pipeline
        except ImportError:  # pragma: no cover - models package absent in a stripped install
            load_pipeline = None
        if load_pipeline is not None:
            nlp, info = load_pipeline(lang=lang, name=model)
            if nlp is not None:
                nlp = _prepare_statistical(nlp)
                name = f"{info.name}-{info.version}" if getattr(info, "version", None) else info.name
                return nlp, NLPInfo(name, lang, info.source, "ner" in nlp.pipe_names, "parser" in nlp.pipe_names)
        elif model:
            raise ModelError(f"cannot load model {model!r}: kgbuild.models is not available")
    nlp = builtin_pipeline(lang)
    return nlp, NLPInfo(f"builtin-{lang}", lang, "builtin", False, False)
