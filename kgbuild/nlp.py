"""NLP: text -> spaCy ``Doc`` with sentences and lemmas (and NER / parse when a statistical model is used).

The built-in pipeline needs no downloaded model: spaCy's tokenizer for the language, sentence boundaries
(punctuation and line breaks), and simplemma lemmas. When a statistical pipeline is installed (an official
spaCy model, or kgbuild's own German one from ``kgbuild.models``) it is used instead, with the line-break
sentence splitter in front and simplemma filling lemmas it leaves empty; its ``attribute_ruler`` (if any) is
replaced by a memoised one that gives the same annotations (``kgbuild.models.memo_ruler``), and so is its
rule ``lemmatizer`` (``kgbuild.models.memo_lemmatizer``), and the embedding layers of its tok2vec models
remember the vectors of the tokens they have seen (``kgbuild.models.memo_embed``), and its NER decodes with
arrays instead of spaCy's per-token transition loop (``kgbuild.models.greedy_ner``: the same entities).

The dependency parse is read only by the relation extractor, and only in sentences with a trigger word:
``SentenceParser`` runs a statistical pipeline without its parser and parses those sentences afterwards,
giving them the annotations the whole pipeline gives (see its docstring).
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

import numpy
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc

from kgbuild.errors import ModelError

# registers kgbuild_linebreaks and kgbuild_lemmatizer (re-exported: the entry points of older installs name them here)
from kgbuild.models.components import linebreak_boundaries, make_lemmatizer  # noqa: F401
from kgbuild.models.greedy_ner import use_greedy_ner
from kgbuild.models.memo_embed import memoise_embeddings
from kgbuild.models.memo_lemmatizer import memoise_lemmatizer
from kgbuild.models.memo_ruler import memoise_attribute_ruler

log = logging.getLogger(__name__)


#: languages whose simplemma lemmas the built-in pipeline sets (the others get none)
LEMMA_LANGS = ("de", "en", "fr", "es", "it", "nl", "pl", "pt", "ru")


@dataclass(frozen=True)
class NLPInfo:
    name: str
    lang: str
    source: str  # builtin | kgbuild | official
    has_ner: bool
    has_parser: bool


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per document: spaCy joins every token's text each time it is read."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_TEXT_KEY = "kgbuild.text"


def builtin_pipeline(lang: str) -> Language:
    """A blank spaCy pipeline: tokenizer + sentences + simplemma lemmas."""
    try:
        nlp = spacy.blank(lang)
    except ImportError:
        nlp = spacy.blank("xx")
    nlp.add_pipe("kgbuild_linebreaks")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kgbuild_long_sentences")
    if lang in LEMMA_LANGS:
        nlp.add_pipe("kgbuild_lemmatizer")
    return _allow_long_texts(nlp)


def _allow_long_texts(nlp: Language) -> Language:
    """spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters); kgbuild reads articles up to
    ``kgbuild.read.MAX_BYTES`` and bounds the work per sentence instead (``kgbuild_long_sentences``)."""
    from kgbuild.read import MAX_BYTES

    nlp.max_length = max(nlp.max_length, MAX_BYTES + 1)
    return nlp


def _prepare_statistical(nlp: Language) -> Language:
    if "kgbuild_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("kgbuild_linebreaks", first=True)
    if "kgbuild_lemmatizer" not in nlp.pipe_names and nlp.lang in ("de", "en"):
        nlp.add_pipe("kgbuild_lemmatizer", last=True)
    if "sentencizer" not in nlp.pipe_names:
        # punctuation and line breaks decide sentences; a parser trained on little data splits names apart
        # ("Juri | Uschakow") and respects boundaries that are already set
        nlp.add_pipe("sentencizer", after="kgbuild_linebreaks")
    if "kgbuild_long_sentences" not in nlp.pipe_names:
        nlp.add_pipe("kgbuild_long_sentences", after="sentencizer")
    # the same POS, morphology and lemmas as spaCy's attribute_ruler, looked up instead of matched per token
    memoise_attribute_ruler(nlp)
    # the same lemmas as spaCy's rule lemmatizer, its per-token loop replaced by one array in and out
    memoise_lemmatizer(nlp)
    # the same token vectors, each distinct token's embedded once (the tok2vec encoders still run on everything)
    memoise_embeddings(nlp)
    # the same entities as spaCy's NER, its transition loop decoded with arrays
    use_greedy_ner(nlp)
    return _allow_long_texts(nlp)


@functools.lru_cache(maxsize=16)
def get_pipeline(lang: str, model: str | None = None) -> tuple[Language, NLPInfo]:
    """The pipeline for ``lang``: ``model`` if named, else an installed statistical one, else the built-in.

    ``model="builtin"`` forces the built-in pipeline. Loaded once per process.
    """
    if model != "builtin":
        try:
            from kgbuild.models import load_pipeline
        except ImportError:  # pragma: no cover - models package absent in a stripped install
            load_pipeline = None
        if load_pipeline is not None:
            nlp, info = load_pipeline(lang=lang, name=model)
            if nlp is not None:
                nlp = _prepare_statistical(nlp)
                name = f"{info.name}-{info.version}" if getattr(info, "version", None) else info.name
                return nlp, NLPInfo(name, lang, info.source, "ner" in nlp.pipe_names, "parser" in nlp.pipe_names)
        elif model:
            raise ModelError(f"cannot load model {model!r}: kgbuild.models is not available")
    nlp = builtin_pipeline(lang)
    return nlp, NLPInfo(f"builtin-{lang}", lang, "builtin", False, False)


#: components that may follow the parser in a pipeline ``SentenceParser`` takes apart: re-run on the parsed
#: sentences (they read the parse, directly or through the POS the attribute ruler writes from it) ...
_RERUN_AFTER_PARSER = ("attribute_ruler", "lemmatizer", "kgbuild_lemmatizer")
#: ... or independent of the parse (the English and German NER have their own tok2vec)
_INDEPENDENT_OF_PARSE = ("ner", "kgbuild_gazetteer_reset")
#: the parser's features look at most two tokens ahead of the sentence it parses (B0, B1 of spaCy's
#: arc-eager state: the next sentence's first two tokens while it closes this one)
PARSER_LOOKAHEAD = 2


class SentenceParser:
    """The parser of a statistical pipeline, run afterwards on chosen sentences only.

    spaCy's parser reads the shared ``tok2vec`` output that the first pass left in ``doc.tensor``; with the
    sentence boundaries already set (kgbuild's sentencizer), it starts every sentence with an empty stack and
    looks at most two tokens into the next one. So a stretch of sentences copied out with ``Span.as_doc``
    (tensor included) plus the next sentence's first tokens gets the same arcs as the whole document would.
    Components after the parser that read it (the attribute ruler: 13 of en_core_web_sm's patterns test DEP
    and set POS or MORPH; the lemmatizer reads POS) are re-run on the same copy from the state before them,
    and their values copied back: the parsed sentences end with exactly the annotations of the full pipeline.
    The other sentences keep ``dep == ""`` (spaCy's "missing") and the POS the attribute ruler gives without
    a parse (en_core_web_sm: auxiliaries, some pronouns and conjunctions differ; German: nothing differs).

    ``for_pipeline`` returns None for a pipeline where that does not hold (no parser, a parser with its own
    tok2vec, other components after it, POS/MORPH/lemmas written before the parser and re-read after it).
    """

    def __init__(self, nlp: Language, parser, rerun: list, reset: list[int], pos_from_parse: bool,
                 lookbehind, lookahead: int, keep_lemmas: bool = False) -> None:
        self.nlp = nlp
        self.parser = parser
        self.rerun = rerun
        self.reset = reset
        #: whether the POS, morphology or lemmas of a token depend on the parse (en_core_web_sm: yes)
        self.pos_from_parse = pos_from_parse
        self._lookbehind = lookbehind
        self.lookahead = lookahead
        self._keep_lemmas = keep_lemmas and LEMMA in reset
        self.attrs = [HEAD, DEP] + ([TAG, POS, MORPH, LEMMA] if rerun else [])
        self.disable = ["parser"]

    @classmethod
    def for_pipeline(cls, nlp: Language) -> "SentenceParser | None":
        names = nlp.pipe_names
        if "parser" not in names:
            return None
        at = names.index("parser")
        from spacy.pipeline import Tok2Vec

        listened = any(isinstance(nlp.get_pipe(n), Tok2Vec) and "parser" in nlp.get_pipe(n).listening_components
                       for n in names[:at])
        if not listened:
            # a parser with its own tok2vec would see other context at the edges of a stretch; one listening to
            # a transformer reads ``doc._.trf_data``, which ``Span.as_doc`` does not carry over
            return None
        after = names[at + 1:]
        if any(n not in _RERUN_AFTER_PARSER and n not in _INDEPENDENT_OF_PARSE for n in after):
            return None
        readers = [n for n in after if n in ("attribute_ruler", "lemmatizer")]
        rerun = [(n, nlp.get_pipe(n)) for n in after if n in _RERUN_AFTER_PARSER] if readers else []
        reset = [POS, MORPH, LEMMA] if readers else []
        if readers:
            before = {a for n in names[:at] for a in nlp.get_pipe_meta(n).assigns}
            if before & {"token.pos", "token.morph", "token.lemma"}:
                return None  # the readers would run a second time on their own output
        entries = []
        if "attribute_ruler" in after:
            ruler = nlp.get_pipe("attribute_ruler")
            entries = list(getattr(getattr(ruler, "ruler", ruler), "patterns", ()))
        for entry in entries:  # a token written from what the parse says of a later one: that may be cut off
            for pattern in entry["patterns"]:
                if any(set(spec) & {"DEP", "POS", "MORPH", "LEMMA", "TAG"} for spec in pattern[entry.get("index", 0) + 1:]):
                    return None
        patterns = [p for entry in entries for p in entry["patterns"]]
        # lemmas of the first pass stay valid where POS and morphology do, unless a DEP pattern writes lemmas
        keep = not any("LEMMA" in entry.get("attrs", {}) and any("DEP" in spec for p in entry["patterns"] for spec in p)
                       for entry in entries)
        longest = max((len(p) for p in patterns), default=1)
        continuations = [spec for p in patterns for spec in p[1:]]
        return cls(nlp, nlp.get_pipe("parser"), rerun, reset, bool(readers),
                   functools.partial(_may_continue, continuations), max(PARSER_LOOKAHEAD, longest - 1), keep)

    def parse(self, doc: Doc, wanted) -> int:
        """Parse the sentences of ``doc`` (``doc.sents``, in order) for which ``wanted`` is true; returns how
        many were parsed. ``doc`` must come from ``nlp`` with ``disable=self.disable``."""
        return self.parse_many([(doc, wanted)])

    def parse_many(self, items) -> int:
        """``parse`` for many (doc, wanted) pairs at once: the parser over all their stretches in one batch
        (one stretch at a time costs more than parsing every sentence)."""
        jobs = []  # (doc, values, [(start, end, first)])
        parts = []
        for doc, wanted in items:
            stretches = self._stretches(doc, list(wanted))
            if not stretches:
                continue
            values = doc.to_array(self.attrs)
            jobs.append((doc, values, stretches))
            for _, _, first, last in stretches:
                part = doc[first:last].as_doc()
                if self.reset:  # the state the attribute ruler and the lemmatizer see in the full pipeline
                    part.from_array(self.reset, numpy.zeros((len(part), len(self.reset)), dtype="uint64"))
                parts.append((part, values[first:last]))
        if not parts:
            return 0
        docs = [p for p, _ in parts]
        parse_batch(self.parser, docs)
        for name, proc in self.rerun:
            docs = [proc(d) for d in docs]
            if name == "attribute_ruler" and self._keep_lemmas:
                for d, (_, before) in zip(docs, parts, strict=True):
                    _keep_lemmas(d, before)
        k = 0
        for doc, values, stretches in jobs:
            for start, end, first, _ in stretches:
                values[start:end] = docs[k].to_array(self.attrs)[start - first:end - first]
                k += 1
            starts = doc.to_array([SENT_START])
            doc.from_array(self.attrs, values)
            doc.from_array([SENT_START], starts)  # spaCy derives boundaries from the arcs: keep the sentencizer's
        return sum(len(s) for _, _, s in jobs)

    def _stretches(self, doc: Doc, flags: list[bool]) -> list[tuple[int, int, int, int]]:
        """(start, end) token offsets of each run of wanted sentences, and (first, last) of what to parse."""
        sents = list(doc.sents)
        out = []
        i = 0
        while i < len(sents):
            if not flags[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(sents) and flags[j + 1]:
                j += 1
            start, end = sents[i].start, sents[j].end
            # a multi-token ruler pattern may reach back over the boundary ("there | is"): parse the sentence
            # before too (it starts with an empty stack as well), and copy back only this stretch
            first = sents[i - 1].start if i and self.rerun and self._lookbehind(doc[start]) else start
            last = min(len(doc), end + self.lookahead) if j + 1 < len(sents) else end
            out.append((start, end, first, last))
            i = j + 1
        return out


def parse_batch(parser, docs: list[Doc]) -> None:
    """Parse ``docs`` with spaCy's transition-based ``parser`` as one batch: spaCy's ``greedy_parse``, with the
    steps driven from Python (``model.predict`` on the unfinished states, then ``transition_states``), the
    same C functions for the features, the validity of the actions and the moves.

    spaCy's own loop runs without the GIL, and in spaCy 3.8 every validity check of every action takes it
    back and drops it again; from here the GIL is held throughout, so those are cheap, and the whole batch
    advances together. The same arcs as ``parser.pipe``: every state's scores come from its own feature rows
    (rows of a matrix product do not depend on the others: what ``SentenceParser`` already relies on when it
    parses stretches in batches of any size); ``tests/test_sentence_parse.py`` compares with the full pipeline.
    A parser this does not hold for (a beam, classes not seen in training) runs ``pipe``."""
    cfg = getattr(parser, "cfg", {})
    model = parser.model
    if (cfg.get("beam_width", 1) != 1 or model.attrs.get("unseen_classes") or model.name != "parser_model"
            or not hasattr(parser, "transition_states")):
        for _ in parser.pipe(docs, batch_size=max(len(docs), 1)):
            pass
        return
    docs = sorted(docs, key=len)  # as spaCy's pipe does
    if not any(len(doc) for doc in docs):
        parser.set_annotations(docs, parser.moves.init_batch(docs))
        return
    parser._ensure_labels_are_added(docs)
    batch = parser.moves.init_batch(docs)
    step = model.predict(docs)
    upper = step.vec2scores
    if upper is None or upper.name != "linear":
        scores_of = step.predict
    else:  # what step.predict computes (spaCy's step_forward) without its layers' calls and its mask of
        def scores_of(states):  # unseen classes (there are none): features, hidden vector, upper layer
            W, b = upper.get_param("W"), upper.get_param("b")
            scores = upper.ops.gemm(step.state2vec.predict(step.get_token_ids(states)), W, trans2=True)
            scores += b
            return scores
    states = [state for state in batch if not state.is_final()]
    while states:
        states = parser.transition_states(states, scores_of(states))
    step.clear_memory()
    parser.set_annotations(docs, batch)


def _keep_lemmas(doc: Doc, before) -> None:
    """After the attribute ruler re-ran on a parsed stretch: a token whose POS and morphology came out as in
    the first pass keeps its lemma of the first pass (the lemmatizer would give it again); the others are
    lemmatised anew. ``before``: the first pass's values of the stretch (columns HEAD, DEP, TAG, POS, MORPH,
    LEMMA)."""
    now = doc.to_array([POS, MORPH, LEMMA])
    same = (now[:, 0] == before[:, 3]) & (now[:, 1] == before[:, 4])
    now[same, 2] = before[same, 5]
    doc.from_array([LEMMA], now[:, 2:3])


def _may_continue(specs: list[dict], token) -> bool:
    """Whether ``token`` could match a non-first token of a multi-token ruler pattern (on its text)."""
    for spec in specs:
        for name in ("LOWER", "ORTH", "TEXT"):
            if name in spec:
                value = token.lower_ if name == "LOWER" else token.text
                want = spec[name]
                if isinstance(want, str):
                    ok = value == want
                elif isinstance(want, dict):
                    ok = all(_predicate(op, arg, value) for op, arg in want.items())
                else:
                    ok = True
                if not ok:
                    break
        else:
            return True
    return False


def _predicate(op: str, arg, value: str) -> bool:
    if op == "IN":
        return value in arg
    if op == "NOT_IN":
        return value not in arg
    if op == "REGEX":
        return re.search(arg, value) is not None
    return True  # an operator not looked at here: it may match


@functools.lru_cache(maxsize=16)
def sentence_parser(lang: str, model: str | None = None) -> SentenceParser | None:
    """The ``SentenceParser`` of ``get_pipeline(lang, model)``, or None (no parser, or one it can't split)."""
    nlp, _ = get_pipeline(lang, model)
    return SentenceParser.for_pipeline(nlp)
