"""A memoised spaCy ``attribute_ruler``: the same POS, morphology and lemmas, without matching every token.

spaCy's ``attribute_ruler`` (in ``en_core_web_sm``: 179 patterns, the tag map and a few exceptions) runs its
``Matcher`` over every token of every document; that is about a sixth of the English pipeline's time. What
it writes on a token depends only on the attributes its patterns test (here TAG, LOWER, DEP, IS_SPACE) of
that token and of its neighbours within the longest pattern, and on the values the token had before. So:

- each token gets a key: the classes of the tested attribute values of itself and its neighbours (a value
  that no pattern names, and that no pattern regex tells apart from other such values, falls into one
  class), plus its own values before the ruler of every attribute a pattern writes (TAG, DEP, POS, MORPH,
  LEMMA);
- a key seen before gets the values the real ruler gave it then (one ``Doc.from_array``);
- a document with a key not seen before goes through the real ruler; every one of its tokens then teaches
  the table.

Patterns the key can't describe (quantifiers, other predicates, extension attributes, a pattern that writes
anything but TAG, DEP, POS, MORPH or LEMMA) leave the real ruler in place: ``memoise_attribute_ruler`` says so.
``tests/test_memo_ruler.py`` compares both on real text.
"""
from __future__ import annotations

import logging
import re

import numpy
from spacy.attrs import IDS
from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)

#: what a memoised pattern may write on a token (token attributes that ``Doc.from_array`` sets one for one)
_WRITES = ("TAG", "DEP", "POS", "MORPH", "LEMMA")
#: predicates of a token pattern that the key describes exactly: a value, or a dict of these
_PREDICATES = {"IN", "NOT_IN", "REGEX"}
#: tested attributes that a token's text decides (a copy of the token has them); the others a pattern may
#: test are copied over: the ones the ruler may write
_LEXICAL = {"ORTH", "TEXT", "LOWER", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE",
            "IS_PUNCT", "IS_SPACE", "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL"}
#: cap of the table (keys); past it, documents with new keys go through the real ruler without teaching it
MAX_KEYS = 500_000


class _Attr:
    """One tested token attribute: the values patterns name, and the regexes they test it with."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.id = IDS[name]
        self.flag = name.startswith(("IS_", "LIKE_"))  # a boolean lexical flag, not a string
        self.values: set = set()
        self.regexes: list[re.Pattern] = []

    def add(self, spec) -> bool:
        if isinstance(spec, dict):
            for op, arg in spec.items():
                if op not in _PREDICATES:
                    return False
                if op == "REGEX":
                    self.regexes.append(re.compile(arg))
                else:
                    self.values.update(arg)
            return True
        if isinstance(spec, (str, bool, int)):
            self.values.add(spec)
            return True
        return False

    def value_class(self, value):
        """The value itself if a pattern names it, else the regexes it matches (values that no predicate
        tells apart share a class)."""
        if value in self.values:
            return value
        return ("~", tuple(bool(rx.search(value)) for rx in self.regexes)) if isinstance(value, str) else ("~",)


def _analyse(patterns: list[dict]):
    """(attributes tested anywhere, attributes tested by multi-token patterns, radius) or None when a pattern
    is beyond what the key describes."""
    attrs: dict[str, _Attr] = {}
    multi: dict[str, _Attr] = {}
    longest = 1
    writes: set[str] = set()
    for entry in patterns:
        if not set(entry.get("attrs", {})) <= set(_WRITES):
            return None
        writes.update(entry.get("attrs", {}))
        for pattern in entry["patterns"]:
            if not isinstance(pattern, list):
                return None
            longest = max(longest, len(pattern))
            for token_spec in pattern:
                for name, spec in token_spec.items():
                    if name not in _LEXICAL and name not in _WRITES:
                        return None  # e.g. OP (quantifiers), extension attributes, NORM, ENT_TYPE
                    if not attrs.setdefault(name, _Attr(name)).add(spec):
                        return None
                    if len(pattern) > 1:
                        multi.setdefault(name, _Attr(name)).add(spec)
    return attrs, multi, longest - 1, [IDS[name] for name in _WRITES if name in writes]


class MemoAttributeRuler:
    """Wraps a spaCy ``AttributeRuler``; see the module docstring."""

    def __init__(self, ruler, analysis) -> None:
        self.ruler = ruler
        self.name = getattr(ruler, "name", "attribute_ruler")
        attrs, multi, radius, writes = analysis
        self._tested = sorted(attrs.values(), key=lambda a: a.name not in _LEXICAL)
        self._multi = [multi.get(a.name) for a in self._tested]
        self._radius = radius
        self._writes = writes
        # token columns read per token: the tested attributes that come with the text, then the others (set
        # on a copy of a stretch of tokens to run the real ruler on) and the written ones
        self._n_tested_lexical = sum(1 for a in self._tested if a.name in _LEXICAL)
        self._copied = [a.id for a in self._tested if a.name not in _LEXICAL] + writes
        self._columns = [a.id for a in self._tested] + writes
        self._classes: dict[tuple, tuple[int, int]] = {}  # row of a token -> (own class, neighbour class)
        self._ids: dict[tuple, int] = {}  # a class -> its number
        self._table: dict[tuple, tuple[int, ...]] = {}  # key -> the written attributes after the ruler
        self.hits = self.misses = 0

    # spaCy's pipeline calls these
    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return self.ruler(doc)
        keys, rows = self._keys(doc)
        table = self._table
        found = [table.get(k) for k in keys]
        missing = [i for i, values in enumerate(found) if values is None]
        if missing:
            self.misses += len(missing)
            self._learn(doc, keys, rows, found, missing)
        self.hits += len(keys) - len(missing)
        doc.from_array(self._writes, numpy.array(found, dtype="uint64").reshape(len(found), len(self._writes)))
        return doc

    def _learn(self, doc: Doc, keys: list, rows: list, found: list, missing: list[int]) -> None:
        """The real ruler over the stretches of ``doc`` around the tokens of unseen keys (each with the
        neighbours its patterns can reach, in a copy of those tokens); their results fill ``found`` and
        the table."""
        r, n = self._radius, len(doc)
        stretches: list[list[int]] = []
        for i in missing:
            start, end = max(0, i - r), min(n, i + r + 1)
            if stretches and start <= stretches[-1][1]:
                stretches[-1][1] = end
            else:
                stretches.append([start, end])
        for start, end in stretches:
            part = Doc(doc.vocab, words=[t.text for t in doc[start:end]],
                       spaces=[bool(t.whitespace_) for t in doc[start:end]])
            part.from_array(self._copied, numpy.array([row[self._n_tested_lexical:] for row in rows[start:end]],
                                                      dtype="uint64"))
            after = self.ruler(part).to_array(self._writes).tolist()
            for i in range(start, end):
                if found[i] is None and (i - r >= start or start == 0) and (i + r < end or end == n):
                    found[i] = tuple(after[i - start])
                    if len(self._table) < MAX_KEYS:
                        self._table[keys[i]] = found[i]

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    # saving and loading are the real ruler's (``nlp.to_disk`` of a pipeline with this one in it saves the
    # patterns; loading new patterns forgets what was learnt)
    def to_disk(self, path, *, exclude=()):
        return self.ruler.to_disk(path, exclude=exclude)

    def to_bytes(self, *, exclude=()):
        return self.ruler.to_bytes(exclude=exclude)

    def from_disk(self, path, *, exclude=()):
        self.ruler.from_disk(path, exclude=exclude)
        return self._forget()

    def from_bytes(self, data, *, exclude=()):
        self.ruler.from_bytes(data, exclude=exclude)
        return self._forget()

    def _forget(self) -> "MemoAttributeRuler":
        analysis = _analyse(self.ruler.patterns)
        if analysis is None:
            raise ValueError("the loaded attribute_ruler patterns are beyond the memoised ruler")
        self.__init__(self.ruler, analysis)  # type: ignore[misc]
        return self

    def _keys(self, doc: Doc) -> tuple[list[tuple], list]:
        if not len(doc):
            return [], []
        if len(self._classes) > MAX_KEYS:
            self._classes.clear()
        strings = doc.vocab.strings
        n_tested = len(self._tested)
        rows = doc.to_array(self._columns).tolist()
        own, near = [], []
        classes = self._classes
        for row in rows:
            row_key = tuple(row)
            cls = classes.get(row_key)
            if cls is None:
                tested = row[:n_tested]
                values = [bool(v) if a.flag else strings[v] for a, v in zip(self._tested, tested, strict=True)]
                own_class = ("own", tuple(a.value_class(v) for a, v in zip(self._tested, values, strict=True)),
                             tuple(row[n_tested:]))
                near_class = ("near", tuple(m.value_class(v) if m is not None else None
                                            for m, v in zip(self._multi, values, strict=True)))
                ids = self._ids
                cls = classes[row_key] = (ids.setdefault(own_class, len(ids)), ids.setdefault(near_class, len(ids)))
            own.append(cls[0])
            near.append(cls[1])
        r = self._radius
        if not r:
            return [(o,) for o in own], rows
        padded = [None] * r + near + [None] * r
        keys = [(own[i], tuple(padded[i:i + r]), tuple(padded[i + r + 1:i + 2 * r + 1])) for i in range(len(own))]
        return keys, rows


def memoise_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Replace the ``attribute_ruler`` of ``nlp`` by a ``MemoAttributeRuler`` around it (same name, same
    place); False, and the pipeline unchanged, when there is none or its patterns are beyond the key."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    if isinstance(ruler, MemoAttributeRuler):
        return True
    patterns = getattr(ruler, "patterns", None)
    analysis = _analyse(patterns) if patterns is not None else None
    if analysis is None:
        log.info("%s: patterns beyond the memoised ruler; the real one runs", name)
        return False
    index = [n for n, _ in nlp._components].index(name)  # disabled components count too
    nlp._components[index] = (name, MemoAttributeRuler(ruler, analysis))  # same name, same position
    nlp._link_components()
    return True
