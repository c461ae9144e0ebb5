"""SPARQL results: run a query on a pyoxigraph store, hold the answer, write it out.

In: a pyoxigraph ``Store`` (or results parsed from an endpoint) and a query with bound values.
Out: a :class:`QueryResult` (``kind`` is ``select``, ``ask`` or ``graph``) and its text as a table, or in a
SPARQL 1.1 results format (CSV, TSV, JSON); graph results (CONSTRUCT/DESCRIBE) as Turtle.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Mapping

import pyoxigraph as ox

from kgbuild.errors import QueryError, StoreError
from kgbuild.store.bind import bind
from kgbuild.store.terms import PREFIXES, Term, to_rdflib

FORMATS = ("table", "csv", "tsv", "json", "turtle")


@dataclass(frozen=True)
class QueryResult:
    """The answer of one query. ``rows`` holds pyoxigraph terms (``None`` for unbound)."""

    kind: str  # "select" | "ask" | "graph"
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = field(default=())

    def dicts(self) -> list[dict[str, Term]]:
        """SELECT rows as ``{variable: term}`` (unbound variables left out)."""
        return [{v: t for v, t in zip(self.variables, row, strict=False) if t is not None} for row in self.rows]

    def values(self) -> list[tuple[str | None, ...]]:
        """SELECT rows as plain strings (the IRI, the literal's lexical form), ``None`` for unbound."""
        return [tuple(None if t is None else t.value for t in row) for row in self.rows]

    def graph(self):
        """Graph results as an rdflib ``Graph``."""
        import rdflib

        g = rdflib.Graph()
        for t in self.triples:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def write(self, fmt: str = "table") -> str:
        """The result as text: ``table`` | ``csv`` | ``tsv`` | ``json`` (SPARQL 1.1 results) | ``turtle``."""
        if fmt not in FORMATS:
            raise QueryError(f"Unknown output format {fmt!r}: use one of {', '.join(FORMATS)}.")
        if self.kind == "graph":
            return to_turtle(self.triples) if fmt in ("table", "turtle") else _graph_as(self.triples, fmt)
        if fmt == "turtle":
            raise QueryError("--format turtle is for CONSTRUCT/DESCRIBE queries; use table, csv, tsv or json.")
        return {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json}[fmt](self)


def run_local(store: ox.Store, sparql: str, bindings: Mapping[str, Term] | None, union: bool = True) -> QueryResult:
    """Run ``sparql`` on a pyoxigraph store with ``bindings`` bound (:mod:`kgbuild.store.bind`), materialised."""
    text = bind(sparql, bindings or {})
    try:
        answer = store.query(text, use_default_graph_as_union=union, prefixes=PREFIXES)
        return from_oxigraph(answer)
    except SyntaxError as exc:
        raise QueryError(f"Bad SPARQL: {_cut(' '.join(str(exc).split()), 200)}") from None
    except OSError as exc:
        raise StoreError(f"The query failed in the store: {' '.join(str(exc).split())}") from None


def from_oxigraph(answer) -> QueryResult:
    """pyoxigraph ``QuerySolutions`` / ``QueryBoolean`` / ``QueryTriples`` -> :class:`QueryResult`."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        rows = tuple(tuple(sol[i] for i in range(len(names))) for sol in answer)
        return QueryResult("select", names, rows)
    return QueryResult("graph", triples=tuple(answer))


# -- writers ---------------------------------------------------------------------------------------
def to_json(res: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if res.kind == "ask":
        return json.dumps({"head": {}, "boolean": res.boolean}) + "\n"
    bindings = [{v: _json_term(t) for v, t in zip(res.variables, row, strict=False) if t is not None} for row in res.rows]
    doc = {"head": {"vars": list(res.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _json_term(t: Term) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != PREFIXES["xsd"] + "string":
            out["datatype"] = t.datatype.value
        return out
    return {"type": "triple", "value": str(t)}


def to_csv(res: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV (plain values, CRLF line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if res.kind == "ask":
        w.writerows([["boolean"], ["true" if res.boolean else "false"]])
        return buf.getvalue()
    w.writerow(res.variables)
    for row in res.rows:
        w.writerow(["" if t is None else _csv_value(t) for t in row])
    return buf.getvalue()


def _csv_value(t: Term) -> str:
    return f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value


def to_tsv(res: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV (terms in SPARQL/Turtle syntax)."""
    if res.kind == "ask":
        return "?boolean\n" + ("true" if res.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in res.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in res.rows]
    return "\n".join(lines) + "\n"


def to_table(res: QueryResult) -> str:
    """A readable table: IRIs shortened with kgbuild's prefixes, literals as their text."""
    if res.kind == "ask":
        return ("yes" if res.boolean else "no") + "\n"
    cells = [[_short(t) for t in row] for row in res.rows]
    header = list(res.variables)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    widths = [min(w, 60) for w in widths]
    fmt_row = lambda r: " | ".join(_cut(c, w).ljust(w) for c, w in zip(r, widths, strict=False)).rstrip()  # noqa: E731
    lines = [fmt_row(header), "-+-".join("-" * w for w in widths)]
    lines += [fmt_row(r) for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _short(t: Term | None) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        for p, ns in PREFIXES.items():
            if t.value.startswith(ns) and t.value != ns:
                return f"{p}:{t.value[len(ns):]}"
        return f"<{t.value}>"
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    text = " ".join(t.value.split())
    return f"{text}@{t.language}" if t.language else text


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def to_turtle(triples) -> str:
    """Triples as Turtle with kgbuild's prefixes."""
    triples = list(triples)
    iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
    iris |= {tr.object.datatype.value for tr in triples if isinstance(tr.object, ox.Literal)}
    # kgr: is left out: its local names hold '/', which Turtle would print as '\/'
    used = {p: ns for p, ns in PREFIXES.items() if p != "kgr" and any(i.startswith(ns) for i in iris)}
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used)
    return data.decode("utf-8")


def _graph_as(triples, fmt: str) -> str:
    if fmt == "json":
        return ox.serialize(list(triples), format=ox.RdfFormat.JSON_LD).decode("utf-8")
    if fmt in ("tsv", "csv"):  # one triple a row, SPARQL results style
        res = QueryResult("select", ("subject", "predicate", "object"),
                          tuple((t.subject, t.predicate, t.object) for t in triples))
        return to_csv(res) if fmt == "csv" else to_tsv(res)
    raise QueryError(f"Unknown output format {fmt!r}.")
