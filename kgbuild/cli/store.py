"""``kgbuild load``, ``kgbuild query`` and ``kgbuild serve``: thin wrappers over :mod:`kgbuild.store`."""
from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from tqdm import tqdm

from kgbuild.cli._app import app, names_a_file
from kgbuild.errors import OutputError, QueryError, StoreError
from kgbuild.files import write_atomic
from kgbuild.store import EmbeddedStore, LoadError, OxigraphServer, load_to_endpoint, load_to_store, make_client
from kgbuild.store.front import QueryFront
from kgbuild.store.sources import check_input
from kgbuild.store.sparql import bind_terms
from kgbuild.store.sparql import query as run_query
from kgbuild.store.terms import parse_binding

log = logging.getLogger("kgbuild.cli")


class OutFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    turtle = "turtle"


class Auth(str, Enum):
    auto = "auto"
    basic = "basic"
    digest = "digest"


class ServerType(str, Enum):
    auto = "auto"
    oxigraph = "oxigraph"
    virtuoso = "virtuoso"
    generic = "generic"


Endpoint = Annotated[Optional[str], typer.Option("--endpoint", "-e", help="SPARQL server URL (Oxigraph: http://host:7878, Virtuoso: http://host:8890/sparql).")]
StorePath = Annotated[Optional[Path], typer.Option("--store", "-s", help="Embedded store folder (pyoxigraph, on disk).")]
User = Annotated[Optional[str], typer.Option("--user", help="User name (or env KGBUILD_STORE_USER, or ~/.netrc).")]
Password = Annotated[Optional[str], typer.Option("--password", help="Password (better: env KGBUILD_STORE_PASSWORD or ~/.netrc).")]
AuthOpt = Annotated[Auth, typer.Option("--auth", help="HTTP auth scheme; auto = digest for Virtuoso, else basic.")]
ServerOpt = Annotated[ServerType, typer.Option("--server-type", help="URL layout of the server; auto guesses from the URL.")]
Timeout = Annotated[float, typer.Option("--timeout", help="Seconds to wait for each answer.")]
Retries = Annotated[int, typer.Option("--retries", help="Retries on dropped connections, timeouts, 5xx.")]


def _client(endpoint: str, user, password, auth: Auth, server: ServerType, timeout: float, retries: int):
    if user and password is None and not os.environ.get("KGBUILD_STORE_PASSWORD") and sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True)
    return make_client(endpoint, server=server.value, user=user, password=password, auth=auth.value,
                       timeout=timeout, retries=retries)


@app.command("query")
def query_cmd(
    args: Annotated[Optional[list[str]], typer.Argument(help="RDF files, then the SPARQL query (no query with --file).", show_default=False)] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the query from this file ('-' = stdin).")] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", help="table, or SPARQL 1.1 results csv/tsv/json; graphs as turtle.")] = OutFormat.table,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    bind: Annotated[Optional[list[str]], typer.Option("--bind", "-b", help="name=value, bound (not spliced) into the query; repeatable.")] = None,
    store: StorePath = None,
    endpoint: Endpoint = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")] = None,
    user: User = None, password: Password = None, auth: AuthOpt = Auth.auto, server_type: ServerOpt = ServerType.auto,
    timeout: Timeout = 60.0, retries: Retries = 2,
) -> None:
    """Run a SPARQL query over RDF files, an embedded store (--store) or a SPARQL endpoint (--endpoint).

    kgbuild's prefixes (kg:, kgr:, wd:, wdt:, nif:, schema:, rdfs:, xsd: ...) are predeclared; the default
    graph is the union of all graphs.

    Example: kgbuild query out.ttl 'SELECT ?x WHERE { ?x kg:visits ?p }' --bind p=wd:Q423
    """
    files, sparql = _split_args(list(args or []), file)
    bindings = bind_terms(dict(parse_binding(b) for b in bind or []))
    options = {}
    if endpoint:
        options["endpoint"] = _client(endpoint, user, password, auth, server_type, timeout, retries)
    result = run_query(sparql, files, store=store, bindings=bindings, **options)
    text = result.write("json" if as_json else fmt.value)
    _emit(text, output)


def _split_args(args: list[str], file: Optional[Path]) -> tuple[list[str], str]:
    if file is not None:
        if str(file) == "-":
            return args, sys.stdin.read()
        if not file.is_file():
            raise QueryError(f"Query file {str(file)!r} not found.")
        return args, file.read_text(encoding="utf-8")
    if not args:
        raise QueryError("No query given: pass it as the last argument or with --file q.rq.")
    query = args[-1]
    if query.endswith((".rq", ".sparql")) and names_a_file(query):
        query = Path(query).read_text(encoding="utf-8")
    return args[:-1], query


def _emit(text: str, output: Optional[Path]) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text, parents=True)
    except OSError as exc:
        raise OutputError(f"Cannot write {str(output)!r}: {exc.strerror or exc}. Check the folder and its permissions.") from None


@app.command("load")
def load_cmd(
    graphs: Annotated[list[Path], typer.Argument(help="RDF files (Turtle, N-Triples, TriG, N-Quads, JSON-LD; .gz too).", show_default=False)],
    endpoint: Endpoint = None,
    store: StorePath = None,
    graph: Annotated[Optional[str], typer.Option("--graph", "-g", help="Put everything into this one named graph.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace each graph (HTTP PUT) instead of adding (POST).")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Triples per request; larger graphs go via a temporary graph + MOVE.")] = 1_000_000,
    bulk: Annotated[bool, typer.Option("--bulk", help="--store only: pyoxigraph's bulk loader (fast, not atomic).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary (graphs loaded / not loaded) as JSON on stdout.")] = False,
    user: User = None, password: Password = None, auth: AuthOpt = Auth.auto, server_type: ServerOpt = ServerType.auto,
    timeout: Timeout = 60.0, retries: Retries = 3,
) -> None:
    """Load RDF files into a SPARQL server (Graph Store Protocol) or an embedded store, one graph per document.

    Example: kgbuild load out/*.ttl --endpoint http://127.0.0.1:7878 --replace (see docs/STORES.md)
    """
    if (endpoint is None) == (store is None):
        raise StoreError("Say where to load: --endpoint URL or --store PATH (one of them).")
    if bulk and endpoint:
        raise StoreError("--bulk is for --store (pyoxigraph's bulk loader); a server gets one request per graph.")
    for path in graphs:  # before a store is created or a server is contacted
        check_input(path)
    bar = tqdm(unit=" triples", unit_scale=True, file=sys.stderr, disable=None, desc="loading")
    try:
        if endpoint:
            client = _client(endpoint, user, password, auth, server_type, timeout, retries)
            report = load_to_endpoint(graphs, client, graph, replace, batch_size, progress=bar.update)
        else:
            with EmbeddedStore(store) as st:
                report = load_to_store(graphs, st, graph, replace, progress=bar.update, bulk=bulk)
    except LoadError as exc:
        bar.close()
        if as_json:
            typer.echo(json.dumps(exc.report.as_dict(), indent=1))
        raise
    bar.close()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=1))
    rate = report.triples / report.seconds if report.seconds else 0
    graphs = f"{report.graphs} graph{'s' if report.graphs != 1 else ''}"
    typer.echo(f"kgbuild: loaded {report.triples} triples in {graphs} in {report.seconds:.2f} s "
               f"({rate:,.0f} triples/s)", err=True)


@app.command("serve")
def serve_cmd(
    graphs: Annotated[Optional[list[Path]], typer.Argument(help="RDF files to serve (loaded into a temporary store).", show_default=False)] = None,
    store: StorePath = None,
    port: Annotated[int, typer.Option("--port", "-p", help="TCP port.")] = 7878,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    timeout: Annotated[float, typer.Option("--timeout", min=0, help="Stop a query after this many seconds (503 to the client); 0 = no limit (Oxigraph's own server).")] = 30.0,
) -> None:
    """Serve a read-only SPARQL endpoint over an embedded store or RDF files.

    Queries: http://HOST:PORT/query; the default graph is the union of all graphs. Each query runs in a
    process of its own that is killed after --timeout seconds. Ctrl-C stops it.
    """
    if bool(graphs) == (store is not None):
        raise StoreError("Serve either --store PATH or RDF files, not both and not neither.")
    tmp = None
    if graphs:
        tmp = tempfile.TemporaryDirectory(prefix="kgbuild-serve-")
        with EmbeddedStore(tmp.name) as st:
            report = load_to_store(graphs, st)
        typer.echo(f"kgbuild: {report.triples} triples in {report.graphs} graphs", err=True)
        store = Path(tmp.name)
    elif not store.exists():
        raise QueryError(f"Store {str(store)!r} not found; create it with `kgbuild load FILES --store {store}`.")
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: other machines can query this store", host)
    if timeout > 0:
        front = QueryFront(store, host=host, port=port, timeout=timeout)
        try:
            front.start()
            typer.echo(f"kgbuild: SPARQL endpoint at {front.url}/query (read-only); queries stopped after "
                       f"{timeout:g} s; Ctrl-C stops it", err=True)
            front.serve_forever()
        finally:
            front.stop()
            if tmp:
                tmp.cleanup()
        return
    server = OxigraphServer(store, host=host, port=port, read_only=True)
    try:
        server.start()
        typer.echo(f"kgbuild: SPARQL endpoint at {server.url}/query (read-only); Ctrl-C stops it", err=True)
        code = server.wait()
        if code not in (0, -2, -15):
            raise StoreError(f"The oxigraph server stopped with exit code {code}; run with -v to see its command.")
    finally:
        server.stop()
        if tmp:
            tmp.cleanup()
