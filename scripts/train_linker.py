"""Train the linker's weights (``kgbuild/data/linker/weights.json``) from labelled benchmarks.

    PYTHONPATH=$PWD python scripts/train_linker.py [--cache DIR] [--out FILE] [--report FILE] [--only NAME ...]

Data (all development sets; the held-out examples are never used):
  kore50, oke2015, oke2016, spotlight (ELEVANT), hipe-sonar-dev (HIPE-2022 German), examples
  (examples/*.gold.json); hipe-newseye-dev and -dev2 are scored, not trained on (see TRAIN_DEFAULT).
Each document goes once through the pipeline up to the mentions (cached under --cache); each candidate of each
mention is a row, labelled 1 when a gold mention at the same span (strict alignment, as ``kgbuild eval``) has
that QID. Training follows ``kgbuild eval``'s annotation scope (``kgbuild/evaluation/scope.py``, the D2KB
counting rules): documents nobody annotated are left out (``in_scope``), and so are mentions on text an ELEVANT,
NIF or HIPE gold did not annotate and the mentions of optional gold labels (``judge``): their candidates are not
known to be wrong. A mention inside or across a gold mention (a boundary) and, in a kgbuild gold document (which
annotates every name), a mention at no gold span are negatives. Logistic regression (numpy, Newton's method, L2) in two rounds: round 1 on first-pass features,
round 2 on final-pass features whose context comes from the round-1 model. Then Platt scaling of the
top candidate's score against "the top candidate is the gold QID" (NIL and judged spans without a gold mention
count as wrong),
and the threshold that maximises InKB F1 on out-of-fold scores.

Confidence: the training documents fall into K_FOLDS folds (``fold_of``); a model trained the same way without
a fold links that fold with the real linker, and every link it makes gives (probability, risk classes, right?):
a link at a span without a gold mention counts as wrong, as in ``kgbuild eval``'s InKB precision (``--cal-scope
judged``: only the links the gold judges, not those on text it did not annotate, as in its D2KB precision). The
calibration (``kgbuild.linking.model.Calibration``) is a logistic fit of "right" on the logit of the probability
and one offset per risk class, the offsets L2-shrunk towards 0 with the strength that predicts held-out folds
best (log loss). NIL thresholds on the calibrated confidence (``choose_nil``, ``--nil``), chosen on the
out-of-fold links: by default one per kind of document (old articles, short texts, other) by F1, kept only when
it gains NIL_MIN_GAIN; or one by F1, or none;
``--min-precision P``: the lowest with a pooled out-of-fold precision of at least P; never higher than the lowest
confidence of a right link of the development examples.

Splits: every benchmark's documents fall into a fixed training and test half (``split_of``: a hash of the set
name and the document id). The shipped weights are trained on the training halves and the development examples
(``--no-split``: on whole sets, as before); each set is scored on its test half (out of sample) and whole.
Leave-one-benchmark-out: for every benchmark a model trained on all the other whole sets is scored on it with
the real linker and the real scorer (``kgbuild.evaluation.score_document``). The report (``--report``,
markdown) has all three, and the reliability tables of the test halves' and the leave-one-out confidences.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgbuild import lang as langmod  # noqa: E402
from kgbuild.evaluation import build_report, read_gold, score_document  # noqa: E402
from kgbuild.evaluation.align import strict_alignment  # noqa: E402
from kgbuild.evaluation.runner import article_of  # noqa: E402
from kgbuild.evaluation.scope import COMPLETE_FORMATS, LINKS_NOT_ANNOTATED, annotation_scope  # noqa: E402
from kgbuild.kb import open_kb  # noqa: E402
from kgbuild.linking import LinkerConfig, featurize, link_with_scores  # noqa: E402
from kgbuild.linking import model as linker_model  # noqa: E402
from kgbuild.linking.features import FEATURE_NAMES  # noqa: E402
from kgbuild.linking.model import RISK_CLASSES, Calibration, LinkerModel  # noqa: E402
from kgbuild.mentions import sentences_of  # noqa: E402
from kgbuild.pipeline import Pipeline  # noqa: E402
from kgbuild.types import DocumentResult  # noqa: E402

DATA = Path("/work/shared/data") if Path("/work/shared/data").is_dir() else ROOT.parent / "shared" / "data"
SETS: dict[str, list[Path]] = {
    "kore50": [DATA / "elevant-benchmarks/kore50.benchmark.jsonl"],
    "oke2015": [DATA / "elevant-benchmarks/oke-2015-eval.benchmark.jsonl"],
    "oke2016": [DATA / "elevant-benchmarks/oke-2016-eval.benchmark.jsonl"],
    "spotlight": [DATA / "elevant-benchmarks/spotlight.benchmark.jsonl"],
    "hipe-sonar-dev": [DATA / "hipe2022_de/HIPE-2022-v2.1-sonar-dev-de.tsv"],
    "hipe-newseye-dev": [DATA / "hipe2022_de/HIPE-2022-v2.1-newseye-dev-de.tsv"],
    "hipe-newseye-dev2": [DATA / "hipe2022_de/HIPE-2022-v2.1-newseye-dev2-de.tsv"],
    "examples": sorted((ROOT / "examples").glob("*.gold.json")),
    #: scored only, never trained on nor used to choose anything
    "heldout": sorted((ROOT / "examples" / "heldout").glob("*.gold.json")),
}
#: trained on by default: not the HIPE newseye sets, whose links are annotated in only half of the documents
#: (6 of 12 in each have none, and capitals such as "Wien" are marked NIL where they are annotated); they
#: are still scored here
TRAIN_DEFAULT = ["kore50", "oke2015", "oke2016", "spotlight", "hipe-sonar-dev", "examples"]
L2 = 10.0
#: slope of the former hand-set score in the prior weights (a score 0.1 above its threshold: p = 0.73)
BASE_SLOPE = 10.0
FAMOUS_SURNAME_WEIGHT = 3.0
CONTEXT_EVIDENCE_WEIGHT = 3.0
#: sets whose guidelines annotate adjectives of nationality ("russische" -> Russia); elsewhere those
#: mentions are left out of training, as ``kgbuild eval --skip-demonyms`` leaves them out of scoring
DEMONYM_SETS = {"examples", "heldout"}
#: sets none of whose right links the threshold may drop (the issue: the examples lose no correct link)
KEEP_LINKS_SETS = {"examples"}
#: the examples are written under kgbuild's own guidelines, about the news kgbuild is for
SET_WEIGHT = {"examples": 10.0}
#: leave out mentions whose gold entity is not in the KB at all (with a small KB, "Hans Geiger" the physicist
#: is not there but a politician of that name is, and would teach that exact full names are unreliable)
COVERED_ONLY = False
#: a mention the gold judges wrong without a gold mention at its span weighs less: in a kgbuild gold document (which
#: annotates every name) a mention at no gold span, and a mention inside or across a gold mention (a boundary the
#: gold draws otherwise: "Paris" in "Paris attacks"); mentions on text an ELEVANT or HIPE gold did not annotate
#: are not judged and not trained on (``judge``)
UNANNOTATED_WEIGHT = 0.5
#: fit the calibration and the threshold on out-of-fold scores (one fold per training set)
CROSS_FIT = True
#: sets split into a training and a test half by document (the examples are all training: the held-out
#: examples in examples/heldout/ are their test set)
SPLIT_SETS = {"kore50", "oke2015", "oke2016", "spotlight", "hipe-sonar-dev", "hipe-newseye-dev",
              "hipe-newseye-dev2"}
#: sets whose training halves calibrate the confidence and choose the NIL thresholds without training weights
#: (``--cal-also``)
CAL_ALSO: list[str] = []
#: document folds of the training data whose out-of-fold links the confidence is calibrated on
K_FOLDS = 5
#: L2 strengths of the risk classes' offsets tried (the one with the best held-out-fold log loss is kept)
CAL_L2_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
#: NIL thresholds (on the calibrated confidence) tried
NIL_GRID = tuple(round(0.05 * i, 2) for i in range(0, 19))
#: the NIL threshold is the highest whose mean out-of-fold F1 is this close to the best: where F1 hardly
#: changes, precision (what issue 13 asks for) decides
NIL_F1_SLACK = 0.005
#: kinds of document whose links may get a NIL threshold of their own (``--nil f1-by-class``)
NIL_CLASSES = ("old_article", "short_text")
#: kinds of link that may get a NIL threshold of their own, chosen before the kinds of document on the links of
#: that kind in every document (a link's threshold is the highest of its classes'): in old articles a lone surname
#: or an acronym is mostly part of a name the gold draws longer ("Kuhn" of a full name, "S.=S."), while a place or a
#: full name is mostly right ("Mussolini", "Helsingfors"), so one threshold for every old article's link dropped
#: the right ones with the risky ones
NIL_LINK_CLASSES = ("acronym", "surname_alone", "no_support")
#: a NIL threshold of a kind of document (and of the other links) is kept only when it raises that kind's mean
#: out-of-fold F1 by this much over none (set after a 0.25 threshold for short texts, chosen by a 0.3-point
#: out-of-fold gain, cost 2-5 F1 points on the English test halves: noise, not signal)
NIL_MIN_GAIN = 0.01


def split_of(name: str, doc_id: str) -> str:
    """'train' or 'test': a fixed half of each benchmark's documents, by a hash of the set and document id
    (the same on every machine and run; no document's content decides its half)."""
    if name not in SPLIT_SETS:
        return "train"
    return "train" if hashlib.sha1(f"{name}/{doc_id}".encode()).digest()[0] % 2 == 0 else "test"


def fold_of(name: str, doc_id: str, k: int = K_FOLDS) -> int:
    """The calibration fold of a training document (a hash of the set and document id, as ``split_of``)."""
    return hashlib.sha1(f"fold/{name}/{doc_id}".encode()).digest()[1] % k


def prepared(name: str, pipeline: Pipeline, cache: Path) -> list[tuple]:
    """(gold document, article, lang, sentences, mentions before linking) for every document of a set."""
    docs = read_gold(SETS[name])
    code = "".join((ROOT / "kgbuild" / f).read_text(encoding="utf-8") for f in ("mentions.py", "pipeline.py"))
    kb_file = getattr(pipeline.knowledge_base, "path", None)
    kb_stamp = str(Path(kb_file).stat().st_mtime) if kb_file and Path(kb_file).exists() else ""
    key = hashlib.sha1((name + "".join(str(p.stat().st_mtime) for p in SETS[name]) + code + kb_stamp).encode()
                       ).hexdigest()[:10]
    path = cache / f"{name}-{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = []
    for doc in docs:
        article = article_of(doc)
        lang = langmod.resolve(article.text, article.lang, None)
        nlp, info = pipeline.nlp_for(lang)
        sdoc = nlp(article.text)
        sentences = sentences_of(sdoc)
        mentions = pipeline._mentions(sdoc, lang, sentences, info.has_ner)
        out.append((doc, article, lang, sentences, mentions, info.name))
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def in_scope(items: list[tuple]) -> list[tuple]:
    """The documents of a whole set that ``kgbuild eval`` scores: not those nobody annotated
    (``kgbuild.evaluation.scope.annotation_scope``: 5 of 12 documents of each HIPE NewsEye set). Call it on a
    whole set, before halving: the rule compares a document with the other documents of its gold file. Nor those
    annotated for recognition only (every mention NIL: NewsEye dev_de_1, dev2 test_de_1), whose links eval leaves out."""
    drop = {a.index for a in annotation_scope([it[0] for it in items]) if a.state in ("not annotated", LINKS_NOT_ANNOTATED)}
    return [it for i, it in enumerate(items) if i not in drop]


def judge(doc, gold: list, span: tuple[int, int], gold_at) -> str:
    """How the gold judges a mention or link at ``span`` (``gold_at``: the gold mention strictly aligned with it,
    or None), in the scope of ``kgbuild eval`` (its counting rules, InKB and D2KB):
    "aligned" (a gold mention at that span: its QID, or NIL, says what is right; an optional one only says what
    is not wrong), "boundary" (it shares a character with a required gold mention but is not aligned: InKB counts
    a link there as wrong), "negative" (no gold mention near it, in a kgbuild gold document, which annotates every
    name) or "unjudged" (no required gold mention near it in an ELEVANT, NIF or HIPE document, which annotate
    only some names: a link there is not known to be wrong)."""
    if gold_at is not None:
        return "aligned"
    b, e = span
    if any(not g.optional and g.start < e and b < g.end for g in gold):
        return "boundary"
    return "negative" if doc.format in COMPLETE_FORMATS else "unjudged"


def rows(sets: dict[str, list[tuple]], kb, model: LinkerModel | None
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple]]:
    """Feature matrix, labels, sample weights and (mention group, gold QID or None) per row."""
    xs, ys, ws, groups = [], [], [], []
    gid = 0
    for name, doc, article, lang, _sentences, mentions, _ in ((n, *it) for n, items in sets.items() for it in items):
        b, e = doc.span
        gold = [g for g in doc.mentions if b <= g.start and g.end <= e]
        if not gold and doc.format not in COMPLETE_FORMATS:
            continue  # nothing the gold judges (the rule of ``in_scope`` leaves out longer such documents)
        align = strict_alignment([(g.start, g.end) for g in gold], [(m.start, m.end) for m in mentions], doc.text)
        gold_of = {j: gold[i] for i, j in align.items()}
        for j, cands in enumerate(featurize(mentions, kb, lang, article.text, model)):
            m = mentions[j]
            if m.start < b or m.end > e:
                continue
            g = gold_of.get(j)
            if g is not None and g.optional or m.kind == "demonym" and name not in DEMONYM_SETS:
                continue  # an optional gold mention: no candidate of it is known to be wrong
            if judge(doc, gold, (m.start, m.end), g) == "unjudged":
                continue  # text the gold did not annotate: no candidate of it is known to be wrong
            qid = g.qid if g is not None else None
            if qid and COVERED_ONLY and kb.entity(qid) is None:
                continue  # the gold entity is not in the KB: says more about the KB's coverage than the mention
            for cand, vec in cands:
                xs.append(vec)
                ys.append(1.0 if qid and cand.qid == qid else 0.0)
                ws.append(SET_WEIGHT.get(name, 1.0) * (1.0 if g is not None else UNANNOTATED_WEIGHT))
                groups.append((gid, qid, name))
            gid += 1
    return np.array(xs, dtype=float).reshape(-1, len(FEATURE_NAMES)), np.array(ys), np.array(ws), groups


def prior_weights() -> np.ndarray:
    """The weights the data pulls away from: kgbuild's former hand-set linker (score = 0.35 prior + 0.30 name
    kind + 0.20 type fit + 0.15 coherence, linked from 0.42), which is the feature ``base_score``; every other
    feature starts at 0. Where the data says little (famous surnames alone, official names), this stays.
    ``--anchor FILE``: that weights file's weights instead (a refit that moves only where the data insists)."""
    if ANCHOR is not None:
        return ANCHOR.copy()
    w0 = np.zeros(len(FEATURE_NAMES))
    w0[FEATURE_NAMES.index("base_score")] = BASE_SLOPE
    w0[FEATURE_NAMES.index("bias")] = -BASE_SLOPE * 0.42
    # the former linker linked a famous surname alone (Putin, Merkel: prior >= FAMOUS_SURNAME_PRIOR); the
    # benchmarks have almost none of them, but many obscure namesakes, which would otherwise pull them down
    w0[FEATURE_NAMES.index("famous_surname")] = FAMOUS_SURNAME_WEIGHT
    # rare in the benchmarks, so the data can hardly weigh them: "Madison, Wisconsin" (the state named next to
    # the city contains it) and an acronym the document spells out ("International Olympic Committee (IOC)")
    w0[FEATURE_NAMES.index("city_state")] = CONTEXT_EVIDENCE_WEIGHT
    w0[FEATURE_NAMES.index("doc_acronym")] = CONTEXT_EVIDENCE_WEIGHT
    return w0


#: ``--signs``: the net weights (``model.net_weights``) of the features whose direction is known a priori
#: (``model.KNOWN_SIGNS``) may not take the other sign (a weight the data would turn round stays at 0)
SIGN_CONSTRAINTS = False
#: ``--anchor FILE``: the weights pulled towards (default: the hand-set linker, ``prior_weights``)
ANCHOR: np.ndarray | None = None
#: ``--freeze NAME ...``: features held at their prior (or anchor) weight
FROZEN: tuple[str, ...] = ()
SIGN_PENALTY = 1e4


def sign_rows() -> np.ndarray:
    """One row per feature of ``KNOWN_SIGNS``: its net weight as a linear form of the raw weights, times its sign
    (a row times the weights is negative when the net weight has the wrong sign)."""
    terms = linker_model.net_terms()
    out = np.zeros((len(linker_model.KNOWN_SIGNS), len(FEATURE_NAMES)))
    for r, (name, sign) in enumerate(linker_model.KNOWN_SIGNS.items()):
        for k, c in terms[name].items():
            out[r, FEATURE_NAMES.index(k)] = sign * c
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, iters: int = 60, sw: np.ndarray | None = None,
        w0: np.ndarray | None = None, reg: np.ndarray | None = None) -> np.ndarray:
    """Sample-weighted logistic regression by Newton's method, L2-regularised towards ``w0`` (default 0;
    the bias is not regularised; ``reg``: the L2 of each weight instead)."""
    sw = np.ones(len(y)) if sw is None else sw
    w0 = np.zeros(x.shape[1]) if w0 is None else w0
    w = w0.copy()
    if reg is None:
        reg = np.full(x.shape[1], l2)
        reg[0] = 1e-2
    signs = np.zeros((0, x.shape[1]))
    if x.shape[1] == len(FEATURE_NAMES):
        for name in ("famous_surname", "city_state", "doc_acronym"):
            reg[FEATURE_NAMES.index(name)] = 10 * l2  # held near its prior weight (see prior_weights)
        if SIGN_CONSTRAINTS:
            signs = sign_rows()
        for name in FROZEN:
            reg[FEATURE_NAMES.index(name)] = 1e6  # held at its prior (or anchor) weight
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -35, 35)))
        grad = x.T @ (sw * (p - y)) + reg * (w - w0)
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(reg)
        if len(signs):  # a net weight of the wrong sign is pulled back to 0 (a quadratic penalty, SIGN_PENALTY)
            v = signs @ w
            bad = signs[v < 0]
            grad = grad + SIGN_PENALTY * bad.T @ (bad @ w)
            hess = hess + SIGN_PENALTY * bad.T @ bad
        step = np.linalg.solve(hess, grad)
        step *= min(1.0, 2.0 / max(1e-12, float(np.abs(step).max())))  # damped: no step beyond 2 per weight
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w


def model_of(w: np.ndarray, a: float = 1.0, b: float = 0.0, threshold: float = 0.5) -> LinkerModel:
    return LinkerModel(tuple(float(v) for v in w), a, b, threshold, "training")


def top_scores(x: np.ndarray, y: np.ndarray, groups: list[tuple], w: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """Per mention: raw score of the top candidate, whether it is right, whether it is of a set that must
    not lose links (the examples); and the number of gold QID mentions."""
    z = x @ w
    best: dict[int, tuple[float, float, bool]] = {}
    gold_qid: dict[int, bool] = {}
    for i, (gid, qid, name) in enumerate(groups):
        gold_qid[gid] = qid is not None
        if gid not in best or z[i] > best[gid][0]:
            best[gid] = (z[i], y[i], name in KEEP_LINKS_SETS)
    zs = np.array([v[0] for v in best.values()])
    ok = np.array([v[1] for v in best.values()])
    keep = np.array([v[2] for v in best.values()])
    return zs, ok, sum(gold_qid.values()), keep


def platt(z: np.ndarray, ok: np.ndarray) -> tuple[float, float]:
    w = fit(np.column_stack([np.ones_like(z), z]), ok, l2=1e-3)
    return float(w[1]), float(w[0])


def choose_threshold(p: np.ndarray, ok: np.ndarray, n_gold: int, min_precision: float, p_keep: float = 1.0) -> float:
    """The threshold with the best InKB F1 (with at least ``min_precision``), but no higher than the
    examples allow (``p_keep``: no right link of theirs may fall below it; the issue: the examples lose no link)."""
    curve = []
    for t in np.arange(0.2, 0.91, 0.02):
        sel = p >= t
        tp = float(ok[sel].sum())
        fp = float(sel.sum() - tp)
        prec = tp / max(1.0, tp + fp)
        rec = tp / max(1, n_gold)
        f = 2 * prec * rec / max(1e-9, prec + rec)
        if prec >= min_precision:
            curve.append((float(t), f))
    if not curve:
        return 0.5
    best = max(f for _, f in curve)
    return round(min(min(t for t, f in curve if f >= best), np.floor(p_keep * 100) / 100), 2)


def _fit_two_rounds(sets: dict[str, list[tuple]], kb) -> tuple[np.ndarray, np.ndarray]:
    """Round 1 on first-pass features; round 2 on final-pass features whose context comes from round 1."""
    x1, y1, s1, _ = rows(sets, kb, None)
    w1 = fit(x1, y1, l2=L2, sw=s1, w0=prior_weights())
    x2, y2, s2, _ = rows(sets, kb, model_of(w1))
    return w1, fit(x2, y2, l2=L2, sw=s2, w0=prior_weights())


def out_of_fold(sets: dict[str, list[tuple]], kb) -> tuple[np.ndarray, np.ndarray, int]:
    """Raw top-candidate scores of every mention by a model that did not see its set (one fold per set), whether
    each is right, and the number of gold QID mentions: what calibration and the threshold are fitted on."""
    zs, oks, n_gold = [], [], 0
    for name in sets:
        others = {k: v for k, v in sets.items() if k != name}
        if not others:
            continue
        w1, w2 = _fit_two_rounds(others, kb)
        x, y, _, g = rows({name: sets[name]}, kb, model_of(w1))
        if not len(y):
            continue
        z, ok, n, _ = top_scores(x, y, g, w2)
        zs.append(z)
        oks.append(ok)
        n_gold += n
    return (np.concatenate(zs) if zs else np.array([])), (np.concatenate(oks) if oks else np.array([])), n_gold


def train(sets: dict[str, list[tuple]], kb, min_precision: float, cross_fit: bool = CROSS_FIT,
          calibrate: bool = True, work: Path | None = None, nil_rule: str = "f1-by-class",
          cal_only: dict[str, list[tuple]] | None = None) -> tuple[LinkerModel, dict, list[dict]]:
    """The model trained on ``sets``, its calibration and NIL threshold from out-of-fold links (``calibrate``;
    ``cal_only``: more documents for these only, see ``out_of_fold_links``), and those out-of-fold links (what the
    calibration was fitted on)."""
    w1, w2 = _fit_two_rounds(sets, kb)
    x2, y2, _, g2 = rows(sets, kb, model_of(w1))
    zs, ok, n_gold, keep = top_scores(x2, y2, g2, w2)
    info: dict = {"rows": int(len(y2)), "positives": int(y2.sum()), "mentions": int(len(zs)),
                  "gold_qid_mentions": n_gold}
    if cross_fit and len(sets) > 2:
        # Platt and the model's threshold from out-of-fold scores (in-sample scores are over-confident), as
        # scikit-learn's CalibratedClassifierCV(ensemble=False); the examples' right links still bound the threshold
        z_cal, ok_cal, n_cal = out_of_fold(sets, kb)
        a, b = platt(z_cal, ok_cal)
        p_cal = 1 / (1 + np.exp(-(a * z_cal + b)))
        p_in = 1 / (1 + np.exp(-(a * zs + b)))
        t = choose_threshold(p_cal, ok_cal, n_cal, 0.0, p_keep=_lowest_kept(p_in, ok, keep))
        info["platt"] = "on out-of-fold scores (one fold per set)"
    else:
        a, b = platt(zs, ok)
        p = 1 / (1 + np.exp(-(a * zs + b)))
        t = choose_threshold(p, ok, n_gold, 0.0, p_keep=_lowest_kept(p, ok, keep))
        info["platt"] = "on in-sample scores"
    model = model_of(w2, a, b, t)
    if not calibrate:
        return model, info, []
    work = work or Path(tempfile.mkdtemp(prefix="kgbuild-linker-"))
    oof = out_of_fold_links(sets, kb, min_precision, cross_fit, work, cal_only)
    cal, cal_info = fit_calibration(oof)
    n_gold_sets = _gold_counts(oof)
    in_sample = [r for name in sets if name in KEEP_LINKS_SETS
                 for r in link_records(name, sets[name], kb, save(model, work / "in-sample.json"))[0]]
    nil, nil_by_class, nil_info = choose_nil(oof, cal, n_gold_sets, min_precision, in_sample, nil_rule)
    # the bounds by kind of document and risk class (after the NIL thresholds: a bound never changes a NIL decision)
    bounds = linker_model.fit_bounds((r["classes"], r["ok"]) for r in _links(oof))
    cal = Calibration(cal.slope, cal.intercept, cal.offsets, nil, tuple(nil_by_class.items()), tuple(sorted(bounds.items())))
    info["confidence"] = {**cal_info, **nil_info, "bounds_from": "the same out-of-fold links (fit_bounds)"}
    return replace_calibration(model, cal), info, oof


def replace_calibration(model: LinkerModel, cal: Calibration) -> LinkerModel:
    return LinkerModel(model.weights, model.platt_a, model.platt_b, model.threshold, model.source, cal)


def save(model: LinkerModel, path: Path, info: dict | None = None, trained_on: list[str] | None = None) -> Path:
    """Write weights for the real linker to load (and forget any earlier file of that name it loaded)."""
    write_weights(model, path, info or {}, trained_on or [])
    linker_model._load.cache_clear()
    return path


def out_of_fold_links(sets: dict[str, list[tuple]], kb, min_precision: float, cross_fit: bool, work: Path,
                      cal_only: dict[str, list[tuple]] | None = None) -> list[dict]:
    """Every link of the training documents made by a model trained without their fold (``fold_of``); and of the
    documents of ``cal_only`` (sets that calibrate the confidence and choose the NIL thresholds, never the
    weights), each linked by the model of its fold."""
    out: list[dict] = []
    cal_only = cal_only or {}
    for f in range(K_FOLDS):
        rest = {n: [it for it in items if fold_of(n, it[0].id) != f] for n, items in sets.items()}
        held = {n: [it for it in items if fold_of(n, it[0].id) == f] for n, items in (sets | cal_only).items()}
        model, _, _ = train({n: v for n, v in rest.items() if v}, kb, min_precision, cross_fit, calibrate=False)
        path = save(model, work / f"fold-{f}.json")
        for name, items in held.items():
            recs, n_gold = link_records(name, items, kb, path)
            for r in recs:
                r["fold"] = f
            out += recs
            out.append({"set": name, "gold_count": n_gold, "fold": f})  # gold QID mentions of this fold
    return out


def _gold_counts(recs: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in recs:
        if "gold_count" in r:
            counts[r["set"]] = counts.get(r["set"], 0) + r["gold_count"]
    return counts


#: which links calibrate the confidence and choose the NIL thresholds: "inkb" (every link, a link on text the gold
#: did not annotate counted wrong, as ``kgbuild eval``'s InKB precision) or "judged" (``judge``: not those). On
#: main at bbeed6a "judged" lost the old articles' NIL threshold (its out-of-fold gain fell to 0.006, below
#: NIL_MIN_GAIN) and with it 0.6-4 F1 points on the HIPE test halves (docs/EVALUATION.md, "## Linking")
CAL_SCOPE = "inkb"


def _links(recs: list[dict]) -> list[dict]:
    """The links among ``recs`` in the calibration scope (``CAL_SCOPE``)."""
    return [r for r in recs if "gold_count" not in r and (CAL_SCOPE == "inkb" or r.get("judged") != "unjudged")]


def _design(recs: list[dict]) -> np.ndarray:
    return np.array([[1.0, linker_model.logit(r["p"])] + [1.0 if c in r["classes"] else 0.0 for c in RISK_CLASSES]
                     for r in recs], dtype=float).reshape(-1, 2 + len(RISK_CLASSES))


def _fit_calibration(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    reg = np.full(x.shape[1], l2)
    reg[:2] = 1e-3  # the intercept and slope are hardly held; the classes' offsets are shrunk towards 0
    w0 = np.zeros(x.shape[1])
    w0[1] = 1.0
    return fit(x, y, l2=l2, iters=100, w0=w0, reg=reg)


def fit_calibration(oof: list[dict]) -> tuple[Calibration, dict]:
    """Logistic calibration with risk-class offsets; the L2 on the offsets chosen by held-out-fold log loss."""
    links = _links(oof)
    x = _design(links)
    y = np.array([1.0 if r["ok"] else 0.0 for r in links])
    folds = np.array([r["fold"] for r in links])
    losses = {}
    for l2 in CAL_L2_GRID:
        loss = 0.0
        for f in range(K_FOLDS):
            tr, te = folds != f, folds == f
            if not te.any() or not tr.any():
                continue
            w = _fit_calibration(x[tr], y[tr], l2)
            p = np.clip(1 / (1 + np.exp(-(x[te] @ w))), 1e-4, 1 - 1e-4)
            loss -= float(np.sum(y[te] * np.log(p) + (1 - y[te]) * np.log(1 - p)))
        losses[l2] = loss / max(1, len(y))
    l2 = min(losses, key=lambda k: (losses[k], -k))
    w = _fit_calibration(x, y, l2)
    if w[1] <= 0:
        raise SystemExit(f"calibration slope {w[1]:.3f} is not positive: too few out-of-fold links ({len(y)})")
    cal = Calibration(float(w[1]), float(w[0]), tuple((c, float(v)) for c, v in zip(RISK_CLASSES, w[2:], strict=True)
                                                        if abs(v) >= 1e-4))
    info = {"method": "logistic on the logit of the model's probability with risk-class offsets (L2-shrunk)",
            "links": len(y), "right": int(y.sum()), "folds": K_FOLDS, "l2": l2,
            "held_out_fold_log_loss": {str(k): round(v, 4) for k, v in losses.items()}}
    return cal, info


def calibrated(recs: list[dict], cal: Calibration) -> np.ndarray:
    return np.array([cal.confidence(r["p"], r["classes"]) for r in recs])


def _nil_curve(conf: np.ndarray, ok: np.ndarray, names: np.ndarray, n_gold: dict[str, int]
               ) -> list[tuple[float, float, float]]:
    """(threshold, mean InKB F1 over the sets of these links, pooled precision) for every NIL_GRID threshold."""
    curve = []
    for t in NIL_GRID:
        sel = conf >= t
        f1s = []
        for name in sorted(set(names)):
            s = sel & (names == name)
            tp = float((s & ok).sum())
            prec, rec = tp / max(1.0, float(s.sum())), tp / max(1, n_gold.get(name, 0))
            f1s.append(2 * prec * rec / max(1e-9, prec + rec))
        curve.append((t, float(np.mean(f1s)) if f1s else 0.0, float((sel & ok).sum()) / max(1, int(sel.sum()))))
    return curve


def _class_curve(conf: np.ndarray, ok: np.ndarray, names: np.ndarray, n_gold: dict[str, int], sel: np.ndarray,
                 cut: np.ndarray) -> list[tuple[float, float, float]]:
    """(threshold, mean InKB F1 of the sets with links in ``sel``, precision of the kept links of ``sel``) for every
    NIL_GRID threshold applied to the links of ``sel`` (with ``cut``, the thresholds chosen before, applied to every
    link): what a threshold of one kind of link does to the whole sets, not to that kind's links alone."""
    curve = []
    sets = sorted(set(names[sel]))
    for t in NIL_GRID:
        kept = conf >= np.where(sel, np.maximum(cut, t), cut)
        f1s = []
        for name in sets:
            s = kept & (names == name)
            tp = float((s & ok).sum())
            prec, rec = tp / max(1.0, float(s.sum())), tp / max(1, n_gold.get(name, 0))
            f1s.append(2 * prec * rec / max(1e-9, prec + rec))
        k = kept & sel
        curve.append((t, float(np.mean(f1s)) if f1s else 0.0, float((k & ok).sum()) / max(1, int(k.sum()))))
    return curve


def _best_gain(curve: list[tuple[float, float, float]]) -> float:
    """The threshold with the best mean F1 (the lowest of equals) if it beats none by NIL_MIN_GAIN, else 0."""
    best = max(f for _, f, _ in curve)
    t = min(t for t, f, _ in curve if f >= best - 1e-9)
    return t if best >= curve[0][1] + NIL_MIN_GAIN else 0.0


def choose_nil(oof: list[dict], cal: Calibration, n_gold: dict[str, int], min_precision: float,
               in_sample_keep: list[dict], rule: str = "none") -> tuple[float, dict[str, float], dict]:
    """The NIL thresholds on the calibrated confidence (all links; per class), from the out-of-fold links.
    ``min_precision`` > 0: one threshold, the lowest whose pooled precision is at least that; else ``rule``
    "f1": one, the highest whose mean InKB F1 over the sets is within ``NIL_F1_SLACK`` of the best; "f1-by-class":
    for the links of each of ``NIL_LINK_CLASSES`` (in every document), then for the other links of each of
    ``NIL_CLASSES`` and for the rest, the one with the best mean F1 over their
    sets (the lowest of equals) if it beats none by ``NIL_MIN_GAIN``; "none": 0. Never above the lowest confidence of a right link of the examples (out of
    fold, and in sample by the final model)."""
    links = _links(oof)
    conf = calibrated(links, cal)
    ok = np.array([r["ok"] for r in links], dtype=bool)
    names = np.array([r["set"] for r in links])
    keep = [c for c, r in zip(conf, links, strict=True) if r["ok"] and r["set"] in KEEP_LINKS_SETS]
    keep += [cal.confidence(r["p"], r["classes"]) for r in in_sample_keep if r["ok"]]
    bound = float(np.floor(min(keep, default=1.0) * 100) / 100)
    curve = _nil_curve(conf, ok, names, n_gold)
    by_class: dict[str, float] = {}
    info: dict = {"nil_examples_bound": bound, "nil_curve": [(t, round(f, 4), round(p, 4)) for t, f, p in curve]}
    if min_precision > 0:
        fits = [t for t, _, prec in curve if prec >= min_precision]
        t = fits[0] if fits else curve[-1][0]
        info["nil_rule"] = f"lowest with out-of-fold precision >= {min_precision}"
    elif rule == "f1":
        best = max(f for _, f, _ in curve)
        t = max(t for t, f, _ in curve if f >= best - NIL_F1_SLACK)
        info["nil_rule"] = f"highest within {NIL_F1_SLACK} of the best mean InKB F1 of the training sets, out of fold"
    elif rule == "f1-by-class":
        cut = np.zeros(len(links))  # each link's threshold as chosen so far (the highest of its classes')
        for cls in (*NIL_LINK_CLASSES, *NIL_CLASSES):
            sel = np.array([cls in r["classes"] for r in links], dtype=bool)
            if sel.sum() < 20:
                continue
            c_curve = _class_curve(conf, ok, names, n_gold, sel, cut)
            info[f"nil_curve_{cls}"] = [(t, round(f, 4), round(p, 4)) for t, f, p in c_curve]
            t_cls = round(min(_best_gain(c_curve), bound), 2)
            if t_cls or cls in NIL_CLASSES:  # a kind of document's links keep their own (0: no threshold)
                by_class[cls] = t_cls
                cut = np.where(sel, np.maximum(cut, t_cls), cut)
        rest = ~np.array([any(c in r["classes"] for c in NIL_CLASSES if c in by_class) for r in links], dtype=bool)
        r_curve = _class_curve(conf, ok, names, n_gold, rest, cut) if rest.any() else curve
        info["nil_curve_other"] = [(t, round(f, 4), round(p, 4)) for t, f, p in r_curve]
        t = _best_gain(r_curve)
        info["nil_rule"] = (f"per kind of link ({', '.join(NIL_LINK_CLASSES)}; a link's highest counts), then per kind "
                            f"of document for the other links ({', '.join(NIL_CLASSES)}, other): the best mean InKB F1 "
                            f"of the training sets out of fold, if it beats none by {NIL_MIN_GAIN}")
    else:
        t = 0.0
        info["nil_rule"] = "none (the model's threshold and floor only)"
    return round(min(t, bound), 2), by_class, info


def _lowest_kept(p: np.ndarray, ok: np.ndarray, keep: np.ndarray) -> float:
    """The lowest probability of a right link of the sets that must keep every right link (the examples)."""
    sel = keep & (ok > 0)
    return float(p[sel].min()) if sel.any() else 1.0


def link_records(name: str, items: list[tuple], kb, model_path: Path) -> tuple[list[dict], int]:
    """Every QID link the real linker makes with these weights in these documents: the model's probability, the
    link's risk classes, the confidence written, whether the gold has that QID at that span (a link at a span
    without a gold mention is not) and how the gold judges it (``judge``; ``_links`` keeps the judged ones); and
    the number of gold QID mentions."""
    cfg = LinkerConfig(weights=str(model_path))
    skip_demonyms = name not in DEMONYM_SETS
    out, n_gold = [], 0
    for doc, article, lang, _sentences, mentions, _model in items:
        linked, _, scores = link_with_scores(mentions, kb, lang, cfg, text=article.text, published=article.published)
        b, e = doc.span
        gold = [g for g in doc.mentions if b <= g.start and g.end <= e]
        n_gold += sum(1 for g in gold if g.qid and not g.optional)
        preds = [(i, m) for i, m in enumerate(linked) if m.entity_key and m.entity_key.startswith("Q")
                 and b <= m.start and m.end <= e and not (skip_demonyms and m.kind == "demonym")]
        align = strict_alignment([(g.start, g.end) for g in gold], [(m.start, m.end) for _, m in preds], doc.text)
        gold_of = {j: gold[i] for i, j in align.items()}
        for j, (i, m) in enumerate(preds):
            g = gold_of.get(j)
            if g is not None and g.optional and g.qid == m.entity_key:
                continue
            p, classes = scores.get(i, (m.confidence, frozenset()))
            others = sorted((c.score for c in m.candidates if c.qid != m.entity_key), reverse=True)
            out.append({"set": name, "doc": doc.id, "text": m.text, "qid": m.entity_key, "p": p, "classes": classes,
                        "n_cands": len(m.candidates), "second": others[0] if others else 0.0, "others": sum(others),
                        "conf": m.confidence, "ok": g is not None and g.qid == m.entity_key,
                        "gold": g.qid if g is not None else "-",
                        "judged": judge(doc, gold, (m.start, m.end), g)})
    return out, n_gold


def evaluate(items: list[tuple], kb, model_path: Path, skip_demonyms: bool, name: str = ""
             ) -> tuple[dict, list[dict]]:
    """The real linker with these weights, scored by the real scorer; plus every link (``link_records``)."""
    scores = []
    cfg = LinkerConfig(weights=str(model_path))
    for doc, article, lang, sentences, mentions, model in items:
        linked, entities, _ = link_with_scores(mentions, kb, lang, cfg, text=article.text,
                                               published=article.published)
        result = DocumentResult(article, lang, sentences, tuple(linked), tuple(entities), (), model=model)
        scores.append(score_document(doc, result, skip_demonyms=skip_demonyms))
    return build_report(scores, max_errors=0), link_records(name, items, kb, model_path)[0]


EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def reliability(links: list[dict]) -> list[tuple[str, int, float, float]]:
    """Per confidence bin: links, mean confidence, share right."""
    out = []
    links = _links(links)
    for lo, hi in zip(EDGES, EDGES[1:], strict=False):
        sel = [r for r in links if lo <= r["conf"] < hi]
        out.append((f"{lo:.1f}–{min(hi, 1.0):.1f}", len(sel),
                    float(np.mean([r["conf"] for r in sel])) if sel else float("nan"),
                    float(np.mean([r["ok"] for r in sel])) if sel else float("nan")))
    return out


def top_bucket(links: list[dict]) -> str:
    hi = [r["ok"] for r in _links(links) if r["conf"] >= 0.9]
    return f"{sum(hi)} of {len(hi)} ({100 * sum(hi) / len(hi):.1f} %)" if hi else "none"


def reliability_table(columns: dict[str, list[dict]]) -> list[str]:
    """A markdown table: per bin and column, links / mean confidence / share right."""
    head = "| confidence | " + " | ".join(f"{c}: links | mean conf. | right" for c in columns) + " |"
    out = [head, "|---|" + "---:|---:|---:|" * len(columns)]
    tables = {c: reliability(v) for c, v in columns.items()}
    for k, (label, *_rest) in enumerate(next(iter(tables.values()))):
        cells = []
        for rows_ in tables.values():
            _, n, mean, acc = rows_[k]
            cells.append(f"{n} | {100 * mean:.1f} % | {100 * acc:.1f} %" if n else "0 | – | –")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("| **≥ 0.9 right** | " + " | ".join(f"{top_bucket(v)} | | " for v in columns.values()) + " |")
    return out


def nil_tradeoff(links: list[dict], n_gold: dict[str, int], thresholds: tuple[float, ...]) -> list[str]:
    """InKB P / R / F1 per set if links below each NIL threshold stayed unlinked (the links given: of the
    real linker; a full name's aliases are not followed, so this reads a little optimistic for recall)."""
    names = [n for n in n_gold if any(r["set"] == n for r in links)]
    out = ["| NIL threshold | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for t in thresholds:
        cells = []
        for name in names:
            sel = [r for r in _links(links) if r["set"] == name and r["conf"] >= t]
            tp = sum(r["ok"] for r in sel)
            prec, rec = tp / max(1, len(sel)), tp / max(1, n_gold[name])
            cells.append(f"{100 * prec:.1f} / {100 * rec:.1f} / {100 * 2 * prec * rec / max(1e-9, prec + rec):.1f}")
        out.append(f"| {t:.2f} | " + " | ".join(cells) + " |")
    return out


def write_weights(model: LinkerModel, path: Path, info: dict, trained_on: list[str]) -> None:
    data = {
        "about": "kgbuild linker: logistic regression over kgbuild.linking.features, Platt-scaled, the confidence "
                 "calibrated by risk class; retrain with scripts/train_linker.py",
        "trained_on": trained_on, "held_out_never_used": ["examples/heldout"],
        "date": dt.date.today().isoformat(), "data": info,
        "weights": {n: round(w, 5) for n, w in zip(FEATURE_NAMES, model.weights, strict=False)},
        "calibration": {"a": round(model.platt_a, 5), "b": round(model.platt_b, 5)},
        "threshold": model.threshold,
        "confidence": model.calibration.as_dict(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def half(name: str, items: list[tuple], which: str) -> list[tuple]:
    """The documents of one half of a set (``split_of``); "all" for every document."""
    return items if which == "all" else [it for it in items if split_of(name, it[0].id) == which]


def _prf(rep: dict) -> str:
    """InKB P / R / F1, then the D2KB precision (links on the gold's own mentions; its recall is InKB's)."""
    m, d = rep["linking"]["inkb_micro"], rep["linking"]["d2kb_micro"]
    return f"{100 * m['precision']:.1f} / {100 * m['recall']:.1f} / {100 * m['f1']:.1f} (D2KB P {100 * d['precision']:.1f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=ROOT / "benchmarks/out/linker-cache")
    ap.add_argument("--out", type=Path, default=ROOT / "kgbuild/data/linker/weights.json")
    ap.add_argument("--report", type=Path, default=ROOT / "benchmarks/out/linker-report.md")
    ap.add_argument("--lobo-dir", type=Path, default=ROOT / "benchmarks/out/linker-lobo")
    ap.add_argument("--min-precision", type=float, default=0.0,
                    help="NIL threshold: the lowest whose out-of-fold precision is at least this (default: none)")
    ap.add_argument("--nil", choices=("none", "f1", "f1-by-class"), default="f1-by-class",
                    help="NIL threshold on the calibrated confidence, from out-of-fold F1 (see choose_nil)")
    ap.add_argument("--only", nargs="*", help=f"train on these sets (default: {' '.join(TRAIN_DEFAULT)})")
    ap.add_argument("--no-lobo", action="store_true", help="skip the leave-one-benchmark-out runs")
    ap.add_argument("--no-split", action="store_true",
                    help="train on whole benchmarks (default: their training halves only, see split_of)")
    ap.add_argument("--cal-scope", choices=("judged", "inkb"), default=CAL_SCOPE,
                    help="links the confidence is calibrated on: those the gold judges, or every link (InKB)")
    ap.add_argument("--cal-also", nargs="*", default=CAL_ALSO, metavar="NAME",
                    help="sets whose training halves calibrate the confidence and choose the NIL thresholds but train "
                         f"no weights (default: {' '.join(CAL_ALSO) or 'none'})")
    ap.add_argument("--l2", type=float, default=L2,
                    help=f"L2 strength pulling the weights towards the prior weights (default {L2})")
    ap.add_argument("--signs", action="store_true",
                    help="constrain the net weights of the features whose direction is known (model.KNOWN_SIGNS)")
    ap.add_argument("--anchor", type=Path, help="pull the weights towards this weights file's (default: the "
                    "hand-set linker)")
    ap.add_argument("--keep-confidence", type=Path, metavar="FILE",
                    help="fit the ranking weights only; take the Platt scaling, threshold and confidence from FILE")
    ap.add_argument("--freeze", nargs="*", default=[], choices=FEATURE_NAMES, metavar="FEATURE",
                    help="features held at their prior (or --anchor) weight")
    ap.add_argument("--kb", help="a KB file (default: the bundled KB)")
    ap.add_argument("--compare", type=Path, help="also score these weights (e.g. the shipped ones) on the same halves")
    args = ap.parse_args()
    globals()["CAL_SCOPE"] = args.cal_scope
    globals()["L2"] = args.l2
    globals()["SIGN_CONSTRAINTS"] = args.signs
    globals()["FROZEN"] = tuple(args.freeze)
    if args.compare:  # read before --out may overwrite it
        cmp_path = args.report.parent / "compare-weights.json"
        cmp_path.parent.mkdir(parents=True, exist_ok=True)
        cmp_path.write_bytes(args.compare.read_bytes())
        args.compare = cmp_path
    pipeline = Pipeline(kb=open_kb(args.kb) if args.kb else None)
    kb = pipeline.knowledge_base
    names = args.only or TRAIN_DEFAULT
    scored = {n: in_scope(prepared(n, pipeline, args.cache)) for n in SETS}
    whole = {n: scored[n] for n in names}
    sets = whole if args.no_split else {n: half(n, scored[n], "train") for n in names}
    work = args.report.parent / "linker-work"
    cal_only = {n: scored[n] if args.no_split else half(n, scored[n], "train") for n in args.cal_also if n not in names}
    if args.anchor:
        globals()["ANCHOR"] = np.array(linker_model.LinkerModel.from_dict(json.loads(args.anchor.read_text()),
                                                                          str(args.anchor)).weights)
    if args.keep_confidence:  # the ranking weights only: the anchor's Platt scaling, threshold and confidence
        w1, w2 = _fit_two_rounds(sets, kb)
        old = linker_model.LinkerModel.from_dict(json.loads(args.keep_confidence.read_text()))
        model = linker_model.LinkerModel(tuple(float(v) for v in w2), old.platt_a, old.platt_b, old.threshold,
                                         "training", old.calibration)
        info, oof = {"confidence": {"kept_from": str(args.keep_confidence)}}, []
    else:
        model, info, oof = train(sets, kb, args.min_precision, work=work, nil_rule=args.nil, cal_only=cal_only)
    if cal_only:
        info["calibrated_also_on"] = sorted(cal_only)
    info["split"] = "whole sets" if args.no_split else "training halves (scripts/train_linker.py split_of)"
    info["l2"] = L2
    if SIGN_CONSTRAINTS:
        info["sign_constraints"] = "net weights of model.KNOWN_SIGNS (model.net_weights)"
    save(model, args.out, info, names)
    print(f"wrote {args.out}: threshold {model.threshold}, {json.dumps(info)[:2000]}")
    lines = ["| set | test half: InKB P / R / F1 | whole set | leave-one-out (whole set) |"
             + (f" {args.compare.name}: test half | whole set |" if args.compare else ""),
             "|---|---|---|---|" + ("---|---|" if args.compare else "")]
    test_links: dict[str, list[dict]] = {}
    whole_links: dict[str, list[dict]] = {}
    lobo_links: dict[str, list[dict]] = {}
    n_gold_test: dict[str, int] = {}
    for name in SETS:
        test_items = half(name, scored[name], "test")
        skip = name not in DEMONYM_SETS
        rep_test, links = evaluate(test_items, kb, args.out, skip, name) if test_items else (None, [])
        if test_items and name in SPLIT_SETS and not args.no_split:
            test_links[name] = links
            n_gold_test[name] = link_records(name, test_items, kb, args.out)[1]
        rep_all, whole_links[name] = evaluate(scored[name], kb, args.out, skip, name)
        lobo_txt = "–"
        if not args.no_lobo and name in whole and len(names) > 1:
            others = {k: v for k, v in whole.items() if k != name}
            lobo, lobo_info, _ = train(others, kb, args.min_precision, work=work / f"without-{name}",
                                       nil_rule=args.nil)
            path = save(lobo, args.lobo_dir / f"without-{name}.json", lobo_info, list(others))
            rep2, lobo_links[name] = evaluate(scored[name], kb, path, skip, name)
            lobo_txt = _prf(rep2)
        trained = "" if name in names else " (not trained on)"
        cmp_txt = ""
        if args.compare:
            cmp_test = _prf(evaluate(test_items, kb, args.compare, skip, name)[0]) if test_items else "–"
            cmp_txt = f" {cmp_test} | {_prf(evaluate(scored[name], kb, args.compare, skip, name)[0])} |"
        lines.append(f"| {name}{trained} | {_prf(rep_test) if rep_test else '–'} | {_prf(rep_all)} | {lobo_txt} |{cmp_txt}")
        print(lines[-1], flush=True)
    trained_test = [r for n, v in test_links.items() if n in names for r in v]
    net = linker_model.net_weights(model.weights)
    lines += ["", "Net weights (model.net_weights; * marks a sign against model.KNOWN_SIGNS): " + ", ".join(
        f"{n} {net[n]:+.3f}{'*' if net[n] * sign < -1e-3 else ''}" for n, sign in linker_model.KNOWN_SIGNS.items())]
    lines += ["", "Calibration: " + json.dumps({k: v for k, v in info.get("confidence", {}).items()
                                                 if k != "nil_curve"}),
              "", "Confidence written: " + json.dumps(model.calibration.as_dict()), ""]
    lines += ["Reliability out of sample: the test halves of the sets trained on (pooled), the held-out examples, "
              "leave-one-out (pooled):", ""]
    lines += reliability_table({"test halves": trained_test, "held-out examples": whole_links.get("heldout", []),
                                "leave-one-out": [r for v in lobo_links.values() for r in v]})
    if lobo_links:
        lines += ["", "Leave-one-out, links with confidence >= 0.9 per set: " + "; ".join(
            f"{n} {top_bucket(v)}" for n, v in lobo_links.items())]
    if test_links:
        lines += ["", "Reliability per test half (and the examples, in sample):", ""]
        lines += reliability_table({n: v for n, v in test_links.items()} | {"examples (in sample)":
                                                                            whole_links.get("examples", [])})
    lines += ["", f"Reliability in sample ({'whole sets' if args.no_split else 'training halves'} and the examples, "
              "the final weights):", ""]
    lines += reliability_table({"in sample": [r for n in names for r in link_records(n, sets[n], kb, args.out)[0]]})
    lines += ["", "Out-of-fold (what the calibration was fitted on), after calibration:", ""]
    oof_links = _links(oof)
    for r, c in zip(oof_links, calibrated(oof_links, model.calibration), strict=True):
        r["conf"] = c
    lines += reliability_table({"out of fold": oof_links})
    if test_links:
        lines += ["", "NIL threshold on the calibrated confidence, test halves (InKB P / R / F1 of the links of "
                  f"annotated documents; chosen: {model.calibration.nil_threshold}, on the training halves' "
                  "out-of-fold links):", ""]
        lines += nil_tradeoff(trained_test + [r for n, v in test_links.items() if n not in names for r in v],
                              n_gold_test, (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[len(SETS) + 2:]))


if __name__ == "__main__":
    main()
