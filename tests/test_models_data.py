"""Training-data readers and the gazetteer feature component of kgbuild's German model (fast, no model)."""
from __future__ import annotations

import pytest
import spacy
from spacy.training import Example

from kgbuild.errors import InputError
from kgbuild.models.corpora import map_label, read_ner_docs
from kgbuild.models.gazetteer import Gazetteer

GERMEVAL = (
    "#\thttp://example.org/a\t[2009-10-23]\n"
    "1\tWladimir\tB-PER\tO\n2\tPutin\tI-PER\tO\n3\treist\tO\tO\n4\tnach\tO\tO\n5\tPjöngjang\tB-LOC\tO\n"
    "6\t.\tO\tO\n\n"
    "#\thttp://example.org/b\t[2009-10-24]\n"
    "1\tDie\tO\tO\n2\trussische\tB-LOCderiv\tO\n3\tEU-Politik\tB-ORGpart\tO\n4\tder\tO\tO\n"
    "5\tVereinten\tB-ORG\tO\n6\tNationen\tI-ORG\tO\n7\tund\tO\tO\n8\tder\tO\tO\n9\tSpiegel\tB-OTH\tO\n\n"
)
HIPE = (
    "TOKEN\tNE-COARSE-LIT\tNE-COARSE-METO\tNE-FINE-LIT\tNE-FINE-METO\tNE-FINE-COMP\tNE-NESTED\tNEL-LIT\tNEL-METO\tMISC\n"
    "# hipe2022:document_id = x\n"
    "Berlin\tB-LOC\t_\t_\t_\t_\t_\tQ64\t_\t_\n,\tO\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "den\tO\t_\t_\t_\t_\t_\t_\t_\t_\n22\tO\t_\t_\t_\t_\t_\t_\t_\t_\n.\tO\t_\t_\t_\t_\t_\t_\t_\tEndOfSentence\n"
    "Dr\tO\t_\t_\t_\t_\t_\t_\t_\t_\nKlee\tB-PER\t_\t_\t_\t_\t_\tNIL\t_\tEndOfSentence\n"
)


@pytest.mark.parametrize("tag, variants, expected", [
    ("O", "drop", "O"), ("B-PER", "drop", "B-PER"), ("I-OTH", "drop", "I-MISC"), ("B-LOCderiv", "drop", "O"),
    ("B-ORGpart", "drop", "O"), ("B-LOCderiv", "misc", "B-MISC"), ("I-PERpart", "misc", "I-MISC"),
    ("B-HumanProd", "drop", "B-MISC"),
])
def test_models_map_label(tag, variants, expected):
    assert map_label(tag, variants) == expected


@pytest.mark.parametrize("tag", ["X-PER", "B-", "B-FOO"])
def test_models_map_label_rejects_malformed(tag):
    with pytest.raises(InputError):
        map_label(tag)


def test_models_read_germeval(tmp_path):
    path = tmp_path / "ge.tsv"
    path.write_text(GERMEVAL, encoding="utf-8")
    docs = read_ner_docs(path, spacy.blank("de").vocab, "germeval")
    assert len(docs) == 2
    assert [(e.text, e.label_) for e in docs[0].ents] == [("Wladimir Putin", "PER"), ("Pjöngjang", "LOC")]
    assert [(e.text, e.label_) for e in docs[1].ents] == [("Vereinten Nationen", "ORG"), ("Spiegel", "MISC")]
    # every token is annotated: "O" (not missing) outside entities, so the NER learns what is no name
    assert all(t.ent_iob_ in ("B", "I", "O") for d in docs for t in d)
    misc = read_ner_docs(path, spacy.blank("de").vocab, "germeval", variants="misc")
    assert ("russische", "MISC") in [(e.text, e.label_) for e in misc[1].ents]


def test_models_read_germeval_rejects_broken_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("#\tx\n1 Putin B-PER\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.tsv:2"):
        read_ner_docs(path, spacy.blank("de").vocab)


def test_models_read_hipe(tmp_path):
    path = tmp_path / "hipe.tsv"
    path.write_text(HIPE, encoding="utf-8")
    docs = read_ner_docs(path, spacy.blank("de").vocab, "hipe")
    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == [[("Berlin", "LOC")], [("Klee", "PER")]]


def _gazetteer():
    gaz = Gazetteer()
    for name, tag in [("Kim Jong-un", "PER"), ("Kim", "GIVEN"), ("Nordkorea", "LOC"), ("Russland", "LOC"),
                      ("Vereinte Nationen", "ORG")]:
        gaz.add(name.split(), tag)
    return gaz


def test_models_gazetteer_marks_known_names():
    nlp = spacy.blank("de")
    doc = _gazetteer()(nlp("Kim Jong-un empfängt Gäste aus Russlands Hauptstadt in Nordkorea ."))
    feats = {t.text: t.ent_id_ for t in doc if t.ent_id_}
    assert feats == {"Kim": "BGIVEN|BPER", "Jong-un": "IPER", "Russlands": "BLOC", "Nordkorea": "BLOC"}


def test_models_gazetteer_ignores_lower_case_words():
    gaz = Gazetteer()
    gaz.add(["Essen"], "LOC")
    doc = gaz(spacy.blank("de")("Wir essen in Essen"))
    assert [t.ent_id_ for t in doc] == ["", "", "", "BLOC"]


def test_models_gazetteer_round_trip_and_reset(tmp_path):
    nlp = spacy.blank("de")
    gaz = _gazetteer()
    gaz.to_disk(tmp_path / "gaz")
    loaded = Gazetteer().from_disk(tmp_path / "gaz")
    assert loaded.entries == gaz.entries
    doc = loaded(nlp("Kim Jong-un"))
    assert doc[1].ent_id_ == "IPER"
    reset = nlp.add_pipe("kgbuild_gazetteer_reset")
    assert all(not t.ent_id for t in reset(doc))


def test_models_gazetteer_initialize_drops_common_words(tmp_path):
    names = tmp_path / "names.tsv"
    names.write_text("Das\tORG\nKim Jong-un\tPER\nDarin\tGIVEN\n", encoding="utf-8")
    nlp = spacy.blank("de")
    texts = ["das Haus und das Boot", "darin war nichts , darin nicht"]
    examples = [Example(nlp.make_doc(t), nlp.make_doc(t)) for t in texts]
    gaz = nlp.add_pipe("kgbuild_gazetteer")
    gaz.initialize(lambda: examples, nlp=nlp, path=str(names))
    assert set(gaz.entries) == {("kim", "jong-un")}


def test_models_read_ler_coarse_types_and_unannotated_norms(tmp_path):
    path = tmp_path / "ler.conll"
    path.write_bytes("Der O\r\nBGH B-GRT\r\nwies O\r\nnach O\r\n§ B-GS\r\n823 I-GS\r\nBGB I-GS\r\nRichter B-RR\r\nMüller I-RR\r\n"
                     "ab O\r\n\r\nIn O\r\nBerlin B-ST\r\n. O\r\n".encode("utf-8"))
    docs = read_ner_docs(path, spacy.blank("de").vocab, "ler")
    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == [[("BGH", "ORG"), ("Richter Müller", "PER")],
                                                                    [("Berlin", "LOC")]]
    # the law citation is neither an entity nor "outside": missing, so the NER is not taught either way
    assert [t.ent_iob_ for t in docs[0][4:7]] == ["", "", ""] and docs[0][3].ent_iob_ == "O"
    path.write_text("Der O\nBGH B-XYZ\n", encoding="utf-8")
    assert read_ner_docs(path, spacy.blank("de").vocab, "ler")[0][1].ent_iob_ == ""  # unknown fine type: missing
    path.write_text("Der O extra\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected 'token TAG'"):
        read_ner_docs(path, spacy.blank("de").vocab, "ler")


def test_models_name_swap_augmenter_keeps_contexts_and_types(tmp_path):
    import random

    from spacy.tokens import Doc, DocBin

    from kgbuild.models.augment import create_name_swap, swap_names

    nlp = spacy.blank("de")
    docs = [Doc(nlp.vocab, words="Angela Merkel besuchte Paris .".split(), ents=["B-PER", "I-PER", "O", "B-LOC", "O"]),
            Doc(nlp.vocab, words="Scholz flog nach Rom".split(), ents=["B-PER", "O", "O", "B-LOC"])]
    DocBin(docs=docs).to_disk(tmp_path / "train.spacy")
    pool = {"PER": [("Olaf", "Scholz")], "LOC": [("Rom",)]}
    swapped = swap_names(docs[0], pool, random.Random(0))
    assert swapped.text.strip() == "Olaf Scholz besuchte Rom ."
    assert [(e.text, e.label_) for e in swapped.ents] == [("Olaf Scholz", "PER"), ("Rom", "LOC")]
    assert swap_names(Doc(nlp.vocab, words=["nichts"], ents=["O"]), pool, random.Random(0)) is None
    augment = create_name_swap(str(tmp_path), level=1.0)
    out = list(augment(nlp, Example(nlp.make_doc(docs[0].text), docs[0])))
    assert len(out) == 2 and out[0].reference is docs[0]
    assert {e.label_ for e in out[1].reference.ents} == {"PER", "LOC"}
    assert out[1].reference.text.strip().endswith(" .") and "besuchte" in [t.text for t in out[1].reference]


def test_models_gazetteer_names_from_the_kb():
    from kgbuild.models.gazetteer_build import kb_names

    names = dict(kb_names())
    assert names.get("Wladimir Putin") == "PER" and names.get("Moskau") == "LOC"
    assert set(names.values()) <= {"PER", "LOC", "ORG"}
    assert "russisch" not in names  # adjectives (demonyms) are no names
