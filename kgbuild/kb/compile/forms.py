"""The forms news use for names that sources give in full, and the kgbuild classes of organisations.

``short_forms("Deutsche Bahn AG") == ["Deutsche Bahn"]``: a written-out German legal form is abbreviated
("Volkswagen Aktiengesellschaft" -> "Volkswagen AG"); legal-form suffixes (AG, GmbH, SE, Inc., plc,
Ltd, S.A., ...), a trailing country in parentheses ("Apple (United States)"), football-club affixes
("Manchester United F.C.", "Real Madrid Club de Fútbol") are dropped. The compiler adds a short form only
when no other entity already has that name (see ``kgbuild.kb.compile.add_short_forms``), so short forms
never make a name ambiguous.

``ORG_CLASSES``: the finer organisation classes (Wikidata class QIDs kept in a record's ``classes``; the
graph writer types entities with the matching ``kg:`` class, see ``kgbuild.kb.classes``).
"""
from __future__ import annotations

import math
import re

from kgbuild.kb.normalize import norm_key

#: Wikidata classes the compiler puts into ``classes`` for each finer kind of organisation
COMPANY = "Q4830453"          # business
UNIVERSITY = "Q3918"          # university
GOVERNMENT_AGENCY = "Q327333"  # government agency
SPORTS_CLUB = "Q847017"       # sports club
FOOTBALL_CLUB = "Q476028"     # association football club
BROADCASTER = "Q15265344"     # broadcaster
NEWSPAPER = "Q11032"          # newspaper
PARTY = "Q7278"               # political party
INTERNATIONAL_ORG = "Q484652"  # international organization
#: every organisation class above
ORG_CLASS_QIDS = frozenset({COMPANY, UNIVERSITY, GOVERNMENT_AGENCY, SPORTS_CLUB, FOOTBALL_CLUB, BROADCASTER,
                            NEWSPAPER, PARTY, INTERNATIONAL_ORG})

_LEGAL = (
    r"AG|SE|KG|KGaA|GmbH|mbH|gGmbH|e\.\s?V\.|eG|Aktiengesellschaft|Gesellschaft mit beschränkter Haftung|"
    r"Inc\.?|Incorporated|Corp\.?|Co\.|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|LP|plc|PLC|"
    r"S\.\s?A\.|SA|S\.p\.A\.|SpA|S\.A\.S\.|SAS|N\.V\.|NV|B\.V\.|BV|A/S|AB|ASA|Oy|Oyj|S\.L\.|SL|Sp\. z o\.o\.|"
    r"Pty\.? Ltd\.?"
)
_LEGAL_SUFFIX = re.compile(rf"(?:,?\s+(?:&\s+)?(?:{_LEGAL}))+\s*$")
_PAREN_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_CLUB_SUFFIX = re.compile(r"\s+(?:F\.C\.|FC|A\.F\.C\.|AFC|C\.F\.|CF|S\.C\.|SC|Football Club|Club de Fútbol|Calcio)$")
_CLUB_PREFIX = re.compile(r"^(?:Futbol Club|Football Club|FC|F\.C\.|AFC|SV|VfB|VfL|1\.\s?FC|SC|AC|AS|SS|US|CF|RC|CD|SD)\s+")


#: a written-out German legal form and the abbreviation news use ("Volkswagen Aktiengesellschaft" -> "Volkswagen AG")
_LEGAL_ABBREV = (
    (re.compile(r"\s+Aktiengesellschaft$"), " AG"),
    (re.compile(r"\s+Gesellschaft mit beschränkter Haftung$"), " GmbH"),
)


def abbreviated_legal_form(name: str) -> list[str]:
    """``name`` with its written-out German legal form abbreviated (``[]`` if it has none)."""
    return [long_form.sub(abbrev, name) for long_form, abbrev in _LEGAL_ABBREV if long_form.search(name)]


def strip_country(name: str) -> str:
    """ROR's display names carry a country in parentheses: "Apple (United States)" -> "Apple"."""
    return _PAREN_SUFFIX.sub("", name).strip() or name


def short_forms(name: str, club: bool = False) -> list[str]:
    """Shorter forms news use for ``name`` (never ``name`` itself, never a single letter)."""
    out: list[str] = []
    base = _PAREN_SUFFIX.sub("", name).strip()
    if base != name:
        out.append(base)
    out += abbreviated_legal_form(base)
    stripped = _LEGAL_SUFFIX.sub("", base).strip(" ,")
    if stripped != base and stripped:
        out.append(stripped)
    if club:
        core = _CLUB_SUFFIX.sub("", stripped).strip()
        if core != stripped:
            out.append(core)
        pre = _CLUB_PREFIX.sub("", core).strip()
        if pre != core and len(pre.split()) >= 2:  # "FC Bayern Munich" -> "Bayern Munich", not "1. FC Köln" -> "Köln"
            out.append(pre)
    seen, forms = {name}, []
    for form in out:
        if form not in seen and len(form) >= 2 and any(ch.isalpha() for ch in form):
            seen.add(form)
            forms.append(form)
    return forms


def age_bonus(qid: str, weight: float = 0.1) -> float:
    """Small prior bonus for older (lower-numbered) items, a proxy for prominence where a source has no
    popularity figure: Q49762 (CDU, Germany) before Q2174467 (CDU, Portugal)."""
    return weight * (1 - min(1.0, math.log10(int(qid[1:])) / 9))


_COMMON: set[str] = set()


def common_word(word: str) -> bool:
    """An English or German function word or a German common noun ("post", "bio"): not an acronym."""
    if not _COMMON:
        from kgbuild.kb.compile.model import common_words, stop_words

        _COMMON.update(stop_words() | common_words())
    return norm_key(word) in _COMMON
