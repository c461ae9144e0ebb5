"""The learned linking model: logistic regression over ``features.FEATURE_NAMES``, Platt scaling, and the
calibration of the confidence a link is written with.

The weights live in ``kgbuild/data/linker/weights.json`` (written by ``scripts/train_linker.py``, which also
says which data trained them). ``probability(vector)`` is the model's probability that a candidate is the right
entity of its mention: it ranks candidates and drives the linker's decisions. The confidence written as the
link's ``itsrdf:taConfidence`` is that probability calibrated on links the model had not seen
(``Calibration``): a logistic fit of "the link is right" on the probability's logit plus an offset per risk
class of the link (``RISK_CLASSES``: a surname alone, an acronym, a name that may continue, a text of a few
sentences, an article from before 1950, ...), each offset shrunk towards 0 (L2) so that a class with few links
stays near the pooled fit. Within a class the confidence rises with the probability (the slope is positive).
On top of the fit, ``Calibration.bounds``: the confidence never exceeds the share right that links of its kind of
document and risk class had in the calibration data (``fit_bounds``), so that offsets fitted on one kind of text
do not add up to a confidence no data supports in another (a lone surname the article never named in full, in a
long modern article: every lone surname of the training data's modern articles repeated a full name).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from kgbuild.errors import KgbuildError
from kgbuild.linking.features import BASE_PARTS, FEATURE_NAMES

log = logging.getLogger(__name__)

DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "linker" / "weights.json"

#: what a link's confidence is calibrated by, besides the model's probability (see ``risk_classes``)
RISK_CLASSES: tuple[str, ...] = (
    "alias_of_earlier",  # a short name given the entity of an earlier full name of the article
    "floor",  # linked below the model's threshold by the floor (the former linker's reach)
    "single_candidate",  # the KB has one entity of this name
    "surname_alone",  # a lone surname matched a person's surname
    "acronym",  # all capitals, up to 6 letters
    "alias_name",  # the name matched is one of the entity's aliases, not its label
    "type_clash",  # the NER's type and the entity's type disagree
    "name_continues",  # a capitalised word joins the name: it may be part of a longer one
    "short_text",  # the text has fewer than SHORT_TEXT characters: little context (not an old article's)
    "english",  # the text is English (the KB's names and priors are best for German news)
    "old_article",  # the article was published before OLD_ARTICLE_YEAR (the KB describes today's world)
    "no_support",  # nothing of the document speaks for the entity (none of SUPPORT_FEATURES): prior and name only
    "sole_reading",  # other entities have the name, but the model would link none of them: no surer than a single candidate
)
#: what the document can say for a candidate: related confident links, description words, its full label, the
#: article's country, a place preposition, the sentence's cue words, "City, State", an acronym spelt out, "X is a ..."
SUPPORT_FEATURES: tuple[str, ...] = ("coherence", "description_overlap", "full_label_in_doc", "country_fit",
                                     "place_preposition", "cue_fit", "city_state", "doc_acronym", "predicate_fit")
#: the candidate features ``risk_classes`` reads (the linker keeps them on every candidate)
CLASS_FEATURES: tuple[str, ...] = ("surname_alone", "acronym", "kind_alias", "type_clash", "name_continues",
                                   *SUPPORT_FEATURES)
SHORT_TEXT = 500
OLD_ARTICLE_YEAR = 1950
#: the risk classes a bound is kept for (``fit_bounds``): the kinds of link, not of document or language
BOUND_CLASSES: tuple[str, ...] = ("floor", "single_candidate", "surname_alone", "acronym", "alias_name", "type_clash",
                                  "name_continues", "no_support")
#: kinds of document (``document_kind``): the rows of the bounds
DOCUMENT_KINDS: tuple[str, ...] = ("old_article", "short_text", "other")
#: a cell (kind of document, risk class) with at least this many calibration links gets its own bound; a class with
#: no link at all in a kind of document gets its share over all kinds; between the two the fit's offsets stand
BOUND_MIN_LINKS = 20
#: the model's probability is clipped to this distance from 0 and 1 before its logit is taken
_EPS = 1e-3


class LinkerModelError(KgbuildError, ValueError):
    """A linker weights file that cannot be read."""


def risk_classes(features: Mapping[str, float], *, n_candidates: int, alias_of_earlier: bool, floor: bool,
                 text_length: int, lang: str, published: dt.date | None = None,
                 rivals_below: bool = False) -> frozenset[str]:
    """The risk classes (``RISK_CLASSES``) of a link: ``features`` are its candidate's (names of
    ``CLASS_FEATURES`` suffice), the rest describes the mention's decision and its document (``rivals_below``:
    every other candidate's probability is below the model's threshold)."""
    out = set()
    if alias_of_earlier:
        out.add("alias_of_earlier")
    if floor:
        out.add("floor")
    if n_candidates == 1:
        out.add("single_candidate")
    elif n_candidates > 1 and rivals_below:
        out.add("sole_reading")
    for name, cls in (("surname_alone", "surname_alone"), ("acronym", "acronym"), ("kind_alias", "alias_name"),
                      ("type_clash", "type_clash"), ("name_continues", "name_continues")):
        if features.get(name):
            out.add(cls)
    if features and not any(features.get(name) for name in SUPPORT_FEATURES):
        out.add("no_support")
    # a document is of one kind: an old article, else a short text, else neither (no text of the training data
    # is both, so nothing says their offsets add up)
    if published is not None and published.year < OLD_ARTICLE_YEAR:
        out.add("old_article")
    elif text_length < SHORT_TEXT:
        out.add("short_text")
    if lang == "en":
        out.add("english")
    return frozenset(out)


def document_kind(classes: Iterable[str]) -> str:
    """"old_article", "short_text" or "other": the kind of document of a link with these risk classes."""
    classes = set(classes)
    return next((k for k in DOCUMENT_KINDS[:2] if k in classes), "other")


def fit_bounds(links: Iterable[tuple[Iterable[str], bool]], min_links: int = BOUND_MIN_LINKS) -> dict[str, float]:
    """The bounds of the confidence ("kind/class" -> bound) from calibration links (their risk classes, whether
    right), each a share right with Laplace's rule ((right + 1) / (links + 2)): for a cell of a kind of document
    (``document_kind``) and a risk class of ``BOUND_CLASSES`` with at least ``min_links`` links, the cell's; for a
    class no link of a kind of document has (the fit's offsets never saw it there: its confidence there is an
    extrapolation), the class's over all kinds (0.5 if no link has it). Cells with fewer links keep the fit's
    confidence. A short name that took the entity of an earlier full name is left out (its confidence is that full
    name's)."""
    cells: dict[tuple[str, str], list[int]] = {}
    pooled: dict[str, list[int]] = {}
    for classes, ok in links:
        classes = set(classes)
        if "alias_of_earlier" in classes:
            continue
        kind = document_kind(classes)
        for c in classes & set(BOUND_CLASSES):
            for counts in (cells.setdefault((kind, c), [0, 0]), pooled.setdefault(c, [0, 0])):
                counts[0] += int(bool(ok))
                counts[1] += 1
    out = {}
    for kind in DOCUMENT_KINDS:
        for c in BOUND_CLASSES:
            right, n = cells.get((kind, c), (0, 0))
            if not n:
                right, n = pooled.get(c, (0, 0))
            elif n < min_links:
                continue
            out[f"{kind}/{c}"] = round((right + 1) / (n + 2), 4)
    return out


#: features whose direction is known before any data (``net_weights``): all else equal, each speaks for (+1) or
#: against (-1) the candidate. The popularity, the document's related entities, its full label or description
#: words in the document, a famous surname alone, the state named after a city, an acronym the document spells
#: out, the only person of a surname, a place after a place preposition, the sentence's cues for its kind, the
#: article's country, what the sentence calls the name, agreement of the mention's type: for; cues for another
#: kind, a first name alone read as a famous bearer with nothing in the document for it, a clashing type or
#: called kind, the most popular reading while another coheres better: against
KNOWN_SIGNS: dict[str, int] = {
    "prior": 1, "prior_margin": 1, "coherence": 1, "full_label_in_doc": 1, "description_overlap": 1,
    "famous_surname": 1, "city_state": 1, "doc_acronym": 1, "surname_sole": 1, "place_preposition": 1,
    "cue_fit": 1, "country_fit": 1, "predicate_fit": 1, "coherence_lead": 1, "cue_lead": 1, "type_agree": 1,
    "type_clash": -1, "cue_other": -1, "given_name_unsupported": -1, "predicate_clash": -1,
    "top_prior_contested": -1,
}


def net_terms() -> dict[str, dict[str, float]]:
    """Each feature's net weight as a linear form of the raw weights ({feature: {raw weight: coefficient}}):
    ``base_score`` is the former hand-set score, a sum of shares of the prior, the name, the type fit and the
    coherence (``features.BASE_PARTS``), and the type fit is exactly 1 - 0.5 mention_from_model + 0.5 type_agree
    - 0.5 type_clash; so a candidate's raw score is unchanged when those shares of ``base_score``'s weight are
    moved onto the features themselves. Only in that form does a weight's sign say anything: in the raw form
    ``type_agree`` and ``type_clash`` are a correction of the type credit ``base_score`` already gives."""
    t = BASE_PARTS["type"]
    out = {name: {name: 1.0} for name in FEATURE_NAMES}
    out["prior"]["base_score"] = BASE_PARTS["prior"]
    out["coherence"]["base_score"] = BASE_PARTS["coherence"]
    out["type_agree"]["base_score"] = t / 2
    out["type_clash"]["base_score"] = -t / 2
    out["mention_from_model"]["base_score"] = -t / 2
    out["bias"]["base_score"] = t
    return out


def net_weights(weights: Sequence[float]) -> dict[str, float]:
    """The weights with ``base_score``'s shares of the prior, the coherence and the type fit moved onto those
    features (``net_terms``: the same raw score for every candidate); ``base_score`` keeps the name's share
    (the name kind's weight, an exact match) and its own sign."""
    w = dict(zip(FEATURE_NAMES, weights, strict=False))
    return {name: sum(c * w.get(k, 0.0) for k, c in form.items()) for name, form in net_terms().items()}


def logit(p: float) -> float:
    p = min(max(p, _EPS), 1.0 - _EPS)
    return math.log(p / (1.0 - p))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, z))))


@dataclass(frozen=True)
class Calibration:
    """confidence = sigmoid(slope * logit(probability) + intercept + sum of the offsets of the link's classes).

    The default (slope 1, intercept 0, no offsets) leaves the probability as it is (weights files without a
    calibration). ``nil_threshold``: a link whose confidence is below it stays an unlinked entity;
    ``nil_by_class``: the threshold of the links of a class instead (the highest of a link's classes counts).
    ``bounds`` ("kind/class", bound; ``fit_bounds``): the confidence of a link of that kind of document and risk
    class is at most the bound, but a bound never takes a link below its NIL threshold (it changes the confidence
    written, never which links are made); within a class the confidence still never falls as the probability
    rises."""

    slope: float = 1.0
    intercept: float = 0.0
    offsets: tuple[tuple[str, float], ...] = ()  # (risk class, offset), in RISK_CLASSES order
    nil_threshold: float = 0.0
    nil_by_class: tuple[tuple[str, float], ...] = ()  # (risk class, NIL threshold of its links)
    bounds: tuple[tuple[str, float], ...] = ()  # ("kind/class", highest confidence of such a link)

    def __post_init__(self) -> None:
        if not self.slope > 0:
            raise LinkerModelError(f"calibration slope {self.slope!r}: must be positive (confidence rises with the "
                                   "model's probability)")
        for t in (self.nil_threshold, *(t for _, t in self.nil_by_class)):
            if not 0.0 <= t < 1.0:
                raise LinkerModelError(f"calibration NIL threshold {t!r}: use a number from 0 to 1")
        for key, b in self.bounds:
            kind, _, cls = key.partition("/")
            if kind not in DOCUMENT_KINDS or cls not in BOUND_CLASSES or not 0.0 < b <= 1.0:
                raise LinkerModelError(f"calibration bound {key!r}: {b!r}: use 'kind/class' (of DOCUMENT_KINDS and "
                                       "BOUND_CLASSES) and a number above 0, up to 1")

    def confidence(self, probability: float, classes: Iterable[str] = ()) -> float:
        classes = set(classes)
        offsets = dict(self.offsets)
        z = self.slope * logit(probability) + self.intercept + sum(offsets.get(c, 0.0) for c in classes)
        conf = sigmoid(z)
        if self.bounds:
            conf = min(conf, max(self.nil_cut(classes), self.bound(classes)))
        if "sole_reading" in classes:
            # namesakes the model would not link add no confidence: at most what the link would have alone (in a big
            # KB almost every name has some; without this a link that gained a few obscure namesakes lost its single
            # candidate's offset and bound and came out surer than the same link alone). Like a bound, this never
            # takes a link below its NIL threshold.
            alone = self.confidence(probability, (classes - {"sole_reading"}) | {"single_candidate"})
            conf = min(conf, max(self.nil_cut(classes), alone))
        return conf

    def bound(self, classes: Iterable[str] = ()) -> float:
        """The highest confidence a link of these risk classes may have (1: no bound). (A short name that took the
        entity of an earlier full name that stays linked is then as sure as that full name: ``linking._calibrate``.)
"""
        classes = set(classes)
        kind = document_kind(classes)
        return min((b for key, b in self.bounds if key.startswith(kind + "/") and key[len(kind) + 1:] in classes),
                   default=1.0)

    def nil_cut(self, classes: Iterable[str] = ()) -> float:
        """The NIL threshold of a link of these classes: its classes' own (the highest), else the general one."""
        by_class = dict(self.nil_by_class)
        own = [by_class[c] for c in classes if c in by_class]
        return max(own) if own else self.nil_threshold

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "") -> "Calibration":
        offsets = data.get("offsets", {})
        nil_by_class = data.get("nil_by_class", {})
        bounds = data.get("bounds", {})
        if not all(isinstance(d, dict) for d in (offsets, nil_by_class, bounds)):
            raise LinkerModelError(f"{source}: 'confidence.offsets', '.nil_by_class' or '.bounds' is no object")
        unknown = (set(offsets) | set(nil_by_class)) - set(RISK_CLASSES)
        if unknown:
            log.warning("%s: offsets for unknown risk classes ignored: %s", source, ", ".join(sorted(unknown)))
        try:
            return cls(float(data.get("slope", 1.0)), float(data.get("intercept", 0.0)),
                       tuple((c, float(offsets[c])) for c in RISK_CLASSES if c in offsets),
                       float(data.get("nil_threshold", 0.0)),
                       tuple((c, float(nil_by_class[c])) for c in RISK_CLASSES if c in nil_by_class),
                       tuple((k, float(b)) for k, b in sorted(bounds.items())))
        except (TypeError, ValueError) as exc:
            raise LinkerModelError(f"{source}: bad 'confidence' object: {exc}") from exc

    def as_dict(self) -> dict:
        return {"slope": round(self.slope, 5), "intercept": round(self.intercept, 5),
                "offsets": {c: round(v, 5) for c, v in self.offsets},
                "nil_threshold": self.nil_threshold, "nil_by_class": dict(self.nil_by_class),
                **({"bounds": dict(self.bounds)} if self.bounds else {})}


@dataclass(frozen=True)
class LinkerModel:
    weights: tuple[float, ...]  # in FEATURE_NAMES order (features the file lacks weigh 0)
    platt_a: float = 1.0
    platt_b: float = 0.0
    threshold: float = 0.5  # below this probability a mention stays unlinked (the linker's floor aside)
    source: str = ""
    calibration: Calibration = field(default_factory=Calibration)

    def raw(self, vector: Sequence[float]) -> float:
        return sum(w * x for w, x in zip(self.weights, vector, strict=False))

    def probability(self, vector: Sequence[float]) -> float:
        return sigmoid(self.platt_a * self.raw(vector) + self.platt_b)

    def confidence(self, probability: float, classes: Iterable[str] = ()) -> float:
        """The calibrated confidence of a link of this probability and these risk classes."""
        return self.calibration.confidence(probability, classes)

    def contributions(self, vector: Sequence[float]) -> dict[str, float]:
        """Each feature's share of the raw score (weight × value), for ``kgbuild link --explain``."""
        return {name: round(w * x, 4) for name, w, x in zip(FEATURE_NAMES, self.weights, vector, strict=False) if w * x}

    def net_contributions(self, vector: Sequence[float]) -> dict[str, float]:
        """Each feature's net contribution to the logit of the probability (``kgbuild link --explain``): its net
        weight (``net_weights``: ``base_score``'s shares of the prior, the coherence and the type fit moved onto
        those features) × its value × the Platt slope; ``base_score`` keeps what is left of its share (the name's),
        ``bias`` the constant terms with the Platt intercept. They add up to the logit of ``probability(vector)``,
        and a feature's sign is the direction it pushed this candidate (the raw shares of ``contributions`` are not:
        there ``type_clash`` pushes up, a correction of the type credit ``base_score`` already gave)."""
        net = net_weights(self.weights)
        values = dict(zip(FEATURE_NAMES, vector, strict=False))
        out = {name: self.platt_a * net[name] * x for name, x in values.items() if name != "base_score" and x}
        out["base_score"] = self.platt_a * self.raw(vector) - sum(out.values())
        out["bias"] = out.get("bias", 0.0) + self.platt_b
        return out

    @classmethod
    def from_dict(cls, data: dict, source: str = "") -> "LinkerModel":
        named = data.get("weights")
        if not isinstance(named, dict):
            raise LinkerModelError(f"{source}: no 'weights' object")
        unknown = set(named) - set(FEATURE_NAMES)
        if unknown:
            log.warning("%s: weights for unknown features ignored: %s", source, ", ".join(sorted(unknown)))
        cal = data.get("calibration", {})
        conf = data.get("confidence", {})
        if not isinstance(conf, dict):
            raise LinkerModelError(f"{source}: 'confidence' is no object")
        return cls(tuple(float(named.get(n, 0.0)) for n in FEATURE_NAMES), float(cal.get("a", 1.0)),
                   float(cal.get("b", 0.0)), float(data.get("threshold", 0.5)), source,
                   Calibration.from_dict(conf, source))


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
