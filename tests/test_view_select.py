"""kgbuild.view.select: type, date and entity filters, and the node limit on a generated large graph."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from kgbuild.errors import GraphError, InputError
from kgbuild.view import ViewFilter, build_view
from kgbuild.view.select import DEFAULT_LIMIT, parse_date, select

DATA = Path(__file__).parent / "data" / "view"
PUTIN = DATA / "putin-nordkorea.de.ttl"
WD = "http://www.wikidata.org/entity/"


def _large_module():
    spec = importlib.util.spec_from_file_location("view_large_graph", DATA / "large.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def full():
    return build_view([PUTIN])


def _qids(data):
    return {e.qid or e.label for e in data.entities}


def test_view_select_without_filter_keeps_everything(full):
    same = select(full, ViewFilter())
    assert same.entities == full.entities and same.events == full.events and not same.warnings


@pytest.mark.parametrize("types,events,entities", [
    (("visits",), {"Visit"}, {"Q7747", "Q423"}),
    (("Visit",), {"Visit"}, {"Q7747", "Q423"}),
    (("signsTreatyWith",), {"TreatySigning"}, {"Q7747", "Q423", "Q18808"}),
    (("meets", "holdsPositionIn"), {"Meeting", "PositionHolding"}, {"Q7747", "Q56226", "Juri Uschakow"}),
])
def test_view_select_by_type(full, types, events, entities):
    out = select(full, ViewFilter(types=types))
    assert {e.event_type for e in out.events} == events
    assert _qids(out) == entities
    assert all(r.predicate.casefold() in {t.casefold() for t in types} or r.events for r in out.relations)


def test_view_select_unknown_type_names_the_known_ones(full):
    with pytest.raises(GraphError, match="Types in the graph: .*visits"):
        select(full, ViewFilter(types=("flies",)))


@pytest.mark.parametrize("depth,expected", [
    (0, {"Q7747"}),
    (1, {"Q7747", "Q423", "Q56226", "Q18808", "Juri Uschakow"}),
])
def test_view_select_entity_neighbourhood(full, depth, expected):
    out = select(full, ViewFilter(entity="Q7747", depth=depth))
    assert _qids(out) == expected
    kept = {e.id for e in out.entities}
    assert all({r.entity for r in ev.roles} <= kept for ev in out.events)
    assert "Q649" not in _qids(out)  # Moskau takes part in nothing


@pytest.mark.parametrize("name", ["Q423", "wd:Q423", WD + "Q423", "nordkorea", "North Korea"])
def test_view_select_entity_by_qid_iri_or_label(full, name):
    out = select(full, ViewFilter(entity=name, depth=1))
    assert "Q423" in _qids(out) and "Q7747" in _qids(out) and "Q56226" not in _qids(out)


def test_view_select_unknown_entity(full):
    with pytest.raises(GraphError, match="'Q1' is not in the graph"):
        select(full, ViewFilter(entity="Q1"))


def test_view_select_by_date(tmp_path, full):
    assert len(select(full, ViewFilter(date_from="2024-06-18", date_to="2024-06-18")).events) == len(full.events)
    with pytest.raises(GraphError, match="dated 2024-06-18 to 2024-06-18"):
        select(full, ViewFilter(date_from="2024-06-19"))
    large = _large_module()
    path = tmp_path / "large.nt"
    large.write_large_graph(path, n_entities=200, n_events=300)
    data = build_view([path])
    march = select(data, ViewFilter(date_from="2024-03-01", date_to="2024-03-31"))
    assert march.events and all("2024-03-01" <= ev.date <= "2024-03-31" for ev in march.events)
    assert len(march.events) == sum(1 for ev in data.events if ev.date.startswith("2024-03"))


@pytest.mark.parametrize("value,expected", [("2024-06-18", "2024-06-18"), ("2024-06", "2024-06-01"), ("2024", "2024-01-01")])
def test_view_select_parse_date(value, expected):
    assert parse_date(value, "--from") == expected


@pytest.mark.parametrize("value", ["18.06.2024", "2024-13-01", "yesterday"])
def test_view_select_parse_date_rejects(value):
    with pytest.raises(InputError, match="--from .* is not a date"):
        parse_date(value, "--from")


def test_view_select_limit_on_large_graph_keeps_hub_and_whole_events(tmp_path):
    large = _large_module()
    path = tmp_path / "large.nt"
    all_ids = large.write_large_graph(path, n_entities=3000, n_events=2000)
    data = build_view([path])  # default limit
    assert data.total_nodes == 5000
    assert data.node_count <= DEFAULT_LIMIT < 5000
    assert data.warnings and "5000 nodes" in data.warnings[0] and "--limit" in data.warnings[0]
    kept = {e.id for e in data.entities}
    assert kept <= all_ids
    assert WD + "Q100000" in kept  # the hub is the best connected entity
    assert data.events and all({r.entity for r in ev.roles} <= kept for ev in data.events)
    assert all(r.subject in kept and r.object in kept for r in data.relations)
    small = build_view([path], ViewFilter(limit=100))
    assert small.node_count <= 100 and small.total_nodes == 5000
    whole = build_view([path], ViewFilter(limit=10_000))
    assert whole.node_count == 5000 and not whole.warnings


def test_view_select_limit_one_keeps_the_best_connected_entity(full):
    out = select(full, ViewFilter(limit=1))
    assert [e.qid for e in out.entities] == ["Q7747"] and out.node_count == 1 and out.warnings


def test_view_select_month_and_year_dates_overlap_the_range():
    from kgbuild.view.select import _in_range

    assert _in_range("2023-03", "2023-03-15", "2023-04-30")  # the month overlaps
    assert _in_range("2023", "2023-06-01", None)
    assert not _in_range("2023-03", "2023-04-01", None)
    assert not _in_range("2023-03", None, "2023-02-28")
    assert _in_range("2023-03-05", "2023-03-05", "2023-03-05") and not _in_range(None, "2023-01-01", None)
