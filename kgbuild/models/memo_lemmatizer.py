"""A memoised spaCy rule ``lemmatizer``: the same lemmas, without a Python ``Token`` per token.

spaCy's ``Lemmatizer`` in ``rule`` mode already keeps every lemma it computed under the token's (ORTH, POS,
MORPH) and returns that thereafter; what costs is its loop (a ``Token`` object, two attribute reads and a
string write per token). ``MemoLemmatizer`` reads ORTH, POS, MORPH and LEMMA of a whole document with one
``Doc.to_array``, looks the key up in its own table (filled with what the real lemmatizer returns the first
time it sees a key: the value spaCy's cache would give from then on) and writes all lemmas back with one
``Doc.from_array``; the lists of its ``lemma_index`` table answer ``in`` from a set (``index_as_sets``).
Tokens that already have a lemma keep it (unless the lemmatizer overwrites). Modes other
than ``rule`` and ``lookup`` (whose lemma depends on the text alone) leave the real lemmatizer in place.
``tests/test_memo_lemmatizer.py`` compares both on real text.
"""
from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

#: cap of the table (keys); past it, it starts again
MAX_KEYS = 500_000


class MemoLemmatizer:
    """Wraps a spaCy ``Lemmatizer`` (``rule`` or ``lookup`` mode); see the module docstring."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.name = getattr(lemmatizer, "name", "lemmatizer")
        self._table: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return self.lemmatizer(doc)
        lemmatizer = self.lemmatizer
        if not lemmatizer._validated:
            return lemmatizer(doc)  # the real one validates its tables (and raises as spaCy does)
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = values[:, 3].copy()
        table = self._table
        overwrite = lemmatizer.overwrite
        strings = doc.vocab.strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(values.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = table.get(key)
            if found is None:
                found = strings.add(lemmatizer.lemmatize(doc[i])[0])
                if len(table) >= MAX_KEYS:
                    table.clear()
                table[key] = found
            lemmas[i] = found
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas.reshape(-1, 1).astype(numpy.uint64))
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    # the rest is the real lemmatizer's (saving, loading, initialising, scoring)
    def __getattr__(self, name):
        if name == "lemmatizer":  # not set yet (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.lemmatizer, name)


class _IndexList(list):
    """A list of spaCy's ``lemma_index`` table that answers ``in`` from a set (the same answers): spaCy's rule
    lemmatizer asks ``form in index`` for every rule that fits a word, and the English index lists hold up to
    57k words, so each new (word, POS, morphology) cost ~0.1 ms. Still a list for everything else (saving)."""

    def __init__(self, items) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item) -> bool:
        return item in self._members


def index_as_sets(lemmatizer: Lemmatizer) -> int:
    """Make the lists of the ``lemma_index`` table of a rule ``lemmatizer`` answer ``in`` from a set; returns
    how many lists (a table that is absent, or not of lists of strings, is left alone)."""
    if getattr(lemmatizer, "mode", None) != "rule":
        return 0
    try:
        table = lemmatizer.lookups.get_table("lemma_index")
    except (KeyError, ValueError):
        return 0
    n = 0
    for key, words in list(table.items()):
        if type(words) is list and all(isinstance(w, str) for w in words):
            table[key] = _IndexList(words)
            n += 1
    return n


def memoise_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Replace the ``lemmatizer`` of ``nlp`` by a ``MemoLemmatizer`` around it (same name, same place);
    False, and the pipeline unchanged, when there is none or its mode is not ``rule`` or ``lookup``."""
    if name not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(name)
    if isinstance(lemmatizer, MemoLemmatizer):
        return True
    if type(lemmatizer).__call__ is not Lemmatizer.__call__ or getattr(lemmatizer, "mode", None) not in ("rule", "lookup"):
        return False
    index_as_sets(lemmatizer)
    index = [n for n, _ in nlp._components].index(name)  # disabled components count too
    nlp._components[index] = (name, MemoLemmatizer(lemmatizer))
    nlp._link_components()
    return True
