"""German recall in old print, second pass (issue 13, dehipe, sixth round): parties named by a lower-case adjective
and a plain *Partei*, a surname with the abbreviated particle after a role word, old print's prepositions of place.
On the bundled KB and the rule-based German pipeline; sentences written for these tests."""
from __future__ import annotations

from conftest import candidates_in, find_with_ner


def test_kb_names_beginning_with_words(kb):
    """The KB's names that go on after the given words (not the name itself, not a longer first word)."""
    got = {c.qid: c.name for c in kb.names_beginning("Sozialdemokratische", lang="de")}
    assert got.get("Q49768") == "Sozialdemokratische Partei Deutschlands"
    assert got.get("Q179111") == "Sozialdemokratische Partei Österreichs"
    assert all(name.startswith("Sozialdemokratische ") for name in got.values())
    assert kb.names_beginning("", lang="de") == []


def test_party_named_by_adjective_and_plain_partei(nlp_de, kb):
    """'der sozialdemokratischen Partei' is a shortened name of the parties called 'Sozialdemokratische Partei ...'
    (the linker chooses among them); 'der nationalsozialistischen Partei' of the NSDAP (adjective of nationality and
    a compound head left out), also with the adjective split at a line break."""
    got = candidates_in(nlp_de, kb, "Der Redner war früher Mitglied der sozialdemokratischen Partei und trat dann der "
                               "nationalsozialistischen Partei bei. Die Zeitung der national¬sozialistischen Partei schwieg.")
    assert {"Q49768", "Q179111"} <= set(got.get("sozialdemokratischen Partei", []))
    assert got.get("nationalsozialistischen Partei") == ["Q7320"]
    assert got.get("national¬sozialistischen Partei") == ["Q7320"]
    whole = candidates_in(nlp_de, kb, "Die Abgeordneten der sozialdemokratischen Partei Österreichs stimmten dagegen.")
    assert whole.get("sozialdemokratischen Partei Österreichs") == ["Q179111"]


def test_party_description_is_no_name(nlp_de, kb):
    """After an indefinite article the words describe a party; before a genitive the KB does not know with the
    name, they name another party than those the KB has."""
    got = candidates_in(nlp_de, kb, "Er wollte eine sozialdemokratische Partei gründen. Die sozialdemokratische Partei "
                               "Freedonias gewann die Wahl.")
    assert not any("Partei" in text for text in got)


def test_surname_with_abbreviated_particle_after_role(nlp_de, kb):
    """'General v. Schleicher' names Kurt von Schleicher; 'von' before a place is no name's particle."""
    got = candidates_in(nlp_de, kb, "Gestern empfing General v. Schleicher die Presse. Der König von Spanien reiste ab.")
    assert got.get("v. Schleicher") == ["Q57133"]
    assert "von Spanien" not in got


def test_place_after_old_prepositions_of_place(nlp_de, kb):
    """'nächst Pottenstein', 'unweit Judenburg': old print's prepositions of place make a KB place name a place
    where the statistical NER saw nothing (simulated: an NER that finds only the person)."""
    found = find_with_ner(nlp_de, kb, "Gendarm Alois Brunnhuber fand den Mast nächst Pottenstein, den zweiten unweit "
                                      "Judenburg.", "de", ner=[("Alois Brunnhuber", "PER")])
    texts = {m.text for m in found}
    assert {"Pottenstein", "Judenburg"} <= texts


def test_st_for_sankt_in_place_names(nlp_de, kb):
    """'St. Peter ob Judenburg' is the place the KB names 'Sankt Peter ob Judenburg' (one mention, not 'St. Peter');
    a name the KB has with 'St.' stays as it is."""
    got = candidates_in(nlp_de, kb, "Der Mast im Gemeindegebiet von St. Peter ob Judenburg brach. In St. Pölten blieb es ruhig.")
    assert got.get("St. Peter ob Judenburg") == ["Q689681"]
    assert got.get("St. Pölten", [None])[0] == "Q82500"


def test_no_name_begins_or_ends_with_a_split_off_hyphen(nlp_de, kb):
    """Old print's '=' hyphen is a token of its own ('D=Zug', 'Young=Anleihe'): no mention begins or ends with it
    ('=Zug' is no canton Zug); a name that has it inside stays whole ('Arbeiter=Zeitung')."""
    got = candidates_in(nlp_de, kb, "Der Kanzler kam mit dem D=Zug an. Für die Young=Anleihe werden die Zinsen bezahlt, "
                               "meldet die Arbeiter=Zeitung.")
    assert not any(text[:1] in "=⸗-" or text[-1:] in "=⸗-" for text in got)
    assert "Arbeiter=Zeitung" in got


def test_shortened_party_name_keeps_the_parties_of_the_documents_countries(nlp_de, kb):
    """Beside a place in Austria 'die sozialdemokratische Partei' is the SPÖ, beside Berlin the SPD; beside only
    Denmark none of the KB's parties of that name (the Danish one is not among them)."""
    vienna = candidates_in(nlp_de, kb, "In Wien verlor die sozialdemokratische Partei die Wahl.")
    assert vienna.get("sozialdemokratische Partei") == ["Q179111"]
    berlin = candidates_in(nlp_de, kb, "In Berlin verlor die sozialdemokratische Partei die Wahl.")
    assert berlin.get("sozialdemokratische Partei", [None])[0] == "Q49768"
    assert "Q179111" not in berlin.get("sozialdemokratische Partei", [])
    denmark = candidates_in(nlp_de, kb, "In Dänemark gewann die sozialdemokratische Partei die Wahl.")
    assert not denmark.get("sozialdemokratische Partei")
