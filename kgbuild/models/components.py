"""The spaCy components of kgbuild's text processing, shared by the built-in pipeline (``kgbuild.nlp``) and the
statistical ones (``kgbuild.models``): ``kgbuild_linebreaks`` (a line break starts a sentence) and
``kgbuild_lemmatizer`` (simplemma lemmas). Importing this module registers them with spaCy.
"""
from __future__ import annotations

import functools
import re

import numpy
import simplemma
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kgbuild_linebreaks", assigns=["token.is_sent_start"])
def linebreak_boundaries(doc: Doc) -> Doc:
    """A token after a line break starts a sentence (news paragraphs, headlines, datelines). Only the tokens
    whose text (with its trailing space) holds a line break are looked at, found from the text's line breaks and
    the tokens' offsets."""
    n = len(doc)
    if n < 2:
        return doc
    text = doc.text
    if "\n" not in text:
        return doc
    starts = doc.to_array(IDX)
    breaks = [m.start() for m in _NEWLINE.finditer(text)]
    for i in sorted(set((numpy.searchsorted(starts, breaks, side="right") - 1).tolist())):
        token = doc[i]
        if i < n - 1 and ("\n" in token.text_with_ws and not token.is_space or token.is_space and "\n" in token.text):
            doc[i + 1].is_sent_start = True
    return doc


_NEWLINE = re.compile("\n")


#: a sentence longer than this (text without sentence punctuation: transcripts, lists, OCR) is cut, so that
#: every later stage works on bounded sentences and stays linear in the length of the article
MAX_SENTENCE_TOKENS = 150
_SOFT_BREAKS = {",", ";", ":", "–", "—", "-", "|", "•"}


@Language.component("kgbuild_long_sentences", assigns=["token.is_sent_start"])
def bound_sentences(doc: Doc) -> Doc:
    """Cut every sentence longer than ``MAX_SENTENCE_TOKENS`` tokens: after the last comma, semicolon, colon
    or dash in the second half of the allowed length, else at the length itself. One pass over an array of
    sentence starts, written back at once (setting ``Token.is_sent_start`` one by one costs a pass each)."""
    from spacy.attrs import SENT_START

    limit, n = MAX_SENTENCE_TOKENS, len(doc)
    if n <= limit:
        return doc
    starts = doc.to_array([SENT_START])
    cuts = []
    start = 0
    for i in range(1, n + 1):
        if i < n and starts[i] != 1:
            continue
        while i - start > limit:
            cut = start + limit
            for j in range(start + limit, start + limit // 2, -1):
                if doc[j - 1].text in _SOFT_BREAKS:
                    cut = j
                    break
            cuts.append(cut)
            start = cut
        start = i
    if cuts:
        starts[cuts] = 1
        doc.from_array([SENT_START], starts)
    return doc


@functools.lru_cache(maxsize=200_000)
def _lemma(word: str, lang: str) -> str:
    return simplemma.lemmatize(word, lang=lang)


@Language.factory("kgbuild_lemmatizer", assigns=["token.lemma"], default_config={"overwrite": False})
def make_lemmatizer(nlp: Language, name: str, overwrite: bool):
    lang = nlp.lang

    def lemmatize(doc: Doc) -> Doc:
        if not len(doc):
            return doc
        values = doc.to_array([LEMMA, IS_PUNCT, IS_SPACE])
        todo = (values[:, 1] == 0) & (values[:, 2] == 0)  # neither punctuation nor white space
        if not overwrite:
            todo &= values[:, 0] == 0  # no lemma yet
        for i in numpy.flatnonzero(todo).tolist():
            token = doc[i]
            token.lemma_ = _lemma(token.text, lang)
        return doc

    return lemmatize
