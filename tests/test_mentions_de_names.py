"""German name boundaries of issue 13 (hipe, fifth round): datelines, acronyms spelt with dots, institutions named
after a place, party names with a lower-case adjective. On the bundled KB and the rule-based German pipeline;
sentences written for these tests."""
from __future__ import annotations

from kgbuild.mentions import find_mentions, sentences_of


def found(nlp, kb, text: str) -> dict[str, str | None]:
    """Mention text -> its first candidate's QID (None without candidates)."""
    doc = nlp(text)
    return {m.text: (m.candidates[0].qid if m.candidates else None)
            for m in find_mentions(doc, kb, "de", sentences_of(doc), use_ner=False)}


def test_dateline_comma_and_day_are_not_part_of_a_name(nlp_de, kb):
    """'Prag, 1. Juli' opens a report from Prague, not Prague 1 (a district the KB calls "Prag 1")."""
    got = found(nlp_de, kb, "Prag, 1. Juli. Die Regierung hat dem Parlament ein Gesetz vorgelegt.")
    assert got.get("Prag") == "Q1085"
    assert not any("," in text for text in got)
    assert found(nlp_de, kb, "Sie flog nach Washington, D.C. zurück.").get("Washington, D.C.") == "Q61"


def test_acronym_spelt_with_dots_is_one_mention(nlp_de, kb):
    got = found(nlp_de, kb, "Er trat 1931 der N. S. D. A. P. bei und wurde später ein S.=S.=Mann.")
    assert got.get("N. S. D. A. P.") == "Q7320"
    assert got.get("S.=S.") == "Q44687"
    assert not any(t in got for t in ("S. D.", "D. A."))


def test_initials_before_a_surname_are_no_acronym(nlp_de, kb):
    got = found(nlp_de, kb, "Gesellschafter sind der Ingenieur C. F. Flach und der Kaufmann S. A. Brenner.")
    assert not any(t.replace(" ", "") in ("C.F.", "S.A.") for t in got)
    # two letters written together are the spotter's to read (it looks "S.S." up whole), not this rule's
    assert found(nlp_de, kb, "Er war Mitglied der S.S. und floh.") == {"S.S.": "Q44687"}


def test_place_after_an_institutions_head_is_part_of_its_name(nlp_de, kb):
    """The place inside 'Universität Gießen', 'Technischen Hochschule Darmstadt', 'Kreisgericht Krems' is not linked
    on its own; a name the KB has ('Universität Hamburg') links to the university."""
    text = ("Professoren der Universität Gießen und der Technischen Hochschule Darmstadt sprachen vor dem "
            "Kreisgericht Krems. Die Universität Hamburg lud ein. Die Sicherheitsdirektion für Niederösterreich ermittelt.")
    got = found(nlp_de, kb, text)
    for place in ("Gießen", "Darmstadt", "Krems", "Hamburg", "Niederösterreich"):
        assert place not in got
    assert "Universität Gießen" in got and "Technischen Hochschule Darmstadt" in got and "Kreisgericht Krems" in got
    assert got.get("Universität Hamburg") == "Q156725"
    assert "Sicherheitsdirektion für Niederösterreich" in got  # no article "Die" in the name


def test_station_named_after_its_place(nlp_de, kb):
    got = found(nlp_de, kb, "Der Sonderzug fährt um 7 Uhr ab Wien Ostbahnhof und hält auch am Bahnhof Linz.")
    assert "Wien Ostbahnhof" in got and "Wien" not in got
    assert got.get("Linz") is not None  # "am Bahnhof Linz": the town's station, the town stays a mention


def test_end_of_a_hyphenated_compound_is_no_name_of_its_own(nlp_de, kb):
    """'Neu⸗ Guinea' (old print, a space after the hyphen), 'Neu=Braunschweig' (OCR's hyphen): not Guinea the
    country nor the city of Braunschweig; a compound the KB has whole is that entity."""
    got = found(nlp_de, kb, "Der Gouverneur von Neu⸗ Guinea reiste über Neu=Braunschweig nach Oeſterreich⸗ Ungarn.")
    assert "Guinea" not in got and "Braunschweig" not in got
    assert "Neu⸗ Guinea" in got and "Neu=Braunschweig" in got
    assert got.get("Oeſterreich⸗ Ungarn") == "Q28513"
    assert found(nlp_de, kb, "Sie flog von Berlin nach Guinea.").get("Guinea") == "Q1006"


def test_party_name_with_a_lower_case_adjective(nlp_de, kb):
    got = found(nlp_de, kb, "Die Regierung beschuldigte die bayerische Volkspartei; die Mitglieder der "
                            "christlichsozialen Partei schwiegen. Die neue Partei wuchs.")
    assert got.get("bayerische Volkspartei") == "Q302884"
    assert got.get("christlichsozialen Partei") == "Q692131"
    assert "neue Partei" not in got
