"""The commands build, link, validate and info, through the CLI as a user runs them (real bundled KB)."""
import json
import re
import subprocess
import sys

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kgbuild.cli import app

runner = CliRunner()
WD = "http://www.wikidata.org/entity/"
KG = "https://w3id.org/kgbuild/ontology#"


def invoke(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture(scope="module")
def seed_ttl(tmp_path_factory, seed_text):
    out = tmp_path_factory.mktemp("build") / "putin.ttl"
    src = out.parent / "putin-nordkorea.de.txt"
    src.write_text(seed_text, encoding="utf-8")
    res = invoke("build", src, "-o", out, "--date", "2024-06-18", "--url", "https://example.org/a")
    assert res.exit_code == 0, res.output
    return out


def test_cli_build_reference_article_links_and_relations(seed_ttl):
    g = Graph().parse(seed_ttl)
    links = {(str(a), str(e)) for a, e in g.query(
        "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> "
        "PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#> SELECT ?a ?e WHERE { ?m nif:anchorOf ?a ; itsrdf:taIdentRef ?e }")}
    expected = {("Wladimir Putin", "Q7747"), ("Putin", "Q7747"), ("Nordkorea", "Q423"), ("Kim Jong-un", "Q56226"),
                ("Demokratischen Volksrepublik Korea", "Q423"), ("Pjöngjang", "Q18808"), ("Moskau", "Q649"),
                ("Russischen Föderation", "Q159"), ("russische", "Q159"), ("Südkoreanische", "Q884"),
                ("Rodong Sinmun", "Q387054")}
    for anchor, qid in expected:
        assert (anchor, WD + qid) in links, (anchor, qid)
    uschakow = [e for a, e in links if a == "Juri Uschakow"]
    assert uschakow and "/entity/per/" in uschakow[0]
    assert (URIRef(WD + "Q7747"), URIRef(KG + "visits"), URIRef(WD + "Q423")) in g
    assert (URIRef(WD + "Q7747"), URIRef(KG + "meets"), URIRef(WD + "Q56226")) in g
    assert (URIRef(WD + "Q56226"), URIRef(KG + "holdsPositionIn"), URIRef(WD + "Q423")) in g
    assert (URIRef(uschakow[0]), URIRef(KG + "holdsPositionIn"), URIRef(WD + "Q7747")) in g
    signings = g.query(f"""PREFIX kg: <{KG}> SELECT ?a ?b WHERE {{ ?e a kg:TreatySigning ; kg:status kg:Planned ;
        kg:subject ?a ; kg:object ?b ; kg:evidence ?s }}""")
    pairs = {frozenset((str(a), str(b))) for a, b in signings}
    assert frozenset((WD + "Q159", WD + "Q423")) in pairs or frozenset((WD + "Q7747", WD + "Q423")) in pairs


def test_cli_build_twice_is_isomorphic_and_validates(seed_ttl, tmp_path):
    again = tmp_path / "again.ttl"
    res = invoke("build", seed_ttl.parent / "putin-nordkorea.de.txt", "-o", again, "--date", "2024-06-18",
                 "--url", "https://example.org/a")
    assert res.exit_code == 0
    assert isomorphic(Graph().parse(seed_ttl), Graph().parse(again))
    res = invoke("validate", again)
    assert res.exit_code == 0 and "conforms" in res.output
    store = pyoxigraph.Store()
    store.load(again.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(Graph().parse(again))


@pytest.mark.parametrize("fmt,suffix,parse_as", [("nt", ".nt", "nt"), ("json-ld", ".jsonld", "json-ld"),
                                                   ("trig", ".trig", "trig"), ("nquads", ".nq", "nquads")])
def test_cli_build_formats(tmp_path, fmt, suffix, parse_as):
    src = tmp_path / "a.txt"
    src.write_text("Bundeskanzler Olaf Scholz reist am Montag nach Paris.", encoding="utf-8")
    out = tmp_path / f"a{suffix}"
    res = invoke("build", src, "-o", out, "--format", fmt)
    assert res.exit_code == 0, res.output
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(out, format=parse_as)
    assert len(ds) > 10 or sum(1 for _ in ds.quads()) > 10


def test_cli_build_stdin_to_stdout():
    res = invoke("build", "-", "--lang", "en", input="Russian President Vladimir Putin visited Pyongyang.")
    assert res.exit_code == 0
    g = Graph().parse(data=res.stdout, format="turtle")
    assert (URIRef(WD + "Q7747"), URIRef(KG + "visits"), URIRef(WD + "Q18808")) in g


@pytest.mark.parametrize("content,message", [(b"", "empty"), (b"\x00\x01\x02binary\x00" * 30, "binary")])
def test_cli_build_bad_input_one_error_line(tmp_path, content, message):
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    out = tmp_path / "out.ttl"
    res = invoke("build", src, "-o", out)
    assert res.exit_code != 0
    assert message in res.output
    assert not out.exists()


def test_cli_build_unknown_language_is_clear(tmp_path):
    src = tmp_path / "fr.txt"
    src.write_text("Le président russe est arrivé en Corée du Nord pour signer un traité avec le dirigeant.", encoding="utf-8")
    res = invoke("build", src, "-o", tmp_path / "o.ttl")
    assert res.exit_code != 0 and "'fr'" in res.output
    res = invoke("build", src, "-o", tmp_path / "o.ttl", "--any-lang")
    assert res.exit_code == 0


def test_cli_build_missing_input_and_corrupt_kb(tmp_path):
    res = invoke("build", tmp_path / "nope.txt")
    assert res.exit_code == 1 and "nope.txt" in res.output
    bad = tmp_path / "kb.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    src = tmp_path / "a.txt"
    src.write_text("Putin reist nach Paris.", encoding="utf-8")
    res = invoke("build", src, "--kb", bad)
    assert res.exit_code == 1 and "kb.sqlite" in res.output
    assert "Traceback" not in res.output


def test_cli_build_output_is_atomic_on_failure(tmp_path):
    out = tmp_path / "keep.ttl"
    out.write_text("# previous output\n", encoding="utf-8")
    res = invoke("build", tmp_path / "missing.txt", "-o", out)
    assert res.exit_code == 1
    assert out.read_text(encoding="utf-8") == "# previous output\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_link_json():
    res = invoke("link", "--json", "--lang", "de", "Der nordkoreanische Machthaber Kim Jong-un empfing Putin in Pjöngjang.")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    got = {m["text"]: m["entity"] for m in data["mentions"]}
    assert got["Kim Jong-un"] == "Q56226" and got["Pjöngjang"] == "Q18808" and got["nordkoreanische"] == "Q423"


def test_cli_validate_rejects_foreign_or_broken_graph(tmp_path):
    broken = tmp_path / "x.ttl"
    broken.write_text("@prefix : <http://e/> . :a :b ", encoding="utf-8")
    res = invoke("validate", broken)
    assert res.exit_code == 1 and "cannot parse" in res.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("""@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
        <http://e/d> a nif:Context .""", encoding="utf-8")
    res = invoke("validate", bad)
    assert res.exit_code == 1 and "does NOT conform" in res.output


def test_cli_info_json():
    res = invoke("info", "--json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["kgbuild"] and data["kb"]["stats"]["entities"] > 50000


def test_cli_every_command_has_help_and_is_in_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    import typer.main

    group = typer.main.get_command(app)
    for name in group.commands:
        assert invoke(name, "--help").exit_code == 0
        assert re.search(rf"kgbuild {name}\b", readme), f"`kgbuild {name}` is not documented in README.md"


def test_cli_entry_point_runs_as_a_process():
    out = subprocess.run([sys.executable, "-m", "kgbuild", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "build" in out.stdout


def test_cli_build_mentions_modes(tmp_path):
    """--mentions rules / ner / combined build different graphs; ner without a model is one clear error."""
    src = tmp_path / "a.txt"
    src.write_text("Bundeskanzler Olaf Scholz traf in Paris den französischen Präsidenten Emmanuel Macron. "
                   "Der Energieexperte Timur Nurmagambetow warnte vor zu hohen Erwartungen.\n", encoding="utf-8")
    anchors = {}
    for mode in ("rules", "ner", "combined"):
        out = tmp_path / f"{mode}.ttl"
        res = invoke("build", str(src), "-o", str(out), "--lang", "de", "--mentions", mode)
        assert res.exit_code == 0, res.output
        g = Graph().parse(out)
        anchors[mode] = {str(o) for o in g.objects(None, URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf"))}
    assert "französischen" in anchors["rules"] and "französischen" not in anchors["ner"]  # adjectives: the KB's
    assert anchors["combined"] >= anchors["rules"] - {"Timur"}
    res = invoke("build", str(src), "-o", str(tmp_path / "x.ttl"), "--model", "builtin", "--mentions", "ner")
    assert res.exit_code == 1 and "no NER component" in res.output and not (tmp_path / "x.ttl").exists()


def test_cli_build_refuses_an_output_that_is_an_input(tmp_path):
    """``-o`` naming the article itself (or a link to it), or an article file inside an input folder that the
    next build would read, is one error line before any work; the article is kept byte for byte."""
    article = tmp_path / "article.txt"
    article.write_text("Olaf Scholz besuchte Köln.", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(article)
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Angela Merkel traf Emmanuel Macron.", encoding="utf-8")
    for inputs, out, says in (([article], article, "is the input file"), ([article], link, "is the input file"),
                              ([folder], folder / "graph.txt", "input folder"),
                              ([article, folder], folder / "sub" / "graph.jsonl", "input folder")):
        res = invoke("build", *inputs, "-o", out)
        assert res.exit_code == 1, (out, res.output)
        assert says in res.output and str(out) in res.output
        assert article.read_text(encoding="utf-8") == "Olaf Scholz besuchte Köln."
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]
    res = invoke("build", folder, "-o", folder / "graph.ttl")
    assert res.exit_code == 0, res.output
    assert (folder / "graph.ttl").read_text(encoding="utf-8").startswith("@prefix")
