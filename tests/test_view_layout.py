"""kgbuild.view.layout: the numpy force layout used for views too large for the browser's own layout."""
from __future__ import annotations

import math

from kgbuild.view.html import page_data
from kgbuild.view.layout import BROWSER_LAYOUT_MAX, force_layout
from kgbuild.view.model import ViewData, ViewEntity


def _dist(p, q):
    return math.hypot(p[0] - q[0], p[1] - q[1])


def test_view_layout_is_deterministic_and_pulls_linked_nodes_together():
    nodes = [f"n{i}" for i in range(60)]
    # two rings of 30 nodes, not linked to each other
    edges = [(f"n{i}", f"n{(i + 1) % 30}") for i in range(30)] + [(f"n{30 + i}", f"n{30 + (i + 1) % 30}") for i in range(30)]
    pos = force_layout(nodes, edges)
    assert pos == force_layout(nodes, edges)
    assert set(pos) == set(nodes) and all(math.isfinite(c) for p in pos.values() for c in p)
    linked = sum(_dist(pos[a], pos[b]) for a, b in edges) / len(edges)
    every = [_dist(pos[a], pos[b]) for i, a in enumerate(nodes) for b in nodes[i + 1:]]
    assert linked < 0.5 * sum(every) / len(every)
    assert min(every) > 1.0  # no two nodes on top of each other


def test_view_layout_browser_refines_only_small_views():
    def data(n):
        ents = tuple(ViewEntity(f"e{i}", "PER", f"E {i}", True) for i in range(n))
        return ViewData("en", (), {}, ents, (), ())
    small = page_data(data(BROWSER_LAYOUT_MAX))
    assert small["layout"] == "cose" and len(small["positions"]) == BROWSER_LAYOUT_MAX
    big = page_data(data(BROWSER_LAYOUT_MAX + 1))
    assert big["layout"] == "preset" and len(big["positions"]) == BROWSER_LAYOUT_MAX + 1
    assert force_layout([], []) == {}
