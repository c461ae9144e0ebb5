"""Precision of English linking (issue 13): three classes of wrong links, each with sentences written for these
tests and a small KB.

- a capitalised name singularised into another entity: "Cars" as the acronym CAR, "Vegas" as Vega;
- a first name alone read as a famous bearer or a place without the document's support: "Kim", "Victoria";
- what the sentence calls a name decides between an organisation, a place and a work: "Orange is a
  telecommunications company", "Cairo was the code name for a project"; a place after "at" in a sentence about
  studies is its university ("a lecturer at Cambridge").
"""
from __future__ import annotations

import pytest
from conftest import MemoryKB

from kgbuild.linking import LinkerConfig, inflection_misfit, link
from kgbuild.linking.features import FEATURE_NAMES, DocContext, features, predicate_kind
from kgbuild.pipeline import Pipeline
from kgbuild.read import article_from_text
from kgbuild.types import Candidate, Entity, Mention


def _kb() -> MemoryKB:
    entities = [
        ("Q929", "LOC", 0.85, {"en": "Central African Republic"}), ("Q488375", "LOC", 0.3, {"en": "Vega"}),
        ("Q56226", "PER", 0.8, {"en": "Kim Jong-un"}), ("Q423", "LOC", 0.9, {"en": "North Korea"}),
        ("Q3940", "LOC", 0.65, {"en": "Victoria"}), ("Q90", "LOC", 0.9, {"en": "Paris"}),
        ("Q580973", "LOC", 0.55, {"en": "Orange"}), ("Q1431486", "ORG", 0.35, {"en": "Orange S.A."}),
        ("Q85", "LOC", 0.8, {"en": "Cairo"}), ("Q2283", "ORG", 0.8, {"en": "Microsoft"}),
        ("Q142", "LOC", 1.0, {"en": "France"}),
    ]
    names = [
        ("CAR", "Q929", "alias", "en"), ("Central African Republic", "Q929", "label", "en"),
        ("Vega", "Q488375", "label", "en"),
        ("Kim Jong-un", "Q56226", "label", "en"), ("Kim", "Q56226", "surname", None),
        ("North Korea", "Q423", "label", "en"), ("Victoria", "Q3940", "label", "en"), ("Paris", "Q90", "label", "en"),
        ("Orange", "Q580973", "label", "en"), ("Orange", "Q1431486", "alias", "en"),
        ("Cairo", "Q85", "label", "en"), ("Microsoft", "Q2283", "label", "en"), ("France", "Q142", "label", "en"),
    ]
    kb = MemoryKB(entities, names, given={"Kim", "Victoria", "Paris", "David"},
                  claims={"Q56226": {"Q423"}, "Q580973": {"Q142"}})
    descriptions = {"Q580973": {"en": "commune in Vaucluse, France"},
                    "Q1431486": {"en": "French telecommunications company"},
                    "Q85": {"en": "capital city of Egypt"}, "Q3940": {"en": "capital city of British Columbia"},
                    "Q2283": {"en": "American technology company"}}
    for qid, desc in descriptions.items():
        e = kb.entities[qid]
        kb.entities[qid] = Entity(e.qid, e.type, e.prior, e.labels, desc, ())
    return kb


@pytest.fixture(scope="module")
def pipe():
    return Pipeline(kb=_kb(), model="builtin")


def _links(p, text):
    result = p.process(article_from_text(text, id="t", lang="en"))
    return {m.text: m.entity_key for m in result.mentions}


# --- a capitalised name is not singularised into another entity

def test_a_word_is_no_inflection_of_an_acronym_nor_an_english_plural_of_a_name():
    def cand(name, kind="label", type_="LOC"):
        return Candidate("Q1", name, kind, 0.5, type_, "en")

    assert inflection_misfit("Cars", cand("CAR", "alias"), "en")  # the letters matched are not capitals
    assert inflection_misfit("Mars", cand("MAR", "alias"), "de")  # in every language
    assert not inflection_misfit("BNDs", cand("BND", "alias"), "de")  # an acronym's genitive
    assert inflection_misfit("NGOs", cand("NGO", "alias"), "en")  # an English plural: many, not the one
    assert not inflection_misfit("Nato", cand("NATO", "short", "ORG"), "de")  # the same name, another case
    assert inflection_misfit("Vegas", cand("Vega"), "en")  # an English plural
    assert not inflection_misfit("Vega's", cand("Vega"), "en")  # a possessive
    assert not inflection_misfit("Moskaus", cand("Moskau"), "de")  # a German genitive
    assert not inflection_misfit("Americans", cand("American", "demonym"), "en")  # nationalities
    assert not inflection_misfit("Paris", cand("Paris"), "en")
    assert inflection_misfit("B.A.", cand("Ba"), "en")  # an abbreviation is no word
    assert not inflection_misfit("U.S.", cand("US", "short"), "en")


def test_plural_and_acronym_look_alikes_are_not_linked():
    kb = _kb()
    text = "The studio released Cars in cinemas, and the cast flew to Vegas for the premiere."
    cars = Mention(20, 24, "Cars", "LOC", "kb", 0, candidates=tuple(
        c for c in [Candidate("Q929", "CAR", "alias", 0.85, "LOC", "en")]))
    vegas = Mention(58, 63, "Vegas", "LOC", "ner", 0,
                    candidates=(Candidate("Q488375", "Vega", "label", 0.3, "LOC", "en"),))
    assert text[20:24] == "Cars" and text[58:63] == "Vegas"
    out, _ = link([cars, vegas], kb, "en", LinkerConfig(), text=text)
    assert [m.entity_key for m in out] == ["nil:LOC:cars", "nil:LOC:vegas"]
    # the same name written whole still links
    text = "The delegation flew from Vega to the capital."
    vega = Mention(25, 29, "Vega", "LOC", "ner", 0,
                   candidates=(Candidate("Q488375", "Vega", "label", 0.3, "LOC", "en"),))
    out, _ = link([vega], kb, "en", LinkerConfig(), text=text)
    assert out[0].entity_key == "Q488375"


# --- a first name alone needs the document's support

def _ner(text: str, kb, spans: list[tuple[str, str]]) -> list[Mention]:
    """Mentions as the NER finds them (name, type), each with the KB's candidates of its name."""
    out, pos = [], 0
    for name, type_ in spans:
        start = text.index(name, pos)
        pos = start + len(name)
        out.append(Mention(start, pos, name, type_, "ner", 0, candidates=tuple(kb.lookup(name, lang="en"))))
    return out


def _keys(text: str, spans: list[tuple[str, str]]) -> list[str | None]:
    kb = _kb()
    out, _ = link(_ner(text, kb, spans), kb, "en", LinkerConfig(), text=text)
    return [m.entity_key for m in out]


def test_lone_first_name_is_no_famous_bearer_without_support():
    text = "Kim and her sister went shopping together on Saturday."
    assert _keys(text, [("Kim", "PER")]) == ["nil:PER:kim"]
    # a famous surname alone that is a first name too still links ("Dylan" of Bob Dylan): not the label's first word
    kb = _kb()
    kb.entities["Q392"] = Entity("Q392", "PER", 0.8, {"en": "Bob Dylan"})
    kb.names["dylan"] = [Candidate("Q392", "Dylan", "surname", 0.8, "PER", None)]
    kb.given.add("dylan")
    dylan = "Dylan played the harmonica at the festival."
    out, _ = link(_ner(dylan, kb, [("Dylan", "PER")]), kb, "en", LinkerConfig(), text=dylan)
    assert out[0].entity_key == "Q392"
    # what decides it is the first name: a KB that does not know "Kim" as one links the famous surname
    kb = _kb()
    kb.given = set()
    out, _ = link(_ner(text, kb, [("Kim", "PER")]), kb, "en", LinkerConfig(), text=text)
    assert out[0].entity_key == "Q56226"


def test_lone_first_name_links_with_the_full_name_or_a_related_entity():
    text = "Kim Jong-un inspected a factory. Later Kim spoke to the workers."
    assert _keys(text, [("Kim Jong-un", "PER"), ("Kim", "PER")]) == ["Q56226", "Q56226"]
    text = "North Korea fired two missiles on Monday. Kim watched the launch."
    assert _keys(text, [("North Korea", "LOC"), ("Kim", "PER")]) == ["Q423", "Q56226"]


def test_lone_first_name_in_a_sentence_about_persons_is_no_place_without_support(pipe):
    assert _links(pipe, "Victoria and her husband David bought a house last year.")["Victoria"] == "nil:LOC:victoria"
    # a place preposition supports the place
    assert _links(pipe, "The ferry to Victoria was cancelled because of the storm.")["Victoria"] == "Q3940"


def test_first_name_listed_with_a_person_is_no_place_without_support():
    # "Paris" listed with the first name "Kim" (a person, says the NER): not the city, though the city is its own
    # article country; two places listed together stay places
    text = "Paris and Kim went shopping together."
    assert _keys(text, [("Paris", "LOC"), ("Kim", "PER")]) == ["nil:LOC:paris", "nil:PER:kim"]
    text = "Paris and Victoria signed the treaty in France."
    assert _keys(text, [("Paris", "LOC"), ("Victoria", "LOC"), ("France", "LOC")])[0] == "Q90"


def test_given_name_feature_fires_only_without_support():
    kb = _kb()
    i = FEATURE_NAMES.index("given_name_unsupported")
    kim = Candidate("Q56226", "Kim", "surname", 0.8, "PER", None)
    for text, expected in (("Kim went shopping.", 1.0), ("North Korea said Kim went shopping.", 0.0)):
        start = text.index("Kim")
        m = Mention(start, start + 3, "Kim", "PER", "ner", 0, candidates=(kim,))
        ctx = DocContext.build([m], kb, "en", text)
        ctx.set_context({"Q423"} if "North Korea" in text else set(), [])
        assert features(m, kim, ctx, m.candidates)[i] == expected, text


# --- what the sentence calls a name

@pytest.mark.parametrize("text, kind", [
    ("Orange is a telecommunications company.", "company"),
    ("Orange, the operator, grew.", None),  # a noun of no kind listed
    ("Cairo was the code name for a project at Microsoft.", "work"),
    ("Ajax, the Dutch club, won again.", "club"),
    ("Orange is a small town in France.", "place"),
    ("Orange is popular.", None),
    ("Porsche ist ein Autohersteller aus Stuttgart.", "company"),
])
def test_predicate_kind(text, kind):
    end = min(text.index(" "), text.index(",") if "," in text else len(text))
    assert predicate_kind(text, end, "de" if " ist " in text else "en") == kind


def test_what_the_sentence_calls_a_name_chooses_its_entity(pipe):
    assert _links(pipe, "Orange is a telecommunications company with many customers.")["Orange"] == "Q1431486"
    assert _links(pipe, "Orange is a small town in the south of France.")["Orange"] == "Q580973"
    # called something no candidate is: none of them
    assert _links(pipe, "Cairo was the code name for a project at Microsoft.")["Cairo"] == "nil:LOC:cairo"


# --- a place after "at" in a sentence about studies is its university

def test_place_after_at_in_an_academic_sentence_is_its_university():
    kb = MemoryKB([("Q350", "LOC", 0.56, {"en": "Cambridge"}), ("Q35794", "ORG", 0.45, {"en": "University of Cambridge"}),
                   ("Q42448", "LOC", 0.62, {"en": "Sheffield"}),
                   ("Q823917", "ORG", 0.4, {"en": "University of Sheffield"})],
                  [("Cambridge", "Q350", "label", "en"), ("University of Cambridge", "Q35794", "label", "en"),
                   ("Cambridge", "Q35794", "alias", "en"), ("Sheffield", "Q42448", "label", "en"),
                   ("University of Sheffield", "Q823917", "label", "en")])
    for qid in ("Q35794", "Q823917"):
        e = kb.entities[qid]
        kb.entities[qid] = Entity(e.qid, e.type, e.prior, e.labels, {"en": "public research university"}, ())

    def linked(text, name):
        start = text.index(name)
        m = Mention(start, start + len(name), name, "LOC", "ner", 0, candidates=tuple(kb.lookup(name, lang="en")))
        out, _ = link([m], kb, "en", LinkerConfig(), text=text)
        return out[0].entity_key

    assert linked("She was a lecturer in physics at Cambridge for ten years.", "Cambridge") == "Q35794"
    # the university the KB names "University of X" though the name alone is only the city's, when the document
    # names it in full (without: the city, tests/test_linking_document_names.py)
    text = "He went to the University of Sheffield in 1958. At Sheffield, he obtained a degree in chemistry."
    full = Mention(15, 38, "University of Sheffield", "ORG", "ner", 0,
                   candidates=tuple(kb.lookup("University of Sheffield", lang="en")))
    start = text.index("Sheffield,")
    short = Mention(start, start + 9, "Sheffield", "LOC", "ner", 0, candidates=tuple(kb.lookup("Sheffield", lang="en")))
    assert text[full.start:full.end] == full.text
    assert link([full, short], kb, "en", LinkerConfig(), text=text)[0][1].entity_key == "Q823917"
    # no academic word: the place
    assert linked("The ferry docked at Cambridge on Monday.", "Cambridge") == "Q350"
    assert linked("He earned a degree and moved to Sheffield.", "Sheffield") == "Q42448"  # not "at"


def test_link_takes_a_text_longer_than_a_file_name():
    # the argument is a text, not a path, even when the OS refuses it as a file name (more than 255 bytes)
    from typer.testing import CliRunner

    from kgbuild.cli import app

    text = "Wladimir Putin reiste nach Nordkorea. " * 10
    out = CliRunner().invoke(app, ["link", "--lang", "de", "--model", "builtin", text.strip()])
    assert out.exit_code == 0, out.output
    assert "Q7747" in out.output
