"""Genuine Wikidata entity JSON (wikidata-entity-fixtures: Vladimir Putin Q7747, Bielefeld, Douglas Adams,
...): every item in every file, in API or dump format; broken lines of the deliberately broken dump are
skipped (the importer reports them).
"""
from __future__ import annotations

import logging
from pathlib import Path

from kgbuild.kb.compile.model import Builder
from kgbuild.kb.dump import iter_entities
from kgbuild.kb.wikidata_json import entity_record

log = logging.getLogger("kgbuild.kb.compile")


def add_fixtures(b: Builder, data: Path) -> None:
    folder = data / "wikidata-entity-fixtures"
    for path in sorted(folder.rglob("*.json*")):
        for doc in iter_entities(path, progress=False, errors=[]):
            rec = entity_record(doc, source="wikidata-entity-fixtures")
            if rec is None or not rec["names"]:
                continue
            names = [tuple(n) for n in rec["names"]]
            b.given_names.update(rec["given"])
            b.add(rec["qid"], "wikidata-entity-fixtures", rec["type"], rec["prior"], names=names,
                  labels=rec["labels"], descriptions=rec["descriptions"], classes=rec["classes"], claims=rec["claims"])
            b.count("wikidata-entity-fixtures")
