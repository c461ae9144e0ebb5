"""The memoised lemmatizer gives token for token what spaCy's own one gives (kgbuild.models.memo_lemmatizer)."""
from __future__ import annotations

import pytest
import spacy
from test_memo_ruler import EN, english_texts

from kgbuild.models.memo_lemmatizer import MemoLemmatizer, memoise_lemmatizer


@pytest.fixture(scope="module")
def pipelines():
    pytest.importorskip(EN)
    real, memo = spacy.load(EN), spacy.load(EN)
    assert memoise_lemmatizer(memo)
    return real, memo


def test_memo_lemmatizer_replaces_the_component_in_place(pipelines):
    real, memo = pipelines
    assert memo.pipe_names == real.pipe_names
    assert isinstance(memo.get_pipe("lemmatizer"), MemoLemmatizer)
    assert memo.get_pipe("lemmatizer").mode == "rule"  # the rest is the real one's
    assert memoise_lemmatizer(memo)  # a second time: nothing more


def test_memo_lemmatizer_equals_the_real_one_token_for_token(pipelines):
    real, memo = pipelines
    texts = english_texts()
    assert len(texts) > 20
    n = 0
    for _ in range(2):  # the second time from the table
        for a, b in zip(real.pipe(texts), memo.pipe(texts), strict=True):
            assert [t.lemma_ for t in a] == [t.lemma_ for t in b]
            n += len(a)
    assert n > 5000 and memo.get_pipe("lemmatizer")._table


def test_memo_lemmatizer_keeps_lemmas_already_set_and_overwrites_when_told(pipelines):
    _, memo = pipelines
    lemmatizer = memo.get_pipe("lemmatizer")
    doc = memo("The ministers met.", disable=["lemmatizer"])
    doc[1].lemma_ = "KEPT"
    doc[2].lemma_ = ""
    lemmatizer(doc)
    assert [t.lemma_ for t in doc] == ["the", "KEPT", "meet", "."]
    lemmatizer.lemmatizer.overwrite = True
    try:
        lemmatizer(doc)
    finally:
        lemmatizer.lemmatizer.overwrite = False
    assert doc[1].lemma_ == "minister"


def test_kgbuilds_english_pipeline_uses_it():
    from kgbuild.nlp import get_pipeline

    nlp, info = get_pipeline("en")
    if info.source == "builtin":
        pytest.skip("no statistical English pipeline installed")
    assert isinstance(nlp.get_pipe("lemmatizer"), MemoLemmatizer)


def test_lemma_index_answers_from_a_set_and_is_still_the_same_table(pipelines):
    real, memo = pipelines
    mine = memo.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    theirs = real.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert len(mine) == len(theirs) >= 4
    for key, words in theirs.items():
        assert type(mine[key]) is not list and mine[key] == words  # same words, same order
        for word in [*words[:50], *words[-50:], "xyzzy", "", words[0].upper()]:
            assert (word in mine[key]) == (word in words)
    assert memo.get_pipe("lemmatizer").lookups.to_bytes() == real.get_pipe("lemmatizer").lookups.to_bytes()
