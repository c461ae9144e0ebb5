"""A written view page -> a PNG screenshot, rendered in headless Chromium (see ``kgbuild.view.browser``).

In: the HTML file of ``kgbuild view``; out: a PNG (written atomically). Raises ``BrowserError`` when
Chromium is missing or the page reports an error instead of drawing the graph.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
        fd, tmp = tempfile.mkstemp(prefix=f".{png.name}.", suffix=".tmp", dir=png.parent if str(png.parent) else ".")
        os.close(fd)
        try:
            browser.screenshot(tmp)
            os.replace(tmp, png)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return png


def _js_string(value: str) -> str:
    import json

    return json.dumps(value)
