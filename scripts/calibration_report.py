"""Reliability of the linker's confidence per benchmark and half, and a refit of the confidence map.

    PYTHONPATH=$PWD python scripts/calibration_report.py [--weights FILE] [--scope inkb|judged] [--bins N]
    PYTHONPATH=$PWD python scripts/calibration_report.py --fit OUT.json [--weights FILE]

Every link the real linker makes with a weights file in every development set (documents, mentions and
alignment as in ``scripts/train_linker.py``: the same cache, ``in_scope``, ``link_records``) is one record:
the confidence written (``itsrdf:taConfidence``), the model's probability, the link's risk classes and whether the
gold has that QID at that span. Scope ``inkb`` (default): every link counts, one at a span the gold does not
annotate is wrong (``kgbuild eval``'s InKB precision); ``judged``: only the links the gold judges. The records are
grouped by the halves of ``split_of``: a benchmark's training half (``train``), its test half (``test``), the
development examples (``dev``: training data) and the held-out examples (``heldout``: never used). For each group
and for the pooled benchmark halves the report gives the reliability diagram (links, mean confidence, share right
per bin of width 1/N), the expected calibration error (ECE: the bins' |share right - mean confidence|, weighted by
their links), the mean log loss and Brier score, and the links with confidence >= 0.9 and how many are right; then each benchmark half's diagram in coarser bins.

``--fit OUT``: refit the confidence map of ``--weights`` (the ranking weights and the model's probability stay as
they are) on the training halves and the development examples only (records of the linker with the NIL cuts
off, so that the dropped links are data too), with the document folds of ``train_linker.fold_of`` to choose the
map's regularisation (cross-fitting: each fold's links are predicted by a map fitted without that fold); writes
the weights file with the new map and the NIL thresholds of ``--nil-by-class`` (see ``nil_cuts``), then scores
it on the test halves and the held-out examples as above. Whether to ship it is decided on those figures.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from train_linker import (  # noqa: E402
    K_FOLDS,
    fold_of,
    in_scope,
    link_records,
    prepared,
    split_of,
)

from kgbuild.linking import model as linker_model  # noqa: E402
from kgbuild.linking.model import RISK_CLASSES, Calibration  # noqa: E402
from kgbuild.pipeline import Pipeline, open_pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ("kore50", "oke2015", "oke2016", "spotlight", "hipe-sonar-dev", "hipe-newseye-dev", "hipe-newseye-dev2")
#: the confidence is never written above this (``kgbuild.linking._calibrate``)
CAP = 0.99
#: L2 strengths of the offsets tried by cross-fitting
L2_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)



def group_of(name: str, doc_id: str) -> str:
    """The half a document belongs to: a benchmark's ``train`` / ``test``, the examples' ``dev`` / ``heldout``."""
    if name == "examples":
        return "dev"
    if name == "heldout":
        return "heldout"
    return split_of(name, doc_id)


def collect(weights: Path, sets: dict[str, list[tuple]], kb) -> list[dict]:
    """Every link of the real linker with these weights in these sets, with its half (``group_of``) and fold."""
    out = []
    for name, items in sets.items():
        recs, _ = link_records(name, items, kb, weights)
        for r in recs:
            r["group"] = group_of(name, r["doc"])
            r["fold"] = fold_of(name, r["doc"])
        out += recs
    return out


def in_scope_links(recs: list[dict], scope: str) -> list[dict]:
    return [r for r in recs if scope == "inkb" or r["judged"] != "unjudged"]


def metrics(recs: list[dict], conf_key: str = "conf", bins: int = 10) -> dict:
    """Links, ECE, log loss, Brier, and the >= 0.9 bucket of these links; the bins of the diagram."""
    if not recs:
        return {"links": 0}
    c = np.array([r[conf_key] for r in recs], dtype=float)
    y = np.array([1.0 if r["ok"] else 0.0 for r in recs])
    idx = np.minimum((c * bins).astype(int), bins - 1)
    diagram, ece = [], 0.0
    for b in range(bins):
        sel = idx == b
        if sel.any():
            gap = abs(float(y[sel].mean()) - float(c[sel].mean()))
            ece += gap * sel.sum() / len(c)
            diagram.append((b / bins, (b + 1) / bins, int(sel.sum()), float(c[sel].mean()), float(y[sel].mean())))
    cc = np.clip(c, 1e-3, 1 - 1e-3)
    hi = c >= 0.9
    return {"links": len(c), "right": int(y.sum()), "mean_conf": float(c.mean()), "ece": float(ece),
            "log_loss": float(-np.mean(y * np.log(cc) + (1 - y) * np.log(1 - cc))),
            "brier": float(np.mean((c - y) ** 2)), "hi_links": int(hi.sum()), "hi_right": int(y[hi].sum()),
            "diagram": diagram}


def _hi(m: dict) -> str:
    if not m.get("hi_links"):
        return "0"
    return f"{m['hi_right']}/{m['hi_links']} ({100 * m['hi_right'] / m['hi_links']:.0f} %)"


def summary_lines(recs: list[dict], conf_key: str = "conf", bins: int = 10) -> list[str]:
    """Per set and half, and pooled: links, right, mean confidence, ECE, log loss, Brier, >= 0.9 right."""
    out = ["| set | half | links | right | mean conf. | ECE | log loss | Brier | ≥ 0.9 right |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]

    def row(label: str, half: str, sel: list[dict]) -> None:
        m = metrics(sel, conf_key, bins)
        if m["links"]:
            out.append(f"| {label} | {half} | {m['links']} | {100 * m['right'] / m['links']:.1f} % | "
                       f"{100 * m['mean_conf']:.1f} % | {m['ece']:.3f} | {m['log_loss']:.3f} | {m['brier']:.3f} | "
                       f"{_hi(m)} |")

    for name in BENCHMARKS:
        for half in ("train", "test"):
            row(name, half, [r for r in recs if r["set"] == name and r["group"] == half])
    for half in ("train", "test"):
        row("**7 benchmarks pooled**", half, [r for r in recs if r["set"] in BENCHMARKS and r["group"] == half])
    row("examples", "dev", [r for r in recs if r["group"] == "dev"])
    row("examples", "heldout", [r for r in recs if r["group"] == "heldout"])
    return out


def diagram_lines(columns: dict[str, list[dict]], conf_key: str = "conf", bins: int = 10) -> list[str]:
    """The reliability diagram as a table: per confidence bin and column, links / mean confidence / share right."""
    ms = {k: metrics(v, conf_key, bins) for k, v in columns.items()}
    out = ["| confidence | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for b in range(bins):
        lo = b / bins
        cells = []
        for m in ms.values():
            d = [x for x in m.get("diagram", []) if abs(x[0] - lo) < 1e-9]
            cells.append(f"{d[0][2]} / {100 * d[0][3]:.0f} % / {100 * d[0][4]:.0f} %" if d else "–")
        if any(c != "–" for c in cells):
            out.append(f"| {lo:.1f}–{lo + 1 / bins:.1f} | " + " | ".join(cells) + " |")
    out.append("| ECE / log loss | " + " | ".join(f"{m['ece']:.3f} / {m['log_loss']:.3f}" if m["links"] else "–"
                                                for m in ms.values()) + " |")
    return out


#: the bins of the per-set diagram (few links per set: coarser below 0.6)
SET_EDGES = (0.0, 0.6, 0.7, 0.8, 0.9, 1.01)


def per_set_lines(recs: list[dict], conf_key: str = "conf", bins: int = 10) -> list[str]:
    """The reliability diagram of every benchmark's halves: per bin links / share right, then ECE (``bins``)."""
    labels = [f"{lo:.1f}–{min(hi, 1.0):.1f}" if lo else f"< {hi:.1f}" for lo, hi in zip(SET_EDGES, SET_EDGES[1:],
                                                                                           strict=False)]
    out = ["| set | half | " + " | ".join(labels) + " | ECE |", "|---|---|" + "---:|" * (len(labels) + 1)]
    for name in BENCHMARKS:
        for half in ("train", "test"):
            sel = [r for r in recs if r["set"] == name and r["group"] == half]
            if not sel:
                continue
            cells = []
            for lo, hi in zip(SET_EDGES, SET_EDGES[1:], strict=False):
                b = [r for r in sel if lo <= r[conf_key] < hi]
                cells.append(f"{len(b)} / {100 * sum(r['ok'] for r in b) / len(b):.0f} %" if b else "–")
            out.append(f"| {name} | {half} | " + " | ".join(cells) + f" | {metrics(sel, conf_key, bins)['ece']:.3f} |")
    return out


def report(recs: list[dict], scope: str, bins: int, conf_key: str = "conf") -> str:
    recs = in_scope_links(recs, scope)
    bench = [r for r in recs if r["set"] in BENCHMARKS]
    cols = {"benchmarks, training halves": [r for r in bench if r["group"] == "train"],
            "benchmarks, test halves": [r for r in bench if r["group"] == "test"],
            "English test halves": [r for r in bench if r["group"] == "test" and not r["set"].startswith("hipe")],
            "HIPE test halves": [r for r in bench if r["group"] == "test" and r["set"].startswith("hipe")],
            "dev examples": [r for r in recs if r["group"] == "dev"],
            "held-out examples": [r for r in recs if r["group"] == "heldout"]}
    lines = [f"Scope: {scope}. Per bin: links / mean confidence / share right.", ""]
    lines += diagram_lines(cols, conf_key, bins) + [""] + summary_lines(recs, conf_key, bins)
    lines += ["", "Per benchmark and half: links / share right per bin of confidence.", ""]
    lines += per_set_lines(recs, conf_key, bins)
    return "\n".join(lines) + "\n"


# --- the refit ------------------------------------------------------------------------------------------------

def _design(recs: list[dict]) -> np.ndarray:
    return np.array([[1.0, linker_model.logit(r["p"])] + [1.0 if c in r["classes"] else 0.0 for c in RISK_CLASSES]
                     for r in recs], dtype=float).reshape(-1, 2 + len(RISK_CLASSES))


def _fit(x: np.ndarray, y: np.ndarray, l2: float, iters: int = 100) -> np.ndarray:
    """Logistic regression by Newton's method; the intercept and slope nearly free, the offsets L2-shrunk to 0."""
    reg = np.full(x.shape[1], l2)
    reg[:2] = 1e-3
    w = np.zeros(x.shape[1])
    w[1] = 1.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -35, 35)))
        g = x.T @ (p - y) + reg * w
        h = (x * (p * (1 - p))[:, None]).T @ x + np.diag(reg)
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def _loss(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(1 / (1 + np.exp(-np.clip(x @ w, -35, 35))), 1e-4, 1 - 1e-4)
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))


def fit_map(recs: list[dict]) -> tuple[Calibration, dict]:
    """The logistic map (slope on the probability's logit, an offset per risk class) fitted on ``recs``; the
    offsets' L2 chosen by cross-fitting over the document folds (``fold``)."""
    x, y = _design(recs), np.array([1.0 if r["ok"] else 0.0 for r in recs])
    folds = np.array([r["fold"] for r in recs])
    losses = {}
    for l2 in L2_GRID:
        loss = sum(_loss(_fit(x[folds != f], y[folds != f], l2), x[folds == f], y[folds == f])
                   for f in range(K_FOLDS) if (folds == f).any() and (folds != f).any())
        losses[l2] = loss / max(1, len(y))
    l2 = min(losses, key=lambda k: (losses[k], -k))
    w = _fit(x, y, l2)
    if w[1] <= 0:
        raise SystemExit(f"slope {w[1]:.3f} is not positive")
    oof = np.zeros(len(y))
    for f in range(K_FOLDS):
        te = folds == f
        if te.any():
            oof[te] = 1 / (1 + np.exp(-(x[te] @ _fit(x[~te], y[~te], l2))))
    cal = Calibration(float(w[1]), float(w[0]),
                      tuple((c, float(v)) for c, v in zip(RISK_CLASSES, w[2:], strict=True) if abs(v) >= 1e-4))
    return cal, {"l2": l2, "cross_fit_log_loss": {str(k): round(v, 4) for k, v in losses.items()},
                 "links": len(y), "right": int(y.sum()), "oof": oof.tolist()}


#: a refit map ships only if, on the benchmarks' test halves, its ECE and log loss are lower than the shipped map's and
#: its links with confidence >= 0.9 are right at least this often (issue 13's target)
TARGET_RIGHT = 0.9


def with_map(recs: list[dict], cal: Calibration, key: str) -> list[dict]:
    """``recs`` with ``key`` set to the confidence ``cal`` gives each link (capped as the linker writes it). A short
    name that took the entity of an earlier full name keeps the confidence written: mostly that full name's
    (``kgbuild.linking._calibrate``), which the records do not say (so the examples' rows are approximate)."""
    for r in recs:
        own = min(CAP, cal.confidence(r["p"], r["classes"]))
        r[key] = max(own, r["conf"]) if "alias_of_earlier" in r["classes"] else own
    return recs


def verdict(old: dict, new: dict) -> tuple[bool, str]:
    """Whether a refit map (``new``: ``metrics`` of the test halves) may replace the shipped one (``old``)."""
    why = []
    if new["ece"] >= old["ece"]:
        why.append(f"ECE {new['ece']:.3f} not below {old['ece']:.3f}")
    if new["log_loss"] >= old["log_loss"]:
        why.append(f"log loss {new['log_loss']:.3f} not below {old['log_loss']:.3f}")
    if new["hi_links"] and new["hi_right"] < TARGET_RIGHT * new["hi_links"]:
        why.append(f"links >= 0.9 right {new['hi_right']} of {new['hi_links']}, below {TARGET_RIGHT:.0%}")
    return (not why, "; ".join(why) or "better on the test halves")


def nil_off(weights: Path, out: Path) -> Path:
    """A copy of a weights file without NIL thresholds: the links they drop are data for the map too."""
    data = json.loads(weights.read_text(encoding="utf-8"))
    data["confidence"]["nil_threshold"], data["confidence"]["nil_by_class"] = 0.0, {}
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def refit(weights: Path, out: Path, sets: dict[str, list[tuple]], kb, scope: str, bins: int, variant: str) -> str:
    """Fit on the training halves and development examples (links of the linker with the NIL cuts off) either a new
    logistic map (``variant`` "map") or the bounds of the shipped map (``fit_bounds``, "bounds"); compare both with
    the shipped map on the same links of every half; write ``out``: the weights with the ``variant`` chosen (the
    shipped NIL thresholds kept)."""
    recs = in_scope_links(collect(nil_off(weights, out.with_suffix(".nil-off.json")), sets, kb), scope)
    shipped = linker_model.load_model(weights).calibration
    fit_on = [r for r in recs if r["group"] in ("train", "dev")]
    cal, info = fit_map(fit_on)
    nil = (shipped.nil_threshold, shipped.nil_by_class)
    # every link the model makes, the NIL thresholds off, as the map's own calibration links (train_linker)
    bounds = linker_model.fit_bounds((r["classes"], r["ok"]) for r in fit_on)
    maps = {"shipped": shipped,
            "map": Calibration(cal.slope, cal.intercept, cal.offsets, *nil),
            "bounds": Calibration(shipped.slope, shipped.intercept, shipped.offsets, *nil, tuple(sorted(bounds.items())))}
    for name, m in maps.items():
        with_map(recs, m, "c_" + name)
    lines = [f"Fitted on {info['links']} links of the training halves and development examples ({info['right']} right).",
             f"map: offsets' L2 {info['l2']} by {K_FOLDS}-fold cross-fitting (log loss {info['cross_fit_log_loss']}): "
             f"slope {cal.slope:.3f}, intercept {cal.intercept:.3f}, offsets "
             + ", ".join(f"{c} {v:+.2f}" for c, v in cal.offsets) + ".",
             "bounds: " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(bounds.items())) + ".", ""]
    groups = {"benchmarks, training halves": lambda r: r["group"] == "train",
              "benchmarks, test halves": lambda r: r["group"] == "test",
              "English test halves": lambda r: r["group"] == "test" and not r["set"].startswith("hipe"),
              "HIPE test halves": lambda r: r["group"] == "test" and r["set"].startswith("hipe"),
              "development examples": lambda r: r["group"] == "dev",
              "held-out examples": lambda r: r["group"] == "heldout"}
    lines += ["| links | map | links | right | mean conf. | ECE | log loss | ≥ 0.9 right |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for label, sel in groups.items():
        for name in maps:
            m = metrics([r for r in recs if sel(r)], "c_" + name, bins)
            if m["links"]:
                lines.append(f"| {label} | {name} | {m['links']} | {100 * m['right'] / m['links']:.1f} % | "
                             f"{100 * m['mean_conf']:.1f} % | {m['ece']:.3f} | {m['log_loss']:.3f} | {_hi(m)} |")
    test = [r for r in recs if r["group"] == "test"]
    lines.append("")
    for name in ("map", "bounds"):
        ok, why = verdict(metrics(test, "c_shipped", bins), metrics(test, "c_" + name, bins))
        lines.append(f"Verdict on the test halves, {name}: {'better' if ok else 'not better'} ({why}).")
    data = json.loads(weights.read_text(encoding="utf-8"))
    data["confidence"] = maps[variant].as_dict()
    if variant == "map":
        data.setdefault("data", {})["confidence_refit"] = {k: v for k, v in info.items() if k != "oof"}
    else:
        data.setdefault("data", {})["confidence_bounds"] = {
            "fitted_on": "links of the training halves and development examples (scripts/calibration_report.py --fit)",
            "links": info["links"], "min_links": linker_model.BOUND_MIN_LINKS}
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=ROOT / "benchmarks/out/linker-cache")
    ap.add_argument("--weights", type=Path, default=ROOT / "kgbuild/data/linker/weights.json")
    ap.add_argument("--scope", choices=("inkb", "judged"), default="inkb")
    ap.add_argument("--bins", type=int, default=10)
    ap.add_argument("--sets", nargs="*", default=[*BENCHMARKS, "examples", "heldout"])
    ap.add_argument("--kb", type=Path, help="a KB file instead of the bundled KB (an enlarged KB: kgbuild kb import)")
    ap.add_argument("--records", type=Path, help="also write the records (JSON lines) here")
    ap.add_argument("--fit", type=Path, metavar="OUT", help="refit (see above) and write the weights here")
    ap.add_argument("--variant", choices=("bounds", "map"), default="bounds",
                    help="what --fit writes: the shipped map with bounds, or a new logistic map")
    args = ap.parse_args()
    pipeline = open_pipeline(args.kb) if args.kb else Pipeline()
    kb = pipeline.knowledge_base
    sets = {n: in_scope(prepared(n, pipeline, args.cache)) for n in args.sets}
    if args.fit:
        print(refit(args.weights, args.fit, sets, kb, args.scope, args.bins, args.variant), end="")
        return
    recs = collect(args.weights, sets, kb)
    if args.records:
        args.records.parent.mkdir(parents=True, exist_ok=True)
        args.records.write_text("".join(json.dumps({**r, "classes": sorted(r["classes"])}) + "\n" for r in recs),
                                encoding="utf-8")
    print(report(recs, args.scope, args.bins), end="")
    print("\n" + net_signs(args.weights))


def net_signs(path: Path) -> str:
    """The weights file's net weights of the features whose direction is known (``model.net_weights``,
    ``model.KNOWN_SIGNS``), those against it marked: what the probabilities above rest on."""
    net = linker_model.net_weights(linker_model.load_model(path).weights)
    return "Net weights (* against the known direction): " + ", ".join(
        f"{n} {net[n]:+.3f}{'*' if net[n] * sign < -1e-3 else ''}" for n, sign in linker_model.KNOWN_SIGNS.items())


if __name__ == "__main__":
    main()
