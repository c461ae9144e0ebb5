"""A person called by the first name alone (issue 13; ``kgbuild.linking.given_names``): the one person of that first
name the document supports (a related entity, a description naming the document's other names) is meant; without
support, with an occupation that does not fit, or with the full name earlier, the name stays as it was. Sentences
written for these tests; the bundled KB and the default pipeline."""
from __future__ import annotations

import pytest
from conftest import links_en

from kgbuild.linking.features import DocContext
from kgbuild.linking.given_names import first_name_persons


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


def test_the_persons_of_a_first_name_are_the_kbs_most_popular_bearers(kb):
    people = first_name_persons(DocContext.build([], kb, "en", "Steve"), "Steve")
    assert "Q19837" in {c.qid for c in people}  # Steve Jobs
    assert all(c.type == "PER" and c.name == "Steve" and c.kind == "given" for c in people)


def test_a_first_name_is_the_one_bearer_the_document_supports(pipe):
    # Steve Jobs's description names Apple ("co-founder of Apple Inc."); no other Steve of the KB has to do with it
    assert links_en(pipe, "Steve gave his last keynote at Apple before he fell ill.")["Steve"] == "Q19837"


def test_a_first_name_without_support_stays_unlinked(pipe):
    links = links_en(pipe, "Steve gave his last keynote in the old town hall before he fell ill.")
    assert not (links["Steve"] or "").startswith("Q")


def test_an_occupation_of_another_field_rules_the_bearer_out(pipe):
    # Steve Jobs was no drummer; a baker is nobody the KB knows
    links = links_en(pipe, "Steve, the drummer, played a short set at the Apple launch.")
    assert not (links["Steve"] or "").startswith("Q")
    links = links_en(pipe, "Steve, a local baker, said the Apple launch was too loud.")
    assert not (links["Steve"] or "").startswith("Q")


def test_a_first_name_after_the_full_name_is_that_person(pipe):
    links = links_en(pipe, "Steve Wozniak left Apple in 1985. Steve later taught computer classes to children.")
    assert links["Steve"] == links["Steve Wozniak"]
