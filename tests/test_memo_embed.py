"""The memoised embedding layers give bit for bit the vectors of the real ones, so every component after
them gives what it gives without (kgbuild.models.memo_embed)."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE, MORPH, POS, TAG
from test_memo_ruler import EN, english_texts
from test_sentence_parse import texts as example_texts

from kgbuild.models import memo_embed
from kgbuild.models.memo_embed import MemoEmbed, embedding_layers, memoise_embeddings

ATTRS = [TAG, POS, MORPH, ENT_IOB, ENT_TYPE, ENT_KB_ID]


def _model_path(lang: str):
    from kgbuild.models.discovery import BUILTIN, select_model

    info = select_model(lang)
    if info.source == BUILTIN:
        pytest.skip(f"no statistical {lang} pipeline installed")
    import kgbuild.models.components  # noqa: F401  (the factories of kgbuild's own model)
    import kgbuild.models.gazetteer  # noqa: F401

    return info.name if info.source == "official" else str(info.path)


def model_and_texts(lang: str) -> tuple[str, list[str]]:
    """The statistical pipeline of ``lang`` (skip without one) and real texts for it."""
    if lang == "en":
        pytest.importorskip(EN)
        return EN, english_texts()
    return _model_path(lang), example_texts("de")


@pytest.fixture(scope="module", params=["en", "de"])
def pipelines(request):
    lang = request.param
    name, texts = model_and_texts(lang)
    real, memo = spacy.load(name), spacy.load(name)
    assert memoise_embeddings(memo) == 2  # the shared tok2vec and the NER's own
    return lang, real, memo, texts


def _memos(nlp) -> list[MemoEmbed]:
    return [layer._func for _, proc in nlp.pipeline if hasattr(getattr(proc, "model", None), "walk")
            for layer in embedding_layers(proc.model) if isinstance(layer._func, MemoEmbed)]


def test_memoised_pipeline_equals_the_real_one(pipelines):
    lang, real, memo, texts = pipelines
    assert len(texts) > 5
    n = 0
    for batch_size in (7, 64):  # the second round mostly from the memo, in other batches
        for a, b in zip(real.pipe(texts, batch_size=batch_size), memo.pipe(texts, batch_size=batch_size), strict=True):
            assert a.tensor.dtype == b.tensor.dtype and numpy.array_equal(a.tensor, b.tensor)
            assert numpy.array_equal(a.to_array(ATTRS), b.to_array(ATTRS))
            assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
            assert [(t.dep_, t.head.i) for t in a] == [(t.dep_, t.head.i) for t in b]
            n += len(a)
    memos = _memos(memo)
    assert n > 1000 and len(memos) == 2
    assert all(m.hits > m.misses > 0 for m in memos)


def test_rows_are_embedded_alike_whatever_the_batch(pipelines):
    """Why the memo is exact: a row's vector does not depend on the other rows computed with it."""
    lang, real, _, texts = pipelines
    docs = list(real.pipe(texts[:8], disable=real.pipe_names))
    for layer in {id(x): x for _, p in real.pipeline if hasattr(getattr(p, "model", None), "walk")
                  for x in embedding_layers(p.model)}.values():
        whole = numpy.concatenate(layer.predict(docs))
        features = numpy.concatenate(layer.layers[0].predict(docs))
        rng = numpy.random.default_rng(7)
        for size in (1, 5, 17, 300):
            rows = rng.choice(len(features), size=min(size, len(features)), replace=False)
            X = [layer.ops.asarray2i(numpy.ascontiguousarray(features[rows]), dtype="uint64")]
            for part in layer.layers[1:]:
                X = part.predict(X)
            assert numpy.array_equal(X[0], whole[rows])


def test_empty_documents_and_a_full_memo(pipelines, monkeypatch):
    lang, real, memo, texts = pipelines
    monkeypatch.setattr(memo_embed, "MAX_ROWS", 40)  # every batch starts the memo again
    batch = ["", texts[0][:300], "", texts[1][:200]]
    for a, b in zip(real.pipe(batch), memo.pipe(batch), strict=True):
        assert numpy.array_equal(a.tensor, b.tensor) and a.to_json() == b.to_json()


def test_training_switches_the_memo_off():
    pytest.importorskip(EN)
    nlp = spacy.load(EN)
    memoise_embeddings(nlp)
    layer = embedding_layers(nlp.get_pipe("tok2vec").model)[0]
    docs = [nlp.make_doc("The minister met the press.")]
    vectors, backprop = layer(docs, is_train=False)
    assert vectors[0].shape[0] == 6 and layer._func.index
    with pytest.raises(RuntimeError):  # no training through the memo
        backprop(None)
    layer(docs, is_train=True)
    assert layer._func.training and not layer._func.index
    layer.predict(docs)
    assert not layer._func.index  # the real layer ran, and keeps running


def test_only_row_wise_embeddings_are_memoised():
    from thinc.api import chain, with_array
    from thinc.layers import Relu

    blank = spacy.blank("en")
    assert memoise_embeddings(blank) == 0
    from spacy.ml.featureextractor import FeatureExtractor

    contextual = chain(FeatureExtractor(["NORM"]), with_array(Relu(4, 1)))  # not spaCy's embedding shape
    assert embedding_layers(contextual) == []


def test_kgbuilds_pipelines_use_it():
    from kgbuild.nlp import get_pipeline

    nlp, info = get_pipeline("en")
    if info.source == "builtin":
        pytest.skip("no statistical English pipeline installed")
    assert len(_memos(nlp)) == 2


def test_threads_sharing_one_pipeline_get_the_real_vectors(pipelines):
    """A library caller may run one pipeline from several threads: the memo's index and table change together."""
    from concurrent.futures import ThreadPoolExecutor

    lang, real, memo, texts = pipelines
    for m in _memos(memo):
        m.index.clear()
        m.size = 0
    batches = [texts[i::4] for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda batch: [d.tensor for d in memo.pipe(batch, batch_size=2)], batches))
    for batch, tensors in zip(batches, got, strict=True):
        for doc, tensor in zip(real.pipe(batch), tensors, strict=True):
            assert numpy.array_equal(doc.tensor, tensor)
