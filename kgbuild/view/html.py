"""``ViewData`` -> one self-contained HTML page (template, CSS, cytoscape.js and the app inlined).

``render_html(data, title)`` returns the page as a string; ``write_html(page, path)`` writes it atomically
(temp file in the same folder + ``os.replace``). The data goes into a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` escaped as JSON ``\\u`` sequences, so no text of the graph can close the
script element or start markup.
"""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kgbuild.errors import OutputError
from kgbuild.view.layout import BROWSER_LAYOUT_MAX, force_layout
from kgbuild.view.model import ViewData
from kgbuild.view.vocab import term_labels

#: the vendored graph library (see static/README.md for version and origin)
LIBRARY = "cytoscape.min.js"
_PLACEHOLDER = re.compile(r"\{\{([A-Z]+)\}\}")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@lru_cache(maxsize=None)
def static_text(name: str) -> str:
    """The text of a file in ``kgbuild/view/static``."""
    return resources.files("kgbuild.view").joinpath("static", name).read_text(encoding="utf-8")


#: the page's own script, in parts that share one function scope (see the head of view-graph.js)
APP_PARTS = ("view-graph.js", "view-details.js", "view-main.js")


def app_script() -> str:
    """The app: the parts of ``APP_PARTS`` inside one strict-mode function."""
    body = "\n".join(static_text(name) for name in APP_PARTS)
    return f'(function () {{\n  "use strict";\n{body}}})();\n'


def json_for_script(obj) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&`` left."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def script_safe(js: str) -> str:
    """JavaScript source that cannot end its ``<script>`` element early (``</script`` -> ``<\\/script``)."""
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def default_title(data: ViewData) -> str:
    """``kgbuild view: putin-nordkorea`` (one document) or ``kgbuild view: 12 documents``."""
    docs = data.documents
    if len(docs) == 1:
        return f"kgbuild view: {docs[0].identifier or docs[0].id.rsplit('/', 1)[-1]}"
    return f"kgbuild view: {len(docs)} documents" if docs else "kgbuild view"


def page_data(data: ViewData) -> dict:
    """``data.to_json()`` plus the term labels and node positions (``force_layout``; deterministic).

    Up to ``BROWSER_LAYOUT_MAX`` nodes the page refines the positions with cytoscape's own layout; above,
    it uses them as they are (``"layout": "preset"``).
    """
    out = data.to_json()
    out["terms"] = term_labels(data.lang)
    nodes = [e.id for e in data.entities] + [ev.id for ev in data.events]
    edges = [(ev.id, r.entity) for ev in data.events for r in ev.roles]
    edges += [(r.subject, r.object) for r in data.relations]
    out["positions"] = {k: {"x": x, "y": y} for k, (x, y) in force_layout(nodes, edges).items()}
    out["layout"] = "preset" if data.node_count > BROWSER_LAYOUT_MAX else "cose"
    return out


def render_html(data: ViewData, title: str | None = None) -> str:
    """The whole page for ``data``; no reference to anything outside the file."""
    parts = {
        "LANG": html.escape(data.lang, quote=True),
        "TITLE": html.escape(title or default_title(data)),
        "CSS": static_text("view.css").replace("</", "<\\/"),
        "LIB": script_safe(static_text(LIBRARY)),
        "APP": script_safe(app_script()),
        "DATA": json_for_script(page_data(data)),
    }
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], static_text("view.html"))


def write_html(page: str, path: str | Path) -> Path:
    """Write ``page`` to ``path`` atomically; ``OutputError`` when the folder is missing or not writable."""
    from kgbuild.files import atomic_open

    path = Path(path)
    try:
        with atomic_open(path) as fh:
            fh.write(page.encode("utf-8"))
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"Cannot write '{path}': {exc.strerror or exc}. Pick a writable -o path.") from None
    return path
