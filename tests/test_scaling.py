"""Linear time in the length of an article (issue 16): text without sentence punctuation (a transcript) is cut
into bounded sentences and a line longer than spaCy's default limit is processed. Whether the time grows
linearly with the length is measured by ``benchmarks/bench_linearity.py``, not asserted here (no timings in
tests)."""
from __future__ import annotations

import random
from pathlib import Path

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
