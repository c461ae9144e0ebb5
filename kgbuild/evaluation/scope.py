"""Which gold documents were annotated at all (the scope of scoring).

Some benchmarks ship documents that nobody annotated: five of the twelve documents of HIPE-2022 NewsEye German
dev (10,000-45,000 characters each) carry no entity tag, though they name hundreds of places and persons.
Scored, every link kgbuild makes there is a false positive, and the figure says nothing about linking.

A document is *not annotated* (left out of scoring unless asked, listed in the report) when all of these hold:
- its gold file's format does not promise complete annotation: ELEVANT, NIF and HIPE do not; a kgbuild gold
  document does (its guidelines annotate every name, so an empty ``entities`` list states that the text names
  nothing, and such a document is always scored);
- it has no gold mention at all inside its evaluation span (NIL and optional mentions are mentions);
- other documents of the same gold file have gold mentions;
- at the density of gold mentions of those annotated documents (mentions per character of evaluated text,
  pooled) it should have at least ``MIN_EXPECTED`` of them. Were the count Poisson with that mean, a document
  annotated like the others would have none with a chance below 1 % (e^-5 = 0.7 %). A short sentence that
  names nothing (Spotlight's 96 characters "Visitors with a stake in art-as-uplift …", 3.3 expected) is scored.
A scored document with fewer than ``SPARSE_SHARE`` of the mentions its length leads one to expect (at least
``MIN_EXPECTED`` expected) is listed as *sparsely annotated*, and scored: only the linking figures on the gold's
own mentions (D2KB) are fair there.

In: ``GoldDocument``s (``file`` and ``format`` set by ``read_gold``). Out: ``Annotation`` rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kgbuild.evaluation.gold import GoldDocument

#: below this many expected gold mentions, a document without any may just name nothing
MIN_EXPECTED = 5.0
#: a document with fewer than this share of its expected gold mentions is listed as sparsely annotated
SPARSE_SHARE = 0.1
#: formats whose every document is annotated completely (an empty list of entities is a statement)
COMPLETE_FORMATS = frozenset({"kgbuild"})


@dataclass(frozen=True)
class Annotation:
    """One document that looks unannotated (``state`` "not annotated") or partly annotated ("sparse")."""

    index: int  # position in the list of documents given
    doc: str
    file: str
    state: str  # "not annotated" or "sparse"
    chars: int  # characters of the evaluation span
    gold_mentions: int
    expected: float  # gold mentions expected at the file's density

    def as_dict(self) -> dict:
        return {"doc": self.doc, "file": self.file, "state": self.state, "chars": self.chars,
                "gold_mentions": self.gold_mentions, "expected": round(self.expected, 1)}


def _mentions_in_span(doc: GoldDocument) -> int:
    b, e = doc.span
    return sum(1 for m in doc.mentions if b <= m.start and m.end <= e)


def _chars(doc: GoldDocument) -> int:
    b, e = doc.span
    return e - b


def annotation_scope(docs: Sequence[GoldDocument]) -> list[Annotation]:
    """The documents that look not annotated or sparsely annotated, by the rule of the module docstring."""
    by_file: dict[tuple[str, str], list[int]] = {}
    for i, doc in enumerate(docs):
        by_file.setdefault((doc.file or doc.source, doc.format), []).append(i)
    out: list[Annotation] = []
    for (file, fmt), idx in by_file.items():
        if fmt in COMPLETE_FORMATS:
            continue
        counts = {i: _mentions_in_span(docs[i]) for i in idx}
        annotated = [i for i in idx if counts[i]]
        chars = sum(_chars(docs[i]) for i in annotated)
        if not annotated or not chars:
            continue
        density = sum(counts[i] for i in annotated) / chars
        for i in idx:
            expected = density * _chars(docs[i])
            if expected < MIN_EXPECTED:
                continue
            if counts[i] == 0:
                state = "not annotated"
            elif counts[i] < SPARSE_SHARE * expected:
                state = "sparse"
            else:
                continue
            out.append(Annotation(i, docs[i].id, file, state, _chars(docs[i]), counts[i], expected))
    return sorted(out, key=lambda a: a.index)


def split_unannotated(docs: Sequence[GoldDocument], score_unannotated: bool = False
                      ) -> tuple[list[GoldDocument], dict]:
    """The documents to score, and the report's ``annotation`` section: which documents are not annotated
    (left out unless ``score_unannotated``) or sparsely annotated (always scored), and the rule's constants."""
    found = annotation_scope(docs)
    drop = set() if score_unannotated else {a.index for a in found if a.state == "not annotated"}
    section = {"not_annotated": [a.as_dict() for a in found if a.state == "not annotated"],
               "sparse": [a.as_dict() for a in found if a.state == "sparse"],
               "not_annotated_scored": score_unannotated,
               "rule": {"min_expected": MIN_EXPECTED, "sparse_share": SPARSE_SHARE,
                        "complete_formats": sorted(COMPLETE_FORMATS)}}
    return [d for i, d in enumerate(docs) if i not in drop], section
