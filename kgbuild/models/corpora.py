"""Readers for the NER training corpora (GermEval 2014, HIPE-2022, LER) -> spaCy ``Doc``s with entities.

In: a TSV file path. Out: ``list[Doc]``, one Doc per sentence, with ``doc.ents`` set from the outer
(top-level) BIO column and every other token marked as outside ("O"), so a Doc tells the NER what is
*not* an entity too. Used by ``scripts/train_de.py``; nothing here runs at inference time.

GermEval's outer labels are PER, LOC, ORG, OTH and their ``*deriv`` (``russische`` = LOCderiv) and
``*part`` (``EU-Staaten`` = ORGpart) variants. OTH becomes MISC; what happens to the variants is the
``variants`` scheme: ``"drop"`` (they become O, the default: a demonym is the KB's job) or ``"misc"``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from spacy.tokens import Doc
from spacy.vocab import Vocab

from kgbuild.errors import InputError

#: GermEval / HIPE base types -> kgbuild types
BASE_TYPES = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "MISC", "HumanProd": "MISC"}
VARIANT_SCHEMES = ("drop", "misc")


def map_label(tag: str, variants: str = "drop") -> str:
    """One BIO tag of the corpus (``B-LOCderiv``) -> a kgbuild BIO tag (``O``, ``B-LOC``, ``B-MISC``)."""
    if variants not in VARIANT_SCHEMES:
        raise ValueError(f"unknown variant scheme {variants!r}; use one of {VARIANT_SCHEMES}")
    if tag in ("O", "_", ""):
        return "O"
    prefix, _, label = tag.partition("-")
    if prefix not in ("B", "I") or not label:
        raise InputError(f"malformed BIO tag {tag!r}: expected B-TYPE, I-TYPE or O")
    for suffix in ("deriv", "part"):
        if label.endswith(suffix) and label != suffix:
            return "O" if variants == "drop" else f"{prefix}-MISC"
    base = BASE_TYPES.get(label)
    if base is None:
        raise InputError(f"unknown entity type {label!r} in tag {tag!r}; known: {sorted(BASE_TYPES)}")
    return f"{prefix}-{base}"


def _repair_bio(tags: list[str]) -> list[str]:
    """Turn an I- that does not continue an entity of the same type into B- (after mapping/dropping)."""
    out: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and (not out or out[-1] == "O" or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def _repair_bio_missing(tags: list[str | None]) -> list[str | None]:
    """Like ``_repair_bio`` for tags where None marks an unannotated token."""
    out: list[str | None] = []
    for tag in tags:
        prev = out[-1] if out else None
        if tag and tag.startswith("I-") and (prev is None or prev == "O" or prev[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def _clean(token: str) -> str:
    cleaned = token.replace("\u00ad", "")
    return cleaned or token


def read_germeval_sentences(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """GermEval 2014 TSV -> (words, outer BIO tags) per sentence, tags as in the file."""
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if line.startswith("#\t") or not line.strip():
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise InputError(f"{path}:{lineno}: expected 'idx TAB token TAB outer TAB inner', got {line!r}")
            words.append(_clean(cols[1]))
            tags.append(cols[2])
    if words:
        yield words, tags


def read_hipe_sentences(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """HIPE-2022 TSV -> (words, coarse literal BIO tags) per sentence (split at EndOfSentence)."""
    words: list[str] = []
    tags: list[str] = []
    header: list[str] | None = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                if "TOKEN" not in header or "NE-COARSE-LIT" not in header:
                    raise InputError(f"{path}: not a HIPE TSV file (no TOKEN / NE-COARSE-LIT header)")
                continue
            row = dict(zip(header, cols, strict=False))
            words.append(row["TOKEN"])
            tags.append(row.get("NE-COARSE-LIT", "O"))
            if "EndOfSentence" in row.get("MISC", ""):
                yield words, tags
                words, tags = [], []
    if words:
        yield words, tags


#: LER (German Legal Entity Recognition) fine tags -> kgbuild types; norms, decisions, contracts and
#: literature (GS, VO, EUN, VS, VT, RS, LIT) have no counterpart and are left *unannotated* (missing),
#: so the NER is told neither that they are entities nor that they are not.
LER_TYPES = {"PER": "PER", "RR": "PER", "AN": "PER", "LD": "LOC", "ST": "LOC", "STR": "LOC", "LDS": "LOC",
             "ORG": "ORG", "UN": "ORG", "INN": "ORG", "GRT": "ORG", "MRK": "ORG"}


def read_ler_sentences(path: Path) -> Iterator[tuple[list[str], list[str | None]]]:
    """LER CoNLL (``token TAG``, CRLF, blank line between sentences) -> (words, kgbuild BIO tags or None)."""
    words: list[str] = []
    tags: list[str | None] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            if len(parts) != 2:
                raise InputError(f"{path}:{lineno}: expected 'token TAG', got {line.rstrip()!r}")
            word, tag = parts
            words.append(word)
            if tag == "O":
                tags.append("O")
                continue
            prefix, _, label = tag.partition("-")
            if prefix not in ("B", "I") or not label:
                raise InputError(f"{path}:{lineno}: malformed BIO tag {tag!r}")
            base = LER_TYPES.get(label)
            tags.append(f"{prefix}-{base}" if base else None)
    if words:
        yield words, tags


def to_doc(vocab: Vocab, words: list[str], tags: list[str], variants: str = "drop") -> Doc:
    """Words and corpus BIO tags -> a Doc whose entities are fully annotated (O is "not an entity")."""
    mapped = _repair_bio([map_label(t, variants) for t in tags])
    return Doc(vocab, words=words, ents=mapped)


def read_ner_docs(path: Path, vocab: Vocab, fmt: str = "germeval", variants: str = "drop") -> list[Doc]:
    """A GermEval (``fmt="germeval"``), HIPE (``fmt="hipe"``) or LER (``fmt="ler"``) file -> Docs with entities."""
    readers = {"germeval": read_germeval_sentences, "hipe": read_hipe_sentences}
    if fmt == "ler":
        return [Doc(vocab, words=words, ents=_repair_bio_missing(tags)) for words, tags in read_ler_sentences(Path(path))]
    if fmt not in readers:
        raise ValueError(f"unknown corpus format {fmt!r}; use one of {sorted(readers) + ['ler']}")
    return [to_doc(vocab, words, tags, variants) for words, tags in readers[fmt](Path(path))]
