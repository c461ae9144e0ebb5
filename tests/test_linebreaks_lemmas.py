"""kgbuild_linebreaks and kgbuild_lemmatizer read arrays and touch only the tokens they change: the same
sentence starts and lemmas as a walk over every token (kgbuild.models.components)."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from kgbuild.models.components import _lemma, linebreak_boundaries

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "", "\n", "a", "a\n", "\nHeadline\nBody text.  Two spaces\n\nand a paragraph.\r\nWindows line\u2028sep \t tab\n",
    "Berlin (dpa)\n– Der Text.\n \n Nach einem Leerzeichen.\n\n\n", "no break at all. Two sentences.",
    *[p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.txt"))],
]


def _walk_linebreaks(doc):
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text_with_ws and not token.is_space or token.is_space and "\n" in token.text:
            doc[i + 1].is_sent_start = True
    return doc


def _walk_lemmas(doc, lang, overwrite):
    for token in doc:
        if token.is_punct or token.is_space:
            continue
        if overwrite or not token.lemma_:
            token.lemma_ = _lemma(token.text, lang)
    return doc


@pytest.mark.parametrize("lang", ["en", "de"])
def test_linebreaks_as_a_walk_over_every_token(lang):
    nlp = spacy.blank(lang)
    assert len(TEXTS) > 8
    for text in TEXTS:
        a, b = nlp.make_doc(text), nlp.make_doc(text)
        assert [t.is_sent_start for t in linebreak_boundaries(a)] == [t.is_sent_start for t in _walk_linebreaks(b)]


@pytest.mark.parametrize("overwrite", [False, True])
def test_lemmas_as_a_walk_over_every_token(overwrite):
    nlp = spacy.blank("de")
    lemmatize = nlp.add_pipe("kgbuild_lemmatizer", config={"overwrite": overwrite})
    for text in TEXTS:
        a, b = nlp.make_doc(text), nlp.make_doc(text)
        for doc in (a, b):
            if len(doc) > 2:
                doc[1].lemma_ = "Vorher"  # one lemma set before
        assert [t.lemma_ for t in lemmatize(a)] == [t.lemma_ for t in _walk_lemmas(b, "de", overwrite)]
