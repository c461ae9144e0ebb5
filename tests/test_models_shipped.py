"""kgbuild's shipped German pipeline (kgbuild/models/de_kgbuild_news): loads, tags, parses; meta and licence.

One model load (~1 s) for the whole module. The NER check is statistical on purpose: over several German
news sentences (none from the training data, none from the reference article) most persons and places
must be found; no single sentence must match exactly.
"""
from __future__ import annotations

import json

import pytest

from kgbuild.models import ModelInfo, clear_cache, load_pipeline
from kgbuild.models.discovery import SHIPPED_DIR, shipped_info

MODEL_DIR = SHIPPED_DIR / "de_kgbuild_news"
pytestmark = pytest.mark.skipif(not (MODEL_DIR / "meta.json").exists(), reason="de_kgbuild_news not built")

# (sentence, persons, places) — written for this test
SENTENCES = [
    ("Bundeskanzler Olaf Scholz traf am Montag in Paris den französischen Präsidenten Emmanuel Macron.",
     ["Olaf Scholz", "Emmanuel Macron"], ["Paris"]),
    ("Die Außenministerin Annalena Baerbock reiste nach Kiew, um mit Wolodymyr Selenskyj zu sprechen.",
     ["Annalena Baerbock", "Wolodymyr Selenskyj"], ["Kiew"]),
    ("Der Vorstandschef von Siemens, Roland Busch, kündigte in München neue Investitionen an.",
     ["Roland Busch"], ["München"]),
    ("In Brüssel beraten die Vertreter der Mitgliedsstaaten über neue Sanktionen gegen Russland.",
     [], ["Brüssel", "Russland"]),
    ("Nach Angaben von Polizeisprecherin Maria Schulz wurden in Hamburg drei Verdächtige festgenommen.",
     ["Maria Schulz"], ["Hamburg"]),
    ("UN-Generalsekretär António Guterres warnte in New York vor einer Hungersnot im Sudan.",
     ["António Guterres"], ["New York", "Sudan"]),
    ("Der Bürgermeister von Leipzig, Burkhard Jung, empfing den Botschafter Japans im Rathaus.",
     ["Burkhard Jung"], ["Leipzig"]),
]


@pytest.fixture(scope="module")
def nlp():
    clear_cache()
    nlp, info = load_pipeline("de", "de_kgbuild_news")
    assert isinstance(info, ModelInfo) and info.source == "kgbuild"
    return nlp


@pytest.fixture(scope="module")
def docs(nlp):
    return list(nlp.pipe(s for s, _, _ in SENTENCES))


def _found(doc, names, label):
    got = {e.text for e in doc.ents if e.label_ == label}
    return [n for n in names if any(n in g or g in n for g in got)]


def test_models_shipped_finds_most_persons_and_places(docs):
    persons = sum(len(p) for _, p, _ in SENTENCES)
    places = sum(len(loc) for _, _, loc in SENTENCES)
    found_per = sum(len(_found(d, p, "PER")) for d, (_, p, _) in zip(docs, SENTENCES, strict=True))
    found_loc = sum(len(_found(d, loc, "LOC")) for d, (_, _, loc) in zip(docs, SENTENCES, strict=True))
    assert found_per >= 0.7 * persons, [[(e.text, e.label_) for e in d.ents] for d in docs]
    assert found_loc >= 0.7 * places, [[(e.text, e.label_) for e in d.ents] for d in docs]


def test_models_shipped_labels_are_kgbuild_types(nlp, docs):
    assert set(nlp.get_pipe("ner").labels) == {"PER", "LOC", "ORG", "MISC"}
    assert all(e.label_ in ("PER", "LOC", "ORG", "MISC") for d in docs for e in d.ents)
    # the gazetteer feature is cleared after the NER: entities carry no stray ids
    assert all(not t.ent_id for d in docs for t in d)


def test_models_shipped_parses_tags_and_lemmatizes(docs):
    for doc in docs:
        assert doc.has_annotation("DEP") and doc.has_annotation("POS") and doc.has_annotation("LEMMA")
        roots = [t for t in doc if t.dep_ == "ROOT"]
        assert len(roots) == len(list(doc.sents)) >= 1
    tokens = [t for d in docs for t in d]
    punct = [t for t in tokens if t.text in {".", ","}]
    assert sum(t.pos_ == "PUNCT" for t in punct) >= 0.9 * len(punct)
    assert sum(t.pos_ in ("PROPN", "NOUN") for t in tokens if t.text in {"Paris", "Kiew", "Siemens"}) >= 2


def test_models_shipped_meta_and_licence():
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["lang"] == "de" and meta["license"] == "CC BY-SA 4.0"
    assert {"ner", "parser"} <= set(meta["pipeline"])
    assert any("GermEval" in s["name"] for s in meta["sources"]) and any("UD" in s["name"] for s in meta["sources"])
    licence = (MODEL_DIR / "LICENSE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in licence and "GermEval" in licence
    scores = meta["heldout_scores"]
    assert 0.3 < scores["germeval_dev"]["ents_f"] <= 1.0 and 0.3 < scores["gsd_dev"]["dep_las"] <= 1.0
    info = shipped_info("de")
    assert info.has_ner and info.has_parser and info.version == meta["version"]


def test_models_shipped_is_small_and_has_no_vectors(nlp):
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    # the issue aimed at < 20 MB; 0.2.0 is 26.8 MB because its NER keeps its own tok2vec (+0.9 F1 on GermEval dev
    # over the one-tok2vec model, see MODEL-CARD.md): this bound guards against further growth
    assert size < 28 * 1024 * 1024
    assert nlp.vocab.vectors.shape[0] == 0


def test_models_shipped_finds_unknown_persons_in_kgbuild_pipeline():
    """With the model, kgbuild's pipeline keeps persons the KB has never heard of, found by the NER."""
    from pathlib import Path

    from kgbuild.pipeline import Pipeline
    from kgbuild.types import Article

    text = (Path(__file__).resolve().parents[1] / "examples" / "astana-aralsee.de.txt").read_text(encoding="utf-8")
    result = Pipeline(model="de_kgbuild_news").process(Article(id="nil-persons", text=text, lang="de"))
    unlinked = {e.key for e in result.entities if e.qid is None and e.type == "PER"}
    by_ner = [m for m in result.mentions if "ner" in m.source and m.type == "PER" and m.entity_key in unlinked]
    assert len(unlinked) >= 3
    assert any(" " in m.text for m in by_ner), [(m.text, m.source) for m in result.mentions]
