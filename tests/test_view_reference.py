"""The view of the reference article, built by the real pipeline (bundled KB, built-in spaCy pipeline).

Builds ``putin-nordkorea.de.txt`` with ``Pipeline().process`` -> ``document_graph`` -> Turtle, views it and
checks the picture the issue asks for: Putin, North Korea, the visit, the treaty signing, each with the
sentence it comes from; then the same in headless Chromium with a real click.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kgbuild.view import build_view, write_view
from kgbuild.view.browser import Chromium, find_chromium
from kgbuild.view.shot import READY, element_point

SHARED = Path(os.environ.get("KGBUILD_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SEED = SHARED / "seed" / "putin-nordkorea.de.txt"
WD = "http://www.wikidata.org/entity/"
PUTIN, NORTH_KOREA = WD + "Q7747", WD + "Q423"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    if not SEED.is_file():
        pytest.skip(f"reference article not found at {SEED}")
    from kgbuild.pipeline import Pipeline
    from kgbuild.rdf import document_graph
    from kgbuild.read import read_one

    result = Pipeline(model="builtin").process(read_one(SEED))
    path = tmp_path_factory.mktemp("reference") / "putin-nordkorea.ttl"
    document_graph(result).serialize(path, format="turtle")
    return path


@pytest.fixture(scope="module")
def view(graph):
    return build_view([graph])


def _events(view, event_type, entity):
    return [ev for ev in view.events if ev.event_type == event_type and entity in {r.entity for r in ev.roles}]


def test_view_reference_has_putin_north_korea_visit_and_treaty(view):
    ents = {e.id: e for e in view.entities}
    assert view.lang == "de"
    assert ents[PUTIN].type == "PER" and "Putin" in ents[PUTIN].label
    assert ents[PUTIN].label != "Vladimir Putin"  # German spelling: a German label, else the article's own name
    assert ents[NORTH_KOREA].type == "LOC" and ents[NORTH_KOREA].label == "Nordkorea"
    visits = _events(view, "Visit", PUTIN)
    assert any({("visitor", PUTIN)} <= {(r.role, r.entity) for r in ev.roles} for ev in visits)
    assert _events(view, "TreatySigning", PUTIN) or _events(view, "TreatySigning", NORTH_KOREA)
    assert any(r.predicate == "visits" and r.subject == PUTIN for r in view.relations)
    for ev in view.events:  # every event leads back to its sentence, and the trigger is in it
        s = view.sentences[ev.sentence]
        assert s.text[ev.trigger_begin - s.begin:ev.trigger_end - s.begin] == ev.trigger


@pytest.mark.chromium
@pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed (Debian: apt-get install chromium)")
def test_view_reference_in_chromium_click_visit_shows_sentence(graph, tmp_path):
    out = tmp_path / "reference.html"
    data = write_view([graph], out)
    visit = next(ev for ev in _events(data, "Visit", PUTIN) if "Nordkorea" in data.sentences[ev.sentence].text)
    with Chromium() as browser:
        browser.open(out.as_uri(), READY)
        assert browser.evaluate("document.body.dataset.error || ''") == ""
        labels = browser.evaluate("kgView.cy.nodes().map(n => n.data('label'))")
        assert "Wladimir Putin" in labels and "Nordkorea" in labels
        assert any(label.startswith("Besuch") for label in labels)
        assert any(label.startswith("Vertragsunterzeichnung") for label in labels)
        point = element_point(browser, visit.id)
        assert point, "the visit node is hidden under another element"
        browser.click(*point)
        shown = browser.evaluate("""[document.querySelector('#details > div').dataset.id,
            document.querySelector('#details blockquote.source').textContent,
            Array.from(document.querySelectorAll('#details mark')).map(m => m.textContent)]""")
    assert shown[0] == visit.id
    assert shown[1] == data.sentences[visit.sentence].text and "Nordkorea" in shown[1]
    assert visit.trigger in shown[2] and "Nordkorea" in shown[2]
