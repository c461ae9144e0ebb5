"""Which sentences need the dependency parse: those the relation extractor can read it in.

In: a spaCy ``Doc`` (parsed or not) and its language. Out: one flag per ``doc.sents``. The parse is read
only by ``kgbuild.relations.triggers``, and only for a trigger word of the catalogue and the tokens of its
sentence (arcs never cross sentences). Where the pipeline's POS and lemmas come partly from the parse
(en_core_web_sm's attribute ruler), the sentences whose POS or lemmas the other extractors read are flagged
too: a speech verb (``quotes``: "after a preposition" looks at DET/PRON) or a role word (``positions``: the
words before an office). The flags are a superset of what the extractors can use: every test a trigger
word must pass besides its word (part of speech, dependency label, particle) is left out.
"""
from __future__ import annotations

import functools

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.tokens import Doc

from kgbuild.lexicon import _simplemma, find_role
from kgbuild.relations.catalogue import noun_head, trigger_relations
from kgbuild.relations.quotes import SPEECH


@functools.lru_cache(maxsize=8)
def _vocabulary(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(trigger words: verbs and nouns, trigger nouns, stems of separable verbs) of every trigger relation."""
    rels = trigger_relations()
    nouns = frozenset().union(*(r.nouns.get(lang, frozenset()) for r in rels))
    words = nouns.union(*(r.verbs.get(lang, frozenset()) for r in rels))
    stems = frozenset(stem for r in rels for stem, _ in r.separable.get(lang, ()))
    return words, nouns, stems


def may_trigger(text: str, lemma: str, lang: str) -> bool:
    """Whether a token (its text and lowercase lemma) can be a trigger word of some relation type (what
    ``triggers.find_triggers`` tests of the word itself)."""
    words, nouns, stems = _vocabulary(lang)
    lower = text.lower()
    if lemma in words or lower in words or lemma in stems:
        return True
    return lang == "de" and text[:1].isupper() and noun_head(text, nouns, lang) is not None


_cache: dict[tuple, bool] = {}


def _token_needs(text: str, lemma: str, lang: str, pos_from_parse: bool) -> bool:
    key = (text, lemma, lang, pos_from_parse)
    found = _cache.get(key)
    if found is None:
        lemma = (lemma or _simplemma(text, lang)).lower()  # kgbuild.lexicon.lemma of the token
        found = may_trigger(text, lemma, lang)
        if not found and pos_from_parse:
            speech = SPEECH.get(lang, ())
            found = lemma in speech or text.lower() in speech or find_role(text, lemma, lang) is not None
        if len(_cache) > 500_000:
            _cache.clear()
        _cache[key] = found
    return found


def sentences_needing_parse(doc: Doc, lang: str, pos_from_parse: bool = False) -> list[bool]:
    """One flag per sentence of ``doc.sents``: whether a relation extractor may read its parse (with
    ``pos_from_parse``: or the POS and lemmas that the parse changes)."""
    if not len(doc):
        return []
    starts = [s.start for s in doc.sents]
    strings = doc.vocab.strings
    # by the hashes of ORTH and LEMMA first (spaCy's hash of a string stands for it): no string is decoded for a
    # (word, lemma) seen before
    memo = _by_hash.setdefault((lang, pos_from_parse), {})
    if len(memo) > 500_000:
        memo.clear()
    flags = []
    for key in map(tuple, doc.to_array([ORTH, LEMMA]).tolist()):
        found = memo.get(key)
        if found is None:
            orth, lemma = key
            found = memo[key] = _token_needs(strings[orth], strings[lemma] if lemma else "", lang, pos_from_parse)
        flags.append(found)
    return [bool(x) for x in numpy.logical_or.reduceat(numpy.array(flags, dtype=bool), starts)]


_by_hash: dict[tuple[str, bool], dict[tuple[int, int], bool]] = {}
