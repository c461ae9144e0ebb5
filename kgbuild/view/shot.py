"""A written view page -> a PNG screenshot, rendered in headless Chromium (see ``kgbuild.view.browser``).

In: the HTML file of ``kgbuild view``; out: a PNG (written atomically). Raises ``BrowserError`` when
Chromium is missing or the page reports an error instead of drawing the graph.
"""
from __future__ import annotations

import json
from pathlib import Path

from kgbuild.files import atomic_path
from kgbuild.view.browser import BrowserError, Chromium

#: JavaScript: true once the page has drawn its graph or given up with an error
READY = "document.body && (document.body.dataset.ready === '1' || !!document.body.dataset.error)"


def screenshot_page(html: str | Path, png: str | Path, width: int = 1400, height: int = 860,
                    select: str | None = None) -> Path:
    """Render ``html`` at ``width`` x ``height``, optionally click ``select`` (a node id), save ``png``."""
    html, png = Path(html).resolve(), Path(png)
    with Chromium(width=width, height=height) as browser:
        browser.open(html.as_uri(), READY)
        error = browser.evaluate("document.body.dataset.error || ''")
        if error:
            raise BrowserError(f"The page '{html}' could not draw its graph: {error}")
        if select:
            browser.evaluate(f"kgView.select({_js_string(select)})")
            browser.wait_for("!kgView.cy.animated()")
        with atomic_path(png) as tmp:
            browser.screenshot(str(tmp))
    return png


def _js_string(value: str) -> str:
    return json.dumps(value)


#: JavaScript: page coordinates where a click hits the node or edge ``%s`` (cytoscape's own hit test), or null
_POINT_JS = """(() => {
    const cy = kgView.cy, e = cy.getElementById(%s);
    if (!e.length) return null;
    const box = document.getElementById('graph').getBoundingClientRect();
    const candidates = [e.isNode() ? e.renderedPosition() : e.renderedMidpoint()];
    if (e.isEdge()) {
        const a = e.source().renderedPosition(), b = e.target().renderedPosition();
        for (const t of [0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) candidates.push({x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)});
    }
    for (const p of candidates) {
        const inside = p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height;
        const model = cy.renderer().projectIntoViewport(box.left + p.x, box.top + p.y);
        const hit = cy.renderer().findNearestElement(model[0], model[1], true, false);
        if (inside && hit && hit.id() === e.id()) return [box.left + p.x, box.top + p.y];
    }
    return null;
})()"""


def element_point(browser: Chromium, element_id: str) -> tuple[float, float] | None:
    """Page coordinates where a real mouse click lands on this node or edge of an open view, or None."""
    point = browser.evaluate(_POINT_JS % _js_string(element_id))
    return (point[0], point[1]) if point else None
