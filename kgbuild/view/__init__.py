"""``kgbuild view``: kgbuild graphs -> one self-contained, interactive HTML page.

load (files -> pyoxigraph store) -> extract (SPARQL -> ``ViewData``) -> select (entity / depth / type /
date filters and the node limit) -> html (data + vendored cytoscape.js -> one HTML file, written atomically).

>>> data = write_view(["graph.ttl"], "graph.html", ViewFilter(entity="Q7747", depth=1))  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from kgbuild.view.extract import extract
from kgbuild.view.html import render_html, write_html
from kgbuild.view.load import load_graphs
from kgbuild.view.model import ViewData
from kgbuild.view.select import DEFAULT_LIMIT, ViewFilter, select


def build_view(paths: Iterable[str | Path], flt: ViewFilter = ViewFilter(), lang: str | None = None) -> ViewData:
    """Graph files -> the filtered ``ViewData`` to draw (``GraphError`` for a graph that is not kgbuild's)."""
    paths = [Path(p) for p in paths]
    source = ", ".join(f"'{p}'" for p in paths) or "the graph"
    return select(extract(load_graphs(paths), lang=lang, source=source), flt)


def write_view(
    paths: Iterable[str | Path],
    out: str | Path,
    flt: ViewFilter = ViewFilter(),
    lang: str | None = None,
    title: str | None = None,
) -> ViewData:
    """Graph files -> the HTML page at ``out`` (atomic write); returns the ``ViewData`` that was drawn."""
    data = build_view(paths, flt, lang)
    write_html(render_html(data, title), out)
    return data


__all__ = ["DEFAULT_LIMIT", "ViewData", "ViewFilter", "build_view", "render_html", "write_view"]
