"""What the words around a name say about its entity (issue 13, ``kgbuild.linking.context``), on sentences
written for these tests and the bundled KB:

- a name followed by a kind noun ("JFK airport", "the Obama administration") is the facility or administration of
  that name, or nothing the KB knows; a place before a kind noun stays the place ("a Boston hospital");
- a name ending in a kind noun ("Nobel Prize") is no entity whose labels and description lack it;
- "at <name>" in a sentence about a flight is the airport of that name;
- a shortened organisation name after another capitalised word ("the British Computer Society") is no
  organisation whose label has another word there.
"""
from __future__ import annotations

import pytest
from conftest import links_in

from kgbuild.linking import link
from kgbuild.types import Mention


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb, model="builtin")


def _links(pipe, text: str) -> dict[str, str | None]:
    return links_in(pipe, text, None, lang="en")


def _as_person(kb, text: str, name: str) -> str | None:
    """The link of ``name`` in ``text`` when the NER took it for a person: its candidates the KB's persons of
    that name (what the spotter looks up for a PER name)."""
    start = text.index(name)
    persons = tuple(c for c in kb.lookup(name, lang="en", limit=10) if c.type == "PER")
    mention = Mention(start, start + len(name), name, "PER", "kb+ner", sentence=0, candidates=persons)
    linked, _ = link([mention], kb, "en", text=text)
    return linked[0].entity_key


@pytest.mark.parametrize("text", [
    "Delegates from nine countries waited for hours at JFK airport after the storm.",
    "The minister's delayed flight finally landed at JFK shortly before midnight.",
])
def test_name_of_an_airport_taken_for_a_person_is_the_airport(kb, text):
    assert kb.entity("Q9696") is not None and kb.entity("Q8685") is not None
    assert _as_person(kb, text, "JFK") == "Q8685"  # John F. Kennedy International Airport, not the president


def test_name_at_a_place_without_flight_is_not_made_an_airport(kb):
    assert _as_person(kb, "Historians still argue about JFK and his advisers.", "JFK") == "Q9696"


def test_name_before_administration_is_not_the_person(pipe):
    links = _links(pipe, "Officials of the Obama administration defended the new tariffs on steel.")
    assert links.get("Obama") is None or not links["Obama"].startswith("Q")


def test_place_before_a_facility_noun_stays_the_place(pipe):
    links = _links(pipe, "The injured climber was flown to a Boston hospital on Sunday.")
    assert links["Boston"] == "Q100"


def test_prize_is_not_the_foundation(pipe):
    links = _links(pipe, "The chemist who won the Nobel Prize in Chemistry gave a lecture in Oslo.")
    assert links.get("Nobel Prize") is None or not links["Nobel Prize"].startswith("Q")


def test_qualified_short_name_is_another_organisation(pipe):
    links = _links(pipe, "Last year she joined the council of the British Computer Society in London.")
    linked = {t: k for t, k in links.items() if k and k.startswith("Q")}
    assert "Q669561" not in linked.values()  # IEEE Computer Society
    assert linked.get("London") == "Q84"


def test_descriptive_institution_is_the_one_of_the_document_country(pipe):
    # the KB has a "Ministry of Defence" of the UK, Brazil, Italy, the Netherlands and Norway
    links = _links(pipe, "The Italian Ministry of Defence said that Rome would send two frigates to the Red Sea.")
    assert links["Ministry of Defence"] == "Q1855201"


def test_descriptive_institution_of_another_country_stays_unlinked(pipe):
    # "Institute of Physics": the KB has the British and a Chinese one; this one is in Rome
    links = _links(pipe, "In Rome the Institute of Physics hired two young chemists from Naples and Turin.")
    assert links.get("Institute of Physics") is None or not links["Institute of Physics"].startswith("Q")
    assert links["Rome"] == "Q220"


def test_institution_of_one_country_only_keeps_its_link(pipe):
    # a name only one institution has (no namesakes of other countries) is not judged by the document's country
    links = _links(pipe, "In Rome the Royal Institute of International Affairs met the Italian Ministry of Defence.")
    assert links["Royal Institute of International Affairs"] == "Q263016"  # Chatham House, London


def test_longest_name_wins_over_a_name_it_starts_with(pipe):
    # "MIT" alone is the Massachusetts Institute of Technology; the lab is another organisation the KB lacks
    links = _links(pipe, "At the MIT Media Lab, two students built a robot that sorts letters.")
    assert "MIT" not in links
    assert links["MIT Media Lab"] is None or not links["MIT Media Lab"].startswith("Q")
    assert _links(pipe, "Two students at MIT built a robot that sorts letters.")["MIT"] == "Q49108"
