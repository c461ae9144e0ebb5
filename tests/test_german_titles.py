"""Titles, honorifics and ranks before German person names (issue 13, hipe, seventh round): the title is not part
of the name, so the name is looked up without it; a title alone is no person. On the bundled KB and the
rule-based German pipeline; sentences written for these tests."""
from __future__ import annotations

from conftest import candidates_in


def test_academic_title_is_not_part_of_the_name(nlp_de, kb):
    """'Dr. Markus Söder' after a role word was one unlinked name; it is Markus Söder (the KB's person)."""
    got = candidates_in(nlp_de, kb, "Ministerpräsident Dr. Markus Söder eröffnete am Montag die Messe in Nürnberg.")
    assert "Dr. Markus Söder" not in got
    assert "Q50664" in got.get("Markus Söder", [])


def test_honorific_and_old_print_title(nlp_de, kb):
    """Honorifics and old print's titles ('Fürſt', 'Hofrat') are left out of the name too."""
    got = candidates_in(nlp_de, kb, "Gestern empfing der Kanzler Fürſt Tallow und den Landrat Hofrat Emil Brunnhuber.")
    assert not any(name.startswith(("Fürſt", "Hofrat")) for name in got)


def test_title_alone_is_no_person(nlp_de, kb):
    """A later 'Dr.' is no repetition of the person 'Dr. Keßler' (the title is no family name), and the person is
    Keßler."""
    got = candidates_in(nlp_de, kb, "Der Kommissar Dr. Keßler ermittelt seit Montag. Am Abend sprach auch Dr. Emil Sander "
                               "mit der Presse.")
    assert "Dr." not in got and "Dr. Keßler" not in got
    assert "Keßler" in got and "Emil Sander" in got


def test_name_after_role_ends_before_a_common_noun(nlp_de, kb):
    """'hatte Bundeskanzler Olaf Scholz Gelegenheit': the name after the role word ran on into the noun and stayed
    unlinked; it is Olaf Scholz. A family name that is a noun stays part of the name (Hubertus Heil)."""
    got = candidates_in(nlp_de, kb, "Am Montag hatte Bundeskanzler Olaf Scholz Gelegenheit, mit den Gästen zu sprechen. "
                               "Danach machte Außenministerin Annalena Baerbock Station in Lyon.")
    assert "Q61053" in got.get("Olaf Scholz", [])
    assert "Q564328" in got.get("Annalena Baerbock", [])
    got = candidates_in(nlp_de, kb, "Zuvor hatte Arbeitsminister Hubertus Heil Gelegenheit zu einer Rede.")
    assert "Q71534" in got.get("Hubertus Heil", [])


def test_genitive_name_before_a_common_noun(nlp_de, kb):
    """'Heidi Klums Castingshow': the genitive name ends before the noun it owns (the NER-free rules ran on); the head
    of an organisation's name stays part of it."""
    got = candidates_in(nlp_de, kb, "Viele Zuschauer mochten Heidi Klums Castingshow nicht.")
    assert "Q60036" in got.get("Heidi Klums", [])
    got = candidates_in(nlp_de, kb, "Das Geld kam von der Roger Federer Stiftung.")
    assert "Roger Federer" not in got
