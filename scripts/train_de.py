#!/usr/bin/env python3
"""Train kgbuild's own German pipeline (``de_kgbuild_news``) from the shared, openly licensed data.

Steps (each a sub-command; ``all`` runs them in order):

  convert   ../shared/data -> training/corpus/*.spacy (GermEval test = NER train, GermEval dev = NER dev,
            UD GSD test + PUD test = UD train, GSD dev = UD dev; optional HIPE sonar) + the gazetteer
  train     spacy train training/configs/<config>.cfg -> training/output/<config>/
  evaluate  held-out scores of a trained pipeline (GermEval dev NER per type; GSD dev POS/morph/UAS/LAS; lemmas)
  combine   morphologizer + parser of one pipeline + NER (and gazetteer) of another (NER-only experiments)
  assemble  copy a trained pipeline into kgbuild/models/de_kgbuild_news (trained lemmatizer -> simplemma),
            score it on the held-out data, write kgbuild's meta (sources, licence, scores) and LICENSE.md

Never trained on: GermEval dev, GSD dev (held out for scores), de_lit-ud-test (non-commercial),
smartdata_de (research-only annotations). No pretrained vectors are used. Example::

    python scripts/train_de.py all --config de_news
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("KGBUILD_SHARED_DATA", ROOT.parent / "shared" / "data"))
CORPUS = ROOT / "training" / "corpus"
OUTPUT = ROOT / "training" / "output"
CONFIGS = ROOT / "training" / "configs"
SHIPPED = ROOT / "kgbuild" / "models" / "de_kgbuild_news"
log = logging.getLogger("train_de")


def _save(docs, path: Path) -> None:
    from spacy.tokens import DocBin

    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    log.info("wrote %s (%d docs, %d tokens)", path, len(docs), sum(len(d) for d in docs))


def _ud_docs(vocab, files: list[Path]):
    from spacy.training.converters import conllu_to_docs

    docs = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for doc in conllu_to_docs(text, n_sents=10, merge_subtokens=True, no_print=True):
            docs.append(doc)
    return docs


def convert(args) -> None:
    """Shared data -> DocBin files under training/corpus/ (train and dev folders per experiment)."""
    import spacy

    from kgbuild.models.corpora import read_ner_docs

    if not (DATA / "germeval2014_ner").is_dir():
        raise SystemExit(f"train_de: shared data not found in {DATA}; set KGBUILD_SHARED_DATA to the data folder")
    vocab = spacy.blank("de").vocab
    ge, ud, hipe = DATA / "germeval2014_ner", DATA / "ud_german", DATA / "hipe2022_de"
    for variants in ("drop", "misc"):  # GermEval *deriv/*part -> O (default, shipped) or -> MISC (measured)
        suffix = "" if variants == "drop" else f"-{variants}"
        _save(read_ner_docs(ge / "NER-de-test.tsv", vocab, "germeval", variants),
              CORPUS / f"ner-train{suffix}" / "germeval.spacy")
        _save(read_ner_docs(ge / "NER-de-dev.tsv", vocab, "germeval", variants),
              CORPUS / f"ner-dev{suffix}" / "germeval.spacy")
    sonar = [d for f in sorted(hipe.glob("*sonar*-de.tsv")) for d in read_ner_docs(f, vocab, "hipe")]
    _save(sonar, CORPUS / "sonar" / "sonar.spacy")
    ler_dir = DATA / "ler_legal_ner_de"
    if ler_dir.is_dir():  # legal NER (CC BY): only sentences with a person/place/organisation, measured as extra data
        ler = [d for f in sorted(ler_dir.glob("ler_*.conll")) for d in read_ner_docs(f, vocab, "ler")]
        _save([d for d in ler if d.ents], CORPUS / "ler" / "ler.spacy")
    _save(_ud_docs(vocab, [ud / "de_gsd-ud-test.conllu", ud / "de_pud-ud-test.conllu"]), CORPUS / "ud-train" / "ud.spacy")
    _save(_ud_docs(vocab, [ud / "de_gsd-ud-dev.conllu"]), CORPUS / "ud-dev" / "gsd-dev.spacy")
    # folders that mix corpora for multi-task training (spacy.Corpus reads every .spacy file in a folder)
    for name, parts in {"mt-train": ["ner-train", "ud-train"], "mt-dev": ["ner-dev", "ud-dev"],
                        "ner-sonar-train": ["ner-train", "sonar"], "mt-sonar-train": ["ner-train", "ud-train", "sonar"],
                        "ner-ler-train": ["ner-train", "ler"], "mt-ler-train": ["ner-train", "ud-train", "ler"]}.items():
        target = CORPUS / name
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for part in parts:
            for f in (CORPUS / part).glob("*.spacy"):
                shutil.copy(f, target / f"{part}-{f.name}")
    _raw_text(CORPUS / "raw.jsonl")
    from kgbuild.models.gazetteer_build import build_gazetteer

    build_gazetteer(DATA, CORPUS / "gazetteer.tsv")  # shipped
    build_gazetteer(DATA, CORPUS / "gazetteer-v2.tsv", extra=True)  # measured: no gain
    build_gazetteer(DATA, CORPUS / "gazetteer-kb.tsv", kb=True)  # + the names of kgbuild's compiled KB


def _raw_text(path: Path) -> None:
    """Unlabelled German sentences for ``spacy pretrain`` (JSONL ``{"text": ...}``), from training data only:
    LER (all sentences), GermEval test, UD GSD test + PUD test, HIPE-2022 sonar + newseye test splits. Scored
    sets (GermEval dev, GSD dev, HIPE dev) and research-only / non-commercial text (SmartData, UD LIT) are left out."""
    from kgbuild.models.corpora import read_germeval_sentences, read_hipe_sentences, read_ler_sentences

    sources = [(f, read_ler_sentences) for f in sorted((DATA / "ler_legal_ner_de").glob("ler_*.conll"))]
    sources.append((DATA / "germeval2014_ner" / "NER-de-test.tsv", read_germeval_sentences))
    # HIPE test splits only: the dev splits are scored (docs/EVALUATION.md, the model card's comparison)
    sources += [(f, read_hipe_sentences) for f in sorted((DATA / "hipe2022_de").glob("*-test-de.tsv"))]
    n_words = 0
    with open(path, "w", encoding="utf-8") as out:
        for f, reader in sources:
            for words, _ in reader(f):
                out.write(json.dumps({"text": " ".join(words)}, ensure_ascii=False) + "\n")
                n_words += len(words)
        for f in (DATA / "ud_german" / "de_gsd-ud-test.conllu", DATA / "ud_german" / "de_pud-ud-test.conllu"):
            for line in open(f, encoding="utf-8"):
                if line.startswith("# text = "):
                    text = line[len("# text = "):].strip()
                    out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                    n_words += len(text.split())
    log.info("wrote %s (%d words of raw text for pretraining)", path, n_words)


def pretrain(args) -> None:
    """Run ``spacy pretrain`` (niced) on the raw text with the tok2vec of ``--config`` -> training/output/pretrain-<name>/."""
    cfg = CONFIGS / f"{args.config}.cfg"
    out = OUTPUT / f"pretrain-{args.name or args.config}"
    cmd = ["nice", "-n", "10", sys.executable, "-m", "spacy", "pretrain", str(cfg), str(out),
           "--code", str(ROOT / "training" / "code.py"), *args.overrides]
    log.info("running %s", " ".join(cmd))
    subprocess.run(cmd, check=True, cwd=ROOT)


def train(args) -> None:
    """Run ``spacy train`` (niced) on one config; extra ``--key value`` overrides go to spaCy."""
    cfg = CONFIGS / f"{args.config}.cfg"
    out = OUTPUT / (args.name or args.config)
    cmd = ["nice", "-n", "10", sys.executable, "-m", "spacy", "train", str(cfg), "--output", str(out),
           "--code", str(ROOT / "training" / "code.py"), *args.overrides]
    log.info("running %s", " ".join(cmd))
    subprocess.run(cmd, check=True, cwd=ROOT)


def heldout_scores(model: Path) -> dict:
    """Scores of the pipeline folder ``model`` on GermEval dev (NER) and GSD dev (POS, morph, UAS, LAS, sents)."""
    import simplemma
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example

    import kgbuild.models.gazetteer  # noqa: F401  (registers the component)
    import kgbuild.nlp  # noqa: F401  (registers kgbuild_lemmatizer)

    nlp = spacy.load(model)
    scores = {}
    for name, folder, keys in (("germeval_dev", "ner-dev", ("ents_p", "ents_r", "ents_f", "ents_per_type")),
                               ("gsd_dev", "ud-dev", ("pos_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las",
                                                      "sents_f"))):
        docs = [d for f in sorted((CORPUS / folder).glob("*.spacy")) for d in DocBin().from_disk(f).get_docs(nlp.vocab)]
        result = nlp.evaluate([Example(nlp.make_doc(d.text), d) for d in docs])
        scores[name] = {k: result.get(k) for k in keys if result.get(k) is not None}
        scores[name]["speed_wps"] = round(result.get("speed", 0.0))
    # lemmas of simplemma (what kgbuild_lemmatizer sets) on the same GSD dev tokens
    pairs = [(t.text, t.lemma_) for f in sorted((CORPUS / "ud-dev").glob("*.spacy"))
             for d in DocBin().from_disk(f).get_docs(nlp.vocab) for t in d if t.lemma_]
    scores["gsd_dev"]["simplemma_lemma_acc"] = sum(simplemma.lemmatize(w, lang="de") == g for w, g in pairs) / len(pairs)
    return scores


def evaluate(args) -> None:
    """Held-out scores of a trained pipeline -> JSON on stdout and ``<model>/heldout-scores.json``."""
    model = Path(args.model) if args.model else OUTPUT / (args.name or args.config) / "model-best"
    text = json.dumps(heldout_scores(model), indent=2)
    (model / "heldout-scores.json").write_text(text + "\n", encoding="utf-8")
    print(text)


def combine(args) -> None:
    """``--model`` (morphologizer + parser) + the NER of ``--ner-model`` -> ``training/output/<name>/model-best``.

    Components named in ``--drop`` (default: the edit-tree lemmatizer, which simplemma beats) are removed.
    """
    import spacy

    import kgbuild.models.gazetteer  # noqa: F401

    base, ner = spacy.load(args.model), spacy.load(args.ner_model)
    if "tok2vec" in ner.pipe_names:  # the NER listens to a shared tok2vec: give it its own copy first
        ner.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    for name in list(base.pipe_names):
        if name in ("kgbuild_gazetteer", "ner", "kgbuild_gazetteer_reset", *args.drop):
            base.remove_pipe(name)
    base.add_pipe("kgbuild_gazetteer", source=ner, first=True)
    base.add_pipe("ner", source=ner)
    base.add_pipe("kgbuild_gazetteer_reset")
    out = OUTPUT / (args.name or "combined") / "model-best"
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    base.to_disk(out)
    _finalise(out, args.drop)
    log.info("combined %s + NER of %s -> %s: %s", args.model, args.ner_model, out, base.pipe_names)


def assemble(args) -> None:
    """Copy a trained pipeline into the package as ``de_kgbuild_news`` with meta, licence and scores."""
    src = Path(args.model) if args.model else OUTPUT / (args.name or args.config) / "model-best"
    tmp = SHIPPED.with_name(SHIPPED.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp)
    _finalise(tmp, args.drop)
    scores = heldout_scores(tmp)  # of what is shipped: after _finalise
    meta = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
    meta.update({
        "name": "kgbuild_news", "lang": "de", "version": args.version,
        "description": "kgbuild's German news pipeline: NER (PER/LOC/ORG/MISC), morphology, lemmas, dependencies. "
                       "Trained on GermEval 2014 (test split) and UD German GSD+PUD (test splits); no vectors.",
        "author": "kgbuild developers", "license": "CC BY-SA 4.0",
        "sources": [
            {"name": "GermEval 2014 NER (NER-de-test.tsv)", "license": "CC BY 4.0",
             "author": "Benikova, Biemann, Reznicek (NoSta-D)"},
            {"name": "UD German GSD (test split)", "license": "CC BY-SA 4.0", "author": "Universal Dependencies"},
            {"name": "UD German PUD (test split)", "license": "CC BY-SA 3.0", "author": "Universal Dependencies"},
            {"name": "Gazetteer: EveryPolitician/Wikidata names (CC0), Natural Earth places (public domain), "
                     "Wikidata country aliases (CC0), Party Facts (MIT)", "license": "see LICENSE.md"},
        ],
        "heldout_scores": scores,
    })
    from spacy.util import load_config

    cfg = load_config(src / "config.cfg", interpolate=False)  # how the pipeline was trained
    if "gazetteer-kb" in str(cfg["paths"].get("gazetteer", "")):
        meta["sources"][3] = {
            "name": "Gazetteer: EveryPolitician/Wikidata names (CC0), Natural Earth places (public domain), Wikidata "
                    "country aliases (CC0), Party Facts (MIT) and the German/English names of kgbuild's compiled KB "
                    "(dr5hn and mledoze: ODbL-1.0; SupraVerden: CC BY-SA 4.0)",
            "license": "the name list is ODbL-1.0; see LICENSE.md"}
    ner_t2v = cfg["components"].get("ner", {}).get("model", {}).get("tok2vec", {})
    if "Listener" not in str(ner_t2v.get("@architectures", "Listener")):
        meta["description"] += (" The NER has its own tok2vec (trained NER-only, config ner_t2v); morphologizer and"
                                " parser share the multi-task one.")
    if _pretrained(cfg):
        meta["description"] += " The tok2vec was pretrained (spacy pretrain, characters objective) on raw text."
        meta["sources"].append(
            {"name": "Raw text for tok2vec pretraining only: German Legal Entity Recognition (LER) dev+test sentences, "
                     "HIPE-2022 sonar+newseye (de) test splits, GermEval 2014 test, UD German GSD+PUD test", "license":
                     "CC BY 4.0 (LER, HIPE-2022, GermEval); CC BY-SA (UD)"})
    meta.pop("performance", None)
    (tmp / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "training" / "LICENSE-MODEL.md", tmp / "LICENSE.md")
    for junk in ("heldout-scores.json",):
        (tmp / junk).unlink(missing_ok=True)
    shutil.rmtree(SHIPPED, ignore_errors=True)
    os.replace(tmp, SHIPPED)
    size = sum(p.stat().st_size for p in SHIPPED.rglob("*") if p.is_file())
    log.info("assembled %s (%.1f MB)", SHIPPED, size / 1e6)


def _pretrained(cfg) -> bool:
    """Whether a pipeline's (uninterpolated) config says it was initialised from ``spacy pretrain`` weights."""
    return cfg["initialize"].get("init_tok2vec") not in (None, "null") and \
        cfg["paths"].get("init_tok2vec") not in (None, "null")


def _finalise(folder: Path, drop: list[str]) -> None:
    """In place: remove components (e.g. the trained lemmatizer) and add simplemma lemmas (kgbuild.nlp)."""
    import spacy

    import kgbuild.models.gazetteer  # noqa: F401
    import kgbuild.nlp  # noqa: F401  (registers kgbuild_lemmatizer)

    nlp = spacy.load(folder)
    for name in drop:
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    if "trainable_lemmatizer" not in nlp.pipe_names and "kgbuild_lemmatizer" not in nlp.pipe_names:
        nlp.add_pipe("kgbuild_lemmatizer")
    shutil.rmtree(folder)
    nlp.to_disk(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=("convert", "pretrain", "train", "evaluate", "combine", "assemble", "all"))
    parser.add_argument("--config", default="de_news", help="config name in training/configs/ (default de_news)")
    parser.add_argument("--name", help="output folder name under training/output/ (default: the config name)")
    parser.add_argument("--model", help="trained pipeline folder (evaluate/assemble; default: the config's model-best)")
    parser.add_argument("--ner-model", help="combine: the pipeline whose NER (and gazetteer) to take")
    parser.add_argument("--drop", nargs="*", default=["trainable_lemmatizer"],
                        help="combine/assemble: components to remove (default: trainable_lemmatizer)")
    parser.add_argument("--version", default="0.1.0", help="version written into the shipped meta.json")
    args, overrides = parser.parse_known_args(argv)
    args.overrides = overrides
    logging.basicConfig(level=logging.INFO, format="train_de: %(message)s")
    steps = ("convert", "train", "assemble") if args.step == "all" else (args.step,)
    for step in steps:
        globals()[step](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
