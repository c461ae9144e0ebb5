"""Reader of kgbuild's own gold format (JSON: one document, a list of documents, or JSONL one per line).

In: a path. Out: checked ``GoldDocument``s. The format is documented in docs/EVALUATION.md::

    {"id": "...", "lang": "de", "date": "2024-06-18", "text": "..." | "text_file": "a.txt",
     "entities": [{"id": "Q7747" | null, "name": "...", "type": "PER", "mentions": [[30, 44, "Wladimir Putin"], ...]}],
     "relations": [{"subject": "Q7747", "predicate": "visits", "object": "Q423", "status": "planned", "evidence": [b, e]}]}
"""
from __future__ import annotations

import json
from pathlib import Path

from kgbuild.errors import GoldError, InputError
from kgbuild.evaluation.gold import GoldDocument, GoldMention, GoldRelation, check_document, is_qid
from kgbuild.read import parse_date


def read_kgbuild(path: Path) -> list[GoldDocument]:
    """Every document of a kgbuild gold file (``.json`` object or list, or ``.jsonl``)."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix in (".jsonl", ".ndjson"):
        items = [(_loads(line, f"{path}:{i}"), f"{path}:{i}") for i, line in enumerate(raw.splitlines(), 1) if line.strip()]
    else:
        data = _loads(raw, str(path))
        items = [(d, f"{path}#{i}") for i, d in enumerate(data)] if isinstance(data, list) else [(data, str(path))]
    return [parse_document(d, where, path.parent) for d, where in items]


def _loads(text: str, where: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{where}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def parse_document(data: dict, where: str, base: Path) -> GoldDocument:
    """One gold document from its JSON object; ``text_file`` is read relative to ``base``."""
    if not isinstance(data, dict) or not isinstance(data.get("entities", []), list):
        raise GoldError(f"{where}: a kgbuild gold document is a JSON object with 'id', 'text' or 'text_file', 'entities'")
    text = _text_of(data, where, base)
    mentions, names = [], {}
    for ent in data.get("entities", []):
        ref, ms = _entity(ent, where)
        if ref in names and not is_qid(ref):
            raise GoldError(f"{where}: two unlinked entities are named {ref!r}; names of NIL entities must be unique")
        names[ref] = ent.get("name") or ref
        mentions.extend(ms)
    relations = [_relation(r, where) for r in data.get("relations", []) or []]
    try:
        date = parse_date(data.get("date"), f"{where}: ")
    except InputError as exc:
        raise GoldError(str(exc)) from None
    doc = GoldDocument(id=str(data.get("id") or Path(where.split("#")[0]).stem), text=text, lang=data.get("lang"),
                       mentions=tuple(sorted(mentions, key=lambda m: (m.start, m.end))), relations=tuple(relations),
                       relations_annotated="relations" in data, date=date, source=where, names=names)
    return check_document(doc)


def _text_of(data: dict, where: str, base: Path) -> str:
    if isinstance(data.get("text"), str):
        return data["text"]
    if isinstance(data.get("text_file"), str):
        path = base / data["text_file"]
        if not path.is_file():
            raise GoldError(f"{where}: text_file {str(path)!r} does not exist; put the article next to the gold file")
        return path.read_text(encoding="utf-8")
    raise GoldError(f"{where}: document has neither 'text' nor 'text_file'")


def _entity(ent: dict, where: str) -> tuple[str, list[GoldMention]]:
    if not isinstance(ent, dict) or not isinstance(ent.get("mentions", []), list):
        raise GoldError(f"{where}: each entity is an object with 'id', 'name', 'type', 'mentions'")
    qid = ent.get("id")
    name = ent.get("name")
    if qid is None and not name:
        raise GoldError(f"{where}: an unlinked entity (id null) needs a 'name'")
    ref = qid if qid is not None else name
    out = []
    for m in ent.get("mentions", []):
        if not isinstance(m, (list, tuple)) or len(m) not in (2, 3):
            raise GoldError(f"{where}: mention {m!r} of {ref!r} must be [start, end] or [start, end, text]")
        out.append(GoldMention(m[0], m[1], qid, ent.get("type"), ref, bool(ent.get("optional", False)),
                               m[2] if len(m) == 3 else None))
    return ref, out


def _relation(r: dict, where: str) -> GoldRelation:
    if not isinstance(r, dict):
        raise GoldError(f"{where}: each relation is an object with 'subject', 'predicate', 'object'")
    ev = r.get("evidence")
    if ev is not None and (not isinstance(ev, list) or len(ev) != 2):
        raise GoldError(f"{where}: relation evidence {ev!r} must be [start, end]")
    return GoldRelation(r.get("subject"), r.get("predicate"), r.get("object"), r.get("status"),
                        tuple(ev) if ev is not None else None)
