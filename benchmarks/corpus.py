"""Benchmark corpora: news-length articles from the examples and the English ELEVANT benchmark texts.

In: the repository's ``examples/*.txt``, the English ``/work/shared/data/elevant-benchmarks/*.benchmark.jsonl``
texts and, for German volume, the sentences of GermEval 2014 test (CC BY 4.0, news and Wikipedia)
(third-party texts: internal measurement only, written to a temporary folder, never committed or shipped).
Out: ``write_corpus(n, folder)`` -> ``n`` article files (``.de.txt`` / ``.en.txt``), deterministic for a seed.
ELEVANT documents are short (KORE50: one sentence), so consecutive ones are joined into articles of
150-350 words; each repetition of the pool uses a different seeded grouping, so no two articles are equal.
"""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED_DATA = Path(os.environ.get("KGBUILD_SHARED_DATA") or Path(__file__).resolve().parent.parent.parent / "shared" / "data")
ELEVANT = SHARED_DATA / "elevant-benchmarks"
GERMEVAL = SHARED_DATA / "germeval2014_ner" / "NER-de-test.tsv"
_NO_SPACE_BEFORE = (".", ",", ";", ":", "!", "?", ")", "'")
MIN_WORDS, MAX_WORDS = 150, 350


def example_articles() -> list[tuple[str, str]]:
    """(lang, text) of every example article."""
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        lang = path.suffixes[-2].lstrip(".") if len(path.suffixes) >= 2 else "en"
        out.append((lang, path.read_text(encoding="utf-8")))
    return out


def elevant_texts(folder: Path = ELEVANT) -> list[str]:
    texts = []
    for path in sorted(folder.glob("*.benchmark.jsonl")):
        with path.open(encoding="utf-8") as fh:
            texts.extend(json.loads(line)["text"].strip() for line in fh if line.strip())
    return [t for t in texts if t]


def germeval_sentences(path: Path = GERMEVAL, limit: int = 3000) -> list[str]:
    """Detokenised German sentences (tokens joined, no space before punctuation)."""
    sentences: list[str] = []
    tokens: list[str] = []
    if not path.is_file():
        return sentences
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "#" or not line.strip():
                if tokens:
                    sentences.append(_detok(tokens))
                    tokens = []
                if len(sentences) >= limit:
                    break
            elif len(cols) >= 2:
                tokens.append(cols[1])
    if tokens:
        sentences.append(_detok(tokens))
    return sentences


def json_objects(path: Path) -> list:
    """The JSON values written back to back (pretty-printed, not one per line) in a gzip file, as SmartData's."""
    import gzip

    raw = gzip.open(path, "rt", encoding="utf-8").read()
    decoder, pos, out = json.JSONDecoder(), 0, []
    while True:
        while pos < len(raw) and raw[pos].isspace():
            pos += 1
        if pos >= len(raw):
            return out
        value, pos = decoder.raw_decode(raw, pos)
        out.append(value)


def _detok(tokens: list[str]) -> str:
    out = ""
    for tok in tokens:
        out += tok if (not out or tok.startswith(_NO_SPACE_BEFORE) or out.endswith("(")) else " " + tok
    return out


def group_texts(texts: list[str], rng: random.Random) -> list[str]:
    """Shuffle and join short texts into articles of MIN_WORDS..MAX_WORDS words (paragraph per text)."""
    order = texts[:]
    rng.shuffle(order)
    articles, current, words = [], [], 0
    for text in order:
        n = len(text.split())
        if current and words + n > MAX_WORDS:
            articles.append("\n\n".join(current))
            current, words = [], 0
        current.append(text)
        words += n
        if words >= MIN_WORDS:
            articles.append("\n\n".join(current))
            current, words = [], 0
    return articles


def articles(n: int, seed: int = 4) -> list[tuple[str, str]]:
    """``n`` (lang, text) articles: the examples first, then English (ELEVANT) and German (GermEval)
    groupings interleaved, repeated with new seeds."""
    pool = example_articles()
    base, german = elevant_texts(), germeval_sentences()
    out: list[tuple[str, str]] = []
    round_ = 0
    while len(out) < n:
        rng = random.Random(seed + round_)
        out.extend(pool)
        en, de = group_texts(base, rng), group_texts(german, rng)
        for i, text in enumerate(en):  # as many German as English articles per round
            out.append(("en", text))
            if i < len(de):
                out.append(("de", de[i]))
        round_ += 1
    return out[:n]


def write_corpus(n: int, folder: Path, seed: int = 4) -> list[Path]:
    """Write ``n`` articles as ``a00001.de.txt`` ... into ``folder``; returns the paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (lang, text) in enumerate(articles(n, seed), 1):
        path = folder / f"a{i:05d}.{lang}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
