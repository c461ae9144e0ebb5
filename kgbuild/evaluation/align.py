"""Span alignment between gold and predicted mentions (one-to-one).

``strict``: the same span, also after both are widened to word boundaries (as ELEVANT does, so that
"Putin" in "Putins" or "Albert" in "Albert's" matches). ``overlap``: any shared character, largest overlap first.
In: lists of (start, end) and the text. Out: {gold index: predicted index}.
"""
from __future__ import annotations

Span = tuple[int, int]
_JOINERS = "'\"_"


def word_boundary(span: Span, text: str) -> Span:
    """Widen a span left and right over letters, digits and ' \" _ (not over spaces, hyphens or punctuation)."""
    start, end = span
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _JOINERS):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in _JOINERS):
        end += 1
    if text[start:start + 1] == '"' and '"' not in text[start + 1:end]:
        start += 1  # an opening quote before a name is not part of it
    return start, end


def strict_alignment(gold: list[Span], pred: list[Span], text: str) -> dict[int, int]:
    """Pairs with an identical span first, then pairs equal after widening to word boundaries."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    by_span: dict[Span, list[int]] = {}
    for j, p in enumerate(pred):
        by_span.setdefault(p, []).append(j)
    for i, g in enumerate(gold):
        j = next((j for j in by_span.get(g, []) if j not in used), None)
        if j is not None:
            pairs[i] = j
            used.add(j)
    widened = [word_boundary(p, text) for p in pred]
    for i, g in enumerate(gold):
        if i in pairs:
            continue
        keys = {g, word_boundary(g, text)}
        j = next((j for j, p in enumerate(pred) if j not in used and (p in keys or widened[j] in keys)), None)
        if j is not None:
            pairs[i] = j
            used.add(j)
    return pairs


def overlap_alignment(gold: list[Span], pred: list[Span]) -> dict[int, int]:
    """Greedy one-to-one pairing by the largest number of shared characters (at least one)."""
    cands = []
    for i, (gs, ge) in enumerate(gold):
        for j, (ps, pe) in enumerate(pred):
            shared = min(ge, pe) - max(gs, ps)
            if shared > 0:
                cands.append((-shared, i, j))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in sorted(cands):
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs
