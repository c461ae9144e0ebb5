"""``kgbuild eval``: score kgbuild against gold annotations (ELEVANT JSONL, NIF 2.1, HIPE-2022 TSV, kgbuild JSON).

gold file -> ``read_gold`` -> ``GoldDocument`` -> ``split_unannotated`` (documents nobody annotated are left out)
-> ``Pipeline.process`` (the code path of ``kgbuild build``) -> ``score_document`` (mentions, linking InKB and
D2KB, relations) -> ``build_report`` -> dict / ``render_table``.
See docs/EVALUATION.md for the gold format and the exact counting rules.
"""
from kgbuild.evaluation.coverage import kb_coverage
from kgbuild.evaluation.formats import GoldFormat, detect_format, read_gold
from kgbuild.evaluation.gold import GoldDocument, GoldMention, GoldRelation, check_document
from kgbuild.evaluation.metrics import Counts
from kgbuild.evaluation.report import build_report, render_table
from kgbuild.evaluation.runner import DocScore, article_of, run, score_document
from kgbuild.evaluation.scope import annotation_scope, split_unannotated

__all__ = ["Counts", "DocScore", "GoldDocument", "GoldFormat", "GoldMention", "GoldRelation", "annotation_scope",
           "article_of", "build_report", "check_document", "detect_format", "kb_coverage", "read_gold", "render_table", "run",
           "score_document", "split_unannotated"]
