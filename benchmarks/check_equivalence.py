"""Check that kgbuild's replacements of spaCy's hot loops give spaCy's own annotations, on many real texts.

kgbuild's statistical pipeline (``kgbuild.nlp.get_pipeline``) runs spaCy's components with four of them
replaced by code that must give exactly their results: the attribute ruler and the rule lemmatizer
(``memo_ruler``, ``memo_lemmatizer``), the embedding layers of the tok2vec models (``memo_embed``), the NER's
transition loop (``greedy_ner``), the model's tokenizer loaded without spaCy's default special cases first
(``models.loading``), and the parser driven from Python on chosen sentences (``nlp.SentenceParser``).
This script loads the same model a second time with plain ``spacy.load`` and kgbuild's added components
only (line breaks, sentencizer, long sentences, simplemma lemmas: ``_prepare_statistical`` with the
replacements switched off) and compares, document by document:

* ``full``: kgbuild's pipeline with its parser in place vs the real one: tokens (text, offset, white space),
  sentence starts, heads, dependency labels, tags, POS, morphology, lemmas, entities (IOB, label, KB id, id),
  ``doc.tensor`` (the shared tok2vec's output, bit for bit).
* ``deferred``: kgbuild's pipeline without the parser, then ``SentenceParser.parse_many`` on a random half
  of the sentences (all of them in one round): the parsed sentences must have every attribute of the real
  pipeline; the others no dependency label; tokens, sentence starts, entities and tensor everywhere.

Each round uses another batch size. Third-party texts are read from ``/work/shared/data`` (internal
measurement only, nothing is written). Usage::

    PYTHONPATH=$PWD python benchmarks/check_equivalence.py --lang de --max-docs 500 --batch-sizes 1,16,128
    PYTHONPATH=$PWD python benchmarks/check_equivalence.py --hostile   # the written hostile texts only
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy  # noqa: E402
import spacy  # noqa: E402
from corpus import ELEVANT, EXAMPLES, SHARED_DATA, elevant_texts, json_objects  # noqa: E402
from spacy.attrs import DEP, ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG  # noqa: E402

ATTRS = [HEAD, DEP, TAG, POS, MORPH, LEMMA]
ENTS = [ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]
SENTS_PER_DOC = 12


# ---------------------------------------------------------------------------------------------- texts
def _join(words: list[str]) -> str:
    return " ".join(words)


def _grouped(sentences: list[str], size: int = SENTS_PER_DOC, sep: str = " ") -> list[str]:
    return [sep.join(sentences[i:i + size]) for i in range(0, len(sentences), size)]


def german_texts() -> dict[str, list[str]]:
    from kgbuild.evaluation.read_hipe import read_hipe
    from kgbuild.models.corpora import read_germeval_sentences, read_hipe_sentences, read_ler_sentences  # noqa: F401

    out: dict[str, list[str]] = {}
    ge = []
    for name in ("NER-de-dev.tsv", "NER-de-test.tsv"):
        ge += [_join(w) for w, _ in read_germeval_sentences(SHARED_DATA / "germeval2014_ner" / name)]
    out["germeval2014"] = _grouped(ge)
    ud = []
    for path in sorted((SHARED_DATA / "ud_german").glob("*.conllu")):
        ud += [line[9:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# text = ")]
    out["ud_german"] = _grouped(ud, sep="\n")  # one sentence a line, as the sentencizer sees line breaks
    ler = []
    for name in ("ler_dev.conll", "ler_test.conll"):
        ler += [_join(w) for w, _ in read_ler_sentences(SHARED_DATA / "ler_legal_ner_de" / name)]
    out["ler_legal"] = _grouped(ler)
    sd = []
    for name in ("dev.json.gz", "test.json.gz"):
        for obj in json_objects(SHARED_DATA / "smartdata_de" / name):
            text = obj.get("text")
            sd.append(text.get("string", "") if isinstance(text, dict) else str(text or ""))
    out["smartdata"] = sd
    hipe = []
    for path in sorted((SHARED_DATA / "hipe2022_de").glob("*.tsv")):
        hipe += [d.text for d in read_hipe(path)]
    out["hipe2022"] = hipe
    out["examples"] = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.de.txt"))]
    # documents of names: Bundestag members with their Wikidata descriptions (OpenParliamentTV)
    people = [json.loads(line) for line in gzip.open(SHARED_DATA / "openparliamenttv-de" / "persons.jsonl.gz", "rt")]
    lines = [f"{p.get('label_de', '')} ({p.get('description_de', '')}) sprach am {','.join(p.get('birth_date', []))}."
             for p in people]
    out["parliament_names"] = _grouped(lines, size=8, sep="\n")
    return out


def english_texts() -> dict[str, list[str]]:
    out = {"elevant": elevant_texts(ELEVANT)}
    # the benchmark corpus's articles: consecutive ELEVANT texts joined (as benchmarks/corpus.py does)
    rng = random.Random(7)
    pool = list(out["elevant"])
    rng.shuffle(pool)
    out["elevant_joined"] = ["\n\n".join(pool[i:i + 8]) for i in range(0, len(pool), 8)]
    for seed in (8, 9, 10):  # the same texts in other company (other batches, other neighbours)
        rng = random.Random(seed)
        rng.shuffle(pool)
        out["elevant_joined"] += [" ".join(pool[i:i + seed - 5]) for i in range(0, len(pool), seed - 5)]
    out["examples"] = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.en.txt"))]
    # documents of names: research organisations with city, country, acronym, labels in other scripts (ROR)
    lines = []
    for line in gzip.open(SHARED_DATA / "ror" / "ror_wikidata.jsonl.gz", "rt"):
        r = json.loads(line)
        loc = (r.get("locations") or [{}])[0]
        other = "; ".join(lab["v"] for lab in r.get("labels", []) if lab.get("lang") != "en")
        lines.append(f"{r['name']} ({', '.join(r.get('acronyms', []))}) in {loc.get('city', '')}, "
                     f"{loc.get('country', '')}, also {other}, since {r.get('established', '')}.")
        if len(lines) >= 20_000:
            break
    out["ror_names"] = _grouped(lines, size=8, sep="\n")
    return out


def hostile_texts(lang: str) -> list[str]:
    """Texts written to break things: empty, white space only, one token, very long without punctuation,
    line breaks and tabs, emoji, combining marks, right-to-left, control characters, all caps, only names."""
    names = (["Angela Merkel", "Olaf Scholz", "Berlin", "Deutsche Bank", "Frankfurt am Main", "Europäische Union"]
             if lang == "de" else ["Barack Obama", "Angela Merkel", "New York City", "Goldman Sachs", "London",
                                   "United Nations"])
    word = "Haus" if lang == "de" else "house"
    rng = random.Random(11)
    texts = [
        "", " ", "  ", "\n", "\n\n\n", "\t", " \t \n ", "\u00a0", "\u2028", "\u3000",
        "a", ".", "X", names[0], names[2], "!!!", "—",
        " ".join(rng.choice(["der", "die", word, "und", names[1].split()[0], "Berlin", "mit", "Bank"])
                 for _ in range(3000)),
        "\n".join(["", "", word, "\t\t", names[0], "", "\n", names[2] + "\t" + names[3], "", ""]),
        "\t".join(names) + "\n" + "\n\t\n".join(names),
        f"{names[0]} 😀🎉 besucht {names[2]} 👍🏽👨‍👩‍👧. 🇩🇪🇺🇸 {names[3]} ❤️",
        f"Ame\u0301lie und Zoe\u0308 trafen Re\u0301my in Pa\u0301ris. N\u0303\u0330o\u0308\u0301 {names[1]}.",
        f"{names[0]} sagte: \u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd und \u0645\u0631\u062d\u0628\u0627 "
        f"\u0628\u0627\u0644\u0639\u0627\u0644\u0645 in {names[2]}. \u202eabc\u202c \u200f{names[4]}\u200e.",
        f"{names[0]}\u200b{names[2]} \u200d{names[3]}\ufeff. Zeile\u0085weiter \u000bvert\u000cpage {names[1]}.",
        (" ".join(names) + ". ").upper() * 5,
        f"{names[0].upper()} AND {names[1].upper()} MET IN {names[2].upper()} ON MONDAY.",
        ", ".join(names * 10),
        "\n".join(names * 5),
        " ".join(names * 8),
        "\u00ad".join(["Bundes", "kanzler", names[1]]) + ".",
        "http://example.org/a?b=c " + names[0] + " mail@example.org @user #tag 12.03.2024 3,5 % 10:30",
        "(" * 50 + names[0] + ")" * 50,
        "\u0130stanbul \u0131\u0130 ß ẞ ﬁ ﬃ Ⅻ ① ² ½ " + names[2],
        "\U0001d400\U0001d401 \U00010000 \ue000 " + names[0],
    ]
    return texts


def long_text(n_tokens: int, lang: str) -> str:
    rng = random.Random(5)
    vocab = (["der", "die", "das", "Haus", "Merkel", "Berlin", "und", "Bank", "Scholz", "geht", "nach", "Paris"]
             if lang == "de" else ["the", "a", "house", "Obama", "London", "and", "bank", "Smith", "goes", "to",
                                   "Paris", "United", "Nations"])
    return " ".join(rng.choice(vocab) for _ in range(n_tokens))


# ------------------------------------------------------------------------------------------- pipelines
def pipelines(lang: str):
    """(kgbuild's pipeline, its SentenceParser, the real one): the same model, loaded twice."""
    import kgbuild.nlp as knlp
    from kgbuild.models.discovery import select_model

    nlp, info = knlp.get_pipeline(lang)
    if info.source == "builtin":
        raise SystemExit(f"no statistical {lang} pipeline installed")
    deferred = knlp.sentence_parser(lang)
    model = select_model(lang)
    real = spacy.load(model.name if model.source == "official" else model.path)
    saved = {n: getattr(knlp, n) for n in ("memoise_attribute_ruler", "memoise_lemmatizer", "memoise_embeddings",
                                            "use_greedy_ner")}
    try:
        for n in saved:
            setattr(knlp, n, lambda _nlp: 0)
        real = knlp._prepare_statistical(real)
    finally:
        for n, f in saved.items():
            setattr(knlp, n, f)
    assert real.pipe_names == nlp.pipe_names, (real.pipe_names, nlp.pipe_names)
    assert type(real.get_pipe("ner")).__name__ == "EntityRecognizer", type(real.get_pipe("ner"))
    assert type(nlp.get_pipe("ner")).__name__ == "GreedyNER", type(nlp.get_pipe("ner"))
    return nlp, deferred, real, info.name


# ------------------------------------------------------------------------------------------- compare
class Tally:
    def __init__(self) -> None:
        self.docs = self.tokens = self.parsed_tokens = self.ents = 0
        self.mismatch: dict[str, int] = {}
        self.examples: list[str] = []

    def bad(self, what: str, doc_text: str, detail: str = "") -> None:
        self.mismatch[what] = self.mismatch.get(what, 0) + 1
        if len(self.examples) < 20:
            self.examples.append(f"{what}: {doc_text[:70]!r} {detail}")


def _same_basics(t: Tally, a, b) -> bool:
    ok = True
    if [(x.text, x.idx, x.whitespace_) for x in a] != [(x.text, x.idx, x.whitespace_) for x in b]:
        t.bad("tokens", a.text, "")
        return False
    if a.to_array([SENT_START]).tolist() != b.to_array([SENT_START]).tolist():
        t.bad("sentence starts", a.text)
        ok = False
    if a.to_array(ENTS).tolist() != b.to_array(ENTS).tolist() or \
            [(e.start, e.end, e.label_) for e in a.ents] != [(e.start, e.end, e.label_) for e in b.ents]:
        got = [(e.start, e.end, e.label_) for e in b.ents]
        want = [(e.start, e.end, e.label_) for e in a.ents]
        t.bad("entities", a.text, f"want-only {sorted(set(want) - set(got))[:3]} got-only {sorted(set(got) - set(want))[:3]}")
        ok = False
    return ok


def compare_full(t: Tally, real_docs, docs) -> None:
    for a, b in zip(real_docs, docs, strict=True):
        t.docs += 1
        t.tokens += len(a)
        t.ents += len(a.ents)
        if not _same_basics(t, a, b):
            continue
        if a.to_array(ATTRS).tolist() != b.to_array(ATTRS).tolist():
            x, y = a.to_array(ATTRS), b.to_array(ATTRS)
            i = int(numpy.flatnonzero((x != y).any(axis=1))[0])
            t.bad("parse/tags/lemmas", a.text, f"token {i} {a[i].text!r}: {a[i].dep_}/{a[i].tag_}/{a[i].lemma_} vs "
                                                 f"{b[i].dep_}/{b[i].tag_}/{b[i].lemma_}")
        if len(a) and not (a.tensor.shape == b.tensor.shape and numpy.array_equal(a.tensor, b.tensor)):
            t.bad("tensor", a.text)


def compare_deferred(t: Tally, real_docs, docs, flags_of) -> None:
    for a, b, flags in zip(real_docs, docs, flags_of, strict=True):
        t.docs += 1
        t.tokens += len(a)
        t.ents += len(a.ents)
        if not _same_basics(t, a, b):
            continue
        x, y = a.to_array(ATTRS), b.to_array(ATTRS)
        for sent, flag in zip(b.sents, flags, strict=True):
            if flag:
                t.parsed_tokens += len(sent)
                if x[sent.start:sent.end].tolist() != y[sent.start:sent.end].tolist() or \
                        [tok.head.i for tok in sent] != [tok.head.i for tok in a[sent.start:sent.end]]:
                    t.bad("parsed sentence", sent.text)
            elif any(tok.dep for tok in sent):
                t.bad("unparsed sentence has a parse", sent.text)
        if len(a) and not (a.tensor.shape == b.tensor.shape and numpy.array_equal(a.tensor, b.tensor)):
            t.bad("tensor", a.text)


def run(lang: str, corpora: dict[str, list[str]], batch_sizes: list[int], max_docs: int, seed: int = 1,
        modes: tuple[str, ...] = ("full", "deferred")):
    nlp, deferred, real, name = pipelines(lang)
    rng = random.Random(seed)
    totals = {}
    for corpus, texts in corpora.items():
        texts = [t for t in texts][:max_docs]
        for round_no, bs in enumerate(batch_sizes):
            started = time.perf_counter()
            real_docs = list(real.pipe(texts, batch_size=bs))
            mode = modes[round_no % len(modes)]
            t = totals.setdefault((corpus, mode), Tally())
            if mode == "full":
                compare_full(t, real_docs, list(nlp.pipe(texts, batch_size=bs)))
            else:
                docs = list(nlp.pipe(texts, batch_size=bs, disable=deferred.disable))
                share = 1.0 if round_no == modes.index("deferred") else 0.5  # every sentence once, then half
                flags = [[rng.random() < share for _ in d.sents] for d in docs]
                for k in range(0, len(docs), bs):  # parse_many over a batch of documents, as kgbuild.pipeline
                    deferred.parse_many(list(zip(docs[k:k + bs], flags[k:k + bs], strict=True)))
                compare_deferred(t, real_docs, docs, flags)
            print(f"  {lang} {corpus:16s} {mode:8s} batch {bs:4d}: {len(texts)} docs, "
                  f"{sum(len(d) for d in real_docs)} tokens, {time.perf_counter() - started:.1f}s, "
                  f"mismatches so far {sum(t.mismatch.values())}", flush=True)
    return name, totals


def report(lang: str, name: str, totals) -> int:
    bad = 0
    print(f"\n{lang} ({name})")
    print("| corpus | mode | docs | tokens | parsed tokens | entities | mismatches |")
    print("|---|---|---:|---:|---:|---:|---|")
    for (corpus, mode), t in totals.items():
        bad += sum(t.mismatch.values())
        print(f"| {corpus} | {mode} | {t.docs} | {t.tokens} | {t.parsed_tokens if mode == 'deferred' else t.tokens} "
              f"| {t.ents} | {', '.join(f'{k}: {v}' for k, v in t.mismatch.items()) or 0} |")
    for t in totals.values():
        for line in t.examples:
            print("   ", line)
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lang", default="de,en")
    ap.add_argument("--max-docs", type=int, default=400, help="documents per corpus")
    ap.add_argument("--batch-sizes", default="1,7,64", help="one round per size; rounds alternate full / deferred")
    ap.add_argument("--hostile", action="store_true", help="only the written hostile texts (and a long one)")
    ap.add_argument("--long-tokens", type=int, default=100_000, help="tokens of the long text without punctuation")
    ap.add_argument("--only", default="", help="comma-separated corpus names")
    ap.add_argument("--modes", default="full,deferred", help="the rounds' modes, in turn (full, deferred or both)")
    args = ap.parse_args(argv)
    bad = 0
    for lang in args.lang.split(","):
        if args.hostile:
            mixed = hostile_texts(lang)
            corpora = {"hostile": mixed, "hostile-long": [long_text(args.long_tokens, lang), "", mixed[-1]]}
        else:
            corpora = german_texts() if lang == "de" else english_texts()
        if args.only:
            corpora = {k: v for k, v in corpora.items() if k in args.only.split(",")}
        sizes = [int(s) for s in args.batch_sizes.split(",")]
        name, totals = run(lang, corpora, sizes, args.max_docs, modes=tuple(args.modes.split(",")))
        bad += report(lang, name, totals)
    print(f"\nmismatches: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
