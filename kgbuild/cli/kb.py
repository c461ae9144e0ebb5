"""Commands ``kgbuild kb info|lookup|show|import|fetch|compile``: inspect, extend and rebuild the knowledge base."""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kgbuild.cli._app import app
from kgbuild.errors import KBError

kb_app = typer.Typer(help="Inspect, extend and rebuild the knowledge base (KB).", no_args_is_help=True)
app.add_typer(kb_app, name="kb")

KBOpt = Annotated[Optional[Path], typer.Option("--kb", envvar="KGBUILD_KB", help="KB file (default: the bundled KB).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
OnlineOpt = Annotated[bool, typer.Option("--online", help="Ask live Wikidata on a local miss (cached into the KB).")]


def _open(kb: Path | None, online: bool = False):
    from kgbuild.kb import open_kb

    return open_kb(kb, online=online)


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1))


@kb_app.command("info")
def info_cmd(kb: KBOpt = None, as_json: JsonOpt = False) -> None:
    """Counts per type, source and language, the sources and their licences, file size and version."""
    stats = _open(kb).stats()
    if as_json:
        return _echo_json(stats)
    typer.echo(f"KB        {stats['path']} ({stats['size_bytes'] / 2**20:.1f} MiB)")
    typer.echo(f"version   {stats['version']}")
    typer.echo(f"entities  {stats['entities']:,}   names {stats['names']:,}   given names {stats['given_names']:,}")
    nf = stats["name_filter"]
    typer.echo(f"name filter  {nf['stems']:,} stems in {nf['bytes'] / 2**20:.1f} MiB (read at open)")
    for title, key in (("by type", "by_type"), ("organisations by class", "by_class"), ("by source", "by_source"), ("names by language", "names_by_lang"),
                       ("names by kind", "names_by_kind")):
        typer.echo(f"{title}:")
        for name, count in sorted(stats.get(key, {}).items(), key=lambda kv: -kv[1]):
            typer.echo(f"  {name:<28} {count:>9,}")
    if stats["sources"]:
        typer.echo("sources (see kgbuild/data/kb/SOURCES.md for attribution):")
        for src in stats["sources"]:
            typer.echo(f"  {src['name']:<28} {src['licence']}{'  [' + src['note'] + ']' if src.get('note') else ''}")


@kb_app.command("lookup")
def lookup_cmd(
    name: Annotated[str, typer.Argument(help="Surface form, e.g. 'Nordkoreas' or 'Wladimir Putin'.")],
    lang: Annotated[Optional[str], typer.Option("--lang", "-l", help="Language of the text (de, en, ...).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N candidates.")] = 10,
    kb: KBOpt = None, online: OnlineOpt = False, as_json: JsonOpt = False,
) -> None:
    """Ranked KB candidates for a name (QID, matched name, kind, prior, type)."""
    base = _open(kb, online)
    found = base.lookup(name, lang=lang, limit=limit)
    if online:
        base.close()
    if as_json:
        return _echo_json([dataclasses.asdict(c) for c in found])
    if not found:
        typer.echo(f"no candidates for {name!r}", err=True)
        raise typer.Exit(1)
    for c in found:
        typer.echo(f"{c.qid:<11} {c.type:<4} {c.prior:5.3f}  {c.kind:<15} {c.lang or '-':<3} {c.name}")


@kb_app.command("show")
def show_cmd(
    qid: Annotated[str, typer.Argument(help="A Wikidata QID, e.g. Q7747.")],
    kb: KBOpt = None, online: OnlineOpt = False, as_json: JsonOpt = False,
) -> None:
    """Labels, descriptions, type, prior, classes, claims and names of one QID."""
    base = _open(kb, online)
    ent = base.entity(qid.strip().upper())
    if ent is None:
        raise KBError(f"{qid} is not in the KB '{base.path}'. Try --online, or `kgbuild kb import` a Wikidata file.")
    data = {**dataclasses.asdict(ent), "names": [list(n) for n in base.names(ent.qid)],
            "related": sorted(base.related(ent.qid))}
    if online:
        base.close()
    if as_json:
        return _echo_json(data)
    typer.echo(f"{ent.qid}  {ent.label('de')} / {ent.label('en')}  [{ent.type}, prior {ent.prior:.3f}]")
    for lang, text in sorted(ent.descriptions.items()):
        typer.echo(f"  description ({lang}): {text}")
    typer.echo(f"  classes (P31): {' '.join(ent.classes) or '-'}")
    for prop, values in sorted(ent.claims.items()):
        typer.echo(f"  {prop}: {' '.join(values)}")
    typer.echo("  names:")
    for name, kind, lang in data["names"]:
        typer.echo(f"    {kind:<15} {lang or '-':<3} {name}")


@kb_app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Wikidata JSON: latest-all.json[.gz|.bz2] dumps or wbgetentities answers.")],
    kb: KBOpt = None,
    classes: Annotated[Optional[list[str]], typer.Option("--class", help="Keep items with this P31 class (repeatable).")] = None,
    min_sitelinks: Annotated[int, typer.Option("--min-sitelinks", min=0, help="Keep items with at least N sitelinks.")] = 0,
    qids: Annotated[Optional[Path], typer.Option("--qids", help="Keep only the QIDs listed in this file (one per line).")] = None,
    langs: Annotated[str, typer.Option("--langs", help="Languages of names to keep, comma-separated ('all' for every one).")] = "de,en,fr,es,it,nl,pl,pt,ru",
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")] = True,
    bulk: Annotated[bool, typer.Option("--bulk", help="Build a NEW KB file from a whole dump: items with a Wikipedia article in --wikis, parallel (--jobs), resumable (rerun after a kill), plus the bundled KB.")] = False,
    wikis: Annotated[str, typer.Option("--wikis", help="With --bulk: keep items with an article in these Wikipedias.")] = "en,de",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="With --bulk: parser processes.")] = 1,
    work: Annotated[Optional[Path], typer.Option("--work", help="With --bulk: folder for the checkpoints (default: KB path + '.import').")] = None,
    no_bundled: Annotated[bool, typer.Option("--no-bundled", help="With --bulk: leave the bundled KB out.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import Wikidata items into a KB file (created as a copy of the bundled KB if it does not exist);
    with --bulk, build a new KB file from a whole dump (latest-all.json.gz|.bz2)."""
    from kgbuild.kb.dump import EntityFilter
    from kgbuild.kb.importer import import_file

    if kb is None:
        raise KBError("`kgbuild kb import` needs a target: pass --kb PATH or set $KGBUILD_KB "
                      "(a new file starts as a copy of the bundled KB).")
    wanted = frozenset()
    if qids is not None:
        if not qids.is_file():
            raise KBError(f"QID list '{qids}' not found. Give a text file with one QID per line.")
        wanted = frozenset(line.strip() for line in qids.read_text(encoding="utf-8").split() if line.strip())
    keep = EntityFilter(classes=frozenset(classes or ()), min_sitelinks=min_sitelinks, qids=wanted)
    lang_list = None if langs == "all" else tuple(x.strip() for x in langs.split(",") if x.strip())
    if bulk:
        filtered = bool(classes or min_sitelinks or wanted)
        return _bulk(files, kb, keep if filtered else None, lang_list, wikis, jobs, work, not no_bundled, progress,
                     as_json)
    reports = [import_file(kb, f, keep=keep, langs=lang_list, progress=progress and sys.stderr.isatty()) for f in files]
    if as_json:
        return _echo_json([dataclasses.asdict(r) for r in reports])
    for r in reports:
        typer.echo(f"{r.source}: {r.read} read, {r.imported} imported, {r.filtered} filtered, {len(r.errors)} bad lines")
        for line, msg in r.errors[:20]:
            typer.echo(f"  line {line}: {msg}", err=True)


def _bulk(files, kb, keep, langs, wikis, jobs, work, bundled, progress, as_json) -> None:
    from tqdm import tqdm

    from kgbuild.kb.bulk import bulk_import

    if len(files) != 1:
        raise KBError("`kgbuild kb import --bulk` takes one dump file (latest-all.json.gz or .json.bz2).")
    bar = tqdm(total=files[0].stat().st_size if files[0].is_file() else 0, unit="B", unit_scale=True,
               desc=files[0].name, file=sys.stderr, disable=not (progress and sys.stderr.isatty()))

    def step(done: int, total: int) -> None:
        bar.update(max(0, done - bar.n))

    try:
        report = bulk_import(files[0], kb, jobs=jobs, wikis=[w.strip() for w in wikis.split(",") if w.strip()],
                             langs=langs, keep=keep, work=work,
                             bundled=bundled, progress=step)
    finally:
        bar.close()
    if as_json:
        return _echo_json(dataclasses.asdict(report))
    typer.echo(f"{report.source}: {report.lines:,} lines, {report.parsed:,} parsed, {report.kept:,} items kept "
               f"({report.resumed_chunks} of {report.chunks} chunks from an earlier run), "
               f"{report.error_count} bad lines; {report.typed_by_hierarchy:,} typed through P279")
    typer.echo(f"{report.kb}: {report.entities:,} entities, {report.names:,} names "
               f"[{report.decompressor}, {report.parser}, {report.seconds}]")
    for line, msg in report.errors[:20]:
        typer.echo(f"  line {line}: {msg}", err=True)


@kb_app.command("fetch")
def fetch_cmd(
    preset: Annotated[Optional[str], typer.Option("--preset", help="A query shipped with kgbuild: leaders, parliamentarians, index-companies, football-clubs, universities, municipalities-dach.")] = None,
    sparql: Annotated[Optional[Path], typer.Option("--sparql", help="Your own SPARQL SELECT file (columns: see docs/KB.md).")] = None,
    kb: KBOpt = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="KB file to write (same as --kb).")] = None,
    endpoint: Annotated[str, typer.Option("--endpoint", help="SPARQL endpoint.")] = "https://query.wikidata.org/sparql",
    page_size: Annotated[int, typer.Option("--page-size", min=1, help="Rows per request (LIMIT/OFFSET paging).")] = 2000,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for one answer.")] = 90.0,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries on 429/5xx, timeouts, dropped connections.")] = 4,
    as_json: JsonOpt = False,
) -> None:
    """Fetch entities from the Wikidata Query Service into a KB file (a new file starts as a copy of the bundled KB)."""
    from kgbuild.kb.fetch import WDQSClient, fetch_into_kb, preset_query, presets

    if (preset is None) == (sparql is None):
        raise KBError(f"`kgbuild kb fetch` needs --preset NAME or --sparql FILE (one of them). "
                      f"Presets: {', '.join(presets())}.")
    target = out or kb
    if target is None:
        raise KBError("`kgbuild kb fetch` needs a target: pass --kb PATH or -o PATH "
                      "(a new file starts as a copy of the bundled KB).")
    if sparql is not None:
        if not sparql.is_file():
            raise KBError(f"SPARQL file '{sparql}' not found.")
        query, name = sparql.read_text(encoding="utf-8"), sparql.stem
    else:
        query, name = preset_query(preset), preset
    client = WDQSClient(endpoint=endpoint, timeout=timeout, retries=retries)
    report = fetch_into_kb(target, query, name, client=client, page_size=page_size)
    if as_json:
        return _echo_json(dataclasses.asdict(report))
    typer.echo(f"{report.query}: {report.rows} rows in {report.pages} page(s), {report.entities} entities "
               f"written to {report.kb} (snapshot {report.fetched})")
    if report.skipped:
        typer.echo(f"  columns not used: {', '.join(report.skipped)}", err=True)


@kb_app.command("compile")
def compile_cmd(
    data: Annotated[Optional[Path], typer.Option("--data", help="Folder with the shared source data sets (default: $KGBUILD_SOURCES, else shared/data beside the checkout).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Record file to write (default: the bundled one).")] = None,
    sqlite: Annotated[Optional[Path], typer.Option("--sqlite", help="Also build this KB file from the records.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Compile the bundled KB record file from the source data sets (and optionally a KB file)."""
    from kgbuild.kb.bundled import BUNDLED_RECORDS
    from kgbuild.kb.compile import compile_kb
    from kgbuild.kb.records import build_sqlite

    target = out or BUNDLED_RECORDS
    counts = compile_kb(data, target)
    if sqlite:
        build_sqlite(target, sqlite)
    if as_json:
        return _echo_json({"records": str(target), "sqlite": str(sqlite) if sqlite else None, "counts": counts})
    typer.echo(f"wrote {target} ({target.stat().st_size / 2**20:.1f} MiB)" + (f" and {sqlite}" if sqlite else ""))
    for name, count in counts.items():
        typer.echo(f"  {name:<34} {count:>9,}")
