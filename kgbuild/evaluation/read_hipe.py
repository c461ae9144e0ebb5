"""Reader of HIPE-2022 TSV (github.com/hipe-eval/HIPE-2022-data): NER + Wikidata linking gold.

In: a path. Columns TOKEN NE-COARSE-LIT ... NEL-LIT ... MISC; documents start at ``# hipe2022:document_id``.
The text is rebuilt from the tokens: a space after each token, nothing after ``NoSpaceAfter``, a newline after
``EndOfLine``. Except: ``NoSpaceAfter`` between two tokens that both touch it with a letter or digit, or after an
``EndOfSentence`` or a comma, semicolon or colon before a letter or digit, stands for a separator the file lost
(NewsEye's German files mark every line end without a hyphen and every sentence end ``NoSpaceAfter``:
"Italien|über", "gestern|vor", ".|Politische"; two word tokens are never one word, else they would be one
token): a space there (a newline with ``EndOfLine``). The gold spans are unchanged: they are tokens. Mentions are the BIO spans of NE-COARSE-LIT (PER, LOC, ORG; HumanProd -> MISC); the QID is the
NEL-LIT value of the first token ("NIL" or "_" -> NIL). Out: checked ``GoldDocument``s.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from kgbuild.errors import GoldError
from kgbuild.evaluation.gold import GoldDocument, GoldMention, check_document, is_qid

TYPE_MAP = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "HumanProd": "MISC"}
HEADER = "TOKEN\tNE-COARSE-LIT"


class _Doc:
    """Accumulates one document while the TSV is read."""

    def __init__(self, doc_id: str, where: str) -> None:
        self.id, self.where = doc_id, where
        self.parts: list[str] = []
        self.pos = 0
        self.lang: str | None = None
        self.date: dt.date | None = None
        self.mentions: list[GoldMention] = []
        self.open: list | None = None  # [start, end, type, qid]
        self.last: tuple[str, set[str]] | None = None  # the previous token and its MISC flags

    def add_token(self, token: str, tag: str, qid: str, misc: str, where: str) -> None:
        if self.last is not None:
            sep = _separator(*self.last, token)
            self.parts.append(sep)
            self.pos += len(sep)
        start = self.pos
        self.parts.append(token)
        self.pos += len(token)
        self._tag(tag, start, self.pos, qid, where)
        self.last = (token, set(misc.split("|")))

    def _tag(self, tag: str, start: int, end: int, qid: str, where: str) -> None:
        if tag.startswith("I-") and self.open is not None and self.open[2] == TYPE_MAP.get(tag[2:]):
            self.open[1] = end
            return
        self.close()
        if tag == "O" or tag == "_":
            return
        if tag[:2] not in ("B-", "I-") or tag[2:] not in TYPE_MAP:
            raise GoldError(f"{where}: unknown NE-COARSE-LIT tag {tag!r}; expected O, B-/I- with {', '.join(TYPE_MAP)}")
        self.open = [start, end, TYPE_MAP[tag[2:]], qid if is_qid(qid) else None]

    def close(self) -> None:
        if self.open is not None:
            start, end, typ, qid = self.open
            self.mentions.append(GoldMention(start, end, qid, typ, qid or f"nil@{start}"))
            self.open = None

    def build(self) -> GoldDocument:
        self.close()
        text = "".join(self.parts).rstrip()
        doc = GoldDocument(id=self.id, text=text, lang=self.lang, mentions=tuple(self.mentions), date=self.date,
                           source=self.where)
        return check_document(doc)


def _separator(token: str, flags: set[str], following: str) -> str:
    """What stands between ``token`` (with its MISC ``flags``) and the ``following`` token in the text."""
    eol = "EndOfLine" in flags
    if "NoSpaceAfter" not in flags:
        return "\n" if eol else " "
    nxt = following[:1]
    if nxt.isalnum() and (token[-1:].isalnum() or "EndOfSentence" in flags
                          or token[-1:] in ",;:" and nxt.isalpha()):
        return "\n" if eol else " "  # a line or sentence end whose separator the file lost
    return ""


def read_hipe(path: Path) -> list[GoldDocument]:
    docs: list[_Doc] = []
    cols: dict[str, int] | None = None
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            where = f"{path}:{lineno}"
            if line.startswith("TOKEN\t"):
                cols = {name: i for i, name in enumerate(line.split("\t"))}
            elif line.startswith("#"):
                _comment(line, docs, where)
            elif line.strip():
                if cols is None or not docs:
                    raise GoldError(f"{where}: token line before the header/document id; is this a HIPE-2022 TSV file?")
                _token(line.split("\t"), cols, docs[-1], where)
    if not docs:
        raise GoldError(f"{path}: no '# hipe2022:document_id' lines; is this a HIPE-2022 TSV file?")
    return [d.build() for d in docs]


def _comment(line: str, docs: list[_Doc], where: str) -> None:
    key, _, value = line.lstrip("# ").partition("=")
    key, value = key.strip(), value.strip()
    if key == "hipe2022:document_id":
        docs.append(_Doc(value, where))
    elif docs and key == "hipe2022:language":
        docs[-1].lang = value
    elif docs and key == "hipe2022:date":
        try:
            docs[-1].date = dt.date.fromisoformat(value[:10])
        except ValueError:
            docs[-1].date = None


def _token(fields: list[str], cols: dict[str, int], doc: _Doc, where: str) -> None:
    def col(name: str) -> str:
        i = cols.get(name)
        return fields[i] if i is not None and i < len(fields) else "_"

    if "NE-COARSE-LIT" not in cols:
        raise GoldError(f"{where}: the header has no NE-COARSE-LIT column")
    doc.add_token(fields[0], col("NE-COARSE-LIT"), col("NEL-LIT"), col("MISC"), where)
