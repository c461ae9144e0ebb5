"""The gold model every reader produces, and the checker that every gold document passes through.

In: whatever a reader parsed. Out: ``GoldDocument`` (text, mentions with QID or NIL, relations), or a
``GoldError`` with one line that names the file, the place and the fix.
Offsets are Python ``str`` character offsets into ``GoldDocument.text``, end exclusive (as in kgbuild output).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from kgbuild.errors import GoldError
from kgbuild.types import ENTITY_TYPES

#: statuses a gold relation may carry ("announced" counts as "planned" when scoring)
STATUSES = ("planned", "announced", "happened")
_QID = re.compile(r"^Q[1-9][0-9]*$")


def is_qid(value: object) -> bool:
    return isinstance(value, str) and bool(_QID.match(value))


def normalize_name(name: str) -> str:
    """'Jens  Stoltenberg' / 'jens-stoltenberg' / 'Jéns Stoltenberg' -> 'jens stoltenberg' (case, accents, punctuation)."""
    name = name.replace("ß", "ss")
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", name).split())


@dataclass(frozen=True)
class GoldMention:
    """One annotated span. ``qid`` None = NIL (not in the KB). ``entity`` refers to the gold entity (QID or name)."""

    start: int
    end: int
    qid: str | None
    type: str | None  # PER / LOC / ORG / MISC, None when the gold has no type
    entity: str
    optional: bool = False  # ELEVANT "optional": neither required nor wrong when found with the right QID
    text: str | None = None  # the expected span text, when the gold states it


@dataclass(frozen=True)
class GoldRelation:
    """``subject``/``object``: a QID or the name of an unlinked gold entity; ``object`` None for ``says``."""

    subject: str
    predicate: str
    object: str | None
    status: str | None = None
    evidence: tuple[int, int] | None = None


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    lang: str | None
    mentions: tuple[GoldMention, ...]
    relations: tuple[GoldRelation, ...] = ()
    relations_annotated: bool = False  # False for formats without relations (they are not scored)
    date: dt.date | None = None
    eval_span: tuple[int, int] | None = None  # only mentions inside it count (ELEVANT evaluation_span)
    source: str = ""  # file[:line] for messages
    names: dict[str, str] = field(default_factory=dict)  # entity ref -> display name
    file: str = ""  # the gold file it was read from (set by ``read_gold``)
    format: str = ""  # that file's format: "elevant", "nif", "hipe" or "kgbuild" (set by ``read_gold``)
    links_annotated: bool = True  # False: annotated for recognition only (``kgbuild.evaluation.scope``)

    @property
    def span(self) -> tuple[int, int]:
        return self.eval_span or (0, len(self.text))


def check_document(doc: GoldDocument) -> GoldDocument:
    """Raise ``GoldError`` unless every offset lies in the text, every stated span text matches, types and
    statuses are known and every relation names a gold entity. Returns ``doc`` unchanged."""
    where = doc.source or doc.id
    if not doc.text:
        raise GoldError(f"{where}: document {doc.id!r} has no text; give 'text' or 'text_file'")
    n = len(doc.text)
    b, e = doc.span
    if not (0 <= b <= e <= n):
        raise GoldError(f"{where}: evaluation span [{b}, {e}] lies outside the text (length {n})")
    for m in doc.mentions:
        _check_mention(m, doc.text, where)
    refs = {m.entity for m in doc.mentions} | set(doc.names)
    for r in doc.relations:
        _check_relation(r, refs, n, where)
    return doc


def _check_mention(m: GoldMention, text: str, where: str) -> None:
    if not (isinstance(m.start, int) and isinstance(m.end, int)) or not (0 <= m.start < m.end <= len(text)):
        raise GoldError(f"{where}: mention [{m.start}, {m.end}] of {m.entity!r} lies outside the text "
                        f"(length {len(text)}); offsets are character offsets, end exclusive")
    if m.text is not None and text[m.start:m.end] != m.text:
        raise GoldError(f"{where}: mention [{m.start}, {m.end}] should read {m.text!r} but the text there is "
                        f"{text[m.start:m.end]!r}; fix the offsets or the text")
    if m.qid is not None and not is_qid(m.qid):
        raise GoldError(f"{where}: mention [{m.start}, {m.end}] has id {m.qid!r}; use a QID like 'Q7747' or null for NIL")
    if m.type is not None and m.type not in ENTITY_TYPES:
        raise GoldError(f"{where}: mention [{m.start}, {m.end}] has type {m.type!r}; use one of {', '.join(ENTITY_TYPES)}")


def _check_relation(r: GoldRelation, refs: set[str], n: int, where: str) -> None:
    label = f"relation {r.subject!r} {r.predicate} {r.object!r}"
    if not r.predicate or not isinstance(r.predicate, str):
        raise GoldError(f"{where}: {label} has no predicate")
    for end in (r.subject, r.object):
        if end is not None and end not in refs:
            raise GoldError(f"{where}: {label} refers to {end!r}, which is no gold entity; use an entity's QID, "
                            f"or for an unlinked one its 'name'")
    if r.subject is None:
        raise GoldError(f"{where}: {label} has no subject")
    if r.status is not None and r.status not in STATUSES:
        raise GoldError(f"{where}: {label} has status {r.status!r}; use one of {', '.join(STATUSES)} or leave it out")
    if r.evidence is not None and not (0 <= r.evidence[0] <= r.evidence[1] <= n):
        raise GoldError(f"{where}: {label} has evidence {list(r.evidence)} outside the text (length {n})")
