"""Linking: ``Mention``s with KB candidates -> mentions with ``entity_key`` and the document's ``LinkedEntity``s.

Each candidate gets a score from its popularity prior, the kind of name that matched, the fit between its type
and the mention's type, and document coherence (the candidate is related in the KB to entities already linked
with confidence). Short names resolve to a longer name seen earlier in the article ("Putin" -> "Wladimir Putin",
"Uschakow" -> "Juri Uschakow"). A mention without a good candidate becomes an unlinked entity with a stable key
``nil:<TYPE>:<slug>`` built from its longest name, so that the same name and type give the same node
everywhere.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Sequence

from kgbuild.read import slugify
from kgbuild.types import Candidate, KnowledgeBase, LinkedEntity, Mention

log = logging.getLogger(__name__)

KIND_WEIGHT = {
    "label": 1.0, "official": 0.95, "wikipedia": 0.9, "short": 0.85, "alias": 0.75,
    "transliteration": 0.85, "demonym": 0.9, "surname": 0.6,
}


#: a surname alone links to a person this popular without the full name in the article (Putin, Merkel)
FAMOUS_SURNAME_PRIOR = 0.55


@dataclass(frozen=True)
class LinkerConfig:
    w_prior: float = 0.35
    w_name: float = 0.30
    w_type: float = 0.20
    w_coherence: float = 0.15
    #: below this score a mention stays unlinked
    nil_threshold: float = 0.42


def unlinked_key(type_: str, name: str) -> str:
    return f"nil:{type_}:{slugify(name)}"


def _type_fit(cand: Candidate, mention: Mention) -> float:
    if mention.source == "kb" or mention.type == cand.type:
        return 1.0
    if mention.type == "MISC" or cand.type == "MISC":
        return 0.5
    return 0.0


def score(cand: Candidate, mention: Mention, context: set[str], kb: KnowledgeBase, cfg: LinkerConfig) -> float:
    coherence = 0.0
    if context:
        related = kb.related(cand.qid)
        hits = len(related & context)
        coherence = min(1.0, hits / 2)
    name = KIND_WEIGHT.get(cand.kind, 0.6)
    if cand.kind == "surname" and cand.prior < FAMOUS_SURNAME_PRIOR and " " not in mention.text.strip():
        name = 0.3  # "Washington" alone is not Craig Washington unless the article names him in full
    if cand.name.lower() == mention.text.lower():
        name = min(1.0, name + 0.1)
    return (cfg.w_prior * cand.prior + cfg.w_name * name + cfg.w_type * _type_fit(cand, mention)
            + cfg.w_coherence * coherence)


def _rank(mention: Mention, context: set[str], kb: KnowledgeBase, cfg: LinkerConfig) -> tuple[Candidate, ...]:
    ranked = [replace(c, score=round(score(c, mention, context, kb, cfg), 4)) for c in mention.candidates]
    ranked.sort(key=lambda c: (-c.score, c.qid))
    return tuple(ranked)


def _alias_of_earlier(mention: Mention, earlier: Sequence[Mention]) -> Mention | None:
    """An earlier, longer person name that this short name is part of ("Putin" in "Wladimir Putin")."""
    words = mention.text.split()
    strong = max((c.prior for c in mention.candidates), default=0.0) >= 0.6
    if mention.type not in ("PER", "MISC") and mention.kind != "surname" and strong:
        return None  # "Paris" stays the city even after "Paris Hilton"; "Li" after "Li Keqiang" is him
    for prev in reversed(earlier):
        if prev.type != "PER" or len(prev.text) <= len(mention.text):
            continue
        prev_words = prev.text.split()
        if len(words) < len(prev_words) and all(w in prev_words or w[:-1] in prev_words and w.endswith("s")
                                                for w in words):
            return prev  # "Putin", "Putins" (German genitive) in "Wladimir Putin"
    return None


def link(mentions: Sequence[Mention], kb: KnowledgeBase, lang: str, cfg: LinkerConfig | None = None
         ) -> tuple[list[Mention], list[LinkedEntity]]:
    """Link all mentions of one document; returns the linked mentions and the document's entities."""
    cfg = cfg or LinkerConfig()
    # pass 1: local scores, confident links form the coherence context
    first = [(_rank(m, set(), kb, cfg) if m.candidates else ()) for m in mentions]
    context = {r[0].qid for r in first if r and r[0].score >= 0.6}
    linked: list[Mention] = []
    for mention, ranked0 in zip(mentions, first, strict=True):
        if not mention.candidates:
            linked.append(mention)
            continue
        ctx = context - {ranked0[0].qid} if ranked0 else context
        ranked = _rank(mention, ctx, kb, cfg)
        linked.append(replace(mention, candidates=ranked))
    # full person names first, so that a short name resolves to one even when it comes first (headlines)
    full = [i for i, m in enumerate(linked) if m.type == "PER" and len(m.text.split()) >= 2]
    decided: dict[int, Mention] = {}
    for i in full:
        decided[i] = _decide(linked[i], [decided[j] for j in full if j < i], cfg)
    for i, mention in enumerate(linked):
        if i not in decided:
            before = [decided[j] for j in full if j < i]
            after = [decided[j] for j in reversed(full) if j > i]
            decided[i] = _decide(mention, after + before, cfg)  # nearest earlier name first, then later ones
    out = [decided[i] for i in range(len(linked))]
    return out, _entities(out, kb, lang)


def _decide(mention: Mention, earlier: list[Mention], cfg: LinkerConfig) -> Mention:
    alias_of = _alias_of_earlier(mention, earlier)
    best = mention.candidates[0] if mention.candidates else None
    if alias_of is not None and alias_of.entity_key and (best is None or best.qid != alias_of.entity_key):
        # a short name repeats a full name of this article: same entity (even if the KB knows another one)
        if best is None or not alias_of.entity_key.startswith("Q") or best.kind == "surname" or best.score < 0.8:
            return replace(mention, entity_key=alias_of.entity_key, type=alias_of.type,
                           confidence=max(alias_of.confidence - 0.05, 0.5))
    if best is not None and best.score >= cfg.nil_threshold:
        return replace(mention, entity_key=best.qid, type=best.type, confidence=round(min(best.score, 0.99), 3))
    if mention.type == "MISC" or mention.kind == "demonym":
        return replace(mention, entity_key=None, confidence=0.0)
    key = unlinked_key(mention.type, mention.text)
    return replace(mention, entity_key=key, confidence=0.5 if mention.source != "kb" else 0.3)


def _label(ent, mentions: Sequence[Mention], lang: str) -> tuple[str, str]:
    """The entity's label in the article's language: the KB label, else a name in that language that
    matched in the article ("Wladimir Putin" when the KB has only an English label), else English."""
    if lang in ent.labels:
        return ent.labels[lang], lang
    for m in mentions:
        for c in m.candidates[:1]:
            if c.qid == ent.qid and c.lang == lang and c.kind in ("label", "official", "transliteration", "alias"):
                return c.name, lang
    if "en" in ent.labels:
        return ent.labels["en"], "en"
    first = next(iter(ent.labels.items()), None)
    return (first[1], first[0]) if first else (mentions[0].text, lang)


def _entities(mentions: Sequence[Mention], kb: KnowledgeBase, lang: str) -> list[LinkedEntity]:
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.entity_key:
            by_key[m.entity_key].append(m)
    out = []
    for key, ms in by_key.items():
        conf = max(m.confidence for m in ms)
        if key.startswith("nil:"):
            name = max((m.text for m in ms), key=len)
            out.append(LinkedEntity(key, None, name, ms[0].type, lang, conf))
            continue
        ent = kb.entity(key)
        if ent is None:
            out.append(LinkedEntity(key, key, ms[0].text, ms[0].type, lang, conf))
            continue
        label, label_lang = _label(ent, ms, lang)
        out.append(LinkedEntity(key, key, label, ent.type, label_lang, conf,
                                ent.descriptions.get(lang) or ent.descriptions.get("en")))
    out.sort(key=lambda e: e.key)
    return out
