"""Hostile input (issue 16): every graph kgbuild writes parses, text is never decoded silently wrong, bad
option values are one clear line, unsupported languages are refused. Builds use ``--model builtin``."""
import json
import logging
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from kgbuild.cli import app
from kgbuild.errors import InputError
from kgbuild.read import decode_bytes, read_one

runner = CliRunner()
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
OX = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
      "jsonld": ox.RdfFormat.JSON_LD, "nq": ox.RdfFormat.N_QUADS}
RDFLIB = {"ttl": "turtle", "nt": "nt", "trig": "trig", "jsonld": "json-ld", "nq": "nquads"}
#: characters found in text extracted from PDFs and web pages that RDF or a line-based format can't carry as is
HOSTILE = "\x0c\x0b\x1c\x1d\x1e\x1f\x85\x00\x01\x07\x7f\x9f\u2028\u2029\ufffe\uffff"
ARTICLE = ("Bundeskanzler Olaf Scholz hat am Montag in Berlin den französischen Präsidenten Emmanuel Macron "
           "getroffen. Danach sprach er mit Journalisten über die Lage in der Ukraine.")


def invoke(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def parse_both(path, suffix):
    """Parse ``path`` with rdflib and with pyoxigraph; return the rdflib graph (a Dataset for quads)."""
    n = len(list(ox.parse(path=str(path), format=OX[suffix])))
    g = Dataset(default_union=True) if suffix in ("trig", "nq") else Graph()
    g.parse(str(path), format=RDFLIB[suffix])
    assert n > 0 and n == sum(1 for _ in (g.quads() if isinstance(g, Dataset) else g))
    return g


def check_offsets(g):
    """Every NIF phrase's anchor is the text between its offsets in its context."""
    checked = 0
    for ctx, text in g.query(f"SELECT ?c ?t WHERE {{ ?c <{NIF}isString> ?t }}"):
        for anchor, b, e in g.query(f"""SELECT ?a ?b ?e WHERE {{ ?m <{NIF}referenceContext> ?c ;
                <{NIF}anchorOf> ?a ; <{NIF}beginIndex> ?b ; <{NIF}endIndex> ?e }}""", initBindings={"c": ctx}):
            assert str(text)[int(b):int(e)] == str(anchor)
            checked += 1
    return checked


def hostile_article():
    words = ARTICLE.split(" ")
    return " ".join(w + (HOSTILE[i % len(HOSTILE)] if i % 3 == 0 else "") for i, w in enumerate(words))


@pytest.mark.parametrize("suffix", ["ttl", "nt", "trig", "jsonld", "nq"])
def test_control_characters_give_a_valid_graph_in_every_format(tmp_path, suffix):
    src = tmp_path / "pdf-extract.txt"
    src.write_text(hostile_article(), encoding="utf-8")
    out = tmp_path / f"out.{suffix}"
    res = invoke("build", src, "-o", out, "--model", "builtin")
    assert res.exit_code == 0, res.output
    g = parse_both(out, suffix)
    assert check_offsets(g) > 3


def test_jsonl_lone_surrogates_and_controls_never_poison_the_corpus(tmp_path):
    src = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": "bad", "text": ARTICLE + " \ud800 Ende\x0c.", "title": "Titel\x0b\udfff"}),
             json.dumps({"id": "good", "text": ARTICLE})]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.nq"
    res = invoke("build", src, "-o", out, "--model", "builtin")
    assert res.exit_code == 0, res.output
    g = parse_both(out, "nq")
    assert check_offsets(g) > 3
    # the rerun is clean: nothing bad stayed in the state
    res = invoke("build", src, "-o", out, "--model", "builtin")
    assert res.exit_code == 0, res.output
    assert "2 unchanged" in res.output


def test_text_cleaning_keeps_offsets():
    from kgbuild.types import Article

    raw = "a\x0cb\x85c\u2028d\ud800e\x00f\uffff"
    art = Article(id="x", text=raw, title="t\x1c")
    assert len(art.text) == len(raw)
    assert art.text == "a\nb\nc\nd\ufffde f\ufffd"
    assert art.title == "t\n" or art.title == "t "
    assert Article(id="y", text="plain\ttext\n\u202eok\ue000").text == "plain\ttext\n\u202eok\ue000"


# ---------------------------------------------------------------- reading: never guess silently wrong

def test_utf8_with_one_stray_byte_keeps_its_text_and_warns(tmp_path):
    p = tmp_path / "almost.txt"
    p.write_bytes("Die Außenministerin reiste nach Kiew. Grüße aus München.".encode("utf-8").replace(b"reiste", b"re\xffiste"))
    records = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logging.getLogger("kgbuild.read").addHandler(handler)
    try:
        text = read_one(p).text
    finally:
        logging.getLogger("kgbuild.read").removeHandler(handler)
    assert "Außenministerin" in text and "München" in text and "re\ufffdiste" in text
    assert any(str(p) in r.getMessage() for r in records)


def test_short_utf8_with_a_stray_pair_of_bytes_keeps_its_letters(tmp_path):
    """Two bad bytes against one good umlaut: still UTF-8 with U+FFFD, not a legacy codec's mojibake."""
    p = tmp_path / "short.txt"
    p.write_bytes("Der Zug nach Köln fährt heute nicht.".encode("utf-8").replace("fährt".encode(), b"f\xff\xfehrt"))
    text = read_one(p).text
    assert "Köln" in text and "f\ufffd\ufffdhrt" in text


def test_reference_article_with_a_stray_0xff_is_not_binary(tmp_path, seed_text):
    p = tmp_path / "ref.txt"
    data = seed_text.encode("utf-8")
    p.write_bytes(data[:500] + b"\xff" + data[500:])
    text = read_one(p).text
    assert "Pjöngjang" in text and "\ufffd" in text


def test_latin1_is_read_as_latin1_not_cp1250(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Michèle Müller traf François Hollande in Paris. Ça va, José?".encode("latin-1"))
    assert read_one(p).text.startswith("Michèle Müller traf François")


def test_utf16_with_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes("Grüße aus Köln und Žilina.".encode("utf-16"))
    assert read_one(p).text == "Grüße aus Köln und Žilina."


def test_encoding_can_be_forced(tmp_path):
    p = tmp_path / "cp1250.txt"
    p.write_bytes("Lech Wałęsa traf Václav Havel in Kraków.".encode("cp1250"))
    assert read_one(p, encoding="cp1250").text == "Lech Wałęsa traf Václav Havel in Kraków."
    out = tmp_path / "out.nt"
    res = invoke("build", p, "-o", out, "--model", "builtin", "--encoding", "cp1250", "--lang", "de")
    assert res.exit_code == 0, res.output
    assert "Wałęsa" in out.read_text(encoding="utf-8")
    res = invoke("build", p, "-o", out, "--encoding", "no-such-codec")
    assert res.exit_code == 1 and "no-such-codec" in res.output and "Traceback" not in res.output


def test_undecodable_errors_name_the_file(tmp_path):
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes(range(0x80, 0x100)) * 40)
    with pytest.raises(InputError, match="noise.txt"):
        read_one(p)


def test_decode_bytes_plain_utf8_and_bom():
    assert decode_bytes("\ufeffÄpfel".encode("utf-8"), "x") == "Äpfel"
    assert decode_bytes("Äpfel".encode("utf-8"), "x") == "Äpfel"


# ---------------------------------------------------------------- one clear line for bad option values

def _one_line_error(res, *needles):
    assert res.exit_code not in (0,), res.output
    assert "Traceback" not in res.output, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1, res.output
    for needle in needles:
        assert needle in lines[0], res.output


@pytest.mark.parametrize("iri", ["https://example.org/my graph/", "example.org/kg/", "urn x/", "http:///"])
def test_bad_base_iri_is_one_line(tmp_path, iri):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    _one_line_error(invoke("build", src, "--base-iri", iri, "--model", "builtin"), "--base-iri")


@pytest.mark.parametrize("date", ["0001-01-01", "2024-06-18garbage", "2024-13-01", "18.06.2024"])
def test_bad_date_is_one_line(tmp_path, date):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    _one_line_error(invoke("build", src, "--date", date, "--model", "builtin"), "date", date)


@pytest.mark.parametrize("where", ["file", "folder", "corpus", "file-as-folder"])
def test_unwritable_output_is_one_line(tmp_path, where):
    """/proc refuses new files even to root (chmod would not stop root); a file can't be an output folder."""
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "b.txt").write_text(ARTICLE, encoding="utf-8")
    if not Path("/proc/self").is_dir():
        pytest.skip("needs /proc")
    args = {"file": (src, "-o", "/proc/kgbuild-out.ttl"), "folder": (src, "-o", "/proc/kgbuild-out/"),
            "corpus": (corpus, "-o", "/proc/kgbuild-out.nq"), "file-as-folder": (corpus, "-o", f"{src}/")}[where]
    _one_line_error(invoke("build", *args, "--model", "builtin"), "kgbuild: error:")


@pytest.mark.parametrize("damage", ["text-file", "bad-bytes"])
def test_corrupt_kb_is_one_line(tmp_path, damage):
    import sqlite3

    from kgbuild.kb.records import build_sqlite, write_records

    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    kb = tmp_path / "kb.sqlite"
    if damage == "text-file":  # a 10-line text file where the KB should be
        kb.write_text("\n".join(f"INSERT INTO names VALUES ('Q{i}', 'name {i}');" for i in range(10)) + "\n")
    else:  # a real KB whose stop-word list holds ten lines of bytes that are not UTF-8
        records = tmp_path / "r.tsv.xz"
        write_records(records, {"built": "2026-01-01", "sources": []}, [
            {"qid": "Q64", "type": "LOC", "prior": 0.9, "classes": [], "claims": {}, "labels": {"de": "Berlin"},
             "names": [["Berlin", "label", "de"]], "source": "test"}], [])
        build_sqlite(records, kb)
        db = sqlite3.connect(kb)
        db.execute("UPDATE meta SET value = CAST(? AS TEXT) WHERE key = 'stop_words'",
                   (b"\n".join(b"10 de ramada\xff\xfe line %d" % i for i in range(10)),))
        db.commit()
        db.close()
    _one_line_error(invoke("build", src, "--kb", kb, "--model", "builtin"), str(kb))


# ---------------------------------------------------------------- languages

@pytest.mark.parametrize("text", [
    'Der Minister sagte am Montag in Berlin: "We are in an extremely difficult situation." Er reiste dann '
    'nach Brüssel, wo er mit den Kollegen sprach.',
    'Die Kanzlerin nannte das Treffen "a big step in the right direction" und flog nach Washington.',
    'Biden sprach von "an important moment in history", als er in Berlin ankam.',
])
def test_german_with_an_english_quote_is_german(text):
    from kgbuild.lang import detect

    assert detect(text) == "de"


@pytest.mark.parametrize("text", [
    'The minister said in Berlin: "Wir schaffen das." He then flew to Brussels for talks with his colleagues.',
    "US President Joe Biden met Japanese Prime Minister Fumio Kishida in Tokyo on Monday.",
])
def test_english_with_a_german_quote_is_english(text):
    from kgbuild.lang import detect

    assert detect(text) == "en"


@pytest.mark.parametrize("code,text", [
    ("tr", "Cumhurbaşkanı Erdoğan, Almanya Başbakanı ile Ankara'da bir araya geldi ve iki ülke arasındaki "
           "ilişkileri görüştü. Görüşmede ekonomik işbirliği de ele alındı."),
    ("nl", "De minister-president heeft maandag in Den Haag met de Duitse bondskanselier gesproken over de "
           "oorlog in Oekraïne en de gevolgen voor de economie."),
    ("pl", "Premier Polski spotkał się w poniedziałek w Warszawie z kanclerzem Niemiec. Rozmawiali o wojnie "
           "w Ukrainie i o współpracy gospodarczej."),
    ("sv", "Statsministern träffade på måndagen den tyska förbundskanslern i Stockholm och de talade om kriget "
           "i Ukraina och om samarbetet mellan länderna."),
])
def test_unsupported_languages_are_refused_like_chinese(tmp_path, code, text):
    src = tmp_path / f"{code}.txt"
    src.write_text(text, encoding="utf-8")
    res = invoke("build", src, "--model", "builtin")
    _one_line_error(res, f"'{code}'", "--any-lang")
    zh = tmp_path / "zh.txt"
    zh.write_text("俄罗斯总统普京周二抵达朝鲜首都平壤，与朝鲜领导人金正恩举行会谈并签署了条约。", encoding="utf-8")
    assert invoke("build", zh, "--model", "builtin").exit_code == res.exit_code
    ok = invoke("build", src, "--model", "builtin", "--any-lang", "-o", tmp_path / f"{code}.ttl")
    assert ok.exit_code == 0, ok.output


# ---------------------------------------------------------------- time budget

def test_max_seconds_skips_a_slow_article_and_keeps_the_others(tmp_path, monkeypatch):
    import time

    from kgbuild.build import run_build
    from kgbuild.corpus import BuildOptions
    from kgbuild.pipeline import Pipeline
    from kgbuild.rdf import RDFFormat

    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "quick.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "slow.txt").write_text(ARTICLE + " Langsam.", encoding="utf-8")
    original = Pipeline.process

    def process(self, article):
        if "Langsam" in article.text:
            time.sleep(30)  # a runaway article
        return original(self, article)

    monkeypatch.setattr(Pipeline, "process", process)
    out = tmp_path / "out.nq"
    start = time.monotonic()
    summary = run_build(BuildOptions(inputs=[str(folder)], output=str(out), fmt=RDFFormat.nquads, model="builtin",
                                     max_seconds=1.5))
    assert time.monotonic() - start < 25
    assert summary.articles == 1 and len(summary.skipped) == 1
    assert "slow.txt" in summary.skipped[0] and "--max-seconds 1.5" in summary.skipped[0]
    assert len(parse_both(out, "nq")) > 0


@pytest.mark.parametrize("value", ["0", "-3", "abc"])
def test_max_seconds_bad_values_are_one_line(tmp_path, value):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    res = invoke("build", src, "--model", "builtin", "--max-seconds", value)
    assert res.exit_code != 0 and "Traceback" not in res.output and "max-seconds" in res.output
