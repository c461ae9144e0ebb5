"""``kgbuild.name_swap.v1``: a spaCy training augmenter that swaps entity names between training sentences.

Mention replacement (Dai & Adel 2020, "An Analysis of Simple Data Augmentation for Named Entity
Recognition"): with probability ``level`` a training sentence is also given once more with each of its
entities replaced by another entity of the same type from the training corpus itself ("Merkel" -> "Joachim
Gauck", "Bundestag" -> "FC Bayern"). The model sees the same contexts with more names, and the names stay
those of the training data (no name list is added, so the gazetteer feature is not favoured). Used only
in training (``[corpora.train.augmenter]``); nothing here runs at inference time.
"""
from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import registry


def _entity_pool(path: Path, vocab) -> dict[str, list[tuple[str, ...]]]:
    pool: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    files = sorted(path.glob("*.spacy")) if path.is_dir() else [path]
    for f in files:
        for doc in DocBin().from_disk(f).get_docs(vocab):
            for ent in doc.ents:
                pool[ent.label_].add(tuple(t.text for t in ent))
    return {label: sorted(names) for label, names in pool.items()}


def swap_names(ref: Doc, pool: dict[str, list[tuple[str, ...]]], rng: random.Random) -> Doc | None:
    """A copy of ``ref`` with every entity replaced by a random name of its type (None: nothing to swap)."""
    if not ref.ents:
        return None
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str | None] = []
    i = 0
    for ent in ref.ents:
        for tok in ref[i:ent.start]:
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))
            tags.append(tok.ent_iob_ and ("O" if tok.ent_iob_ == "O" else None))
        names = pool.get(ent.label_)
        new = rng.choice(names) if names else tuple(t.text for t in ent)
        for j, word in enumerate(new):
            words.append(word)
            spaces.append(True if j < len(new) - 1 else bool(ent[-1].whitespace_))
            tags.append(("B-" if j == 0 else "I-") + ent.label_)
        i = ent.end
    for tok in ref[i:]:
        words.append(tok.text)
        spaces.append(bool(tok.whitespace_))
        tags.append(tok.ent_iob_ and ("O" if tok.ent_iob_ == "O" else None))
    tags = [t if t else None for t in tags]
    return Doc(ref.vocab, words=words, spaces=spaces, ents=tags)


@registry.augmenters("kgbuild.name_swap.v1")
def create_name_swap(corpus: str, level: float = 0.5, seed: int = 0) -> Callable[[Language, Example], Iterator[Example]]:
    """Yield each example, and with probability ``level`` a copy whose entities are swapped (see module doc)."""
    rng = random.Random(seed)
    state: dict[str, dict] = {}

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        if rng.random() >= level:
            return
        if "pool" not in state:
            state["pool"] = _entity_pool(Path(corpus), nlp.vocab)
        doc = swap_names(example.reference, state["pool"], rng)
        if doc is not None:
            yield Example(nlp.make_doc(doc.text), doc)

    return augment
