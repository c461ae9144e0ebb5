"""Linear time in the length of an article (issue 16): text without sentence punctuation (a transcript) is cut
into bounded sentences, a line longer than spaCy's default limit is processed, and the whole pipeline's
CPU time grows linearly from 10 to 40 kB (the ratio is checked, never an absolute time)."""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from kgbuild.read import article_from_text

ROOT = Path(__file__).resolve().parent.parent


def unpunctuated(size: int, seed: int = 1) -> str:
    """``size`` characters of words from an example article, without any sentence punctuation or line break."""
    words = [w.strip(".,;:!?\"'()„“”»«–-") for w in (ROOT / "examples" / "putin-nordkorea.de.txt").read_text(
        encoding="utf-8").split()]
    words = [w for w in words if w]
    rng = random.Random(seed)
    out, n = [], 0
    while n < size:
        word = rng.choice(words)
        out.append(word)
        n += len(word) + 1
    return " ".join(out)[:size]


def test_long_unpunctuated_text_is_cut_into_bounded_sentences():
    from kgbuild.models.components import MAX_SENTENCE_TOKENS
    from kgbuild.nlp import get_pipeline

    nlp, _ = get_pipeline("de", "builtin")
    doc = nlp(unpunctuated(30_000))
    lengths = [len(s) for s in doc.sents]
    assert len(lengths) > 10 and max(lengths) <= MAX_SENTENCE_TOKENS
    assert "".join(t.text_with_ws for t in doc) == doc.text  # nothing lost or moved


def test_sentences_are_cut_at_commas_when_there_are_some():
    from kgbuild.nlp import get_pipeline

    nlp, _ = get_pipeline("de", "builtin")
    words = unpunctuated(8_000).split()
    doc = nlp(", ".join(" ".join(words[i:i + 10]) for i in range(0, 600, 10)))  # one 660-token sentence
    ends = [s[-1].text for s in doc.sents][:-1]
    assert ends and sum(e == "," for e in ends) >= 0.8 * len(ends)


def test_a_line_longer_than_spacys_limit_is_processed():
    from kgbuild.nlp import get_pipeline

    nlp, _ = get_pipeline("de", "builtin")
    text = unpunctuated(1_200_000)  # spaCy's default max_length is 1,000,000 characters
    doc = nlp(text)
    assert doc.text == text and len(list(doc.sents)) > 1000


@pytest.mark.slow
def test_pipeline_time_is_linear_in_article_length():
    from kgbuild.pipeline import Pipeline

    pipeline = Pipeline(model="builtin", lang="de")
    pipeline.process(article_from_text(unpunctuated(2_000, seed=9), id="warm-up"))
    seconds = {}
    for size in (10_000, 20_000, 40_000):
        article = article_from_text(unpunctuated(size), id=f"t{size}")
        start = time.process_time()  # CPU time of this process: other load on the machine does not count
        result = pipeline.process(article)
        seconds[size] = time.process_time() - start
        assert result.sentences
    # linear: 4x the text, about 4x the time; quadratic would be 16x
    assert seconds[40_000] / seconds[10_000] < 7, seconds
    assert seconds[20_000] / seconds[10_000] < 3.5, seconds


def test_spacy_stage_is_linear_on_one_long_line():
    """Cutting sentences writes all boundaries at once: setting Token.is_sent_start one by one made the
    spaCy stage quadratic on a long line (0.02 / 0.07 / 0.27 s at 100 / 200 / 400 kB)."""
    from kgbuild.nlp import get_pipeline

    nlp, _ = get_pipeline("de", "builtin")
    nlp(unpunctuated(5_000, seed=9))
    seconds = {}
    for size in (200_000, 800_000):
        text = unpunctuated(size)
        start = time.process_time()
        nlp(text)
        seconds[size] = time.process_time() - start
    assert seconds[800_000] / max(seconds[200_000], 1e-3) < 8, seconds  # linear: 4x; quadratic: 16x
