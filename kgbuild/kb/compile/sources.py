"""Readers for the shared source files: each yields plain dicts/rows, nothing KB-specific."""
from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Iterator

import yaml


def open_text(path: Path):
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8")
    return open(path, encoding="utf-8")


def read_json(path: Path):
    with open_text(path) as fh:
        return json.load(fh)


def read_jsonl(path: Path) -> Iterator[dict]:
    with open_text(path) as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_csv(path: Path) -> Iterator[dict]:
    with open_text(path) as fh:
        yield from csv.DictReader(fh)


def read_yaml(path: Path):
    with open_text(path) as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_tsv_lexicon(path: Path) -> Iterator[list[str]]:
    """Rows of a tab-separated lexicon file, skipping comments and blank lines."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def read_tsv(path: Path) -> Iterator[dict]:
    """Rows of a tab-separated file with a header line and no quoting."""
    with open_text(path) as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
