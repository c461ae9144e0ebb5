"""The knowledge base: a local SQLite KB of Wikidata entities for news (bundled), its lookup, compiler,
Wikidata JSON import and an opt-in live Wikidata client.

``open_kb(path=None)`` -> ``SQLiteKB``: ``path``, else ``$KGBUILD_KB``, else the bundled KB (compiled on first
use from ``kgbuild/data/kb/kb-records.tsv.xz`` and cached).
"""
from __future__ import annotations

import os
from pathlib import Path

from kgbuild.kb.store import SQLiteKB


def resolve_kb_path(path: str | os.PathLike | None = None) -> Path:
    """The KB file to use: ``path``, else ``$KGBUILD_KB``, else the (cached) bundled KB."""
    if path:
        return Path(path)
    if os.environ.get("KGBUILD_KB"):
        return Path(os.environ["KGBUILD_KB"])
    from kgbuild.kb.bundled import bundled_kb_path

    return bundled_kb_path()


def open_kb(path: str | os.PathLike | None = None, online: bool = False, **online_options):
    """Open a KB for lookups. With ``online=True`` misses are looked up live on Wikidata (cached locally)."""
    kb = SQLiteKB(resolve_kb_path(path))
    return online_kb(kb, **online_options) if online else kb


def online_kb(kb: SQLiteKB, **options):
    """Wrap ``kb`` so that local misses are looked up on live Wikidata (``kgbuild.kb.online.OnlineKB``)."""
    from kgbuild.kb.online import OnlineKB

    return OnlineKB(kb, **options)


__all__ = ["open_kb", "online_kb", "resolve_kb_path", "SQLiteKB"]
