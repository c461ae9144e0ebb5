#!/usr/bin/env python
"""Namesakes for the enlarged-KB evaluation: a Wikidata-shaped JSON dump of *other* entities that carry the
names of the bundled KB's entities, to import with ``kgbuild kb import`` and measure what a big KB's ambiguity
does to linking (issue 13: "Paris", "Washington", "Jordan" each have dozens of candidates in Wikidata).

No real Wikidata JSON at that scale is reachable from here (see docs/EVALUATION.md), so the namesakes are
simulated, from the bundled KB itself and nothing else: for a random share of its entities (every source,
every type; never chosen by benchmark) 1 to ~10 new items (geometric, mean ``--per``) with QIDs in a range
Wikidata does not use (``Q9000000000`` up), so a link to one of them is always wrong and the KB-coverage
ceiling does not move:

- the same label (en and/or de) as the original (a person namesake, a town of the same name, a company or a
  band named like a place), or for persons half the time another given name with the same surname (lone
  surnames get more candidates);
- a type: the original's in 60 %, else any of person / place / organisation / other (a film, a ship);
- P31 of that type, P17/P27 a country of the bundled KB (at random), a description;
- sitelinks drawn heavy-tailed (log-normal, median ``--median-sitelinks``, 4 by default: most Wikidata
  items with an article have a handful), with an en or de article, and statements ~ 8 + 3 x sitelinks.

Deterministic for a given ``--seed``. Output: ``[``, one entity per line ending in ``,``, ``]`` (gzip).

Usage: python benchmarks/bench_kb_namesakes.py OUT.json.gz [--share 0.3] [--per 3] [--seed 1]
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sqlite3
import sys
from pathlib import Path

FIRST_QID = 9_000_000_000
CLASSES = {"PER": "Q5", "LOC": "Q486972", "ORG": "Q4830453", "MISC": "Q11424"}
DESCRIPTIONS = {"PER": "person", "LOC": "human settlement", "ORG": "company", "MISC": "film"}


def originals(kb: Path) -> tuple[list[tuple[str, str, dict]], list[str], list[str]]:
    """(qid, type, labels) of every bundled entity with an en or de label; the countries; given names."""
    conn = sqlite3.connect(f"file:{kb}?mode=ro", uri=True)
    rows = []
    for qid, etype, labels in conn.execute("SELECT qid, type, labels FROM entities ORDER BY qid"):
        lab = {k: v for k, v in json.loads(labels).items() if k in ("en", "de")}
        if lab:
            rows.append((qid, etype, lab))
    countries = [q for (q,) in conn.execute(
        "SELECT qid FROM entities WHERE type='LOC' AND classes LIKE '%\"Q6256\"%' ORDER BY qid")]
    given = [g for (g,) in conn.execute("SELECT key FROM given_names ORDER BY key")] if conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name='given_names'").fetchone() else []
    return rows, countries, given


def _snak(prop: str, qid: str) -> dict:
    return {"snaktype": "value", "property": prop, "datatype": "wikibase-item",
            "datavalue": {"value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid},
                          "type": "wikibase-entityid"}}


def namesake(rng: random.Random, qid: str, etype: str, labels: dict, countries: list[str],
             given: list[str], median: float) -> dict:
    kind = etype if rng.random() < 0.6 else rng.choice(("PER", "LOC", "ORG", "MISC"))
    names = dict(labels)
    if etype == "PER" and kind == "PER" and given and rng.random() < 0.5:
        for lang, value in names.items():
            parts = value.split()
            if len(parts) > 1:
                names[lang] = f"{rng.choice(given).title()} {parts[-1]}"
    langs = [lang for lang in names if rng.random() < 0.8] or list(names)
    sitelinks = max(1, min(300, round(rng.lognormvariate(0, 1.1) * median)))
    wikis = [f"{lang}wiki" for lang in langs] + [f"x{i}wiki" for i in range(max(0, sitelinks - len(langs)))]
    claims = {"P31": [{"mainsnak": _snak("P31", CLASSES[kind]), "type": "statement", "rank": "normal"}]}
    if countries:
        prop = "P27" if kind == "PER" else "P17"
        claims[prop] = [{"mainsnak": _snak(prop, rng.choice(countries)), "type": "statement", "rank": "normal"}]
    filler = 8 + 3 * sitelinks
    claims["P999999"] = [{"mainsnak": {"snaktype": "somevalue", "property": "P999999"}, "type": "statement",
                          "rank": "normal"}] * filler
    return {"type": "item", "id": qid,
            "labels": {lang: {"language": lang, "value": names[lang]} for lang in langs},
            "descriptions": {"en": {"language": "en", "value": DESCRIPTIONS[kind]}},
            "aliases": {}, "claims": claims,
            "sitelinks": {w: {"site": w, "title": names.get(w[:-4], next(iter(names.values()))), "badges": []}
                          for w in wikis}}


def generate(out: Path, kb: Path, share: float, per: float, median: float, seed: int) -> dict:
    rng = random.Random(seed)
    rows, countries, given = originals(kb)
    count = 0
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=3) as fh:
        fh.write("[\n")
        prev = None
        for _qid, etype, labels in rows:
            if rng.random() >= share:
                continue
            k = 1
            while rng.random() < 1 - 1 / per and k < 10:
                k += 1
            for _ in range(k):
                doc = namesake(rng, f"Q{FIRST_QID + count}", etype, labels, countries, given, median)
                if prev is not None:
                    fh.write(prev + ",\n")
                prev = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
                count += 1
        if prev is not None:
            fh.write(prev + "\n")
        fh.write("]\n")
    return {"out": str(out), "originals": len(rows), "namesakes": count, "share": share, "per": per,
            "median_sitelinks": median, "seed": seed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--kb", type=Path, default=None, help="KB whose entities get namesakes (default: bundled)")
    ap.add_argument("--share", type=float, default=0.3)
    ap.add_argument("--per", type=float, default=3.0)
    ap.add_argument("--median-sitelinks", type=float, default=4.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.kb is None:
        from kgbuild.kb.bundled import bundled_kb_path

        args.kb = bundled_kb_path()
    json.dump(generate(args.out, args.kb, args.share, args.per, args.median_sitelinks, args.seed), sys.stdout)
    print()


if __name__ == "__main__":
    main()
