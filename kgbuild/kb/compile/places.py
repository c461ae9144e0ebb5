"""Cities: Natural Earth populated places (authoritative QIDs, German names, population, scalerank), then
dr5hn cities only where Natural Earth has nothing (same country + name), and only when the dr5hn QID is
unique within dr5hn and not already used by another entity (their QIDs are unreliable, see SOURCE.md).
"""
from __future__ import annotations

import csv
import math
from difflib import SequenceMatcher
from pathlib import Path

from kgbuild.kb.compile.model import Builder
from kgbuild.kb.compile.sources import read_jsonl
from kgbuild.kb.normalize import norm_key
from kgbuild.kb.translit import scope_for, variant

_NE_LANGS = {"NAME_EN": "en", "NAME_DE": "de", "NAME_ES": "es", "NAME_FR": "fr", "NAME_PT": "pt", "NAME_RU": "ru"}


def city_prior(pop: float, capital: bool, scalerank: int | None = None) -> float:
    prior = 0.25 + 0.45 * min(1.0, math.log10(max(pop, 0) + 1) / 7.5) + (0.1 if capital else 0.0)
    if scalerank is not None:
        prior += 0.04 * max(0, 6 - scalerank) / 6
    return min(prior, 0.9)


def add_natural_earth(b: Builder, data: Path, iso2: dict, states: dict | None = None) -> set[tuple[str | None, str]]:
    """Returns the (iso2, name key) pairs of Natural Earth places. ``states``: (iso2, name key) -> QID of
    first-level subdivisions, joined on ``ADM1NAME`` for P131 (located in)."""
    seen: set[tuple[str | None, str]] = set()
    for p in read_jsonl(data / "natural-earth" / "ne_10m_populated_places.properties.jsonl.gz"):
        qid = p.get("wikidataid")
        names: list[tuple[str, str, str | None]] = [(p[f], "label", lang) for f, lang in _NE_LANGS.items() if p.get(f)]
        names += [(p["NAME"], "label", None), (p["NAMEASCII"], "alias", None)]
        for alt in (p.get("NAMEALT") or "").split("|") + [p.get("NAMEPAR") or ""]:
            if alt.strip():
                names.append((alt.strip(), "alias", None))
        for name, *_ in list(names):
            seen.add((p.get("ISO_A2"), norm_key(name)))
        if not qid:
            continue
        country = iso2.get(p.get("ISO_A2"))
        claims = {"P17": [country]} if country else {}
        state = (states or {}).get((p.get("ISO_A2"), norm_key(p.get("ADM1NAME") or "")))
        if state:
            claims["P131"] = [state]
        capital = bool(p.get("ADM0CAP"))
        scope = scope_for(p.get("ISO_A2"))
        if scope and not p.get("NAME_DE"):
            tv = variant(p.get("NAME_EN") or p["NAME"], scope)
            if tv:
                names.append((tv, "transliteration", "de"))
        b.add(qid, "natural-earth", "LOC", city_prior(float(p.get("POP_MAX") or 0), capital, p.get("SCALERANK")),
              force=True, names=names, labels={"en": p.get("NAME_EN") or p["NAME"], "de": p.get("NAME_DE")},
              classes={"Q5119"} if capital else {"Q515"}, claims=claims,
              descriptions={"en": f"{'capital' if capital else 'city'} in {p.get('ADM0NAME')}"})
        if capital and country:
            b.add(country, "natural-earth", claims={"P36": [qid]})
        b.count("natural-earth")
    return seen


def add_dr5hn_cities(b: Builder, data: Path, iso2: dict, states: dict, ne_seen: set) -> None:
    rows = list(read_jsonl(data / "dr5hn-csc" / "cities.jsonl.gz"))
    per_qid: dict[str, int] = {}
    for c in rows:
        if c.get("wikiDataId"):
            per_qid[c["wikiDataId"]] = per_qid.get(c["wikiDataId"], 0) + 1
    for c in rows:
        qid = c.get("wikiDataId")
        if not qid or per_qid[qid] > 1:
            continue
        if qid in b.recs:
            _add_agreed_names(b, c, iso2)
            continue
        names = [(c["name"], "label", "en")] + [
            (v, "label", k) for k, v in (c.get("translations") or {}).items() if v and k in ("de", "fr", "es", "it", "nl", "pl", "pt", "ru")
        ]
        if c.get("native"):
            names.append((c["native"], "alias", None))
        if any((c.get("country_code"), norm_key(n)) in ne_seen for n, *_ in names):
            continue
        claims = {"P17": [iso2[c["country_code"]]]} if c.get("country_code") in iso2 else {}
        if states.get(c.get("state_id")):
            claims["P131"] = [states[c["state_id"]]]
        pop = float(c.get("population") or 0)
        b.add(qid, "dr5hn-csc", "LOC", 0.1 + 0.35 * min(1.0, math.log10(max(pop, 0) + 1) / 7), names=names,
              labels={"en": c["name"], "de": (c.get("translations") or {}).get("de")}, classes={"Q515"}, claims=claims,
              descriptions={"en": f"{c.get('type') or 'place'} in {c.get('country_code')}"})
        b.count("dr5hn-csc:cities")


def _add_agreed_names(b: Builder, c: dict, iso2: dict) -> None:
    """A dr5hn city of a country whose names German news transcribe from Cyrillic or Korean (``scope_for``),
    whose (unique) QID is that of the Natural Earth place of the same country and which shares one of its
    names: its other English and German names join the place's, as names that make nothing ambiguous
    (``Builder.add_short``). Natural Earth v4 (2017) has older German spellings ("Charkow"), dr5hn the
    current ones ("Charkiw", Q42308). Only spellings close to a known name are taken: dr5hn's German names
    are often word-for-word machine translations ("Widder" for Arys, "Verfassung" for Constitución)."""
    rec = b.recs[c["wikiDataId"]]
    if not scope_for(c.get("country_code")) or "natural-earth" not in rec.sources:
        return
    if rec.claims.get("P17") != {iso2.get(c.get("country_code"))}:
        return
    de = (c.get("translations") or {}).get("de")
    names = [(c["name"], "en")] + ([(de, "de")] if de else [])
    known = {norm_key(n) for n, *_ in rec.names}
    if not {norm_key(n) for n, _ in names} & known:
        return  # no name in common: the QID may be dr5hn's error (a town given the city's QID)
    for name, lang in names:
        key = norm_key(name)
        # a spelling of a known name (Charkiw ~ Charkow), not a translation of its meaning (Arys -> "Widder")
        if key not in known and max(SequenceMatcher(None, key, k).ratio() for k in known) >= 0.6:
            b.add_short(c["wikiDataId"], name, lang)
            b.count("dr5hn-csc:city-names")


#: Who's On First place types taken, and the prior floor of each (localities get a population prior)
_WOF_TYPES: dict[str, float | None] = {"country": None, "region": 0.5, "locality": 0.2, "neighbourhood": 0.12}
_WOF_LANGS = {"deu": "de", "eng": "en", "fra": "fr", "ita": "it"}


def add_whosonfirst(b: Builder, data: Path, iso2: dict) -> None:
    """Austrian and Swiss places (Who's On First, CC BY 4.0): current localities, regions (Bundesländer,
    Kantone) and neighbourhoods; counties and campuses are skipped (their QIDs are often the city's)."""
    for p in read_jsonl(data / "whosonfirst-at-ch" / "wof_at_ch_wikidata.jsonl.gz"):
        kind, qid = p.get("placetype"), p.get("wikidata")
        floor = _WOF_TYPES.get(kind or "")
        if floor is None or not qid or p.get("is_current") != 1:
            continue
        names: list[tuple[str, str, str | None]] = [(p["name"], "label", None)]
        labels: dict[str, str] = {}
        for key, values in (p.get("names") or {}).items():
            lang = _WOF_LANGS.get(key[:3])
            for value in values:
                kind_ = "label" if key.endswith("_x_preferred") else "alias"
                names.append((value, kind_, lang))
                if lang and kind_ == "label":
                    labels.setdefault(lang, value)
        pop = float(p.get("population") or 0)
        prior = floor if kind != "locality" or not pop else city_prior(pop, False)
        country = iso2.get(p.get("country"))
        b.add(qid, "whosonfirst-at-ch", "LOC", prior, names=names, labels=labels,
              classes={"Q515"} if kind == "locality" else set(), claims={"P17": [country]} if country else None,
              descriptions={"en": f"{'region' if kind == 'region' else kind} in {p.get('country')}"})
        b.count("whosonfirst-at-ch")


#: AP abbreviations that are also ordinary words ("Miss.", "Ill.", "Wash.", "La."): never names on their own
AP_WORDS = frozenset({"ill", "miss", "mass", "wash", "ore", "la", "mo", "pa", "ind", "del", "me"})


#: floor of the prior of a US state (territories: 0.35)
US_STATE_PRIOR = 0.55


def add_us_states_ap(b: Builder, data: Path) -> None:
    """US states, DC and territories: AP abbreviations ("Calif.", "N.J.") as names; German names. States are
    first-level subdivisions of one of the most mentioned countries, so they get a fair floor prior."""
    with open(data / "us-states-ap" / "us_states.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for r in rows:
        qid = r.get("qid")
        if not qid:
            continue
        names = [(r["name"], "label", "en")]
        if r.get("name_de"):
            names.append((r["name_de"], "label", "de"))
        ap = r.get("ap_abbr", "")
        if ap and ap != r["name"] and norm_key(ap) not in AP_WORDS:
            names.append((ap, "short", "en"))
        # a state is named in English news far more often than a same-named town abroad (Florida, Uruguay:
        # 0.52; Montana, Bulgaria: 0.53), but less than a same-named capital or big city (Washington, New York)
        prior = US_STATE_PRIOR if r.get("kind") != "territory" else 0.35
        b.add(qid, "us-states-ap", "LOC", prior, names=names, labels={"en": r["name"], "de": r.get("name_de")},
              claims={"P17": ["Q30"]}, descriptions={"en": f"{r.get('kind') or 'state'} of the United States"})
        b.count("us-states-ap")


def add_de_kreise(b: Builder, data: Path) -> None:
    """German districts and district-free cities. District-free cities are cities of 40,000+ inhabitants
    (Wolfsburg, Darmstadt); a district's short Destatis name ("Pinneberg" for Kreis Pinneberg) is an alias,
    ranked below a town of that name."""
    for r in read_jsonl(data / "de-kreise-wikidata" / "de_kreise_wikidata.jsonl.gz"):
        qid = r["wikidata"]
        city = r.get("kind") == "kreisfreie_stadt"
        current = bool(r.get("current")) or not r.get("abolition")
        names = [(r[f"label_{lang}"], "label", lang) for lang in ("de", "en", "fr") if r.get(f"label_{lang}")]
        if r.get("name_destatis"):
            names.append((r["name_destatis"], "label" if city else "alias", "de"))
        if city:  # below the common-word threshold of the spotter: "Halle" (Saale) vs "die Große Halle"
            prior = 0.42 if current else 0.3
        else:
            prior = 0.25 if current else 0.1
        b.add(qid, "de-kreise-wikidata", "LOC", prior, names=names,
              labels={lang: r.get(f"label_{lang}") for lang in ("de", "en", "fr")},
              classes={"Q515"} if city else set(), claims={"P17": ["Q183"]},
              descriptions={"de": r.get("desc_de"), "en": r.get("desc_en")})
        b.count("de-kreise-wikidata")


def add_gemeinden(b: Builder, data: Path) -> None:
    """Municipalities of Bavaria and Saxony-Anhalt; rows whose QID is on several rows are skipped (the QIDs
    were assigned by name, see SOURCE.md)."""
    for r in read_jsonl(data / "okfde-gemeinden-by-st" / "gemeinden_by_st_wikidata.jsonl.gz"):
        if r.get("qid_shared") or not r.get("wikidata"):
            continue
        town = r.get("typ", "").startswith("Stadt") or r.get("landkreis") == "Kreisfreie Stadt"
        b.add(r["wikidata"], "okfde-gemeinden-by-st", "LOC", 0.3 if town else 0.15,
              names=[(r["name"], "label", "de")], labels={"de": r["name"]}, classes={"Q515"} if town else set(),
              claims={"P17": ["Q183"]},
              descriptions={"de": f"{r.get('typ') or 'Gemeinde'} ({r.get('landkreis') or r.get('land')})"})
        b.count("okfde-gemeinden-by-st")
