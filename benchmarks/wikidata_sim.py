#!/usr/bin/env python
"""Generator of a Wikidata-shaped dump for the KB scale benchmark (the real dump cannot be downloaded here).

The line format is that of ``latest-all.json``: ``[``, one entity object per line ending in ``,``, ``]``.
Entity objects have the real shapes (labels/descriptions/aliases as ``{"lang": {"language", "value"}}``,
statements with ``mainsnak``/``datavalue``/``qualifiers``/``qualifiers-order``/``references``, ids and
hashes, ``sitelinks`` with ``site``/``title``/``badges``, ``lastrevid``, ``modified``). Mix of lines:

- ``--wiki-share`` (default 0.07, the real dump's ~8 M of ~115 M) items with an English and/or German
  article: persons, places, organisations and other things, labels in 10-80 languages, 15-60 statements
  with qualifiers and references, 5-80 sitelinks (~20 KB a line, like real items with articles);
- the rest (drawn from a pool of 20,000 generated lines, the id put in): scholarly articles (titles, DOIs, 1-25 authors as items and name strings with ordinal
  qualifiers, references; ~6 KB), taxa and small places with sitelinks to other Wikipedias only, class
  items with P279 (the subclass hierarchy the importer types by), a few properties.

Names are drawn from the bundled KB's record file, i.e. from the shared data sets it is compiled from
(person names are recombined given name + surname, so millions of distinct names exist). Deterministic for
a given ``--seed``. Output is written compressed (``.gz`` through ISA-L if installed, else zlib level 1).

Usage: python benchmarks/wikidata_sim.py OUT.json.gz --items 2000000 [--wiki-share 0.07] [--seed 1]
"""
from __future__ import annotations

import argparse
import gzip
import json
import lzma
import random
import sys
import time
import uuid
from pathlib import Path

try:
    import orjson

    def dumps(obj) -> bytes:
        return orjson.dumps(obj)
except ImportError:  # pragma: no cover
    def dumps(obj) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()

TEMPLATES = 20_000
RECORDS = Path(__file__).resolve().parent.parent / "kgbuild" / "data" / "kb" / "kb-records.tsv.xz"
LANGS = ("en de fr es it nl pl pt ru sv uk ja zh ar fa ca cs da fi he hu id ko no ro sr tr vi el bg eu "
         "hr sk sl et lt lv ms th hi bn ta ur az hy ka be gl eo la cy ga is sq mk bs af sw tl nn oc br lb "
         "als").split()
CLASSES = {"PER": ["Q5"], "LOC": ["Q515", "Q486972", "Q3957", "Q532", "Q262166", "Q2074737", "Q1549591"],
           "ORG": ["Q4830453", "Q783794", "Q43229", "Q3918", "Q476028", "Q7278", "Q1002697", "Q11204"],
           "MISC": ["Q11424", "Q7725634", "Q482994", "Q134556", "Q1656682", "Q11032001", "Q13406463"]}
# classes the importer must type through P279 (written as class items below; test data, not Wikidata facts)
SUBCLASSES = [("Q900000001", "Q515"), ("Q900000002", "Q4830453"), ("Q900000003", "Q900000002"),
              ("Q900000004", "Q486972")]


def load_names(path: Path = RECORDS) -> dict[str, list[str]]:
    """Labels per type, given names and surnames, from the bundled record file."""
    pools: dict[str, list[str]] = {"PER": [], "LOC": [], "ORG": [], "MISC": [], "given": [], "surname": []}
    types: dict[str, str] = {}
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        fh.readline()
        for line in fh:
            row = line.rstrip("\n").split("\t")
            if row[0] == "E":
                types[row[1]] = row[2]
            elif row[0] == "N" and row[5] in ("label", "alias", "official", "short"):
                etype = types.get(row[3], "MISC")
                pools[etype].append(row[4])
                if etype == "PER" and row[5] == "label" and " " in row[4]:
                    first, *_, last = row[4].split(" ")
                    pools["given"].append(first)
                    pools["surname"].append(last)
    return {k: sorted(set(v)) for k, v in pools.items() if v}


class Sim:
    def __init__(self, names: dict[str, list[str]], seed: int, wiki_share: float):
        self.rng = random.Random(seed)
        self.names = names
        self.wiki_share = wiki_share
        self.words = [w for n in names["ORG"][:20000] + names["LOC"][:20000] for w in n.split() if len(w) > 3]
        # pools of hashes, statement-id suffixes, times and references (drawn from, to generate fast)
        self.hashes = ["%040x" % self.rng.getrandbits(160) for _ in range(4096)]
        self.guids = [str(uuid.UUID(int=self.rng.getrandbits(128))).upper() for _ in range(4096)]
        self.times = [self._time_value() for _ in range(2048)]
        self.refs = [self._reference() for _ in range(1024)]
        self.templates: list[bytes] = []

    # -- snaks -------------------------------------------------------------------------------------------------
    def _hash(self) -> str:
        return self.rng.choice(self.hashes)

    def _time_value(self) -> dict:
        year = self.rng.randint(1850, 2025)
        return {"time": f"+{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}T00:00:00Z",
                "timezone": 0, "before": 0, "after": 0, "precision": 11,
                "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}

    def item_snak(self, prop: str, qid: str) -> dict:
        return {"snaktype": "value", "property": prop, "hash": self._hash(), "datavalue": {
            "value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}, "type": "wikibase-entityid"},
            "datatype": "wikibase-item"}

    def string_snak(self, prop: str, value: str, datatype: str = "external-id") -> dict:
        return {"snaktype": "value", "property": prop, "hash": self._hash(),
                "datavalue": {"value": value, "type": "string"}, "datatype": datatype}

    def time_snak(self, prop: str) -> dict:
        return {"snaktype": "value", "property": prop, "hash": self._hash(),
                "datavalue": {"value": self.rng.choice(self.times), "type": "time"}, "datatype": "time"}

    def quantity_snak(self, prop: str) -> dict:
        return {"snaktype": "value", "property": prop, "hash": self._hash(), "datavalue": {"value": {
            "amount": f"+{self.rng.randint(100, 9_000_000)}", "unit": "1"}, "type": "quantity"}, "datatype": "quantity"}

    def reference(self) -> dict:
        return self.rng.choice(self.refs)

    def _reference(self) -> dict:
        snaks = {"P248": [self.item_snak("P248", self.qid())], "P813": [self.time_snak("P813")]}
        if self.rng.random() < 0.5:
            snaks["P854"] = [self.string_snak("P854", f"https://example.org/{self.rng.getrandbits(40):x}", "url")]
        return {"hash": self._hash(), "snaks": snaks, "snaks-order": list(snaks)}

    def statement(self, qid: str, snak: dict, qualifiers: dict | None = None, refs: int = 1) -> dict:
        out = {"mainsnak": snak, "type": "statement", "id": f"{qid}${self.rng.choice(self.guids)}",
               "rank": "normal"}
        if qualifiers:
            out["qualifiers"] = qualifiers
            out["qualifiers-order"] = list(qualifiers)
        if refs:
            out["references"] = [self.reference() for _ in range(refs)]
        return out

    def qid(self, hi: int = 120_000_000) -> str:
        return f"Q{self.rng.randint(1, hi)}"

    def texts(self, value: str, langs) -> dict:
        return {lang: {"language": lang, "value": value} for lang in langs}

    # -- entities ----------------------------------------------------------------------------------------------
    def wiki_item(self, qid: str) -> dict:
        rng = self.rng
        etype = rng.choices(("PER", "LOC", "ORG", "MISC"), (45, 25, 15, 15))[0]
        if etype == "PER":
            label = f"{rng.choice(self.names['given'])} {rng.choice(self.names['surname'])}"
        else:
            label = rng.choice(self.names[etype] or self.names["ORG"])
            if rng.random() < 0.6:
                label = f"{label} {rng.choice(self.words)}"
        langs = rng.sample(LANGS, rng.randint(10, len(LANGS)))
        wikis = rng.choices((("enwiki",), ("dewiki",), ("enwiki", "dewiki")), (60, 15, 25))[0]
        others = [f"{lang}wiki" for lang in rng.sample(LANGS[2:], rng.randint(3, 60))]
        claims: dict[str, list] = {}
        classes = CLASSES[etype] + ([c for c, _ in SUBCLASSES] if etype != "PER" else [])
        claims["P31"] = [self.statement(qid, self.item_snak("P31", rng.choice(classes)), refs=rng.randint(0, 2))]
        related = {"PER": ("P27", "P39", "P102", "P108", "P54", "P463"), "LOC": ("P17", "P131"),
                   "ORG": ("P17", "P159", "P463"), "MISC": ("P17", "P495")}[etype]
        for prop in related:
            if rng.random() < 0.7:
                quals = {"P580": [self.time_snak("P580")]} if prop in ("P39", "P54", "P108", "P102") else None
                claims[prop] = [self.statement(qid, self.item_snak(prop, self.qid(200_000)), quals, rng.randint(0, 2))
                                for _ in range(rng.randint(1, 3))]
        for prop in rng.sample(("P214", "P227", "P244", "P213", "P646", "P2671", "P1417", "P3417", "P268",
                                "P269", "P906", "P1006", "P950", "P345", "P2002"), rng.randint(4, 15)):
            claims[prop] = [self.statement(qid, self.string_snak(prop, f"{rng.getrandbits(36):x}"), refs=rng.randint(0, 1))]
        claims["P18"] = [self.statement(qid, self.string_snak("P18", f"{label}.jpg", "commonsMedia"), refs=0)]
        if etype == "PER":
            claims["P569"] = [self.statement(qid, self.time_snak("P569"), refs=2)]
            claims["P21"] = [self.statement(qid, self.item_snak("P21", rng.choice(("Q6581097", "Q6581072"))))]
            claims["P106"] = [self.statement(qid, self.item_snak("P106", self.qid(50_000))) for _ in range(rng.randint(1, 4))]
        elif etype == "LOC":
            claims["P1082"] = [self.statement(qid, self.quantity_snak("P1082"), {"P585": [self.time_snak("P585")]}, 1)
                               for _ in range(rng.randint(1, 6))]
        desc_langs = rng.sample(langs, min(len(langs), rng.randint(5, 40)))
        alias_langs = rng.sample(langs, rng.randint(0, 5))
        return {
            "type": "item", "id": qid,
            "labels": self.texts(label, langs),
            "descriptions": self.texts(f"{etype.lower()} described in {rng.choice(self.words)}", desc_langs),
            "aliases": {lang: [{"language": lang, "value": f"{label.split()[-1]} {rng.choice(self.words)}"}]
                        for lang in alias_langs},
            "claims": claims,
            "sitelinks": {site: {"site": site, "title": label, "badges": []} for site in (*wikis, *others)},
            "lastrevid": rng.randint(10**8, 2 * 10**9), "modified": "2026-11-20T10:00:00Z",
        }

    def paper(self, qid: str) -> dict:
        rng = self.rng
        title = " ".join(rng.choice(self.words) for _ in range(rng.randint(5, 14)))
        claims: dict[str, list] = {
            "P31": [self.statement(qid, self.item_snak("P31", "Q13442814"), refs=0)],
            "P1476": [self.statement(qid, {"snaktype": "value", "property": "P1476", "hash": self._hash(),
                                           "datavalue": {"value": {"text": title, "language": "en"},
                                                         "type": "monolingualtext"}, "datatype": "monolingualtext"})],
            "P356": [self.statement(qid, self.string_snak("P356", f"10.{rng.randint(1000, 9999)}/{rng.getrandbits(40):x}"))],
            "P577": [self.statement(qid, self.time_snak("P577"))],
            "P1433": [self.statement(qid, self.item_snak("P1433", self.qid()))],
        }
        authors = rng.randint(1, 25)
        split = rng.randint(0, authors)
        claims["P50"] = [self.statement(qid, self.item_snak("P50", self.qid()), {
            "P1545": [self.string_snak("P1545", str(i + 1), "string")]}, refs=0) for i in range(split)]
        claims["P2093"] = [self.statement(qid, self.string_snak(
            "P2093", f"{rng.choice(self.names['given'])} {rng.choice(self.names['surname'])}", "string"), {
            "P1545": [self.string_snak("P1545", str(i + 1), "string")]}, refs=0) for i in range(split, authors)]
        return {"type": "item", "id": qid, "labels": self.texts(title, ("en",)),
                "descriptions": self.texts("scientific article", rng.sample(LANGS, rng.randint(3, 20))),
                "aliases": {}, "claims": claims, "sitelinks": {},
                "lastrevid": rng.randint(10**8, 2 * 10**9), "modified": "2026-11-20T10:00:00Z"}

    def other(self, qid: str, index: int) -> dict:
        rng = self.rng
        if index < len(SUBCLASSES) or rng.random() < 0.15:  # a class item
            child, parent = SUBCLASSES[index] if index < len(SUBCLASSES) else (qid, self.qid(3_000_000))
            label = rng.choice(self.words).lower()
            return {"type": "item", "id": child, "labels": self.texts(label, rng.sample(LANGS, 8)),
                    "descriptions": {}, "aliases": {},
                    "claims": {"P279": [self.statement(child, self.item_snak("P279", parent))]}, "sitelinks": {},
                    "lastrevid": rng.randint(10**8, 2 * 10**9), "modified": "2026-11-20T10:00:00Z"}
        label = f"{rng.choice(self.words)} {rng.choice(self.words)}"
        sites = rng.sample(("frwiki", "svwiki", "cebwiki", "commonswiki", "nlwiki", "ruwiki", "specieswiki"),
                           rng.randint(0, 3))
        claims = {"P31": [self.statement(qid, self.item_snak("P31", rng.choice(("Q16521", "Q4167410", "Q486972"))))],
                  "P17": [self.statement(qid, self.item_snak("P17", self.qid(300)))]}
        if rng.random() < 0.5:
            claims["P225"] = [self.statement(qid, self.string_snak("P225", label, "string"), refs=2)]
        return {"type": "item", "id": qid, "labels": self.texts(label, rng.sample(LANGS, rng.randint(1, 12))),
                "descriptions": self.texts("species of insect", rng.sample(LANGS, rng.randint(1, 10))),
                "aliases": {}, "claims": claims,
                "sitelinks": {s: {"site": s, "title": label, "badges": []} for s in sites},
                "lastrevid": rng.randint(10**8, 2 * 10**9), "modified": "2026-11-20T10:00:00Z"}

    def line(self, index: int) -> bytes:
        """The JSON of entity ``index``. Items with an article are generated afresh (unique names for the
        KB); the others are drawn from a pool of ``TEMPLATES`` generated lines with the id put in (the
        importer parses each line anyway; this makes generation ~10x faster)."""
        qid = f"Q{index * 53 + 1_000_000}"
        if index < len(SUBCLASSES):
            return dumps(self.other(qid, index))
        if self.rng.random() < self.wiki_share:
            return dumps(self.wiki_item(qid))
        if len(self.templates) < TEMPLATES:
            doc = self.paper("Q0") if self.rng.random() < 0.65 else self.other("Q0", index)
            if doc["id"] != "Q0":  # a class item keeps its own id
                return dumps(doc)
            self.templates.append(dumps(doc).replace(b'"id":"Q0"', b'"id":"\x00"').replace(b"Q0$", b"\x00$"))
        return self.rng.choice(self.templates).replace(b"\x00", qid.encode())

    def entity(self, index: int) -> dict:
        qid = f"Q{index * 53 + 1_000_000}"
        if index < len(SUBCLASSES):
            return self.other(qid, index)
        roll = self.rng.random()
        if roll < self.wiki_share:
            return self.wiki_item(qid)
        if roll < self.wiki_share + (1 - self.wiki_share) * 0.65:
            return self.paper(qid)
        return self.other(qid, index)


def open_out(path: Path, gz: bool | None = None):
    if gz or (gz is None and path.suffix == ".gz"):
        try:
            from isal import igzip

            return igzip.open(path, "wb", compresslevel=1)
        except ImportError:
            return gzip.open(path, "wb", compresslevel=1)
    return open(path, "wb")


def generate(path: Path, items: int, wiki_share: float = 0.07, seed: int = 1) -> dict:
    sim = Sim(load_names(), seed, wiki_share)
    start, raw = time.perf_counter(), 0
    with open_out(path) as out:
        out.write(b"[\n")
        for i in range(items):
            line = sim.line(i) + (b",\n" if i < items - 1 else b"\n")
            raw += len(line)
            out.write(line)
        out.write(b"]\n")
    return {"path": str(path), "items": items, "wiki_share": wiki_share, "seed": seed, "uncompressed_bytes": raw,
            "compressed_bytes": path.stat().st_size, "seconds": round(time.perf_counter() - start, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--wiki-share", type=float, default=0.07, help="share of items with an en/de article")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    info = generate(args.out, args.items, args.wiki_share, args.seed)
    json.dump(info, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
