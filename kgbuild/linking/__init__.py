"""Linking: ``Mention``s with KB candidates -> mentions with ``entity_key`` and the document's ``LinkedEntity``s.

Each candidate gets a calibrated probability of being the right entity from a learned model
(``kgbuild.linking.model``, weights in ``kgbuild/data/linker/weights.json``, trained by
``scripts/train_linker.py``) over the features of ``kgbuild.linking.features``: popularity, the kind of name
that matched, type fit, sentence cues for the kind of entity, description words in the document, coherence
with the document's confident links, the article's country, "City, State" and acronyms the document defines.
Two passes: the first scores with a context of unambiguous names, the second with the confident links of the
first; then every mention of the same name in a document takes the reading its mentions support best, and of
namesakes that differ by country the one of the article's country leads ("der sozialdemokratischen Partei" in an
Austrian article).
Short names resolve to a longer name seen earlier in the article ("Putin" -> "Wladimir Putin", "Uschakow" ->
"Juri Uschakow"). A mention whose best candidate is below the model's threshold becomes an unlinked entity
with a stable key ``nil:<TYPE>:<slug>`` built from its longest name, so that the same name and type give the
same node everywhere. The confidence written to the graph (``itsrdf:taConfidence``) is the model's probability
calibrated by the risk class of the link (``kgbuild.linking.model.Calibration``: fitted on links the model had
not seen); a link whose calibrated confidence is below the calibration's NIL threshold stays unlinked too.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Sequence

from kgbuild.kb.normalize import norm_key
from kgbuild.linking import context, domain, gender, given_names, namesakes, persons
from kgbuild.linking.dates import DateRule, by_event_year
from kgbuild.linking.explain import Trace
from kgbuild.linking.features import (
    FAMOUS_SURNAME_PRIOR,
    FEATURE_NAMES,
    PLACE_PREPOSITIONS,
    DocContext,
    features,
    fine_kinds,
    fold,
    predicate_kind,
    relative,
    same_long_form,
)
from kgbuild.linking.model import CLASS_FEATURES, LinkerModel, load_model, risk_classes
from kgbuild.linking.periods import at_date
from kgbuild.read import slugify
from kgbuild.types import Candidate, KnowledgeBase, LinkedEntity, Mention

log = logging.getLogger(__name__)

__all__ = ["FAMOUS_SURNAME_PRIOR", "LinkerConfig", "candidate_confidence", "candidate_verdict", "featurize", "link", "link_with_scores",
           "unlinked_key"]

#: a first-pass link this probable joins the document context of the second pass
CONTEXT_PROBABILITY = 0.7
BASE_INDEX = FEATURE_NAMES.index("base_score")
#: the features every candidate keeps (not only when explaining): the floor's, the calibration's and the decisions'
_KEPT = ("base_score", *CLASS_FEATURES, "given_name_unsupported")
_KEPT_INDEX = tuple((n, FEATURE_NAMES.index(n)) for n in _KEPT)


@dataclass(frozen=True)
class LinkerConfig:
    #: a weights file (default: the bundled ``kgbuild/data/linker/weights.json``)
    weights: str | None = None
    #: below this calibrated confidence a mention stays unlinked (default: the model's threshold on its
    #: probability, FLOOR_* below, then the calibration's NIL threshold); set, it is the only threshold
    nil_threshold: float | None = None
    #: keep each candidate's features (``kgbuild link --explain``)
    explain: bool = False


def unlinked_key(type_: str, name: str) -> str:
    return f"nil:{type_}:{slugify(name)}"


def _seed_context(mentions: Sequence[Mention]) -> tuple[set[str], list[str]]:
    """QIDs of names that are hardly ambiguous: the context of the first pass."""
    qids: set[str] = set()
    places: list[str] = []
    for m in mentions:
        if not m.candidates:
            continue
        top = max(m.candidates, key=lambda c: c.prior)
        second = max((c.prior for c in m.candidates if c is not top), default=0.0)
        if (len(m.candidates) == 1 and top.prior >= 0.4) or top.kind == "demonym" \
                or (top.prior >= 0.7 and top.prior - second >= 0.2):
            qids.add(top.qid)
            if top.type == "LOC":
                places.append(top.qid)
    return qids, places


def _with_document_acronyms(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """An acronym whose long form the document names gets that entity as a candidate ("IOC"), and the document's
    long form settles it: a reading whose names do not write that long form is no reading of it ("International
    Olympic Committee (IOC)": not the International Olive Council, whose short name IOC also is; an organisation the
    KB does not know stays an unlinked entity)."""
    out = []
    for m in mentions:
        text = m.text.strip().replace(".", "")
        acro = text.isupper() and 2 <= len(text) <= 6
        qids = ctx.acronyms.get(text) if acro else None
        longs = ctx.long_forms.get(text, ()) if acro else ()
        if longs and m.candidates:
            spelt = {c.qid for long in sorted(longs) for c in ctx.kb.lookup(long, lang=ctx.lang, limit=10)}
            kept = tuple(c for c in m.candidates if c.qid in (qids or ()) or c.qid in spelt or any(
                same_long_form(label, long) for label in getattr(ctx.entity(c.qid), "labels", {}).values()
                for long in longs))
            if len(kept) < len(m.candidates):
                m = replace(m, candidates=kept)
        have = {c.qid for c in m.candidates}
        extra = []
        for qid in sorted((qids or set()) - have):
            ent = ctx.entity(qid)
            if ent is not None:
                extra.append(Candidate(qid, m.text, "short", ent.prior, ent.type, None))
        out.append(replace(m, candidates=tuple(m.candidates) + tuple(extra)) if extra else m)
    return out


_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}")


def inflection_misfit(text: str, cand: Candidate, lang: str) -> bool:
    """A KB name the lookup matched as an inflected form the mention cannot be of that name: an acronym under a
    word that is no acronym ("Cars" as CAR, "Mars" as MAR: the part of the word the acronym matched is not
    written in capitals; "BNDs" of BND is), a word under an abbreviation ("B.A." is no "Ba"), or in English a
    name with a plural -s ("Vegas" as Vega, "Fiats": English has no genitive without an apostrophe, so a plural
    of a proper name is a family, a fleet or a name of its own). Nationalities ("Americans") are not names of
    this kind."""
    word = text.strip()
    name = cand.name.strip()
    if cand.kind == "demonym" or not name:
        return False
    plain = name.replace(".", "")
    if _ABBREVIATION.fullmatch(word) and not plain.isupper():
        return True  # "B.A." is no word "Ba"
    key, name_key = norm_key(word), norm_key(name)
    if key == name_key:
        return False
    if plain.isupper() and len(plain) >= 2 and not word[:len(name)].replace(".", "").isupper():
        return True
    return lang == "en" and "'" not in word and "’" not in word and word[:1].isupper() \
        and key in (name_key + "s", name_key + "es")


def _without_inflection_misfits(mentions: Sequence[Mention], lang: str) -> list[Mention]:
    """Each mention without its ``inflection_misfit`` candidates (nothing left: it stays an unlinked name)."""
    out = []
    for m in mentions:
        keep = tuple(c for c in m.candidates if not inflection_misfit(m.text, c, lang))
        out.append(replace(m, candidates=keep) if len(keep) != len(m.candidates) else m)
    return out


def _as_called(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """A name the sentence calls a kind of entity ("Orange is a telecommunications company", "Cairo was the code
    name for a project"; ``features.predicate_kind``) keeps the candidates of that kind (its own, else the KB's of
    that name and kind); without any, it loses those of another known kind (the places and persons of its name:
    the entity is none of them), keeping candidates the KB says nothing about."""
    out = []
    for m in mentions:
        called = predicate_kind(ctx.text, m.end, ctx.lang) if m.candidates and m.kind != "demonym" else None
        if called is None:
            out.append(m)
            continue
        kinds = [fine_kinds(ctx.entity(c.qid), c) for c in m.candidates]
        fit = tuple(c for c, k in zip(m.candidates, kinds, strict=True) if called in k)
        if not fit:  # the spotter kept the candidates of one type: the KB's others of that name
            fit = tuple(c for c in ctx.kb.lookup(m.text.strip(), lang=ctx.lang, limit=10)
                        if c.kind != "surname" and called in fine_kinds(ctx.entity(c.qid), c)
                        and not inflection_misfit(m.text, c, ctx.lang))
        keep = fit or tuple(c for c, k in zip(m.candidates, kinds, strict=True) if not k)
        out.append(replace(m, candidates=keep) if keep != tuple(m.candidates) else m)
    return out


#: words of a sentence that make "at <place>" the place's university ("a professor at Cambridge", "studied at
#: Berkeley"; English)
ACADEMIC_CUES = frozenset("""professor professorship lecturer scholar studied study studies student students graduate
    graduated degree doctorate phd bsc msc dissertation thesis faculty alumnus alumna fellowship chair""".split())
_AT = re.compile(r"\b[Aa]t (?:the )?$")


def _academic_at(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """A place after "at" in an English sentence about studies or a scholar's post ("Professor of Physics at
    Cambridge", "went to Sheffield University ... At Sheffield, he obtained a degree") is its university when the
    KB has one of that name among its candidates ("Cambridge" names the university too), or when the document
    names the university in full ("University of X" / "X University", another mention of the document): its
    candidates become those universities. A place is no short form of an organisation named after it: without
    the full name in the document, "former teacher at Glasgow" and "studied at Bologna" stay the cities."""
    if ctx.lang != "en":
        return list(mentions)
    named: dict[str, set[str]] = {}  # folded word of a longer mention -> its candidates' QIDs
    for m in mentions:
        if " " in m.text.strip():
            for word in m.text.split():
                named.setdefault(fold(word), set()).update(c.qid for c in m.candidates)
    out = []
    for m in mentions:
        words = ctx.sentence_words.get(m.sentence, frozenset())
        if not (m.candidates and any(c.type == "LOC" for c in m.candidates) and words & ACADEMIC_CUES
                and _AT.search(ctx.text, max(0, m.start - 8), m.start)):
            out.append(m)
            continue
        name = m.text.strip()
        unis = tuple(c for c in m.candidates if "university" in fine_kinds(ctx.entity(c.qid), c))
        if not unis:
            found: dict[str, Candidate] = {}
            in_doc = named.get(fold(name), set())  # the university's full name in the document
            for form in (f"University of {name}", f"{name} University"):
                for c in ctx.kb.lookup(form, lang=ctx.lang, limit=5):
                    if c.qid in in_doc and "university" in fine_kinds(ctx.entity(c.qid), c) and c.qid not in found:
                        found[c.qid] = Candidate(c.qid, c.name, "short", c.prior, c.type, c.lang)
            unis = tuple(found.values())
        out.append(replace(m, candidates=unis) if unis else m)
    return out


#: "<place noun> of X" makes X a place ("a suburban part of Surrey", "north of Leeds", "the city of Basel")
_PLACE_OF = re.compile(r"\b(?:part|parts|north|south|east|west|outskirts|suburb|suburbs|city|town|village|county|"
                       r"province|capital|heart|centre|center|Stadt|Gemeinde|Kanton|Provinz) of (?:the )?$|"
                       r"\b(?:Stadt|Gemeinde|Kanton|Provinz|Hauptstadt) $")


def _after_place_word(text: str, start: int, lang: str) -> bool:
    """Does a place preposition ("in", "nach", old German "zu": "geboren zu Aachen") or "<place noun> of" come
    right before ``start``?"""
    before = text[max(0, start - 30):start]
    words = before.split()
    return bool(words) and (words[-1].lower() in PLACE_PREPOSITIONS or lang == "de" and words[-1] == "zu") \
        or bool(_PLACE_OF.search(before))


def _places_taken_for_persons(mentions: Sequence[Mention], kb: KnowledgeBase, lang: str,
                              ctx: DocContext) -> list[Mention]:
    """A name the NER took for a person whose candidates are all places, that the KB knows as no person's name
    (no person of that name or surname, no first name) and that follows a place preposition or "part of" ("zu
    Davos verstorben", "a suburban part of Surrey"), is a place: the NER's type is dropped for the place's. A
    name the KB knows as a person's ("wrote to Lincoln") keeps the NER's type."""
    out = []
    for m in mentions:
        text = m.text.strip()
        if not (m.type == "PER" and "ner" in m.source.split("+") and m.candidates
                and all(c.type == "LOC" for c in m.candidates) and _after_place_word(ctx.text, m.start, lang)) \
                or ctx.given_name(text) or any(c.type == "PER" for c in kb.lookup(text, lang=lang, limit=20)):
            out.append(m)
            continue
        out.append(replace(m, type="LOC"))
    return out


#: prepositions of where, before which a name is a place's, not a person's ("across Wales", "im Elsass")
_WHERE_PREPOSITIONS = frozenset({"in", "across", "near", "outside", "into", "throughout", "im", "bei"})


def _no_surnames_in_places(mentions: Sequence[Mention], lang: str, ctx: DocContext) -> list[Mention]:
    """A name that is a place's own name in the KB and that a place preposition comes before is no person called
    by that surname ("heavy rain across Wales": not Charles III, whom the KB calls "Wales" too): its persons of that
    surname go. The preposition is one of where ("in", "across", "near", "im"), or any place preposition ("to",
    "from") when the NER reads the name as a place; a person after "to" or "from" ("wrote to Lincoln") keeps them."""
    out = []
    for m in mentions:
        sources = m.source.split("+")
        words = ctx.text[max(0, m.start - 30):m.start].split()
        where = bool(words) and words[-1].lower() in _WHERE_PREPOSITIONS
        if " " not in m.text.strip() and any(c.kind == "surname" for c in m.candidates) \
                and any(c.type == "LOC" and c.kind == "label" for c in m.candidates) \
                and (where or m.type == "LOC" and "ner" in sources and _after_place_word(ctx.text, m.start, lang)):
            m = replace(m, candidates=tuple(c for c in m.candidates if c.kind != "surname"))
        out.append(m)
    return out


#: how many persons of one surname a lone surname gets as candidates (the most popular first)
SURNAME_CANDIDATES = 5


def _with_untyped_candidates(mentions: Sequence[Mention], kb: KnowledgeBase, lang: str) -> list[Mention]:
    """Candidates the NER's type kept away. The NER's type of a name is unreliable ("Beckett studied ..." as a
    place, "Bologna" or "Pixar" as a person), and the spotter looks up a person for a PER name and no surnames
    for other names: a NER mention without candidates gets the KB's entities of its name whatever their type,
    and a capitalised word left without a candidate (or only with ones of another type than the NER's) gets the
    KB's persons of that surname ("Bosch" the company keeps its candidates alone). The
    model weighs them (the NER's type disagreeing, a surname alone, the prior, the document's words and links)."""
    out = []
    for m in mentions:
        text = m.text.strip()
        if "ner" not in m.source.split("+") or m.kind == "demonym":
            out.append(m)
            continue
        have = {c.qid for c in m.candidates}
        found = kb.lookup(text, lang=lang, limit=10)
        given = m.type == "PER" and " " not in text and getattr(kb, "is_given_name", None) is not None \
            and kb.is_given_name(text, lang=lang)  # "Eric" alone is a person's first name, not ERIC
        extra = [] if m.candidates or given else [
            c for c in found if c.kind != "surname" and (text.isupper() or not c.name.isupper())]
        if (" " not in text and "-" not in text and len(text) >= 3 and text[:1].isupper() and not text.isupper()
                and not m.candidates and not any(c.type in ("PER", m.type) for c in extra)):
            extra += [c for c in found if c.kind == "surname" and c.type == "PER"
                      and fold(c.name) == fold(text)][:SURNAME_CANDIDATES]
        extra = [c for c in extra if c.qid not in have]
        out.append(replace(m, candidates=tuple(m.candidates) + tuple(extra)) if extra else m)
    return out


#: an entity related to more entities than this is no source of candidates for a lone name (a country relates to
#: every place in it)
ANCHOR_MAX_RELATED = 400
#: how many readings of each mention (first-pass order) count for coherence among uncertain names
SUPPORT_READINGS = 3
#: first words of organisation names that do not name one alone ("City" of Manchester City, "Royal")
GENERIC_ORG_WORDS = frozenset("""city united county club sporting athletic national royal real new north south east west
    central american british international general first saint st university college school the""".split())


#: QID -> (the KB memo's rows it was made from, (type, prior, [(name, kind), ...], every folded word of the names))
_NAME_INDEX: dict[str, tuple[list, tuple[str, float, list, frozenset[str]] | None]] = {}


def _indexed_names(kb: KnowledgeBase, qids: Sequence[str], ctx: DocContext
                   ) -> dict[str, tuple[str, float, list, frozenset[str]]]:
    """``_names_of`` with the folded words of each entity's names, kept per process: an entry stands for as long
    as the KB hands back the very same rows (``names_rows``), so it is never older than the KB's own memo."""
    rows_of = getattr(kb, "names_rows", None)
    if not callable(rows_of):
        return {q: (t, p, names, frozenset().union(*(_name_words(n) for n, _ in names)))
                for q, (t, p, names) in _names_of(kb, qids, ctx).items()}
    out = {}
    if len(_NAME_INDEX) > 200_000:
        _NAME_INDEX.clear()
    for qid, rows in rows_of(qids).items():
        hit = _NAME_INDEX.get(qid)
        if hit is None or hit[0] is not rows:
            names = [(r[3], r[4]) for r in rows if r[1] in ("PER", "ORG")]
            entry = (rows[0][1], rows[0][2], names, frozenset().union(*(_name_words(n) for n, _ in names))) \
                if names else None
            hit = _NAME_INDEX[qid] = (rows, entry)
        if hit[1] is not None:
            out[qid] = hit[1]
    return out


def _names_of(kb: KnowledgeBase, qids: Sequence[str], ctx: DocContext) -> dict[str, tuple[str, float, list]]:
    """QID -> (type, prior, [(name, kind), ...]) of the persons and organisations among ``qids``: every KB name
    when the KB lists them (one batched query), else the labels."""
    out: dict[str, tuple[str, float, list]] = {}
    batch = getattr(kb, "names_of", None)
    if callable(batch):
        for qid, type_, prior, name, kind in batch(qids, ("PER", "ORG")):
            out.setdefault(qid, (type_, prior, []))[2].append((name, kind))
        return out
    for qid in qids:
        ent = ctx.entity(qid)
        if ent is not None and ent.type in ("PER", "ORG"):
            out[qid] = (ent.type, ent.prior, [(label, "label") for label in ent.labels.values()])
    return out


#: which of an entity's names a generated candidate reports first
_NAME_ORDER = {"label": 0, "wikipedia": 1, "official": 2, "alias": 3, "short": 4, "surname": 5}


def _matching_name(text: str, etype: str, names: list[tuple[str, str]], owned: bool) -> tuple[str, str] | None:
    """How a lone name ``text`` names an entity of type ``etype`` with ``names``, as (name, kind): a person's
    surname or first name (a word of the person's label, kind "surname" like the KB's surnames; not of an alias,
    which may be a pen name: "David Winter"), or a whole one-word alias ("alias"). An organisation only when the
    name is no entity's full name already (``owned``: "Israel" stays the country's name, not the first word of a
    national team's): by a one-word alias or the first word of its label ("Hertha" of Hertha BSC, kind "short";
    not a generic word like "City"). None when it does not name it."""
    word = fold(text.strip())
    if etype != "PER" and owned:
        return None
    for name, kind in sorted(names, key=lambda nk: (_NAME_ORDER.get(nk[1], 9), nk[0])):
        tokens = name.split()
        if fold(name) == word:
            return name, ("surname" if kind == "surname" else "alias")
        if len(tokens) < 2 or kind not in ("label", "wikipedia"):
            continue
        if etype == "PER":
            for token in (tokens[-1], tokens[0]):
                if fold(token) == word:
                    return token, "surname"
        elif etype == "ORG" and fold(tokens[0]) == word and word not in GENERIC_ORG_WORDS:
            return tokens[0], "short"
    return None


@functools.lru_cache(maxsize=200_000)  # the same related entities' names recur from article to article
def _name_words(name: str) -> frozenset[str]:
    """A name folded whole and word by word (what a lone name of the document may match)."""
    return frozenset({fold(name), *map(fold, name.split())})


def _with_related_candidates(mentions: Sequence[Mention], first: Sequence[tuple[Candidate, ...]], ctx: DocContext,
                             kb: KnowledgeBase) -> list[Mention]:
    """A lone name ("Beck", "Steve", "Hertha") gets as candidates the persons and organisations it names among
    the entities related to the document's other readings: its confident links and each other mention's
    first-pass leader ("Clapton, Beck and Page": Jeff Beck and Jimmy Page through Eric Clapton). The KB's own
    candidates of the name stay; the model weighs them all (coherence, prior, kind of name)."""
    lone = [i for i, m in enumerate(mentions) if persons.lone_name(m)]
    if not lone:
        return list(mentions)
    anchors: dict[str, set[str]] = {q: set() for q in ctx.context}  # QID -> folded texts it reads
    for m, ranked in zip(mentions, first, strict=True):
        if ranked:
            anchors.setdefault(ranked[0].qid, set()).add(fold(m.text.strip()))
    near: set[str] = set()  # the entities related to a reading
    sources = []  # (entities related to a reading, the texts of that reading)
    for q, texts in anchors.items():
        rel = ctx.related(q)
        if len(rel) > ANCHOR_MAX_RELATED:
            continue
        near |= rel
        sources.append((rel, texts or {""}))
    words = {fold(mentions[i].text.strip()) for i in lone}
    named: dict[str, set[str]] = {}  # folded word of a name -> QIDs of the related entities it may name
    entities = _indexed_names(kb, sorted(near), ctx)
    for qid, (_type, _prior, names, name_words) in entities.items():
        if name_words.isdisjoint(words):
            continue
        for name, _kind in names:
            for token in _name_words(name) & words:
                named.setdefault(token, set()).add(qid)
    out = list(mentions)
    for i in lone:
        m = mentions[i]
        own = fold(m.text.strip())
        have = {c.qid for c in m.candidates}
        owned = any(c.kind in ("label", "official", "wikipedia") and fold(c.name) == own for c in m.candidates)
        extra = []
        for qid in sorted(named.get(own, ()), key=lambda q: (len(q), q)):
            if qid in have or set().union(*(texts for rel, texts in sources if qid in rel)) == {own}:
                continue  # related only to readings of this very name
            type_, prior, names, _words = entities[qid]
            match = _matching_name(m.text, type_, names, owned)
            if match is not None:
                extra.append(Candidate(qid, match[0], match[1], prior, type_, None))
        if extra:
            out[i] = replace(m, candidates=tuple(m.candidates) + tuple(extra))
    return out


#: a namesake of the article's country takes the lead over a candidate this much more popular at most ("SPÖ"
#: over "SPD" in an Austrian article); a famous place keeps it ("Paris" stays the French capital)
COUNTRY_NAMESAKE_MARGIN = 0.15
#: how many entities of the leading reading's name are looked at for one in the article's country: a big KB has
#: dozens of places of one name ("Pottenstein": a village in Austria, a town in Bavaria, and the namesakes), and
#: the one of the article's country need not be among the ten most popular
COUNTRY_NAMESAKE_LOOKUP = 50


def _with_country_namesakes(mentions: Sequence[Mention], first: Sequence[tuple[Candidate, ...]], ctx: DocContext,
                            kb: KnowledgeBase) -> list[Mention]:
    """A place or organisation whose first-pass reading lies in another country than the article's gets the KB's
    entities of the same name and type in the article's country as candidates ("Pottenstein" in an Austrian
    article: the Austrian village, which the spotter left out as rare)."""
    if ctx.country is None:
        return list(mentions)
    out = list(mentions)
    for i, (m, ranked) in enumerate(zip(mentions, first, strict=True)):
        if not ranked or ranked[0].type not in ("LOC", "ORG") or m.kind == "demonym":
            continue
        lead = ranked[0]
        if ctx.country_claim(lead.qid) in (None, ctx.country) or lead.qid == ctx.country:
            continue
        have = {c.qid for c in m.candidates}
        extra = tuple(c for c in kb.lookup(lead.name, lang=ctx.lang, limit=COUNTRY_NAMESAKE_LOOKUP)
                      if c.qid not in have and c.type == lead.type and c.kind == lead.kind and fold(c.name) == fold(lead.name)
                      and lead.prior - c.prior <= COUNTRY_NAMESAKE_MARGIN and ctx.country_claim(c.qid) == ctx.country)
        if extra:
            out[i] = replace(m, candidates=tuple(m.candidates) + extra)
    return out


def _country_namesakes_first(mentions: list[Mention], ctx: DocContext) -> list[Mention]:
    """Namesakes that differ by country ("Sozialdemokratische Partei Deutschlands / Österreichs" for "der
    sozialdemokratischen Partei", two villages "Pottenstein"): when the leading place or organisation lies in
    another country than the article's and a candidate of the same type, nearly as popular (within
    ``COUNTRY_NAMESAKE_MARGIN`` of its prior), lies in the article's country, that one takes the lead (with the
    leader's score: the document decides between the namesakes, not how sure the name is)."""
    if ctx.country is None:
        return mentions
    out = []
    for m in mentions:
        lead = m.candidates[0] if m.candidates else None
        if lead is None or lead.type not in ("LOC", "ORG") or m.kind == "demonym" \
                or ctx.country_claim(lead.qid) in (None, ctx.country) or lead.qid == ctx.country:
            out.append(m)
            continue
        local = [c for c in m.candidates[1:] if c.type == lead.type and lead.prior - c.prior <= COUNTRY_NAMESAKE_MARGIN
                 and ctx.country_claim(c.qid) == ctx.country]
        if len(local) != 1:
            out.append(m)
            continue
        top = replace(local[0], score=lead.score)
        out.append(replace(m, candidates=(top, *(c for c in m.candidates if c.qid != top.qid))))
    return out


def _score_pass(mentions: Sequence[Mention], ctx: DocContext, model: LinkerModel, explain: bool
                ) -> list[tuple[Candidate, ...]]:
    ranked_all = []
    for i, m in enumerate(mentions):
        ranked = []
        for cand, vec in zip(m.candidates, relative([features(m, c, ctx, m.candidates, i) for c in m.candidates]),
                             strict=True):
            p = model.probability(vec)
            feats = tuple((n, round(v, 3)) for n, v in zip(FEATURE_NAMES, vec, strict=True) if v and n != "bias") \
                if explain else tuple((n, round(vec[j], 3)) for n, j in _KEPT_INDEX if vec[j] or j == BASE_INDEX)
            ranked.append(replace(cand, score=round(p, 4), features=feats))
        ranked.sort(key=lambda c: (-c.score, c.qid))
        ranked_all.append(tuple(ranked))
    return ranked_all


def document_context(mentions: Sequence[Mention], kb: KnowledgeBase, lang: str, text: str,
                     model: LinkerModel | None, dates: DateRule | None = None) -> tuple[list[Mention], DocContext]:
    """The document's context for the final pass: acronyms, and the confident links of a first pass
    (with ``model`` None, only the unambiguous names: the first pass itself). ``dates``: the candidates the
    article's date rules out are taken away (``kgbuild.linking.dates``)."""
    ctx = DocContext.build(mentions, kb, lang, text)
    mentions = persons.persons_not_organisations(_with_untyped_candidates(mentions, kb, lang), kb, text, lang)
    mentions = _places_taken_for_persons(persons.with_surname_persons(mentions, kb, lang), kb, lang, ctx)
    mentions = by_event_year(_no_surnames_in_places(mentions, lang, ctx), kb, text, lang)
    mentions = persons.by_occupation(namesakes.by_field(namesakes.by_name_and_kind(mentions, ctx), ctx), ctx)
    mentions = domain.by_field(mentions, ctx)
    mentions = _as_called(_with_document_acronyms(_without_inflection_misfits(mentions, lang), ctx), ctx)
    mentions = gender.by_title(context.by_kind_noun(_academic_at(mentions, ctx), ctx), text, kb)
    if dates is not None:
        mentions = dates.apply(mentions)
    qids, places = _seed_context(mentions)
    ctx.set_context(qids, places)
    if model is not None:
        first = _score_pass(mentions, ctx, model, False)
        confident = [r[0] for r in first if r and r[0].score >= CONTEXT_PROBABILITY]
        ctx.set_context({c.qid for c in confident} | qids,
                        [c.qid for c in confident if c.type == "LOC"] + places)
        mentions, first = context.by_home_country(*namesakes.by_country(*namesakes.by_support(mentions, first, ctx), ctx), ctx)
        mentions = gender.by_title(
            _with_country_namesakes(_with_related_candidates(mentions, first, ctx, kb), first, ctx, kb), text, kb)
        mentions = domain.players_clubs(mentions, first, ctx, model.threshold)
        if dates is not None:
            mentions = dates.apply(mentions)
        order = [{c.qid: k for k, c in enumerate(r)} for r in first]
        ctx.set_support([(m.text, [c.qid for c in sorted(m.candidates, key=lambda c: rank.get(c.qid, -1))
                                   ][:SUPPORT_READINGS]) for m, rank in zip(mentions, order, strict=True)])
    return mentions, ctx


def featurize(mentions: Sequence[Mention], kb: KnowledgeBase, lang: str, text: str,
              model: LinkerModel | None = None) -> list[list[tuple[Candidate, list[float]]]]:
    """The feature vectors of every candidate of every mention, as the linker's final pass sees them
    (``model``: the model of the first pass; None for first-pass features). Used to train the model."""
    mentions, ctx = document_context(mentions, kb, lang, text, model)
    return [list(zip(m.candidates, relative([features(m, c, ctx, m.candidates, i) for c in m.candidates]), strict=True))
            for i, m in enumerate(mentions)]


def _one_sense(mentions: list[Mention]) -> list[Mention]:
    """Every mention of the same name takes the reading its mentions support best (one sense per document)."""
    best: dict[str, dict[str, float]] = defaultdict(dict)
    for m in mentions:
        for c in m.candidates:
            key = fold(m.text)
            best[key][c.qid] = max(best[key].get(c.qid, 0.0), c.score)
    out = []
    for m in mentions:
        support = best.get(fold(m.text), {})
        if len(m.candidates) > 1 and support:
            ranked = sorted(m.candidates, key=lambda c: (-support.get(c.qid, 0.0), -c.score, c.qid))
            if ranked[0].qid != m.candidates[0].qid:
                top = replace(ranked[0], score=round(min(support[ranked[0].qid], max(c.score for c in m.candidates)), 4))
                m = replace(m, candidates=(top, *ranked[1:]))
        out.append(m)
    return out


def link(mentions: Sequence[Mention], kb: KnowledgeBase, lang: str, cfg: LinkerConfig | None = None,
         text: str | None = None, published: dt.date | None = None) -> tuple[list[Mention], list[LinkedEntity]]:
    """Link all mentions of one document; returns the linked mentions and the document's entities. With the
    article's date ``published``, a country is the state that existed then (``kgbuild.linking.periods``), a
    person born or an organisation founded after it is no candidate (``kgbuild.linking.dates``), and an old
    article's links are less certain (``model.RISK_CLASSES``)."""
    out, entities, _ = link_with_scores(mentions, kb, lang, cfg, text, published)
    return out, entities


def link_with_scores(mentions: Sequence[Mention], kb: KnowledgeBase, lang: str, cfg: LinkerConfig | None = None,
                     text: str | None = None, published: dt.date | None = None
                     ) -> tuple[list[Mention], list[LinkedEntity], dict[int, tuple[float, frozenset[str]]]]:
    """As ``link``, and for every mention linked to a QID before calibration (by index): the model's probability
    and the link's risk classes, what the confidence is calibrated from (``scripts/train_linker.py``)."""
    cfg = cfg or LinkerConfig()
    model = load_model(cfg.weights)
    explicit = cfg.nil_threshold is not None  # an explicit threshold is the only one, on the calibrated confidence
    threshold = 0.0 if explicit else model.threshold
    cut = float(cfg.nil_threshold) if explicit else None  # None: the calibration's, by class
    if text is None:
        text = " ".join(m.text for m in mentions)
    dates = DateRule(kb, published)
    mentions, ctx = document_context(mentions, kb, lang, text, model, dates)
    trace = Trace() if cfg.explain else None
    step = trace.rankings if trace else lambda _stage, _before, after: after  # what each rule changed, when explaining
    scored = _score_pass(mentions, ctx, model, cfg.explain)
    if trace:
        trace.scored(scored)
    final = step("by_occupation_lead", scored, persons.by_occupation_lead(mentions, scored, ctx))
    final = step("by_coherence", final, persons.by_coherence(mentions, final, ctx, model.threshold))
    final = step("by_given_name", final, given_names.by_given_name(mentions, final, ctx, model.threshold))
    final = step("unsettled_namesakes", final, persons.unsettled_namesakes(mentions, final))
    final = step("persons_not_places", final, persons.persons_not_places(mentions, final, text, lang))
    linked = [replace(m, candidates=r) if m.candidates or r else m for m, r in zip(mentions, final, strict=False)]
    linked = _traced(trace, "one_sense", linked, _one_sense(linked))
    linked = _traced(trace, "country_namesakes_first", linked, _country_namesakes_first(linked, ctx))
    linked = namesakes.with_dominated(linked, ctx)  # set aside, scored 0: no lead changes
    # full person names first, so that a short name resolves to one even when it comes first (headlines)
    full = [i for i, m in enumerate(linked) if m.type == "PER" and len(m.text.split()) >= 2]
    decided: dict[int, Mention] = {}
    how: dict[int, tuple[str, int | None]] = {}  # how each was linked: model, floor, alias (of which mention)
    for i in full:
        decided[i], how[i] = _decide(linked[i], [(j, decided[j]) for j in full if j < i], threshold, not explicit)
    for i, mention in enumerate(linked):
        if i not in decided:
            before = [(j, decided[j]) for j in full if j < i]
            after = [(j, decided[j]) for j in reversed(full) if j > i]
            if _before_region(mention, linked, text, ctx):
                # "Hilton said she loved Paris, Texas": a name before ", REGION" is a place, never the short
                # name of a person of the article ("Paris Hilton")
                before, after = [], []
                if mention.type == "PER" and not mention.candidates:
                    mention = replace(mention, type="LOC")
            # nearest earlier name first, then later ones
            decided[i], how[i] = _decide(mention, after + before, threshold, not explicit)
    for i, m in decided.items():
        if trace:
            source = how[i][1]
            trace.route(i, linked[i], how[i], decided.get(source) if source is not None else None, threshold,
                        (FLOOR_PROBABILITY, FLOOR_BASE))
        if m.entity_key and _is_unit(m, text):
            decided[i] = replace(m, entity_key=None, confidence=0.0)
            if trace:
                trace.note(i, "rule: a short abbreviation after a number is a unit: not linked")
        elif gender.contradicts(m, text, kb):
            decided[i] = _unlinked(m)
            if trace:
                trace.note(i, "rule: the title's gender contradicts the entity's (gender.contradicts): NIL")
    before = [decided[i] for i in range(len(linked))]
    dated = at_date(before, kb, published)
    decided = dict(enumerate(_traced(trace, "period", before, dated)))
    scores = _calibrate(decided, how, full, model, cut, text, lang, published, trace)
    out = [decided[i] for i in range(len(linked))]
    if trace:
        out = [replace(m, explanation=trace.explanation(i)) for i, m in enumerate(dates.shown(out))]
    return out, _entities(out, kb, lang), scores


def _traced(trace: Trace | None, stage: str, before: list[Mention], after: list[Mention]) -> list[Mention]:
    """``after``, with what ``stage`` changed noted in ``trace`` (when explaining)."""
    return trace.mentions(stage, before, after) if trace else after


def _link_classes(mention: Mention, cand: Candidate | None, route: str, text: str, lang: str,
                  published: dt.date | None, threshold: float) -> frozenset[str]:
    rivals = [c for c in mention.candidates if cand is None or c.qid != cand.qid]
    return risk_classes(dict(cand.features) if cand is not None else {}, n_candidates=len(mention.candidates),
                        alias_of_earlier=route == "alias", floor=route == "floor", text_length=len(text), lang=lang,
                        published=published, rivals_below=all(c.score < threshold for c in rivals))


def candidate_confidence(mention: Mention, cand: Candidate, model: LinkerModel, text: str, lang: str,
                         published: dt.date | None = None) -> float:
    """The calibrated confidence ``cand`` (scored by the linker) would be linked with as ``mention``'s entity
    by the model (``kgbuild link --explain``)."""
    return candidate_verdict(mention, cand, model, text, lang, published)[0]


def candidate_verdict(mention: Mention, cand: Candidate, model: LinkerModel, text: str, lang: str,
                      published: dt.date | None = None) -> tuple[float, float]:
    """``candidate_confidence`` and the NIL threshold of the calibration that confidence is held to (a link below it
    stays an unlinked entity)."""
    route = "model" if cand.score >= model.threshold else "floor"
    classes = _link_classes(mention, cand, route, text, lang, published, model.threshold)
    return round(model.confidence(cand.score, classes), 3), model.calibration.nil_cut(classes)


def _calibrate(decided: dict[int, Mention], how: dict[int, tuple[str, int | None]], full: list[int],
               model: LinkerModel, cut: float | None, text: str, lang: str, published: dt.date | None,
               trace: Trace | None = None) -> dict[int, tuple[float, frozenset[str]]]:
    """Each link's confidence becomes the calibrated one; below ``cut`` the mention stays unlinked, and so does a
    short name taken from a full name that did (in the order of the decisions: full names first)."""
    dropped: set[int] = set()
    scores: dict[int, tuple[float, frozenset[str]]] = {}
    for i in full + [i for i in sorted(decided) if i not in set(full)]:
        m = decided[i]
        if not (m.entity_key and m.entity_key.startswith("Q")):
            continue
        route, source = how[i]
        cand = next((c for c in m.candidates if c.qid == m.entity_key), None)
        classes = _link_classes(m, cand, route, text, lang, published, model.threshold)
        scores[i] = (m.confidence, classes)
        conf = model.confidence(m.confidence, classes)
        kept = decided.get(source) if route == "alias" and source is not None and source not in dropped else None
        if kept is not None and kept.entity_key == m.entity_key:
            # a short name repeating a full name that stays linked names the same entity: it is as sure as that
            conf = max(conf, kept.confidence)
        threshold = model.calibration.nil_cut(classes) if cut is None else cut
        kept_link = not (conf < threshold or source in dropped)
        if trace:
            trace.calibrated(i, m.confidence, classes, min(conf, 0.99), threshold, kept_link,
                             model.calibration.bound(classes), source in dropped)
        if not kept_link:
            dropped.add(i)
            decided[i] = _unlinked(m)
        else:
            decided[i] = replace(m, confidence=round(min(conf, 0.99), 3))
    return scores


_REGION_ENDS = re.compile(r"[,.;:)]|$| and\b| or\b")


def _before_region(mention: Mention, mentions: Sequence[Mention], text: str, ctx: DocContext) -> bool:
    """The mention is the place of a "Place, Region" name ("Paris, Texas", "Berlin, New Hampshire"): the next mention
    follows after ", ", is a place (not a country) and ends its phrase (not "Putin, Russia's president" or "Abbott,
    Texas governor")."""
    if text[mention.end:mention.end + 2] != ", ":
        return False
    nxt = next((m for m in mentions if m.start == mention.end + 2), None)
    if nxt is None or nxt.type != "LOC" or not nxt.candidates or nxt.candidates[0].type != "LOC" \
            or nxt.kind == "demonym":
        return False
    region = ctx.entity(nxt.candidates[0].qid)
    if region is None or namesakes.COUNTRY_CLASSES & set(region.classes):
        return False
    return bool(_REGION_ENDS.match(text, nxt.end))


def _alias_of_earlier(mention: Mention, earlier: Sequence[tuple[int, Mention]]) -> tuple[int, Mention] | None:
    """An earlier, longer person name that this short name is part of ("Putin" in "Wladimir Putin"), with its
    index."""
    words = mention.text.split()
    strong = max((c.prior for c in mention.candidates), default=0.0) >= 0.6
    if mention.type not in ("PER", "MISC") and mention.kind != "surname" and strong:
        return None  # "Paris" stays the city even after "Paris Hilton"; "Li" after "Li Keqiang" is him
    for j, prev in reversed(earlier):
        if prev.type != "PER" or len(prev.text) <= len(mention.text):
            continue
        prev_words = prev.text.split()
        if len(words) < len(prev_words) and all(w in prev_words or w[:-1] in prev_words and w.endswith("s")
                                                for w in words):
            return j, prev  # "Putin", "Putins" (German genitive) in "Wladimir Putin"
    return None


#: a candidate the former hand-set score rates this high is linked from this probability on (below the
#: model's threshold): names with no competitor in the KB whose benchmark look-alikes are mostly namesakes
#: outside the KB ("Lars Klingbeil", "Rachel Reeves", "CDU" with a low prior)
FLOOR_BASE = 0.58
FLOOR_PROBABILITY = 0.2


def _base(cand: Candidate) -> float:
    return dict(cand.features).get("base_score", 0.0)


_QUANTITY_BEFORE = re.compile(r"\d(?:[\d.,]*\d)? ?$")


def _is_unit(mention: Mention, text: str) -> bool:
    """A short abbreviation right after a number is a unit of a quantity ("60 HP", "5 GB", "100 MW"), no name."""
    word = mention.text.strip()
    return word.isupper() and word.isalpha() and len(word) <= 3 \
        and bool(_QUANTITY_BEFORE.search(text, max(0, mention.start - 12), mention.start))


def _decide(mention: Mention, earlier: list[tuple[int, Mention]], threshold: float, floor: bool = True
            ) -> tuple[Mention, tuple[str, int | None]]:
    """The mention decided (linked, unlinked entity or nothing) and how: ("model" | "floor" | "alias" | "nil",
    the index of the full name an alias took its entity from)."""
    found = _alias_of_earlier(mention, earlier)
    source, alias_of = found if found is not None else (None, None)
    best = mention.candidates[0] if mention.candidates else None
    if alias_of is not None and alias_of.entity_key:
        # a short name repeats a full name of this article: same entity (even if the KB knows another one)
        if best is None or best.qid == alias_of.entity_key or not alias_of.entity_key.startswith("Q") \
                or best.kind == "surname" or best.score < 0.8:
            conf = max(alias_of.confidence - 0.05, best.score if best and best.qid == alias_of.entity_key else 0.0)
            return replace(mention, entity_key=alias_of.entity_key, type=alias_of.type,
                           confidence=round(min(max(conf, 0.5), 0.99), 3)), ("alias", source)
    if best is not None and (dict(best.features).get("given_name_unsupported")
                             or dict(best.features).get(persons.UNSETTLED)):
        # a first name alone ("Kim", "Victoria") is a famous bearer or a place of that name only with the
        # document's support (a related entity, the full name, a description word; a full name earlier: above)
        return _unlinked(mention), ("nil", None)
    if best is not None and (best.score >= threshold or floor and best.score >= FLOOR_PROBABILITY
                             and _base(best) >= FLOOR_BASE):
        linked = replace(mention, entity_key=best.qid, type=best.type, confidence=round(min(best.score, 0.99), 3))
        return linked, ("model" if best.score >= threshold else "floor", None)
    return _unlinked(mention), ("nil", None)


def _unlinked(mention: Mention) -> Mention:
    """An unlinked entity of the mention's name and type (nothing for adjectives and MISC names)."""
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
                                ent.descriptions.get(lang) or ent.descriptions.get("en"), tuple(ent.classes)))
    out.sort(key=lambda e: e.key)
    return out
