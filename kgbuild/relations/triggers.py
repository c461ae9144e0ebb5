"""Trigger-based relations (visits, meets, signs agreement/treaty with) from the catalogue.

In: a ``DocContext``. Out: ``Event``s. For each trigger word of a sentence (a verb or noun lemma of the
catalogue), the subject is taken from the dependency parse when the pipeline has one, otherwise from
patterns: the first person (or organisation, or country) before the trigger, or the person a pronoun or a
subject-less sentence refers back to. The object is the first mention of a fitting type after one of the
relation's prepositions ("nach Nordkorea", "mit Kim Jong-un", "zwischen X und Y"), else the nearest fitting
mention after the trigger.
"""
from __future__ import annotations

import re
from typing import Iterator, Sequence

from spacy.tokens import Token

from kgbuild.lexicon import find_role
from kgbuild.lexicon import lemma as lemma_of
from kgbuild.relations.catalogue import RelationType, load_catalogue, noun_head
from kgbuild.relations.context import SUBJECT_DEPS, DocContext
from kgbuild.relations.timing import german_verb_tense, status_of, time_of
from kgbuild.types import Argument, Event, Mention

PLACE_PREPS = {"in", "im", "at", "auf", "nach", "to", "aus", "from"}
ROLES = {"visits": ("visitor", "host"), "meets": ("participant", "participant"),
         "signsAgreementWith": ("signatory", "signatory")}


def find_triggers(tokens: Sequence[Token], rel: RelationType, lang: str) -> list[Token]:
    verbs, nouns = rel.verbs.get(lang, frozenset()), rel.nouns.get(lang, frozenset())
    out = []
    for tok in tokens:
        lemma = lemma_of(tok, lang)
        if tok.text[:1].isupper() and lang == "de" and noun_head(tok.text, nouns, lang):
            out.append(tok)
        elif lang == "en" and (lemma in nouns or tok.lower_ in nouns):
            out.append(tok)
        elif tok.text[:1].islower() and (lemma in verbs or tok.lower_ in verbs) and tok.pos_ not in ("NOUN", "ADJ"):
            out.append(tok)
    return out


def _candidates(ctx: DocContext, sent: int) -> list[Mention]:
    return [m for m in ctx.by_sentence.get(sent, []) if m.entity_key]


def _subject_from_parse(ctx: DocContext, trigger: Token, mentions: list[Mention]) -> Mention | None:
    verb = trigger
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    subjects = [child for child in verb.children if child.dep_ in SUBJECT_DEPS]
    hops = 0
    while not subjects and verb.dep_ in ("conj", "xcomp") and verb.head is not verb and hops < 3:
        verb, hops = verb.head, hops + 1  # "Biden ... is scheduled to meet ... and will travel": Biden travels
        subjects = [child for child in verb.children if child.dep_ in SUBJECT_DEPS]
    for want_person in (True, False):
        for child in subjects:
            for tok in child.subtree:
                m = next((m for m in mentions if m.start <= tok.idx < m.end and m.kind != "demonym"), None)
                if m is None or ctx.preposition_of(m):
                    continue
                if m.type == "PER" or not want_person:
                    return m
    return None


def _subject(ctx: DocContext, sent: int, trigger: Token, tokens, mentions: list[Mention]) -> tuple[Mention | None, float]:
    if ctx.has_parse:
        m = _subject_from_parse(ctx, trigger, mentions)
        if m:
            return m, 0.2
    before = [m for m in mentions if m.end <= trigger.idx and m.kind != "demonym" and not ctx.after_preposition(m)]
    if _possessive_before(ctx, trigger):  # "his first trip", "seine Reise": the sentence's subject, or the last one
        people = [m for m in before if m.type == "PER"]
        if people:
            return people[0], 0.1
        actor = ctx.actor_before(sent)
        if actor is not None:
            return actor, 0.0
    if not [m for m in before if m.type == "PER"]:
        holder = ctx.role_holder_before(sent, trigger.idx)  # "The Indian leader will travel ...", "..., where he"
        if holder is not None:
            return holder, 0.05
    if ctx.has_pronoun(tokens[: max(0, trigger.i - tokens[0].i)]) and not [m for m in before if m.type == "PER"]:
        actor = ctx.actor_before(sent)
        if actor is not None:
            return actor, 0.0
    clause_start = _clause_start(ctx, trigger, tokens)
    for types in (("PER",), ("ORG",), ("LOC",)):
        typed = [m for m in before if m.type in types]
        in_clause = [m for m in typed if m.start >= clause_start]
        if in_clause:
            return in_clause[-1], 0.15  # the nearest in the trigger's own clause ("..., dass Baerbock ... reisen werde")
        if typed:
            return typed[0], 0.1  # else the sentence's first ("Putin hat ... gegeben")
    if ctx.has_pronoun(tokens):
        actor = ctx.actor_before(sent)
        if actor is not None:
            return actor, 0.0
    actor = ctx.topic_actor(sent)
    if actor is not None:
        return actor, -0.05
    return None, 0.0


POSSESSIVES = {"his", "her", "their", "sein", "seine", "seiner", "seines", "seinen", "seinem", "ihr", "ihre",
               "ihrer", "ihres", "ihren", "ihrem"}


def _possessive_before(ctx: DocContext, trigger: Token) -> bool:
    doc = ctx.doc
    for i in range(trigger.i - 1, max(trigger.i - 4, -1), -1):
        if doc[i].lower_ in POSSESSIVES:
            return True
        if not (doc[i].text[:1].islower() or doc[i].like_num):
            return False
    return False


PASSIVE_AUX = {"wurde", "wurden", "worden", "was", "were", "been"}
AGENT_PREPS = {"von", "vom", "by"}


BOTH = {"de": ("beide", "beiden"), "en": ("two", "both")}
PARTY_NOUNS = {"regierungen", "länder", "staaten", "seiten", "governments", "countries", "nations", "sides",
               "states", "leaders", "staatschefs", "politiker", "minister", "ministers", "präsidenten", "presidents"}


def _both_parties(ctx: DocContext, sent: int, trigger: Token, tokens) -> tuple[Mention, Mention] | None:
    """'the two governments' / 'beide Regierungen' before the trigger: the two countries (or, for leaders,
    the two persons) the sentence names."""
    words = [t.lower_ for t in tokens if t.i < trigger.i]
    for i in range(len(words) - 1):
        if words[i] in BOTH.get(ctx.lang, ()) and words[i + 1] in PARTY_NOUNS:
            people = words[i + 1] in ("leaders", "staatschefs", "politiker", "minister", "ministers", "präsidenten",
                                      "presidents")
            want = "PER" if people else "LOC"
            seen: dict[str, Mention] = {}
            for m in ctx.by_sentence.get(sent, []) + ctx.by_sentence.get(sent - 1, []):
                state = m.kind == "demonym" or m.entity_key in ctx.holders  # a country someone governs
                if m.type == want and (people or state) and m.entity_key not in seen:
                    seen[m.entity_key] = m
            if len(seen) == 2:
                a, b = seen.values()
                return a, b
    return None


def _passive_agent(ctx: DocContext, trigger: Token, tokens, mentions: list[Mention]) -> Mention | None:
    """'wurde sie vom Ministerpräsidenten Li Keqiang empfangen', 'was received by X': X is the actor."""
    words = {t.lower_ for t in tokens}
    if not words & PASSIVE_AUX:
        return None
    for tok in tokens:
        if tok.lower_ in AGENT_PREPS:
            reach = ctx.doc[min(tok.i + 5, len(ctx.doc) - 1)].idx
            agents = [m for m in mentions if tok.idx < m.start <= reach and m.type in ("PER", "ORG")]
            if agents:
                return agents[0]
    return None


CLAUSE_WORDS = {"dass", "daß", "weil", "ob", "wenn", "als", "nachdem", "bevor", "that", "because", "after",
                "before", "while", "when", "which", "who", "whom"}


def _words_until_clause_end(ctx: DocContext, trigger: Token) -> list[str]:
    """The sentence's words up to the end of the trigger's clause (markers after it belong elsewhere)."""
    sent = trigger.sent
    end = sent.end
    for i in range(trigger.i + 1, sent.end):
        if ctx.doc[i].text in (",", ";", ":", "–") or ctx.doc[i].lower_ in CLAUSE_WORDS:
            end = i
            break
    return [t.text for t in ctx.doc[sent.start:end]]


def _clause_words(ctx: DocContext, trigger: Token) -> list[str]:
    """The words of the trigger's clause: between the nearest commas / clause words around it."""
    doc = ctx.doc
    sent = trigger.sent
    start, end = sent.start, sent.end
    for i in range(trigger.i - 1, sent.start - 1, -1):
        if doc[i].text in (",", ";", ":", "–", "-") or doc[i].lower_ in CLAUSE_WORDS:
            start = i + 1
            break
    for i in range(trigger.i + 1, sent.end):
        if doc[i].text in (",", ";", ":", "–") or doc[i].lower_ in CLAUSE_WORDS:
            end = i
            break
    return [t.text for t in doc[start:end]]


def _clause_start(ctx: DocContext, trigger: Token, tokens) -> int:
    """Character offset where the trigger's clause begins (after 'dass', 'that', ';' ...)."""
    start = tokens[0].idx if tokens else 0
    for tok in tokens:
        if tok.i >= trigger.i:
            break
        if tok.lower_ in CLAUSE_WORDS or tok.text in (";", ":"):
            start = tok.idx
    return start


def _object(ctx: DocContext, rel: RelationType, trigger: Token, tokens, mentions: list[Mention],
            subject: Mention) -> tuple[Mention | None, float, Mention | None]:
    """(object, confidence bonus, second party of a 'zwischen X und Y' pattern)."""
    preps = rel.object_preps.get(ctx.lang, frozenset())
    others = [m for m in mentions if m.entity_key != subject.entity_key and m.kind != "demonym"]
    noun = _is_noun_trigger(trigger, ctx.lang)
    inside = [m for m in others if trigger.idx <= m.start < trigger.idx + len(trigger.text)]
    if inside and rel.name == "visits" and inside[0].type == "LOC":
        return inside[0], 0.2, None  # "China-Besuch", "Nordkorea-Reise"
    for tok in tokens:
        # German puts the verb last: its prepositional objects come before it; a noun's follow it
        if tok.lower_ in preps and (tok.i > trigger.i if noun else (ctx.lang == "de" or tok.i >= trigger.i - 3)):
            span = 11 if tok.lower_ in ("zwischen", "between") else 5
            reach = ctx.doc[min(tok.i + span, len(ctx.doc) - 1)].idx  # "nach X", "to the capital X", not far beyond
            after = [m for m in others if tok.idx < m.start <= reach and m.type in rel.object_types]
            if not after:
                continue
            first = after[0]
            if tok.lower_ in ("zwischen", "between") and len(after) >= 2:
                return after[1], 0.2, first
            return first, 0.2, None
    if rel.name != "visits":  # "in Pjöngjang" is where it happens, not who takes part
        others = [m for m in others if ctx.preposition_of(m) not in PLACE_PREPS]
    after = [m for m in others if m.start > trigger.idx and m.type in rel.object_types[:2]]
    if after and not (noun and rel.name == "visits"):  # "the visit will give new impetus" has no host
        return after[0], 0.05, None
    before = [m for m in others if m.end <= trigger.idx and m.type in rel.object_types[:1]]
    if before and rel.symmetric:
        return before[-1], 0.0, None
    if rel.name == "signsAgreementWith":
        return _partner_before(ctx, rel, trigger, subject)
    return None, 0.0, None


def _is_noun_trigger(trigger: Token, lang: str) -> bool:
    if trigger.pos_:
        return trigger.pos_ in ("NOUN", "PROPN")
    return lang == "de" and trigger.text[:1].isupper() and not trigger.is_sent_start


_ADJ_WORD = re.compile(r"(isch|ische|ischen|ischer|ian|ese)$")


def coordinated(ctx: DocContext, first: Mention, mentions: list[Mention]) -> list[Mention]:
    """Mentions joined to ``first`` by 'und', 'and', 'sowie' or commas: "Kuleba und Präsident Selenskyj"."""
    out = [first]
    last = first
    for m in sorted(mentions, key=lambda m: m.start):
        if m.start <= last.end or m.type != first.type or m.entity_key == first.entity_key:
            continue
        between = ctx.doc.text[last.end : m.start]
        words = between.replace(",", " , ").split()
        if len(words) <= 4 and any(w in ("und", "and", "sowie", ",", "&") for w in words) and \
                all(w in ("und", "and", "sowie", ",", "&", "der", "die", "dem", "den", "the") or w[:1].isupper()
                    or find_role(w, w, ctx.lang) or _ADJ_WORD.search(w) for w in words):
            out.append(m)
            last = m
        elif m.start > last.end:
            break
    return out


def _partner_before(ctx: DocContext, rel: RelationType, trigger: Token, subject: Mention):
    """'Diesen Vertrag ... unterzeichnen': the partner named with the agreement in the previous sentences."""
    nouns = rel.agreement_nouns.get(ctx.lang, frozenset())
    preps = rel.object_preps.get(ctx.lang, frozenset())
    sent = next((i for i, s in enumerate(ctx.sentences) if s.start <= trigger.idx < s.end), 0)
    for prev in range(sent - 1, max(sent - 3, -1), -1):
        tokens = ctx.tokens(prev)
        if not any(noun_head(t.text, nouns, ctx.lang) for t in tokens):
            continue
        for tok in tokens:
            if tok.lower_ in preps:
                after = [m for m in ctx.by_sentence.get(prev, []) if m.start > tok.idx and m.entity_key
                         and m.kind != "demonym" and m.type in rel.object_types]
                if tok.lower_ in ("zwischen", "between") and len(after) >= 2:
                    return after[1], 0.0, after[0]
                after = [m for m in after if m.entity_key != subject.entity_key]
                if after:
                    return after[0], 0.0, None
    return None, 0.0, None


def _agreement_kind(rel: RelationType, tokens, lang: str) -> tuple[bool, bool]:
    """(is an agreement mentioned, is it a treaty) in the sentence."""
    treaty, agreement = rel.treaty_nouns.get(lang, frozenset()), rel.agreement_nouns.get(lang, frozenset())
    words = [t.text for t in tokens]
    is_treaty = any(noun_head(w, treaty, lang) for w in words)
    is_agreement = is_treaty or any(noun_head(w, agreement, lang) for w in words)
    return is_agreement, is_treaty


def _place(ctx: DocContext, rel: RelationType, obj: Mention | None, mentions: list[Mention], exclude: set) -> str | None:
    if rel.name == "visits" and obj is not None and obj.type == "LOC":
        return obj.entity_key
    for m in mentions:
        if m.type == "LOC" and m.kind != "demonym" and m.entity_key not in exclude:
            prev = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
            if prev is not None and prev.start > 0 and ctx.doc[prev.start - 1].lower_ in ("in", "im", "at"):
                return m.entity_key
    return None


def extract_triggered(ctx: DocContext) -> Iterator[Event]:
    catalogue = load_catalogue()
    for sent in range(len(ctx.sentences)):
        tokens = ctx.tokens(sent)
        mentions = _candidates(ctx, sent)
        words = [t.text for t in tokens]
        text = ctx.sentences[sent].text
        for rel in catalogue.values():
            triggers = find_triggers(tokens, rel, ctx.lang)
            if not triggers:
                continue
            if rel.name == "signsAgreementWith":
                has_agreement, is_treaty = _agreement_kind(rel, tokens, ctx.lang)
                if not has_agreement:
                    continue
            seen: set[tuple[str, str]] = set()
            for trigger in triggers:
                for ev in _events(ctx, rel, sent, trigger, tokens, mentions, words, text):
                    if (ev.subject, ev.object or "") in seen:
                        continue
                    seen.add((ev.subject, ev.object or ""))
                    if rel.name == "signsAgreementWith" and is_treaty:
                        ev = _as_treaty(ev)
                    yield ev


def _as_treaty(ev: Event) -> Event:
    from dataclasses import replace

    return replace(ev, relation="signsTreatyWith", event_type="TreatySigning")


def _events(ctx, rel, sent, trigger, tokens, mentions, words, text) -> list[Event]:
    """The events of one trigger: one per object when objects are coordinated ("Kuleba und Selenskyj")."""
    agent = None if _is_noun_trigger(trigger, ctx.lang) else _passive_agent(ctx, trigger, tokens, mentions)
    if agent is not None:  # passive: the agent acts, the grammatical subject (or "sie") is the object
        patient = [m for m in mentions if m.type == "PER" and m.end <= trigger.idx and m.entity_key != agent.entity_key
                   and not ctx.after_preposition(m)]
        obj = patient[-1] if patient else (ctx.actor_before(sent) if ctx.has_pronoun(tokens) else None)
        if obj is not None and obj.entity_key != agent.entity_key:
            return [_event(ctx, rel, sent, trigger, mentions, words, text, agent, 0.1, obj, 0.1)]
    if rel.symmetric:
        pair = _both_parties(ctx, sent, trigger, tokens)
        if pair is not None:  # "the two governments signed", "beide Regierungen unterzeichneten"
            return [_event(ctx, rel, sent, trigger, mentions, words, text, pair[0], 0.05, pair[1], 0.05)]
    subject, s_bonus = _subject(ctx, sent, trigger, tokens, mentions)
    if subject is None:
        return []
    obj, o_bonus, first_party = _object(ctx, rel, trigger, tokens, mentions, subject)
    if first_party is not None and first_party.entity_key != subject.entity_key:
        subject = first_party  # "zwischen der Russischen Föderation und der DVRK"
    if rel.symmetric and (obj is None or obj.start < subject.start or o_bonus < 0.2):
        partners = [m for m in coordinated_before(ctx, subject, mentions) + coordinated(ctx, subject, mentions)[1:]
                    if m.entity_key != subject.entity_key and m.end <= trigger.idx]
        if partners:  # "Biden and Kishida will meet", "Wollbrandt und ... Moroschenko unterzeichneten"
            obj, o_bonus = partners[0], 0.15
    if obj is None or obj.entity_key == subject.entity_key:
        return []
    if obj.type != "PER" and lemma_of(trigger, ctx.lang) in (rel.person_object_verbs or {}).get(ctx.lang, ()):
        return []  # "join NATO" is not a meeting
    objects = [m for m in coordinated(ctx, obj, mentions) if m.entity_key != subject.entity_key]
    events = [_event(ctx, rel, sent, trigger, mentions, words, text, subject, s_bonus, o, o_bonus) for o in objects]
    multilateral = _is_noun_trigger(trigger, ctx.lang) or lemma_of(trigger, ctx.lang) in ("join",)
    if rel.name == "meets" and len(objects) > 1 and multilateral:  # "join Kishida, Albanese and Modi for a summit"
        for i, a in enumerate(objects):
            for b in objects[i + 1:]:
                events.append(_event(ctx, rel, sent, trigger, mentions, words, text, a, s_bonus - 0.05, b, o_bonus))
    return events


def coordinated_before(ctx: DocContext, last: Mention, mentions: list[Mention]) -> list[Mention]:
    """Mentions coordinated with ``last`` that come before it: "X und der Minister Y" -> [X]."""
    earlier = [m for m in mentions if m.end <= last.start and m.type == last.type and m.kind != "demonym"]
    for m in reversed(earlier):
        chain = coordinated(ctx, m, mentions)
        if last in chain:
            return [c for c in chain if c is not last]
    return []


def _event(ctx, rel, sent, trigger, mentions, words, text, subject, s_bonus, obj, o_bonus) -> Event:
    prefix = _words_until_clause_end(ctx, trigger)
    status = status_of(prefix, " ".join(prefix), ctx.lang)
    clause = _clause_words(ctx, trigger)
    if trigger.tag_ in ("VBD", "VBN") and not set(clause) & {"will", "would", "to"}:
        status = "happened"  # "Biden, who flew into Vilnius, ..." (English past tense)
    if ctx.lang == "de" and rel.name == "visits" and not _is_noun_trigger(trigger, ctx.lang) and status == "happened":
        if german_verb_tense(trigger.text, clause) == "present":
            status = "planned"  # news German: "Scholz reist nach Paris", "Danach reist die Kanzlerin nach Wuhan"
    if trigger.i > 0 and ctx.doc[trigger.i - 1].lower_ in ("zu", "to") and not _is_noun_trigger(trigger, ctx.lang):
        status = "planned"  # "einen Vertrag zu unterzeichnen", "is expected to sign"
    when = time_of(text, ctx.published, status)
    r_subj, r_obj = ROLES.get(rel.name, ("participant", "participant"))
    args = (Argument(r_subj, subject.entity_key), Argument(r_obj, obj.entity_key))
    place = _place(ctx, rel, obj, mentions, {subject.entity_key})
    confidence = round(min(0.95, 0.5 + s_bonus + o_bonus + (0.1 if ctx.has_parse else 0.0)), 3)
    return Event(
        event_type=rel.event, relation=rel.property, subject=subject.entity_key, object=obj.entity_key,
        arguments=args, sentence=sent, trigger_start=trigger.idx, trigger_end=trigger.idx + len(trigger.text),
        trigger=trigger.text, status=status, confidence=confidence, place=place, time=when.date, time_text=when.text,
        time_precision=when.precision,
        extractor="parse" if ctx.has_parse and s_bonus >= 0.2 else "patterns",
    )
