"""Document-level names and the threshold (issue 13): sentences written for these tests, a small KB each.

- a place is no short form of an organisation named after it: "studied at Glasgow" is the city unless the
  document names "Glasgow University" (then the short form is the university's);
- a name the NER took for a person, that the KB knows only as a place, after a place preposition or "part of"
  is the place ("a village in the north of Wessex", "zu Davos"); a name the KB knows as a person's keeps the
  NER's type;
- a description word is found in a document that has it in the plural ("guitarist" in "guitarists");
- old German "zu" before a place is a place preposition ("geboren zu Aachen");
- of namesakes that differ by country, the one of the article's country leads (unless the other is far more
  popular: "Paris").
"""
from __future__ import annotations

from conftest import MemoryKB

from kgbuild.linking import LinkerConfig, link
from kgbuild.linking.features import FEATURE_NAMES, DocContext, features, singular
from kgbuild.types import Candidate, Entity, Mention


def _described(kb: MemoryKB, descriptions: dict[str, str]) -> MemoryKB:
    for qid, desc in descriptions.items():
        e = kb.entities[qid]
        kb.entities[qid] = Entity(e.qid, e.type, e.prior, e.labels, {"en": desc}, ())
    return kb


def _mention(text: str, name: str, type_: str, kb: MemoryKB, source: str = "ner", lang: str = "en",
             after: int = 0) -> Mention:
    start = text.index(name, after)
    return Mention(start, start + len(name), name, type_, source, 0, candidates=tuple(kb.lookup(name, lang=lang)))


# --- a place is no short form of the organisation named after it


def _uni_kb() -> MemoryKB:
    kb = MemoryKB([("Q4093", "LOC", 0.7, {"en": "Glasgow"}), ("Q192775", "ORG", 0.45, {"en": "University of Glasgow"})],
                  [("Glasgow", "Q4093", "label", "en"), ("University of Glasgow", "Q192775", "label", "en"),
                   ("Glasgow University", "Q192775", "alias", "en")])
    return _described(kb, {"Q192775": "public research university in Scotland", "Q4093": "city in Scotland"})


def test_a_place_after_at_in_an_academic_sentence_is_the_place_unless_the_document_names_its_university():
    kb = _uni_kb()
    text = "Her first teacher at Glasgow later became a professor of chemistry."
    out, _ = link([_mention(text, "Glasgow", "LOC", kb)], kb, "en", LinkerConfig(), text=text)
    assert out[0].entity_key == "Q4093"  # "Glasgow" is no name of the university: the city

    text = "She enrolled at Glasgow University in 1950. At Glasgow, she obtained a degree in chemistry."
    full = _mention(text, "Glasgow University", "ORG", kb)
    short = _mention(text, "Glasgow", "LOC", kb, after=full.end)
    out, _ = link([full, short], kb, "en", LinkerConfig(), text=text)
    assert [m.entity_key for m in out] == ["Q192775", "Q192775"]  # the document's university, named in full


# --- a place the NER took for a person


def _place_kb() -> MemoryKB:
    kb = MemoryKB([("Q1001", "LOC", 0.25, {"en": "Wessex", "de": "Wessex"}),
                   ("Q1002", "LOC", 0.2, {"en": "Lincoln"}), ("Q1003", "PER", 0.5, {"en": "Abel Lincoln"})],
                  [("Wessex", "Q1001", "label", None), ("Lincoln", "Q1002", "label", "en"),
                   ("Abel Lincoln", "Q1003", "label", "en"), ("Lincoln", "Q1003", "surname", None)])
    return kb


def test_a_name_the_ner_took_for_a_person_is_a_place_after_a_place_word_when_the_kb_knows_no_such_person():
    kb = _place_kb()
    text = "The old mill stood in a quiet part of Wessex for two hundred years."
    out, _ = link([_mention(text, "Wessex", "PER", kb)], kb, "en", LinkerConfig(), text=text)
    assert out[0].entity_key == "Q1001" and out[0].type == "LOC"
    text = "Der Müller war am 3. Mai zu Wessex gestorben."
    out, _ = link([_mention(text, "Wessex", "PER", kb, lang="de")], kb, "de", LinkerConfig(), text=text)
    assert out[0].entity_key == "Q1001"
    # no place word before it: the NER's person stays a person (an unlinked one)
    text = "Wessex said the old mill would stand for two hundred years."
    out, _ = link([_mention(text, "Wessex", "PER", kb)], kb, "en", LinkerConfig(), text=text)
    assert out[0].entity_key == "nil:PER:wessex"
    # a name the KB knows as a person's keeps the NER's type, even after "to"
    text = "The old miller wrote to Lincoln about the price of grain."
    m = _mention(text, "Lincoln", "PER", kb)
    m = Mention(m.start, m.end, m.text, m.type, m.source, 0, candidates=(kb.lookup("Lincoln")[1],))  # the place only
    out, _ = link([m], kb, "en", LinkerConfig(), text=text)
    assert out[0].type == "PER" and out[0].entity_key != "Q1002"


# --- description words in the plural


def test_a_description_word_is_found_in_the_plural():
    assert singular("guitarists", "en") == "guitarist" and singular("companies", "en") == "company"
    assert singular("news", "en") == "news" and singular("business", "en") == "business"
    assert singular("Politiker", "de") == "Politiker"
    kb = _described(MemoryKB([("Q2001", "PER", 0.4, {"en": "Roland Stonebridge"})],
                             [("Roland Stonebridge", "Q2001", "label", "en"), ("Stonebridge", "Q2001", "surname", None)]),
                    {"Q2001": "English rock guitarist"})
    text = "Two of the best guitarists of the decade, Stonebridge and a friend, played on Friday."
    m = _mention(text, "Stonebridge", "PER", kb)
    ctx = DocContext.build([m], kb, "en", text)
    vec = features(m, m.candidates[0], ctx, m.candidates, 0)
    assert vec[FEATURE_NAMES.index("description_overlap")] > 0
    assert isinstance(m.candidates[0], Candidate)


def test_old_german_zu_before_a_place_is_a_place_preposition():
    kb = _place_kb()
    text = "Der Kaufmann, geboren am 2. Mai 1870 zu Wessex, wird gesucht."
    m = _mention(text, "Wessex", "LOC", kb, lang="de")
    ctx = DocContext.build([m], kb, "de", text)
    assert features(m, m.candidates[0], ctx, m.candidates, 0)[FEATURE_NAMES.index("place_preposition")] == 1.0


# --- namesakes that differ by country: the article's country decides


def _country_kb() -> MemoryKB:
    rows = [("Q40", "LOC", 1.0, "Österreich", (), ("Q6256",)), ("Q183", "LOC", 1.0, "Deutschland", (), ("Q6256",)),
            ("Q1741", "LOC", 0.9, "Wien", ("Q40",), ()), ("Q13298", "LOC", 0.8, "Graz", ("Q40",), ()),
            ("Q64", "LOC", 0.95, "Berlin", ("Q183",), ()), ("Q1726", "LOC", 0.9, "München", ("Q183",), ()),
            ("Q9001", "LOC", 0.3, "Kleinfeld", ("Q183",), ()), ("Q9002", "LOC", 0.2, "Kleinfeld", ("Q40",), ()),
            ("Q90", "LOC", 0.9, "Paris", ("Q142",), ()), ("Q9003", "LOC", 0.2, "Paris", ("Q40",), ())]
    kb = MemoryKB([(q, t, p, {"de": label}) for q, t, p, label, _c, _k in rows],
                  [(label, q, "label", "de") for q, _t, _p, label, _c, _k in rows])
    for q, _t, _p, _label, country, classes in rows:
        e = kb.entities[q]
        kb.entities[q] = Entity(e.qid, e.type, e.prior, e.labels, {}, classes, {"P17": country} if country else {})
    return kb


def _linked_in(kb: MemoryKB, text: str, names: list[str], only_top: str | None = None) -> dict[str, str | None]:
    mentions = []
    for name in names:
        m = _mention(text, name, "LOC", kb, source="kb+ner", lang="de")
        if name == only_top:  # the spotter kept the most popular namesake only
            m = Mention(m.start, m.end, m.text, m.type, m.source, 0, candidates=m.candidates[:1])
        mentions.append(m)
    out, _ = link(mentions, kb, "de", LinkerConfig(), text=text)
    return {m.text: m.entity_key for m in out}


def test_the_articles_country_decides_between_namesakes_of_one_name():
    kb = _country_kb()
    austrian = "Der Landtag in Wien und Graz beriet gestern. In Kleinfeld wurde eine neue Brücke eröffnet."
    got = _linked_in(kb, austrian, ["Wien", "Graz", "Kleinfeld"])
    assert got["Kleinfeld"] == "Q9002"  # the Austrian village, though the German one is more popular
    # the Austrian namesake the spotter left out comes back as a candidate
    assert _linked_in(kb, austrian, ["Wien", "Graz", "Kleinfeld"], only_top="Kleinfeld")["Kleinfeld"] == "Q9002"
    german = "Der Landtag in Berlin und München beriet gestern. In Kleinfeld wurde eine neue Brücke eröffnet."
    assert _linked_in(kb, german, ["Berlin", "München", "Kleinfeld"])["Kleinfeld"] == "Q9001"
    # a far more popular place keeps its name: "Paris" in an Austrian article is still the French capital
    text = "Der Landtag in Wien und Graz beriet gestern. Der Minister reiste danach nach Paris."
    assert _linked_in(kb, text, ["Wien", "Graz", "Paris"])["Paris"] == "Q90"
