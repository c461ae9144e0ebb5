"""Relatedness from the FB15k triples (issue 13, disambiguation by context): the committed extract, the pairs the
compiler makes of it, ``related`` of the bundled KB, and their use by the linker — coherence among uncertain
names and candidates for a lone name from the entities related to the document's other names. Sentences written
for these tests; the real bundled KB."""
from __future__ import annotations

import pytest

from kgbuild.kb.compile.links import LINKS, MAX_SHARED, read_links, related_pairs
from kgbuild.linking import LinkerConfig, _matching_name, _names_of, document_context, link
from kgbuild.linking.features import FEATURE_NAMES, DocContext, features
from kgbuild.linking.model import load_model
from kgbuild.linking.persons import lone_name as _lone_name
from kgbuild.types import Article, Mention

SPOUSE = "/people/person/spouse_s./people/marriage/spouse"
MEMBER = "/music/group_member/membership./music/group_membership/group"
NATIONALITY = "/people/person/nationality"


def test_pairs_direct_through_a_small_shared_node_and_not_through_noise_or_hubs():
    rows = [
        ("Q101", SPOUSE, "Q102"),  # both in the KB: a direct pair
        ("Q103", MEMBER, "Q900"), ("Q104", MEMBER, "Q900"),  # a band the KB lacks, two members
        ("Q105", NATIONALITY, "Q30"), ("Q106", NATIONALITY, "Q30"),  # a noise relation: no pair
        *[(f"Q{200 + i}", MEMBER, "Q901") for i in range(5)],  # a node shared by more than max_shared
        ("Q107", SPOUSE, "Q999"),  # the other end not in the KB and nobody else linked to it
    ]
    known = {"Q101", "Q102", "Q103", "Q104", "Q105", "Q106", "Q107", "Q30", *(f"Q{200 + i}" for i in range(5))}
    direct, shared = related_pairs(rows, known, max_shared=4)
    assert direct == {("Q101", "Q102")}
    assert shared == {("Q103", "Q104")}
    # the same pairs whatever the order of the rows, each (lower, higher) by QID number
    assert related_pairs(list(reversed(rows)), known, max_shared=4) == (direct, shared)
    assert related_pairs([("Q1000", SPOUSE, "Q999")], {"Q999", "Q1000"}) == ({("Q999", "Q1000")}, set())


def test_extract_is_committed_and_has_the_links_it_claims():
    assert LINKS.is_file() and LINKS.stat().st_size < 1_000_000  # compact: the compile reads no mirror
    rows = list(read_links())
    assert len(rows) > 60_000 and all(a.startswith("Q") and b.startswith("Q") for a, _, b in rows)
    pairs = {(a, b) for a, _, b in rows} | {(b, a) for a, _, b in rows}
    assert ("Q13909", "Q35332") in pairs  # Angelina Jolie - Brad Pitt
    assert MAX_SHARED >= 2


def test_bundled_kb_related_has_the_links_apart_from_the_claims(kb):
    jolie = kb.related("Q13909")
    assert "Q35332" in jolie  # Brad Pitt, a direct link
    assert "Q35332" not in kb.related("Q13909", links=False)  # Wikidata claims only
    assert "Q13909" in kb.related("Q35332")  # stored once, read both ways
    assert {"Q192474", "Q165467"} <= kb.related("Q48187")  # Eric Clapton: Jeff Beck, Jimmy Page
    assert "related" not in kb.entity("Q13909").claims  # a claims row, not one of the entity's claims
    # the claim-based relations are unchanged: Berlin lies in Germany
    assert "Q183" in kb.related("Q64", links=False) and "Q183" in kb.related("Q64")


@pytest.fixture(scope="module")
def pipeline(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


def _mentions(pipeline, text: str) -> list[Mention]:
    """The mentions of ``text`` as the pipeline finds them, before linking (with the KB's candidates)."""
    from kgbuild.mentions import sentences_of

    nlp, info = pipeline.nlp_for("en")
    doc = nlp(text)
    return pipeline._mentions(doc, "en", sentences_of(doc), info.has_ner)


def _by_text(mentions: list[Mention], text: str) -> Mention:
    return next(m for m in mentions if m.text == text)


def test_lone_surname_gets_the_person_related_to_another_name_of_the_document(kb, pipeline):
    text = "The guitarist Eric Clapton said on Friday that he would tour with Beck next spring."
    before = _by_text(_mentions(pipeline, text), "Beck")
    assert "Q192474" not in {c.qid for c in before.candidates}  # the spotter's candidates: Beck the musician
    mentions, ctx = document_context(_mentions(pipeline, text), kb, "en", text, load_model())
    beck = _by_text(mentions, "Beck")
    index_of_beck = mentions.index(beck)
    jeff = [c for c in beck.candidates if c.qid == "Q192474"]  # Jeff Beck, related to Eric Clapton
    assert jeff and jeff[0].kind == "surname" and jeff[0].name == "Beck"
    # and coherent with the document: more than a namesake without a link to it
    index = FEATURE_NAMES.index("coherence")
    others = [c for c in beck.candidates if c.qid != "Q192474"]
    score = {c.qid: features(beck, c, ctx, beck.candidates, index_of_beck)[index] for c in beck.candidates}
    assert score["Q192474"] > max(score[c.qid] for c in others)


def test_first_name_alone_gets_the_person_related_to_a_linked_organisation(kb, pipeline):
    text = "Pixar said on Monday that John would direct the next film of the studio."
    assert "Q269214" not in {c.qid for c in _by_text(_mentions(pipeline, text), "John").candidates}
    mentions, _ = document_context(_mentions(pipeline, text), kb, "en", text, load_model())
    john = [c for c in _by_text(mentions, "John").candidates if c.qid == "Q269214"]  # John Lasseter
    assert john and john[0].kind == "surname" and john[0].name == "John"


def test_no_candidates_from_relatedness_without_a_related_name_in_the_document(kb, pipeline):
    text = "Beck said on Friday that the harbour of Hamburg would stay closed until Monday."
    before = _mentions(pipeline, text)
    after, _ = document_context(before, kb, "en", text, load_model())
    assert [[c.qid for c in m.candidates] for m in after] == [[c.qid for c in m.candidates] for m in before]


@pytest.mark.parametrize("word, qid, owned, expected", [
    ("Beck", "Q192474", True, ("Beck", "surname")),  # Jeff Beck by his surname, even where "Beck" names another
    ("Jeff", "Q192474", False, ("Jeff", "surname")),  # by his first name
    ("Hertha", "Q102720", False, ("Hertha", "short")),  # Hertha BSC by the first word of its name
    ("Israel", "Q191406", True, None),  # "Israel" is the country's own name: not the national team's first word
    ("Israel", "Q191406", False, ("Israel", "short")),
    ("David", "Q8016", False, None),  # Winston Churchill's pen name "David Winter" is an alias: no first name
    ("Winston", "Q8016", False, ("Winston", "surname")),
])
def test_matching_name(kb, word, qid, owned, expected):
    type_, prior, names = _names_of(kb, [qid, "Q64"], DocContext.build([], kb, "en", ""))[qid]
    assert (type_, prior) == (kb.entity(qid).type, kb.entity(qid).prior)
    assert _matching_name(word, type_, names, owned) == expected


def test_names_of_reads_persons_and_organisations_only(kb):
    ctx = DocContext.build([], kb, "en", "")
    found = _names_of(kb, ["Q192474", "Q102720", "Q64"], ctx)  # Jeff Beck, Hertha BSC, Berlin (a place)
    assert set(found) == {"Q192474", "Q102720"}
    assert ("Jeff Beck", "label") in found["Q192474"][2]
    # a KB without a batched name query: the labels of the entities
    from conftest import MemoryKB

    small = MemoryKB([("Q192474", "PER", 0.4, {"en": "Jeff Beck"}), ("Q64", "LOC", 0.9, {"en": "Berlin"})], [])
    assert _names_of(small, ["Q192474", "Q64"], DocContext.build([], small, "en", "")) == {
        "Q192474": ("PER", 0.4, [("Jeff Beck", "label")])}


@pytest.mark.parametrize("name, lone", [("Beck", True), ("Hertha", True), ("NATO", False), ("Eric Clapton", False),
                                        ("EU", False), ("russische", False)])
def test_lone_name(name, lone):
    m = Mention(0, len(name), name, "PER", "ner", 0, kind="demonym" if name.islower() else None)
    assert _lone_name(m) is lone


def test_coherence_counts_related_readings_of_other_names_half(kb):
    ctx = DocContext.build([], kb, "en", "")
    ctx.set_support([("Clapton", ["Q48187"]), ("Page", ["Q165467"]), ("Beck", ["Q192474", "Q11901"])])
    jeff = kb.lookup("Jeff Beck", lang="en")[0]
    related = kb.related(jeff.qid)
    assert ctx.coherence(jeff, related, "Beck") == 0.5  # two other names with a related reading: 2 x 0.5 hits
    ctx.set_context({"Q48187"}, [])
    # Clapton now a confident link: a related one (1), one that points to it (1): full, as before relatedness
    assert ctx.coherence(jeff, related, "Beck") == 1.0
    ctx.set_context({"Q64"}, [])  # Berlin, nothing to do with him: the half hits of the other names again
    assert ctx.coherence(jeff, related, "Beck") == 0.5
    assert ctx.coherence(jeff, set(), "Beck") == 0.0


def test_pipeline_links_stay_valid_with_relatedness(pipeline):
    """A whole document through the real pipeline: the linker's output is well formed (every link one of the
    mention's candidates, confidence in range)."""
    text = ("Columbia Records said on Tuesday that it had signed a new contract with Santana. "
            "The guitarist Carlos Santana will record three albums in Los Angeles.")
    result = pipeline.process(Article(id="t", text=text, lang="en"))
    linked = [m for m in result.mentions if m.entity_key and m.entity_key.startswith("Q")]
    assert any(m.entity_key == "Q819016" for m in linked)  # Carlos Santana, by his full name
    for m in linked:
        assert 0 < m.confidence <= 1 and (m.entity_key in {c.qid for c in m.candidates} or m.type == "PER")
    assert link([], pipeline.knowledge_base, "en", LinkerConfig(), text="") == ([], [])


def test_country_fit_reads_the_wikidata_claims_not_the_relatedness_links(kb):
    """Angelina Jolie is related to France through the FB15k triples (a place she lived in), not through a
    claim: in an article about France she does not "fit the country" (the feature the weights were trained on)."""
    text = "Angelina Jolie arrived in France on Monday."
    jolie = kb.lookup("Angelina Jolie", lang="en")[0]
    m = Mention(0, 14, "Angelina Jolie", "PER", "ner", 0, candidates=(jolie,))
    ctx = DocContext.build([m], kb, "en", text)
    ctx.set_context({"Q142"}, ["Q142"])
    assert ctx.country == "Q142" and "Q142" in ctx.related(jolie.qid)
    vec = features(m, jolie, ctx, m.candidates, 0)
    assert vec[FEATURE_NAMES.index("country_fit")] == 0.0
    assert vec[FEATURE_NAMES.index("coherence")] > 0  # the link still counts as coherence
