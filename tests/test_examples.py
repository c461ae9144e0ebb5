"""Golden graphs: every example article builds to its expected graph (examples/expected/*.ttl), and that
graph conforms to the shapes. After a deliberate change of the output, run scripts/update_examples.py and
review the diff."""
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.validate import validate_graph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from update_examples import build_args  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
RUN = "https://w3id.org/kgbuild/resource/run/"


def _content(g: Graph) -> Graph:
    """The graph without the provenance of the run, whose IRI names the KB and model versions."""
    out = Graph()
    for s, p, o in g:
        if not str(s).startswith(RUN) and not str(o).startswith(RUN):
            out.add((s, p, o))
    return out


def test_examples_exist():
    langs = [p.name.split(".")[-2] for p in EXAMPLES]
    assert langs.count("de") >= 3 and langs.count("en") >= 2
    assert (ROOT / "examples" / "putin-nordkorea.de.txt").exists()


@pytest.mark.parametrize("txt", EXAMPLES, ids=lambda p: p.stem)
def test_examples_build_matches_expected_graph(txt, tmp_path):
    expected_path = ROOT / "examples" / "expected" / f"{txt.stem}.ttl"
    assert expected_path.exists(), f"run scripts/update_examples.py to create {expected_path.name}"
    out = tmp_path / "out.ttl"
    res = CliRunner().invoke(app, build_args(txt, out))
    assert res.exit_code == 0, res.output
    built = Graph().parse(out)
    got, expected = _content(built), _content(Graph().parse(expected_path))
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        lines = [f"+ {t}" for t in sorted(only_got)[:15]] + [f"- {t}" for t in sorted(only_expected)[:15]]
        pytest.fail(f"{txt.name}: the graph differs from {expected_path.name}:\n" + "\n".join(lines))
    conforms, messages = validate_graph(built)
    assert conforms, messages[:5]
