"""Gold readers: what they keep, and that broken or mismatched gold is one clear GoldError."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgbuild.errors import GoldError
from kgbuild.evaluation import GoldFormat, detect_format, read_gold
from kgbuild.evaluation.align import word_boundary
from kgbuild.evaluation.read_elevant import elevant_type

DATA = Path(__file__).parent / "data" / "eval"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.mark.parametrize("name, fmt", [("tiny.kgbuild.json", GoldFormat.kgbuild), ("tiny.benchmark.jsonl", GoldFormat.elevant),
                                       ("tiny.nif.ttl", GoldFormat.nif), ("tiny.hipe.tsv", GoldFormat.hipe)])
def test_eval_detect_format(name, fmt):
    assert detect_format(DATA / name) == fmt
    assert len(read_gold([DATA / name], fmt)) == 2


def test_eval_elevant_reader_skips_coref_values_and_children():
    doc = read_gold([DATA / "tiny.benchmark.jsonl"])[0]
    assert [doc.text[m.start:m.end] for m in doc.mentions] == ["Steve Jobs", "Apple", "Cupertino", "Pixar"]
    assert [m.optional for m in doc.mentions] == [False, False, False, True]
    second = read_gold([DATA / "tiny.benchmark.jsonl"])[1]
    assert second.span == (0, 63) and [m.qid for m in second.mentions] == ["Q181162", "Q13371", None, None]


@pytest.mark.parametrize("types, expected", [("Q215627", "PER"), ("Q27096213|Q43229", "LOC"),
                                             ("Q2424752|Q431289|Q43229", "ORG"), ("OTHER", "MISC"), (None, "MISC")])
def test_eval_elevant_type(types, expected):
    assert elevant_type(types) == expected


def test_eval_hipe_reader_rebuilds_text_from_misc():
    a, b = read_gold([DATA / "tiny.hipe.tsv"])
    assert a.text == "Kaiser Wilhelm II. reiste nach Wien.\nDie Neue Freie Presse berichtete."
    assert a.lang == "de" and str(a.date) == "1890-01-02"
    assert [(a.text[m.start:m.end], m.type, m.qid) for m in a.mentions] == [
        ("Wilhelm II", "PER", "Q2677"), ("Wien", "LOC", "Q1741"), ("Neue Freie Presse", "MISC", None)]
    assert [b.text[m.start:m.end] for m in b.mentions] == ["Berlin", "Potsdam", "Paris"]  # B- after B-: two mentions


def test_eval_nif_reader_maps_wikidata_and_other_iris():
    doc = read_gold([DATA / "tiny.nif.ttl"])[0]
    assert [(m.qid, m.type) for m in doc.mentions] == [("Q567", "PER"), (None, None), ("Q3052772", None)]


GOLD_FILES = sorted(EXAMPLES.glob("*.gold.json")) + sorted(EXAMPLES.glob("heldout/*.gold.json"))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_eval_example_gold_files_are_valid(path):
    """Every example gold file passes the checker (offsets, span texts, relation ends)."""
    if not (path.parent / json.loads(path.read_text())["text_file"]).exists():
        pytest.skip("article text not copied into examples/ yet")
    doc = read_gold([path])[0]
    assert doc.relations_annotated and doc.relations and doc.lang in ("de", "en")
    assert all(doc.text[m.start:m.end] == m.text for m in doc.mentions)


def test_eval_examples_have_unlinked_invented_persons():
    docs = [read_gold([p])[0] for p in GOLD_FILES if p.name.endswith(".de.gold.json") and "putin" not in p.name]
    nil_per = [m for d in docs for m in d.mentions if m.qid is None and m.type == "PER"]
    assert len({m.entity for m in nil_per}) >= 4


def _write(tmp_path: Path, name: str, content) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


GOOD = {"id": "d", "lang": "de", "text": "Putin reist nach Paris.",
        "entities": [{"id": "Q7747", "name": "Putin", "type": "PER", "mentions": [[0, 5, "Putin"]]}]}


@pytest.mark.parametrize("change, message", [
    (lambda d: d["entities"][0].update(mentions=[[18, 40]]), "outside the text"),
    (lambda d: d["entities"][0].update(mentions=[[-1, 3]]), "outside the text"),
    (lambda d: d["entities"][0].update(mentions=[[0, 5, "Paris"]]), "should read 'Paris'"),
    (lambda d: d["entities"][0].update(type="PERSON"), "type 'PERSON'"),
    (lambda d: d["entities"][0].update(id="7747"), "use a QID"),
    (lambda d: d.update(relations=[{"subject": "Q7747", "predicate": "visits", "object": "Q90"}]), "no gold entity"),
    (lambda d: d.update(relations=[{"subject": "Q7747", "predicate": "says", "object": None, "status": "done"}]), "status 'done'"),
    (lambda d: d.pop("text"), "neither 'text' nor 'text_file'"),
    (lambda d: d.update(text_file="missing.txt", text=None), "does not exist"),
    (lambda d: d.update(date="18.06.2024"), "invalid date"),
])
def test_eval_broken_kgbuild_gold(tmp_path, change, message):
    data = json.loads(json.dumps(GOOD))
    change(data)
    with pytest.raises(GoldError, match=message):
        read_gold([_write(tmp_path, "g.json", data)])


def test_eval_broken_files(tmp_path):
    with pytest.raises(GoldError, match="not valid JSON"):
        read_gold([_write(tmp_path, "a.json", "{\"id\": ")])
    with pytest.raises(GoldError, match="cannot tell the gold format"):
        read_gold([_write(tmp_path, "a.dat", "just some words\n")])
    with pytest.raises(GoldError, match="does not exist"):
        read_gold([tmp_path / "nope.json"])
    with pytest.raises(GoldError, match="empty"):
        read_gold([_write(tmp_path, "e.json", "\n")])
    with pytest.raises(GoldError, match="no gold documents"):
        read_gold([_write(tmp_path, "l.json", "[]")])
    with pytest.raises(GoldError, match="not UTF-8"):
        (tmp_path / "b.json").write_bytes(b"\xff\xfe{\x00")
        read_gold([tmp_path / "b.json"])
    elevant = {"id": 0, "text": "Short.", "evaluation_span": [0, 6], "labels": [{"id": 0, "span": [3, 60], "entity_id": "Q1"}]}
    with pytest.raises(GoldError, match="outside the text"):
        read_gold([_write(tmp_path, "b.jsonl", json.dumps(elevant) + "\n")], GoldFormat.elevant)
    nif = (DATA / "tiny.nif.ttl").read_text().replace('"Macron"^^', '"Macro"^^')
    with pytest.raises(GoldError, match="should read 'Macro'"):
        read_gold([_write(tmp_path, "n.ttl", nif)])
    with pytest.raises(GoldError, match="cannot parse"):
        read_gold([_write(tmp_path, "x.ttl", "this is not turtle <<<")])
    hipe = (DATA / "tiny.hipe.tsv").read_text().replace("B-PER", "B-PERSON")
    with pytest.raises(GoldError, match="unknown NE-COARSE-LIT tag"):
        read_gold([_write(tmp_path, "h.tsv", hipe)])


def test_eval_word_boundary():
    text = "Putins Berater und \"Merkel\" sowie Soviet-backed"
    assert word_boundary((0, 5), text) == (0, 6)
    assert word_boundary((20, 26), text) == (19, 27)  # quotes are joiners (ELEVANT): '"Merkel"' matches 'Merkel'
    assert word_boundary((3, 9), "x \"Merkel sagt") == (3, 9)  # an opening quote alone is dropped
    assert word_boundary((34, 40), text) == (34, 40)


def test_eval_hipe_reader_restores_separators_newseye_lost(tmp_path):
    """NewsEye marks line and sentence ends NoSpaceAfter: two word tokens, or a sentence end or a comma and a word, get a
    space back; a hyphenated line break ("Mün¬" + "chen") and punctuation stay joined."""
    rows = [("Italien", "B-LOC", "Q38", "NoSpaceAfter"), ("über", "O", "_", "_"), ("Ala", "B-LOC", "Q243644", "NoSpaceAfter"),
            ("Rovereto", "B-LOC", "Q279373", "NoSpaceAfter"), (",", "O", "_", "NoSpaceAfter"), ("Mün¬", "B-LOC", "Q1726", "NoSpaceAfter|EndOfLine"),
            ("chen", "I-LOC", "Q1726", "NoSpaceAfter"), (".", "O", "_", "NoSpaceAfter|EndOfSentence"), ("Am", "O", "_", "_"),
            ("5", "O", "_", "NoSpaceAfter"), (".", "O", "_", "_"), ("Juli", "O", "_", "NoSpaceAfter"), ("wohnhaft", "O", "_", "_")]
    text = "TOKEN\tNE-COARSE-LIT\tNE-COARSE-METO\tNE-FINE-LIT\tNE-FINE-METO\tNE-FINE-COMP\tNE-NESTED\tNEL-LIT\tNEL-METO\tMISC\n"
    text += "# hipe2022:document_id = n1\n# hipe2022:language = de\n"
    text += "".join(f"{tok}\t{tag}\t_\t_\t_\t_\t_\t{qid}\t_\t{misc}\n" for tok, tag, qid, misc in rows)
    doc = read_gold([_write(tmp_path, "n.tsv", text)])[0]
    assert doc.text == "Italien über Ala Rovereto, Mün¬chen. Am 5. Juli wohnhaft"
    assert [doc.text[m.start:m.end] for m in doc.mentions] == ["Italien", "Ala", "Rovereto", "Mün¬chen"]
