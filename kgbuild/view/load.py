"""Graph files -> one in-memory pyoxigraph ``Store`` (the union of all files), checked to be kgbuild's.

In: paths of Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML or N3 files (optionally ``.gz``), or folders
of them (the output of ``kgbuild build -o folder/``).
Out: a ``pyoxigraph.Store``; query it with ``use_default_graph_as_union=True`` (TriG puts triples in
named graphs). Raises ``InputNotFoundError`` for a missing file and ``GraphError`` for a file that does
not parse or a graph without a single ``kg:`` term.
"""
from __future__ import annotations

import gzip
import io
import logging
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from kgbuild.errors import GraphError, InputNotFoundError
from kgbuild.store.sources import FORMATS  # file suffix -> RDF format (the suffix before .gz counts)

log = logging.getLogger("kgbuild.view")

KG = "https://w3id.org/kgbuild/ontology#"



def guess_format(path: Path) -> ox.RdfFormat:
    """The RDF format of ``path`` from its suffix (``graph.ttl.gz`` -> Turtle); Turtle when unknown."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1] if suffixes else "", ox.RdfFormat.TURTLE)


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise InputNotFoundError(f"Graph file '{path}' not found. Pass the Turtle/TriG file written by `kgbuild build`.")
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise GraphError(f"Cannot decompress '{path}': {exc}. Is it a gzip file?") from None
    return data


def load_file(store: ox.Store, path: Path) -> None:
    """Parse one graph file into ``store``; a syntax error becomes a one-line ``GraphError``."""
    fmt = guess_format(path)
    data = _read_bytes(path)
    if not data.strip():
        raise GraphError(f"Graph file '{path}' is empty. Build a graph with `kgbuild build ARTICLE -o graph.ttl`.")
    try:
        store.bulk_load(io.BytesIO(data), format=fmt, base_iri=path.resolve().as_uri())
    except (SyntaxError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraphError(
            f"Cannot parse '{path}' as {fmt.name}: {first}. "
            "Pass a graph written by `kgbuild build` (.ttl, .trig, .nt, .nq, .jsonld)."
        ) from None
    log.info("loaded %s (%s)", path, fmt.name)


def is_kgbuild_graph(store: ox.Store) -> bool:
    """True when some triple uses a ``kg:`` term as predicate or class."""
    query = f"""ASK {{ {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), "{KG}")) }}
        UNION {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "{KG}")) }} }}"""
    return bool(store.query(query, use_default_graph_as_union=True))


def is_graph_file(path: Path, root: Path) -> bool:
    """A graph file inside folder ``root``: a known suffix (not bare ``.json``), nothing hidden on the way."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return path.is_file() and bool(suffixes) and suffixes[-1] in FORMATS and suffixes[-1] != ".json" and not hidden


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as they are; a folder (``kgbuild build -o folder/``) -> the graph files in it, sorted."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if is_graph_file(p, path))
            if not found:
                raise GraphError(f"Folder '{path}' holds no graph files ({', '.join(sorted(set(FORMATS) - {'.json'}))}).")
            out.extend(found)
        else:
            out.append(path)
    return out


def load_graphs(paths: Iterable[str | Path]) -> ox.Store:
    """Load every file of ``paths`` (folders: their graph files) into one store; check it is a kgbuild graph."""
    paths = expand_paths(paths)
    if not paths:
        raise GraphError("No graph files given. Pass one or more graphs written by `kgbuild build`.")
    store = ox.Store()
    for path in paths:
        load_file(store, path)
    if not is_kgbuild_graph(store):
        names = ", ".join(f"'{p}'" for p in paths)
        raise GraphError(
            f"{names} is not a kgbuild graph: it uses no term of {KG}. "
            "Build one with `kgbuild build ARTICLE -o graph.ttl` and view that."
        )
    return store
