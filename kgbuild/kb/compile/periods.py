"""Periods of historic states and the modern state each is an earlier form of, from FB15k's English data.

FB15k's historic states (typed LOC by ``kgbuild.kb.compile.popular``) carry their period only in the English
description: "empire in Central Europe between 1871–1918", "Germany in the years 1918/1919-1933", "1922–1991
country in Europe and Asia", "kingdom in Southeastern Europe between 1881 and 1947". ``add_periods`` turns the
first year range of such a description into two claims, ``P571`` (inception) and ``P576`` (dissolved), whose
values are years ("1871", "1918"), and adds ``P1366`` (replaced by) pointing at the modern country whose
English name or demonym the historic state's English label contains (*German* Empire, Kingdom of *Italy*,
*Russian* Empire, *Austria*-*Hungary*), or whose name begins the description ("*Germany* in the years ...").
``P1366`` here means "an earlier form of this modern country" (German Empire -> Germany), not Wikidata's
immediate successor (Weimar Republic). A part of another state ("republic in the USSR", "state of the Holy
Roman Empire") and a description without a year range ("former country") get nothing.
``kgbuild.linking.periods`` uses the claims with the article's date.
"""
from __future__ import annotations

import re

from kgbuild.kb.compile.model import Builder
from kgbuild.kb.years import DISSOLVED, INCEPTION

#: the modern country a historic state is an earlier form of (its inception and dissolution: ``kgbuild.kb.years``)
MODERN = "P1366"

_YEAR = r"(\d{3,4})"
#: "1871–1918", "1918/1919-1933", "1867 to October 1918", "1881 and 1947", "(1701–1918)"
_RANGE = re.compile(_YEAR + r"(?:/\d{3,4})?\s*(?:[–-]|\s+to\s+|\s+and\s+)\s*(?:[A-Z][a-z]+\s+)?" + _YEAR + r"\b")
#: a state word among the first words, or a year range and then a state word ("1922–1991 country")
_STATE_HEAD = re.compile(
    r"^(?:[\w()–/-]+\s+){0,3}?(empire|monarchy|kingdom|republic|state|country|nation|union|confederation|"
    r"confederacy|reich|principality|duchy|caliphate|sultanate|khanate|dominion)\b", re.I)
#: "Germany in the years 1918/1919-1933", "Germany in the age of national socialism"
_COUNTRY_IN = re.compile(r"^([A-Z][a-z]+) in the (?:years|age|period)\b")
#: a part of another state: "republic in the USSR", "state of the Holy Roman Empire", "dominion of the British Empire"
_PART_OF = re.compile(r"^(?:[\w()–/-]+\s+){0,3}?(?:republic|state|dominion|duchy|principality)\s+(?:in|of)\s+the\s+[A-Z]")


def period(description: str) -> tuple[int, int] | None:
    """(first year, last year) of a historic state's English description, or None when it gives none."""
    if not _STATE_HEAD.search(description) and not _COUNTRY_IN.search(description):
        return None
    if _PART_OF.search(description):
        return None
    m = _RANGE.search(description)
    if m is None:
        return None
    start, end = int(m[1]), int(m[2])
    return (start, end) if start < end else None


def country_words(b: Builder, countries: set[str]) -> dict[str, set[str]]:
    """English labels and demonyms of the modern countries -> their QID ("Germany", "German" -> Q183); a word of
    several countries ("French": France and the French Southern Territories) is the one with the highest prior."""
    owners: dict[str, list[tuple[float, str]]] = {}
    for qid in countries:
        rec = b.get(qid)
        if rec is None:
            continue
        names = {rec.labels.get("en", "")}
        names |= {n for n, kind, lang in rec.names if lang == "en" and kind in ("label", "demonym")}
        for name in names:
            if name and name[0].isupper():
                owners.setdefault(name, []).append((-rec.prior, qid))
    return {name: {min(qids)[1]} for name, qids in owners.items()}


def modern_states(label: str, description: str, words: dict[str, set[str]]) -> set[str]:
    """The modern countries a historic state's label names (or its description begins with)."""
    found: set[str] = set()
    for name, qids in words.items():
        if re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", label):
            found |= qids
    m = _COUNTRY_IN.search(description)
    if m:
        found |= words.get(m[1], set())
    return found


def add_periods(b: Builder, countries: set[str]) -> int:
    """Period and modern country of every FB15k historic state (LOC records with a dated English description
    that are no modern country themselves); returns how many got a period."""
    words = country_words(b, countries)
    added = 0
    for qid, rec in b.recs.items():
        if rec.type != "LOC" or qid in countries or "fb15k237-entity2wikidata" not in rec.sources:
            continue
        desc = rec.descriptions.get("en", "")
        span = period(desc) if desc else None
        if span is None:
            continue
        modern = modern_states(rec.labels.get("en", ""), desc, words) - {qid}
        b.add(qid, "fb15k237-entity2wikidata", claims={INCEPTION: [str(span[0])], DISSOLVED: [str(span[1])],
                                                       MODERN: sorted(modern)})
        added += 1
    b.count("historic-state-periods", added)
    return added
