"""The compiler's source readers and conflict rules, on the real shared sources and on small synthetic files."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from kgbuild.kb.compile import SOURCES, countries, orgs, places
from kgbuild.kb.compile.model import Builder

SHARED = Path(os.environ.get("KGBUILD_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
DATA = SHARED / "data"
needs_data = pytest.mark.skipif(not (DATA / "dr5hn-csc").is_dir(), reason="shared source data not available")


@pytest.fixture(scope="module")
def base():
    b = Builder()
    iso2, iso3 = countries.add_dr5hn_countries(b, DATA)
    countries.add_mledoze(b, DATA, iso2)
    countries.add_country_aliases(b, DATA, iso3)
    countries.add_adjectives(b, iso2)
    _, state_names = countries.add_states(b, DATA, iso2)
    seen = places.add_natural_earth(b, DATA, iso2, state_names)
    return b, iso2, iso3, seen


@needs_data
def test_kb_compile_countries(base):
    b, iso2, iso3, _ = base
    assert b.counts["dr5hn-csc:countries"] == 250 and len(iso2) >= 245 and iso3["PRK"] == "Q423"
    nk = b.recs["Q423"].to_dict()
    names = {(n, k, lang) for n, k, lang in nk["names"]}
    assert {("Nordkorea", "label", "de"), ("Demokratische Volksrepublik Korea", "official", "de"),
            ("nordkoreanisch", "demonym", "de"), ("North Korean", "demonym", "en")} <= names
    assert "Q18808" in nk["claims"]["P36"]  # capital from Natural Earth
    assert all(n.upper() not in ("KP", "PRK") for n, *_ in nk["names"])  # ISO codes are not names
    assert all(n.upper() not in ("AT", "AUT") for n, *_ in b.recs["Q40"].to_dict()["names"])  # "at" is a word


@needs_data
def test_kb_compile_natural_earth_wins(base):
    b, *_ = base
    assert b.counts["natural-earth"] >= 7000
    assert b.recs["Q18808"].labels["de"] == "Pjöngjang" and b.recs["Q649"].prior > b.recs["Q1697"].prior


@needs_data
def test_kb_compile_dr5hn_cities_only_where_safe(base, tmp_path):
    """dr5hn cities: skipped when Natural Earth has the place, when the QID is shared, or already used."""
    b, iso2, _, seen = base
    rows = [
        {"id": 1, "name": "Pyongyang", "country_code": "KP", "wikiDataId": "Q109386", "population": 3000000},  # NE has it
        {"id": 2, "name": "Twin A", "country_code": "DE", "wikiDataId": "Q999000001"},  # shared QID
        {"id": 3, "name": "Twin B", "country_code": "DE", "wikiDataId": "Q999000001"},
        {"id": 4, "name": "Moskau-Dorf", "country_code": "RU", "wikiDataId": "Q649"},  # QID already used
        {"id": 5, "name": "Kleinstadt", "country_code": "DE", "wikiDataId": "Q999000002", "population": 5000,
         "state_id": 7, "translations": {"de": "Kleinstadt"}},
    ]
    folder = tmp_path / "dr5hn-csc"
    folder.mkdir()
    with gzip.open(folder / "cities.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    before = set(b.recs)
    places.add_dr5hn_cities(b, tmp_path, iso2, {7: "Q980"}, seen)
    added = set(b.recs) - before
    assert added == {"Q999000002"}
    rec = b.recs["Q999000002"].to_dict()
    assert rec["claims"] == {"P131": ["Q980"], "P17": ["Q183"]} and rec["type"] == "LOC"
    assert b.recs["Q649"].to_dict()["labels"]["en"] == "Moscow"
    assert all(n != "Moskau-Dorf" for n, *_ in b.recs["Q649"].names)  # no name in common: not Moscow's


@needs_data
def test_kb_compile_dr5hn_names_join_the_natural_earth_place_of_the_same_qid(base, tmp_path):
    """Natural Earth v4 spells Kharkiv "Charkow"; dr5hn (same QID, same country, English name in common) gives
    the current German "Charkiw"; a row of another country with that QID adds nothing, nor a row outside
    the Cyrillic/Korean countries (dr5hn's German there is often a word-for-word translation)."""
    b, iso2, _, seen = base
    assert ("Charkow", "label", "de") in b.recs["Q42308"].names
    rows = [{"id": 1, "name": "Kharkiv", "country_code": "UA", "wikiDataId": "Q42308", "translations": {"de": "Charkiw"}},
            {"id": 2, "name": "Kharkiv", "country_code": "RU", "wikiDataId": "Q156717", "translations": {"de": "Chmelnyzkyj-Dorf"}},
            {"id": 3, "name": "Concepción", "country_code": "CL", "wikiDataId": "Q1880", "translations": {"de": "Konzeption"}}]
    folder = tmp_path / "dr5hn-csc"
    folder.mkdir()
    with gzip.open(folder / "cities.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    places.add_dr5hn_cities(b, tmp_path, iso2, {}, seen)
    b.add_short_forms()
    assert ("Charkiw", "alias", "de") in b.recs["Q42308"].names
    assert b.recs["Q42308"].labels["de"] == "Charkow"  # the label stays Natural Earth's
    assert all(n != "Chmelnyzkyj-Dorf" for n, *_ in b.recs["Q156717"].names)
    assert all(n != "Konzeption" for n, *_ in b.recs["Q1880"].names)


@needs_data
def test_kb_compile_orgs():
    b = Builder()
    orgs.add_supraverden(b, DATA)
    orgs.add_newspapers(b, DATA)
    assert b.counts["supraverden"] >= 550 and b.counts["wikidata-newspapers"] >= 6800
    nato = b.recs["Q7184"].to_dict()
    assert ("NATO", "short") in {(n, k) for n, k, _ in nato["names"]} and nato["type"] == "ORG"
    assert b.recs["Q1065"].labels["de"] == "Vereinte Nationen"
    assert b.recs["Q387054"].claims["P17"] == {"Q423"}  # Rodong Sinmun, North Korea


def test_kb_compile_sources_documented():
    text = (Path(__file__).resolve().parent.parent / "kgbuild" / "data" / "kb" / "SOURCES.md").read_text(encoding="utf-8")
    for name, (_licence, note) in SOURCES.items():
        assert name.split("-")[0] in text.lower() or name in text, name
        if note == "share-alike":
            assert "share-alike" in text.lower()
    assert "ODbL" in text and "CC BY-SA 4.0" in text
