"""kgbuild's own verified list of leaders and news organisations (``kgbuild/data/curated/leaders.tsv``):
heads of state and government, ministers and institutions that news name constantly but the shared sources
lack (Macron, Xi Jinping, Selenskyj, ...). Every QID in it was checked against two independent sources (see
the README beside it); labels are Wikidata facts (CC0).
"""
from __future__ import annotations

import csv
from pathlib import Path

from kgbuild.kb.compile.model import Builder
from kgbuild.kb.person_names import person_names

CURATED = Path(__file__).resolve().parent.parent.parent / "data" / "curated" / "leaders.tsv"
#: leaders are among the most mentioned people in news: rank them above namesakes
PERSON_PRIOR = 0.75
ORG_PRIOR = 0.6


def add_curated(b: Builder, iso2_qid: dict, path: Path = CURATED) -> None:
    qid_iso2 = {q: i for i, q in iso2_qid.items()}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            qid, type_ = row["qid"].strip(), row["type"].strip()
            en, de = row["label_en"].strip(), row["label_de"].strip()
            aliases = [a.strip() for a in row.get("aliases", "").split("|") if a.strip()]
            names = [(en, "label", "en"), (de, "label", "de")] + [(a, "alias", None) for a in aliases]
            country = row.get("country_qid", "").strip()
            if type_ == "PER":
                for label in {en, de}:
                    derived, given = person_names(label, qid_iso2.get(country))
                    names += derived
                    b.given_names.update(given)
            claims = {("P27" if type_ == "PER" else "P17"): [country]} if country else None
            b.add(qid, "curated", type_, PERSON_PRIOR if type_ == "PER" else ORG_PRIOR, force=True, names=names,
                  labels={"en": en, "de": de}, descriptions={"en": row.get("role_en", "").strip()},
                  classes={"Q5"} if type_ == "PER" else set(), claims=claims)
            b.count("curated")


NEWS_NAMES = CURATED.parent / "news_names.tsv"


def add_news_names(b: Builder, path: Path = NEWS_NAMES) -> None:
    """Names news use that no source gives ("Britain" for the United Kingdom); only for entities already in
    the KB (each row names the source that has the QID). A row of kind "label" is also the entity's label in its
    language where no source gave one (the German label of the Danube: "Donau")."""
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            qid = row["qid"].strip()
            if b.get(qid) is None:
                raise ValueError(f"{path.name}: {qid} is not in the compiled sources")
            name, kind, lang = row["name"].strip(), row["kind"].strip(), row["lang"].strip() or None
            # a "label" row is the entity's label in that language where no source gave one
            b.add(qid, "curated", names=[(name, kind, lang)], labels={lang: name} if kind == "label" and lang else None)
            b.count("curated:news-names")
