"""What ``kgbuild link --explain`` shows: how the linker decided each mention, and why each candidate scored as it did.

In: the linker's rankings before and after each rule and document pass, its route for each mention (the model, the
floor, an earlier full name, NIL) and the calibration's verdict; out: ``Mention.explanation``, one line per step that
changed something, in order (``Trace``; filled only with ``LinkerConfig(explain=True)``, never part of a decision).
For the command line: every candidate as data (``candidate_rows``: its features, each feature's net contribution
to the logit of its probability, its confidence and the NIL threshold it is held to) and as text (``mention_lines``).
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from kgbuild.linking.features import FEATURE_NAMES
from kgbuild.linking.model import LinkerModel, logit
from kgbuild.types import Candidate, Mention

#: what each rule or pass after the model's ranking does, in the words ``--explain`` prints
STAGES: dict[str, str] = {
    "by_occupation_lead": "an occupation named beside a lone name (persons.by_occupation_lead)",
    "by_coherence": "the person the document's other entities relate to (persons.by_coherence)",
    "by_given_name": "a first name alone settled by the document (given_names.by_given_name)",
    "unsettled_namesakes": "namesakes the document does not tell apart (persons.unsettled_namesakes)",
    "persons_not_places": "a person's verb after the name: no place (persons.persons_not_places)",
    "one_sense": "one reading per name in a document (the mentions' best support)",
    "country_namesakes_first": "the namesake of the article's country (linking._country_namesakes_first)",
    "period": "the state that existed at the article's date (periods.at_date)",
}


def _lead(ranked: Sequence[Candidate]) -> Candidate | None:
    return ranked[0] if ranked else None


class Trace:
    """The explanation of each mention of one document (by index), built step by step."""

    def __init__(self) -> None:
        self.lines: dict[int, list[str]] = {}

    def note(self, i: int, line: str) -> None:
        self.lines.setdefault(i, []).append(line)

    def scored(self, ranked: Sequence[Sequence[Candidate]]) -> None:
        for i, r in enumerate(ranked):
            if r:
                self.note(i, f"model: {r[0].qid} ranks first, p={r[0].score:.3f}"
                             + (f" (next {r[1].qid}, p={r[1].score:.3f})" if len(r) > 1 else ""))

    def rankings(self, stage: str, before: Sequence[Sequence[Candidate]], after: Sequence[Sequence[Candidate]]
                 ) -> Sequence[Sequence[Candidate]]:
        """Notes each mention whose leading candidate ``stage`` changed (another one, its probability, a mark)."""
        for i, (b, a) in enumerate(zip(before, after, strict=False)):
            old, new = _lead(b), _lead(a)
            if new is None or old == new:
                continue
            if old is None or old.qid != new.qid:
                change = f"{old.qid if old else 'nothing'} -> {new.qid}, p={new.score:.3f}"
            elif old.score != new.score:
                change = f"{new.qid} p {old.score:.3f} -> {new.score:.3f}"
            else:
                marks = sorted(set(dict(new.features)) - set(dict(old.features)))
                if not marks:
                    continue
                change = f"{new.qid} marked {', '.join(marks)}"
            self.note(i, f"rule: {STAGES.get(stage, stage)}: {change}")
        return after

    def mentions(self, stage: str, before: Sequence[Mention], after: Sequence[Mention]) -> list[Mention]:
        self.rankings(stage, [m.candidates for m in before], [m.candidates for m in after])
        return list(after)

    def route(self, i: int, mention: Mention, how: tuple[str, int | None], source: Mention | None,
              threshold: float, floor: tuple[float, float]) -> None:
        """How ``_decide`` settled the mention: the model's threshold, the floor, an earlier full name, or NIL."""
        route, _ = how
        best = _lead(mention.candidates)
        if route == "alias" and source is not None:
            self.note(i, f"decided: repeats the full name {source.text!r} of the article -> {source.entity_key}")
        elif route == "model":
            self.note(i, f"decided: model, p={best.score:.3f} >= the model's threshold {threshold:.2f}")
        elif route == "floor":
            self.note(i, f"decided: floor, p={best.score:.3f} below the model's threshold {threshold:.2f} but >= "
                         f"{floor[0]:.2f} with the former score >= {floor[1]:.2f}")
        elif best is None:
            self.note(i, "decided: NIL, no KB candidate")
        else:
            feats = dict(best.features)
            why = ("a first name alone with nothing in the document for this bearer" if feats.get("given_name_unsupported")
                   else "namesakes the document does not tell apart" if feats.get("namesake_unsettled")
                   else f"p={best.score:.3f} below the model's threshold {threshold:.2f}")
            self.note(i, f"decided: NIL, {why}")

    def calibrated(self, i: int, probability: float, classes: frozenset[str], conf: float, cut: float,
                   kept: bool, bound: float, source_dropped: bool = False) -> None:
        """The confidence written (``Calibration``), the NIL threshold it was held to and the verdict."""
        capped = f", capped by the bound of links of its kind ({bound:.3f}; never below the NIL threshold)" \
            if bound < 1.0 and abs(round(conf, 3) - round(max(cut, bound), 3)) < 2e-3 else ""
        if "sole_reading" in classes:
            capped += ", no surer than as a single candidate (every rival below the model's threshold)"
        verdict = "linked" if kept else ("the full name it repeats was left unlinked: NIL" if source_dropped
                                         else "below it: left unlinked (NIL)")
        conf = round(conf, 3)
        self.note(i, f"confidence {conf:.3f} calibrated from {probability:.3f}, risk classes "
                     f"{', '.join(sorted(classes)) or 'none'}{capped}; NIL threshold {cut:.2f}: {verdict}")

    def explanation(self, i: int) -> tuple[str, ...]:
        return tuple(self.lines.get(i, ()))


def _vector(features: dict[str, float]) -> list[float]:
    return [1.0 if n == "bias" else features.get(n, 0.0) for n in FEATURE_NAMES]


def candidate_rows(mention: Mention, model: LinkerModel, text: str, lang: str,
                   published: dt.date | None = None) -> list[dict]:
    """Every candidate of a mention the linker explained, as data: its features, their net contributions to the
    logit of its probability (``LinkerModel.net_contributions``, largest first), the confidence it would be
    written with, the NIL threshold it is held to and whether it falls below."""
    from kgbuild.linking import candidate_verdict

    out = []
    for c in mention.candidates:
        feats = dict(c.features)
        row = {"qid": c.qid, "name": c.name, "kind": c.kind, "prior": c.prior, "type": c.type, "score": c.score,
               "features": feats}
        if feats.get("date_rule"):
            row.update(confidence=0.0, net={}, nil_threshold=None, below_nil=True)
        elif feats.get("period_rule"):
            row.update(confidence=mention.confidence, net={}, nil_threshold=None, below_nil=False)
        else:
            conf, cut = candidate_verdict(mention, c, model, text, lang, published)
            net = model.net_contributions(_vector(feats))
            row.update(confidence=conf, nil_threshold=cut, below_nil=conf < cut, logit=round(logit(c.score), 3),
                       net={n: round(v, 3) for n, v in sorted(net.items(), key=lambda kv: -abs(kv[1]))
                            if round(v, 3) or n == "bias"})
        out.append(row)
    return out


def mention_lines(row: dict, indent: int = 13) -> list[str]:
    """The text ``kgbuild link --explain`` prints under a mention (``row``: its JSON form)."""
    pad = " " * indent
    out = []
    for c in row["candidates"]:
        feats = c["features"]
        if feats.get("period_rule"):
            years = f" ({feats['inception']:.0f}–{feats['dissolved']:.0f})" if "inception" in feats else ""
            out.append(f"{pad}period rule: published {feats['published_year']:.0f}, the state then is {c['qid']}{years}")
            continue
        if feats.get("date_rule"):
            began = f"born {feats['born']:.0f}" if "born" in feats else f"founded {feats['inception']:.0f}"
            out.append(f"{pad}{c['qid']:11} date rule: published {feats['published_year']:.0f}, {began}: not a "
                       f"candidate  {c['kind']:8} prior={c['prior']:.2f}")
            continue
        nil = f"  below NIL {c['nil_threshold']:.2f}" if c["below_nil"] else ""
        out.append(f"{pad}{c['qid']:11} p={c['score']:.3f} conf={c['confidence']:.3f}{nil}  {c['kind']:8} "
                   f"prior={c['prior']:.2f}  {c['name']}")
        net = "  ".join(f"{n} {v:+.2f}" for n, v in c["net"].items() if n != "bias")
        out.append(f"{pad}{'':11} logit {c['logit']:+.2f} = bias {c['net'].get('bias', 0.0):+.2f}  {net}")
        shown = "  ".join(f"{n}={v:g}" for n, v in feats.items())
        if shown:
            out.append(f"{pad}{'':11} features: {shown}")
    if not row["candidates"]:
        out.append(f"{pad}no KB candidate")
    out += [f"{pad}{line}" for line in row.get("decision", ())]
    return out
