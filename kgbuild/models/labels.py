"""Entity labels of spaCy pipelines -> kgbuild's coarse types (PER / LOC / ORG / MISC).

In: a label string from any pipeline (OntoNotes labels of en_core_web_*, WikiNER labels of de_core_news_*,
kgbuild's own). Out: one of ``kgbuild.types.ENTITY_TYPES``, or None for labels that are not names
(DATE, MONEY, CARDINAL, ...), which the mention stage should ignore.
"""
from __future__ import annotations

_COARSE = {
    "PER": "PER", "PERSON": "PER",
    "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
    "ORG": "ORG",
    "MISC": "MISC", "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC",
}


def coarse_type(label: str) -> str | None:
    """``"PERSON"`` -> ``"PER"``, ``"GPE"`` -> ``"LOC"``, ``"DATE"`` -> None."""
    return _COARSE.get(label.upper())
