"""The parser run afterwards on chosen sentences only (kgbuild.nlp.SentenceParser) gives those sentences the
annotations of the whole pipeline, and the pipeline's results do not change with it."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from kgbuild.nlp import get_pipeline, sentence_parser
from kgbuild.relations.parse_needs import sentences_needing_parse

ROOT = Path(__file__).resolve().parent.parent
ATTRS = [HEAD, DEP, TAG, POS, MORPH, LEMMA]
WRITTEN = {
    "en": ["Biden will meet Kishida in Tokyo on Friday. The weather was fine. Nobody knows whether there\n"
           "is a deal. It's said that there are talks; there is hope. Has he signed it? He has not.\n"
           "Russia's invasion of Ukraine was condemned by the EU, which imposed sanctions. I don't know.",
           "Let's go, c'mon, we gotta run: they're sure there's time. Ain't nobody gonna stop us, y'all.\n"
           "But the minister, who had visited Paris, said that it was all but done."],
    "de": ["Scholz reist am Montag nach Paris. Das Wetter war schön. Der Staatsbesuch beginnt am Dienstag.\n"
           "Kühnert legte sein Amt nieder. Die Außenministerin sagte, dass sie Kiew besuchen werde.",
           "Moskau wirft dem Westen Aggression vor. Ein Sprecher des Kreml erklärte, man sei bereit."],
}


def texts(lang: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob(f"*.{lang}.txt"))] + WRITTEN[lang]


@pytest.fixture(scope="module", params=["en", "de"])
def pipeline(request):
    lang = request.param
    nlp, info = get_pipeline(lang)
    deferred = sentence_parser(lang)
    if info.source == "builtin":
        pytest.skip(f"no statistical {lang} pipeline installed")
    assert deferred is not None, f"{info.name}: the parser could not be run apart"
    return lang, nlp, deferred


def _check(nlp, deferred, text: str, flags_of) -> int:
    full = nlp(text)
    doc = nlp(text, disable=deferred.disable)
    assert not doc.has_annotation("DEP")
    flags = flags_of(doc)
    deferred.parse(doc, flags)
    assert [s.start for s in doc.sents] == [s.start for s in full.sents]  # the sentencizer's, kept
    got, want = doc.to_array(ATTRS), full.to_array(ATTRS)
    checked = 0
    for sent, flag in zip(doc.sents, flags, strict=True):
        if flag:
            assert got[sent.start:sent.end].tolist() == want[sent.start:sent.end].tolist(), sent.text
            assert [t.head.i for t in sent] == [t.head.i for t in full[sent.start:sent.end]]
            checked += 1
        else:
            assert not any(t.dep for t in sent)  # spaCy's "missing" annotation, heads to themselves
    return checked


def test_parsed_sentences_get_the_full_pipelines_annotations(pipeline):
    lang, nlp, deferred = pipeline
    rng = random.Random(7)
    checked = 0
    for text in texts(lang):
        # every other sentence, then random choices: many stretches with an unparsed sentence before and after
        checked += _check(nlp, deferred, text, lambda d: [i % 2 == 0 for i, _ in enumerate(d.sents)])
        checked += _check(nlp, deferred, text, lambda d: [rng.random() < 0.4 for _ in d.sents])
        checked += _check(nlp, deferred, text, lambda d: sentences_needing_parse(d, lang, deferred.pos_from_parse))
    assert checked > 20


def test_a_pattern_across_a_sentence_boundary_parses_the_sentence_before(pipeline):
    lang, nlp, deferred = pipeline
    if lang != "en":
        pytest.skip("the English attribute ruler's 'there | is' pattern")
    doc = nlp("Nobody knows whether there\nis a deal.", disable=deferred.disable)
    sents = list(doc.sents)
    assert len(sents) == 2 and deferred._lookbehind(sents[1][0]) and not deferred._lookbehind(sents[0][0])
    assert _check(nlp, deferred, doc.text, lambda d: [False, True]) == 1


def test_parse_many_equals_one_at_a_time(pipeline):
    lang, nlp, deferred = pipeline
    batch = [nlp(t, disable=deferred.disable) for t in texts(lang)]
    single = [nlp(t, disable=deferred.disable) for t in texts(lang)]
    parsed = deferred.parse_many([(d, sentences_needing_parse(d, lang, deferred.pos_from_parse)) for d in batch])
    assert parsed > 0
    for doc, one in zip(batch, single, strict=True):
        deferred.parse(one, sentences_needing_parse(one, lang, deferred.pos_from_parse))
        assert doc.to_array(ATTRS).tolist() == one.to_array(ATTRS).tolist()


def test_which_sentences_need_the_parse():
    en, _ = get_pipeline("en")
    de, _ = get_pipeline("de")
    doc = en("Obama visited Berlin. The weather was fine. Merkel said it was cold. The minister left.")
    assert sentences_needing_parse(doc, "en") == [True, False, False, False]  # a trigger word only
    assert sentences_needing_parse(doc, "en", pos_from_parse=True) == [True, False, True, True]  # speech, role
    doc = de("Der Staatsbesuch beginnt. Das Wetter war schön. Kühnert legte sein Amt nieder.")
    assert sentences_needing_parse(doc, "de") == [True, False, True]  # a compound, a separable verb's stem
    assert sentences_needing_parse(en(""), "en") == []


@pytest.fixture(scope="module")
def pipelines():
    from kgbuild.pipeline import Pipeline

    deferred, full = Pipeline(), Pipeline(full_parse=True)
    full.kb = deferred.kb  # one KB for both
    return deferred, full


def test_pipeline_results_are_the_same_with_the_parse_where_needed(pipelines):
    from kgbuild.read import read_inputs

    deferred, full = pipelines
    articles = list(read_inputs([str(p) for p in sorted((ROOT / "examples").rglob("*.txt"))]))
    assert len(articles) >= 10
    got = list(deferred.process_many(articles))
    want = [full.process(a) for a in articles]
    assert sum(len(r.events) for r in want) > 10
    for g, w in zip(got, want, strict=True):
        assert (g.sentences, g.mentions, g.entities, g.events) == (w.sentences, w.mentions, w.entities, w.events)
    one = deferred.process(articles[0])
    assert one.events == want[0].events and one.mentions == want[0].mentions


def test_pipelines_it_cannot_take_apart_keep_their_parser():
    import spacy

    from kgbuild.nlp import SentenceParser

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    assert SentenceParser.for_pipeline(blank) is None  # no parser
    own = spacy.blank("en")
    own.add_pipe("parser")  # the default parser model embeds its own tok2vec: no listener
    assert SentenceParser.for_pipeline(own) is None
