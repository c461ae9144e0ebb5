"""Organisations: parties (Party Facts), international organisations (SupraVerden), newspapers
(Wikidata newspaper list). Abbreviations become ``short`` names.
"""
from __future__ import annotations

import re
from pathlib import Path

from kgbuild.kb.compile.forms import (
    COMPANY,
    GOVERNMENT_AGENCY,
    UNIVERSITY,
    abbreviated_legal_form,
    age_bonus,
    common_word,
    short_forms,
    strip_country,
)
from kgbuild.kb.compile.model import KEEP_LANGS, Builder
from kgbuild.kb.compile.popular import entity_type
from kgbuild.kb.compile.sources import read_csv, read_json, read_jsonl, read_tsv, read_yaml
from kgbuild.kb.years import DISSOLVED, INCEPTION, year_of

_WIKI_URL = re.compile(r"/wiki/(.+)$")


def org_years(founded, dissolved=None) -> dict[str, list[str]]:
    """Claims ``P571`` / ``P576`` (years, ``kgbuild.kb.years``) of a source's founding and dissolution years."""
    claims: dict[str, list[str]] = {}
    for prop, value in ((INCEPTION, founded), (DISSOLVED, dissolved)):
        year = year_of(value)
        if year is not None:
            claims[prop] = [str(year)]
    return claims


def add_partyfacts(b: Builder, data: Path, iso3: dict) -> None:
    folder = data / "partyfacts"
    titles = {}
    years = {}
    for row in read_csv(folder / "wikipedia.csv"):
        m = _WIKI_URL.search(row.get("url") or "")
        if m:
            titles[row["partyfacts_id"]] = m.group(1).replace("_", " ")
        years[row["partyfacts_id"]] = org_years(row.get("year_founded"), row.get("year_dissolved"))
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
        claims = dict(years.get(row["partyfacts_id"], {}))
        if country:
            claims["P17"] = [country]
        b.add(qid, "partyfacts", "ORG", 0.3 + age_bonus(qid), names=names, labels={"en": row["name"]}, classes={"Q7278"},
              claims=claims,
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
              classes={"Q484652"}, claims=org_years(org.get("Year_established")),
              descriptions={"en": f"international organisation ({org.get('Org_family')})"})
        b.count("supraverden")


#: prior of a newspaper the source gives no country for, under a name of one or two words
OBSCURE_NEWSPAPER_PRIOR = 0.12
_ARTICLES = frozenset({"the", "die", "der", "das", "le", "la", "les", "el", "il", "de", "het"})


def _obscure_newspaper(qid: str, label: str, with_country: set[str]) -> bool:
    """No country in the source, and a name of at most two words besides an article."""
    words = label.split()
    if words and words[0].lower() in _ARTICLES:
        words = words[1:]
    return qid not in with_country and len(words) <= 2


def add_newspapers(b: Builder, data: Path) -> None:
    doc = read_json(data / "wikidata-newspapers" / "full_list_of_newspapers.json.gz")
    with_country = {row["item"]["value"].rsplit("/", 1)[-1] for row in doc["results"]["bindings"]
                    if row.get("country", {}).get("type") == "uri"}
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
        elif _obscure_newspaper(qid, label, with_country):
            # no country in the source and a short name ("Air Force", "Post"): the name is far more often the
            # ordinary phrase than this paper, so it ranks as an alias with a low prior (context must decide)
            b.add(qid, "wikidata-newspapers", "ORG", OBSCURE_NEWSPAPER_PRIOR, names=[(label, "alias", "en")],
                  labels={"en": label}, classes={"Q11032"}, claims=claims, descriptions={"en": "newspaper (?)"})
        else:
            b.add(qid, "wikidata-newspapers", "ORG", 0.25 + age_bonus(qid), names=[(label, "label", "en")], labels={"en": label},
                  classes={"Q11032"}, claims=claims,
                  descriptions={"en": f"newspaper ({row.get('countryLabel', {}).get('value', '?')})"})
        if qid not in seen:
            seen.add(qid)
            b.count("wikidata-newspapers")


#: NSI category path prefixes -> finer organisation class (first match wins); flags/subjects are not orgs
_NSI_CLASSES = (
    ("operators/office/government", GOVERNMENT_AGENCY), ("operators/amenity/police", GOVERNMENT_AGENCY),
    ("operators/amenity/university", UNIVERSITY), ("operators/amenity/college", UNIVERSITY),
    ("brands/", COMPANY), ("operators/", None), ("transit/", None),
)


#: NSI location codes of the markets kgbuild's German and English news cover (001 world, 150 Europe; the
#: German-speaking countries, the UK, Ireland, the US): brands of other markets are mostly unknown to news
#: there, and many are ordinary words ("House", an Australian homeware chain)
NEWS_REGIONS = frozenset({"001", "150", "de", "at", "ch", "li", "lu", "gb", "ie", "us"})


def _nsi_names(row: dict) -> list[tuple[str, str, str | None]]:
    names: list[tuple[str, str, str | None]] = []
    if row.get("label_en"):
        names.append((row["label_en"], "label", "en"))
    for name in filter(None, (row.get("names") or "").split("|")):
        if name.islower():  # NSI match variants ("deutsche bahn ag", "vw"): keep the acronym-like ones
            if len(name) <= 3 and name.isalpha() and not common_word(name):
                names.append((name.upper(), "short", None))
            continue
        if name.isupper() and common_word(name):
            continue  # all-caps function words ("DIE", "AND") are no acronyms of a brand
        names.append((name, "short" if name.isupper() and len(name) <= 6 else "alias", None))
    for item in filter(None, (row.get("names_lang") or "").split("|")):
        lang, _, name = item.partition(":")
        if lang in KEEP_LANGS and name:
            names.append((name, "alias", lang))
    return names


def add_nsi(b: Builder, data: Path) -> None:
    """Brands, companies, transport operators and public bodies (OSM Name Suggestion Index). NSI gives no
    popularity: the prior comes from the age of the item (older items are the household names) and from
    being used world-wide (``001``). QIDs other sources already type as places or persons (operators such as
    a town's school authority) are left alone; flags and subjects are countries and regions, not orgs."""
    for row in read_tsv(data / "name-suggestion-index" / "nsi_entities.tsv.gz"):
        qid = row["qid"]
        paths = [p for p in (row.get("nsi_paths") or "").split("|") if p]
        if not paths or all(p.startswith(("flags/", "subjects/")) for p in paths):
            continue
        known = b.get(qid)
        if known is not None and known.type not in ("ORG", "MISC"):
            continue
        if entity_type(row.get("label_en") or qid, row.get("description_en") or "") in ("LOC", "PER"):
            continue  # a town or a person as operator ("Aachen": city in North Rhine-Westphalia)
        classes = set()
        for prefix, cls in _NSI_CLASSES:
            if cls and any(p.startswith(prefix) for p in paths):
                classes.add(cls)
                break
        regions = {code.split("-")[0] for code in (row.get("location_include") or "").split("|")}
        if not regions & NEWS_REGIONS:
            continue  # brands and operators only of other markets ("House", a Polish clothing chain)
        world = "001" in regions
        prior = min(0.55, 0.18 + age_bonus(qid, 0.3) + (0.04 if world else 0.0) + 0.01 * min(len(paths), 5))
        names = _nsi_names(row)
        if not names:
            continue
        for name, kind, lang in names:
            if kind != "short":
                for form in short_forms(name):
                    b.add_short(qid, form, lang)
        b.add(qid, "name-suggestion-index", "ORG", prior, names=names, labels={"en": row.get("label_en")},
              classes=classes, descriptions={"en": row.get("description_en")})
        b.count("name-suggestion-index")


_ROR_CLASSES = {"company": COMPANY, "government": GOVERNMENT_AGENCY}
_UNIVERSITY = re.compile(r"univers|hochschule|college|institute of technology|polytechn|école|escuela|"
                         r"universit|faculty|akademie|academy", re.I)


def add_ror(b: Builder, data: Path) -> None:
    """Research organisations (ROR, CC0): universities, agencies, companies, hospitals, with acronyms. An
    acronym is kept when the record has an English Wikipedia article (notable enough for news); several
    records sharing one ("MIT", "LMU") are ranked by the age of the item."""
    for r in read_jsonl(data / "ror" / "ror_wikidata.jsonl.gz"):
        if r.get("status") == "withdrawn" or not r.get("wikidata"):
            continue
        qid = r["wikidata"][0]
        known = b.get(qid)
        if known is not None and known.type not in ("ORG", "MISC"):
            continue
        name = strip_country(r["name"])
        names: list[tuple[str, str, str | None]] = [(name, "label", "en")]
        for item in r.get("labels", []):
            names.append((strip_country(item["v"]), "label" if item.get("lang") else "alias", item.get("lang")))
        for form_of, lang in [(name, None)] + [(strip_country(i["v"]), i.get("lang")) for i in r.get("labels", [])]:
            for form in short_forms(form_of):
                b.add_short(qid, form, lang)
        for item in r.get("aliases", []):
            names.append((item["v"], "alias", item.get("lang")))
            for form in abbreviated_legal_form(item["v"]):  # "Volkswagen Aktiengesellschaft" -> "... AG"
                b.add_short(qid, form, item.get("lang"))
        notable = bool(r.get("wikipedia"))
        if notable and r.get("status") == "active":
            names += [(a, "short", None) for a in r.get("acronyms", [])
                      if 2 <= len(a) <= 10 and " " not in a and ("." in a or not common_word(a))]  # not "UND"
        types = r.get("types") or []
        classes = {_ROR_CLASSES[t] for t in types if t in _ROR_CLASSES}
        if "education" in types and _UNIVERSITY.search(name):
            classes.add(UNIVERSITY)
        loc = (r.get("locations") or [{}])[0]
        label = name
        prior = min(0.5, 0.15 + age_bonus(qid, 0.3) + (0.05 if notable else 0.0) - (0.05 if r.get("status") != "active" else 0))
        b.add(qid, "ror", "ORG", prior, names=names, labels={"en": label}, classes=classes,
              claims=org_years(r.get("established")), descriptions={"en": f"{' and '.join(types) or 'research'} organisation in {loc.get('country') or '?'}"})
        b.count("ror")
