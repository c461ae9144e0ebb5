"""GreedyNER gives token for token the entities of spaCy's own NER (kgbuild.models.greedy_ner)."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.tokens import Span
from test_memo_embed import model_and_texts

from kgbuild.models import greedy_ner
from kgbuild.models.greedy_ner import GreedyNER, use_greedy_ner

ATTRS = [ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]
#: white space tokens, line breaks, long names (past the states computed ahead), a document that ends in a name
WRITTEN = {
    "en": ["The United Nations Educational, Scientific and Cultural Organization met the International Bank for "
           "Reconstruction and Development  in  New York City on Monday, 12 March 2018 at 10:30 a.m.\n\n"
           "Barack Obama\nspoke to Angela Merkel.", "Apple", "", "  ", "He saw \"The Lord of the Rings: The Return "
           "of the King\" and \"Harry Potter and the Philosopher's Stone\" with John Fitzgerald Kennedy Jr.",
           "Visit the Museum of Modern Art in New York"],
    "de": ["Die Vereinten Nationen und die Bundesanstalt für Finanzdienstleistungsaufsicht trafen sich  in "
           "Frankfurt am Main.\n\nAngela Merkel\nsprach mit Emmanuel Macron.", "Berlin", "", "  ",
           "Das Bundesministerium für Umwelt, Naturschutz, nukleare Sicherheit und Verbraucherschutz lud "
           "Frank-Walter Steinmeier ein"],
}


@pytest.fixture(scope="module", params=["en", "de"])
def pipelines(request):
    lang = request.param
    name, texts = model_and_texts(lang)
    real, greedy = spacy.load(name), spacy.load(name)
    assert use_greedy_ner(greedy) == 1
    assert isinstance(greedy.get_pipe("ner"), GreedyNER) and not isinstance(real.get_pipe("ner"), GreedyNER)
    return lang, real, greedy, texts + WRITTEN[lang]


def _entities(doc):
    return doc.to_array(ATTRS).tolist(), [(e.start, e.end, e.label_, e.kb_id_) for e in doc.ents]


@pytest.mark.parametrize("ahead", [greedy_ner.AHEAD, 1])
def test_greedy_ner_equals_spacys(pipelines, ahead, monkeypatch):
    lang, real, greedy, texts = pipelines
    monkeypatch.setattr(greedy_ner, "AHEAD", ahead)  # 1: most entities go past the states computed ahead
    n = ents = longest = 0
    for batch_size in (1, 5, 64):
        for a, b in zip(real.pipe(texts, batch_size=batch_size), greedy.pipe(texts, batch_size=batch_size),
                        strict=True):
            assert _entities(a) == _entities(b), a.text[:80]
            n += len(a)
            ents += len(a.ents)
            longest = max([longest, *(len(e) for e in a.ents)])
    assert n > 2000 and ents > 100
    assert ahead != 1 or longest > 2  # entities longer than the states computed ahead were decoded


def test_single_documents_and_presets(pipelines):
    lang, real, greedy, texts = pipelines
    for text in texts[:5] + WRITTEN[lang]:
        assert _entities(real(text)) == _entities(greedy(text))
    # preset entities (set before the NER) go through spaCy's own decoding, which keeps them
    text = WRITTEN[lang][0]
    a, b = real.make_doc(text), greedy.make_doc(text)
    for doc in (a, b):
        doc.set_ents([Span(doc, 1, 3, label="ORG")], default="unmodified")
    for nlp, doc in ((real, a), (greedy, b)):
        for _, proc in nlp.pipeline:
            doc = proc(doc)
    assert _entities(a) == _entities(b)
    assert (1, 3, "ORG", "") in _entities(b)[1]


def test_scores_of_a_state_do_not_depend_on_the_others():
    """Why the decoding is exact: spaCy scores a few states per step, GreedyNER all closed states at once,
    with the same BLAS routine; each row of the product is the same either way."""
    from thinc.api import NumpyOps

    ops = NumpyOps()
    rng = numpy.random.default_rng(3)
    W = rng.standard_normal((74, 64)).astype("float32")
    hidden = rng.standard_normal((1500, 64)).astype("float32")
    whole = ops.gemm(hidden, W, trans2=True)
    for size in (1, 2, 3, 4, 7, 64):
        for start in range(0, 1500 - size, 97):
            part = ops.gemm(numpy.ascontiguousarray(hidden[start:start + size]), W, trans2=True)
            assert numpy.array_equal(part, whole[start:start + size])


def test_only_models_it_can_decode_are_wrapped():
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                                          "extra_state_tokens": True, "hidden_width": 16, "maxout_pieces": 2,
                                          "use_upper": True, "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2",
                                          "width": 16, "depth": 1, "embed_size": 100, "window_size": 1,
                                          "maxout_pieces": 2, "subword_features": True, "pretrained_vectors": None}}})
    nlp.get_pipe("ner").add_label("ORG")
    nlp.initialize()
    assert use_greedy_ner(nlp) == 0  # six state features: not this decoder's
