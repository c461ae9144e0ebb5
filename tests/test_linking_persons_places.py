"""A lone name the NER does not read as a place, followed by a person's verb, is no town of that name
(``kgbuild.linking.persons.persons_not_places``); the bundled KB and the English statistical pipeline, sentences
written for these tests."""
from __future__ import annotations

import pytest
from conftest import links_en


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


@pytest.mark.parametrize("text, name", [
    ("Churchill said the war would be long and hard.", "Churchill"),
    ("Lincoln said the union would not break apart, and the crowd cheered.", "Lincoln"),
])
def test_name_that_speaks_is_no_town(pipe, kb, text, name):
    towns = {c.qid for c in kb.lookup(name, lang="en") if c.type == "LOC"}
    assert towns  # the KB knows towns of that name
    assert links_en(pipe, text).get(name) not in towns


def test_place_that_the_ner_reads_as_a_place_keeps_its_link(pipe):
    links = links_en(pipe, "Moscow said on Monday that the talks in Geneva had failed.")
    assert links.get("Moscow") == "Q649"
