"""Persons named by a surname alone (issue 13, name forms): candidates for a lone surname the NER mistyped,
and a surname that repeats a full name of the same document. Sentences written for these tests; a small KB."""
from __future__ import annotations

from conftest import MemoryKB

from kgbuild.linking import LinkerConfig, _with_untyped_candidates, link
from kgbuild.linking.features import FEATURE_NAMES, DocContext, features, name_continues
from kgbuild.types import Mention


def _kb() -> MemoryKB:
    entities = [
        ("Q100", "PER", 0.45, {"en": "Samuel Okonkwo"}), ("Q101", "PER", 0.4, {"en": "Margaret Okonkwo"}),
        ("Q200", "LOC", 0.5, {"en": "Okonkwo"}), ("Q300", "PER", 0.45, {"en": "Teodor Vasquez-Lind"}),
        ("Q400", "ORG", 0.6, {"en": "Harbour Works"}),
    ]
    names = [
        ("Samuel Okonkwo", "Q100", "label", "en"), ("Okonkwo", "Q100", "surname", None),
        ("Margaret Okonkwo", "Q101", "label", "en"), ("Okonkwo", "Q101", "surname", None),
        ("Okonkwo", "Q200", "label", "en"),
        ("Teodor Vasquez-Lind", "Q300", "label", "en"), ("Vasquez-Lind", "Q300", "surname", None),
        ("Harbour Works", "Q400", "label", "en"),
    ]
    return MemoryKB(entities, names)


def test_lone_surname_the_ner_mistyped_gets_the_persons_of_that_surname():
    kb = _kb()
    # the NER took the name for an organisation and the spotter found nothing: the KB's place of that name
    # (another type) and its Okonkwos become candidates
    m = Mention(0, 7, "Okonkwo", "ORG", "ner", 0)
    [out] = _with_untyped_candidates([m], kb, "en")
    assert {c.qid for c in out.candidates} == {"Q200", "Q100", "Q101"}
    assert {c.qid for c in out.candidates if c.kind == "surname"} == {"Q100", "Q101"}
    # taken for a place, and the KB has a place of that name: that one alone
    [place] = _with_untyped_candidates([Mention(0, 7, "Okonkwo", "LOC", "ner", 0)], kb, "en")
    assert [c.qid for c in place.candidates] == ["Q200"]


def test_a_name_the_ner_took_for_a_person_gets_the_kb_entities_of_other_types():
    kb = _kb()
    m = Mention(0, 13, "Harbour Works", "PER", "ner", 0)  # the person lookup found nobody of that name
    [out] = _with_untyped_candidates([m], kb, "en")
    assert [c.qid for c in out.candidates] == ["Q400"]


def test_candidates_completed_only_where_the_ner_saw_a_name_the_lookup_missed():
    kb = _kb()
    person = next(c for c in kb.lookup("Samuel Okonkwo", "en"))
    kept = [
        Mention(0, 7, "Okonkwo", "LOC", "kb", 0, kind="label", candidates=tuple(kb.lookup("Okonkwo", "en")[:1])),
        Mention(0, 14, "Samuel Okonkwo", "PER", "ner", 0, candidates=(person,)),  # has a person already
        Mention(0, 13, "Harbour Works", "ORG", "ner", 0, candidates=tuple(kb.lookup("Harbour Works", "en"))),
        Mention(0, 7, "OKONKWO", "ORG", "kb+ner", 0, candidates=tuple(kb.lookup("Okonkwo", "en")[:1])),  # capitals
    ]
    out = _with_untyped_candidates(kept, kb, "en")
    assert [m.candidates for m in out] == [m.candidates for m in kept]


def test_surname_after_the_full_name_is_that_person_whatever_its_ner_type():
    kb = _kb()
    text = "Samuel Okonkwo opened the new dock on Friday. Later Okonkwo toured Harbour Works."
    full = Mention(0, 14, "Samuel Okonkwo", "PER", "ner", 0, candidates=tuple(kb.lookup("Samuel Okonkwo", "en")))
    i = text.index("Okonkwo toured")
    lone = Mention(i, i + 7, "Okonkwo", "LOC", "ner", 1)
    linked, _ = link([full, lone], kb, "en", text=text)
    assert linked[0].entity_key == "Q100"
    assert linked[1].entity_key == "Q100" and linked[1].type == "PER"


def test_a_first_name_alone_gets_no_other_entity_and_case_must_fit():
    kb = MemoryKB([("Q500", "ORG", 0.5, {"en": "ERIC"}), ("Q501", "LOC", 0.5, {"en": "Marlo"})],
                  [("ERIC", "Q500", "short", None), ("Marlo", "Q501", "label", "en")], given={"Marlo"})
    eric = Mention(0, 4, "Eric", "ORG", "ner", 0)  # "Eric" is not the abbreviation ERIC
    marlo = Mention(0, 5, "Marlo", "PER", "ner", 0)  # a known first name the NER calls a person
    assert [m.candidates for m in _with_untyped_candidates([eric, marlo], kb, "en")] == [(), ()]


def test_a_name_with_candidates_of_its_ner_type_gets_no_surnames():
    kb = MemoryKB([("Q600", "ORG", 0.4, {"en": "Korvald Works"}), ("Q601", "PER", 0.4, {"en": "Anna Korvald"})],
                  [("Korvald", "Q600", "alias", "en"), ("Korvald", "Q601", "surname", None)])
    company = Mention(0, 7, "Korvald", "ORG", "kb+ner", 0, candidates=tuple(kb.lookup("Korvald", "en")[:1]))
    [out] = _with_untyped_candidates([company], kb, "en")
    assert [c.qid for c in out.candidates] == ["Q600"]


def test_an_abbreviation_after_a_number_is_a_unit_not_a_name():
    kb = MemoryKB([("Q700", "ORG", 0.6, {"en": "Hovland Partners"})], [("HP", "Q700", "short", None)])
    text = "The new engine gives 60 HP more than the old one, Hovland said. HP will build it."
    unit = text.index("HP")
    name = text.index("HP will")
    ms = [Mention(unit, unit + 2, "HP", "ORG", "kb", 0, kind="short", candidates=tuple(kb.lookup("HP", "en"))),
          Mention(name, name + 2, "HP", "ORG", "kb", 1, kind="short", candidates=tuple(kb.lookup("HP", "en")))]
    linked, _ = link(ms, kb, "en", LinkerConfig(nil_threshold=0.01), text=text)
    assert linked[0].entity_key is None
    assert linked[1].entity_key == "Q700"


def test_name_continues_marks_a_place_inside_a_longer_name_not_before_a_role():
    def flag(text, word, lang="en"):
        i = text.index(word)
        return name_continues(DocContext(_kb(), lang, text), Mention(i, i + len(word), word, "LOC", "kb", 0))
    assert flag("She joined the Korvald Valley National Academy of Arts last year.", "Korvald Valley") == 1.0
    assert flag("He grew up near Lake Ostmark's Harbour District.", "Lake Ostmark") == 1.0
    assert flag("Korvald Valley President Ana Lind spoke on Monday.", "Korvald Valley") == 0.0  # a role follows
    assert flag("They met in Korvald Valley, then flew home.", "Korvald Valley") == 0.0
    assert flag("Die Regierung in Korvald Valley Gespräche", "Korvald Valley", "de") == 0.0  # a German noun


def test_surname_sole_only_for_the_one_person_of_a_lone_surname():
    kb = _kb()
    text = "Later Okonkwo spoke."
    i = text.index("Okonkwo")
    m = Mention(i, i + 7, "Okonkwo", "PER", "ner", 0, candidates=tuple(kb.lookup("Okonkwo", "en")))
    ctx = DocContext.build([m], kb, "en", text)
    sole = FEATURE_NAMES.index("surname_sole")
    persons = [c for c in m.candidates if c.type == "PER"]
    assert len(persons) == 2 and all(features(m, c, ctx, m.candidates, 0)[sole] == 0.0 for c in persons)
    v = Mention(i, i + 12, "Vasquez-Lind", "PER", "ner", 0, candidates=tuple(kb.lookup("Vasquez-Lind", "en")))
    assert features(v, v.candidates[0], DocContext.build([v], kb, "en", text), v.candidates, 0)[sole] == 1.0
