"""Genuine Wikidata entity JSON (wikidata-entity-fixtures: Vladimir Putin Q7747, Bielefeld, Douglas Adams,
...): every item in every file, in API or dump format; broken lines of the deliberately broken dump are
skipped (the importer reports them). Items that are not persons, places or organisations (the class
Q5 "human", whose alias "people" alone caused 76 false links on six English news sets) are left out.
"""
from __future__ import annotations

import logging
from pathlib import Path

from kgbuild.kb.compile.model import Builder
from kgbuild.kb.dump import iter_entities
from kgbuild.kb.wikidata_json import entity_record

log = logging.getLogger("kgbuild.kb.compile")
#: the fixtures also hold classes and concepts; only items typed as a person, place or organisation are kept
NEWS_TYPES = ("PER", "LOC", "ORG")


def add_fixtures(b: Builder, data: Path) -> None:
    folder = data / "wikidata-entity-fixtures"
    for path in sorted(folder.rglob("*.json*")):
        for doc in iter_entities(path, progress=False, errors=[]):
            rec = entity_record(doc, source="wikidata-entity-fixtures")
            if rec is None or not rec["names"]:
                continue
            if rec["type"] not in NEWS_TYPES:
                b.count("wikidata-entity-fixtures:not-news")
                continue  # classes and concepts (Q5 "human", alias "people") are no news entities
            names = [tuple(n) for n in rec["names"]]
            b.given_names.update(rec["given"])
            b.add(rec["qid"], "wikidata-entity-fixtures", rec["type"], rec["prior"], names=names,
                  labels=rec["labels"], descriptions=rec["descriptions"], classes=rec["classes"], claims=rec["claims"])
            b.count("wikidata-entity-fixtures")
