"""Organisations: parties (Party Facts), international organisations (SupraVerden), newspapers
(Wikidata newspaper list). Abbreviations become ``short`` names.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from kgbuild.kb.compile.model import KEEP_LANGS, Builder
from kgbuild.kb.compile.sources import read_csv, read_json, read_yaml


def age_bonus(qid: str, weight: float = 0.1) -> float:
    """Small prior bonus for older (lower-numbered) items, a proxy for prominence where a source has no
    popularity figure: Q49762 (CDU, Germany) before Q2174467 (CDU, Portugal)."""
    return weight * (1 - min(1.0, math.log10(int(qid[1:])) / 9))

_WIKI_URL = re.compile(r"/wiki/(.+)$")


def add_partyfacts(b: Builder, data: Path, iso3: dict) -> None:
    folder = data / "partyfacts"
    titles = {}
    for row in read_csv(folder / "wikipedia.csv"):
        m = _WIKI_URL.search(row.get("url") or "")
        if m:
            titles[row["partyfacts_id"]] = m.group(1).replace("_", " ")
    for row in read_csv(folder / "wikidata.csv"):
        qid = row.get("wikidata_id")
        if not qid or not qid.startswith("Q"):
            continue
        names: list[tuple[str, str, str | None]] = [(row["name"], "label", "en")]
        if row.get("name_short"):
            names.append((row["name_short"], "short", None))
        if row.get("name_native"):
            names.append((row["name_native"], "official", None))
        if titles.get(row["partyfacts_id"]):
            names.append((re.sub(r"\s*\([^)]*\)$", "", titles[row["partyfacts_id"]]), "wikipedia", "en"))
        country = iso3.get(row.get("country"))
        b.add(qid, "partyfacts", "ORG", 0.3 + age_bonus(qid), names=names, labels={"en": row["name"]}, classes={"Q7278"},
              claims={"P17": [country]} if country else None,
              descriptions={"en": f"political party ({row.get('country')})"})
        b.count("partyfacts")


def add_supraverden(b: Builder, data: Path) -> None:
    for key, org in read_yaml(data / "supraverden" / "general_list.yaml").items():
        qid = org.get("Wikidata_code")
        if not qid or not str(qid).startswith("Q"):
            continue
        names: list[tuple[str, str, str | None]] = [(org.get("Name_en") or key, "label", "en")]
        for field, value in org.items():
            if not value or not isinstance(value, str):
                continue
            lang = field.rsplit("_", 1)[-1]
            if field.startswith("Name_other"):
                names.append((value, "alias", lang))
            elif field.startswith("Name_") and lang in KEEP_LANGS:
                kind = "short" if value.isupper() and len(value) <= 8 else "label"
                names.append((value, kind, lang))
            elif field.startswith("Abbreviation"):
                names.append((value, "short", None))
        n_names = sum(1 for f in org if f.startswith("Name_"))
        labels = {lang: org[f"Name_{lang}"] for lang in KEEP_LANGS if isinstance(org.get(f"Name_{lang}"), str)}
        b.add(qid, "supraverden", "ORG", min(0.9, 0.35 + 0.015 * n_names + age_bonus(qid)), force=True, names=names, labels=labels,
              classes={"Q484652"}, descriptions={"en": f"international organisation ({org.get('Org_family')})"})
        b.count("supraverden")


def add_newspapers(b: Builder, data: Path) -> None:
    doc = read_json(data / "wikidata-newspapers" / "full_list_of_newspapers.json.gz")
    seen = set()
    for row in doc["results"]["bindings"]:
        qid = row["item"]["value"].rsplit("/", 1)[-1]
        label = row.get("itemLabel", {}).get("value", "")
        claims: dict[str, list[str]] = {}
        for var, prop in (("country", "P17"), ("place", "P291")):
            if row.get(var, {}).get("type") == "uri":
                claims.setdefault(prop, []).append(row[var]["value"].rsplit("/", 1)[-1])
        claims.pop("P291", None)  # place of publication is not one of the kept claims
        if label == qid:  # no English label: the query falls back to the QID
            b.add(qid, "wikidata-newspapers", "ORG", 0.2 + age_bonus(qid), classes={"Q11032"}, claims=claims)
        else:
            b.add(qid, "wikidata-newspapers", "ORG", 0.25 + age_bonus(qid), names=[(label, "label", "en")], labels={"en": label},
                  classes={"Q11032"}, claims=claims,
                  descriptions={"en": f"newspaper ({row.get('countryLabel', {}).get('value', '?')})"})
        if qid not in seen:
            seen.add(qid)
            b.count("wikidata-newspapers")
