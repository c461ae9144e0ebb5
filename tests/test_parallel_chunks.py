"""How the parallel build cuts the input into chunks (``kgbuild.corpus.parallel.balanced_chunks``): the same
articles in the same order as plain chunks of ``size``, and the end of the input in chunks small enough that
the workers finish together (no timing: the chunk sizes themselves)."""
from __future__ import annotations

import random

from kgbuild.corpus.parallel import balanced_chunks, chunked
from kgbuild.read import article_from_text


def articles(n: int, seed: int = 7) -> list:
    rng = random.Random(seed)
    return [article_from_text(" ".join(["Wort"] * rng.randint(150, 350)), id=f"a{i}", lang="de") for i in range(n)]


def test_balanced_chunks_keep_every_article_in_order():
    for n in (0, 1, 5, 16, 17, 100, 240, 1000):
        items = articles(n)
        for size, jobs, ahead in ((16, 2, 128), (3, 4, 12), (1, 2, 8), (16, 2, 0)):
            chunks = list(balanced_chunks(iter(items), size, jobs, ahead))
            assert [a.id for c in chunks for a in c] == [a.id for a in items]
            assert all(1 <= len(c) <= size for c in chunks)


def test_balanced_chunks_are_full_until_the_end_is_in_sight():
    items = articles(1000)
    chunks = list(balanced_chunks(iter(items), 16, 2, 128))
    plain = list(chunked(items, 16))
    full = [len(c) for c in chunks].index(next(len(c) for c in chunks if len(c) < 16))
    assert chunks[:full] == plain[:full] and full >= (1000 - 128 - 16) // 16


def test_balanced_chunks_end_small():
    """The last chunks hold a shrinking share of what is left: the last two are one article each, and no chunk
    after the first small one has more characters than a quarter (two workers) of what was left before it."""
    items = articles(240)
    chunks = list(balanced_chunks(iter(items), 16, 2, 128))
    sizes = [len(c) for c in chunks]
    assert sizes[-2:] == [1, 1]
    left = sum(len(a.text) for a in items)
    for c in chunks:
        chars = sum(len(a.text) for a in c)
        assert len(c) == 16 or len(c) == 1 or chars <= left / 4
        left -= chars


def test_balanced_chunks_small_input_feeds_every_worker():
    """Fewer articles than one window of chunks: more chunks than workers, so that each gets some."""
    items = articles(20)
    chunks = list(balanced_chunks(iter(items), 16, 2, 128))
    assert len(chunks) >= 4 and max(len(c) for c in chunks) < 16


def test_balanced_chunks_read_lazily():
    pulled = []

    def source():
        for i, a in enumerate(articles(500)):
            pulled.append(i)
            yield a

    chunks = balanced_chunks(source(), 16, 2, 64)
    next(chunks)
    assert len(pulled) <= 64 + 2 * 16
