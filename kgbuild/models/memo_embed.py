"""Memoised token embeddings: the same ``tok2vec`` output, each distinct token embedded once.

A spaCy ``Tok2Vec`` (``spacy.Tok2Vec.v2`` with ``spacy.MultiHashEmbed.v2``) has two parts: the embedding,
which turns each token's lexical features (NORM, PREFIX, SUFFIX, SHAPE, ...: one row of ``Doc.to_array``)
into a vector without looking at any other token (hash tables, a maxout layer, a layer norm, all row by
row), and the encoder (a CNN over a window of neighbours). In ``en_core_web_sm`` and kgbuild's German model
the shared ``tok2vec`` and the NER's own one each spend about a third of their time embedding, and news text
repeats its tokens: most rows have been embedded before.

``memoise_embeddings(nlp)`` wraps the embedding layer of every such tok2vec in the pipeline: a feature row
seen before gets the vector computed for it then; the unseen rows of a batch are embedded together by the
real layers. The vectors are bit for bit those of the real layer (each row is computed on its own, whatever
else is in the batch: checked by ``tests/test_memo_embed.py`` on real text, tensors and entities equal), so
the encoder, the tagger, the parser and the NER see the same input. An embedding of another shape (static
vectors, character embeddings, anything not known to be row by row) is left alone. Training (a forward pass
with ``is_train``) switches the memo off for good: the weights may change.
"""
from __future__ import annotations

import logging
import threading

import numpy
from spacy.language import Language

log = logging.getLogger(__name__)

#: feature rows kept per embedding layer (each a vector of the tok2vec's width: 96 floats in the small
#: models, so at most ~20 MB); past it, the memo starts again
MAX_ROWS = 50_000
#: layers after the feature extractor that work row by row (with_array / concatenate wrap them)
_ROW_WISE = {"list2ragged", "ragged2list", "ints-getitem", "hashembed", "maxout", "layernorm", "dropout"}


class MemoEmbed:
    """The forward function of a memoised embedding layer (replaces the layer's own; see the module docstring)."""

    def __init__(self, forward) -> None:
        self.forward = forward
        self.index: dict[tuple, int] = {}  # feature row -> its row in the table
        self.table = None  # the vectors, in the order the rows were first seen
        self.size = 0
        self.training = False
        self.hits = self.misses = 0
        self.lock = threading.Lock()  # the index and the table change together: one batch at a time

    def __call__(self, model, docs, is_train: bool):
        if is_train or self.training:
            self.training = True
            self.index.clear()
            self.table = None
            return self.forward(model, docs, is_train)
        with self.lock:
            return self._lookup(model, docs)

    def _lookup(self, model, docs):
        extract, rest = model.layers[0], model.layers[1:]
        features = extract.predict(docs)
        index = self.index
        if len(index) + sum(len(f) for f in features) > MAX_ROWS:
            index.clear()
            self.size = 0
        new: list[tuple] = []
        positions = []
        for rows in features:
            ids = []
            for key in map(tuple, rows.tolist()):
                i = index.get(key)
                if i is None:
                    i = index[key] = len(index)
                    new.append(key)
                ids.append(i)
            positions.append(ids)
        self.misses += len(new)
        self.hits += sum(len(ids) for ids in positions) - len(new)
        if new:
            X = [model.ops.asarray2i(numpy.array(new, dtype="uint64"), dtype="uint64")]
            for layer in rest:
                X = layer.predict(X)
            self._append(X[0])
        table = self.table
        out = [table[numpy.array(ids, dtype=numpy.intp)] if ids else table[:0] for ids in positions]
        return out, _no_backprop

    def _append(self, vectors) -> None:
        n = len(vectors)
        if self.table is None or self.size == 0 and len(self.table) < n:
            self.table = numpy.empty((max(n, 4096), vectors.shape[1]), dtype=vectors.dtype)
        elif self.size + n > len(self.table):
            grown = numpy.empty((max(self.size + n, 2 * len(self.table)), vectors.shape[1]), dtype=vectors.dtype)
            grown[:self.size] = self.table[:self.size]
            self.table = grown
        self.table[self.size:self.size + n] = vectors
        self.size += n


def _no_backprop(_):
    raise RuntimeError("a memoised embedding layer has no backward pass (it is switched off for training)")


def _row_wise(layer) -> bool:
    names = {node.name for node in layer.walk()}
    # with_array(...) and the concatenation of the hash embeddings are named after what they wrap
    parts = set()
    for name in names:
        for part in name.replace("with_array(", "").replace(")", "").replace(">>", "|").split("|"):
            parts.add(part)
    return parts <= _ROW_WISE


def embedding_layers(model) -> list:
    """The embedding layers of ``model`` that can be memoised: a chain of spaCy's feature extractor and
    layers that work row by row (``MultiHashEmbed`` without static vectors)."""
    found = []
    for node in model.walk():
        layers = getattr(node, "layers", [])
        if (node.name.startswith("extract_features>>") and layers and layers[0].name == "extract_features"
                and len(layers) > 1 and all(_row_wise(layer) for layer in layers[1:])
                and layers[-1].name == "ragged2list"):
            found.append(node)
    return found


def memoise_embeddings(nlp: Language) -> int:
    """Memoise the embedding layer of every tok2vec in ``nlp`` (the shared one and those inside components);
    returns how many are memoised."""
    seen: set[int] = set()
    n = 0
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for layer in embedding_layers(model):
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            if not isinstance(layer._func, MemoEmbed):
                layer._func = MemoEmbed(layer._func)
            n += 1
    if n:
        log.debug("memoised %d embedding layer(s) of %s", n, nlp.meta.get("name", nlp.lang))
    return n
