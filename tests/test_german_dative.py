"""German names in the dative that the KB knows only in the nominative (issue 13, hipe, ninth round): a plural name in
-e takes -n after 'den' ('in den Niederlanden'), a name ending in a masculine or neuter noun takes the dative -e of
old print after 'dem' / 'im' ('im Deutschen Reiche'). On the bundled KB and the rule-based German pipeline;
sentences written for these tests."""
from __future__ import annotations

from conftest import candidates_in


def test_dative_plural_of_a_plural_country(nlp_de, kb):
    """'in den Niederlanden' was no mention (the KB's name is 'Niederlande'); it is the Netherlands, also in a name
    of several words with inflected adjectives."""
    got = candidates_in(nlp_de, kb, "Nach der Wahl in den Niederlanden reiste die Ministerin weiter nach Brüssel.")
    assert "Q55" in got.get("Niederlanden", [])
    got = candidates_in(nlp_de, kb, "Der Konzern verlegt seinen Sitz aus den Vereinigten Arabischen Emiraten nach Zürich.")
    assert "Q878" in got.get("Vereinigten Arabischen Emiraten", [])


def test_dative_plural_needs_the_article_and_the_name(nlp_de, kb):
    """Only after 'den', and only a name that ends in the word without its -n: 'Niederlanden' after another word
    stays no mention of the Netherlands, and a pronoun after 'den' ('den Seinen') is no place."""
    got = candidates_in(nlp_de, kb, "Die Firma Niederlanden GmbH meldete am Montag Insolvenz an.")
    assert "Q55" not in got.get("Niederlanden", [])
    got = candidates_in(nlp_de, kb, "Er half den Seinen, wo er nur konnte.")
    assert "Seinen" not in got


def test_old_dative_e_of_a_name_ending_in_a_noun(nlp_de, kb):
    """Old print's dative 'im Deutschen Reiche' is the KB's 'Deutsches Reich' (was no mention)."""
    got = candidates_in(nlp_de, kb, "Im Deutschen Reiche wurde das neue Gesetz sogleich verkündet.")
    assert "Q43287" in got.get("Deutschen Reiche", [])
