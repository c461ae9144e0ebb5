"""spaCy's NER, decoded with arrays: the same entities, without a transition step per token in C.

spaCy's ``EntityRecognizer`` (``spacy.TransitionBasedParser.v2``, greedy, the BILUO transition system)
embeds a batch of documents (its own tok2vec, then the "lower" layer precomputed for every token and each
of its three state features), then walks the tokens one step at a time: the state's three feature tokens
(the next token B0; the first token of the open entity E0 and the token before B0, both only while an
entity is open) give a hidden vector (sum of the precomputed rows, bias, maxout), the "upper" layer scores
the actions, and the best valid action is taken. In spaCy 3.8 that loop costs more than the networks: every
validity check of every action at every token takes and drops the GIL (about 40 µs per token here).

``GreedyNER`` wraps the real component and gives the same annotations: while no entity is open, the state
of token i is (i, none, none) whatever came before, so the scores of all such states are computed in one
matrix product and the validity of each action is a function of the token (is it the last one, does a
sentence start after it, is it white space); an entity opened at b gives the states (j, b, j-1) for the
tokens after it, computed for the few tokens an entity can span, and only the walk from one entity to the
next is Python. Every number is computed from the same precomputed rows, in the same order of additions,
with the same BLAS routine (whose rows do not depend on the other rows of the product:
``tests/test_greedy_ner.py`` checks this, and compares entities token for token with spaCy's own NER on
real English and German text); a valid action is chosen as spaCy's ``arg_max_if_valid`` does (the first
of the best). Documents with preset entity annotations (``ent_iob`` set before the NER), a beam, a model
of another shape, or scores that are not finite go through the real component.
"""
from __future__ import annotations

import bisect
import logging

import numpy
from spacy.attrs import ENT_IOB, ENT_KB_ID, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

log = logging.getLogger(__name__)

# spaCy's BILUO moves (spacy/pipeline/_parser_internals/ner.pyx)
_BEGIN, _IN, _LAST, _UNIT, _OUT = "B", "I", "L", "U", "O"
#: tokens after an entity's first for which the open states are computed ahead (longer ones: on demand)
AHEAD = 6


class GreedyNER:
    """Wraps a spaCy ``EntityRecognizer``; see the module docstring. Everything but ``__call__`` and ``pipe``
    is the real component's."""

    def __init__(self, ner, tables: "_Tables") -> None:
        self.ner = ner
        self.name = getattr(ner, "name", "ner")
        self._t = tables

    @classmethod
    def wrap(cls, ner) -> "GreedyNER | None":
        """A ``GreedyNER`` around ``ner``, or None when its model is not one this decoder reproduces."""
        tables = _Tables.of(ner)
        return cls(ner, tables) if tables is not None else None

    def __call__(self, doc: Doc) -> Doc:
        try:
            self._annotate([doc])
        except Exception as exc:  # noqa: BLE001 - as spaCy's TrainablePipe.__call__ does
            self.ner.get_error_handler()(self.name, self, [doc], exc)
        return doc

    def pipe(self, docs, *, batch_size: int = 256):
        """As spaCy's ``Parser.pipe``: batches of ``batch_size``, each sorted by length and decoded in parts of
        a quarter of it (the same documents embedded together as there)."""
        error_handler = self.ner.get_error_handler()
        for batch in minibatch(docs, size=batch_size):
            batch_in_order = list(batch)
            try:
                by_length = sorted(batch_in_order, key=len)
                for part in minibatch(by_length, size=max(batch_size // 4, 2)):
                    self._annotate(list(part))
                yield from batch_in_order
            except Exception as exc:  # noqa: BLE001
                error_handler(self.name, self, batch_in_order, exc)

    # the rest is the real component's (labels, saving, loading, training, scoring)
    def __getattr__(self, name):
        if name in ("ner", "_t"):  # not set yet (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.ner, name)

    def _annotate(self, docs: list[Doc]) -> None:
        ner = self.ner
        if (not any(len(d) for d in docs) or self._t.changed(ner)
                or any(d.to_array([ENT_IOB]).any() for d in docs if len(d))):
            ner.set_annotations(docs, ner.predict(docs))  # nothing to decode, or presets: spaCy's own walk
            return
        entities = self._decode(docs)
        if entities is None:
            ner.set_annotations(docs, ner.predict(docs))
            return
        for doc, ents in zip(docs, entities, strict=True):
            _set_entities(doc, ents)

    def _decode(self, docs: list[Doc]) -> list[list[tuple[int, int, int]]] | None:
        """(start, end, label) of the entities of each document, or None (a score not finite: spaCy decides)."""
        t = self._t
        model = self.ner.model
        lower = model.layers[1]
        tokvecs = model.layers[0].predict(docs)  # the NER's tok2vec and its projection, as spaCy's predict
        cached = lower.predict(tokvecs)  # (tokens + 1, 3 features, hidden, pieces); row 0: the padding
        rows, pad = cached[1:], cached[0]
        # every state without an open entity: features (i, none, none), summed in spaCy's order
        closed = _scores(t, lower, (rows[:, 0] + pad[1]) + pad[2])
        if not numpy.isfinite(closed).all():
            return None
        lengths = [len(d) for d in docs]
        go_on = numpy.zeros(len(rows), dtype=bool)  # an entity may go on past this token (In / Begin)
        space = numpy.zeros(len(rows), dtype=bool)
        offset = 0
        for doc, n in zip(docs, lengths, strict=True):
            if n:
                values = doc.to_array([SENT_START, IS_SPACE])
                go_on[offset:offset + n - 1] = values[1:, 0] != 1  # not the last token, no sentence next
                space[offset:offset + n] = values[:, 1] != 0
            offset += n
        valid = t.out[None, :] | (t.begin[None, :] & (go_on & ~space)[:, None]) | (t.unit[None, :] & ~space[:, None])
        guess = numpy.where(valid, closed, -numpy.inf).argmax(axis=1)
        opens = t.opens[guess]  # per token: the label index of the entity a Begin there opens, or -1
        units = t.units[guess]  # ... of a one-token entity there, or -1
        firsts = numpy.flatnonzero(opens >= 0)
        ahead = _open_rows(t, lower, rows, firsts.tolist(), opens, go_on)
        if ahead is None:
            return None
        firsts_l = firsts.tolist()
        unit_at = numpy.flatnonzero(units >= 0).tolist()
        out = []
        offset = 0
        for n in lengths:
            lo, hi = offset, offset + n
            begins = firsts_l[bisect.bisect_left(firsts_l, lo):bisect.bisect_left(firsts_l, hi)]
            singles = unit_at[bisect.bisect_left(unit_at, lo):bisect.bisect_left(unit_at, hi)]
            ents: list[tuple[int, int, int]] = []
            i = lo  # the next token; no entity open
            k = 0
            for g in begins:
                if g < i:
                    continue  # inside the entity before: not a closed state
                while k < len(singles) and singles[k] < g:
                    if singles[k] >= i:
                        ents.append((singles[k] - lo, singles[k] + 1 - lo, t.labels[units[singles[k]]]))
                    k += 1
                end = self._close(lower, rows, ahead, g, opens, go_on)
                if end is None:
                    return None
                ents.append((g - lo, end - lo, t.labels[opens[g]]))
                i = end
            for u in singles[k:]:
                if u >= i:
                    ents.append((u - lo, u + 1 - lo, t.labels[units[u]]))
            out.append(ents)
            offset = hi
        return out

    def _close(self, lower, rows, ahead, g: int, opens, go_on) -> int | None:
        """The end (exclusive, an index of ``rows``) of the entity opened at ``g``: In while In is valid and
        scores better than Last (the first of the best, as spaCy), then Last."""
        t = self._t
        label = opens[g]
        in_first = t.ins[label] < t.lasts[label]
        j = g + 1
        scores = ahead.get(g, [])
        n = 0
        while go_on[j]:
            if n >= len(scores):
                more = _open_rows(t, lower, rows, [g], opens, go_on, start=j - g, steps=4 * AHEAD)
                if more is None:
                    return None
                scores, n = more[g], 0
            s_in, s_last = scores[n]
            if not (s_in >= s_last if in_first else s_in > s_last):
                break
            j += 1
            n += 1
        return j + 1

class _Tables:
    """What the decoder needs of a component: its action columns by move and label, the upper layer."""

    def __init__(self, ner, W, b, labels, out, begin, unit, opens, units, ins, lasts) -> None:
        self._ref = (ner.model, ner.model.layers[-1], W, b, ner.moves.n_moves)
        self.W, self.b = W, b
        self.labels = labels  # label index -> the label's hash
        self.out, self.begin, self.unit = out, begin, unit  # (actions,) bool: Out; Begin / Unit with a label
        self.opens, self.units = opens, units  # action -> label index for Begin / Unit with a label, else -1
        self.ins, self.lasts = ins, lasts  # label index -> the column of its In / Last

    def changed(self, ner) -> bool:
        """Whether the component's model was replaced or resized since (training, loading): spaCy decides."""
        upper = ner.model.layers[-1]
        return (self._ref[0] is not ner.model or self._ref[1] is not upper or ner.moves.n_moves != self._ref[4]
                or upper.get_param("W") is not self._ref[2] or upper.get_param("b") is not self._ref[3]
                or bool(ner.model.attrs.get("unseen_classes")))

    @classmethod
    def of(cls, ner) -> "_Tables | None":
        try:
            from spacy.pipeline import EntityRecognizer
        except ImportError:  # pragma: no cover
            return None
        if type(ner) is not EntityRecognizer or type(ner).predict is not EntityRecognizer.predict:
            return None
        cfg = getattr(ner, "cfg", {})
        model = ner.model
        if cfg.get("beam_width", 1) != 1 or getattr(ner, "postprocesses", None) or model.name != "parser_model":
            return None
        if not model.attrs.get("has_upper") or model.attrs.get("unseen_classes") or len(model.layers) != 3:
            return None
        lower, upper = model.layers[1], model.layers[2]
        if lower.name != "precomputable_affine" or upper.name != "linear":
            return None
        try:
            if lower.get_dim("nF") != 3 or lower.get_dim("nP") < 2 or upper.get_dim("nO") != ner.moves.n_moves:
                return None
            W, b = upper.get_param("W"), upper.get_param("b")
        except (KeyError, ValueError):
            return None
        if type(W) is not numpy.ndarray or W.dtype != numpy.float32 or not getattr(upper.ops, "use_blis", False):
            return None
        strings = ner.vocab.strings
        n = ner.moves.n_moves
        out = numpy.zeros(n, dtype=bool)
        begin = numpy.zeros(n, dtype=bool)
        unit = numpy.zeros(n, dtype=bool)
        opens = numpy.full(n, -1, dtype=numpy.int64)
        units = numpy.full(n, -1, dtype=numpy.int64)
        index: dict[int, int] = {}
        ins: dict[int, int] = {}
        lasts: dict[int, int] = {}
        for col in range(n):
            name = ner.moves.get_class_name(col)
            move, _, label_text = name.partition("-")
            label = strings[label_text] if label_text else 0
            if move == _OUT and not label_text:
                out[col] = True
                continue
            if move not in (_BEGIN, _IN, _LAST, _UNIT) or not label:
                if move == _UNIT:
                    continue  # Unit without a label: valid only on a preset annotation (those go to spaCy)
                return None
            k = index.setdefault(label, len(index))
            if move == _BEGIN:
                begin[col], opens[col] = True, k
            elif move == _UNIT:
                unit[col], units[col] = True, k
            elif move == _IN:
                ins[k] = col
            else:
                lasts[k] = col
        labels = [0] * len(index)
        for label, k in index.items():
            labels[k] = label
        if any(k not in ins or k not in lasts for k in set(opens[opens >= 0].tolist())) or not out.any():
            return None
        return cls(ner, W, b, labels, out, begin, unit, opens, units,
                   numpy.array([ins.get(k, -1) for k in range(len(labels))], dtype=numpy.int64),
                   numpy.array([lasts.get(k, -1) for k in range(len(labels))], dtype=numpy.int64))


def _scores(t: _Tables, lower, summed) -> numpy.ndarray:
    """Action scores of states whose three feature rows summed to ``summed`` (states, hidden, pieces): the
    lower layer's bias, maxout, the upper layer (BLAS, as spaCy's ``predict_states``), its bias."""
    pieces = summed + lower.get_param("b")
    hidden = pieces[..., 0]
    for p in range(1, pieces.shape[-1]):  # maxout; numpy's max over a short last axis is ~50x slower
        hidden = numpy.maximum(hidden, pieces[..., p])
    scores = _ops().gemm(numpy.ascontiguousarray(hidden), t.W, trans2=True)
    scores += t.b
    return scores


def _open_rows(t: _Tables, lower, rows, firsts, opens, go_on, start: int = 1, steps: int | None = None):
    """For each first token g of an entity in ``firsts`` (an index of ``rows``): the (In, Last) scores of the
    entity's label in the states (j, g, j - 1) for j = g + start, ... while it may go on past j (at most
    ``steps`` of them), as {g: [(in, last), ...]}; None if a score is not finite."""
    steps = AHEAD if steps is None else steps
    js: list[int] = []
    gs: list[int] = []
    n_all = len(rows)
    for g in firsts:
        j = g + start
        for _ in range(steps):
            if j >= n_all or not go_on[j]:
                break
            js.append(j)
            gs.append(g)
            j += 1
    if not js:
        return {}
    j_at = numpy.array(js)
    g_at = numpy.array(gs)
    scores = _scores(t, lower, (rows[j_at, 0] + rows[g_at, 1]) + rows[j_at - 1, 2])
    if not numpy.isfinite(scores).all():
        return None
    label = opens[g_at]
    pairs = numpy.stack([scores[numpy.arange(len(js)), t.ins[label]], scores[numpy.arange(len(js)), t.lasts[label]]], axis=1)
    out: dict[int, list] = {}
    for g, pair in zip(gs, pairs.tolist(), strict=True):
        out.setdefault(g, []).append(pair)
    return out


def _set_entities(doc: Doc, ents: list[tuple[int, int, int]]) -> None:
    """What spaCy's ``BiluoPushDown.set_annotations`` does with the entities of a finished state."""
    kb = doc.to_array([ENT_KB_ID]) if ents else None
    doc.set_ents([Span(doc, s, e, label=label, kb_id=int(kb[s])) for s, e, label in ents], default="unmodified")
    if len(doc):
        iob = doc.to_array([ENT_IOB])
        if not iob.all():
            iob[iob == 0] = 2  # the tokens of no entity: O
            doc.from_array([ENT_IOB], iob)


_OPS = None


def _ops():
    global _OPS
    if _OPS is None:
        from thinc.api import NumpyOps

        _OPS = NumpyOps()
    return _OPS


def use_greedy_ner(nlp: Language) -> int:
    """Replace every spaCy ``EntityRecognizer`` of ``nlp`` that ``GreedyNER`` can decode by one around it
    (same name, same place); returns how many."""
    n = 0
    for index, (name, proc) in enumerate(list(nlp._components)):  # disabled components count too
        if isinstance(proc, GreedyNER):
            n += 1
            continue
        wrapped = GreedyNER.wrap(proc)
        if wrapped is not None:
            nlp._components[index] = (name, wrapped)
            n += 1
    if n:
        _ops()
        nlp._link_components()
    return n
