"""Command ``kgbuild view``: kgbuild graphs -> one self-contained, interactive HTML page."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kgbuild.cli._app import app
from kgbuild.errors import InputError
from kgbuild.view.select import DEFAULT_LIMIT


class ViewLang(str, Enum):
    de = "de"
    en = "en"


def _types(value: Optional[list[str]]) -> tuple[str, ...]:
    """``--type visits,meets --type Visit`` -> ("visits", "meets", "Visit")."""
    return tuple(t.strip() for v in value or () for t in v.split(",") if t.strip())


@app.command("view")
def view(
    graphs: Annotated[list[Path], typer.Argument(help="Graphs written by `kgbuild build` (.ttl, .trig, .nt, .nq, .jsonld; .gz too), or folders of them.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write (- for stdout).")] = Path("graph.html"),
    entity: Annotated[Optional[str], typer.Option("--entity", "-e", help="Show only this entity (QID, IRI or label) and its neighbourhood.")] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="With --entity: how many relation hops around it.")] = 1,
    types: Annotated[Optional[list[str]], typer.Option("--type", "-t", help="Only these relation/event types, comma-separated: visits,meets,signsTreatyWith,...")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Only events on or after this date (YYYY-MM-DD).")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Only events on or before this date (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many nodes; larger graphs keep the best connected ones, with a warning.")] = DEFAULT_LIMIT,
    lang: Annotated[Optional[ViewLang], typer.Option("--lang", help="Label language (default: the articles' language).")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Page title (default: from the document ids).")] = None,
    screenshot: Annotated[Optional[Path], typer.Option("--screenshot", help="Also save a PNG of the page, rendered in headless Chromium.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a summary as JSON on stdout.")] = False,
) -> None:
    """Draw kgbuild graphs as one interactive HTML page: entities, events, their sources; works offline."""
    from kgbuild.view import ViewFilter, build_view, render_html, write_view

    flt = ViewFilter(entity=entity, depth=depth, types=_types(types), date_from=date_from, date_to=date_to, limit=limit)
    view_lang = lang.value if lang else None
    if str(output) == "-":
        if screenshot or as_json:
            raise InputError("--screenshot and --json need an output file: pass -o graph.html instead of -o -.")
        sys.stdout.write(render_html(build_view(graphs, flt, view_lang), title))
        return
    data = write_view(graphs, output, flt, lang=view_lang, title=title)
    summary = {
        "output": str(output), "entities": len(data.entities), "events": len(data.events),
        "relations": len(data.relations), "nodes": data.node_count, "total_nodes": data.total_nodes or data.node_count,
        "lang": data.lang, "warnings": list(data.warnings),
    }
    if screenshot:
        from kgbuild.view.shot import screenshot_page

        screenshot_page(output, screenshot)
        summary["screenshot"] = str(screenshot)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"wrote {output}: {summary['entities']} entities, {summary['events']} events, "
                   f"{summary['relations']} relations", err=True)
