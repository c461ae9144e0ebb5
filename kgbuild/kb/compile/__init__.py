"""The KB compiler: the shared open data sources -> the compressed record file the bundled KB is built from.

``compile_kb(data_dir, out)`` reads every source (see ``SOURCES``), merges records by QID with deliberate
conflict rules (Natural Earth city QIDs over dr5hn; the first type a source gives unless a more specific
source forces it; maximum prior), adds the German adjective lexicon and transliteration variants, and
writes ``out`` (xz-compressed JSON lines). Returns the number of records per source.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from kgbuild.errors import InputNotFoundError
from kgbuild.kb.compile import countries, curated, fixtures, links, orgs, people, periods, places, popular
from kgbuild.kb.compile.countries import LEXICON
from kgbuild.kb.compile.forms import ORG_CLASS_QIDS
from kgbuild.kb.compile.model import Builder
from kgbuild.kb.normalize import norm_key
from kgbuild.kb.records import write_records
from kgbuild.kb.translit import variant

log = logging.getLogger("kgbuild.kb.compile")
#: the shared source data: $KGBUILD_SOURCES, else ``shared/data`` beside the source checkout
DEFAULT_DATA = Path(os.environ.get("KGBUILD_SOURCES") or Path(__file__).resolve().parents[3].parent / "shared" / "data")

#: source folder -> (licence, attribution / share-alike note) -- mirrored in data/kb/SOURCES.md
SOURCES = {
    "dr5hn-csc": ("ODbL-1.0 / DbCL-1.0", "share-alike"),
    "mledoze-countries": ("ODbL-1.0", "share-alike"),
    "wikidata-country-aliases": ("MIT (repo), CC0 (Wikidata content)", ""),
    "natural-earth": ("public domain / CC0-1.0", ""),
    "everypolitician-2015": ("no licence file (Wikidata content CC0)", ""),
    "congress-legislators": ("CC0-1.0", ""),
    "partyfacts": ("MIT", ""),
    "supraverden": ("CC BY-SA 4.0", "share-alike"),
    "wikidata-newspapers": ("no licence file (Wikidata content CC0)", ""),
    "wikidata-entity-fixtures": ("CC0-1.0 (Wikidata content)", ""),
    "us-states-ap": ("BSD-3-Clause (python-us); QIDs and German names from dr5hn-csc, ODbL-1.0", "share-alike"),
    "whosonfirst-at-ch": ("CC BY 4.0", "attribution: Who's On First (whosonfirst.org)"),
    "de-kreise-wikidata": ("no licence file; Wikidata query results (CC0) and Destatis names", ""),
    "okfde-gemeinden-by-st": ("no licence file; Wikidata facts (CC0) and public-authority names", ""),
    "openparliamenttv-de": ("no licence file; Wikidata query results (CC0)", ""),
    "wikidata-football-players-clubs": ("MIT (repository); Wikidata query result (CC0)", ""),
    "ror": ("CC0-1.0", ""),
    "name-suggestion-index": ("BSD-3-Clause; labels from Wikidata (CC0)", "attribution: name-suggestion-index contributors"),
    "fb15k237-entity2wikidata": ("MIT (repository); labels from Wikidata (CC0)", ""),
}
#: compile inputs committed in the repository (not folders of the shared data) -> (licence, note)
EXTRACTS = {
    "fb15k-links": ("CC BY (Freebase triples); extract from villmow/datasets_knowledge_embedding (MIT)",
                    "attribution: Freebase data (Google), CC BY; only pairs of related QIDs"),
}


def compile_builder(data: Path) -> Builder:
    """All sources read and merged (no file written)."""
    missing = [name for name in SOURCES if not (data / name).is_dir()]
    if missing:
        raise InputNotFoundError(
            f"Source folders missing under '{data}': {', '.join(missing)}. Pass --data DIR pointing at the shared data."
        )
    b = Builder()
    iso2, iso3 = countries.add_dr5hn_countries(b, data)
    countries.add_mledoze(b, data, iso2)
    countries.add_country_aliases(b, data, iso3)
    countries.add_adjectives(b, iso2)
    countries.add_regions(b, data)
    state_ids, state_names = countries.add_states(b, data, iso2)
    ne_seen = places.add_natural_earth(b, data, iso2, state_names)
    people.add_everypolitician(b, data, iso2)
    people.add_congress(b, data)
    orgs.add_supraverden(b, data)
    orgs.add_partyfacts(b, data, iso3)
    orgs.add_newspapers(b, data)
    fixtures.add_fixtures(b, data)
    curated.add_curated(b, iso2)
    places.add_us_states_ap(b, data)
    places.add_whosonfirst(b, data, iso2)
    places.add_de_kreise(b, data)
    places.add_gemeinden(b, data)
    people.add_openparliament(b, data)
    people.add_football(b, data)
    orgs.add_ror(b, data)
    orgs.add_nsi(b, data)
    places.add_dr5hn_cities(b, data, iso2, state_ids, ne_seen)
    popular.add_fb15k(b, data)
    curated.add_news_names(b)
    people.add_genders(b, links.genders())
    b.settle_years()
    periods.add_periods(b, set(iso2.values()))
    b.add_short_forms()
    b.drop_misplaced_classes(ORG_CLASS_QIDS)
    links.add_fb15k_links(b)
    b.given_names |= {v for v in map(lambda g: variant(g, "latin-ru"), list(b.given_names)) if v}
    b.given_names = clean_given_names(b.given_names, b.stop)
    return b


def clean_given_names(names: set[str], stop: set[str]) -> set[str]:
    """Given names worth spotting persons by: alphabetic, 2+ letters, not a stop word or a title (Dr, Sir)."""
    titles = {norm_key(t) for t in (LEXICON / "titles.txt").read_text(encoding="utf-8").splitlines()
              if t.strip() and not t.startswith("#")}
    out = set()
    for name in names:
        key = norm_key(name)
        if len(key) >= 2 and key.replace(" ", "").isalpha() and key not in stop and key not in titles and not name.endswith("."):
            out.add(name)
    return out


def compile_kb(data: Path | None = None, out: Path | None = None) -> dict[str, int]:
    """Compile the sources under ``data`` (default ``DEFAULT_DATA``) into the record file ``out`` (default: the
    bundled one)."""
    from kgbuild.kb.bundled import BUNDLED_RECORDS

    data = data or DEFAULT_DATA
    out = out or BUNDLED_RECORDS
    b = compile_builder(Path(data))
    header = {
        "built": dt.date.today().isoformat(),
        "sources": [{"name": n, "licence": lic, "note": note} for n, (lic, note) in SOURCES.items()]
        + [{"name": n, "licence": lic, "note": note} for n, (lic, note) in EXTRACTS.items()]
        + [{"name": "kgbuild curated leaders and news names", "licence": "CC0-1.0 (Wikidata facts)", "note": ""}],
        "counts": b.counts,
        "stop_words": sorted(b.stop),
    }
    n = write_records(out, header, b.records(), b.given_names)
    log.info("compiled %d entities into %s", n, out)
    return {**b.counts, "entities": n, "given_names": len(b.given_names)}
