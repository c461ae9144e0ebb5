"""Corpus builds: many articles -> one consistent graph, incrementally, in bounded memory.

In: ``BuildOptions`` (inputs, output, format, ...). Out: the output file(s), the embedded store when asked,
and a ``BuildSummary``. Each article's graph is kept as N-Triples in a state folder together with the
content hash it was built from; a rerun processes only new and changed articles, an interrupted run resumes,
and the output is assembled from the per-document graphs at the end (written atomically). Entities are
``wd:Q…`` IRIs or deterministic ``kgr:entity/<type>/<slug>`` IRIs, so one entity is one node across the corpus.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from kgbuild.errors import InputError
from kgbuild.rdf.output import RDFFormat, atomic_open
from kgbuild.read import content_hash, read_inputs
from kgbuild.types import Article

log = logging.getLogger(__name__)
STATE_VERSION = 1


@dataclass
class BuildOptions:
    inputs: list[str]
    output: str | None = None
    fmt: RDFFormat = RDFFormat.turtle
    lang: str | None = None
    date: str | None = None
    url: str | None = None
    base_iri: str = "https://w3id.org/kgbuild/resource/"
    kb: Path | None = None
    online: bool = False
    model: str | None = None
    min_confidence: float = 0.5
    any_lang: bool = False
    store: Path | None = None
    jobs: int = 1
    state: Path | None = None
    force: bool = False
    progress: bool = False


@dataclass
class BuildSummary:
    articles: int = 0
    unchanged: int = 0
    removed: int = 0
    entities: set = field(default_factory=set)
    unlinked: set = field(default_factory=set)
    relations: int = 0
    events: int = 0
    triples: int = 0
    skipped: list = field(default_factory=list)
    seconds: float = 0.0
    output: str | None = None

    def describe(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        parts = [f"{self.articles} article(s) built", f"{self.unchanged} unchanged", f"{len(self.skipped)} skipped"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        return (f"kgbuild: {', '.join(parts)}; {len(self.entities)} entities ({len(self.unlinked)} unlinked), "
                f"{self.events} events, {self.relations} relations, {self.triples} triples"
                f" -> {self.output or 'stdout'} in {self.seconds:.1f}s ({rate:.1f} articles/s)")


# ---------------------------------------------------------------- worker side

_PIPELINE = None
_OPTIONS: BuildOptions | None = None


def _init_worker(options: BuildOptions) -> None:
    global _PIPELINE, _OPTIONS
    from kgbuild.cli.build import open_pipeline

    _OPTIONS = options
    _PIPELINE = open_pipeline(options.kb, options.online, options.model, options.lang, options.any_lang)


def _build_one(article: Article) -> dict:
    """Process one article; returns plain data (N-Triples text and counts) that pickles cheaply."""
    from kgbuild.rdf import document_graph

    assert _PIPELINE is not None and _OPTIONS is not None
    try:
        result = _PIPELINE.process(article)
    except InputError as exc:  # e.g. an unsupported language
        return {"id": article.id, "error": f"{article.source or article.id}: {exc}"}
    graph = document_graph(result, _OPTIONS.base_iri, kb_version=getattr(_PIPELINE.kb, "version", ""),
                           min_confidence=_OPTIONS.min_confidence)
    nt = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return {
        "id": article.id, "hash": content_hash(article.text), "nt": nt, "triples": len(graph),
        "entities": [e.key for e in result.entities],
        "unlinked": [e.key for e in result.entities if e.qid is None],
        "events": len(result.events),
        "relations": sum(1 for e in result.events if e.object and e.confidence >= _OPTIONS.min_confidence),
        "graph": graph_iri(_OPTIONS.base_iri, article.id),
    }


def graph_iri(base: str, doc_id: str) -> str:
    from urllib.parse import quote

    return f"{base}doc/{quote(doc_id, safe='-_.')}"


# ---------------------------------------------------------------- state

class BuildState:
    """Per-document content hashes and N-Triples files in a folder (``state.json`` + ``graphs/``)."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.graphs = folder / "graphs"
        self.graphs.mkdir(parents=True, exist_ok=True)
        self.path = folder / "state.json"
        self.fingerprint = fingerprint
        self.docs: dict[str, dict] = {}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                log.warning("%s is unreadable: rebuilding everything", self.path)
                data = {}
            if data.get("version") == STATE_VERSION and data.get("fingerprint") == fingerprint:
                self.docs = data.get("docs", {})
            elif data:
                log.info("build settings changed since the last run: rebuilding everything")

    def file_for(self, doc_id: str) -> Path:
        digest = hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:16]
        return self.graphs / f"{digest}.nt"

    def unchanged(self, article: Article) -> bool:
        entry = self.docs.get(article.id)
        return bool(entry and entry.get("hash") == content_hash(article.text) and self.file_for(article.id).exists())

    def record(self, res: dict) -> None:
        with atomic_open(self.file_for(res["id"]), "wb") as fh:
            fh.write(res["nt"].encode("utf-8"))
        self.docs[res["id"]] = {"hash": res["hash"], "graph": res["graph"], "triples": res["triples"],
                                "entities": res["entities"], "unlinked": res["unlinked"],
                                "events": res["events"], "relations": res["relations"]}

    def forget(self, doc_id: str) -> None:
        self.docs.pop(doc_id, None)
        try:
            self.file_for(doc_id).unlink()
        except FileNotFoundError:
            pass

    def save(self) -> None:
        data = {"version": STATE_VERSION, "fingerprint": self.fingerprint, "docs": self.docs}
        with atomic_open(self.path, "wb") as fh:
            fh.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
