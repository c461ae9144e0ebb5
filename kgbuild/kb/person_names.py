"""Names derived from a person's label: the surname (ranked low in lookups, so "Putin" finds Q7747), the
given name (for spotting unknown persons) and German transliterations of Russian-script names
("Vladimir Putin" -> "Wladimir Putin", surname "Putin"). Used by the compiler and the Wikidata importer.
"""
from __future__ import annotations

from kgbuild.kb.translit import scope_for, variant

#: countries where the family name comes first ("Kim Jong-un")
FAMILY_FIRST = frozenset("KP KR CN TW HK MO VN KH MN JP".split())
#: citizenship (P27) QID -> ISO code, for the countries whose naming rules differ (transliteration, order)
COUNTRY_QIDS = {
    "Q159": "RU", "Q15180": "RU", "Q212": "UA", "Q184": "BY", "Q232": "KZ", "Q813": "KG", "Q863": "TJ",
    "Q265": "UZ", "Q874": "TM", "Q217": "MD", "Q219": "BG", "Q403": "RS", "Q221": "MK", "Q711": "MN",
    "Q227": "AZ", "Q399": "AM", "Q230": "GE", "Q423": "KP", "Q884": "KR", "Q148": "CN", "Q865": "TW",
    "Q881": "VN", "Q17": "JP", "Q424": "KH",
}


def iso2_of_citizenships(qids) -> str | None:
    """The first citizenship with special naming rules (Cyrillic first), else None."""
    codes = [COUNTRY_QIDS[q] for q in qids if q in COUNTRY_QIDS]
    return next((c for c in codes if scope_for(c) == "latin-ru"), codes[0] if codes else None)


def person_names(label: str, iso2: str | None, family: str | None = None, given: str | None = None):
    """(derived names as (name, kind, lang), given names) for a person label."""
    names: list[tuple[str, str, str | None]] = []
    given_names: set[str] = set()
    tokens = label.split()
    if len(tokens) >= 2:
        family = family or (tokens[0] if iso2 in FAMILY_FIRST else tokens[-1])
        given = given or (None if iso2 in FAMILY_FIRST else tokens[0])
    if family and family != label:
        names.append((family, "surname", None))
    if given:
        given_names.add(given)
    scope = scope_for(iso2)
    if scope == "latin-ru":
        for form in {label, given or ""} - {""}:
            tv = variant(form, scope)
            if tv:
                if form == label:
                    names.append((tv, "transliteration", "de"))
                    if len(tv.split()) >= 2:
                        names.append((tv.split()[-1], "surname", "de"))
                given_names.add(tv.split()[0])
    return names, given_names
