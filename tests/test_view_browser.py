"""The view in a real headless Chromium (Debian's ``chromium``), driven over the DevTools protocol.

Checks that the page draws the expected nodes and edges, that a real mouse click on a node or an edge shows
its facts and its source sentence with the mention highlighted, that the filters work, that the page asks
for nothing over the network, and that a large graph is cut to the limit with a visible warning.
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from kgbuild.view import build_view, render_html, write_view
from kgbuild.view.browser import Chromium, find_chromium
from kgbuild.view.html import write_html
from kgbuild.view.shot import READY, element_point

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed (Debian: apt-get install chromium)"),
]

DATA = Path(__file__).parent / "data" / "view"
WD = "http://www.wikidata.org/entity/"
VISIT = "https://w3id.org/kgbuild/resource/doc/putin-nordkorea/event/Visit-274-279"


@pytest.fixture(scope="module")
def browser():
    with Chromium(width=1400, height=860) as chromium:
        yield chromium


def show(browser: Chromium, html: Path) -> None:
    browser.requests.clear()
    browser.open(html.resolve().as_uri(), READY)


@pytest.fixture(scope="module")
def putin_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("view") / "putin.html"
    write_view([DATA / "putin-nordkorea.de.ttl"], out)
    return out


def page_point(browser: Chromium, element_id: str) -> tuple[float, float]:
    """Page coordinates where a click hits this node or edge (checked with cytoscape's own hit test)."""
    point = element_point(browser, element_id)
    assert point, f"no visible point of {element_id} to click on"
    return point


def details(browser: Chromium) -> dict:
    return browser.evaluate("""(() => {
        const box = document.querySelector('#details > div');
        const q = (sel) => Array.from(document.querySelectorAll('#details ' + sel));
        return box && {kind: box.dataset.kind, id: box.dataset.id, title: q('h2')[0].textContent,
            sources: q('blockquote.source').map(b => b.textContent), triggers: q('mark.trigger').map(m => m.textContent),
            mentions: q('mark.mention').map(m => m.textContent), links: q('a[href]').map(a => a.href),
            bold: q('b').length};
    })()""")


def test_view_browser_draws_entities_events_and_edges(browser, putin_page):
    show(browser, putin_page)
    assert browser.evaluate("document.body.dataset.error || ''") == ""
    nodes = browser.evaluate("kgView.cy.nodes().map(n => [n.id(), n.data('label'), n.visible()])")
    labels = {label for _, label, visible in nodes if visible}
    assert len(labels) == len(nodes) == 13
    assert {"Wladimir Putin", "Nordkorea", "Kim Jong-un", "Pjöngjang"} <= labels
    assert "Juri Uschakow ?" in labels  # unlinked entities are marked
    # event types, roles and relations are labelled in the article's language (from the ontology)
    assert {"Besuch\n2024-06-18", "Vertragsunterzeichnung", "Treffen"} <= labels
    edges = browser.evaluate("kgView.cy.edges().map(e => [e.source().id(), e.data('label'), e.target().id()])")
    assert [VISIT, "Besucher", WD + "Q7747"] in edges and [VISIT, "Gastgeber", WD + "Q423"] in edges
    assert [WD + "Q7747", "besucht", WD + "Q423"] in edges
    assert [WD + "Q423", "unterzeichnet Vertrag mit", WD + "Q7747"] in edges  # symmetric: one edge
    assert len(edges) == 14
    assert browser.evaluate("document.querySelectorAll('#events tbody tr').length") == 5
    assert browser.evaluate("kgView.cy.getElementById('" + WD + "Q7747').hasClass('unlinked')") is False
    assert browser.evaluate("kgView.cy.nodes('.unlinked').length") == 2


def test_view_browser_click_event_node_shows_source_sentence(browser, putin_page):
    show(browser, putin_page)
    browser.click(*page_point(browser, VISIT))
    d = details(browser)
    assert d["kind"] == "event" and d["id"] == VISIT
    assert d["sources"] == ["Putin beginnt heute seine zweitägige Reise nach Nordkorea."]
    assert d["triggers"] == ["Reise"] and d["mentions"] == ["Putin", "Nordkorea"]
    assert browser.evaluate("kgView.cy.getElementById('" + VISIT + "').selected()")
    assert browser.evaluate("document.querySelector('#events tr.selected').dataset.id") == VISIT


def test_view_browser_click_entity_node_shows_mentions_and_wikidata_link(browser, putin_page):
    show(browser, putin_page)
    browser.click(*page_point(browser, WD + "Q7747"))
    d = details(browser)
    assert d["kind"] == "entity" and d["title"].startswith("Wladimir Putin")
    assert "https://www.wikidata.org/wiki/Q7747" in d["links"]
    assert d["mentions"][0] == "Wladimir Putin" and "Putins" in d["mentions"]
    facts = browser.evaluate("Object.fromEntries(Array.from(document.querySelectorAll('#details dt')).map(dt => [dt.textContent, dt.nextElementSibling.textContent]))")
    assert facts["confidence"] == "0.90–0.93" and facts["found by"] == "kb" and facts["mentions"] == "4"
    assert any(s.startswith("Der russische Staatspräsident Wladimir Putin") for s in d["sources"])


def test_view_browser_click_relation_edge_shows_its_evidence(browser, putin_page):
    show(browser, putin_page)
    rel = f"{WD}Q56226 meets {WD}Q7747"
    assert browser.evaluate(f"kgView.cy.getElementById('{rel}').style('target-arrow-shape')") == "none"
    browser.click(*page_point(browser, rel))
    d = details(browser)
    assert d["kind"] == "relation" and d["title"] == "trifft"
    assert len(d["sources"]) == 1 and "persönliches Treffen" in d["sources"][0]
    assert d["triggers"] == ["Treffen"] and "Kim Jong-un" in d["mentions"]


def test_view_browser_filters_table_and_graph(browser, putin_page):
    show(browser, putin_page)
    def set_filter(field, value):
        browser.evaluate(f"""(() => {{ const f = document.getElementById({json.dumps(field)});
            f.value = {json.dumps(value)}; f.dispatchEvent(new Event('change')); }})()""")
        return browser.evaluate("Array.from(document.querySelectorAll('#events tbody tr')).map(r => r.dataset.id)")
    rows = set_filter("f-entity", "Kim Jong-un")
    assert len(rows) == 1 and "/event/Meeting-" in rows[0]
    shown = "kgView.cy.getElementById('{}').style('display') !== 'none'"
    assert browser.evaluate(shown.format(VISIT)) is False
    assert browser.evaluate(shown.format(WD + "Q56226")) is True
    assert browser.evaluate(shown.format(WD + "Q649")) is False
    rows = set_filter("f-entity", "korea")  # part of a name: Nordkorea's visit and treaty signing
    assert len(rows) == 2 and VISIT in rows
    set_filter("f-entity", "")
    assert set_filter("f-type", "visits") == [VISIT]
    set_filter("f-type", "")
    assert set_filter("f-from", "2024-06-19") == []
    browser.evaluate("(() => { const c = document.getElementById('f-rel'); c.checked = false; c.dispatchEvent(new Event('change')); })()")
    assert browser.evaluate("kgView.cy.edges('.relation').filter(e => e.style('display') !== 'none').length") == 0
    assert browser.evaluate("kgView.cy.edges('.role').filter(e => e.style('display') !== 'none').length") == 10
    browser.evaluate("document.getElementById('f-reset').click()")
    assert browser.evaluate("kgView.cy.edges('.relation').filter(e => e.style('display') !== 'none').length") == 4
    assert browser.evaluate("document.querySelectorAll('#events tbody tr').length") == 5
    browser.evaluate("document.querySelector('#events tbody tr[data-id*=TreatySigning]').click()")
    d = details(browser)
    assert d["kind"] == "event" and d["triggers"] == ["unterzeichnen"]


def test_view_browser_page_uses_no_network(browser, putin_page):
    show(browser, putin_page)
    browser.click(*page_point(browser, WD + "Q423"))
    assert browser.requests and all(re.match(r"(file|data):", url) for url in browser.requests), browser.requests


def test_view_browser_shows_markup_in_the_data_as_text(browser, tmp_path):
    out = tmp_path / "scholz.html"
    write_view([DATA / "scholz-macron.en.trig"], out)
    show(browser, out)
    assert browser.evaluate("document.body.dataset.error || ''") == ""
    browser.evaluate("kgView.select('https://w3id.org/kgbuild/resource/entity/per/anna-berg')")
    d = details(browser)
    assert d["bold"] == 0 and any('"</script><b>Good talks</b> & <!-- progress"' in s for s in d["sources"])
    assert d["mentions"] == ["Anna Berg"]


def test_view_browser_large_graph_is_cut_with_a_warning(browser, tmp_path):
    spec = importlib.util.spec_from_file_location("view_large_graph", DATA / "large.py")
    large = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(large)
    graph, out = tmp_path / "large.nt", tmp_path / "large.html"
    large.write_large_graph(graph, n_entities=3000, n_events=2000)
    data = write_view([graph], out)
    show(browser, out)
    assert browser.evaluate("document.body.dataset.error || ''") == ""
    assert browser.evaluate("kgView.cy.nodes().length") == data.node_count <= 2000
    assert "5000 nodes" in browser.evaluate("document.getElementById('warnings').textContent")
    assert "of 5000 nodes" in browser.evaluate("document.getElementById('counts').textContent")


def test_view_browser_without_library_shows_an_error_not_a_blank_page(browser, tmp_path):
    html = render_html(build_view([DATA / "putin-nordkorea.de.ttl"]))
    out = write_html(re.sub(r"(<script>\n).*?(\n</script>)", r"\1\2", html, count=1, flags=re.S), tmp_path / "nolib.html")
    show(browser, out)
    assert "graph library is missing" in browser.evaluate("document.body.dataset.error")
    assert "could not be drawn" in browser.evaluate("document.getElementById('warnings').textContent")
    assert browser.evaluate("document.querySelectorAll('#events tbody tr').length") == 5


def test_view_browser_cli_screenshot_writes_a_png_of_the_page(tmp_path):
    import struct

    from typer.testing import CliRunner

    from kgbuild.cli import app

    png, html = tmp_path / "view.png", tmp_path / "view.html"
    result = CliRunner().invoke(app, ["view", str(DATA / "putin-nordkorea.de.ttl"), "-o", str(html),
                                      "--screenshot", str(png), "--json"])
    assert result.exit_code == 0, result.output
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1400, 860)
    assert png.stat().st_size > 20_000  # a drawn graph, not a blank page
    assert json.loads(result.stdout)["screenshot"] == str(png)


def _astral_graph(path: Path) -> None:
    """A one-sentence graph whose text starts with characters outside the BMP (offsets count code points)."""
    import rdflib
    from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef

    kg, nif = Namespace("https://w3id.org/kgbuild/ontology#"), Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    itsrdf = Namespace("http://www.w3.org/2005/11/its/rdf#")
    text = "\U0001F642\U0001F30D Putin besucht Nordkorea."
    doc = "https://w3id.org/kgbuild/resource/doc/astral"
    g = rdflib.Graph()
    sentence = URIRef(f"{doc}#sentence=0,{len(text)}")
    g.add((URIRef(doc), RDF.type, nif.Context))
    g.add((sentence, RDF.type, nif.Sentence))
    for key, value in ((nif.beginIndex, 0), (nif.endIndex, len(text)), (nif.anchorOf, text)):
        g.add((sentence, key, Literal(value)))
    for qid, name in (("Q7747", "Putin"), ("Q423", "Nordkorea")):
        entity, begin = URIRef(WD + qid), text.index(name)
        g.add((entity, RDF.type, kg.Person if qid == "Q7747" else kg.Place))
        g.add((entity, RDFS.label, Literal(name, lang="de")))
        mention = URIRef(f"{doc}#char={begin},{begin + len(name)}")
        for key, value in ((nif.beginIndex, Literal(begin, datatype=XSD.nonNegativeInteger)),
                           (nif.endIndex, Literal(begin + len(name), datatype=XSD.nonNegativeInteger)),
                           (nif.anchorOf, Literal(name)), (nif.sentence, sentence), (itsrdf.taIdentRef, entity)):
            g.add((mention, key, value))
    event, begin = URIRef(f"{doc}/event/Visit"), text.index("besucht")
    for key, value in ((RDF.type, kg.Visit), (kg.subject, URIRef(WD + "Q7747")), (kg.object, URIRef(WD + "Q423")),
                       (kg.visitor, URIRef(WD + "Q7747")), (kg.host, URIRef(WD + "Q423")), (kg.trigger, Literal("besucht")),
                       (nif.beginIndex, Literal(begin)), (nif.endIndex, Literal(begin + 7)), (kg.evidence, sentence)):
        g.add((event, key, value))
    g.serialize(path, format="turtle")


def test_view_browser_highlights_by_code_points(browser, tmp_path):
    graph, out = tmp_path / "astral.ttl", tmp_path / "astral.html"
    _astral_graph(graph)
    write_view([graph], out)
    show(browser, out)
    browser.evaluate("kgView.select('https://w3id.org/kgbuild/resource/doc/astral/event/Visit')")
    d = details(browser)
    assert d["triggers"] == ["besucht"] and d["mentions"] == ["Putin", "Nordkorea"]
    browser.evaluate(f"kgView.select('{WD}Q423')")
    assert details(browser)["mentions"] == ["Nordkorea"]
