"""Build kgbuild/data/words/common.de.txt: capitalised German words that are common nouns, not names.

German capitalises every noun, so a one-word KB match such as "Bank", "Haus" or "Union" needs a list of
words that are usually NOT names. This script counts capitalised tokens that are outside every entity in
GermEval 2014 (NoSta-D, CC BY 4.0) and outside NamedEntity=Yes tokens in UD German GSD (CC BY-SA 4.0) and
PUD (CC BY-SA 3.0), not at the start of a sentence, and keeps those seen at least twice and never as
(part of) an entity more often than outside one.

Usage: python scripts/build_common_words.py [--data ../shared/data]
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def germeval(path: Path, outside: Counter, inside: Counter) -> None:
    first = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            first = True
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            continue
        token, tag = cols[1], cols[2]
        if token[:1].isupper() and token.isalpha() and not first:
            (outside if tag == "O" else inside)[token] += 1
        first = False


def ud(path: Path, outside: Counter, inside: Counter) -> None:
    first = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            first = True
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 10 or "-" in cols[0] or "." in cols[0]:
            continue
        token, upos, misc = cols[1], cols[3], cols[9]
        if token[:1].isupper() and token.isalpha() and not first:
            named = "NamedEntity=Yes" in misc or upos == "PROPN"
            (inside if named else outside)[token] += 1
        first = False


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "kgbuild" / "data" / "words" / "common.de.txt")
    args = ap.parse_args()
    outside, inside = Counter(), Counter()
    for name in ("NER-de-dev.tsv", "NER-de-test.tsv"):
        germeval(args.data / "germeval2014_ner" / name, outside, inside)
    for name in ("de_gsd-ud-dev.conllu", "de_gsd-ud-test.conllu", "de_pud-ud-test.conllu"):  # never LIT (NC)
        ud(args.data / "ud_german" / name, outside, inside)
    words = sorted(w for w, n in outside.items() if n >= 2 and inside[w] < n)
    header = ("# Capitalised German words that are common nouns (not names), one per line.\n"
              "# Built by scripts/build_common_words.py from GermEval 2014 (CC BY 4.0) and UD German GSD/PUD\n"
              "# (CC BY-SA 4.0 / 3.0); this list is therefore CC BY-SA 4.0.\n")
    args.out.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {args.out}")


if __name__ == "__main__":
    main()
