"""kgbuild.view.html: one self-contained page, data safely embedded, vendored library pinned, atomic write."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgbuild.errors import OutputError
from kgbuild.view import build_view, render_html
from kgbuild.view.html import json_for_script, page_data, script_safe, write_html

DATA = Path(__file__).parent / "data" / "view"
STATIC = Path(__file__).parent.parent / "kgbuild" / "view" / "static"
CYTOSCAPE_SHA256 = "081591ab735b2b6a3b31a3c60f8f3a3e2fee8c92939e0c7820ad1208571b6cd8"


@pytest.fixture(scope="module")
def page():
    data = build_view([DATA / "scholz-macron.en.trig", DATA / "putin-nordkorea.de.ttl"])
    return data, render_html(data)


def _data_block(page: str) -> str:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "no data block"
    return match.group(1)


def test_view_html_data_block_round_trips_and_holds_no_markup(page):
    data, html = page
    block = _data_block(html)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block) == json.loads(json.dumps(page_data(data)))
    assert json.loads(block)["terms"]["TreatySigning"] == "Vertragsunterzeichnung"  # view language: de
    # the English sample's sentence contains "</script><b>Good talks</b> & <!--"
    assert any("</script><b>Good talks</b>" in s["text"] for s in json.loads(block)["sentences"].values())


def test_view_html_is_self_contained(page):
    _, html = page
    assert len(re.findall(r"<script\b", html, re.I)) == len(re.findall(r"</script", html, re.I)) == 3
    assert not re.search(r"<script[^>]+src=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(http" not in html
    assert "cytoscape" in html and "kgView" in html
    assert '<html lang="de">' in html


def test_view_html_vendored_library_is_the_pinned_one():
    lib = (STATIC / "cytoscape.min.js").read_bytes()
    assert hashlib.sha256(lib).hexdigest() == CYTOSCAPE_SHA256
    assert "The Cytoscape Consortium" in (STATIC / "cytoscape.LICENSE").read_text(encoding="utf-8")
    readme = (STATIC / "README.md").read_text(encoding="utf-8")
    assert "3.34.4" in readme and CYTOSCAPE_SHA256 in readme


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_view_html_json_for_script_escapes_anything(text):
    out = json_for_script({"label": text, "list": [text]})
    assert not re.search(r"[<>&\u2028\u2029]", out)
    assert json.loads(out) == {"label": text, "list": [text]}


def test_view_html_script_safe_breaks_closing_tags():
    js = 'var a = "</script><!-- x"; var b = "</SCRIPT>";'
    out = script_safe(js)
    assert "</script" not in out.lower() and "<!--" not in out


def test_view_html_title_is_escaped(page):
    data, _ = page
    html = render_html(data, title="<b>News & more</b>")
    assert "&lt;b&gt;News &amp; more&lt;/b&gt;" in html and "<b>News" not in html


def test_view_html_write_is_atomic(tmp_path):
    out = tmp_path / "graph.html"
    out.write_text("old", encoding="utf-8")
    write_html("<html>new</html>", out)
    assert out.read_text(encoding="utf-8") == "<html>new</html>"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]  # no temp file left
    with pytest.raises(OutputError, match="does not exist"):
        write_html("x", tmp_path / "missing" / "graph.html")


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and "\x00" not in t))
def test_view_html_any_label_survives_graph_to_page(tmp_path_factory, label):
    import rdflib

    graph = rdflib.Graph()
    kg = rdflib.Namespace("https://w3id.org/kgbuild/ontology#")
    entity = rdflib.URIRef("http://www.wikidata.org/entity/Q42")
    graph.add((entity, rdflib.RDF.type, kg.Person))
    graph.add((entity, rdflib.RDFS.label, rdflib.Literal(label, lang="en")))
    path = tmp_path_factory.mktemp("label") / "g.ttl"
    graph.serialize(path, format="turtle")
    page = render_html(build_view([path]))
    block = json.loads(_data_block(page))
    assert block["entities"][0]["label"] == label
