"""kgbuild.view.load and extract: graph files in every RDF format -> the entities, events and relations of the view."""
from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
import rdflib

from kgbuild.errors import GraphError, InputNotFoundError
from kgbuild.view import build_view
from kgbuild.view.load import load_graphs

DATA = Path(__file__).parent / "data" / "view"
PUTIN = DATA / "putin-nordkorea.de.ttl"
SCHOLZ = DATA / "scholz-macron.en.trig"
WD = "http://www.wikidata.org/entity/"
USCHAKOW = "https://w3id.org/kgbuild/resource/entity/per/juri-uschakow"


@pytest.fixture(scope="module")
def putin():
    return build_view([PUTIN])


def _by_id(items):
    return {x.id: x for x in items}


@pytest.mark.parametrize("fmt,suffix", [("nt", ".nt"), ("json-ld", ".jsonld"), ("xml", ".rdf"), ("turtle", ".ttl.gz")])
def test_view_load_reads_every_format_to_the_same_view(tmp_path, putin, fmt, suffix):
    graph = rdflib.Graph().parse(PUTIN)
    path = tmp_path / f"graph{suffix}"
    text = graph.serialize(format=fmt)
    if suffix.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    other = build_view([path])
    assert _by_id(other.entities).keys() == _by_id(putin.entities).keys()
    assert [e.id for e in other.events] == [e.id for e in putin.events]
    assert other.relations == putin.relations


def test_view_load_trig_named_graph_and_several_files_merge():
    both = build_view([PUTIN, SCHOLZ])
    assert len(both.documents) == 2
    ids = {e.id for e in both.entities}
    assert {WD + "Q7747", WD + "Q423", WD + "Q61053", WD + "Q3052772"} <= ids
    assert {ev.event_type for ev in both.events} >= {"Visit", "TreatySigning", "Meeting", "AgreementSigning"}


def test_view_load_same_entity_in_two_files_is_one_node(tmp_path):
    copy = tmp_path / "copy.ttl"
    copy.write_text(PUTIN.read_text(encoding="utf-8").replace("doc/putin-nordkorea", "doc/putin-copy"), encoding="utf-8")
    data = build_view([PUTIN, copy])
    putins = [e for e in data.entities if e.qid == "Q7747"]
    assert len(putins) == 1
    assert len(putins[0].mentions) == 2 * len(_by_id(build_view([PUTIN]).entities)[WD + "Q7747"].mentions)
    assert len(data.events) == 10 and len(data.documents) == 2


@pytest.mark.parametrize("name,words", [
    ("broken.ttl", ["Cannot parse", "broken.ttl", "Turtle"]),
    ("not-kgbuild.ttl", ["not a kgbuild graph", "kgbuild build"]),
    ("no-entities.ttl", ["no entities", "nothing to draw"]),
])
def test_view_load_bad_graphs_raise_graph_error(name, words):
    with pytest.raises(GraphError) as info:
        build_view([DATA / name])
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_view_load_missing_and_empty_files(tmp_path):
    with pytest.raises(InputNotFoundError, match="not found"):
        load_graphs([tmp_path / "nope.ttl"])
    empty = tmp_path / "empty.ttl"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(GraphError, match="empty"):
        load_graphs([empty])
    with pytest.raises(GraphError, match="No graph files"):
        load_graphs([])
    bad_gz = tmp_path / "x.ttl.gz"
    shutil.copy(PUTIN, bad_gz)
    with pytest.raises(GraphError, match="decompress"):
        load_graphs([bad_gz])


def test_view_extract_entities_labels_types_and_links(putin):
    ents = _by_id(putin.entities)
    assert putin.lang == "de"
    p = ents[WD + "Q7747"]
    assert (p.type, p.label, p.linked, p.qid) == ("PER", "Wladimir Putin", True, "Q7747")
    assert p.url == "https://www.wikidata.org/wiki/Q7747"
    assert ents[WD + "Q423"].type == "LOC" and ents[WD + "Q423"].label == "Nordkorea"
    u = ents[USCHAKOW]
    assert (u.linked, u.qid, u.url, u.type) == (False, None, None, "PER")
    assert _by_id(build_view([PUTIN], lang="en").entities)[WD + "Q423"].label == "North Korea"


def test_view_extract_mentions_point_into_their_sentences(putin):
    checked = 0
    for ent in putin.entities:
        for m in ent.mentions:
            s = putin.sentences[m.sentence]
            assert s.begin <= m.begin < m.end <= s.end
            assert s.text[m.begin - s.begin:m.end - s.begin] == m.text
            checked += 1
    assert checked >= 10


def test_view_extract_events_roles_status_place_and_evidence(putin):
    evs = {e.event_type: e for e in putin.events}
    visit = evs["Visit"]
    assert {(r.role, r.entity) for r in visit.roles} == {("visitor", WD + "Q7747"), ("host", WD + "Q423")}
    assert (visit.status, visit.time, visit.confidence, visit.relation) == ("happened", "2024-06-18", 0.82, "visits")
    s = putin.sentences[visit.sentence]
    assert s.text[visit.trigger_begin - s.begin:visit.trigger_end - s.begin] == visit.trigger == "Reise"
    treaty = evs["TreatySigning"]
    assert treaty.status == "planned" and treaty.place == WD + "Q18808" and treaty.time is None
    assert treaty.date == "2024-06-18"  # falls back to the publication date
    assert ("place", WD + "Q18808") in {(r.role, r.entity) for r in treaty.roles}
    assert evs["PositionHolding"].role_text == "Berater"
    quote = evs["Quotation"]
    assert quote.quote and quote.object.endswith("doc/putin-nordkorea")  # speaker -> document, not an entity
    assert [r.entity for r in quote.roles] == [USCHAKOW]


def test_view_extract_truthy_relations_with_confidence_and_events(putin):
    rels = {(r.subject, r.predicate, r.object): r for r in putin.relations}
    visit = rels[(WD + "Q7747", "visits", WD + "Q423")]
    assert visit.confidence == 0.82 and len(visit.events) == 1 and "/event/Visit-" in visit.events[0]
    assert (USCHAKOW, "holdsPositionIn", WD + "Q7747") in rels
    assert not any(r.predicate == "says" for r in putin.relations)  # the object is the document


def test_view_load_folder_of_graphs(tmp_path):
    folder = tmp_path / "graphs"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(PUTIN, folder / "a.ttl")
    shutil.copy(SCHOLZ, folder / "sub" / "b.trig")
    (folder / "notes.txt").write_text("not a graph", encoding="utf-8")
    (folder / "state.json").write_text('{"version": 1}', encoding="utf-8")  # not JSON-LD: skipped in folders
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "broken.ttl").write_text("not turtle", encoding="utf-8")
    data = build_view([folder])
    assert len(data.documents) == 2
    (tmp_path / "empty").mkdir()
    with pytest.raises(GraphError, match="holds no graph files"):
        load_graphs([tmp_path / "empty"])
