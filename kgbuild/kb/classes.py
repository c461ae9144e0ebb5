"""kgbuild's finer organisation classes: Wikidata P31 classes of a KB entity -> a ``kg:`` class local name
(``Company``, ``University``, ``GovernmentAgency``, ``SportsClub``, ``MediaOrganisation``, ``PoliticalParty``,
``InternationalOrganisation``; table: ``kgbuild/data/lexicon/org_classes.tsv``). The coarse type (PER/LOC/ORG/
MISC) stays what the linker works with; the graph writer adds the finer class to an organisation's types.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

ORG_CLASSES_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "org_classes.tsv"


def read_class_table(path: Path) -> dict[str, str]:
    """A lexicon table of Wikidata class QID -> value (the first two tab-separated columns; ``#`` comments),
    in file order."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            qid, value = line.split("\t")[:2]
            table[qid] = value
    return table


@lru_cache(maxsize=1)
def org_class_table() -> dict[str, str]:
    """Wikidata class QID -> kg: class local name, in file order (first listed wins)."""
    return read_class_table(ORG_CLASSES_FILE)


def org_class(classes: Iterable[str]) -> str | None:
    """The finer organisation class of an entity with these P31 classes, or None."""
    have = set(classes)
    return next((name for qid, name in org_class_table().items() if qid in have), None)


def org_class_names() -> list[str]:
    """Every finer organisation class, in table order, without repeats."""
    return list(dict.fromkeys(org_class_table().values()))
