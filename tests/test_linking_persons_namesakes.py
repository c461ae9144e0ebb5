"""Lone person names and their namesakes in a big KB (issue 13, KORE-style ambiguity; ``kgbuild.linking.persons``):
an occupation the text gives a name rules out the namesakes of other fields and may settle the one of its field;
namesakes the document does not tell apart leave the name unlinked; a lone surname the small NER misses at a
sentence's start, or takes for a person while the KB spots a place, is read as a person. Sentences written for
these tests; the bundled KB and the default pipeline."""
from __future__ import annotations

import pytest
from conftest import links_in

from kgbuild.linking.persons import occupation_field, unsettled_namesakes
from kgbuild.read import article_from_text
from kgbuild.types import Candidate, Mention


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


def _at(text: str, name: str) -> Mention:
    start = text.index(name)
    return Mention(start, start + len(name), name, "PER", "ner", 0)


@pytest.mark.parametrize("text,name,field", [
    ("The singer Adams released a new record.", "Adams", "music"),
    ("Wilson, the striker, scored in the second half.", "Wilson", "sport"),
    ("Our correspondent Anderson talked to residents.", "Anderson", "press"),
    ("Miller, a local baker, said prices had risen.", "Miller", "plain"),
    ("Bryce, 46, a writer who lives in Ohio, spoke first.", "Bryce", "letters"),
    ("The aging country star Cash made a comeback.", "Cash", "music"),
    ("Tennis star Nadal watched from the stands.", "Nadal", "sport"),
    ("Senator Brown voted against the bill.", "Brown", "politics"),
    ("Adams released a new record.", "Adams", None),  # nothing says what he does
    ("The rising star Adams released a record.", "Adams", None),  # a star of no field
    ("Brown, the city's biggest employer, cut jobs.", "Brown", None),  # no occupation
    ("The spokesman Kirby said the talks went well.", "Kirby", None),  # spokesmen the KB knows have other fields
])
def test_occupation_field_reads_apposition_and_title(text, name, field):
    assert occupation_field(text, _at(text, name)) == field


def test_a_lone_surname_called_by_an_occupation_is_no_namesake_of_another_field(pipe):
    # the most popular Wilson of the KB is a politician, the most popular Anderson named so alone a footballer
    links = links_in(pipe, "Wilson, the striker, scored in the second half.", None, lang="en")
    assert links["Wilson"] != "Q128956"
    links = links_in(pipe, "Our correspondent Anderson talked to residents of the village.", None, lang="en")
    assert not (links.get("Anderson") or "").startswith("Q")


def test_a_lone_surname_called_by_an_occupation_takes_the_leading_person_of_that_field(pipe):
    # "Cash" alone is one of five namesakes, the most popular below the model's threshold; the country star of that
    # name, a singer-songwriter as the text's words say, is Johnny Cash
    text = "After lean years, country star Cash made a comeback that moved every singer-songwriter in town."
    assert links_in(pipe, text, None, lang="en")["Cash"] == "Q42775"
    # without the occupation the surname alone stays unlinked
    links = links_in(pipe, text.replace("country star ", ""), None, lang="en")
    assert not (links.get("Cash") or "").startswith("Q")


def _cand(qid: str, score: float, **feats: float) -> Candidate:
    return Candidate(qid, "Smith", "surname", 0.5, "PER", None, score=score, features=tuple(feats.items()))


def test_namesakes_the_document_does_not_tell_apart_leave_the_name_unsettled():
    m = Mention(0, 5, "Smith", "PER", "ner", 0)
    tied = unsettled_namesakes([m], [(_cand("Q1", 0.52), _cand("Q2", 0.52))])
    assert dict(tied[0][0].features).get("namesake_unsettled")
    # the document speaks for the leader (a related entity), or the runner-up is far behind: the lead stands
    told = unsettled_namesakes([m], [(_cand("Q1", 0.52, coherence=0.5), _cand("Q2", 0.5))])
    far = unsettled_namesakes([m], [(_cand("Q1", 0.8), _cand("Q2", 0.1))])
    assert not dict(told[0][0].features).get("namesake_unsettled")
    assert not dict(far[0][0].features).get("namesake_unsettled")


def test_equally_popular_namesakes_with_nothing_in_the_document_stay_unlinked(pipe):
    # the KB has several Smiths of the same prior: which one is a coin toss, no link
    links = links_in(pipe, "Smith said the company would hire more staff next year.", None, lang="en")
    assert not (links.get("Smith") or "").startswith("Q")


def test_sentence_initial_surname_before_a_person_verb_is_a_person_mention(pipe):
    # the small NER misses "Jobs" here; the KB has one Jobs, and the sentence says what he did
    links = links_in(pipe, "Jobs introduced the new phone in 2001.", None, lang="en")
    assert links.get("Jobs") == "Q19837"
    # a common noun before the same verbs is no name ("Officials"), nor a word the KB has no person of
    links = links_in(pipe, "Officials said the bridge would reopen. Traffic returned to normal.", None, lang="en")
    assert "Officials" not in links and "Traffic" not in links


def test_a_lone_name_the_ner_takes_for_a_person_is_not_the_place_the_kb_spotted(pipe):
    # the NER reads a person, the KB spots the country and the capital of Bermuda: neither is meant
    links = links_in(pipe, "Jordan won six titles with the Bulls.", None, lang="en")
    assert links.get("Jordan") != "Q810"
    links = links_in(pipe, "Hamilton won the race at Monza ahead of his teammate.", None, lang="en")
    assert links.get("Hamilton") != "Q30985"


def test_persons_over_places_only_for_a_name_the_kb_knows_as_a_persons(kb):
    from kgbuild.mentions import _persons_over_places

    spotted = [Mention(0, 6, "Jordan", "LOC", "kb", 0, kind="label", candidates=tuple(kb.lookup("Jordan", "en")[:1])),
               Mention(10, 14, "Kyiv", "LOC", "kb", 0, kind="label", candidates=tuple(kb.lookup("Kyiv", "en")[:1]))]
    ner = [Mention(0, 6, "Jordan", "PER", "ner", 0), Mention(10, 14, "Kyiv", "PER", "ner", 0)]
    out = _persons_over_places(spotted, ner, kb, "en")
    assert [m.type for m in out] == ["PER", "LOC"]  # the KB knows persons named Jordan, nobody named Kyiv
    assert out[0].candidates == spotted[0].candidates
    assert _persons_over_places(spotted, ner[1:], kb, "en") == spotted  # the NER agrees with the KB on Jordan


def test_a_surname_opening_a_clause_before_a_persons_verb_is_a_person_mention(pipe):
    # the small NER sees neither name; the KB has one Plant, whose bandmate is the Page meant
    links = links_in(pipe, "Page played a long solo while Plant sang.", None, lang="en")
    assert links.get("Plant") == "Q428223"
    assert links.get("Page") == "Q165467"


def test_a_famous_persons_surname_is_no_major_place_named_so_in_a_third_language(pipe):
    # "Hollande" is the Netherlands' French name; in English text next to Merkel it is the French president
    links = links_in(pipe, "Merkel met Hollande in Paris to discuss the budget.", None, lang="en")
    assert links["Hollande"] == "Q157"


def test_the_occupation_holds_for_the_names_other_mentions_in_the_document(pipe):
    # the second "Adams" has no apposition of its own: it is the singer of the first sentence, not the writer
    links = links_in(pipe, "The singer Adams released a new record on Friday. Adams said it took two years to write.",
                     None, lang="en")
    assert links["Adams"] != "Q42"
    text = "After lean years, country star Cash made a comeback that moved every singer-songwriter in town. " \
           "Cash said he was grateful."
    result = pipe.process(article_from_text(text, id="t", lang="en"))
    assert [m.entity_key for m in result.mentions if m.text == "Cash"] == ["Q42775", "Q42775"]
