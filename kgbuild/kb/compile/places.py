"""Cities: Natural Earth populated places (authoritative QIDs, German names, population, scalerank), then
dr5hn cities only where Natural Earth has nothing (same country + name), and only when the dr5hn QID is
unique within dr5hn and not already used by another entity (their QIDs are unreliable, see SOURCE.md).
"""
from __future__ import annotations

import math
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
        if not qid or per_qid[qid] > 1 or qid in b.recs:
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
