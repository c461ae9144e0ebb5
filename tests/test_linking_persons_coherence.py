"""Persons named by one word, settled by the document (issue 13, ``kgbuild.linking.persons``): the person candidate
related to the document's other entities leads over a more popular namesake; a full name in the document decides;
nothing related, nothing changes. Sentences written for these tests; the bundled KB and the default pipeline."""
from __future__ import annotations

import pytest
from conftest import links_in

from kgbuild.linking.persons import by_coherence
from kgbuild.types import Candidate, Mention


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


def test_lone_surname_takes_the_namesake_the_document_relates_to(pipe):
    # the singer Beck is the more popular reading of "Beck"; Rod Stewart's bandmate is Jeff Beck
    links = links_in(pipe, "Rod Stewart sang while Beck played guitar.", None, lang="en")
    assert links["Rod Stewart"] == "Q182655"
    assert links["Beck"] == "Q192474"


def test_lone_first_name_takes_the_person_of_the_company_the_sentence_names(pipe):
    # "John" alone is no one in particular; at Pixar it is John Lasseter
    links = links_in(pipe, "Pixar said that John would direct the sequel.", None, lang="en")
    assert links["Pixar"] == "Q127552"
    assert links["John"] == "Q269214"


def test_full_name_in_the_document_decides_over_a_related_namesake(pipe):
    # John Lennon relates to Jimmy Page, Sean Lennon is the one the article names in full
    text = "Sean Lennon recorded a song by Jimmy Page. Lennon said the guitar part was hard to play."
    links = links_in(pipe, text, None, lang="en")
    assert links["Sean Lennon"] == "Q311238"
    assert links["Lennon"] == "Q311238"


def test_lone_surname_without_related_entities_is_left_to_the_model(pipe):
    links = links_in(pipe, "Jones said on Monday that the plan would work.", None, lang="en")
    assert not (links.get("Jones") or "").startswith("Q")


class _KB:
    """Relatedness only: the persons Q1 (Ann Smith), Q2 (Bob Smith) and Q3 (Cy Doe, Bob Smith's bandmate), the
    company Q10 and the country Q20."""

    related_of = {"Q2": {"Q10", "Q20", "Q3"}, "Q1": {"Q20"}, "Q10": {"Q2"}, "Q20": {"Q1", "Q2"}, "Q3": {"Q2"}}

    def related(self, qid: str) -> set[str]:
        return set(self.related_of.get(qid, ()))

    def entity(self, qid: str):
        from kgbuild.types import Entity

        types = {"Q1": "PER", "Q2": "PER", "Q3": "PER", "Q10": "ORG", "Q20": "LOC"}
        return Entity(qid, types[qid], 0.5, {"en": qid}) if qid in types else None


def _ranked(*cands: tuple[str, str, float], name: str = "Smith") -> tuple[Candidate, ...]:
    return tuple(Candidate(q, name, "surname", 0.4, t, None, score=s) for q, t, s in cands)


def _context(text: str):
    from kgbuild.linking.features import DocContext

    return DocContext(_KB(), "en", text)  # type: ignore[arg-type]


def test_by_coherence_counts_organisations_not_places_and_promotes_above_the_leader():
    text = "Smith spoke at Acme in France."
    mentions = [Mention(0, 5, "Smith", "PER", "ner", 0), Mention(15, 19, "Acme", "ORG", "ner", 0),
                Mention(23, 29, "France", "LOC", "ner", 0)]
    ranked = [_ranked(("Q1", "PER", 0.6), ("Q2", "PER", 0.1)), _ranked(("Q10", "ORG", 0.8)),
              _ranked(("Q20", "LOC", 0.9))]
    out = by_coherence(mentions, ranked, _context(text), 0.34)
    assert out[0][0].qid == "Q2" and out[0][0].score > 0.6  # related to the company; above the former leader
    assert dict(out[0][0].features)["person_anchors"] == 1  # what settled it, for ``kgbuild link --explain``
    # without the company only the country relates, to both persons alike: a place is no anchor, nothing changes
    out = by_coherence(mentions[::2], ranked[::2], _context(text), 0.34)
    assert out[0][0].qid == "Q1" and out[0][0].score == 0.6


def test_by_coherence_leaves_a_name_the_document_gives_in_full():
    text = "Ann Smith spoke at Acme. Smith said more."
    mentions = [Mention(0, 9, "Ann Smith", "PER", "ner", 0), Mention(19, 23, "Acme", "ORG", "ner", 0),
                Mention(25, 30, "Smith", "PER", "ner", 1)]
    ranked = [_ranked(("Q1", "PER", 0.9)), _ranked(("Q10", "ORG", 0.8)), _ranked(("Q1", "PER", 0.6), ("Q2", "PER", 0.1))]
    out = by_coherence(mentions, ranked, _context(text), 0.34)
    assert out[2][0].qid == "Q1"  # the full name decides (``_alias_of_earlier``), not the company's relatedness


def test_by_coherence_takes_a_lone_name_of_one_person_as_anchor_and_settles_it_in_a_second_round():
    # "Smith and Doe": the KB has one Doe, scored below the threshold; Bob Smith is his bandmate
    text = "Smith and Doe played."
    mentions = [Mention(0, 5, "Smith", "PER", "ner", 0), Mention(10, 13, "Doe", "PER", "ner", 0)]
    ranked = [_ranked(("Q1", "PER", 0.3), ("Q2", "PER", 0.1)), _ranked(("Q3", "PER", 0.2), name="Doe")]
    out = by_coherence(mentions, ranked, _context(text), 0.34)
    assert out[0][0].qid == "Q2" and out[0][0].score >= 0.5  # through Doe, the one person of his name
    assert out[1][0].qid == "Q3" and out[1][0].score >= 0.5  # through Bob Smith, settled in the first round


def test_lone_names_of_bandmates_settle_each_other(pipe):
    # the KB has one Homme, below the threshold alone; John Paul Jones is the Jones related to him
    links = links_in(pipe, "On stage were Homme and Jones, with Grohl on drums.", None, lang="en")
    assert links["Jones"] == "Q190243"
    assert links["Homme"] == "Q1708504"


def test_lone_name_of_one_person_with_nothing_related_stays_unlinked(pipe):
    links = links_in(pipe, "Homme said the new record would be louder.", None, lang="en")
    assert not (links.get("Homme") or "").startswith("Q")


def test_lone_surname_takes_the_person_who_shares_most_with_the_document_when_none_is_related_to_it(pipe):
    # the KB relates neither Lennon to McCartney, but John Lennon shares seven related entities with him (labels,
    # bandmates), Sean Lennon one
    links = links_in(pipe, "Lennon wrote the song with McCartney in a hotel room.", None, lang="en")
    assert links["McCartney"] == "Q2599"
    assert links["Lennon"] == "Q1203"


class _SharedKB(_KB):
    """Q1 and Q2 related to nothing of the document; Q2 shares the label Q30, the studio Q31 and the producer Q32
    with the company Q10, Q1 what ``q1`` says besides the country Q20."""

    def __init__(self, q1: set[str]) -> None:
        self.related_of = {"Q1": {"Q20", *q1}, "Q2": {"Q30", "Q31", "Q32", "Q20"}, "Q10": {"Q30", "Q31", "Q32", "Q20"}}

    def entity(self, qid: str):
        from kgbuild.types import Entity

        types = {"Q1": "PER", "Q2": "PER", "Q10": "ORG", "Q20": "LOC", "Q30": "ORG", "Q31": "ORG", "Q32": "PER"}
        return Entity(qid, types[qid], 0.5, {"en": qid}) if qid in types else None


def test_by_coherence_second_step_needs_three_shared_and_twice_the_runner_up():
    from kgbuild.linking.features import DocContext

    text = "Smith spoke at Acme."
    mentions = [Mention(0, 5, "Smith", "PER", "ner", 0), Mention(15, 19, "Acme", "ORG", "ner", 0)]
    ranked = [_ranked(("Q1", "PER", 0.3), ("Q2", "PER", 0.1)), _ranked(("Q10", "ORG", 0.8))]
    out = by_coherence(mentions, ranked, DocContext(_SharedKB({"Q31"}), "en", text), 0.34)  # type: ignore[arg-type]
    assert out[0][0].qid == "Q2" and out[0][0].score >= 0.5  # three shared (the country does not count) against one
    assert dict(out[0][0].features)["person_shared"] == 3
    out = by_coherence(mentions, ranked, DocContext(_SharedKB({"Q31", "Q30"}), "en", text), 0.34)  # type: ignore[arg-type]
    assert out[0][0].qid == "Q1" and out[0][0].score == 0.3  # three against two: not twice as many, no change
