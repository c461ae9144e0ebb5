"""Command ``kgbuild eval``: score what ``kgbuild build`` produces against gold annotations."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kgbuild.cli._app import app
from kgbuild.cli.build import KBOpt, LangOpt, MentionsOpt, ModelOpt, _mention_mode
from kgbuild.evaluation import GoldFormat, build_report, kb_coverage, read_gold, render_table, run, split_unannotated
from kgbuild.files import atomic_open
from kgbuild.pipeline import open_pipeline
from kgbuild.rdf import DEFAULT_MIN_CONFIDENCE


@app.command("eval")
def eval_cmd(
    gold: Annotated[list[Path], typer.Argument(help="Gold files: ELEVANT .jsonl, NIF .ttl, HIPE .tsv or kgbuild .json.")],
    fmt: Annotated[GoldFormat, typer.Option("--format", "-f", help="Gold format (auto: from suffix and content).")] = GoldFormat.auto,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON instead of a table.")] = False,
    lang: LangOpt = None,
    kb: KBOpt = None,
    model: ModelOpt = None,
    errors: Annotated[int, typer.Option("--errors", help="List at most N errors of each kind (-1: all, 0: none).")] = 10,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="Score relations at or above this confidence (as build writes them).")] = DEFAULT_MIN_CONFIDENCE,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Only the first N gold documents.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write the JSON report to this file.")] = None,
    mentions: MentionsOpt = "combined",
    skip_demonyms: Annotated[bool, typer.Option("--skip-demonyms", help="Do not score mentions that are adjectives or nouns of nationality ('deutschen', 'Russian'): for gold made under guidelines that never annotate them (HIPE, CoNLL).")] = False,
    score_unannotated: Annotated[bool, typer.Option("--score-unannotated", help="Also score documents of a benchmark that look not annotated (no gold mention where the file's other documents lead one to expect at least 5; never kgbuild gold); by default they are listed and left out.")] = False,
) -> None:
    """Score entity recognition, linking (InKB and on the gold's mentions, D2KB) and relations of kgbuild against gold annotations."""
    docs, annotation = split_unannotated(read_gold(gold, fmt), score_unannotated)
    if limit:
        docs = docs[:limit]
    pipeline = open_pipeline(kb, False, model, lang, mention_mode=_mention_mode(mentions))
    bar = _progress(len(docs))
    scores = list(run(docs, pipeline, lang=lang, min_confidence=min_confidence,
                      on_done=(lambda s: bar.update(1)) if bar else None, skip_demonyms=skip_demonyms))
    if bar:
        bar.close()
    meta = {"gold": [str(p) for p in gold], "format": fmt.value, "kb": str(kb) if kb else "bundled",
            "model": ", ".join(sorted({s.model for s in scores})), "min_confidence": min_confidence, "skip_demonyms": skip_demonyms,
            "mentions": mentions}
    report = build_report(scores, max_errors=errors, meta=meta)
    report["annotation"] = annotation
    kb_of_pipeline = getattr(pipeline, "kb", None)
    if kb_of_pipeline is not None:
        report["kb_coverage"] = kb_coverage(docs, kb_of_pipeline)
    if output:
        with atomic_open(output, "w") as fh:
            json.dump(report, fh, ensure_ascii=False, indent=1)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        typer.echo(render_table(report), nl=False)


def _progress(total: int):
    if total < 2 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, desc="kgbuild eval")
