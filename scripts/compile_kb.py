#!/usr/bin/env python
"""Rebuild the bundled KB record file from the shared source data (same as `kgbuild kb compile`).

Usage: python scripts/compile_kb.py [--data /work/shared/data] [--out kgbuild/data/kb/kb-records.tsv.xz]
"""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

from kgbuild.kb.bundled import BUNDLED_RECORDS
from kgbuild.kb.compile import DEFAULT_DATA, compile_kb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the source data sets")
    parser.add_argument("--out", type=Path, default=BUNDLED_RECORDS, help="record file to write")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    for name, count in compile_kb(args.data, args.out).items():
        print(f"{name:<34} {count:>9,}")


if __name__ == "__main__":
    main()
