"""kgbuild's statistical pipeline (memoised ruler, lemmatizer and embeddings, GreedyNER, the model's own
tokenizer loaded bare, the parser run afterwards by SentenceParser) gives spaCy's own annotations on hostile
text: empty and white-space documents, one token, line breaks and tabs, emoji, combining marks, right-to-left
and control characters, all caps, documents of names only, a long text without punctuation, all in one batch.
``benchmarks/check_equivalence.py`` runs the same comparison over thousands of real documents."""
from __future__ import annotations

import random

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

import kgbuild.nlp as knlp

ATTRS = [SENT_START, HEAD, DEP, TAG, POS, MORPH, LEMMA, ENT_IOB, ENT_TYPE]
NAMES = {"en": ["Barack Obama", "Angela Merkel", "New York City", "Goldman Sachs", "London", "United Nations"],
         "de": ["Olaf Scholz", "Annalena Baerbock", "Frankfurt am Main", "Deutsche Bank", "Kiew", "Vereinte Nationen"]}


def hostile(lang: str) -> list[str]:
    a, b, c, d, e, f = NAMES[lang]
    rng = random.Random(3)
    words = [w for n in NAMES[lang] for w in n.split()] + (["und", "der", "mit", "Haus"] if lang == "de"
                                                             else ["and", "the", "with", "house"])
    return [
        "", " ", "\n\n\n", "\t", " \t\n \u00a0", "\u3000", "x", ".", a, "—",
        "\n".join(["", a, "\t\t", b, "", "\n", c + "\t" + d, ""]),
        f"{a} 😀🎉 {c} 👍🏽👨‍👩‍👧. 🇩🇪 {d} ❤️ {e}",
        f"Ame\u0301lie, Zoe\u0308 and Re\u0301my in Pa\u0301ris; N\u0303\u0330o\u0308\u0301 {b}.",
        f"{a}: \u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd \u0645\u0631\u062d\u0628\u0627 {c}. \u202eabc\u202c "
        f"\u200f{e}\u200e.",
        f"{a}\u200b{c} \u200d{d}\ufeff. x\u0085y \u000bv\u000cp\x01\x07 {b}\x1f.",
        f"{a.upper()} AND {b.upper()} IN {c.upper()}. " * 3,
        ", ".join(NAMES[lang] * 4),
        "\n".join(NAMES[lang] * 3),
        " ".join(NAMES[lang] * 5),
        "(" * 20 + a + ")" * 20,
        " ".join(rng.choice(words) for _ in range(4000)),  # no punctuation: kgbuild_long_sentences cuts it
    ]


@pytest.fixture(scope="module", params=["en", "de"])
def pipelines(request):
    """(kgbuild's pipeline, its SentenceParser, the same model loaded plainly with kgbuild's added components
    only: spaCy's own attribute ruler, lemmatizer, embeddings, NER, tokenizer and parser)."""
    from kgbuild.models.discovery import BUILTIN, select_model

    lang = request.param
    info = select_model(lang)
    if info.source == BUILTIN:
        pytest.skip(f"no statistical {lang} pipeline installed")
    nlp, _ = knlp.get_pipeline(lang)
    real = spacy.load(info.name if info.source == "official" else str(info.path))
    with pytest.MonkeyPatch.context() as mp:
        for name in ("memoise_attribute_ruler", "memoise_lemmatizer", "memoise_embeddings", "use_greedy_ner"):
            mp.setattr(knlp, name, lambda _nlp: 0)
        real = knlp._prepare_statistical(real)
    assert real.pipe_names == nlp.pipe_names
    assert type(nlp.get_pipe("ner")).__name__ == "GreedyNER" != type(real.get_pipe("ner")).__name__
    return lang, nlp, knlp.sentence_parser(lang), real


def _same(a, b) -> None:
    assert [(t.text, t.idx) for t in a] == [(t.text, t.idx) for t in b]
    assert a.to_array(ATTRS).tolist() == b.to_array(ATTRS).tolist(), a.text[:60]
    assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]


def test_hostile_texts_give_spacys_annotations(pipelines):
    lang, nlp, deferred, real = pipelines
    texts = hostile(lang)
    want = list(real.pipe(texts, batch_size=4))
    assert sum(len(d) for d in want) > 4000 and sum(len(d.ents) for d in want) > 50
    for batch_size in (1, 64):  # the whole mixed batch at once, and one at a time
        for a, b in zip(want, nlp.pipe(texts, batch_size=batch_size), strict=True):
            _same(a, b)
    for a, text in zip(want, texts, strict=True):  # Language.__call__: GreedyNER's own __call__
        _same(a, nlp(text))
    if deferred is None:
        return
    docs = list(nlp.pipe(texts, batch_size=8, disable=deferred.disable))
    deferred.parse_many([(d, [True] * len(list(d.sents))) for d in docs])
    for a, b in zip(want, docs, strict=True):
        _same(a, b)
