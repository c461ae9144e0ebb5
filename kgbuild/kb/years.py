"""Year claims: when a person lived and when an organisation or a historic state existed.

The KB keeps four Wikidata properties whose values are years, written as decimal strings ("1952"; a year
before the common era as "-44"): ``P569`` date of birth and ``P570`` date of death of persons, ``P571``
inception and ``P576`` dissolved of organisations and historic states. Only the year: the sources give full
dates for persons but mere years for organisations, and a year is all the linker compares
(``kgbuild.linking.dates``, ``kgbuild.linking.periods``). One value per property and entity: the earliest
beginning and the latest end where sources differ (``settled``), so that a date rule never acts on the less
cautious of two readings.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

#: date of birth, date of death, inception, dissolved (years)
BORN, DIED, INCEPTION, DISSOLVED = "P569", "P570", "P571", "P576"
YEAR_PROPS = (BORN, DIED, INCEPTION, DISSOLVED)
#: the type of entity each year claim is compiled for (``P571``/``P576`` of historic states, LOC, are the periods of
#: ``kgbuild.kb.compile.periods``)
YEAR_TYPES = {BORN: "PER", DIED: "PER", INCEPTION: "ORG", DISSOLVED: "ORG"}
#: properties whose earliest value is kept (the others keep their latest)
BEGINNINGS = frozenset({BORN, INCEPTION})
#: an ISO date or a year ("1952-10-07", "1952", "+1952-10-07T00:00:00Z" of Wikidata JSON, "-0044-03-15")
_YEAR = re.compile(r"^\s*([+-]?)0*(\d{1,4})(?:-\d\d(?:-\d\d)?(?:T[\d:]*Z?)?)?\s*$")
#: years later than this are typing errors of a source, not dates (a year is read only to compare it with
#: an article's date)
LATEST_YEAR = 2100


def year_of(value: object) -> int | None:
    """The year of an ISO date, a year or a Wikidata time string; None for anything else (or a year after
    ``LATEST_YEAR``, or 0)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        year = value
    else:
        m = _YEAR.match(str(value))
        if m is None:
            return None
        year = -int(m[2]) if m[1] == "-" else int(m[2])
    return year if year != 0 and year <= LATEST_YEAR else None


def settled(prop: str, years: Iterable[object]) -> str | None:
    """The one value kept of several years of ``prop``: the earliest beginning, the latest end (as a string)."""
    found = [y for y in map(year_of, years) if y is not None]
    if not found:
        return None
    return str(min(found) if prop in BEGINNINGS else max(found))


def claimed_year(claims: Mapping[str, Iterable[str]], prop: str) -> int | None:
    """The year an entity's claims give for ``prop`` (the settled one if there are several), or None."""
    value = settled(prop, claims.get(prop, ()))
    return int(value) if value is not None else None
