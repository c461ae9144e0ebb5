"""Counts and precision / recall / F1, micro (summed counts) and macro (mean of per-document scores).

Conventions (GERBIL's): with no true positive, P = R = F1 = 1 when there was nothing to find and nothing was
predicted, else 0; macro F1 is the mean of the per-document F1 values (not the F1 of macro P and R).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> "Counts":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def empty(self) -> bool:
        return self.tp == self.fp == self.fn == 0

    def scores(self) -> tuple[float, float, float]:
        """(precision, recall, F1) in [0, 1]."""
        if self.tp == 0:
            return (1.0, 1.0, 1.0) if self.fp == 0 and self.fn == 0 else (0.0, 0.0, 0.0)
        p = self.tp / (self.tp + self.fp)
        r = self.tp / (self.tp + self.fn)
        return p, r, 2 * p * r / (p + r)

    def as_dict(self) -> dict:
        p, r, f = self.scores()
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def micro(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total.add(c)
    return total


def macro(counts: Iterable[Counts]) -> dict:
    """Mean per-document precision, recall and F1 over the given documents' counts."""
    rows = [c.scores() for c in counts]
    if not rows:
        return {"documents": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    n = len(rows)
    return {"documents": n, "precision": round(sum(r[0] for r in rows) / n, 4),
            "recall": round(sum(r[1] for r in rows) / n, 4), "f1": round(sum(r[2] for r in rows) / n, 4)}
