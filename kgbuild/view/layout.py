"""Node positions for large views: a force-directed (Fruchterman-Reingold) layout with numpy.

cytoscape.js's own force layout (cose) takes seconds at 400 nodes and minutes at 800, so above
``BROWSER_LAYOUT_MAX`` nodes the positions are computed here, once, and the page uses them as they are.
In: node ids and edges (pairs of ids); out: id -> (x, y). Deterministic for the same input (fixed seed).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    import numpy as np


#: up to this many nodes the browser lays the graph out itself (cose); above, ``force_layout`` does
BROWSER_LAYOUT_MAX = 400


def force_layout(nodes: Sequence[str], edges: Iterable[tuple[str, str]], iterations: int = 80,
                 seed: int = 0, spacing: float = 60.0) -> dict[str, tuple[float, float]]:
    """Positions of ``nodes`` so that linked nodes are close and all nodes repel each other."""
    import numpy as np  # imported here: the CLI starts without numpy
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in edges if a in index and b in index and a != b], dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    rng = np.random.default_rng(seed)
    size = spacing * math.sqrt(n)
    pos = rng.uniform(-size / 2, size / 2, (n, 2)).astype(np.float32)
    k = np.float32(spacing)
    temperature = size / 8
    for step in range(iterations):
        disp = _repulsion(pos, k)
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            length = np.maximum(np.linalg.norm(delta, axis=1), 0.01)[:, None]
            pull = delta * length / k
            np.add.at(disp, pairs[:, 0], -pull)
            np.add.at(disp, pairs[:, 1], pull)
        disp -= pos * np.float32(0.02 * n / max(n, 100))  # gravity keeps components together
        length = np.maximum(np.linalg.norm(disp, axis=1), 0.01)[:, None]
        cool = temperature * (1 - step / iterations) + 1.0
        pos += disp / length * np.minimum(length, cool)
    return {node: (round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1)) for node, i in index.items()}


def _repulsion(pos: np.ndarray, k: np.float32, block: int = 1024) -> np.ndarray:
    """Sum over all other nodes of k^2 / d in the direction away from them, in blocks to bound memory."""
    import numpy as np  # imported here: the CLI starts without numpy
    x, y = pos[:, 0], pos[:, 1]
    disp = np.empty_like(pos)
    for start in range(0, len(pos), block):
        dx = x[start:start + block, None] - x[None, :]
        dy = y[start:start + block, None] - y[None, :]
        force = dx * dx
        force += dy * dy
        np.maximum(force, 0.01, out=force)
        np.divide(k * k, force, out=force)
        disp[start:start + block, 0] = np.einsum("ij,ij->i", dx, force)
        disp[start:start + block, 1] = np.einsum("ij,ij->i", dy, force)
    return disp
