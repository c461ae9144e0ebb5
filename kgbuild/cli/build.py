"""Commands ``kgbuild build``, ``kgbuild link``, ``kgbuild validate`` and ``kgbuild info``."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kgbuild import __version__
from kgbuild.cli._app import app, is_quiet, names_a_file
from kgbuild.errors import InputError, KgbuildError
from kgbuild.rdf import DEFAULT_BASE, DEFAULT_MIN_CONFIDENCE, RDFFormat, format_for_path

KBOpt = Annotated[Optional[Path], typer.Option("--kb", envvar="KGBUILD_KB", help="Knowledge base file (default: the bundled KB).")]
OnlineOpt = Annotated[bool, typer.Option("--online", help="Also ask the live Wikidata API (opt-in; falls back to the local KB).")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", help="spaCy model name or path; 'builtin' for the rule-based pipeline.")]
MentionsOpt = Annotated[str, typer.Option(
    "--mentions", help="Where mentions come from: 'combined' (KB spotter + name rules + the model's NER, merged), "
                       "'rules' (KB spotter + name rules only) or 'ner' (the model's NER only).")]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Force the language (de, en) instead of detecting it.")]


def _mention_mode(value: str) -> str:
    from kgbuild.pipeline import MENTION_MODES

    if value not in MENTION_MODES:
        raise InputError(f"--mentions {value!r}: use one of {', '.join(MENTION_MODES)}")
    return value


@app.command()
def build(
    inputs: Annotated[list[str], typer.Argument(help="Article files (.txt, .md), folders, JSONL files, or - for stdin.")],
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file (- for stdout), or a folder for one file per article.")] = None,
    fmt: Annotated[Optional[RDFFormat], typer.Option("--format", "-f", help="RDF format (default: from the file suffix, else Turtle).")] = None,
    lang: LangOpt = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Publication date (YYYY-MM-DD) of a single article.")] = None,
    url: Annotated[Optional[str], typer.Option("--url", help="URL of a single article.")] = None,
    base_iri: Annotated[str, typer.Option("--base-iri", help="Namespace of minted nodes.")] = DEFAULT_BASE,
    kb: KBOpt = None,
    online: OnlineOpt = False,
    model: ModelOpt = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="Write truthy triples only at or above this confidence.")] = DEFAULT_MIN_CONFIDENCE,
    any_lang: Annotated[bool, typer.Option("--any-lang", help="Process other languages with the language-independent parts only.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit non-zero when any input was skipped.")] = False,
    store: Annotated[Optional[Path], typer.Option("--store", help="Also write each document's graph into this embedded store (pyoxigraph).")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: one per usable CPU core, as many as the available memory holds).")] = None,
    state: Annotated[Optional[Path], typer.Option("--state", help="State file (SQLite) of incremental builds (default: next to the output for folders, JSONL, several files).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every article, ignoring the state file.")] = False,
    progress: Annotated[Optional[bool], typer.Option("--progress/--no-progress", help="Progress bar with articles/s (and shards with --cluster) on stderr (default: when stderr is a terminal and -q is not given).")] = None,
    mentions: MentionsOpt = "combined",
    cluster: Annotated[Optional[str], typer.Option("--cluster", help="Build on a Dask distributed cluster: the scheduler's address (tcp://HOST:8786); see docs/CORPUS.md.")] = None,
    shards: Annotated[int, typer.Option("--shards", min=1, help="With --cluster: split the articles into this many shards (by a hash of their ids), each a task with its own state; see docs/CORPUS.md.")] = 64,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="Read text inputs in this encoding (e.g. cp1252) instead of detecting it.")] = None,
    max_seconds: Annotated[Optional[float], typer.Option("--max-seconds", help="Time budget per article; an article over it is skipped with a message.")] = None,
) -> None:
    """Build the knowledge graph of news articles: entities linked to Wikidata, relations, events -> RDF."""
    from kgbuild.build import run_build
    from kgbuild.corpus import BuildOptions
    from kgbuild.corpus.options import default_jobs

    fmt = fmt or (format_for_path(output) if output and output != "-" else None) or RDFFormat.turtle
    options = BuildOptions(
        inputs=inputs, output=output, fmt=fmt, lang=lang, date=date, url=url, base_iri=base_iri, kb=kb,
        online=online, model=model, min_confidence=min_confidence, any_lang=any_lang, store=store, jobs=jobs or default_jobs(),
        state=state, force=force, progress=sys.stderr.isatty() and not is_quiet() if progress is None else progress,
        mentions=_mention_mode(mentions), cluster=cluster, shards=shards, encoding=encoding, max_seconds=max_seconds,
    )
    summary = run_build(options)
    if summary.articles == 0 and summary.unchanged == 0 and len(summary.skipped) == 1:
        typer.echo(f"kgbuild: error: {summary.skipped[0]}", err=True)  # one input, one clear line
        raise typer.Exit(1)
    typer.echo(summary.describe(), err=True)
    for skipped in summary.skipped:
        typer.echo(f"kgbuild: skipped: {skipped}", err=True)
    if summary.articles == 0 and summary.unchanged == 0:
        raise typer.Exit(1)
    if strict and summary.skipped:
        raise typer.Exit(2)


@app.command("link")
def link_cmd(
    text: Annotated[str, typer.Argument(help="Text to link, a file path, or - for stdin.")],
    lang: LangOpt = None,
    kb: KBOpt = None,
    online: OnlineOpt = False,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    mentions: MentionsOpt = "combined",
    explain: Annotated[bool, typer.Option("--explain", help="Show how each mention was decided (the model, a rule or document pass, the NIL threshold) and every candidate's features, their net contribution to its score, its probability and calibrated confidence.")] = False,
    date: Annotated[Optional[str], typer.Option("--date", help="Publication date (YYYY-MM-DD): a country is the state that existed then; a person born or an organisation founded later is no candidate.")] = None,
) -> None:
    """Show the mentions found in a text and the Wikidata items they link to."""
    from kgbuild.pipeline import open_pipeline
    from kgbuild.read import article_from_text, read_one

    if text == "-" or (len(text) < 4096 and "\n" not in text and names_a_file(text)):
        article = read_one(text, **({"published": date} if date else {}))
    else:
        article = article_from_text(text, source="argument", published=date)
    pipeline = open_pipeline(kb, online, model, lang, mention_mode=_mention_mode(mentions))
    if explain:
        from dataclasses import replace

        from kgbuild.linking import LinkerConfig
        from kgbuild.linking.explain import candidate_rows, mention_lines
        from kgbuild.linking.model import load_model

        pipeline.linker = replace(pipeline.linker or LinkerConfig(), explain=True)
        weights = load_model(pipeline.linker.weights)
    result = pipeline.process(article)
    rows = [
        {"start": m.start, "end": m.end, "text": m.text, "type": m.type, "source": m.source,
         "entity": m.entity_key, "confidence": m.confidence,
         "label": (result.entity(m.entity_key).label if m.entity_key and result.entity(m.entity_key) else None),
         "candidates": (candidate_rows(m, weights, article.text, result.lang, article.published) if explain else
                        [{"qid": c.qid, "name": c.name, "kind": c.kind, "prior": c.prior, "type": c.type,
                          "score": c.score} for c in m.candidates[:3]]),
         **({"decision": list(m.explanation)} if explain else {})}
        for m in result.mentions
    ]
    if as_json:
        typer.echo(json.dumps({"lang": result.lang, "model": result.model, "mentions": rows}, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{'span':>11}  {'type':4}  {'entity':26}  {'conf':>4}  text", err=False)
    for r in rows:
        ent = r["entity"] or "-"
        typer.echo(f"{r['start']:>5}-{r['end']:<5}  {r['type']:4}  {ent[:26]:26}  {r['confidence']:.2f}  {r['text']}"
                   + (f"  ({r['label']})" if r["label"] and r["label"] != r["text"] else ""))
        if explain:
            for line in mention_lines(r):
                typer.echo(line)

@app.command()
def validate(
    graphs: Annotated[list[Path], typer.Argument(help="RDF files written by kgbuild.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check graphs against kgbuild's SHACL shapes (ontology/shapes.ttl)."""
    from kgbuild.validate import validate_files

    results = validate_files(graphs)
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        for r in results:
            typer.echo(f"{r.path}: {'conforms' if r.conforms else 'does NOT conform'} ({r.triples} triples)")
            for line in r.messages[:20]:
                typer.echo(f"  {line}")
    if not all(r.conforms for r in results):
        raise typer.Exit(1)


@app.command()
def info(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
         kb: KBOpt = None) -> None:
    """Show the version, the knowledge base and the NLP models kgbuild uses."""
    data: dict = {"kgbuild": __version__, "python": sys.version.split()[0], "languages": ["de", "en"]}
    try:
        from kgbuild.kb import open_kb

        kbase = open_kb(kb)
        data["kb"] = {"path": str(getattr(kbase, "path", "")), "version": getattr(kbase, "version", "")}
        stats = getattr(kbase, "stats", None)
        if callable(stats):
            data["kb"]["stats"] = stats()
    except KgbuildError as exc:
        data["kb"] = {"error": str(exc)}
    try:
        from kgbuild.models import available_models, select_model

        data["models"] = [_model_dict(m) for m in available_models()]
        data["selected"] = {lang: _model_dict(select_model(lang)) for lang in ("de", "en")}
    except KgbuildError as exc:
        data["models"] = {"error": str(exc)}
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    typer.echo(f"kgbuild {data['kgbuild']} (Python {data['python']})")
    kbd = data.get("kb", {})
    typer.echo(f"knowledge base: {kbd.get('path') or kbd.get('error')}  version {kbd.get('version', '-')}")
    if isinstance(kbd.get("stats"), dict):
        for key, value in kbd["stats"].items():
            typer.echo(f"  {key}: {value}")
    for lang, m in (data.get("selected") or {}).items():
        typer.echo(f"model for {lang}: {m.get('name')} {m.get('version') or ''} ({m.get('source')})")
    for m in data.get("models") or []:
        if isinstance(m, dict):
            typer.echo(f"  available: {m.get('name')} {m.get('version') or ''} [{m.get('lang')}, {m.get('source')}]")


def _model_dict(info) -> dict:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(info):
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(info).items()}
    return {"name": str(info)}
