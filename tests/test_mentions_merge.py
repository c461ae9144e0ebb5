"""How KB spotting, name rules and a statistical NER are merged (``kgbuild.mentions.find_mentions``).

The NER is simulated: the Doc comes from kgbuild's built-in pipeline and its ``ents`` are set by the test,
exactly as a trained ``ner`` component would set them, so each rule of the merger is checked on its own.
"""
from __future__ import annotations

import pytest
from conftest import MemoryKB, find_with_ner

from kgbuild.evaluation.score_mentions import predicted_mentions
from kgbuild.nlp import builtin_pipeline
from kgbuild.types import Article, DocumentResult, Mention


@pytest.fixture(scope="module")
def kb() -> MemoryKB:
    entities = [
        ("Q853559", "LOC", 0.5, {"de": "Dickinson"}),
        ("Q17", "LOC", 0.95, {"de": "Japan"}),
        ("Q55", "LOC", 0.9, {"de": "Niederlande"}),
        ("Q148", "LOC", 0.95, {"de": "China"}),
        ("Q36687", "LOC", 0.8, {"de": "Den Haag"}),
        ("Q571", "MISC", 0.61, {"de": "Buch"}),
        ("Q387054", "ORG", 0.4, {"en": "Rodong Sinmun"}),
    ]
    names = [("Dickinson", "Q853559", "label", "de"), ("Japan", "Q17", "label", "de"),
             ("Niederlande", "Q55", "label", "de"), ("Holländer", "Q55", "demonym", "de"),
             ("China", "Q148", "label", "de"), ("Den Haag", "Q36687", "label", "de"),
             ("Buch", "Q571", "label", "de"), ("Rodong Sinmun", "Q387054", "label", "en")]
    return MemoryKB(entities, names, given={"Till", "Neil", "Christiane", "Kurt"})


@pytest.fixture(scope="module")
def nlp():
    return builtin_pipeline("de")


def mentions(nlp, kb, text: str, ner: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """(text, type) of the merged mentions; ``ner`` = (surface, label) pairs the simulated NER finds."""
    found = find_with_ner(nlp, kb, text, "de", ner)
    return [(m.text, m.type) for m in found]


def test_merge_ner_type_wins_over_an_unpopular_kb_reading(nlp, kb):
    text = "Nach dem Aufstieg beendete Dickinson seine Karriere."
    assert ("Dickinson", "LOC") in mentions(nlp, kb, text, None)  # rules only: the town in North Dakota
    assert ("Dickinson", "PER") in mentions(nlp, kb, text, [("Dickinson", "PER")])


def test_merge_whole_multi_word_kb_name_keeps_its_type(nlp, kb):
    text = "Die Zeitung Rodong Sinmun berichtete am Morgen."
    assert ("Rodong Sinmun", "ORG") in mentions(nlp, kb, text, [("Rodong Sinmun", "PER")])


def test_merge_popular_kb_type_stays_against_the_ner(nlp, kb):
    assert ("Japan", "LOC") in mentions(nlp, kb, "Das Turnier gewann am Ende Japan souverän.", [("Japan", "ORG")])


def test_merge_ner_keeps_a_capitalised_article_that_is_part_of_the_name(nlp, kb):
    found = mentions(nlp, kb, "Er unterrichtete am Konservatorium in Den Haag.", [("Den Haag", "LOC")])
    assert ("Den Haag", "LOC") in found and ("Haag", "LOC") not in found
    found = mentions(nlp, kb, "Während des Zweiten Weltkriegs war er Soldat.", [("Zweiten Weltkriegs", "MISC")])
    assert ("Zweiten Weltkriegs", "MISC") in found


def test_merge_demonym_inside_a_person_name_is_a_family_name(nlp, kb):
    text = "Die Vermieter geben klein bei, sagt Christiane Holländer, Rechtsexpertin beim Mieterverein."
    found = mentions(nlp, kb, text, [("Christiane Holländer", "PER")])
    assert ("Christiane Holländer", "PER") in found
    assert ("Holländer", "LOC") not in found


def test_rules_given_name_alone_needs_the_ner_when_there_is_one(nlp, kb):
    text = "Der Song Till Death handelt davon."
    assert ("Till Death", "PER") in mentions(nlp, kb, text, None)  # rules only: a first name + a name
    assert not [m for m in mentions(nlp, kb, text, [("Till Death", "MISC")]) if m[1] == "PER"]
    assert ("Till Death", "PER") in mentions(nlp, kb, text, [("Till Death", "PER")])


def test_rules_name_does_not_end_in_an_article(nlp, kb):
    text = "Er wusste, wie später Neil Armstrong den Mond betrat."
    found = mentions(nlp, kb, text, None)
    assert ("Neil Armstrong", "PER") in found
    assert not any(t.endswith(" den") for t, _ in found)


def test_repeated_family_name_not_from_an_abbreviation(nlp, kb):
    text = "Berlin, den 8. März. In der Nacht vom 2. zum 3. März d. Js. brannte es."
    found = mentions(nlp, kb, text, [("März d.", "PER")])
    assert found.count(("März", "PER")) <= 1  # the NER's own span, cut before "d."; not "8. März" too


def test_spotter_truncated_compounds(nlp, kb):
    found = mentions(nlp, kb, "Seine China- und Russlandpolitik war umstritten.", None)
    assert ("China", "LOC") in found
    found = mentions(nlp, kb, "Das Harz half gegen Buch- und Ohrenschmerzen.", None)
    assert not found


def test_spotter_common_noun_naming_a_concept_is_not_a_mention(nlp, kb):
    assert mentions(nlp, kb, "Dieses Buch ist sein erster Roman.", None) == []


def test_eval_skip_demonyms_leaves_out_adjectives_of_nationality():
    article = Article(id="a", text="Die russische Regierung tagte in Moskau.", lang="de")
    ms = (Mention(4, 13, "russische", "LOC", "kb", 0, kind="demonym"), Mention(34, 40, "Moskau", "LOC", "kb", 0))
    result = DocumentResult(article, "de", (), ms, (), ())
    span = (0, len(article.text))
    assert [p.label for p in predicted_mentions(result, span)] == ["russische", "Moskau"]
    assert [p.label for p in predicted_mentions(result, span, skip_demonyms=True)] == ["Moskau"]


def test_drop_nested_keeps_the_longest_of_overlapping_mentions():
    """The interval version of ``_drop_nested`` against the plain rule it implements, on random spans."""
    import random

    from kgbuild.mentions import _drop_nested

    def plain(mentions):
        kept = []
        for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
            if not any(k.start < m.end and m.start < k.end for k in kept):
                kept.append(m)
        return sorted(kept, key=lambda m: m.start)

    rng = random.Random(7)
    for _ in range(500):
        spans = []
        for _ in range(rng.randint(0, 20)):
            start = rng.randint(0, 50)
            end = start + rng.randint(1, 10)
            spans.append(Mention(text="x" * (end - start), start=start, end=end, type="LOC", sentence=0, source="kb"))
        assert [(m.start, m.end) for m in _drop_nested(spans)] == [(m.start, m.end) for m in plain(spans)]


def test_merge_index_finds_the_overlapping_mentions_in_the_order_kept():
    """``merge`` looks up the kept mentions a new one overlaps by start offset; against the plain scan of all
    of them, through additions and removals, on random spans."""
    import random

    from kgbuild.mentions import _Kept

    rng = random.Random(11)
    for _ in range(300):
        def span():
            start = rng.randint(0, 60)
            end = start + rng.randint(1, 12)
            return Mention(text="x" * (end - start), start=start, end=end, type="ORG", sentence=0, source="kb")

        kept = _Kept(sorted((span() for _ in range(rng.randint(0, 10))), key=lambda m: m.start))
        for _ in range(15):
            m = span()
            plain = [k for k, c in kept.mentions.items() if c.start < m.end and m.start < c.end]
            assert kept.clashing(m) == plain
            if plain and rng.random() < 0.5:
                kept.remove(plain[0])
            else:
                kept.add(m)
