"""NLP: text -> spaCy ``Doc`` with sentences and lemmas (and NER / parse when a statistical model is used).

The built-in pipeline needs no downloaded model: spaCy's tokenizer for the language, sentence boundaries
(punctuation and line breaks), and simplemma lemmas. When a statistical pipeline is installed (an official
spaCy model, or kgbuild's own German one from ``kgbuild.models``) it is used instead, with the line-break
sentence splitter in front and simplemma filling lemmas it leaves empty; its ``attribute_ruler`` (if any) is
replaced by a memoised one that gives the same annotations (``kgbuild.models.memo_ruler``).
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import spacy
from spacy.language import Language

from kgbuild.errors import ModelError

# registers kgbuild_linebreaks and kgbuild_lemmatizer (re-exported: the entry points of older installs name them here)
from kgbuild.models.components import linebreak_boundaries, make_lemmatizer  # noqa: F401
from kgbuild.models.memo_ruler import memoise_attribute_ruler

log = logging.getLogger(__name__)


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
    nlp.add_pipe("kgbuild_long_sentences")
    if lang in LEMMA_LANGS:
        nlp.add_pipe("kgbuild_lemmatizer")
    return _allow_long_texts(nlp)


def _allow_long_texts(nlp: Language) -> Language:
    """spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters); kgbuild reads articles up to
    ``kgbuild.read.MAX_BYTES`` and bounds the work per sentence instead (``kgbuild_long_sentences``)."""
    from kgbuild.read import MAX_BYTES

    nlp.max_length = max(nlp.max_length, MAX_BYTES + 1)
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
    if "kgbuild_long_sentences" not in nlp.pipe_names:
        nlp.add_pipe("kgbuild_long_sentences", after="sentencizer")
    # the same POS, morphology and lemmas as spaCy's attribute_ruler, looked up instead of matched per token
    memoise_attribute_ruler(nlp)
    return _allow_long_texts(nlp)


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
