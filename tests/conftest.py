"""Shared fixtures: a tiny in-memory KB with real QIDs, the shared data folder, the examples."""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from kgbuild.types import Candidate, Entity

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = Path(os.environ.get("KGBUILD_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "putin-nordkorea.de.txt"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("-", " ")


def _deinflect(key: str) -> list[str]:
    """German case endings stripped from each word: 'russischen foderation' -> 'russische foderation', ..."""
    variants = [""]
    for word in key.split():
        forms = [word] + [word[: -len(s)] for s in ("s", "es", "n", "en", "e", "er", "em") if word.endswith(s) and len(word) > len(s) + 2]
        variants = [f"{v} {f}".strip() for v in variants for f in forms][:64]
    return variants[1:]


class MemoryKB:
    """A KnowledgeBase in memory, for unit tests that must not depend on the bundled KB's contents."""

    max_name_tokens = 4
    version = "memory-1"

    def __init__(self, entities: list[tuple], names: list[tuple], given: set[str] = frozenset(), claims=None):
        self.entities = {qid: Entity(qid, type_, prior, labels) for qid, type_, prior, labels in entities}
        self.names: dict[str, list[Candidate]] = {}
        for surface, qid, kind, lang in names:
            ent = self.entities[qid]
            cand = Candidate(qid, surface, kind, ent.prior, ent.type, lang)
            self.names.setdefault(_norm(surface), []).append(cand)
        self.given = {g.lower() for g in given}
        self.claims = claims or {}

    def lookup(self, surface: str, lang: str | None = None, limit: int = 10) -> list[Candidate]:
        key = _norm(surface)
        cands = list(self.names.get(key, []))
        if not cands and lang == "de":
            for variant in _deinflect(key):
                if variant in self.names:
                    cands = list(self.names[variant])
                    break
        cands.sort(key=lambda c: -c.prior)
        return cands[:limit]

    def entity(self, qid: str) -> Entity | None:
        return self.entities.get(qid)

    def related(self, qid: str) -> set[str]:
        return set(self.claims.get(qid, ()))

    def is_given_name(self, word: str, lang: str | None = None) -> bool:
        return word.lower() in self.given


@pytest.fixture(scope="session")
def tiny_kb() -> MemoryKB:
    entities = [
        ("Q7747", "PER", 0.9, {"de": "Wladimir Putin", "en": "Vladimir Putin"}),
        ("Q56226", "PER", 0.8, {"de": "Kim Jong-un", "en": "Kim Jong-un"}),
        ("Q6279", "PER", 0.9, {"en": "Joe Biden", "de": "Joe Biden"}),
        ("Q159", "LOC", 1.0, {"de": "Russland", "en": "Russia"}),
        ("Q423", "LOC", 0.9, {"de": "Nordkorea", "en": "North Korea"}),
        ("Q884", "LOC", 0.9, {"de": "Südkorea", "en": "South Korea"}),
        ("Q30", "LOC", 1.0, {"de": "Vereinigte Staaten", "en": "United States"}),
        ("Q17", "LOC", 0.95, {"de": "Japan", "en": "Japan"}),
        ("Q649", "LOC", 0.9, {"de": "Moskau", "en": "Moscow"}),
        ("Q1490", "LOC", 0.85, {"de": "Tokio", "en": "Tokyo"}),
        ("Q18808", "LOC", 0.8, {"de": "Pjöngjang", "en": "Pyongyang"}),
        ("Q7184", "ORG", 0.9, {"de": "NATO", "en": "NATO"}),
        ("Q387054", "ORG", 0.4, {"en": "Rodong Sinmun"}),
    ]
    names = [
        ("Wladimir Putin", "Q7747", "transliteration", "de"), ("Vladimir Putin", "Q7747", "label", "en"),
        ("Putin", "Q7747", "surname", None), ("Kim Jong-un", "Q56226", "label", None),
        ("Joe Biden", "Q6279", "label", "en"), ("Biden", "Q6279", "surname", None),
        ("Russland", "Q159", "label", "de"), ("Russia", "Q159", "label", "en"),
        ("Russische Föderation", "Q159", "official", "de"), ("russisch", "Q159", "demonym", "de"),
        ("Russian", "Q159", "demonym", "en"),
        ("Nordkorea", "Q423", "label", "de"), ("North Korea", "Q423", "label", "en"),
        ("nordkoreanisch", "Q423", "demonym", "de"), ("North Korean", "Q423", "demonym", "en"),
        ("Demokratische Volksrepublik Korea", "Q423", "official", "de"),
        ("Südkorea", "Q884", "label", "de"), ("südkoreanisch", "Q884", "demonym", "de"),
        ("United States", "Q30", "label", "en"), ("US", "Q30", "short", "en"), ("American", "Q30", "demonym", "en"),
        ("Japan", "Q17", "label", None), ("Japanese", "Q17", "demonym", "en"),
        ("Moskau", "Q649", "label", "de"), ("Moscow", "Q649", "label", "en"),
        ("Tokio", "Q1490", "label", "de"), ("Tokyo", "Q1490", "label", "en"),
        ("Pjöngjang", "Q18808", "label", "de"), ("Pyongyang", "Q18808", "label", "en"),
        ("NATO", "Q7184", "short", None), ("Rodong Sinmun", "Q387054", "label", "en"),
    ]
    claims = {"Q7747": {"Q159"}, "Q159": {"Q649", "Q7747"}, "Q649": {"Q159"}, "Q56226": {"Q423"},
              "Q423": {"Q18808", "Q56226"}, "Q18808": {"Q423"}, "Q6279": {"Q30"}, "Q1490": {"Q17"}}
    return MemoryKB(entities, names, given={"Juri", "Yuri", "Jan", "Anna", "Joe", "Klaus", "Fumio"}, claims=claims)


def find_with_ner(nlp, kb, text: str, lang: str, ner: list[tuple[str, str]] | None = None) -> list:
    """``find_mentions`` on ``text``; ``ner`` = (surface, label) pairs a simulated NER finds (None: no NER)."""
    from kgbuild.mentions import find_mentions, sentences_of

    doc = nlp(text)
    if ner is not None:
        spans = []
        for surface, label in ner:
            start = text.index(surface)
            spans.append(doc.char_span(start, start + len(surface), label=label))
        doc.set_ents(spans, default="outside")
    return find_mentions(doc, kb, lang, sentences_of(doc), use_ner=ner is not None)


def candidates_in(nlp, kb, text: str, lang: str = "de") -> dict[str, list[str]]:
    """Each mention's text and its candidates' QIDs (no NER: the KB spotter and the name rules only)."""
    return {m.text: [c.qid for c in m.candidates] for m in find_with_ner(nlp, kb, text, lang)}


@pytest.fixture(scope="session")
def nlp_de():
    """kgbuild's built-in (rule-based) German pipeline, loaded once."""
    from kgbuild.nlp import builtin_pipeline

    return builtin_pipeline("de")


@pytest.fixture(scope="session")
def nlp_en():
    """kgbuild's built-in (rule-based) English pipeline, loaded once."""
    from kgbuild.nlp import builtin_pipeline

    return builtin_pipeline("en")


def first_candidates(nlp, kb, text: str, lang: str = "en",
                     ner: list[tuple[str, str]] | None = None) -> dict[str, str | None]:
    """Mention text -> its first candidate's QID (None without candidates)."""
    return {m.text: (m.candidates[0].qid if m.candidates else None) for m in find_with_ner(nlp, kb, text, lang, ner)}


def links_in(pipe, text: str, published: str | None, lang: str = "de") -> dict[str, str | None]:
    """Each mention's text and linked QID (None: unlinked) when ``pipe`` processes ``text`` as an article dated
    ``published``."""
    from kgbuild.read import article_from_text

    result = pipe.process(article_from_text(text, id="t", lang=lang, published=published))
    return {m.text: m.entity_key for m in result.mentions}


def links_en(pipe, text: str) -> dict[str, str | None]:
    """``links_in`` for an English sentence of no given date."""
    return links_in(pipe, text, None, lang="en")


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"the reference article is not at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kb():
    """The bundled KB (compiled on first use), opened once per test module; modules with a KB of their own
    define a ``kb`` fixture that takes its place."""
    from kgbuild.kb import open_kb

    base = open_kb()
    yield base
    base.close()


@pytest.fixture(scope="module")
def builtin_pipe(kb):
    """kgbuild's pipeline with the module's KB and the built-in (rule-based) German model."""
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb, model="builtin")
