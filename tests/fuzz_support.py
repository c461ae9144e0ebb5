"""The properties of the fuzzing campaign (issue 16), shared by ``tests/test_fuzz.py`` (a bounded number of
examples in CI) and ``benchmarks/fuzz_build.py`` (the long run):

- ``check_build``: any text (control, private-use, bidi, line-separator characters, lone surrogates, very
  long tokens and lines) goes through the whole build path - ``Article``, the pipeline (built-in), the
  worker's N-Triples, the corpus assembly into every output format - and every output parses back with
  rdflib AND pyoxigraph, with NIF offsets that point at their anchors; or the article is skipped with a
  ``DocError`` naming it. Nothing else may happen.
- ``check_decode``: any bytes are decoded to text or refused with an ``InputError`` naming the file.
- ``check_jsonl``: any JSONL file gives ``Article``s and ``InputError``s only.
- ``check_gold``: any gold file (each format; random bytes or a damaged real one) gives gold documents or a
  ``GoldError``.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
from hypothesis import strategies as st
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parent.parent
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"

#: characters that broke or could break a format: C0/C1 controls, line and paragraph separators, bidi
#: controls, zero-width characters, BOM, noncharacters, private use, astral characters, combining marks
HOSTILE = ("\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1c\x1d\x1e\x1f\x7f\x80\x85\x9f\u00a0\u00ad\u034f\u061c\u200b\u200d"
           "\u200e\u200f\u202a\u202e\u2066\u2069\u2028\u2029\ufeff\ufffe\uffff\ue000\uf8ff\U0001f600\U0010fffd"
           "\u0301\\\"'<>{}|^`\r\t\n")
WORDS = ["Olaf", "Scholz", "traf", "Emmanuel", "Macron", "in", "Paris", "Berlin", "Putin", "Nordkorea", "und",
         "der", "die", "Kiew", "Präsident", "Biden", "met", "the", "in", "Tokyo", ".", ",", "„", "“", '"', "(", ")"]

text_strategy = st.one_of(
    st.text(min_size=1, max_size=300),  # any Unicode scalar value (no lone surrogates: st.text can't make them)
    st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(list(HOSTILE)), st.text(max_size=3)),
             min_size=1, max_size=80).map(" ".join),
    st.builds(lambda w, n: " ".join([w] * n), st.sampled_from(WORDS), st.integers(1, 3000)),  # long lines
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "ä", "\u2028", "\x0c", "-", "\U0001f600"]),
              st.integers(100, 20000)),  # very long tokens
).filter(lambda t: t.strip())
surrogates = st.lists(st.sampled_from(["\ud800", "\udfff", "\udc80", "a", " "]), min_size=1, max_size=10).map("".join)


def _options(tmp: Path):
    from kgbuild.corpus import BuildOptions
    from kgbuild.rdf import RDFFormat

    return BuildOptions(inputs=[], output=str(tmp / "out.nq"), fmt=RDFFormat.nquads, model="builtin", chunk=1)


def check_build(text: str, lang: str | None, title: str | None, tmp: Path) -> str:
    """The property of the build path; returns "built" or "skipped" (raises AssertionError otherwise)."""
    from kgbuild.corpus.assemble import write_stream
    from kgbuild.corpus.worker import DocError, build_stream
    from kgbuild.rdf import RDFFormat
    from kgbuild.types import Article

    article = Article(id="fuzz", text=text, lang=lang, title=title, source="fuzz.txt")
    assert len(article.text) == len(text)  # cleaning keeps every offset
    (res,) = list(build_stream([article], _options(tmp)))
    if isinstance(res, DocError):
        assert res.message.startswith("fuzz.txt: ") and "internal error" not in res.message, res.message
        return "skipped"
    import zlib

    docs = [(res.id, res.graph, zlib.decompress(res.nt_z))]
    for fmt, ox_fmt, rdflib_fmt in ((RDFFormat.nquads, ox.RdfFormat.N_QUADS, "nquads"),
                                    (RDFFormat.ntriples, ox.RdfFormat.N_TRIPLES, "nt"),
                                    (RDFFormat.turtle, ox.RdfFormat.TURTLE, "turtle"),
                                    (RDFFormat.trig, ox.RdfFormat.TRIG, "trig"),
                                    (RDFFormat.jsonld, ox.RdfFormat.JSON_LD, "json-ld")):
        buf = io.BytesIO()
        n = write_stream(buf, docs, fmt)
        data = buf.getvalue()
        parsed = list(ox.parse(data, format=ox_fmt))
        assert len(parsed) == n > 0, (fmt, len(parsed), n)
        g = Dataset(default_union=True) if fmt in (RDFFormat.nquads, RDFFormat.trig) else Graph()
        g.parse(data=data, format=rdflib_fmt)
        count = sum(1 for _ in g.quads()) if isinstance(g, Dataset) else len(g)
        assert count == n, (fmt, count, n)
        if fmt == RDFFormat.nquads:
            _check_offsets(g, article.text)
    return "built"


def _check_offsets(g, text: str) -> None:
    contexts = [str(t) for t in g.objects(None, _iri(NIF + "isString"))]
    assert contexts == [text], "nif:isString is not the article's (cleaned) text"
    for m in g.subjects(_iri(NIF + "anchorOf"), None):
        b, e = g.value(m, _iri(NIF + "beginIndex")), g.value(m, _iri(NIF + "endIndex"))
        if b is not None and e is not None:
            assert text[int(b):int(e)] == str(g.value(m, _iri(NIF + "anchorOf")))


def _iri(value: str):
    from rdflib import URIRef

    return URIRef(value)


def check_decode(data: bytes) -> str:
    from kgbuild.errors import InputError
    from kgbuild.read import decode_bytes

    try:
        text = decode_bytes(data, "fuzz.bin")
    except InputError as exc:
        assert "fuzz.bin" in str(exc) or "--encoding" in str(exc), str(exc)
        return "refused"
    assert isinstance(text, str)
    text.encode("utf-8")  # no lone surrogates come out of decoding
    return "decoded"


def check_jsonl(lines: list[bytes], tmp: Path) -> str:
    from kgbuild.errors import InputError
    from kgbuild.read import read_inputs
    from kgbuild.types import Article

    path = tmp / "fuzz.jsonl"
    path.write_bytes(b"\n".join(lines))
    items = list(read_inputs([path]))
    for item in items:
        assert isinstance(item, (Article, InputError)), item
        if isinstance(item, Article):
            item.text.encode("utf-8")
            assert item.text.strip()
    return "read"


jsonl_line = st.one_of(
    st.binary(max_size=60),
    st.builds(lambda t, i: json.dumps({"id": i, "text": t}).encode("utf-8"), text_strategy, st.text(max_size=8)),
    st.builds(lambda t: json.dumps({"text": t, "date": "2024-06-18"}, ensure_ascii=True).encode("ascii"), surrogates),
    st.builds(lambda d: json.dumps({"text": "Olaf Scholz in Paris.", "date": d}).encode(), st.text(max_size=20)),
)

GOLD_FILES = {
    "kgbuild": [ROOT / "examples" / "baerbock-kiew.de.gold.json"],
    "elevant": sorted((ROOT.parent / "shared" / "data" / "elevant-benchmarks").glob("kore50.benchmark.jsonl")),
}
GOLD_SUFFIX = {"kgbuild": ".json", "elevant": ".jsonl", "nif": ".ttl", "hipe": ".tsv"}


def _seed_gold(fmt: str) -> bytes:
    files = [p for p in GOLD_FILES.get(fmt, []) if p.is_file()]
    if files:
        return files[0].read_bytes()[:6000]
    if fmt == "nif":
        return (f'<https://ex.org/d#char=0,5> a <{NIF}Context> ; <{NIF}isString> "Paris ist schön." ;\n'
                f' <{NIF}beginIndex> "0"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .\n').encode()
    return b"TOKEN\tNE-COARSE-LIT\tNEL-LIT\tMISC\n# document_id = d1\nParis\tB-loc\tQ90\t_\n"


@st.composite
def gold_file(draw):
    fmt = draw(st.sampled_from(["kgbuild", "elevant", "nif", "hipe"]))
    seed = _seed_gold(fmt)
    kind = draw(st.sampled_from(["random", "cut", "flip", "insert"]))
    if kind == "random":
        data = draw(st.binary(max_size=300))
    else:
        pos = draw(st.integers(0, max(0, len(seed) - 1)))
        if kind == "cut":
            data = seed[:pos]
        elif kind == "flip":
            data = seed[:pos] + bytes([draw(st.integers(0, 255))]) + seed[pos + 1:]
        else:
            data = seed[:pos] + draw(st.text(max_size=20)).encode("utf-8", "surrogatepass") + seed[pos:]
    return fmt, data


def check_gold(fmt: str, data: bytes, tmp: Path) -> str:
    import shutil

    from kgbuild.errors import GoldError
    from kgbuild.evaluation.formats import read_gold

    folder = tmp / "gold"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / f"fuzz{GOLD_SUFFIX[fmt]}"
    path.write_bytes(data)
    if fmt == "kgbuild":  # the text file the example's gold names
        (folder / "baerbock-kiew.de.txt").write_bytes((ROOT / "examples" / "baerbock-kiew.de.txt").read_bytes())
    try:
        docs = read_gold([path], fmt)
    except GoldError as exc:
        assert str(exc).strip()
        return "refused"
    assert isinstance(docs, list)
    return "read"
