"""Corpus builds: many articles -> one consistent graph, incrementally, in bounded memory.

read (lazily) -> skip unchanged (``state``) -> build in this process or ``jobs`` workers (``parallel``,
``worker``) -> record each document in the SQLite state -> keep an embedded store in step -> write the
corpus graph as a stream (``assemble``). ``kgbuild.build.run_build`` wires these steps; docs/CORPUS.md
describes the behaviour, the numbers measured and how to go beyond one machine.

Entities are ``wd:Q…`` IRIs or deterministic ``kgr:entity/<type>/<slug>`` IRIs, so one entity is one node
across the corpus; each document has its own named graph (its document IRI) in TriG / N-Quads.
"""
from kgbuild.corpus.options import BuildAbortedError, BuildOptions, BuildSummary
from kgbuild.corpus.state import BuildState
from kgbuild.corpus.worker import DocError, DocResult, article_hash

__all__ = ["BuildAbortedError", "BuildOptions", "BuildState", "BuildSummary", "DocError", "DocResult",
           "article_hash"]
