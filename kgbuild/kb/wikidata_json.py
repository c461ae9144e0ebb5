"""Wikidata entity JSON (``wbgetentities`` / ``latest-all.json`` format) -> KB record (see ``kgbuild.kb.write``).

Keeps labels, aliases, descriptions and Wikipedia titles in ``langs`` (all languages when None), the item
claims in ``CLAIM_PROPS`` (``P21`` a person's gender: ``kgbuild.kb.gender``), the years of birth and death of persons and of inception and dissolution of
organisations (``kgbuild.kb.years``, from time values of year precision or finer), P31 classes, the type from ``kgbuild/data/lexicon/class_types.tsv`` and a prior
from the number of sitelinks and statements. Also accepts the pre-2015 claim list format. ``link_target`` says
which items imports keep: things news name, not classes, names or Wikimedia pages.
"""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from kgbuild.kb.classes import read_class_table
from kgbuild.kb.person_names import iso2_of_citizenships, person_names
from kgbuild.kb.years import YEAR_PROPS, YEAR_TYPES, settled, year_of

#: P31 (classes) and the item-valued claims kept for coherence: country, citizenship, capital, head of state and
#: of government, position held, located in, headquarters, party, employer, member of, sports team
CLAIM_PROPS = ("P31", "P17", "P27", "P36", "P35", "P6", "P39", "P131", "P159", "P102", "P108", "P463", "P54", "P21")
DEFAULT_LANGS = ("de", "en", "fr", "es", "it", "nl", "pl", "pt", "ru")
CLASS_TYPES_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "class_types.tsv"


@lru_cache(maxsize=1)
def class_types() -> dict[str, str]:
    """P31 class QID -> coarse type, in file order."""
    return read_class_table(CLASS_TYPES_FILE)


def coarse_type(classes: Iterable[str], claims: Mapping[str, Iterable[str]] = {}) -> str:
    """PER/LOC/ORG/MISC from P31 classes (first known class in table order wins)."""
    table = class_types()
    found = [table[c] for c in classes if c in table]
    if found:
        for etype in ("PER", "LOC", "ORG"):
            if etype in found:
                return etype
    if "P27" in claims:
        return "PER"
    return "MISC"


def _item_value(snak: Mapping) -> str | None:
    if snak.get("snaktype", "value") != "value":
        return None
    value = (snak.get("datavalue") or {}).get("value")
    if isinstance(value, dict):
        if value.get("id"):
            return value["id"]
        if value.get("numeric-id") is not None and value.get("entity-type", "item") == "item":
            return f"Q{value['numeric-id']}"
    return None


#: a time value at least this precise gives a year (9: year; 8 decade and coarser are left out)
YEAR_PRECISION = 9


def _year_value(snak: Mapping) -> int | None:
    """The year of a time value at year precision or finer ("+1952-10-07T00:00:00Z" -> 1952), else None."""
    if snak.get("snaktype", "value") != "value":
        return None
    value = (snak.get("datavalue") or {}).get("value")
    if not isinstance(value, dict) or not isinstance(value.get("precision"), int) or value["precision"] < YEAR_PRECISION:
        return None
    return year_of(value.get("time"))


def _years(raw, etype: str) -> dict[str, list[str]]:
    """The year claims (``kgbuild.kb.years``) of an item of type ``etype``: birth and death of a person, inception
    and dissolution of an organisation, one settled value each (not of places: the periods of historic states
    are compiled from FB15k)."""
    out: dict[str, list[str]] = {}
    if not isinstance(raw, dict):
        return out
    for pid in YEAR_PROPS:
        statements = raw.get(pid) if YEAR_TYPES[pid] == etype else None
        years = [_year_value(stmt.get("mainsnak") or {}) for stmt in statements if isinstance(stmt, dict)
                 and stmt.get("rank") != "deprecated"] if isinstance(statements, list) else []
        value = settled(pid, [y for y in years if y is not None])
        if value is not None:
            out[pid] = [value]
    return out


def _claims(raw) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(raw, list):  # old format: [{"m": ["value", 31, "wikibase-entityid", {...}], ...}]
        for stmt in raw:
            m = stmt.get("m", [])
            if len(m) >= 4 and m[0] == "value" and isinstance(m[3], dict):
                pid = f"P{m[1]}"
                if pid in CLAIM_PROPS and m[3].get("numeric-id") is not None:
                    out.setdefault(pid, []).append(f"Q{m[3]['numeric-id']}")
        return out
    for pid, statements in (raw or {}).items():
        if pid not in CLAIM_PROPS:
            continue
        for stmt in statements:
            if stmt.get("rank") == "deprecated":
                continue
            qid = _item_value(stmt.get("mainsnak", {}))
            if qid:
                out.setdefault(pid, []).append(qid)
    return out


def subclass_of(doc: Mapping) -> list[str]:
    """The P279 (subclass of) targets of an entity document (current claim format; deprecated ones left out)."""
    claims = doc.get("claims")
    statements = claims.get("P279") if isinstance(claims, dict) else None
    out = []
    for stmt in statements if isinstance(statements, list) else ():
        if isinstance(stmt, dict) and stmt.get("rank") != "deprecated":
            qid = _item_value(stmt.get("mainsnak") or {})
            if qid:
                out.append(qid)
    return out


#: P31 classes whose instances news never means by a name: Wikimedia pages (disambiguation page, category,
#: template, list article, module, project page, internal item), names (given names, family names), taxa,
#: occupations, professions and positions (the role, not a person who holds it), scholarly articles, genes,
#: proteins, chemical compounds, years and natural numbers
NOT_ENTITY_CLASSES = frozenset({
    "Q4167410", "Q4167836", "Q11266439", "Q13406463", "Q15184295", "Q14204246", "Q17442446",
    "Q202444", "Q12308941", "Q11879590", "Q3409032", "Q101352",
    "Q16521", "Q12737077", "Q28640", "Q4164871",
    "Q13442814", "Q7187", "Q8054", "Q11173", "Q577", "Q21199",
})


def link_target(doc: Mapping, rec: Mapping) -> bool:
    """Whether an imported item may be linked to: not a class (an item with a P279 "subclass of" statement:
    Q5 "human", whose alias "people" linked news' "people", "female", "Homo sapiens"), not an instance of
    ``NOT_ENTITY_CLASSES``, and not an item of which nothing is known but its names (no P31 class and no
    sitelink: an answer cut to labels). ``rec`` is the item's ``entity_record``."""
    if subclass_of(doc) or NOT_ENTITY_CLASSES.intersection(rec.get("classes", ())):
        return False
    return rec.get("type") != "MISC" or bool(rec.get("classes")) or bool(doc.get("sitelinks"))


def _texts(raw, langs) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    out = {}
    for lang, item in raw.items():
        if langs is None or lang in langs:
            value = item.get("value") if isinstance(item, dict) else None
            if value:
                out[lang] = value
    return out


def prior_from_counts(sitelinks: int, statements: int) -> float:
    """Popularity prior in [0, 1] from the number of sitelinks and of statements."""
    return round(min(1.0, 0.1 + 0.55 * math.log10(1 + sitelinks + statements / 3) / 2.5), 4)


def entity_record(doc: Mapping, langs: Iterable[str] | None = DEFAULT_LANGS, source: str = "wikidata",
                  derive: bool = True) -> dict | None:
    """One KB record for an item document, or None for properties, lexemes and redirects/missing items.
    ``derive`` adds a person's surname, given name and German transliteration (see ``person_names``)."""
    qid = doc.get("id", "")
    if doc.get("type", "item") != "item" or not qid.startswith("Q") or "missing" in doc:
        return None
    langs = set(langs) if langs is not None else None
    labels = _texts(doc.get("labels"), langs)
    names = [[v, "label", k] for k, v in labels.items()]
    for lang, items in (doc.get("aliases") or {}).items() if isinstance(doc.get("aliases"), dict) else ():
        if langs is None or lang in langs:
            names += [[a["value"], "alias", lang] for a in items if a.get("value")]
    sitelinks = doc.get("sitelinks") or {}
    for site, link in sitelinks.items() if isinstance(sitelinks, dict) else ():
        lang = site[:-4] if site.endswith("wiki") and "_" not in site else None
        if lang and (langs is None or lang in langs) and isinstance(link, dict) and link.get("title"):
            names.append([link["title"], "wikipedia", lang])
    claims = _claims(doc.get("claims"))
    classes = claims.pop("P31", [])
    etype = coarse_type(classes, claims)
    claims.update(_years(doc.get("claims"), etype))
    raw_claims = doc.get("claims") or {}
    statements = sum(len(v) for v in raw_claims.values()) if isinstance(raw_claims, dict) else len(raw_claims)
    given: set[str] = set()
    if etype == "PER" and derive:
        label = labels.get("en") or labels.get("de") or next(iter(labels.values()), "")
        derived, given = person_names(label, iso2_of_citizenships(claims.get("P27", ())))
        names += [list(n) for n in derived]
        german = [n for n, kind, lang in derived if kind == "transliteration"]
        if german and "de" not in labels and (langs is None or "de" in langs):
            labels["de"] = german[0]  # no German label: the regular German spelling stands in
    return {
        "qid": qid,
        "type": etype,
        "prior": prior_from_counts(len(sitelinks), statements),
        "classes": classes,
        "claims": claims,
        "labels": labels,
        "descriptions": _texts(doc.get("descriptions"), langs),
        "names": names,
        "given": sorted(given),
        "source": source,
    }


def entities_of(doc: Mapping) -> list[Mapping]:
    """The entity documents inside a file's JSON: ``{"entities": {...}}`` response, one entity, or a list."""
    if isinstance(doc, list):
        return [d for d in doc if isinstance(d, dict)]
    if isinstance(doc, dict) and isinstance(doc.get("entities"), dict):
        return list(doc["entities"].values())
    if isinstance(doc, dict) and "id" in doc:
        return [doc]
    return []
