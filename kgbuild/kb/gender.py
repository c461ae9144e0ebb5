"""A person's gender: Wikidata's ``P21`` (sex or gender), kept for the linker's reading of titles ("Frau Wagner" is
no Richard Wagner; ``kgbuild.linking.gender``).

The KB keeps one value per person, male ``Q6581097`` or female ``Q6581072``, in the entity row's claims only (no
link between entities: not a ``claims`` row, as the years of ``kgbuild.kb.years``). Where it comes from: the
politician lists that give it (EveryPolitician, OpenParliamentTV, the US Congress), Freebase's gender triples of
the FB15k extract, Wikidata JSON (``kgbuild kb import``); for other persons the compiler infers it from a gendered
word of the English description ("actress", "businessman") or from the first name of the label when the gendered
sources' bearers of that first name are all but one gender (``infer``). A person whose sources disagree keeps none.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Mapping

#: sex or gender (Wikidata property) and its two values the KB keeps
GENDER, MALE, FEMALE = "P21", "Q6581097", "Q6581072"
#: Freebase's gender nodes as the FB15k extract maps them ("male organism", "female organism")
FREEBASE = {"Q44148": MALE, "Q43445": FEMALE}
#: the sources' own spellings
_WORDS = {"male": MALE, "m": MALE, "female": FEMALE, "f": FEMALE, MALE: MALE, FEMALE: FEMALE,
          **FREEBASE}
#: a first name counts as one gender's when at least this many gendered persons bear it ...
NAME_MIN_BEARERS = 3
#: ... and at least this share of them are of that gender ("Andrea", "Kim", "Jo" are of neither)
NAME_MIN_SHARE = 0.95
#: English description words of one gender (Wikidata's descriptions say "actress", "businesswoman")
_DESCRIPTION = {
    FEMALE: re.compile(r"\b(?:actress|actresses|businesswoman|sportswoman|stateswoman|congresswoman|chairwoman|"
                       r"spokeswoman|horsewoman|queen|princess|duchess|countess|empress|baroness|nun|ballerina|"
                       r"first lady|(?:wife|widow|daughter|mother|sister) of)\b", re.I),
    MALE: re.compile(r"\b(?:businessman|sportsman|statesman|congressman|chairman|spokesman|horseman|king|prince|"
                     r"duke|emperor|baron|monk|(?:husband|widower|son|father|brother) of)\b", re.I),
}


def value_of(word: object) -> str | None:
    """The KB's value for a source's spelling of a gender ("female", "M", a Freebase node), or None."""
    return _WORDS.get(str(word).strip().lower() if not str(word).startswith("Q") else str(word))


def gender_of(claims: Mapping[str, Iterable[str]]) -> str | None:
    """MALE, FEMALE or None (unknown, or the sources disagree) of an entity's claims."""
    values = set(claims.get(GENDER, ()))
    return next(iter(values)) if len(values) == 1 else None


def of_description(text: str | None) -> str | None:
    """The gender a description's words give ("American actress"), None when none or both."""
    if not text:
        return None
    found = [g for g, pattern in _DESCRIPTION.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def first_name_genders(bearers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """First name -> gender from (first name, gender) of persons whose gender the sources give: a name of at least
    ``NAME_MIN_BEARERS`` bearers, ``NAME_MIN_SHARE`` of them of one gender."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for name, gender in bearers:
        if name and gender in (MALE, FEMALE):
            counts[name][gender] += 1
    out = {}
    for name, c in counts.items():
        total = sum(c.values())
        gender, n = c.most_common(1)[0]
        if total >= NAME_MIN_BEARERS and n / total >= NAME_MIN_SHARE:
            out[name] = gender
    return out


def first_name(label: str) -> str:
    """The first word of a person's label ("Richard" of "Richard Wagner"); empty for a one-word label."""
    words = label.split()
    return words[0] if len(words) >= 2 and words[0][:1].isupper() and not words[0].endswith(".") else ""
