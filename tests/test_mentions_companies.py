"""Companies named by business context (``kgbuild.linking.companies``), on sentences written for these tests and
the bundled KB; the statistical NER is simulated (``ents`` set by the test): the small English NER misses many
one-word company names or takes them for persons."""
from __future__ import annotations

import pytest
from conftest import find_with_ner

from kgbuild.linking.companies import company_context

BARCLAYS, DELL, LONDON = "Q245343", "Q30873", "Q84"


def found(nlp, kb, text: str, ner: list[tuple[str, str]]) -> dict[str, tuple[str, list[str]]]:
    """Mention text -> its type and its candidates' QIDs; the NER also finds a place in a second sentence (an NER
    that finds nothing at all is no NER to confirm the KB's matches)."""
    text += " Reporters in Paris were told on Friday."
    mentions = find_with_ner(nlp, kb, text, "en", [*ner, ("Paris", "GPE")])
    return {m.text: (m.type, [c.qid for c in m.candidates]) for m in mentions}


@pytest.mark.parametrize("text", [
    "Shares of Barclays slipped after the lender cut its forecast for the year.",
    "Traders said the takeover of Barclays would need the approval of the regulator.",
    "The fund bought a stake in Barclays last spring.",
    "Analysts said Barclays shares tumbled after the results.",
    "Analysts said Barclays reported a sharp drop in annual profit.",
    "Analysts said Barclays fell 4.5 percent in early trading.",
    "Barclays fell as much as 6% after the results.",
])
def test_company_the_ner_missed_stands_in_a_business_context(nlp_en, kb, text):
    got = found(nlp_en, kb, text, ner=[])
    assert got.get("Barclays", ("", []))[1][:1] == [BARCLAYS]


def test_without_business_context_the_unconfirmed_name_still_needs_the_ner(nlp_en, kb):
    assert "Barclays" not in found(nlp_en, kb, "Analysts said Barclays would open a branch near the river.", ner=[])


@pytest.mark.parametrize("text", [
    "Analysts expect Dell's chief executive to step down next year.",
    "Investors think Dell reported a loss in the spring quarter.",
    "Brokers said Dell shares fell in early trading.",
])
def test_name_the_ner_took_for_a_person_is_the_company_in_a_business_context(nlp_en, kb, text):
    type_, cands = found(nlp_en, kb, text, ner=[("Dell", "PERSON")])["Dell"]
    assert type_ == "ORG" and cands[:1] == [DELL]


def test_company_whose_name_is_a_word_stands_at_a_sentence_start_in_a_business_context(nlp_en, kb):
    got = found(nlp_en, kb, "Dell shares jumped 6 percent in early trading on Tuesday.", ner=[])
    assert got.get("Dell", ("", []))[1][:1] == [DELL]


def test_said_it_would_is_no_business_context(nlp_en, kb):
    # a person says "it would ..." as often as a company does
    type_, _ = found(nlp_en, kb, "Dell said it would take years to finish the house.", ner=[("Dell", "PERSON")])["Dell"]
    assert type_ == "PER"


def test_a_person_with_shares_keeps_the_person_over_a_small_firm_of_that_name(nlp_en, kb):
    type_, _ = found(nlp_en, kb, "Analysts said Gates's shares in the firm were worth more.", ner=[("Gates", "PERSON")])["Gates"]
    assert type_ == "PER"


def test_a_place_before_shares_is_a_market(nlp_en, kb):
    got = found(nlp_en, kb, "London shares fell sharply on Monday.", ner=[("London", "GPE")])
    assert got["London"][0] == "LOC" and got["London"][1][:1] == [LONDON]


@pytest.mark.parametrize("text, start, end, says", [
    ("Merkel shares the concern of her ministers.", 0, 6, False),  # a verb
    ("Smith reported the theft to the police.", 0, 5, False),
    ("The London stock exchange opened late.", 4, 10, False),
    ("Ford's chief executive spoke first.", 0, 4, True),
    ("A merger with Ford is off the table.", 14, 18, True),
    ("In the first round Martin gained 20 percent of the vote.", 19, 25, False),  # votes, not a price
])
def test_business_cues(text, start, end, says):
    assert company_context(text, start, end, "en") is says
    assert company_context(text, start, end, "de") is False
