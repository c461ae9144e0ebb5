#!/usr/bin/env python
"""The KB store at full Wikidata scale: a KB file of ``--entities`` entities and ~``--names`` names written
straight through the store's own row functions (``kgbuild.kb.write``: entity rows, name keys and stems, the
indexes and the name filter of ``finalize``), without generating and importing a dump of that size. Then the
same probe as ``bench_kb_scale.py``: file size, open time (median of 3 fresh processes), RSS after open,
cold lookups/s (spotter n-grams of the reference article, unseen non-names, real names of the KB).

Names are drawn from the bundled KB's records (the shared data): persons are given name + surname
recombinations (with the surname as its own name, as the importer derives it), other entities are a
place or organisation name plus a word; each entity has an English and a German label (mostly the same
string), 0-3 aliases and a Wikipedia title, ~3.75 names per entity like the full dump's ~30 M for ~8 M.

Usage: python benchmarks/bench_kb_store_scale.py --entities 8000000 --names 30000000 --out /tmp/kb8m.sqlite
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def build(out: Path, entities: int, names: int, seed: int = 1) -> dict:
    from wikidata_sim import load_names

    from kgbuild.kb import schema
    from kgbuild.kb.write import entity_row, finalize, name_rows

    pools = load_names()
    words = [w for n in pools["ORG"][:50000] + pools["LOC"][:50000] for w in n.split() if len(w) > 3]
    rng = random.Random(seed)
    per_entity = names / entities
    out.unlink(missing_ok=True)
    conn = schema.create(out, indexes=False)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072"):
        conn.execute(f"PRAGMA {pragma}")
    start = time.perf_counter()
    ents, rows = [], []
    written = 0
    for i in range(entities):
        qid = f"Q{1000 + i * 7}"
        etype = rng.choices(("PER", "LOC", "ORG", "MISC"), (40, 25, 15, 20))[0]
        if etype == "PER":
            given, surname = rng.choice(pools["given"]), rng.choice(pools["surname"])
            label = f"{given} {surname}"
        else:
            label = f"{rng.choice(pools[etype] if etype in pools else words)} {rng.choice(words)}"
        de = label if rng.random() < 0.7 else f"{label} {rng.choice(words)}"
        own = [[label, "label", "en"], [de, "label", "de"], [label, "wikipedia", "en"]]
        if etype == "PER":
            own.append([surname, "surname", None])
        extra = max(0, round(per_entity - len(own) + rng.uniform(-1, 1)))
        own += [[f"{rng.choice(words)} {label.split()[-1]}", "alias", rng.choice(("en", "de"))] for _ in range(extra)]
        rec = {"qid": qid, "type": etype, "prior": round(rng.random() * 0.6 + 0.1, 4), "classes": ["Q5"],
               "claims": {"P17": [f"Q{rng.randint(1, 300)}"]}, "labels": {"en": label, "de": de}, "source": "sim"}
        ents.append(entity_row(rec))
        rows += name_rows(qid, own)
        if len(rows) >= 200_000:
            conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ents)
            conn.executemany("INSERT INTO names (key, stem, qid, name, kind, lang) VALUES (?, ?, ?, ?, ?, ?)", rows)
            written += len(rows)
            ents, rows = [], []
    conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ents)
    conn.executemany("INSERT INTO names (key, stem, qid, name, kind, lang) VALUES (?, ?, ?, ?, ?, ?)", rows)
    written += len(rows)
    conn.commit()
    loaded = time.perf_counter()
    schema.create_indexes(conn)
    indexed = time.perf_counter()
    finalize(conn, {"built": "sim", "content_hash": "sim", "origin": "bench_kb_store_scale"})
    done = time.perf_counter()
    conn.close()
    return {"entities": entities, "names": written, "load_s": round(loaded - start), "index_s": round(indexed - loaded),
            "finalize_s": round(done - indexed), "size_mb": round(out.stat().st_size / 2**20)}


def main() -> None:
    from bench_kb_scale import probe_store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=8_000_000)
    ap.add_argument("--names", type=int, default=30_000_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/kgbuild-kb-store-scale.sqlite"))
    ap.add_argument("--reuse", action="store_true", help="probe an existing --out file")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    result = {} if args.reuse else {"build": build(args.out, args.entities, args.names)}
    print(json.dumps(result), file=sys.stderr)
    result["store"] = probe_store(args.out)
    print(json.dumps(result, indent=1))
    if not args.keep:
        args.out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
