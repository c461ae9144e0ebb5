"""Relatedness from the FB15k / FB15k-237 knowledge-graph triples (``kgbuild/data/extracts/fb15k_links.tsv.xz``,
written by ``scripts/extract_fb15k_links.py`` from villmow/datasets_knowledge_embedding; Freebase data, CC BY).

The triples link popular persons, bands, labels, clubs, places, films, awards and concepts. Two KB entities are
*related* (a ``claims`` row of property ``related``, ``schema.RELATED_LINK``, read by ``SQLiteKB.related`` in both
directions; not in the entity's claims JSON) when

- a triple links them directly (Angelina Jolie - Brad Pitt, Columbia Records - Billy Joel, Pixar - John
  Lasseter), except through the relations in ``NOISE_RELATIONS``; or
- both are linked to one node of the triples that few entities share (at most ``MAX_SHARED`` KB entities):
  a film, a record label's small roster, a small music genre (Eric Clapton, Jeff Beck and Jimmy Page share one).
  Nodes that many entities share (a country, a large genre, a profession, "male") say nothing and are not followed.

Each pair is stored once, as a row of the lower QID.
"""
from __future__ import annotations

import logging
import lzma
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Iterable, Iterator

from kgbuild.kb.compile.model import Builder
from kgbuild.kb.schema import RELATED_LINK

log = logging.getLogger("kgbuild.kb.compile")

LINKS = Path(__file__).resolve().parent.parent.parent / "data" / "extracts" / "fb15k_links.tsv.xz"
#: a node shared by more KB entities than this relates none of them
MAX_SHARED = 25
#: relations that do not make two entities related (substrings of the Freebase relation path)
NOISE_RELATIONS = (
    "/people/person/gender", "/people/person/profession", "/people/profession/",
    "/common/topic/webpage", "/common/annotation_category/", "/location/location/time_zones",
    "/people/person/spouse_s./people/marriage/type_of_union", "/people/marriage_union_type/",
    "/film/film/release_date_s.", "/people/person/nationality", "/people/person/languages",
    "/people/person/religion", "/people/ethnicity/", "/base/schemastaging/",
    "/location/hud_foreclosure_area/", "/measurement_unit/",
    "/award/",  # co-nominees of an award (Eric Clapton - Amanda Bynes): as many related pairs, no gain measured
)


def read_links(path: Path = LINKS) -> Iterator[tuple[str, str, str]]:
    """(QID, Freebase relation, QID) rows of the extract."""
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            a, rel, b = line.rstrip("\n").split("\t")
            yield a, rel, b


def genders(path: Path = LINKS) -> list[tuple[str, str]]:
    """(person's QID, QID of Freebase's gender node) rows of the extract (``kgbuild.kb.gender``)."""
    return [(a, b) for a, rel, b in read_links(path) if rel == "/people/person/gender"] if path.is_file() else []


def related_pairs(rows: Iterable[tuple[str, str, str]], known: set[str], max_shared: int = MAX_SHARED,
                  noise: tuple[str, ...] = NOISE_RELATIONS) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(direct pairs, pairs through a shared node) of the entities in ``known``; each pair as (lower, higher) QID."""
    direct: set[tuple[str, str]] = set()
    members: dict[str, set[str]] = defaultdict(set)  # node -> KB entities linked to it
    for a, rel, b in rows:
        if any(n in rel for n in noise):
            continue
        if a in known and b in known:
            direct.add(_pair(a, b))
        if b in known:
            members[a].add(b)
        if a in known:
            members[b].add(a)
    shared: set[tuple[str, str]] = set()
    for group in members.values():
        if 2 <= len(group) <= max_shared:
            shared.update(_pair(a, b) for a, b in combinations(sorted(group), 2))
    return direct, shared - direct


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if int(a[1:]) < int(b[1:]) else (b, a)


def add_fb15k_links(b: Builder, path: Path = LINKS) -> int:
    """Add the related pairs among the compiled entities as ``related`` claims; returns how many."""
    direct, shared = related_pairs(read_links(path), set(b.recs))
    for lo, hi in direct | shared:
        b.recs[lo].claims.setdefault(RELATED_LINK, set()).add(hi)
    b.count("fb15k-links:direct", len(direct))
    b.count("fb15k-links:shared", len(shared))
    log.info("fb15k links: %d direct, %d through a shared node", len(direct), len(shared))
    return len(direct) + len(shared)
