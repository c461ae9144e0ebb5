"""Namesakes the context rules out (issue 13; English, ``by_support`` every language): a KB candidate that shares
the mention's name but cannot be the entity the text means, so that a name whose entity the KB lacks stays unlinked
instead of taking a namesake.

- a place named only in a third language (``foreign_name_only``): "Mars" in English text is no French name of
  the English town of March, "Oranje" no Dutch name of Oran; a major place too when a famous person bears the name
  ("Hollande" is the French name of the Netherlands, and François Hollande's);
- a place of the other kind than the noun before its name (``place_kind_misfit``): "the coastal city Imperia"
  is no province, "the state of Washington" no city;
- a small place in a country the document has nothing else of (``foreign_small_place``): "Amalfi" in a text
  whose places lie in Italy is not the municipality in Colombia;
- no place at all after a place's noun ("the coastal city Imperia" is no film, "the state of Washington" no
  person; English);
- a reading another reading of the name dominates (``by_support``, every language): nothing in the document says
  more for it, something clearly more for the other, and it is not ten times as popular. A big KB has a village, a
  minor person, a company and a film for most names; such a namesake has to earn its link by context.

Each rule removes candidates only; a mention left with none is an unlinked entity of its name.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from kgbuild.kb.normalize import norm_key
from kgbuild.linking.features import FAMOUS_SURNAME_PRIOR, FEATURE_NAMES, DocContext, features, relative
from kgbuild.linking.persons import FIELD_DESCRIPTIONS
from kgbuild.types import Candidate, KnowledgeBase, Mention

#: a place this popular is named in its other languages' forms too ("München" in English text), as the KB
#: spotter has it (``kgbuild.mentions._acceptable``)
MAJOR_PLACE_PRIOR = 0.7
#: a place below this prior is a small one (dr5hn's towns and districts, Natural Earth's smallest places)
SMALL_PLACE_PRIOR = 0.4

#: English nouns of a settlement and of a region right before a place's name ("the coastal city Imperia", "the
#: town of Amalfi"; "the province of Imperia", "the state of Washington")
CITY_NOUNS = frozenset("city town village port capital municipality hamlet commune resort suburb".split())
REGION_NOUNS = frozenset("""province state county region department prefecture oblast canton governorate
    voivodeship""".split())
#: first words of the KB's descriptions of regions (dr5hn's subdivision types: "province in IT", "department in
#: RO", "county in ...")
REGION_DESCRIPTIONS = frozenset("""province state county region department prefecture oblast canton governorate
    voivodeship autonomous""".split())
#: P31 classes of cities and capitals, and of countries and states, as the KB gives them
CITY_CLASSES = frozenset({"Q515", "Q5119"})
COUNTRY_CLASSES = frozenset({"Q6256", "Q3624078", "Q7275", "Q3024240", "Q161243"})
_KIND_BEFORE = re.compile(r"\b([a-z]+)(?: of)? $")


def foreign_name_only(kb: KnowledgeBase, cand: Candidate, surface: str, lang: str, major: bool = True) -> bool:
    """A place that has ``surface`` only as a name in a third language, neither the text's nor a language-neutral
    one (an endonym, a code); a major place excepted (with ``major`` False not: the name is a famous person's)."""
    if cand.type != "LOC" or cand.kind == "demonym" or cand.lang in (None, "", "-", lang) \
            or major and cand.prior >= MAJOR_PLACE_PRIOR:
        return False
    key = norm_key(surface)
    names = getattr(kb, "names", None)
    if callable(names):
        rows = names(cand.qid)
    else:  # a KB without a list of names: its labels
        ent = kb.entity(cand.qid)
        rows = [(label, "label", label_lang) for label_lang, label in (ent.labels.items() if ent else ())]
    return not any(name_lang in (None, "", "-", lang) and norm_key(name) == key for name, _kind, name_lang in rows)


def kind_noun(text: str, start: int) -> str | None:
    """"city" or "region" when the word right before a name at ``start`` (or that word and "of") is a noun of a
    settlement or of a region, else None."""
    hit = _KIND_BEFORE.search(text, max(0, start - 30), start)
    noun = hit.group(1) if hit else ""
    return "city" if noun in CITY_NOUNS else "region" if noun in REGION_NOUNS else None


def place_kind_misfit(ctx: DocContext, cand: Candidate, kind: str, of: bool = False) -> bool:
    """Is ``cand`` no place of the kind ``kind`` says: a region (no city or country class, a description that
    names a subdivision) after a settlement's noun, a city after a region's; no place at all after a settlement's
    noun or a region's with *of* (``of``)? "The coastal city Imperia", "the state of Washington" name a place, not
    the film, the company or the person of that name (a big KB has one of each for most place names); a region's
    noun alone also qualifies an institution ("the state Supreme Court", "the state Democratic Party")."""
    if cand.type != "LOC":
        return cand.kind != "demonym" and (kind == "city" or of)
    ent = ctx.entity(cand.qid)
    if ent is None:
        return False
    classes = set(ent.classes)
    if classes & COUNTRY_CLASSES:
        return False
    if kind == "region":
        return bool(classes & CITY_CLASSES)
    first = (ent.descriptions.get("en") or "").split(" ", 1)[0].lower()
    return not classes & CITY_CLASSES and first in REGION_DESCRIPTIONS


def by_name_and_kind(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """Each English mention without the places only a third language names so and the places of the other kind
    than the noun before it says."""
    if ctx.lang != "en":
        return list(mentions)
    out = []
    for m in mentions:
        if not m.candidates or m.kind == "demonym":
            out.append(m)
            continue
        kind = kind_noun(ctx.text, m.start)
        # a famous person's surname is no major place's name in a third language ("Merkel met Hollande")
        major = not any(c.type == "PER" and c.kind == "surname" and c.prior >= FAMOUS_SURNAME_PRIOR
                        for c in m.candidates)
        keep = tuple(c for c in m.candidates if not foreign_name_only(ctx.kb, c, m.text.strip(), ctx.lang, major)
                     and not (kind and place_kind_misfit(ctx, c, kind, ctx.text.endswith(" of ", 0, m.start))))
        out.append(replace(m, candidates=keep) if len(keep) != len(m.candidates) else m)
    return out


def _country_of(ctx: DocContext, qid: str) -> str | None:
    ent = ctx.entity(qid)
    if ent is None:
        return None
    if set(ent.classes) & COUNTRY_CLASSES:
        return qid
    return ctx.country_claim(qid)


#: a first-pass leader this probable tells where the document is (a lower bar than the context's: a place
#: mentioned once in a short text rarely reaches it)
LEADER_PROBABILITY = 0.5


def first_leaders(first: Sequence[tuple[Candidate, ...]]) -> list[Candidate | None]:
    """Each mention's first-pass leader when it is at least ``LEADER_PROBABILITY`` probable, else None."""
    return [r[0] if r and r[0].score >= LEADER_PROBABILITY else None for r in first]


def without(mention: Mention, ranked: tuple[Candidate, ...], gone: set[str]) -> tuple[Mention, tuple[Candidate, ...]]:
    """``mention`` and its ranking without the candidates ``gone`` (QIDs)."""
    if not gone:
        return mention, ranked
    return (replace(mention, candidates=tuple(c for c in mention.candidates if c.qid not in gone)),
            tuple(c for c in ranked if c.qid not in gone))


def foreign_small_place(ctx: DocContext, cand: Candidate, leaders: set[str], countries: set[str]) -> bool:
    """A small place (no country, prior below ``SMALL_PLACE_PRIOR``) in a country that is none of ``countries``
    (those of the document's other places), related to none of the other names' readings ``leaders``."""
    if cand.type != "LOC" or cand.prior >= SMALL_PLACE_PRIOR or not countries:
        return False
    country = _country_of(ctx, cand.qid)
    if country is None or country == cand.qid or country in countries or country in leaders:
        return False
    return not ctx.related(cand.qid) & leaders


def by_country(mentions: Sequence[Mention], first: Sequence[tuple[Candidate, ...]], ctx: DocContext
               ) -> tuple[list[Mention], list[tuple[Candidate, ...]]]:
    """Each English mention, and its first-pass ranking ``first``, without the small places of a country the
    document has nothing else of: no other mention's first-pass leader (``LEADER_PROBABILITY``) is that country,
    lies in it or relates to the place, while some lie in another country."""
    if ctx.lang != "en":
        return list(mentions), list(first)
    lead = first_leaders(first)
    out, ranked = [], []
    for i, (m, r) in enumerate(zip(mentions, first, strict=True)):
        if any(c.type == "LOC" and c.prior < SMALL_PLACE_PRIOR for c in m.candidates):
            others = {c.qid for j, c in enumerate(lead) if c is not None and j != i} - {c.qid for c in m.candidates}
            countries = {k for q in others if (k := _country_of(ctx, q)) is not None}
            m, r = without(m, r, {c.qid for c in m.candidates if foreign_small_place(ctx, c, others, countries)})
        out.append(m)
        ranked.append(r)
    return out, ranked


#: a prior this much higher is about ten times the sitelinks and statements (``wikidata_json.prior_from_counts``: 0.22
#: per tenfold): popularity alone that outweighs what the document says for a namesake
DECADE_PRIOR = 0.22
#: what the document says for a candidate (``features.FEATURE_NAMES``), each counting against its being dominated:
#: the name as written, the NER's type, the context's entities, words and patterns
_FOR_IT = tuple(FEATURE_NAMES.index(n) for n in (
    "exact_case", "folded_equal", "type_agree", "coherence", "city_state", "doc_acronym", "predicate_fit", "cue_fit",
    "description_overlap", "full_label_in_doc", "country_fit"))
#: what says clearly more for a candidate, so that it dominates one with nothing more for it (besides a relation to
#: the document's entities other than through a country: ``specific_coherence``; and two words of its description)
_CLEARLY = tuple(FEATURE_NAMES.index(n) for n in ("city_state", "doc_acronym", "predicate_fit", "cue_fit"))
_PRIOR, _OVERLAP, _COHERENCE = (FEATURE_NAMES.index(n) for n in ("prior", "description_overlap", "coherence"))
#: claims that name a country: a namesake in the document's country relates to it as thousands of others do
_COUNTRY_CLAIMS = ("P17", "P27")


def specific_coherence(ctx: DocContext, m: Mention, cand: Candidate) -> float:
    """As ``DocContext.coherence`` (a hit per confident entity of the document ``cand`` relates to, one more when one
    of them relates to it; two are full), without the candidate's own countries: a big KB has thousands of namesakes
    in any country a document names, so a country is no evidence for one of them."""
    ent = ctx.entity(cand.qid)
    countries = {q for p in _COUNTRY_CLAIMS for q in (ent.claims.get(p, ()) if ent is not None else ())}
    others = ctx.context - {c.qid for c in m.candidates} - countries
    hits = len(ctx.related(cand.qid) & others) + any(cand.qid in ctx.related(q) for q in others)
    return min(1.0, hits / 2)


def dominated(vec: Sequence[float], other: Sequence[float], coherence: float = 0.0, other_coherence: float = 0.0
              ) -> bool:
    """Is the candidate of feature vector ``vec`` dominated by the one of ``other``: nothing in the document says
    more for it (``_FOR_IT``), something says clearly more for the other (``_CLEARLY``, its ``specific_coherence``
    ``other_coherence`` against ``coherence``, two words of its description), and it is not ten times as popular
    (``DECADE_PRIOR``)?"""
    if vec[_PRIOR] - other[_PRIOR] >= DECADE_PRIOR or any(vec[j] > other[j] for j in _FOR_IT):
        return False
    return any(other[j] > vec[j] for j in _CLEARLY) or other_coherence > coherence \
        or other[_OVERLAP] >= 2 / 3 > vec[_OVERLAP]


def by_support(mentions: Sequence[Mention], first: Sequence[tuple[Candidate, ...]], ctx: DocContext
               ) -> tuple[list[Mention], list[tuple[Candidate, ...]]]:
    """Each mention, and its first-pass ranking ``first``, without the candidates another candidate of its name
    dominates (``dominated``): in a big KB most names have namesakes (a village, a minor person, a company, a
    film), and one that is neither much more popular nor supported by anything in the document is not what the
    text means when another reading is ("Darmstadt" next to "Hessen" is the city, not a person of that surname;
    "Washington University" after "professor" the university, not a company of that name)."""
    out, ranked = [], []
    for i, (m, r) in enumerate(zip(mentions, first, strict=True)):
        if len(m.candidates) > 1:
            vectors = relative([features(m, c, ctx, m.candidates, i) for c in m.candidates])
            coh = [specific_coherence(ctx, m, c) if v[_COHERENCE] else 0.0 for c, v in zip(m.candidates, vectors,
                                                                                             strict=True)]
            gone = {c.qid for k, c in enumerate(m.candidates)
                    if any(dominated(vectors[k], vectors[j], coh[k], coh[j]) for j in range(len(vectors)) if j != k)}
            if gone:
                ctx.dominated[i] = ctx.dominated.get(i, ()) + tuple(c for c in m.candidates if c.qid in gone)
            m, r = without(m, r, gone)
        out.append(m)
        ranked.append(r)
    return out, ranked


def with_dominated(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """Each mention with the candidates ``by_support`` set aside back at the end of its ranking, scored 0: they
    were candidates of its name all the same, and the confidence's risk classes count them (a name with several
    readings in the KB is no name with a single candidate; ``model.risk_classes``), as ``kgbuild link --explain``
    shows them."""
    if not ctx.dominated:
        return list(mentions)
    return [replace(m, candidates=tuple(m.candidates) + tuple(replace(c, score=0.0) for c in ctx.dominated[i]))
            if i in ctx.dominated else m for i, m in enumerate(mentions)]


#: what a sentence is about, and what a person's description says they do: a lone surname in a sentence about one
#: of these fields is a person of that field ("a duet with Harris": a musician, not a politician of that name)
FIELD_CUES: dict[str, frozenset[str]] = {
    "music": frozenset("""song songs album albums duet band bands concert concerts guitar guitars guitarist
        guitarists singer singers sang sings lyrics drummer bassist vocals vocalist gig gigs musician musicians
        rock""".split()),
    "politics": frozenset("""election elections elected senator senate campaign vote votes voters congress
        minister governor parliament cabinet democrat democrats republican republicans""".split()),
    "sport": frozenset("""match matches goal goals scored league striker midfielder goalkeeper tournament
        championship olympic olympics medal race lap""".split()),
    "film": frozenset("""film films movie movies starred starring actor actress hollywood oscar screenplay""".split()),
}
FIELD_WORDS: dict[str, tuple[str, ...]] = {f: FIELD_DESCRIPTIONS[f] for f in FIELD_CUES}


#: the sports a sentence's word fits ("goal": not basketball's or tennis's; unlike ``context.SPORT_CUES``, which picks
#: one sport for a match's teams), and the words of a person's description that name a sport (``_other_sport``)
SPORTS_OF_WORD: dict[str, frozenset[str]] = {
    "goal": frozenset({"football", "hockey", "handball", "rugby"}),
    "goals": frozenset({"football", "hockey", "handball", "rugby"}),
    "midfielder": frozenset({"football"}), "striker": frozenset({"football"}), "goalkeeper": frozenset({"football",
    "hockey", "handball"}), "penalty": frozenset({"football", "hockey", "rugby", "handball"}),
    "wicket": frozenset({"cricket"}), "wickets": frozenset({"cricket"}), "batsman": frozenset({"cricket"}),
    "rebounds": frozenset({"basketball"}), "dunk": frozenset({"basketball"}), "nba": frozenset({"basketball"}),
    "touchdown": frozenset({"american football"}), "quarterback": frozenset({"american football"}),
    "birdie": frozenset({"golf"}), "puck": frozenset({"hockey"}), "pitcher": frozenset({"baseball"}),
}
SPORTS_IN_DESCRIPTION: dict[str, tuple[str, ...]] = {
    "american football": ("american football",), "football": ("footballer", "association football", "soccer"),
    "basketball": ("basketball",), "cricket": ("cricket",), "tennis": ("tennis",), "golf": ("golf",),
    "baseball": ("baseball",), "hockey": ("hockey",), "handball": ("handball",), "rugby": ("rugby",),
}


def _other_sport(ctx: DocContext, qid: str, words: frozenset[str]) -> bool:
    """Does the person's description name only sports the sentence's words rule out ("scored the winning goal":
    not Magic Johnson, "American professional basketball player")? False when the sentence names no sport's word
    or the description no sport."""
    fits = [SPORTS_OF_WORD[w] for w in words if w in SPORTS_OF_WORD]
    if not fits:
        return False
    allowed = frozenset.intersection(*fits)
    ent = ctx.entity(qid)
    desc = " ".join(ent.descriptions.values()).casefold() if ent is not None else ""
    named = {s for s, ws in SPORTS_IN_DESCRIPTION.items() if any(w in desc for w in ws)}
    if "american football" in named:
        named.discard("football")  # "American football player" names American football only
    return bool(named) and not named & allowed


def _fields(ctx: DocContext, qid: str) -> set[str]:
    ent = ctx.entity(qid)
    desc = " ".join(ent.descriptions.values()).casefold() if ent is not None else ""
    return {f for f, words in FIELD_WORDS.items() if any(w in desc for w in words)}


def by_field(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """A lone surname in an English sentence whose words are about one field only (music, politics, sport, film),
    when the KB has persons of that surname in that field: they are its candidates, and its persons of another
    field are not ("a duet with Harris" is no politician; "Trump at the tournament" stays Trump, the KB having no
    sportsman of the name)."""
    if ctx.lang != "en":
        return list(mentions)
    out = []
    for m in mentions:
        word = m.text.strip()
        persons = [c for c in m.candidates if c.type == "PER" and c.kind == "surname"]
        if not persons or " " in word:
            out.append(m)
            continue
        words = ctx.sentence_words.get(m.sentence, frozenset())
        cued = [f for f, cues in FIELD_CUES.items() if words & cues]
        if len(cued) != 1:
            out.append(m)
            continue
        field = cued[0]
        have = {c.qid for c in m.candidates}
        extra = tuple(c for c in ctx.kb.lookup(word, lang=ctx.lang, limit=10)
                      if c.type == "PER" and c.kind == "surname" and c.qid not in have and field in _fields(ctx, c.qid))
        if extra or any(field in _fields(ctx, c.qid) for c in persons):
            # the KB has a person of that field and surname: the others of the name are not meant
            misfit = {c.qid for c in persons if (k := _fields(ctx, c.qid)) and field not in k}
            if field == "sport":  # a footballer's goal is no basketball player's
                misfit |= {c.qid for c in (*persons, *extra) if _other_sport(ctx, c.qid, words)}
            m = replace(m, candidates=tuple(c for c in m.candidates if c.qid not in misfit) + extra)
        out.append(m)
    return out
