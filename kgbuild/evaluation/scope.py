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

A document whose *links are not annotated* (annotated for recognition only) is left out of the linking scores
(InKB, D2KB, NIL, QIDs per document, reliability) and scored for recognition, when all of these hold:
- its format does not promise complete annotation (as above);
- it has gold mentions but none with a QID (NewsEye dev ``dev_de_1`` and dev2 ``test_de_1`` tag *Wien*, *Gent*,
  *Manchester*, *Belgien* and every other name NIL);
- at the share of QID mentions among the mentions of the file's documents that have any (pooled), at least
  ``MIN_EXPECTED`` of its mentions should have a QID: were each a QID with that chance, none would be with a
  chance below e^-5.
``--score-unannotated`` scores these documents' links as well.

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
#: the state of a document annotated for recognition but not for linking
LINKS_NOT_ANNOTATED = "links not annotated"


@dataclass(frozen=True)
class Annotation:
    """One document that looks unannotated (``state`` "not annotated") or partly annotated ("sparse")."""

    index: int  # position in the list of documents given
    doc: str
    file: str
    state: str  # "not annotated", "sparse" or "links not annotated"
    chars: int  # characters of the evaluation span
    gold_mentions: int
    expected: float  # gold mentions (for "links not annotated": gold QID mentions) expected in the file's way

    def as_dict(self) -> dict:
        return {"doc": self.doc, "file": self.file, "state": self.state, "chars": self.chars,
                "gold_mentions": self.gold_mentions, "expected": round(self.expected, 1)}


def _mentions_in_span(doc: GoldDocument) -> int:
    b, e = doc.span
    return sum(1 for m in doc.mentions if b <= m.start and m.end <= e)


def _qids_in_span(doc: GoldDocument) -> int:
    b, e = doc.span
    return sum(1 for m in doc.mentions if b <= m.start and m.end <= e and m.qid and not m.optional)


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
        out += _links_not_annotated(docs, file, idx, counts)
    return sorted(out, key=lambda a: a.index)


def _links_not_annotated(docs: Sequence[GoldDocument], file: str, idx: list[int], counts: dict[int, int]
                         ) -> list[Annotation]:
    """The documents of one file with gold mentions but no QID where the file's linked documents lead one to
    expect at least ``MIN_EXPECTED`` QID mentions (see the module docstring)."""
    qids = {i: _qids_in_span(docs[i]) for i in idx}
    linked = [i for i in idx if qids[i]]
    mentions = sum(counts[i] for i in linked)
    if not linked or not mentions:
        return []
    share = sum(qids[i] for i in linked) / mentions
    return [Annotation(i, docs[i].id, file, LINKS_NOT_ANNOTATED, _chars(docs[i]), counts[i], share * counts[i])
            for i in idx if counts[i] and not qids[i] and share * counts[i] >= MIN_EXPECTED]


def split_unannotated(docs: Sequence[GoldDocument], score_unannotated: bool = False
                      ) -> tuple[list[GoldDocument], dict]:
    """The documents to score, and the report's ``annotation`` section: which documents are not annotated
    (left out unless ``score_unannotated``), sparsely annotated (always scored) or annotated for recognition only
    (``links_annotated`` False, so left out of the linking scores, unless ``score_unannotated``), and the rule's
    constants."""
    from dataclasses import replace

    found = annotation_scope(docs)
    drop = set() if score_unannotated else {a.index for a in found if a.state == "not annotated"}
    no_links = set() if score_unannotated else {a.index for a in found if a.state == LINKS_NOT_ANNOTATED}
    section = {"not_annotated": [a.as_dict() for a in found if a.state == "not annotated"],
               "sparse": [a.as_dict() for a in found if a.state == "sparse"],
               "links_not_annotated": [a.as_dict() for a in found if a.state == LINKS_NOT_ANNOTATED],
               "not_annotated_scored": score_unannotated,
               "rule": {"min_expected": MIN_EXPECTED, "sparse_share": SPARSE_SHARE,
                        "complete_formats": sorted(COMPLETE_FORMATS)}}
    return [replace(d, links_annotated=False) if i in no_links else d
            for i, d in enumerate(docs) if i not in drop], section
