#!/usr/bin/env python
"""Extract the entity-to-entity links of the FB15k / FB15k-237 triples as QID pairs (a compile input of the KB).

Usage: python scripts/extract_fb15k_links.py --repo GIT_DIR [--out kgbuild/data/extracts/fb15k_links.tsv.xz]

``GIT_DIR`` is a clone (bare or not) of https://github.com/villmow/datasets_knowledge_embedding at commit
9e392453d6804d1f51c13e5650ae58ed48b638d5 (MIT, "Copyright (c) 2017 Tim Dettmers"; the triples are Freebase
data, which Google publishes under CC BY). Its ``train.txt`` files are stored outside git there, so the links come from the three files
git has: ``FB15K/valid.txt``, ``FB15k-237/valid.txt`` and ``FB15k-237/test.txt`` (88,001 triples). Every
Freebase MID is mapped to its Wikidata QID through ``FB15K/entity2wikidata.json`` of the same commit; a triple
with an unmapped MID, or whose two ends are one QID, is left out; duplicates are written once.

Output (xz-compressed, tab-separated, sorted, one header comment line): ``QID  relation  QID`` with the Freebase
relation path kept as is (``/people/person/spouse_s./people/marriage/spouse``). The KB compiler
(``kgbuild.kb.compile.links``) reads it; no other file of that repository is needed at compile time.
"""
from __future__ import annotations

import argparse
import json
import lzma
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMIT = "9e392453d6804d1f51c13e5650ae58ed48b638d5"
TRIPLES = ("FB15K/valid.txt", "FB15k-237/valid.txt", "FB15k-237/test.txt")
MAPPING = "FB15K/entity2wikidata.json"


def show(repo: Path, path: str) -> str:
    return subprocess.run(["git", "--git-dir", str(repo), "show", f"{COMMIT}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, required=True, help="git directory of villmow/datasets_knowledge_embedding")
    ap.add_argument("--out", type=Path, default=ROOT / "kgbuild/data/extracts/fb15k_links.tsv.xz")
    args = ap.parse_args()
    qid = {mid: row.get("wikidata_id") for mid, row in json.loads(show(args.repo, MAPPING)).items()}
    rows: set[tuple[str, str, str]] = set()
    seen = 0
    for path in TRIPLES:
        for line in show(args.repo, path).splitlines():
            head, rel, tail = line.split("\t")
            seen += 1
            a, b = qid.get(head), qid.get(tail)
            if a and b and a != b and a.startswith("Q") and b.startswith("Q"):
                rows.add((a, rel, b))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(args.out, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as out:
        out.write(f"# FB15k/FB15k-237 links as QIDs: villmow/datasets_knowledge_embedding@{COMMIT[:8]} "
                  f"{', '.join(TRIPLES)}; {seen} triples read, {len(rows)} kept\n")
        out.writelines(f"{a}\t{r}\t{b}\n" for a, r, b in sorted(rows))
    print(f"{seen} triples read, {len(rows)} links written to {args.out}")


if __name__ == "__main__":
    main()
