"""Countries, regions and states: dr5hn-csc (QIDs, 19 translations), mledoze-countries (official and
German names, demonyms), wikidata-country-aliases (all Wikidata labels/aliases), the German adjective
lexicon, and dr5hn states (first-level subdivisions).

Output: records in the ``Builder``; returns ``iso2 -> QID`` and ``iso3 -> QID`` for the other compilers.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from kgbuild.kb.compile.model import KEEP_LANGS, Builder
from kgbuild.kb.compile.sources import read_csv, read_json, read_jsonl, read_tsv_lexicon
from kgbuild.kb.normalize import norm_key

LEXICON = Path(__file__).resolve().parent.parent.parent / "data" / "lexicon"
_TRANS_LANG = {"pt-BR": None, "zh-CN": "zh"}
_ISO3_LANG = {"deu": "de", "fra": "fr", "spa": "es", "ita": "it", "nld": "nl", "pol": "pl", "por": "pt", "rus": "ru"}
_JUNK = re.compile(r"[\U0001F1E6-\U0001F1FF]|^\W+$")


def country_prior(population) -> float:
    pop = float(population or 0)
    return 0.55 + 0.4 * min(1.0, math.log10(max(pop, 0) + 1) / 9.2)


#: subdivision types that are countries in their own right (England, Scotland, Wales, Northern Ireland)
_COUNTRY_LIKE = {"country", "constituent country", "nation"}


def state_prior(population: float, kind: str | None) -> float:
    """First-level subdivisions: by population where the source has one; without one (dr5hn lacks it for
    England, Scotland, Wales and many states) a floor, so a region is not ranked as the least known place."""
    if (kind or "").lower() in _COUNTRY_LIKE:
        return 0.75
    if population > 0:
        return 0.2 + 0.3 * min(1.0, math.log10(population + 1) / 8)
    return 0.3


def _translations(trans: dict | None) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    for lang, name in (trans or {}).items():
        lang = _TRANS_LANG.get(lang, lang)
        if lang and name:
            out.append((name, "label", lang))
    return out


def add_dr5hn_countries(b: Builder, data: Path) -> tuple[dict, dict]:
    iso2, iso3 = {}, {}
    for c in read_json(data / "dr5hn-csc" / "countries.json.gz"):
        qid = c.get("wikiDataId")
        if not qid:
            continue
        iso2[c["iso2"]], iso3[c["iso3"]] = qid, qid
        names: list[tuple[str, str, str | None]] = [(c["name"], "label", "en")] + _translations(c.get("translations"))
        if c.get("native"):
            names.append((c["native"], "alias", None))
        if c.get("nationality"):
            names.append((c["nationality"], "demonym", "en"))
        labels = {lang: name for name, _, lang in _translations(c.get("translations")) if lang in KEEP_LANGS}
        labels["en"] = c["name"]
        b.add(qid, "dr5hn-csc", "LOC", country_prior(c.get("population")), names=names, labels=labels,
              classes={"Q6256"}, descriptions={"en": f"country in {c.get('subregion') or c.get('region') or 'the world'}"})
        b.count("dr5hn-csc:countries")
    return iso2, iso3


def add_mledoze(b: Builder, data: Path, iso2: dict) -> None:
    for c in read_json(data / "mledoze-countries" / "countries.json.gz"):
        qid = iso2.get(c.get("cca2"))
        if not qid:
            continue
        names: list[tuple[str, str, str | None]] = [(c["name"]["common"], "label", "en"), (c["name"]["official"], "official", "en")]
        for code, tr in (c.get("translations") or {}).items():
            lang = _ISO3_LANG.get(code)
            if lang:
                names += [(tr["common"], "label", lang), (tr["official"], "official", lang)]
        for alt in c.get("altSpellings", []):
            if len(alt) <= 2 or alt in (c.get("cca3"), c.get("cioc")):
                continue  # ISO codes: "IN", "AND", "CAN" are words in running text
            kind = "short" if alt.isupper() and len(alt) <= 5 else "alias"
            names.append((alt, kind, None if kind == "short" else "en"))
        for gender in ("m", "f"):
            dem = (c.get("demonyms") or {}).get("eng", {}).get(gender)
            if dem:
                names.append((dem, "demonym", "en"))
        b.add(qid, "mledoze-countries", names=names)
        b.count("mledoze-countries")


def add_country_aliases(b: Builder, data: Path, iso3: dict) -> None:
    for row in read_csv(data / "wikidata-country-aliases" / "country_aliases.csv.gz"):
        qid, lang, label = iso3.get(row["iso3c"]), row["language"], row["label"]
        if not qid or lang not in KEEP_LANGS or _JUNK.search(label) or len(label) < 2:
            continue
        if label.upper() in (row["iso2c"], row["iso3c"]):
            continue  # ISO codes: "at", "be", "am" are words in running text
        if lang in ("de", "en") and re.search(r"[^\x00-\u024f\s]", label):
            continue  # other scripts filed under de/en
        kind = "label" if row["label_type"] == "official" else ("short" if label.isupper() and len(label) <= 6 else "alias")
        b.add(qid, "wikidata-country-aliases", names=[(label, kind, lang)])
        b.count("wikidata-country-aliases")


def add_adjectives(b: Builder, iso2: dict) -> None:
    for row in read_tsv_lexicon(LEXICON / "de_country_adjectives.tsv"):
        qid = iso2.get(row[0])
        if not qid:
            raise ValueError(f"de_country_adjectives.tsv: unknown ISO code {row[0]!r}")
        b.add(qid, "lexicon", names=[(adj, "demonym", "de") for adj in row[1].split(",")])
        b.count("lexicon:de_country_adjectives")
    for row in read_tsv_lexicon(LEXICON / "de_country_nouns.tsv"):
        qid = iso2.get(row[0])
        if not qid:
            raise ValueError(f"de_country_nouns.tsv: unknown ISO code {row[0]!r}")
        b.add(qid, "lexicon", names=[(noun, "demonym", "de") for noun in row[1].split(",")])
        b.count("lexicon:de_country_nouns")


def add_regions(b: Builder, data: Path) -> None:
    for fname in ("regions.json", "subregions.json"):
        for r in read_json(data / "dr5hn-csc" / fname):
            if r.get("wikiDataId"):
                b.add(r["wikiDataId"], "dr5hn-csc", "LOC", 0.45, names=[(r["name"], "label", "en")] +
                      _translations(r.get("translations")), labels={"en": r["name"]})
                b.count("dr5hn-csc:regions")


def add_states(b: Builder, data: Path, iso2: dict) -> tuple[dict, dict]:
    """First-level subdivisions; returns dr5hn state id -> QID and (iso2, name key) -> QID (for P131)."""
    ids, by_name = {}, {}
    for s in read_jsonl(data / "dr5hn-csc" / "states.jsonl.gz"):
        qid = s.get("wikiDataId")
        if not qid or not qid.startswith("Q"):
            continue
        ids[s["id"]] = qid
        by_name[(s.get("country_code"), norm_key(s["name"]))] = qid
        pop = float(s.get("population") or 0)
        prior = state_prior(pop, s.get("type"))
        country = iso2.get(s.get("country_code"))
        names: list[tuple[str, str, str | None]] = [(s["name"], "label", "en")] + _translations(s.get("translations"))
        if s.get("native"):
            names.append((s["native"], "alias", None))
        b.add(qid, "dr5hn-csc", "LOC", prior, names=names, labels={"en": s["name"]},
              claims={"P17": [country]} if country else None,
              descriptions={"en": f"{s.get('type') or 'region'} in {s.get('country_name') or s.get('country_code')}"})
        b.count("dr5hn-csc:states")
    return ids, by_name
