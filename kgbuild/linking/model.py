"""The learned linking model: logistic regression over ``features.FEATURE_NAMES``, then Platt calibration.

The weights live in ``kgbuild/data/linker/weights.json`` (written by ``scripts/train_linker.py``, which also
says which data trained them). ``probability(vector)`` is the calibrated probability that a candidate is the
right entity of its mention; the linker writes it as the link's confidence.
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from kgbuild.errors import KgbuildError
from kgbuild.linking.features import FEATURE_NAMES

log = logging.getLogger(__name__)

DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "linker" / "weights.json"


class LinkerModelError(KgbuildError, ValueError):
    """A linker weights file that cannot be read."""


@dataclass(frozen=True)
class LinkerModel:
    weights: tuple[float, ...]  # in FEATURE_NAMES order (features the file lacks weigh 0)
    platt_a: float = 1.0
    platt_b: float = 0.0
    threshold: float = 0.5  # below this calibrated probability a mention stays unlinked
    source: str = ""

    def raw(self, vector: Sequence[float]) -> float:
        return sum(w * x for w, x in zip(self.weights, vector, strict=False))

    def probability(self, vector: Sequence[float]) -> float:
        z = self.platt_a * self.raw(vector) + self.platt_b
        return 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, z))))

    def contributions(self, vector: Sequence[float]) -> dict[str, float]:
        """Each feature's share of the raw score (weight × value), for ``kgbuild link --explain``."""
        return {name: round(w * x, 4) for name, w, x in zip(FEATURE_NAMES, self.weights, vector, strict=False) if w * x}

    @classmethod
    def from_dict(cls, data: dict, source: str = "") -> "LinkerModel":
        named = data.get("weights")
        if not isinstance(named, dict):
            raise LinkerModelError(f"{source}: no 'weights' object")
        unknown = set(named) - set(FEATURE_NAMES)
        if unknown:
            log.warning("%s: weights for unknown features ignored: %s", source, ", ".join(sorted(unknown)))
        cal = data.get("calibration", {})
        return cls(tuple(float(named.get(n, 0.0)) for n in FEATURE_NAMES), float(cal.get("a", 1.0)),
                   float(cal.get("b", 0.0)), float(data.get("threshold", 0.5)), source)


def load_model(path: str | Path | None = None) -> LinkerModel:
    """The linker model at ``path`` (default: the bundled weights)."""
    return _load(str(Path(path).resolve()) if path else str(DEFAULT_WEIGHTS))


@lru_cache(maxsize=8)
def _load(path: str) -> LinkerModel:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LinkerModelError(f"{path}: cannot read linker weights: {exc}") from exc
    return LinkerModel.from_dict(data, path)
