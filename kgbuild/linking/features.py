"""Features of one (mention, candidate) pair in its document, for the learned linking model.

What a feature says about a candidate, each a number in [0, 1] (or -1..1 for margins):
- popularity: the KB prior, its margin over the other candidates, whether it is the most popular (within
  ``PRIOR_TIE``: RCA at 0.422 and RCA Records at 0.423 are both);
- the name: which kind of KB name matched (label, alias, surname, ...), whether it matched exactly;
- the type: whether the NER/rules type of the mention agrees with the candidate's type;
- the sentence: cue words for a kind of entity ("beat", "signed" -> a club; "shares", "earnings" -> a company;
  "travelled to", "in" -> a place) against the kinds the candidate's description and classes name;
- the document: words of the candidate's description found in the document, its full label found in the
  document, KB relations to the document's confident entities (coherence) and to the article's main country;
- a surname alone: whether the candidate is the only person among its candidates (``surname_sole``);
- a capitalised word that joins the mention (``name_continues``: "United States National Academy"), so the
  name may be part of a longer one;
- the surroundings: "City, State" (the state next to the city is one the candidate lies in), an acronym the
  document defines ("Internationales Olympisches Komitee (IOC)");
- a lone word the KB knows as a first name ("Kim", "Victoria") read as a famous bearer or a place while nothing
  of the document supports that reading (``given_name_unsupported``: no coherence, no full label, no description
  word in the document; for a place, no place preposition either);
- what the sentence says the name is ("Orange is a telecommunications company", "Cairo was the code name for a
  project", "Ajax, the Dutch club"): ``predicate_fit`` when that noun names a kind of the candidate,
  ``predicate_clash`` when it names another kind.
``FEATURE_NAMES`` fixes the order of the vector the model's weights refer to.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from kgbuild.lexicon import find_role, is_common_word, stopwords
from kgbuild.types import Candidate, Entity, KnowledgeBase, Mention

#: a surname alone links to a person this popular without the full name in the article (Putin, Merkel)
FAMOUS_SURNAME_PRIOR = 0.55
#: priors this close are a tie: each of the candidates counts as the most popular (``top_prior``)
PRIOR_TIE = 0.01

KINDS = ("label", "alias", "official", "short", "demonym", "wikipedia", "transliteration", "surname")

FEATURE_NAMES: tuple[str, ...] = (
    "bias", "base_score", "prior", "prior_margin", "top_prior", "log_candidates",
    *(f"kind_{k}" for k in KINDS),
    "exact_case", "folded_equal", "lang_match",
    "type_agree", "type_clash", "mention_from_model",
    "one_word", "acronym", "common_word", "surname_alone", "famous_surname", "full_label_in_doc",
    "cue_fit", "cue_other", "place_preposition",
    "description_overlap", "coherence", "country_fit", "city_state", "doc_acronym",
    "type_LOC", "type_PER", "type_ORG", "type_MISC",
    "surname_sole", "name_continues",
    "given_name_unsupported", "predicate_fit", "predicate_clash",
    "coherence_lead", "top_prior_contested", "cue_lead",
)
#: the features that compare a candidate with the other candidates of its mention (filled in by ``relative``)
RELATIVE_FEATURES = ("coherence_lead", "top_prior_contested", "cue_lead")
_COHERENCE, _TOP_PRIOR, _CUE_FIT = (FEATURE_NAMES.index(n) for n in ("coherence", "top_prior", "cue_fit"))
_COHERENCE_LEAD, _TOP_PRIOR_CONTESTED, _CUE_LEAD = (FEATURE_NAMES.index(n) for n in RELATIVE_FEATURES)

#: how much each kind of name says (the hand-set weights of kgbuild <= 0.2, kept as one feature: "base_score")
KIND_WEIGHT = {
    "label": 1.0, "official": 0.95, "wikipedia": 0.9, "short": 0.85, "alias": 0.75,
    "transliteration": 0.85, "demonym": 0.9, "surname": 0.6,
}

#: the hand-set score of kgbuild <= 0.2 (the feature ``base_score``): these shares of the prior, the name kind's weight
#: (``KIND_WEIGHT``), the type fit and the coherence. The type fit is 1 when the mention's type is the candidate's
#: or the mention comes from the KB alone, 0.5 when either is MISC, else 0: in the features' terms exactly
#: 1 - 0.5 mention_from_model + 0.5 type_agree - 0.5 type_clash, so ``base_score`` already weighs the type, the prior
#: and the coherence that have features of their own (``model.net_weights`` adds the shares up)
BASE_PARTS = {"prior": 0.35, "name": 0.30, "type": 0.20, "coherence": 0.15}

#: fine kinds of entity, from a candidate's description (en/de) and P31 classes
FINE_KINDS: dict[str, tuple[str, ...]] = {
    "club": ("football club", "soccer club", "association football", "sports club", "basketball team",
             "baseball team", "hockey team", "football team", "rugby", "cricket team", "sports team",
             "fußballverein", "fußballclub", "sportverein", "fußballmannschaft", "nationalmannschaft",
             "national team", "racing team", "franchise"),
    "company": ("company", "corporation", "manufacturer", "conglomerate", "brand", "retailer", "bank",
                "airline", "business", "enterprise", "unternehmen", "konzern", "hersteller", "firma", "marke",
                "fluggesellschaft", "automobilhersteller", "software", "technology", "chain", "insurer",
                "operator"),
    "university": ("university", "college", "universität", "hochschule", "institute of technology", "school"),
    "party": ("political party", "partei"),
    "media": ("newspaper", "broadcaster", "magazine", "news agency", "television", "zeitung",
              "nachrichtenagentur", "rundfunk", "fernsehsender", "radio"),
    "agency": ("agency", "ministry", "government", "department", "behörde", "ministerium", "bundesamt",
               "organization", "organisation", "council", "committee", "police"),
    "place": ("city", "town", "village", "municipality", "capital", "county", "state of", "province",
              "region", "country", "district", "borough", "island", "stadt", "gemeinde", "hauptstadt",
              "bundesland", "kreis", "landkreis", "region", "staat", "dorf", "ortschaft", "kanton", "suburb",
              "neighbourhood", "neighborhood", "commune", "sovereign state", "federated state"),
    "person": ("politician", "player", "footballer", "actor", "actress", "singer", "musician", "writer",
               "businessman", "businessperson", "journalist", "economist", "lawyer", "scientist", "athlete",
               "politiker", "politikerin", "sänger", "sängerin", "schauspieler", "spieler", "musiker",
               "schriftsteller", "manager", "coach", "president", "minister", "composer", "rapper", "guitarist"),
}

#: P31 classes that name a fine kind (a few common ones; descriptions cover the rest)
CLASS_KINDS: dict[str, str] = {
    "Q476028": "club", "Q847017": "club", "Q12973014": "club", "Q6979593": "club",
    "Q4830453": "company", "Q783794": "company", "Q891723": "company", "Q6881511": "company",
    "Q3918": "university", "Q875538": "university", "Q902104": "university",
    "Q7278": "party", "Q11032": "media", "Q1002697": "media", "Q192283": "media",
    "Q327333": "agency", "Q2659904": "agency",
    "Q515": "place", "Q1549591": "place", "Q6256": "place", "Q3624078": "place", "Q35657": "place",
    "Q486972": "place", "Q532": "place", "Q3957": "place", "Q5119": "place", "Q262166": "place",
    "Q5": "person",
}

#: words of a sentence that point to a kind of entity (lowercase; German nouns lowercased)
CUES: dict[str, frozenset[str]] = {
    "club": frozenset("""beat beats defeated defeat drew draw signed sign signing striker midfielder defender
        goalkeeper coach match matches league cup goal goals scored season fans stadium relegated relegation
        champions premier fixture kick-off winger transfer squad playoff playoffs inning touchdown
        besiegte schlug verlor trainer spiel tor tore liga saison stürmer verpflichtet verpflichtete bundesliga
        pokal fans stadion abstieg meister heimspiel auswärtsspiel elf torwart kader""".split()),
    "company": frozenset("""shares share earnings revenue revenues profit profits ceo company firm stock quarter
        quarterly market investors sales products launched acquired acquisition merger billion founder
        shareholders subsidiary brand customers employees headquarters factory plant iphone software
        konzern aktie aktien umsatz gewinn unternehmen vorstand quartal firma hersteller börse übernahme
        milliarden gründer mitarbeiter tochter werk kunden""".split()),
    "university": frozenset("""studied student students professor graduated graduate degree university campus
        research lecturer phd alumni studierte studenten professor studium promovierte hochschule""".split()),
    "place": frozenset("""travelled traveled travel visited visit visits flew arrived born lives lived moved city
        town mayor capital residents located near village province region trip
        reiste reist besuchte besucht geboren lebt stadt bürgermeister hauptstadt einwohner nahe dorf reise
        flog landete""".split()),
    "person": frozenset("""said told says he she his her him married wife husband son daughter
        sagte erklärte sagt er sie seine ihre ihr sein frau mann sohn tochter""".split()),
    "party": frozenset("""election elections vote votes voters party coalition parliament seats candidate
        wahl wahlen partei koalition stimmen wähler fraktion abgeordnete""".split()),
}

#: nouns that say what kind of entity a name is when the sentence calls it one ("X is a telecommunications company",
#: "X, the Dutch club"): the head noun of the phrase after the copula or comma (English: the phrase's last word, or
#: its last two; German: a compound's end, "Autohersteller"). "work" is a kind no KB candidate has (films, songs,
#: projects, products): a name called one is none of the places, persons or companies of its name
PREDICATE_NOUNS: dict[str, tuple[str, ...]] = {
    "club": ("club", "team", "side", "squad", "verein", "klub", "mannschaft"),
    "company": ("company", "firm", "corporation", "brand", "retailer", "manufacturer", "carmaker", "automaker",
                "conglomerate", "bank", "airline", "carrier", "chain", "label", "publisher", "insurer",
                "unternehmen", "konzern", "hersteller", "firma", "marke", "bank", "fluggesellschaft", "händler"),
    "university": ("university", "college", "universität", "hochschule"),
    "party": ("party", "partei"),
    "media": ("newspaper", "broadcaster", "magazine", "tabloid", "daily", "channel", "zeitung", "sender"),
    "place": ("city", "town", "village", "capital", "country", "state", "province", "region", "island",
              "suburb", "county", "stadt", "hauptstadt", "dorf", "land", "gemeinde", "insel", "region"),
    "person": ("man", "woman", "singer", "actor", "actress", "politician", "player", "footballer", "musician",
               "writer", "author", "journalist", "businessman", "businesswoman", "rapper", "guitarist", "composer",
               "scientist", "physicist", "chemist", "painter", "director", "producer", "politiker", "politikerin",
               "sänger", "sängerin", "schauspieler", "schauspielerin", "spieler", "musiker", "autor", "autorin"),
    "work": ("film", "movie", "album", "song", "single", "novel", "book", "play", "opera", "musical", "series",
             "show", "project", "code name", "codename", "software", "program", "programme", "game",
             "operating system", "product", "drink", "beverage", "car", "model", "chocolate bar", "bar",
             "painting", "poem", "festival", "ship", "aircraft", "roman", "lied", "projekt", "serie",
             "spiel", "produkt"),
}
_PREDICATE_KIND = {noun: kind for kind, nouns in PREDICATE_NOUNS.items() for noun in nouns}
_GERMAN_PREDICATE_ENDS = tuple(sorted((n for n in _PREDICATE_KIND if n.islower() and " " not in n and len(n) >= 4),
                                      key=len, reverse=True))
#: "X is a ...", "X was the ...", "X, a ...", "X ist ein ...", "X, der ..."
_PREDICATE = re.compile(
    r"(?:'s|’s)?(?:,\s+|\s+(?:is|was|are|were|has been|had been|became|remains|ist|war|wurde|bleibt)\s+)"
    r"(?:a|an|the|one of the|ein|eine|einer|der|die|das)\s+((?:[^\W\d_][\w\-]*\s+){0,4}?[^\W\d_][\w\-]*)"
    r"(?=\s*(?:[,.;:!?()\n]|$|\s(?:of|in|at|for|from|that|which|who|whose|based|with|by|and|von|aus|in|mit|für|der|die|das|und)\b))")


def predicate_kind(text: str, end: int, lang: str) -> str | None:
    """The kind of entity the words right after a name (ending at ``end``) call it: "is a telecommunications
    company" -> "company", "was the code name for a project" -> "work", ", the Dutch club" -> "club"; None when
    they call it nothing of ``PREDICATE_NOUNS``."""
    match = _PREDICATE.match(text, end)
    if not match:
        return None
    words = match.group(1).split()
    if len(words) >= 2 and f"{words[-2]} {words[-1]}".lower() in _PREDICATE_KIND:
        return _PREDICATE_KIND[f"{words[-2]} {words[-1]}".lower()]
    head = words[-1].lower()
    if head in _PREDICATE_KIND:
        return _PREDICATE_KIND[head]
    if lang == "de":  # a compound: "Autohersteller", "Fußballverein"
        for noun_end in _GERMAN_PREDICATE_ENDS:
            if head.endswith(noun_end):
                return _PREDICATE_KIND[noun_end]
    return None


#: the word before a mention that makes it a place ("in Paris", "nach Paris", "from Denver", old German "geboren
#: zu Aachen")
PLACE_PREPOSITIONS = frozenset({"in", "to", "from", "nach", "aus", "near", "bei", "im", "into", "across", "outside", "zu"})

_WORD = re.compile(r"[^\W\d_][\w\-]*", re.UNICODE)


@functools.lru_cache(maxsize=100_000)  # words recur (pure function: memoised for speed only)
def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fine_kinds(ent: Entity | None, cand: Candidate) -> frozenset[str]:
    """The fine kinds (club, company, place, ...) an entity's classes and description name."""
    if ent is None:
        return _fine_kinds((), "", cand.type)
    return _fine_kinds(tuple(ent.classes), " ".join(ent.descriptions.values()), cand.type)


@functools.lru_cache(maxsize=100_000)  # a candidate is scored in every pass and every article naming it
def _fine_kinds(classes: tuple[str, ...], descriptions: str, type_: str) -> frozenset[str]:
    kinds: set[str] = set()
    kinds.update(CLASS_KINDS[c] for c in classes if c in CLASS_KINDS)
    desc = descriptions.casefold()
    if desc:
        for kind, keys in FINE_KINDS.items():
            if any(k in desc for k in keys):
                kinds.add(kind)
    if type_ == "PER":
        kinds.add("person")
    elif type_ == "LOC" and not kinds:
        kinds.add("place")
    return frozenset(kinds)


@functools.lru_cache(maxsize=100_000)
def _description_words(desc: str, lang: str) -> frozenset[str]:
    """The folded words of 4+ letters of a description, without stop words, each in its singular
    (``singular``)."""
    return frozenset(singular(fold(w), lang) for w in _WORD.findall(desc) if len(w) >= 4) - _stop(lang)


def singular(word: str, lang: str) -> str:
    """An English folded word without its plural ending ("guitarists" -> "guitarist", "companies" -> "company"),
    so that a description's "guitarist" is found in a document about "guitarists"; other words and languages as
    they are (a stem of fewer than 4 letters is no stem: "news" stays)."""
    if lang != "en" or len(word) < 5 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    return word[:-3] + "y" if word.endswith("ies") else word[:-1]


@functools.lru_cache(maxsize=20_000)
def _cue_scores(words: frozenset[str]) -> dict[str, float]:
    """How strongly a sentence's words cue each fine kind (don't change the dict: it is shared)."""
    return {k: min(1.0, len(words & cues) / 2) for k, cues in CUES.items()}


@dataclass
class DocContext:
    """What the features need to know about the whole document (built once per document)."""

    kb: KnowledgeBase
    lang: str
    text: str
    words: frozenset[str] = frozenset()  # folded words of the document
    singulars: frozenset[str] = frozenset()  # the same, each in its singular (``singular``)
    sentence_words: dict[int, frozenset[str]] = field(default_factory=dict)
    context: set[str] = field(default_factory=set)  # QIDs of confident links of the document
    context_related: set[str] = field(default_factory=set)  # what those point to
    country: str | None = None  # the article's main country, from confident place links
    country_from: frozenset[str] = frozenset()  # the place links it comes from
    acronyms: dict[str, set[str]] = field(default_factory=dict)  # "IOC" -> QIDs of its long form in the text
    #: "IOC" -> the long forms the document spells it out as ("International Olympic Committee"; ``spelt_out``)
    long_forms: dict[str, set[str]] = field(default_factory=dict)
    #: the candidates each mention may be (first-pass leaders and candidates from related entities):
    #: QID -> the folded names of the mentions that have it, for coherence among uncertain readings
    support: dict[str, set[str]] = field(default_factory=dict)
    _entities: dict[str, Entity | None] = field(default_factory=dict)
    _related: dict[str, set[str]] = field(default_factory=dict)
    _claimed: dict[str, set[str]] = field(default_factory=dict)
    _given: dict[str, bool] = field(default_factory=dict)
    #: (start, end) of the lone names the NER or the rules took for persons ("Kim" in "Paris and Kim")
    person_words: tuple[tuple[int, int], ...] = ()
    #: mention index -> the candidates another reading dominated (``namesakes.by_support``), set aside
    dominated: dict[int, tuple[Candidate, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, mentions: Sequence[Mention], kb: KnowledgeBase, lang: str, text: str) -> "DocContext":
        ctx = cls(kb, lang, text)
        ctx.words = frozenset(fold(w) for w in _WORD.findall(text))
        ctx.singulars = frozenset(singular(w, lang) for w in ctx.words)
        bounds = _sentence_bounds(mentions, text)
        for sent, (b, e) in bounds.items():
            ctx.sentence_words[sent] = frozenset(fold(w) for w in _WORD.findall(text[b:e]))
        ctx.acronyms = _acronyms(mentions, text)
        ctx.long_forms = spelt_out(mentions, text)
        ctx.person_words = tuple((m.start, m.end) for m in mentions if m.type == "PER" and " " not in m.text.strip()
                                 and m.source != "kb")
        return ctx

    def next_to_person(self, m: Mention) -> bool:
        """Is ``m`` listed with a lone person name that is a first name ("Paris and Kim", "Kim, Paris")?"""
        for start, end in self.person_words:
            gap = self.text[end:m.start] if end <= m.start else self.text[m.end:start] if m.end <= start else None
            if gap is not None and gap.strip() in (",", "and", "&", "und") and len(gap) <= 6 \
                    and self.given_name(self.text[start:end]):
                return True
        return False

    def entity(self, qid: str) -> Entity | None:
        if qid not in self._entities:
            self._entities[qid] = self.kb.entity(qid)
        return self._entities[qid]

    def country_claim(self, qid: str) -> str | None:
        """The country the KB says ``qid`` lies in or belongs to (its first ``P17``), or None."""
        ent = self.entity(qid)
        countries = ent.claims.get("P17", ()) if ent is not None else ()
        return countries[0] if countries else None

    def related(self, qid: str) -> set[str]:
        if qid not in self._related:
            self._related[qid] = self.kb.related(qid)  # a set of its own already (the KB hands out copies)
        return self._related[qid]

    def given_name(self, word: str) -> bool:
        """Is ``word`` a first name the KB knows (``is_given_name``; False for a KB without that list)?"""
        if word not in self._given:
            ask = getattr(self.kb, "is_given_name", None)
            self._given[word] = bool(ask(word, lang=self.lang)) if callable(ask) else False
        return self._given[word]

    def claim_related(self, qid: str) -> set[str]:
        """``related`` through Wikidata claims only (country, citizenship, office, ...), without the KB's
        relatedness links: what ``country_fit`` was defined on."""
        if qid not in self._claimed:
            try:
                self._claimed[qid] = self.kb.related(qid, links=False)  # type: ignore[call-arg]
            except TypeError:  # a KB without relatedness links
                self._claimed[qid] = self.related(qid)
        return self._claimed[qid]

    def set_support(self, readings: Sequence[tuple[str, Sequence[str]]]) -> None:
        """The possible readings of the document's mentions ((mention text, candidate QIDs) each): a candidate
        related to a reading of another name of the document gains half a coherence hit per such name, so
        uncertain names that fit together ("Clapton, Beck and Page") support each other."""
        self.support = {}
        for text, qids in readings:
            for q in qids:
                self.support.setdefault(q, set()).add(fold(text.strip()))

    def coherence(self, cand: Candidate, related: set[str], text: str, own: frozenset[str] = frozenset()) -> float:
        """Links to the document's confident entities (1 each, plus 1 when one of them points to ``cand``) and
        half a hit per other name of the document with a reading related to ``cand``; 2 hits are full.

        ``own``: the QIDs of the mention's own candidates. A confident link of this very name is no context for
        its other readings (else "City of London" would cohere with the document because "London" itself was
        linked to the city in the first pass, and "Taiwan" with "China")."""
        others = self.context - own - {cand.qid}
        strong = related & others
        hits = len(strong)
        if cand.qid in self.context_related and (not own & self.context or any(
                cand.qid in self.related(q) for q in others)):
            hits += 1
        if self.support:
            own = fold(text.strip())
            small, big = (related, self.support) if len(related) < len(self.support) else (self.support, related)
            names: set[str] = set()
            for q in small:
                if q in big and q not in strong and q != cand.qid:
                    names |= self.support[q]
            hits += 0.5 * len(names - {own})
        return min(1.0, hits / 2)

    def set_context(self, qids: set[str], places: Sequence[str]) -> None:
        self.context = set(qids)
        self.context_related = set().union(*(self.related(q) for q in qids)) if qids else set()
        countries: Counter[str] = Counter()
        voters: dict[str, set[str]] = {}
        for q in places:
            ent = self.entity(q)
            if ent is None:
                continue
            if "Q6256" in ent.classes or "Q3624078" in ent.classes:
                countries[q] += 1
                voters.setdefault(q, set()).add(q)
            c = self.country_claim(q)
            if c is not None:
                countries[c] += 1
                voters.setdefault(c, set()).add(q)
        self.country = countries.most_common(1)[0][0] if countries else None
        self.country_from = frozenset(voters.get(self.country, ())) if self.country else frozenset()


def _sentence_bounds(mentions: Sequence[Mention], text: str) -> dict[int, tuple[int, int]]:
    """Approximate sentence extents around each mention's sentence (between sentence punctuation)."""
    marks = [(m.start(), m.end()) for m in _SENTENCE_MARK.finditer(text)]  # once: a text without
    starts, ends = [p for p, _ in marks], [e for _, e in marks]  # punctuation is one long sentence

    def left(i: int) -> int:  # just after the last mark that ends at or before i
        k = bisect.bisect_right(ends, i) - 1
        return starts[k] + 1 if k >= 0 else 0

    def right(i: int) -> int:  # just after the first character of the first mark at or after i
        k = bisect.bisect_left(starts, i)
        return starts[k] + 1 if k < len(starts) else len(text)

    out: dict[int, tuple[int, int]] = {}
    for m in mentions:
        if m.sentence in out:
            b, e = out[m.sentence]
            out[m.sentence] = (min(b, left(m.start)), max(e, right(m.end)))
        else:
            out[m.sentence] = (left(m.start), right(m.end))
    return out


#: what ends a sentence for :func:`_sentence_bounds` (no two of them overlap: each ends in a space or is a newline)
_SENTENCE_MARK = re.compile(r"[.!?] |\n")


_ACRO_DEF = re.compile(r"\(([A-ZÄÖÜ][A-ZÄÖÜa-z&\.]{1,9})\)")


def initials(name: str, lang: str | None = None) -> str:
    """'Internationales Olympisches Komitee' -> 'IOK'; 'International Olympic Committee' -> 'IOC'."""
    skip = {"of", "the", "and", "for", "der", "die", "das", "des", "für", "und", "de", "la", "du", "von"}
    return "".join(w[0].upper() for w in re.split(r"[\s\-]+", name) if w and w.lower() not in skip and w[0].isalpha())


def _initials_fit(acro: str, name: str) -> bool:
    """'IOC' for 'Internationales Olympisches Komitee' (the letters in order, first letter first)."""
    ini = initials(name)
    if len(ini) < 2 or ini[0] != acro[0].upper():
        return False
    it = iter(ini)
    return sum(1 for ch in acro.upper() if ch in it) >= min(len(acro), len(ini)) - 1


def _acronyms(mentions: Sequence[Mention], text: str) -> dict[str, set[str]]:
    """Acronyms the document defines or whose long form it names: acronym -> QIDs of that long form.

    "Internationales Olympisches Komitee (IOC)": the mention right before a parenthesised acronym; or any
    multi-word mention of the document whose initials (or whose candidates' names' initials) are the acronym.
    """
    out: dict[str, set[str]] = {}
    for m in mentions:
        after = text[m.end:m.end + 14]
        match = _ACRO_DEF.match(after.lstrip())
        if match and after[:1] in (" ", "(") and m.candidates:
            acro = match.group(1).replace(".", "")
            if _initials_fit(acro, m.text):  # not "TOKYO (AP)"
                out.setdefault(acro, set()).update(c.qid for c in m.candidates[:3])
        if " " in m.text.strip() and m.candidates:
            ini = initials(m.text)
            if len(ini) >= 2:
                out.setdefault(ini, set()).update(c.qid for c in m.candidates[:3])
    return out


#: the capitalised words right before a parenthesised acronym ("the International Olympic Committee (IOC)")
_LONG_FORM = re.compile(r"((?:[A-ZÄÖÜ][\w'’.&-]*\s+(?:(?:of|for|and|the|für|und|der|des|de|du|la)\s+)*){1,7})\(([A-ZÄÖÜ]{2,6})\)")


def spelt_out(mentions: Sequence[Mention], text: str) -> dict[str, set[str]]:
    """The long forms the document gives its acronyms: acronym -> long forms (as written). A long form is the
    capitalised words right before the acronym in parentheses whose initials are the acronym ("International
    Olympic Committee (IOC)", "Das Internationale Olympische Komitee (IOC)": the letters in order, one may
    differ, as ``_acronyms``), or an organisation's name of several words the NER found whose initials are exactly
    the acronym ("The Associated Press said ... AP")."""
    out: dict[str, set[str]] = {}
    for match in _LONG_FORM.finditer(text):
        acro, words = match.group(2), match.group(1).split()
        for k in range(2, len(words) + 1):  # the shortest run of words that spells the acronym
            long = " ".join(words[-k:])
            if words[-k][:1].isupper() and len(initials(long)) >= len(acro) and _initials_fit(acro, long):
                out.setdefault(acro, set()).add(long)
                break
    for m in mentions:
        name = m.text.strip()
        if m.type == "ORG" and " " in name and m.source != "kb" and len(initials(name)) >= 2:
            out.setdefault(initials(name), set()).add(name)
    return out


def same_long_form(name: str, long: str) -> bool:
    """Does a KB name write the document's long form of an acronym, up to inflection and spelling ("Internationales
    Olympisches Komitee" for "Internationale Olympische Komitee"; "International Olive Council" is not "International
    Olympic Committee"): the same number of words that are no particle, each pair sharing its first four letters."""
    skip = {"of", "the", "and", "for", "der", "die", "das", "des", "für", "und", "de", "la", "du", "von"}

    def words(text: str) -> list[str]:
        return [fold(w)[:4] for w in re.split(r"[\s\-]+", text) if w and w.lower() not in skip]
    a, b = words(name), words(long)
    return len(a) == len(b) and a == b


def features(m: Mention, cand: Candidate, ctx: DocContext, others: Sequence[Candidate], index: int = -1
             ) -> list[float]:
    """The feature vector of one candidate of one mention (order: ``FEATURE_NAMES``)."""
    ent = ctx.entity(cand.qid)
    whole = m.text.strip()
    text = whole.split(", ", 1)[0] if cand.type == "LOC" else whole  # "Madison" of "Madison, Wisconsin"
    max_other = max((c.prior for c in others if c.qid != cand.qid), default=0.0)
    n = len(others)
    kinds = [1.0 if cand.kind == k else 0.0 for k in KINDS]
    from_model = "ner" in m.source.split("+") or "rules" in m.source.split("+")
    type_agree = 1.0 if from_model and m.type == cand.type else 0.0
    type_clash = 1.0 if from_model and m.type != cand.type and "MISC" not in (m.type, cand.type) else 0.0
    one_word = 1.0 if " " not in text else 0.0
    acronym = 1.0 if text.isupper() and len(text) <= 6 else 0.0
    common = 1.0 if one_word and is_common_word(text, ctx.lang) else 0.0
    surname_alone = 1.0 if cand.kind == "surname" and one_word else 0.0
    full_label = 0.0
    if ent is not None:
        for label in {ent.labels.get(ctx.lang), ent.labels.get("en")} - {None}:
            if label and len(label) > len(text) + 1 and label in ctx.text:
                full_label = 1.0
    # sentence cues against the candidate's fine kinds
    kinds_c = fine_kinds(ent, cand)
    words = ctx.sentence_words.get(m.sentence, frozenset())
    cue_scores = _cue_scores(words)
    cue_fit = max((cue_scores.get(k, 0.0) for k in kinds_c), default=0.0)
    cue_other = max((s for k, s in cue_scores.items() if k not in kinds_c), default=0.0)
    before = ctx.text[max(0, m.start - 12):m.start].split()
    place_prep = 1.0 if before and before[-1].lower() in PLACE_PREPOSITIONS and cand.type == "LOC" else 0.0
    # description words found in the document
    overlap = 0.0
    if ent is not None:
        desc = ent.descriptions.get(ctx.lang) or ent.descriptions.get("en") or ""
        own = {singular(fold(w), ctx.lang) for w in _WORD.findall(text)}
        dwords = _description_words(desc, ctx.lang) - own
        overlap = min(1.0, len(dwords & ctx.singulars) / 3)
    related = ctx.related(cand.qid)
    coherence = ctx.coherence(cand, related, whole, frozenset(c.qid for c in others))
    country_fit = 1.0 if ctx.country and (cand.qid == ctx.country or ctx.country in ctx.claim_related(cand.qid)) else 0.0
    city_state = 0.0
    if ", " in whole and cand.type == "LOC":  # "Madison, Wisconsin" (one mention): lies in the state named
        tail = whole.rsplit(", ", 1)[1]
        if related & {c.qid for c in ctx.kb.lookup(tail, lang=ctx.lang, limit=10) if c.type == "LOC"}:
            city_state = 1.0
    doc_acro = 1.0 if acronym and cand.qid in ctx.acronyms.get(text.replace(".", ""), ()) else 0.0
    # a surname alone that only one person of the KB bears ("Reagan", "Grohl"), not one of several namesakes
    sole = 1.0 if surname_alone and not any(c.type == "PER" and c.qid != cand.qid for c in others) else 0.0
    name_w = KIND_WEIGHT.get(cand.kind, 0.6)
    if cand.kind == "surname" and one_word:
        name_w = 0.3
    if cand.name.lower() == text.lower():
        name_w = min(1.0, name_w + 0.1)
    type_fit = 1.0 if "kb" in m.source.split("+") and not from_model or m.type == cand.type else (
        0.5 if "MISC" in (m.type, cand.type) else 0.0)
    base = BASE_PARTS["prior"] * cand.prior + BASE_PARTS["name"] * name_w + BASE_PARTS["type"] * type_fit \
        + BASE_PARTS["coherence"] * coherence
    # a lone first name ("Kim", "Victoria") read as a person whose first name it is, or as a place though the NER
    # took it for a person, with nothing in the document for that reading
    unsupported = 0.0
    if one_word and not acronym and text[:1].isupper() and ctx.given_name(text) \
            and not (coherence or full_label or overlap or country_fit and ctx.country_from - {cand.qid}):
        if cand.type == "PER" and _first_word_of(ent, ctx.lang, text):
            unsupported = 1.0  # "Kim" as Kim Jong-un; not "Dylan" as Bob Dylan (a famous surname alone)
        elif cand.type == "LOC" and not place_prep and (m.type == "PER" and from_model or ctx.next_to_person(m) or (
                cue_scores.get("person", 0.0) >= 1.0 and not cue_scores.get("place"))):
            # taken for a person, listed with a first name ("Paris and Kim"), or in a sentence about persons ("her
            # husband") not places
            unsupported = 1.0
    called = predicate_kind(ctx.text, m.end, ctx.lang)
    predicate_fit = 1.0 if called is not None and called in kinds_c else 0.0
    predicate_clash = 1.0 if called is not None and kinds_c and called not in kinds_c else 0.0
    return [
        1.0, base, cand.prior, cand.prior - max_other, 1.0 if cand.prior >= max_other - PRIOR_TIE else 0.0,
        math.log1p(n) / math.log(11),
        *kinds,
        1.0 if cand.name == text else 0.0, 1.0 if fold(cand.name) == fold(text) else 0.0,
        1.0 if cand.lang in (None, "", "-", ctx.lang) else 0.0,
        type_agree, type_clash, 1.0 if from_model else 0.0,
        one_word, acronym, common, surname_alone, 1.0 if surname_alone and cand.prior >= FAMOUS_SURNAME_PRIOR else 0.0,
        full_label,
        cue_fit, cue_other, place_prep,
        overlap, coherence, country_fit, city_state, doc_acro,
        *(1.0 if cand.type == t else 0.0 for t in ("LOC", "PER", "ORG", "MISC")),
        sole, name_continues(ctx, m),
        unsupported, predicate_fit, predicate_clash,
        0.0, 0.0, 0.0,  # RELATIVE_FEATURES: ``relative`` fills them in once every candidate has its vector
    ]


def relative(vectors: list[list[float]]) -> list[list[float]]:
    """The vectors of one mention's candidates (in place) with the features that compare each with its best
    competitor: ``coherence_lead`` (its coherence minus the best other candidate's: "Jeff Beck" related to the
    document's other guitarists against the more popular "Beck"), ``top_prior_contested`` (the most popular
    candidate while another one coheres better with the document: popularity is worth less then) and
    ``cue_lead`` (how much better the sentence's cue words fit its kind than the best other candidate's)."""
    if len(vectors) < 2:
        return vectors
    coh = sorted((v[_COHERENCE] for v in vectors), reverse=True)[:2]  # the best two: each one's best competitor
    cue = sorted((v[_CUE_FIT] for v in vectors), reverse=True)[:2]
    for vec in vectors:
        best_coh = coh[1] if vec[_COHERENCE] == coh[0] else coh[0]
        best_cue = cue[1] if vec[_CUE_FIT] == cue[0] else cue[0]
        vec[_COHERENCE_LEAD] = vec[_COHERENCE] - best_coh
        vec[_TOP_PRIOR_CONTESTED] = 1.0 if vec[_TOP_PRIOR] and best_coh > vec[_COHERENCE] else 0.0
        vec[_CUE_LEAD] = vec[_CUE_FIT] - best_cue
    return vectors


def _first_word_of(ent: Entity | None, lang: str, word: str) -> bool:
    """Is ``word`` the first of several words of the entity's label ("Kim" of "Kim Jong-un", "Steve" of "Steve
    Jobs"): the name a first name alone would call it by?"""
    if ent is None:
        return False
    for label in {ent.labels.get(lang), ent.labels.get("en")} - {None}:
        tokens = label.split() if label else []
        if len(tokens) >= 2 and fold(tokens[0]) == fold(word):
            return True
    return False


_NEXT_WORD = re.compile(r"(?:'s|’s)? ([^\W\d_][\w\-]*)(?: ([^\W\d_][\w\-]*))?")
_PREV_WORD = re.compile(r"([^\W\d_][\w\-]*) $")


def _plain(word: str, lang: str, then: str | None = None) -> bool:
    """A word that does not continue a name: a function word, a common noun, a role ("President", "Prime
    Minister" with the word ``then`` after it)."""
    low = word.lower()
    if not word[:1].isupper() or low in _stop(lang) or find_role(word, low, lang) \
            or then and find_role(f"{word} {then}", f"{low} {then.lower()}", lang):
        return True
    # German capitalises every noun; in English a capitalised word mid-sentence is a name's
    return lang != "en" and (is_common_word(word, lang) or is_common_word(low, lang))


def name_continues(ctx: "DocContext", m: Mention) -> float:
    """1 when a capitalised word that is no common word, role or function word joins the mention without
    punctuation, after it ("United States National Academy", "South Africa's Cape Province") or before it
    mid-sentence ("ancient Greece" no, "Greater Manchester" yes): the name may be part of a longer one."""
    nxt = _NEXT_WORD.match(ctx.text, m.end)
    if nxt and not _plain(nxt.group(1), ctx.lang, nxt.group(2)):
        return 1.0
    prev = _PREV_WORD.search(ctx.text, max(0, m.start - 40), m.start)
    if prev and not _plain(prev.group(1), ctx.lang):
        before = ctx.text[:prev.start()].rstrip()
        if before and before[-1] not in ".!?:;\"'“”„«»()[]\n" and before[-1].isalnum():
            return 1.0  # not the first word of a sentence or a quotation
    return 0.0


_STOP_CACHE: dict[str, frozenset[str]] = {}


def _stop(lang: str) -> frozenset[str]:
    if lang not in _STOP_CACHE:
        _STOP_CACHE[lang] = frozenset(fold(w) for w in stopwords(lang))
    return _STOP_CACHE[lang]
