"""A title before a name says the person's gender ("Frau Wagner" is no Richard Wagner; ``kgbuild.linking.gender``),
and the KB gives persons their gender (``kgbuild.kb.gender``); sentences written for these tests."""
from __future__ import annotations

from conftest import links_in

from kgbuild.kb.compile.model import Builder
from kgbuild.kb.compile.people import add_genders, with_gender
from kgbuild.kb.gender import FEMALE, GENDER, MALE, first_name_genders, gender_of, of_description, value_of
from kgbuild.linking.gender import by_title, titled_gender, word_gender
from kgbuild.types import Candidate, Entity, Mention

WAGNER, MERKEL = "Q1511", "Q567"


def test_the_kb_has_genders(kb):
    assert gender_of(kb.entity(MERKEL).claims) == FEMALE  # EveryPolitician
    assert gender_of(kb.entity("Q2530").claims) == MALE  # Gerhard Schröder
    assert gender_of(kb.entity(WAGNER).claims) == MALE  # inferred from the first name "Richard"
    assert gender_of(kb.entity("Q64").claims) is None  # a place
    # a gender is no link between entities: no rows of the claims table (relatedness, claimants)
    assert not kb._query("SELECT 1 FROM claims WHERE prop = 'P21' LIMIT 1")


def test_title_words():
    for word in ("Frau", "Fräulein", "Mrs.", "Gräfin", "Kanzlerin", "Ministerin", "Sängerin", "Witwe"):
        assert word_gender(word) == FEMALE, word
    for word in ("Herr", "Herrn", "Mr", "Sir", "Graf", "Fürſt"):
        assert word_gender(word) == MALE, word
    for word in ("Berlin", "Putin", "Termin", "Kanzler", "Dr.", "Medizin", "Merlin"):
        assert word_gender(word) is None, word


def test_titled_gender_reads_back_over_academic_titles_and_roles():
    text = "Gestern sprach Frau Dr. Wagner im Rat, danach Herr Bundesminister Meier, dann Wagner."
    at = text.index("Wagner")
    assert titled_gender(text, at, at + 6) == FEMALE
    at = text.index("Meier")
    assert titled_gender(text, at, at + 5) == MALE
    at = text.rindex("Wagner")
    assert titled_gender(text, at, at + 6) is None  # "dann" is no title
    assert titled_gender("Frau Wagner sprach.", 0, 11) == FEMALE  # the title inside the mention


class _KB:
    def __init__(self, genders: dict[str, str | None]):
        self.genders = genders

    def entity(self, qid: str) -> Entity | None:
        g = self.genders.get(qid)
        return Entity(qid, "PER", 0.5, {"en": qid}, claims={GENDER: (g,)} if g else {})


def test_by_title_drops_persons_of_the_other_gender_only():
    kb = _KB({"Q1": MALE, "Q2": FEMALE, "Q3": None})
    cands = tuple(Candidate(q, "Wagner", "surname", 0.5, "PER", None) for q in ("Q1", "Q2", "Q3"))
    text = "Frau Wagner und Wagner."
    first = Mention(5, 11, "Wagner", "PER", "ner", candidates=cands)
    second = Mention(16, 22, "Wagner", "PER", "ner", candidates=cands)
    out = by_title([first, second], text, kb)
    assert [c.qid for c in out[0].candidates] == ["Q2", "Q3"]
    assert out[1] is second  # no title: unchanged


def test_frau_wagner_is_not_richard_wagner(builtin_pipe):
    text = "Frau Wagner sprach gestern im Stadtrat über die neue Schule in Bayreuth."
    assert links_in(builtin_pipe, text, None)["Wagner"] != WAGNER
    assert links_in(builtin_pipe, "Der Komponist Richard Wagner lebte in Bayreuth.", None)["Richard Wagner"] == WAGNER


def test_frau_merkel_stays_angela_merkel_and_herr_merkel_does_not(builtin_pipe):
    assert links_in(builtin_pipe, "Frau Merkel sprach gestern in Berlin über die Rente.", None)["Merkel"] == MERKEL
    assert links_in(builtin_pipe, "Herr Merkel sprach gestern in Berlin über die Rente.", None)["Merkel"] != MERKEL
    assert links_in(builtin_pipe, "Kanzlerin Merkel sprach gestern in Berlin über die Rente.", None)["Merkel"] == MERKEL


def test_compiled_genders():
    assert value_of("female") == FEMALE and value_of("M") == MALE and value_of("unknown") is None
    assert value_of("Q43445") == FEMALE  # Freebase's node as the FB15k extract maps it
    claims: dict = {}
    with_gender(claims, "unknown")
    assert claims == {}
    assert of_description("American actress and singer") == FEMALE
    assert of_description("German businessman") == MALE
    assert of_description("politician from the Isle of Man") is None
    assert of_description("son of a king and a queen") is None  # both
    names = first_name_genders([("Richard", MALE)] * 3 + [("Andrea", MALE)] * 2 + [("Andrea", FEMALE)] * 2
                               + [("Karin", FEMALE)] * 2)
    assert names == {"Richard": MALE}  # "Andrea" is of both, "Karin" has too few bearers


def test_add_genders_infers_for_persons_without_one():
    b = Builder()
    for i in range(3):
        b.add(f"Q{10 + i}", "test", "PER", 0.3, names=[(f"Richard N{i}", "label", "en")], labels={"en": f"Richard N{i}"},
              claims={GENDER: [MALE]})
    b.add("Q20", "test", "PER", 0.3, names=[("Richard Wagner", "label", "en")], labels={"en": "Richard Wagner"},
          descriptions={"en": "German composer"})
    b.add("Q21", "test", "PER", 0.3, names=[("Richard Roe", "label", "en")], labels={"en": "Richard Roe"},
          descriptions={"en": "American actress"})
    b.add("Q22", "test", "PER", 0.3, names=[("Sam Doe", "label", "en")], labels={"en": "Sam Doe"})
    b.add("Q23", "test", "PER", 0.3, names=[("Jo Poe", "label", "en")], labels={"en": "Jo Poe"})
    add_genders(b, [("Q23", "Q43445"), ("Q64", "Q44148")])
    assert gender_of(b.recs["Q20"].claims) == MALE  # the first name
    assert gender_of(b.recs["Q21"].claims) == FEMALE  # the description wins over the first name
    assert gender_of(b.recs["Q22"].claims) is None
    assert gender_of(b.recs["Q23"].claims) == FEMALE  # Freebase


def test_a_short_name_of_an_earlier_full_name_keeps_the_title_gender(builtin_pipe):
    from kgbuild.read import article_from_text

    text = ("Der Komponist Richard Wagner lebte in Bayreuth. Frau Wagner leitete nach seinem Tod die Festspiele. "
            "Wagner starb 1883 in Venedig.")
    result = builtin_pipe.process(article_from_text(text, id="t", lang="de"))
    keys = [m.entity_key for m in result.mentions if "Wagner" in m.text]
    assert keys == [WAGNER, "nil:PER:wagner", WAGNER]
