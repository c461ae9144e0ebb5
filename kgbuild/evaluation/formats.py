"""Which reader a gold file needs: ``--format`` or, with ``auto``, its suffix and first line.

In: paths and a format name. Out: ``GoldDocument``s of all files, in order; ``GoldError`` for a missing file
or a format that cannot be told.
"""
from __future__ import annotations

import json
from dataclasses import replace
from enum import Enum
from pathlib import Path

from kgbuild.errors import GoldError
from kgbuild.evaluation.gold import GoldDocument
from kgbuild.evaluation.read_elevant import read_elevant
from kgbuild.evaluation.read_hipe import HEADER, read_hipe
from kgbuild.evaluation.read_kgbuild import read_kgbuild
from kgbuild.evaluation.read_nif import read_nif


class GoldFormat(str, Enum):
    auto = "auto"
    elevant = "elevant"
    nif = "nif"
    hipe = "hipe"
    kgbuild = "kgbuild"


RDF_SUFFIXES = {".ttl", ".nif", ".nt", ".n3", ".rdf", ".xml", ".jsonld", ".trig", ".nq"}


def detect_format(path: Path) -> GoldFormat:
    """Guess the format from the suffix and the first non-empty line."""
    if path.suffix.lower() in RDF_SUFFIXES:
        return GoldFormat.nif
    first = _first_line(path)
    if first.startswith(HEADER) or path.suffix.lower() == ".tsv":
        return GoldFormat.hipe
    if first.startswith("{"):
        try:
            obj = json.loads(first)
        except json.JSONDecodeError:
            obj = None
        if isinstance(obj, dict) and "labels" in obj and "text" in obj:
            return GoldFormat.elevant
        if path.suffix.lower() in (".json", ".jsonl", ".ndjson"):
            return GoldFormat.kgbuild
    if first.startswith("[") and path.suffix.lower() == ".json":
        return GoldFormat.kgbuild
    if first.startswith("@prefix") or first.startswith("PREFIX") or first.startswith("<"):
        return GoldFormat.nif
    raise GoldError(f"{path}: cannot tell the gold format; pass --format elevant, nif, hipe or kgbuild")


def _first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    return line.strip()
    except UnicodeDecodeError:
        raise GoldError(f"{path}: not UTF-8 text; gold files must be UTF-8") from None
    raise GoldError(f"{path}: the gold file is empty")


def read_gold(paths: list[Path], fmt: GoldFormat | str = GoldFormat.auto) -> list[GoldDocument]:
    """All documents of all gold files; each file read with ``fmt`` or its detected format."""
    docs: list[GoldDocument] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise GoldError(f"gold file {str(path)!r} does not exist")
        use = GoldFormat(fmt) if fmt != GoldFormat.auto else detect_format(path)
        try:
            found = _READERS[use](path)
        except UnicodeDecodeError:
            raise GoldError(f"{path}: not UTF-8 text; gold files must be UTF-8") from None
        if not found:
            raise GoldError(f"{path}: no gold documents in this file")
        docs.extend(replace(d, file=str(path), format=use.value) for d in found)
    return docs


_READERS = {GoldFormat.elevant: read_elevant, GoldFormat.nif: read_nif, GoldFormat.hipe: read_hipe,
            GoldFormat.kgbuild: read_kgbuild}
