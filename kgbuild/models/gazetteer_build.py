"""Build the name list of the ``kgbuild_gazetteer`` component from the shared data (training time only).

In: the shared data folder. Out: a TSV file ``name<TAB>TAG`` (TAG in PER, GIVEN, FAMILY, LOC, ORG), sorted,
deduplicated. Only sources whose licence allows shipping inside a CC BY-SA model are read:
EveryPolitician's Wikidata names (CC0 content), Natural Earth places (public domain), Wikidata country
aliases (CC0 content, MIT repository) and Party Facts (MIT); optionally (``extra``, not shipped) US Congress
legislators (CC0) and SupraVerden international organisations (CC BY-SA 4.0). Never reads kgbuild's KB: the model stays
self-contained.
"""
from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter
from pathlib import Path
from typing import Iterator

from kgbuild.files import atomic_open

_NAME_OK = re.compile(r"^[A-ZÄÖÜÀ-Þa-zäöüßà-ÿ0-9][\w .'&\-]*$")


def _ok(name: str | None) -> bool:
    """A usable name: Latin script, 2..60 characters, not all lower case."""
    if not name:
        return False
    name = name.strip()
    return 2 <= len(name) <= 60 and bool(_NAME_OK.match(name)) and not name.islower()


def _jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def persons(data: Path) -> Iterator[tuple[str, str]]:
    """Full names (PER), given names (GIVEN) and family names (FAMILY) of legislators (Wikidata)."""
    given: Counter[str] = Counter()
    family: Counter[str] = Counter()
    for row in _jsonl(data / "everypolitician-2015" / "wikidata_persons.jsonl.gz"):
        for key in ("name__de", "name__en", "name"):
            if _ok(row.get(key)) and " " in row[key].strip():
                yield row[key].strip(), "PER"
                parts = row[key].split()
                given[parts[0]] += 1
                family[parts[-1]] += 1
        if _ok(row.get("given_name")):
            given[row["given_name"].split()[0]] += 1
        if _ok(row.get("family_name")):
            family[row["family_name"].split()[-1]] += 1
    yield from ((name, "GIVEN") for name, n in given.items() if n >= 2 and _ok(name) and len(name) > 2)
    yield from ((name, "FAMILY") for name, n in family.items() if n >= 2 and _ok(name) and len(name) > 2)


def places(data: Path) -> Iterator[tuple[str, str]]:
    """Country names and aliases (de, en) and populated places (German and English names)."""
    with gzip.open(data / "wikidata-country-aliases" / "country_aliases.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["language"] in ("de", "en") and _ok(row["label"]):
                yield row["label"].strip(), "LOC"
    for row in _jsonl(data / "natural-earth" / "ne_10m_populated_places.properties.jsonl.gz"):
        for key in ("NAME_DE", "NAME", "NAME_EN"):
            if _ok(row.get(key)):
                yield row[key].strip(), "LOC"


def organisations(data: Path) -> Iterator[tuple[str, str]]:
    """Political parties: English, native and short names (Party Facts)."""
    with open(data / "partyfacts" / "wikidata.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for key in ("name", "name_native", "name_short"):
                value = (row.get(key) or "").strip()
                if _ok(value) and (key != "name_short" or len(value) >= 2):
                    yield value, "ORG"


def congress(data: Path) -> Iterator[tuple[str, str]]:
    """Current US Congress members: full names (PER), first (GIVEN) and last names (FAMILY) (CC0)."""
    import yaml

    with gzip.open(data / "congress-legislators" / "legislators-current.yaml.gz", "rt", encoding="utf-8") as fh:
        for person in yaml.safe_load(fh) or []:
            name = person.get("name") or {}
            for key, tag in (("official_full", "PER"), ("first", "GIVEN"), ("last", "FAMILY")):
                if _ok(name.get(key)) and (tag != "PER" or " " in name[key]):
                    yield name[key].strip(), tag


def international_organisations(data: Path) -> Iterator[tuple[str, str]]:
    """International organisations: German and English names and abbreviations (SupraVerden, CC BY-SA 4.0)."""
    import yaml

    with open(data / "supraverden" / "general_list.yaml", encoding="utf-8") as fh:
        records = yaml.safe_load(fh) or {}
    for english, record in records.items():
        names = [english] + [record.get(k) for k in ("Name_de", "Name_en", "Name_other_en", "Abbreviation_en")]
        yield from ((n.strip(), "ORG") for n in names if isinstance(n, str) and _ok(n))


#: KB name kinds that are names of the entity itself (not a family name alone, not an adjective)
KB_NAME_KINDS = ("label", "alias", "official", "short", "transliteration", "wikipedia")


def kb_names(kb_path: Path | None = None) -> Iterator[tuple[str, str]]:
    """(name, PER/LOC/ORG) for every German, English or language-neutral name of kgbuild's compiled KB
    (``kgbuild.kb``: built from the same shared data by ``scripts/compile_kb.py``)."""
    from kgbuild.kb import open_kb

    rows = open_kb(kb_path).iter_names(KB_NAME_KINDS, ("de", "en", None), ("PER", "LOC", "ORG"))
    yield from ((name.strip(), type_) for name, type_ in rows if _ok(name))


def build_entries(data: Path, extra: bool = False, kb: bool = False) -> list[tuple[str, str]]:
    """All (name, tag) pairs, deduplicated and sorted. ``extra`` adds US Congress and SupraVerden names
    (measured: no gain on GermEval dev); ``kb`` adds the names of kgbuild's compiled KB (``kb_names``)."""
    sources: list[Iterator[tuple[str, str]]] = [persons(data), places(data), organisations(data)]
    if extra:
        sources += [congress(data), international_organisations(data)]
    if kb:
        sources.append(kb_names())
    return sorted({pair for source in sources for pair in source})


def build_gazetteer(data: Path, out: Path, extra: bool = False, kb: bool = False) -> int:
    """Write the gazetteer TSV atomically; returns the number of entries."""
    entries = build_entries(Path(data), extra, kb)
    with atomic_open(out, "w", parents=True) as fh:
        for name, tag in entries:
            fh.write(f"{name}\t{tag}\n")
    return len(entries)
