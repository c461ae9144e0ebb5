"""Politicians: EveryPolitician (26,000 legislators with Wikidata labels per language) and the current
US Congress (congress-legislators). Adds surnames (family name -> person, ranked low), given names (for
spotting unknown persons) and German transliterations of Russian-script names (Vladimir -> Wladimir).
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from kgbuild.kb.compile.model import KEEP_LANGS, Builder
from kgbuild.kb.compile.sources import read_json, read_jsonl, read_yaml
from kgbuild.kb.person_names import person_names
from kgbuild.kb.translit import CYRILLIC_COUNTRIES, variant

_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
US_PARTIES = {"Democrat": "Q29552", "Republican": "Q29468"}
US_POSITIONS = {"sen": "Q4416090", "rep": "Q13218630"}  # United States senator / representative


def person_prior(sitelinks: int, base: float = 0.15) -> float:
    return base + 0.5 * min(1.0, math.log10(1 + sitelinks) / 2.2)


def add_everypolitician(b: Builder, data: Path, iso2_qid: dict) -> None:
    folder = data / "everypolitician-2015"
    slug_iso = {c["slug"].replace("-", "_"): c["code"][:2] for c in read_json(folder / "countries.json.gz")}
    for row in read_jsonl(folder / "wikidata_persons.jsonl.gz"):
        qid = row.get("id") if str(row.get("id", "")).startswith("Q") else row.get("identifier__wikidata")
        if not qid:
            continue
        iso2 = slug_iso.get(row["_source_path"].split("/")[1])
        labels = {k[6:]: v for k, v in row.items() if k.startswith("name__") and k[6:] in KEEP_LANGS}
        names = [(v, "label", lang) for lang, v in labels.items()] + [(row.get("name", ""), "label", None)]
        sitelinks = [k for k in row if k.startswith("wikipedia__")]
        names += [(_PAREN.sub("", row[k]), "wikipedia", k[11:]) for k in sitelinks if k[11:] in KEEP_LANGS]
        main = labels.get("en") or labels.get("de") or row.get("name", "")
        derived, given = person_names(main, iso2, row.get("family_name"), row.get("given_name"))
        if row.get("name__ru") and iso2 in CYRILLIC_COUNTRIES:
            tv = variant(row["name__ru"], None)
            if tv:
                derived.append((tv, "transliteration", "de"))
                given.add(tv.split()[0])
        if row.get("name__ru"):  # the German spelling of the Russian first name ("Юрий" -> "Juri")
            tv = variant(row["name__ru"], None)
            if tv and len(tv.split()) >= 2:
                given.add(tv.split()[0])
        b.given_names.update(given)
        country = iso2_qid.get(iso2)
        b.add(qid, "everypolitician-2015", "PER", person_prior(len(sitelinks)), force=True, names=names + derived,
              labels=labels, classes={"Q5"}, claims={"P27": [country]} if country else None,
              descriptions={"en": f"politician ({row['_source_path'].split('/')[1].replace('_', ' ')})"})
        b.count("everypolitician-2015")


def add_congress(b: Builder, data: Path) -> None:
    for m in read_yaml(data / "congress-legislators" / "legislators-current.yaml.gz"):
        qid = m.get("id", {}).get("wikidata")
        if not qid:
            continue
        n = m["name"]
        full = n.get("official_full") or f"{n['first']} {n['last']}"
        names = [(full, "label", "en"), (f"{n['first']} {n['last']}", "alias", "en"), (n["last"], "surname", None)]
        if n.get("nickname"):
            names.append((f"{n['nickname']} {n['last']}", "alias", "en"))
        if m["id"].get("wikipedia"):
            names.append((_PAREN.sub("", m["id"]["wikipedia"]), "wikipedia", "en"))
        terms = m.get("terms", [])
        party = US_PARTIES.get(terms[-1].get("party")) if terms else None
        claims = {"P27": ["Q30"], "P39": sorted({US_POSITIONS[t["type"]] for t in terms if t.get("type") in US_POSITIONS})}
        if party:
            claims["P102"] = [party]
        b.given_names.update(x for x in (n.get("first"), n.get("nickname")) if x)
        b.add(qid, "congress-legislators", "PER", 0.35 + 0.02 * min(len(terms), 10), force=True, names=names,
              labels={"en": full}, classes={"Q5"}, claims=claims,
              descriptions={"en": "member of the United States Congress"})
        b.count("congress-legislators")
