"""``kgbuild_gazetteer``: a name-list feature for the statistical NER (self-contained in the model folder).

In: a ``Doc``. Out: the same Doc where each token covered by a known name carries a feature string in
``token.ent_id_`` (e.g. ``"BPER|IGIVEN"``: the token begins a known person name and is a known given name).
The NER's tok2vec embeds ``ENT_ID`` next to NORM/PREFIX/SUFFIX/SHAPE, so the list informs the statistical
model (it does not decide). ``kgbuild_gazetteer_reset`` clears the feature again after the NER so that
``doc.ents`` carry no stray ids. The name list lives in the pipeline folder (``gazetteer/names.tsv``,
``name<TAB>TAG``, name tokens joined by single spaces); it never reads kgbuild's KB.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from kgbuild.files import atomic_open

FILE_NAME = "names.tsv"


class Gazetteer:
    """Longest-match lookup of lower-cased token sequences; German genitive -s is tolerated."""

    def __init__(self, name: str = "kgbuild_gazetteer", max_len: int = 6):
        self.name = name
        self.max_len = max_len
        self.entries: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.words: set[str] = set()

    def add(self, tokens: Iterable[str], tag: str) -> None:
        key = tuple(t.lower() for t in tokens)
        if key and len(key) <= self.max_len:
            self.entries[key].add(tag)
            self.words.update(key)

    def _norm(self, text: str) -> str:
        low = text.lower()
        if low not in self.words and low.endswith("s") and low[:-1] in self.words:
            return low[:-1]
        return low

    def __call__(self, doc: Doc) -> Doc:
        norms = [self._norm(t.text) for t in doc]
        feats: list[set[str]] = [set() for _ in doc]
        for i, token in enumerate(doc):
            if token.is_lower or norms[i] not in self.words:
                continue
            feats[i].update("B" + tag for tag in self.entries.get((norms[i],), ()))
            for n in range(min(self.max_len, len(doc) - i), 1, -1):  # the longest multi-token name from here
                tags = self.entries.get(tuple(norms[i:i + n]))
                if tags:
                    for j in range(i, i + n):
                        feats[j].update(("B" if j == i else "I") + tag for tag in tags)
                    break
        for token, feat in zip(doc, feats, strict=True):
            if feat:
                token.ent_id_ = "|".join(sorted(feat))
        return doc

    def initialize(self, get_examples: Callable | None = None, *, nlp: Language | None = None,
                   path: str | None = None) -> None:
        """Read ``name<TAB>TAG`` lines from ``path`` and tokenize the names with ``nlp``'s tokenizer."""
        if path is None:
            return
        self.entries.clear()
        self.words.clear()
        lines = [ln.rstrip("\n").split("\t") for ln in open(path, encoding="utf-8") if "\t" in ln]
        docs = nlp.tokenizer.pipe(name for name, _ in lines) if nlp else (n.split() for n, _ in lines)
        common = _common_lower_words(get_examples) if get_examples else set()
        for doc, (_, tag) in zip(docs, lines, strict=True):
            words = [t if isinstance(t, str) else t.text for t in doc]
            if len(words) == 1 and words[0].lower() in common:
                continue  # "Das", "Darin": a common word that also names a party or a person
            self.add(words, tag)

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with atomic_open(path / FILE_NAME, "w") as fh:
            for key in sorted(self.entries):
                for tag in sorted(self.entries[key]):
                    fh.write(f"{' '.join(key)}\t{tag}\n")

    def from_disk(self, path, exclude=()) -> "Gazetteer":
        self.entries.clear()
        self.words.clear()
        entries, words, max_len = self.entries, self.words, self.max_len
        with open(Path(path) / FILE_NAME, encoding="utf-8") as fh:
            for line in fh:  # what add() does, inlined: ~116k names are read on every load of the model
                name, _, tag = line.rstrip("\n").partition("\t")
                if tag:
                    key = tuple(name.lower().split(" "))
                    if len(key) <= max_len:
                        entries[key].add(tag)
                        words.update(key)
        return self


def _common_lower_words(get_examples: Callable, min_count: int = 2) -> set[str]:
    """Words written in lower case at least ``min_count`` times in the training texts."""
    counts: Counter[str] = Counter()
    for eg in get_examples():
        counts.update(t.text for t in eg.reference if t.is_lower)
    return {w for w, n in counts.items() if n >= min_count}


def reset_features(doc: Doc) -> Doc:
    """Clear the gazetteer feature from every token (run after the NER)."""
    for token in doc:
        if token.ent_id:
            token.ent_id = 0
    return doc


@Language.factory("kgbuild_gazetteer", assigns=["token.ent_id"], default_config={"max_len": 6})
def make_gazetteer(nlp: Language, name: str, max_len: int) -> Gazetteer:
    return Gazetteer(name, max_len)


@Language.component("kgbuild_gazetteer_reset", assigns=["token.ent_id"])
def gazetteer_reset(doc: Doc) -> Doc:
    return reset_features(doc)
