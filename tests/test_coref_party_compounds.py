"""A person noun after a party's name in one word ("der SPD-Politiker", "die Grünen-Politikerin") is the person,
a member of that party when the KB knows one, and the party inside the word is no participant of the events
(``kgbuild.relations.coref``); bundled KB and German pipeline, sentences written for these tests."""
from __future__ import annotations

import pytest

from kgbuild.pipeline import Pipeline
from kgbuild.read import article_from_text


@pytest.fixture(scope="module")
def pipe(kb):
    return Pipeline(kb=kb)


def run(pipe, text):
    result = pipe.process(article_from_text(text, id="t", lang="de", published="2024-05-02"))
    corefs = {m.text: m.entity_key for m in result.mentions if m.kind == "coref"}
    return corefs, {(e.relation, e.subject, e.object) for e in result.events}


def test_party_compound_is_the_member_of_that_party_not_the_last_person(pipe):
    corefs, events = run(pipe, "Olaf Scholz traf am Montag Emmanuel Macron in Paris. "
                               "Der SPD-Politiker kritisierte danach die Zölle der USA.")
    assert corefs["Der SPD-Politiker"] == "Q61053"  # Scholz (SPD), although Macron was named last
    assert ("criticises", "Q61053", "Q30") in events and ("memberOfParty", "Q61053", "Q49768") in events
    assert not any(subject == "Q49768" for _, subject, _ in events)  # the party is no participant


def test_weak_party_name_inside_a_person_compound(pipe):
    corefs, events = run(pipe, "Annalena Baerbock sprach mit Emmanuel Macron in Paris. "
                               "Die Grünen-Politikerin warf Russland Lügen vor.")
    assert corefs["Die Grünen-Politikerin"] == "Q564328"
    assert ("accuses", "Q564328", "Q159") in events and ("memberOfParty", "Q564328", "Q49766") in events


def test_party_compound_never_takes_a_member_of_another_party(pipe):
    corefs, _ = run(pipe, "Annalena Baerbock traf am Montag Friedrich Merz in Berlin. Die SPD-Politikerin schwieg.")
    assert "Die SPD-Politikerin" not in corefs  # Baerbock (Greens) and Merz (CDU): no member of the SPD
