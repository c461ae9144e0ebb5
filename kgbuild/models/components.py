"""The spaCy components of kgbuild's text processing, shared by the built-in pipeline (``kgbuild.nlp``) and the
statistical ones (``kgbuild.models``): ``kgbuild_linebreaks`` (a line break starts a sentence) and
``kgbuild_lemmatizer`` (simplemma lemmas). Importing this module registers them with spaCy.
"""
from __future__ import annotations

import functools

import simplemma
from spacy.language import Language
from spacy.tokens import Doc


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
