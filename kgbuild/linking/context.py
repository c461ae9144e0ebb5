"""What the words around a name say about which entity it is (issue 13: context-based type fit).

- A kind noun right after a name makes the name part of a longer one ("JFK airport", "Wembley stadium", "the
  Obama administration"; German before it: "Flughafen Tegel"): the name is the facility, prize or
  administration of that name. Its candidates become the KB's entities of that name the noun describes (label or
  description: "John F. Kennedy International Airport" for "JFK"); when the KB has none, a person or an
  organisation of the name is no reading (the mention stays unlinked), a place stays ("a Moscow airport" names
  Moscow).
- A name that ends in a kind noun ("Nobel Prize", "Heathrow Airport") is no entity whose names and description
  lack that noun (the KB's "Nobel Prize" alias of the Nobel Foundation).
- A name after "at" / "into" / "out of" in a sentence about a flight ("her arrival at JFK", "landed at
  LaGuardia") is the airport of that name when the KB has one.
- An institution's descriptive name that institutions of several countries have ("Ministry of Defence",
  "Institute of Physics") is the one of the document's country, or none (``by_home_country``).
- A shortened name of an organisation (an alias that is the end of its label: "Computer Society" of "IEEE
  Computer Society") right after another capitalised word ("the British Computer Society") is part of a longer
  name of another organisation: that organisation is no reading.
- A place followed by a comma and a region that is no country ("Paris, Texas", "Berlin, New Hampshire") lies in that
  region's country: the KB's places of the name in other countries are no reading (``in_named_region``).
- Places coordinated under the plural "universities" ("the universities of Oxford and Cambridge", "Yale and Harvard
  universities") are each that place's university (``coordinated_universities``).
- A place's name that wins, draws or loses a match in a sentence about sport ("Newcastle beat Burnley 3-0"), or
  whose coach or player the sentence names ("Alabama's football coach"), is the team of that name (the KB's clubs and teams of the sentence's sport), or no entity the KB knows.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Sequence

from kgbuild.linking.features import DocContext, fine_kinds, fold
from kgbuild.linking.namesakes import COUNTRY_CLASSES, first_leaders, without
from kgbuild.types import Candidate, Mention

#: kind nouns (lowercase) -> the words a KB entity's names or description use for that kind
KIND_NOUNS: dict[str, tuple[str, ...]] = {
    "airport": ("airport", "flughafen", "aerodrome", "airfield"),
    "flughafen": ("airport", "flughafen", "aerodrome", "airfield"),
    "stadium": ("stadium", "arena", "stadion", "ground", "venue"),
    "stadion": ("stadium", "arena", "stadion", "ground", "venue"),
    "arena": ("stadium", "arena", "stadion", "venue"),
    "station": ("station", "bahnhof"),
    "bahnhof": ("station", "bahnhof"),
    "hospital": ("hospital", "clinic", "klinik", "krankenhaus"),
    "prize": ("prize", "award", "medal", "preis"),
    "award": ("prize", "award", "medal", "preis"),
    "medal": ("prize", "award", "medal", "medaille"),
    "administration": ("administration",),
}
#: English kind nouns that follow the name, German ones that come before it ("Flughafen Tegel")
_AFTER = re.compile(r"(?:\s+)([A-Za-z]+)\b")
_BEFORE = re.compile(r"\b(Flughafen|Bahnhof|Stadion)\s+$")
_ENGLISH_AFTER = frozenset(n for n in KIND_NOUNS if n not in ("flughafen", "stadion", "bahnhof"))
#: kind nouns inside a name that say what the whole name is (its last word)
_HEADS = frozenset(("airport", "stadium", "station", "hospital", "prize", "award", "medal"))
#: words of a sentence about a flight, and the words right before an airport's name in it
FLIGHT_CUES = frozenset("""arrival arrived arrive arrives arriving landed landing lands flew fly flies flight flights
    departed departure departing plane jet airliner touched""".split())
_AIRPORT_BEFORE = re.compile(r"\b(?:at|into|out of)\s+$")
#: the word right before a mention that is part of its name ("British" in "the British Computer Society")
_PREV = re.compile(r"([^\W\d_][\w\-]*) $")


def _describes(ctx: DocContext, cand: Candidate, words: tuple[str, ...]) -> bool:
    """Do the candidate's labels or descriptions use one of ``words`` (not the name that matched: the KB's
    "Nobel Prize" alias of the Nobel Foundation)?"""
    ent = ctx.entity(cand.qid)
    texts = [*ent.labels.values(), *ent.descriptions.values()] if ent is not None else []
    folded = " ".join(fold(t) for t in texts)
    return any(w in folded for w in words)


def _kind_after(ctx: DocContext, m: Mention) -> str | None:
    """The kind noun that makes the name part of a longer one, or None."""
    if ctx.lang == "en":
        nxt = _AFTER.match(ctx.text, m.end)
        if nxt and nxt.group(1).lower() in _ENGLISH_AFTER and "\n" not in ctx.text[m.end:nxt.start(1)]:
            return nxt.group(1).lower()
        return None
    before = _BEFORE.search(ctx.text, max(0, m.start - 12), m.start)
    return before.group(1).lower() if before else None


def _named(ctx: DocContext, m: Mention, kind: str) -> tuple[Candidate, ...]:
    """The KB's entities of the mention's name (any type) that the kind noun describes."""
    found = {c.qid: c for c in m.candidates}
    for c in ctx.kb.lookup(m.text.strip(), lang=ctx.lang, limit=10):
        found.setdefault(c.qid, c)
    return tuple(c for c in found.values() if _describes(ctx, c, KIND_NOUNS[kind]))


def _flight_at(ctx: DocContext, m: Mention) -> bool:
    return ctx.lang == "en" and bool(ctx.sentence_words.get(m.sentence, frozenset()) & FLIGHT_CUES) \
        and bool(_AIRPORT_BEFORE.search(ctx.text, max(0, m.start - 10), m.start))


def _qualified_short_name(ctx: DocContext, m: Mention, cand: Candidate) -> bool:
    """Is ``cand`` an organisation matched by the end of its label ("Computer Society" of "IEEE Computer
    Society") while another capitalised word joins the mention before it ("British Computer Society")?"""
    if cand.type != "ORG" or cand.kind not in ("alias", "short") or " " not in m.text.strip():
        return False
    prev = _PREV.search(ctx.text, max(0, m.start - 40), m.start)
    if not prev or not prev.group(1)[:1].isupper():
        return False
    before = ctx.text[:prev.start()].rstrip()
    if not before or before[-1] in ".!?:;\"'“”„«»()[]\n":
        return False  # the first word of a sentence or quotation
    ent = ctx.entity(cand.qid)
    name = fold(m.text.strip())
    labels = [fold(v) for v in ent.labels.values()] if ent is not None else []
    return any(lab.endswith(" " + name) and not lab.endswith(fold(prev.group(1)) + " " + name) for lab in labels)


def by_kind_noun(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """Each mention with the candidates the kind nouns around it leave (see the module's docstring)."""
    out = []
    for m in in_named_region(coordinated_universities(longer_names(mentions, ctx), ctx), ctx):
        if m.kind == "demonym":
            out.append(m)
            continue
        kind = _kind_after(ctx, m)
        if kind is not None:
            named = _named(ctx, m, kind)
            if named:
                m = replace(m, candidates=named, type=named[0].type)
            elif m.candidates and m.candidates[0].type != "LOC":
                m = replace(m, candidates=())
        elif _flight_at(ctx, m):
            named = _named(ctx, m, "airport")
            if named:
                m = replace(m, candidates=named, type=named[0].type)
        words = m.text.split()
        if len(words) >= 2 and words[-1].lower() in _HEADS and m.candidates:
            keep = tuple(c for c in m.candidates if _describes(ctx, c, KIND_NOUNS[words[-1].lower()]))
            if keep != m.candidates:
                m = replace(m, candidates=keep)
        if m.candidates and ctx.lang == "en":
            keep = tuple(c for c in m.candidates if not _qualified_short_name(ctx, m, c))
            if keep != m.candidates:
                m = replace(m, candidates=keep)
            if _plays_a_match(ctx, m):
                m = _as_team(ctx, m)
        out.append(m)
    return out


#: a result of a match right after a team's name ("England beat Australia", "Newcastle drew with ..."), and right
#: before the other team's ("... beat Australia", "lost to Everton", "drew 1-1 with Arsenal")
_RESULT_AFTER = re.compile(r"\s+(?:beat|beats|defeated|defeats|thrashed|thrash|edged|routed|drew|draws|lost|loses|"
                           r"hammered|overcame|stunned|signed|signs)\b")
_RESULT_BEFORE = re.compile(r"\b(?:beat|beats|beating|defeated|defeat|defeating|thrashed|edged|routed|drew|"
                            r"(?:drew|draw|draws|drawn) (?:\d{1,3}-\d{1,3} )?with|lost (?:\d{1,3}-\d{1,3} )?to|"
                            r"win over|victory over|defeat to|defeat by)\s+$")
#: words of a sentence about a match (not the result verbs: "Russia beat back an attack")
MATCH_CUES = frozenset("""striker midfielder defender goalkeeper winger coach league cup goal goals scored season
    derby fixture kick-off squad playoff playoffs inning innings touchdown wickets wicket semi-final quarter-final
    tournament penalty half-time relegated relegation premiership bundesliga batting bowler pitcher scrum""".split())
#: words that say which sport a match is of (the word its teams' descriptions use)
SPORT_CUES = {
    "football": frozenset("striker midfielder goalkeeper winger goal goals penalty half-time premiership".split()),
    "cricket": frozenset("wicket wickets innings batting bowled bowler".split()),
    "baseball": frozenset("inning pitcher homer".split()),
    "basketball": frozenset("rebounds three-pointer nba".split()),
    "rugby": frozenset("scrum fly-half".split()),
}
_SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")
#: a team's sporting staff or player after a place's possessive ("Alabama's football coach", "England's captain",
#: "France's head coach"; not "Alabama's governor")
_TEAM_ROLE_AFTER = re.compile(r"['’]s (?:(?:football|soccer|basketball|cricket|rugby|hockey|baseball|national|head|"
                              r"assistant) )?(?:coach|manager|captain|quarterback|striker|goalkeeper|midfielder|"
                              r"defender|skipper|head coach)\b")


def _plays_a_match(ctx: DocContext, m: Mention) -> bool:
    """Is a place's name the subject or object of a match's result in a sentence about sport ("England beat
    Australia by six wickets"), or the owner of a team's coach or player ("Alabama's football coach")?"""
    if m.type == "PER" or m.kind == "demonym" or not any(c.type == "LOC" for c in m.candidates):
        return False
    if _TEAM_ROLE_AFTER.match(ctx.text, m.end):
        return True
    if not (_RESULT_AFTER.match(ctx.text, m.end) or _RESULT_BEFORE.search(ctx.text, max(0, m.start - 24), m.start)):
        return False
    words = ctx.sentence_words.get(m.sentence, frozenset())
    return bool(words & MATCH_CUES) or bool(_SCORE.search(ctx.text, max(0, m.start - 60), m.end + 60))


def _as_team(ctx: DocContext, m: Mention) -> Mention:
    """The mention as a team: the KB's clubs and teams of its name, or none (a team the KB does not know is not
    the place it is named after)."""
    found = {c.qid: c for c in m.candidates}
    for c in ctx.kb.lookup(m.text.strip(), lang=ctx.lang, limit=10):
        found.setdefault(c.qid, c)
    teams = [c for c in found.values() if c.type == "ORG" and "club" in fine_kinds(ctx.entity(c.qid), c)]
    words = ctx.sentence_words.get(m.sentence, frozenset())
    sports = [sport for sport, cues in SPORT_CUES.items() if words & cues]
    if len(sports) == 1:  # a cricket match is not played by the football team of that name
        teams = [c for c in teams if _describes(ctx, c, (sports[0],))]
    return replace(m, type="ORG", candidates=tuple(teams))


#: head nouns of an institution's descriptive name ("Institute of Physics", "Ministry of Defence", "Supreme Court",
#: "Labour Party"): many countries have one of that name
INSTITUTION_HEADS = frozenset("""institute institution ministry department court guard office society council
    committee agency academy police service parliament assembly association federation union party bank museum
    library senate congress commission authority
    institut ministerium gericht polizei partei bank amt akademie rat verband kommission behörde""".split())
_FUNCTION_WORDS = frozenset("of the for and on de des du la le di del der die das für und von zu".split())
_IN_COUNTRY = re.compile(r"\bin ((?:the )?[A-Z][\w.\- ]+)$")


def _descriptive(ctx: DocContext, text: str) -> bool:
    """Is ``text`` an institution's descriptive name: an institution's head noun, and no word that names a place
    or a people ("Institute of Physics" yes; "Bank of England", "British Museum" no)?"""
    words = re.findall(r"[^\W\d_][\w\-]*", text)
    if len(words) < 2 or not any(w.lower() in INSTITUTION_HEADS for w in words):
        return False
    for w in words:
        if w.lower() in INSTITUTION_HEADS or w.lower() in _FUNCTION_WORDS:
            continue
        if any(c.type == "LOC" or c.kind == "demonym" for c in ctx.kb.lookup(w, lang=ctx.lang, limit=5)):
            return False
    return True


def institution_country(ctx: DocContext, qid: str) -> str | None:
    """The country of an organisation: its ``P17`` claim, else the country its KB description ends in
    ("government organisation in United Kingdom")."""
    claim = ctx.country_claim(qid)
    if claim is not None:
        return claim
    ent = ctx.entity(qid)
    desc = ent.descriptions.get("en", "") if ent is not None else ""
    found = _IN_COUNTRY.search(desc)
    if not found:
        return None
    places = [c for c in ctx.kb.lookup(found.group(1), lang="en", limit=3) if c.type == "LOC"]
    return places[0].qid if places else None


def _leader_countries(ctx: DocContext, c: Candidate | None) -> frozenset[str]:
    """The countries a first-pass leader is or lies in."""
    ent = ctx.entity(c.qid) if c is not None else None
    if c is None or ent is None:
        return frozenset()
    out = {c.qid} if set(ent.classes) & COUNTRY_CLASSES else set()
    country = ctx.country_claim(c.qid) if c.type == "LOC" else None
    if country is not None:
        out.add(country)
    return frozenset(out)


def _document_countries(ctx: DocContext, per_leader: Sequence[frozenset[str]], counts: Counter, skip: int) -> set[str]:
    """The countries of every leader but the ``skip``-th (``counts``: over all leaders, counted once), and the
    document's country."""
    out = {q for q, n in counts.items() if n > (q in per_leader[skip])}
    if ctx.country is not None:
        out.add(ctx.country)
    return out


def _nationality_before(ctx: DocContext, prev: Mention, m: Mention) -> set[str]:
    """The countries of an adjective of nationality right before the mention ("the Kenyan| Ministry of Health"),
    or none."""
    if prev.kind != "demonym" or ctx.text[prev.end:m.start] != " ":
        return set()
    ents = [(c.qid, ctx.entity(c.qid)) for c in prev.candidates if c.type == "LOC"]
    return {q for q, ent in ents if ent is not None and set(ent.classes) & COUNTRY_CLASSES}


def by_home_country(mentions: Sequence[Mention], first: Sequence[tuple[Candidate, ...]], ctx: DocContext
                    ) -> tuple[list[Mention], list[tuple[Candidate, ...]]]:
    """An institution's descriptive name that the KB gives institutions of several countries ("the Ministry of
    Defence", "the Institute of Physics") is the institution of the document's country: of its candidates, those
    of another country than every country the document's places (first-pass leaders, ``namesakes.LEADER_PROBABILITY``) are
    or lie in are no reading; when none is left, the mention stays unlinked (the document's institution is not in
    the KB). A document with no country, and a name only one country's institution has, keep every candidate. An
    adjective of nationality right before the name ("the Kenyan Ministry of Health") names the one country, whether
    one or several countries' institutions have the name."""
    lead = first_leaders(first)
    per_leader: list[frozenset[str]] = []
    counts: Counter = Counter()
    out, ranked = [], []
    for i, (m, r) in enumerate(zip(mentions, first, strict=True)):
        orgs = [c for c in m.candidates if c.type == "ORG"]
        if orgs and m.kind != "demonym" and _descriptive(ctx, m.text):
            if not per_leader:  # once per document, when the first descriptive name needs it
                per_leader = [_leader_countries(ctx, c) for c in lead]
                counts = Counter(q for qs in per_leader for q in qs)
            own = _nationality_before(ctx, mentions[i - 1], m) if i else set()
            countries = own or _document_countries(ctx, per_leader, counts, i)
            homes = {c.qid: institution_country(ctx, c.qid) for c in orgs}
            if countries and (own or len(set(homes.values()) - {None}) >= 2):  # the name of institutions of several countries
                m, r = without(m, r, {q for q, home in homes.items() if home is not None and home not in countries})
        out.append(m)
        ranked.append(r)
    return out, ranked


#: last words of an organisation's or a facility's name ("MIT Media Lab", "Boston Children's Hospital")
NAME_HEADS = frozenset("""lab labs laboratory laboratories institute center centre school college hospital museum
    library foundation society academy observatory""".split())
#: a word after a name: capitalised, or a function word inside a longer name
_NEXT = re.compile(r" ([A-Z][\w\-]*|of|for|and|&)")
#: at most this many words continue a name to its head noun
LONGER_WORDS = 4


def _longer_end(text: str, end: int) -> int | None:
    """Where the longer name that continues a name at ``end`` with capitalised words up to a head noun ends
    ("MIT| Artificial Intelligence Lab"), or None."""
    for _ in range(LONGER_WORDS):
        found = _NEXT.match(text, end)
        if not found:
            return None
        end = found.end()
        if found.group(1).lower() in NAME_HEADS:
            after = text[end:end + 1]
            return end if not after or not (after.isalnum() or after in "-'’") else None
    return None


def longer_names(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """The longest name wins (English): a name that capitalised words ending in an organisation's head noun
    continue ("MIT" in "the MIT Media Lab", no mention of its own there) is the start of a longer name; the mention
    becomes that name, with the KB's entities of the whole name as its candidates (none: an unlinked entity)."""
    if ctx.lang != "en":
        return list(mentions)
    out = []
    spans = [(m.start, m.end) for m in mentions]
    for m in mentions:
        end = _longer_end(ctx.text, m.end) if m.kind != "demonym" else None
        if end is not None and not any(s < end and e > m.end for s, e in spans if (s, e) != (m.start, m.end)):
            name = ctx.text[m.start:end]
            cands = tuple(c for c in ctx.kb.lookup(name, lang=ctx.lang, limit=5) if fold(c.name) == fold(name))
            m = replace(m, end=end, text=name, type="ORG", kind=None, candidates=cands)
        out.append(m)
    return out


def _countries_of(ctx: DocContext, qid: str) -> tuple[str, ...]:
    ent = ctx.entity(qid)
    return tuple(ent.claims.get("P17", ())) if ent is not None else ()


def in_named_region(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """'Paris, Texas', 'Berlin, New Hampshire', 'Glasgow, Kentucky': a place, a comma and a region names a place in
    that region, so the place's readings that lie in another country (``P17``) are no readings (the capitals
    were linked; with none left the place stays unlinked). Only after a region that is no country: a country after
    the comma may be the one of the place's time ("Breslau, Germany"), and a region that may also be a country
    ("Tbilisi, Georgia") is not judged. Places without a country claim stay. English."""
    if ctx.lang != "en":
        return list(mentions)
    out = list(mentions)
    for k in range(len(out) - 1):
        prev, m = out[k], out[k + 1]
        if prev.type != "LOC" or m.type != "LOC" or m.kind == "demonym" or not prev.candidates or not m.candidates \
                or ctx.text[prev.end:m.start] != ", ":
            continue
        regions = [c for c in m.candidates if c.type == "LOC"]
        entities = [ctx.entity(c.qid) for c in regions]
        if not regions or any(e is None or COUNTRY_CLASSES & set(e.classes) for e in entities):
            continue
        countries = {q for c in regions for q in _countries_of(ctx, c.qid)}
        keep = tuple(c for c in prev.candidates if c.type != "LOC" or not (home := _countries_of(ctx, c.qid))
                     or countries & set(home)) if countries else prev.candidates
        if keep != prev.candidates:
            out[k] = replace(prev, candidates=keep)
    return out


_UNIVERSITIES_OF = re.compile(r"\buniversities (?:of|in|at) $", re.IGNORECASE)
_UNIVERSITIES_AFTER = re.compile(r"^ universities\b", re.IGNORECASE)
_LIST_JOINER = re.compile(r"^(?:, | and |, and | & )$")


def _university_of(ctx: DocContext, m: Mention) -> tuple[Candidate, ...]:
    """The KB's universities that ``m``'s place name names ("Oxford" -> the University of Oxford): among its
    candidates, else under "University of X" or "X University"."""
    unis = tuple(c for c in m.candidates if "university" in fine_kinds(ctx.entity(c.qid), c))
    if unis:
        return unis
    name = m.text.strip()
    found: dict[str, Candidate] = {}
    for form in (f"University of {name}", f"{name} University"):
        for c in ctx.kb.lookup(form, lang=ctx.lang, limit=5):
            if fold(c.name) == fold(form) and "university" in fine_kinds(ctx.entity(c.qid), c) and c.qid not in found:
                found[c.qid] = Candidate(c.qid, c.name, "short", c.prior, c.type, c.lang)
    return tuple(found.values())


def coordinated_universities(mentions: Sequence[Mention], ctx: DocContext) -> list[Mention]:
    """Names coordinated under the plural head "universities" ("taught at the universities of Oxford and
    Cambridge", "the universities of Leiden, Utrecht and Groningen", "Yale and Harvard universities") share that
    head: each is the university of that place, the KB's university named so ("University of X", "X University"),
    when it has one (else the mention is left as it is). English."""
    if ctx.lang != "en" or "universities" not in ctx.text.lower():
        return list(mentions)
    out = list(mentions)
    groups: list[list[int]] = []
    k = 0
    while k < len(out):  # runs of mentions joined by ", " / " and "
        run = [k]
        while run[-1] + 1 < len(out) and _LIST_JOINER.match(ctx.text[out[run[-1]].end:out[run[-1] + 1].start]):
            run.append(run[-1] + 1)
        groups.append(run)
        k = run[-1] + 1
    for run in groups:
        first, last = out[run[0]], out[run[-1]]
        if not (_UNIVERSITIES_OF.search(ctx.text, max(0, first.start - 20), first.start)
                or len(run) > 1 and _UNIVERSITIES_AFTER.match(ctx.text[last.end:last.end + 14])):
            continue
        for j in run:
            m = out[j]
            if m.kind == "demonym" or not any(c.type == "LOC" for c in m.candidates):
                continue
            unis = _university_of(ctx, m)
            if unis:
                out[j] = replace(m, candidates=unis, type="ORG")
    return out
