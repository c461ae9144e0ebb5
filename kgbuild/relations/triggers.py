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
from dataclasses import replace
from typing import Iterator, Sequence

from spacy.tokens import Token

from kgbuild.lexicon import find_role
from kgbuild.lexicon import lemma as lemma_of
from kgbuild.relations.catalogue import RelationType, noun_head, trigger_relations
from kgbuild.relations.context import SUBJECT_DEPS, DocContext
from kgbuild.relations.facts import PARTY_PERSON
from kgbuild.relations.timing import german_verb_tense, status_of, time_of
from kgbuild.types import Argument, Event, Mention

PLACE_PREPS = {"in", "im", "at", "auf", "nach", "to", "aus", "from"}
ROLES = {"visits": ("visitor", "host"), "meets": ("participant", "participant"),
         "signsAgreementWith": ("signatory", "signatory")}


def token_features(tokens: Sequence[Token], lang: str) -> list[tuple]:
    """(token, dep, POS, lemma, text, lowercase text) of each token: read once per sentence, not once per
    relation type."""
    return [(tok, tok.dep_, tok.pos_, lemma_of(tok, lang), tok.text, tok.lower_) for tok in tokens]


def sentence_words(features: list[tuple]) -> frozenset[str]:
    """The lemmas and lowercase forms of a sentence's ``token_features``."""
    return frozenset(w for f in features for w in (f[3], f[5]))


def find_triggers(tokens: Sequence[Token], rel: RelationType, lang: str,
                  features: list[tuple] | None = None, words: frozenset[str] | None = None) -> list[Token]:
    """The trigger words of ``rel`` among ``tokens`` (``features``: their ``token_features``, and ``words``
    their ``sentence_words``, if at hand)."""
    verbs, nouns = rel.verbs.get(lang, frozenset()), rel.nouns.get(lang, frozenset())
    separable = rel.separable.get(lang, frozenset())
    if words is not None and lang != "de" and not separable and words.isdisjoint(verbs) and words.isdisjoint(nouns):
        return []  # no lemma or word of the sentence is a trigger of rel (German compounds need the loop)
    original = rel.name in ORIGINAL
    out = []
    for tok, dep, pos, lemma, text, lower in features if features is not None else token_features(tokens, lang):
        if not original and dep in ("amod", "compound", "nk") and pos in ("VERB", "ADJ"):
            continue  # "South Korea's newly elected leader": a modifier, not an event
        if text[:1].isupper() and lang == "de" and noun_head(text, nouns, lang):
            out.append(tok)
        elif lang == "en" and (lemma in nouns or lower in nouns):
            out.append(tok)
        elif text[:1].islower() and (lemma in verbs or lower in verbs) and pos not in ("NOUN", "ADJ"):
            out.append(tok)
        elif separable and text[:1].islower() and pos not in ("NOUN", "ADJ") and \
                any(stem == lemma and _particle_after(tok, particle, tokens) for stem, particle in separable):
            out.append(tok)  # "warf dem Kreml ... vor", "nahmen ... fest", "stellte sich hinter ..."
    return out


CLAUSE_END = {",", ";", ":", ".", "!", "?", "–"}


def _particle_after(verb: Token, particle: str, tokens: Sequence[Token]) -> bool:
    """The particle of a German separable verb later in the verb's clause: the parse's compound:prt/svp child,
    else the word itself standing at the end of the clause ("legte sein Amt ... nieder.")."""
    if any(c.dep_ in ("compound:prt", "svp") and c.lower_ == particle for c in verb.children):
        return True
    for tok in tokens:
        if tok.i <= verb.i:
            continue
        if tok.text in CLAUSE_END:
            return False
        if tok.lower_ == particle:
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            return nxt is None or nxt.text in CLAUSE_END or nxt.lower_ in ("und", "oder", "aber")
    return False


def _candidates(ctx: DocContext, sent: int) -> list[Mention]:
    return [m for m in ctx.by_sentence.get(sent, []) if m.entity_key and not _qualifies_person(ctx, m)]


_COMPOUND_HEAD = re.compile(r"[-‐]([^\W\d_]+)")


def _qualifies_person(ctx: DocContext, m: Mention) -> bool:
    """'CDU' of 'der CDU-Abgeordnete Friedrich Merz', 'Siemens' of 'Siemens-Chef Joe Kaeser': a name before the
    hyphen of a person noun only qualifies that person and takes part in no event of its own (the party
    membership and the position are found by facts.py and positions.py)."""
    head = _COMPOUND_HEAD.match(ctx.text, m.end)
    if head is None:
        return False
    word = head.group(1)
    return find_role(word, word.lower(), ctx.lang) is not None or word.lower() in PARTY_PERSON.get(ctx.lang, ())


def _first_constituent(ctx: DocContext, trigger: Token, mentions: list[Mention], demonyms: bool) -> Mention | None:
    """The name that opens a German main clause before its finite verb (the usual subject of a V2 clause)."""
    sent_start = trigger.sent.start
    first = next((m for m in mentions if m.end <= trigger.idx), None)
    if first is None or (first.kind == "demonym" and not demonyms) or ctx.preposition_of(first):
        return None
    span = ctx.doc.char_span(first.start, first.end, alignment_mode="expand")
    if span is None or span.start - sent_start > 2:  # only a title or article before it
        return None
    return first


def _subject_from_parse(ctx: DocContext, trigger: Token, mentions: list[Mention], demonyms: bool = False) -> Mention | None:
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
    for child in subjects:  # the subject's own name first: "NATO member Poland supported ..." -> Poland
        m = next((m for m in mentions if m.start <= child.idx < m.end and (demonyms or m.kind != "demonym")), None)
        if m is not None and not ctx.preposition_of(m) and m.type != "PER" and \
                not any(n.type == "PER" for n in mentions if child.left_edge.idx <= n.start <= child.right_edge.idx):
            return m
    for want_person in (True, False):
        for child in subjects:
            for tok in child.subtree:
                m = next((m for m in mentions if m.start <= tok.idx < m.end and (demonyms or m.kind != "demonym")), None)
                if m is None or ctx.preposition_of(m):
                    continue
                if m.type == "PER" or not want_person:
                    return m
    return None


#: nouns for a state's forces or authorities: with a nationality word they stand for the state
STATE_AGENTS = {"de": ("truppen", "sicherheitskräfte", "behörden", "behörde", "polizei", "soldaten", "armee",
                       "streitkräfte", "regierung", "militär", "justiz", "geheimdienst", "staatsanwaltschaft",
                       "grenzschützer", "luftwaffe", "marine"),
                "en": ("troops", "forces", "police", "authorities", "army", "military", "government", "soldiers",
                       "navy", "prosecutors", "intelligence", "security")}


def _state_agent(ctx: DocContext, trigger: Token, mentions: list[Mention]) -> Mention | None:
    """'russische Truppen', 'die russischen Behörden', 'Iranian police': the state acts (in the trigger's clause)."""
    doc = ctx.doc
    for m in mentions:
        if m.kind != "demonym" or ctx.preposition_of(m):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or span.end >= len(doc) or not doc[span.end].lower_.endswith(STATE_AGENTS.get(ctx.lang, ())):
            continue
        between = doc[min(span.end, trigger.i) + 1: max(span.start, trigger.i)]
        if not any(t.text in CLAUSE_END or t.lower_ in CLAUSE_WORDS for t in between):
            return m
    return None


def _subject(ctx: DocContext, sent: int, trigger: Token, tokens, mentions: list[Mention],
             demonyms: bool = False, new_kind: bool = False) -> tuple[Mention | None, float]:
    if demonyms:
        m = _state_agent(ctx, trigger, mentions)
        if m is not None:
            return m, 0.2
    if ctx.has_parse:
        m = _subject_from_parse(ctx, trigger, mentions, demonyms)
        if m and new_kind and ctx.lang == "de" and m.start > trigger.idx:
            first = _first_constituent(ctx, trigger, mentions, demonyms)
            if first is not None:  # "Ursula von der Leyen, die ..., sicherte Tusk Hilfe zu": verb second
                return first, 0.1
        if m:
            return m, 0.2
    before = [m for m in mentions if m.end <= trigger.idx and (demonyms or m.kind != "demonym")
              and not ctx.after_preposition(m)]
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


POSSESSIVES = {"his", "her", "their", "its", "sein", "seine", "seiner", "seines", "seinen", "seinem", "ihr", "ihre",
               "ihrer", "ihres", "ihren", "ihrem"}


#: verbs that carry an event noun ("launched an attack", "imposed sanctions", "verhängte Sanktionen", "übte Kritik")
LIGHT_VERBS = {"launch", "carry", "conduct", "impose", "announce", "unveil", "adopt", "approve", "mount", "stage",
               "begin", "start", "continue", "provide", "give", "offer", "pledge", "promise", "send", "level", "make",
               "step", "expand", "extend", "tighten", "verhängen", "beschließen", "ankündigen", "starten",
               "verschärfen", "vorbereiten", "verabschieden", "führen", "leisten", "gewähren", "zusagen", "zusichern",
               "sichern", "sagen", "erhöhen", "erheben", "äußern", "üben", "fliegen", "bereiten", "kündigen",
               "verstärken", "ausweiten", "liefern", "schicken", "senden", "have", "haben"}


def _noun_actor(ctx: DocContext, trigger: Token, mentions: list[Mention], demonyms: bool) -> tuple[Mention | None, bool]:
    """Who does what an event noun names, for the new kinds: a possessive or genitive ("Russia's invasion",
    "its attack", "Angriffe Russlands"), a nationality right before ("russische Angriffe"), or the subject of
    a light verb ("imposed sanctions", "verhängte Sanktionen"). (actor or None, whether the noun is linked at all)."""
    doc = ctx.doc
    prev = doc[trigger.i - 1] if trigger.i > 0 else None
    if prev is not None and prev.text in ("'s", "’s") and trigger.i > 1:
        m = next((m for m in mentions if m.start <= doc[trigger.i - 2].idx < m.end), None)
        if m is not None:
            return m, True
    for i in range(trigger.i - 1, max(trigger.i - 5, -1), -1):
        if doc[i].lower_ in ("its", "their", "seine", "seinen", "seiner", "ihre", "ihren", "ihrer"):
            before = [m for m in mentions if m.end <= doc[i].idx and m.type in ("LOC", "ORG", "PER")
                      and (demonyms or m.kind != "demonym")]
            if doc[i].lower_ in ("its", "their"):
                before = [m for m in before if m.type != "PER"] or before
            return (before[-1] if before else None), True
        m = next((m for m in mentions if m.start <= doc[i].idx < m.end), None)
        if m is not None and m.kind == "demonym" and demonyms and i == trigger.i - 1:
            return m, True  # "russische Angriffe", "Iranian attack"
        if doc[i].is_punct or not (doc[i].text[:1].islower() or doc[i].like_num):
            break
    if trigger.i + 1 < len(doc) and ctx.lang == "de":  # "Angriffe Russlands", "Sanktionen der EU"
        j = trigger.i + 1 + (doc[trigger.i + 1].lower_ in ("der", "des"))
        m = next((m for m in mentions if j < len(doc) and m.start <= doc[j].idx < m.end and m.type in ("LOC", "ORG")), None)
        if m is not None and (m.text.endswith("s") or j > trigger.i + 1):
            return m, True
    if ctx.has_parse:
        head = trigger.head
        for _ in range(2):
            if head.pos_ in ("VERB", "AUX"):
                break
            head = head.head
        if lemma_of(head, ctx.lang) in LIGHT_VERBS or head.lower_ in LIGHT_VERBS:
            return _subject_from_parse(ctx, head, mentions, demonyms), True
        return None, False
    return None, False


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


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "aux:pass", "nsubjpass", "nsubj:pass") for c in verb.children) or \
        (verb.i > 0 and verb.doc[verb.i - 1].lower_ in PASSIVE_AUX)


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
    return [t.text for t in _clause(ctx, trigger)]


#: verbs of promising and preparing: what is promised or prepared is not done yet ("sicherte Tusk weitere Hilfe
#: zu", "pledged support", "bereitet ein Sanktionspaket vor"); German separable ones as (stem, particle)
PROMISE = {"de": frozenset({"zusagen", "zusichern", "versprechen", "vorbereiten"}),
           "en": frozenset({"promise", "pledge", "vow", "prepare"})}
PROMISE_SEPARABLE = {"de": frozenset({("sagen", "zu"), ("sichern", "zu"), ("bereiten", "vor")})}


def _promised(ctx: DocContext, trigger: Token) -> bool:
    """Does a verb of promising or preparing govern the trigger's clause ("sagt Kiew weitere Hilfe zu", "vowed
    support", "is preparing sanctions")?"""
    clause = _clause(ctx, trigger)
    verbs, separable = PROMISE.get(ctx.lang, frozenset()), PROMISE_SEPARABLE.get(ctx.lang, frozenset())
    for tok in clause:
        if tok.pos_ in ("NOUN", "PROPN", "ADJ") or not tok.text[:1].islower():
            continue
        lem = lemma_of(tok, ctx.lang)
        if lem in verbs or any(stem == lem and _particle_after(tok, particle, clause) for stem, particle in separable):
            return True
    return False


def _clause(ctx: DocContext, trigger: Token) -> list[Token]:
    doc = ctx.doc
    sent = trigger.sent
    start, end = sent.start, sent.end
    for i in range(trigger.i - 1, sent.start - 1, -1):
        if doc[i].text in (",", ";", ":", "–", "-") or doc[i].lower_ in CLAUSE_WORDS:
            start = i + 1
            break
    for i in range(trigger.i + 1, sent.end):
        if doc[i].text in (",", ";", ":", "–") or doc[i].lower_ in CLAUSE_WORDS or _coordinated_verb(ctx, i):
            end = i
            break
    return list(doc[start:end])


def _coordinated_verb(ctx: DocContext, i: int) -> bool:
    """English 'and'/'but'/'or' followed by a finite verb or a modal begins a clause of its own: in 'criticised
    Russia and said Britain would ...', the 'would' is not the criticism's."""
    doc = ctx.doc
    return (ctx.lang == "en" and doc[i].lower_ in ("and", "but", "or") and i + 1 < len(doc)
            and doc[i + 1].tag_ in ("VBD", "VBZ", "VBP", "MD"))


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
    others = [m for m in mentions if m.entity_key != subject.entity_key and (rel.demonyms or m.kind != "demonym")]
    if ctx.has_parse and not _is_noun_trigger(trigger, ctx.lang) and rel.name not in ORIGINAL:
        obj = _object_from_parse(trigger, others, rel)
        if obj is not None:
            return obj, 0.2, None
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
    if rel.name in ORIGINAL:
        after = [m for m in others if m.start > trigger.idx and m.type in rel.object_types[:2]]
    else:  # the new kinds: an object close after the trigger, in its clause ("condemned the attack and said ...")
        reach = _clause_reach(ctx, trigger, 5)
        after = [m for m in others if trigger.idx < m.start <= reach and m.type in rel.object_types]
    if after and not (noun and rel.name == "visits"):  # "the visit will give new impetus" has no host
        return after[0], 0.05, None
    before = [m for m in others if m.end <= trigger.idx and m.type in rel.object_types[:1]]
    if before and rel.symmetric:
        return before[-1], 0.0, None
    if ctx.lang == "de" and not noun and rel.name not in ORIGINAL:  # verb last: "hat Russland kritisiert"
        between = [m for m in others if subject.end <= m.start and m.end <= trigger.idx and m.type in rel.object_types
                   and not ctx.after_preposition(m)]
        if between:
            return between[0], 0.0, None
    if rel.name == "signsAgreementWith":
        return _partner_before(ctx, rel, trigger, subject)
    return None, 0.0, None


ORIGINAL = ("visits", "meets", "signsAgreementWith", "negotiatesWith")  # the first relation kinds, tuned before
OBJECT_DEPS = {"obj", "iobj", "obl:arg", "dobj", "dative", "oa", "da", "oa2"}


def _object_from_parse(trigger: Token, others: list[Mention], rel: RelationType) -> Mention | None:
    """The direct or indirect object of the trigger verb in the dependency parse ("accused the journalist",
    "drohte der Europäischen Union"), when a fitting mention is in it."""
    for child in trigger.children:
        if child.dep_ not in OBJECT_DEPS:
            continue
        inside = [m for m in others if child.left_edge.idx <= m.start < child.right_edge.idx + len(child.right_edge.text)
                  and m.type in rel.object_types]
        if inside:  # "back Sweden's NATO bid", "House Speaker Mike Johnson": by the relation's type preference
            return min(inside, key=lambda m: (rel.object_types.index(m.type), m.start))
    return None


def _clause_reach(ctx: DocContext, trigger: Token, tokens: int) -> int:
    """Character offset up to which an object may start: ``tokens`` words after the trigger, not past the end of
    its clause (punctuation, a clause word, a coordinating conjunction)."""
    doc, end = ctx.doc, trigger.idx
    for i in range(trigger.i + 1, min(trigger.i + 1 + tokens, trigger.sent.end)):
        if doc[i].text in CLAUSE_END or doc[i].lower_ in CLAUSE_WORDS or doc[i].lower_ in ("and", "und", "but", "aber"):
            break
        end = doc[i].idx
    return end


def _is_noun_trigger(trigger: Token, lang: str) -> bool:
    if trigger.pos_:
        return trigger.pos_ in ("NOUN", "PROPN")
    return lang == "de" and trigger.text[:1].isupper() and not trigger.is_sent_start


_ADJ_WORD = re.compile(r"(isch|ische|ischen|ischer|ian|ese)$")


def coordinated(ctx: DocContext, first: Mention, mentions: list[Mention], same_type: bool = True) -> list[Mention]:
    """Mentions joined to ``first`` by 'und', 'and', 'sowie' or commas: "Kuleba und Präsident Selenskyj"."""
    out = [first]
    last = first
    for m in sorted(mentions, key=lambda m: m.start):
        if m.start <= last.end or (same_type and m.type != first.type) or m.entity_key == first.entity_key:
            continue
        between = ctx.text[last.end : m.start]
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
    relations = trigger_relations()
    for sent in range(len(ctx.sentences)):
        tokens = ctx.tokens(sent)
        mentions = _candidates(ctx, sent)
        words = [t.text for t in tokens]
        text = ctx.sentences[sent].text
        features = token_features(tokens, ctx.lang)
        words = sentence_words(features)
        for rel in relations:
            triggers = find_triggers(tokens, rel, ctx.lang, features, words)
            if not triggers:
                continue
            if rel.name == "signsAgreementWith":
                has_agreement, is_treaty = _agreement_kind(rel, tokens, ctx.lang)
                if not has_agreement:
                    continue
            seen: set[tuple[str, str]] = set()
            for trigger in triggers:
                for ev in _events(ctx, rel, sent, trigger, tokens, mentions, words, text):
                    if ev is None:
                        continue
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
    if agent is not None and rel.name not in ORIGINAL and ctx.has_parse and not _is_passive(trigger):
        agent = None  # the passive is another verb's ("X, who was elected by Y, has backed ...")
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
    if rel.name not in ORIGINAL and _is_noun_trigger(trigger, ctx.lang):
        actor, linked = _noun_actor(ctx, trigger, mentions, rel.demonyms)
        if linked and actor is None:
            return []
        if actor is None and ctx.has_parse:
            return []  # "condemned the attack", "sanction Iran after attack on Israel": nobody does it here
        subject, s_bonus = (actor, 0.2) if actor is not None else \
            _subject(ctx, sent, trigger, tokens, mentions, rel.demonyms, new_kind=True)
    else:
        subject, s_bonus = _subject(ctx, sent, trigger, tokens, mentions, rel.demonyms, rel.name not in ORIGINAL)
    if subject is None:
        return []
    obj, o_bonus, first_party = _object(ctx, rel, trigger, tokens, mentions, subject)
    if obj is None and rel.object_from_position:  # "SPD-Generalsekretär Kühnert legte sein Amt nieder"
        office = ctx.offices.get((subject.entity_key, sent))
        obj = next((m for m in ctx.mentions if m.entity_key == office), None) if office else None
        o_bonus = 0.1
    if first_party is not None and first_party.entity_key != subject.entity_key:
        subject = first_party  # "zwischen der Russischen Föderation und der DVRK"
    if rel.symmetric and (obj is None or obj.start < subject.start or o_bonus < 0.2):
        partners = [m for m in coordinated_before(ctx, subject, mentions) + coordinated(ctx, subject, mentions)[1:]
                    if m.entity_key != subject.entity_key and m.end <= trigger.idx]
        if partners:  # "Biden and Kishida will meet", "Wollbrandt und ... Moroschenko unterzeichneten"
            obj, o_bonus = partners[0], 0.15
    if rel.metonyms:  # "criticised Moscow", "supporting Kyiv": the capital stands for its country
        subject = _country_for(ctx, subject)
        obj = _country_for(ctx, obj) if obj is not None else None
    if obj is None or obj.entity_key == subject.entity_key:
        return []
    if obj.type != "PER" and lemma_of(trigger, ctx.lang) in (rel.person_object_verbs or {}).get(ctx.lang, ()):
        return []  # "join NATO" is not a meeting
    objects = [m for m in coordinated(ctx, obj, mentions) if m.entity_key != subject.entity_key]
    subjects = [subject]
    if rel.name not in ORIGINAL and not rel.symmetric:  # "Putin und Kim", "the US and the EU imposed sanctions"
        states = subject.type in ("LOC", "ORG")  # "the United States and the European Union"
        actors = [m for m in mentions if m.type in ("LOC", "ORG")] if states else mentions
        subjects += [m for m in coordinated(ctx, subject, actors, same_type=not states)[1:]
                     if m.end <= trigger.idx and m.entity_key not in {o.entity_key for o in objects}]
    events = [_event(ctx, rel, sent, trigger, mentions, words, text, s, s_bonus, o, o_bonus)
              for s in subjects for o in objects if s.entity_key != o.entity_key]
    if rel.name == "meets" and lemma_of(trigger, ctx.lang) in HOST_VERBS:
        events += [ev for ev in (_hosted_visit(ctx, e) for e in events) if ev is not None]
    multilateral = _is_noun_trigger(trigger, ctx.lang) or lemma_of(trigger, ctx.lang) in ("join",)
    if rel.name == "meets" and len(objects) > 1 and multilateral:  # "join Kishida, Albanese and Modi for a summit"
        for i, a in enumerate(objects):
            for b in objects[i + 1:]:
                events.append(_event(ctx, rel, sent, trigger, mentions, words, text, a, s_bonus - 0.05, b, o_bonus))
    return events


def _country_for(ctx: DocContext, m: Mention) -> Mention:
    """A capital used for its country's government ("Moskau", "Washington"), not a place ("in Moskau")."""
    if m.type != "LOC" or ctx.preposition_of(m) in PLACE_PREPS:
        return m
    country = ctx.country_of(m.entity_key)
    if country is None:
        return m
    return replace(m, entity_key=country)


HOST_VERBS = {"empfangen", "receive", "host"}
TRAVEL = {"de": {"reisen", "fliegen", "eintreffen", "ankommen", "kommen", "aufbrechen"},
          "en": {"arrive", "travel", "fly", "come", "head", "land"}}


def _hosted_visit(ctx: DocContext, meeting: Event) -> Event | None:
    """'X empfing Y in Astana', 'X will host Y in Britain': the guest visits the place (a linked city or country)."""
    if meeting.place is None or meeting.place.startswith("nil:") or not meeting.object:
        return None
    near = ctx.text[max(0, meeting.trigger_start - 60): meeting.trigger_end + 60]
    place = next((m for m in ctx.by_sentence.get(meeting.sentence, []) if m.entity_key == meeting.place
                  and abs(m.start - meeting.trigger_start) <= 60), None)
    if place is None or place.type != "LOC" or meeting.object == meeting.place or not near:
        return None
    from dataclasses import replace as _replace

    return _replace(meeting, event_type="Visit", relation="visits", subject=meeting.object, object=meeting.place,
                    arguments=(Argument("visitor", meeting.object), Argument("host", meeting.place)),
                    confidence=round(meeting.confidence - 0.1, 3))


def coordinated_before(ctx: DocContext, last: Mention, mentions: list[Mention]) -> list[Mention]:
    """Mentions coordinated with ``last`` that come before it: "X und der Minister Y" -> [X]."""
    earlier = [m for m in mentions if m.end <= last.start and m.type == last.type and m.kind != "demonym"]
    for m in reversed(earlier):
        chain = coordinated(ctx, m, mentions)
        if last in chain:
            return [c for c in chain if c is not last]
    return []


NEGATION = {"de": {"nicht", "nie", "niemals", "kein", "keine", "keinen", "keinem", "keiner"},
            "en": {"not", "n't", "never", "no"}}
NOT_NEGATION = {"nur", "zuletzt", "only", "least", "just"}  # "nicht nur", "not only", "not least"
MODAL = {"de": {"könnte", "könnten", "kann", "können", "dürfte", "dürften", "möglicherweise"},
         "en": {"could", "can", "may", "might", "possibly"}}


def negated(ctx: DocContext, trigger: Token) -> bool:
    """'did not meet', 'no meeting', 'nicht nach Berlin reisen', 'ist noch nicht geplant', 'traf ihn nicht'."""
    doc, words = ctx.doc, NEGATION.get(ctx.lang, set())
    sent = trigger.sent
    noun = _is_noun_trigger(trigger, ctx.lang)
    for i in range(trigger.i - 1, max(sent.start, trigger.i - 5) - 1, -1):
        if doc[i].text in CLAUSE_END:
            break
        if noun and doc[i].lower_ in ("nicht", "not", "nie", "never"):
            continue  # "ein nicht angekündigter Besuch": the adjective is negated, not the visit
        if doc[i].lower_ in words and not (i + 1 < len(doc) and doc[i + 1].lower_ in NOT_NEGATION):
            return True
    if ctx.lang == "de":  # verb second or a noun: the negation follows in the clause
        for i in range(trigger.i + 1, sent.end):
            if doc[i].text in CLAUSE_END or doc[i].lower_ in CLAUSE_WORDS:
                break
            if doc[i].lower_ in words and not (i + 1 < len(doc) and doc[i + 1].lower_ in NOT_NEGATION):
                return True
    return False


def _event(ctx, rel, sent, trigger, mentions, words, text, subject, s_bonus, obj, o_bonus) -> Event | None:
    if negated(ctx, trigger):
        return None  # a negated event is not a relation
    prefix = _words_until_clause_end(ctx, trigger)
    status = status_of(prefix, " ".join(prefix), ctx.lang)
    clause = _clause_words(ctx, trigger)
    if {w.lower() for w in clause} & MODAL.get(ctx.lang, set()):
        status = "planned"  # "could sign", "könnte unterzeichnen": not (yet) done
    if trigger.tag_ in ("VBD", "VBN") and not set(clause) & {"will", "would", "to"}:
        status = "happened"  # "Biden, who flew into Vilnius, ..." (English past tense)
    if ctx.lang == "de" and rel.name == "visits" and not _is_noun_trigger(trigger, ctx.lang) and status == "happened":
        if german_verb_tense(trigger.text, clause) == "present":
            status = "planned"  # news German: "Scholz reist nach Paris", "Danach reist die Kanzlerin nach Wuhan"
    if trigger.i > 0 and ctx.doc[trigger.i - 1].lower_ in ("zu", "to") and not _is_noun_trigger(trigger, ctx.lang):
        status = "planned"  # "einen Vertrag zu unterzeichnen", "is expected to sign"
    if trigger.i > 0 and ctx.doc[trigger.i - 1].lower_ in ("for", "zu", "zum", "zur") and _is_noun_trigger(trigger, ctx.lang) \
            and any(lemma_of(t, ctx.lang) in TRAVEL.get(ctx.lang, ()) for t in ctx.doc[trigger.sent.start: trigger.i]):
        status = "planned"  # "arrived in Tokyo for talks with", "reist zu Gesprächen nach": the purpose of a trip
    if status == "happened" and _promised(ctx, trigger):
        status = "planned"  # a promise or preparation: "sicherte Tusk weitere Hilfe zu", "pledged support for Kyiv"
    when = time_of(text, ctx.published, status, at=trigger.idx - ctx.sentences[sent].start)
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
