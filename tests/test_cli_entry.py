"""The CLI entry point (``kgbuild.cli.main``): it imports only the module of the command it runs (``COMMANDS``,
checked against what the modules register), and ends the process with ``os._exit`` after its work
(``kgbuild.cli.exit_now``): the exit code, everything written to stdout and stderr, and the ``atexit``
handlers are as with a normal exit."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
DRIVER = textwrap.dedent("""
    import atexit, sys
    marker = sys.argv.pop(1)
    def done():
        loaded = sorted(m for m in ("spacy", "kgbuild.store", "kgbuild.view", "kgbuild.evaluation") if m in sys.modules)
        open(marker, "w").write("atexit ran: " + " ".join(loaded))
    atexit.register(done)
    sys.argv = ["kgbuild"] + sys.argv[1:]
    from kgbuild.cli import main
    main()
""")


def run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, Path]:
    marker = tmp_path / f"atexit-{len(list(tmp_path.iterdir()))}"
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(marker), *args], capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    return proc, marker


def test_cli_exit_keeps_stdout_exit_code_and_atexit(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Bundeskanzler Olaf Scholz hat am Montag in Paris den französischen Präsidenten Emmanuel Macron "
                   "getroffen. Die beiden sprachen über die Ukraine.\n", encoding="utf-8")
    proc, marker = run(tmp_path, "build", str(src), "--model", "builtin", "--format", "nt", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    triples = list(ox.parse(proc.stdout, format=ox.RdfFormat.N_TRIPLES))  # all of it, up to the last line
    assert f"{len(triples)} triples" in proc.stderr.decode()
    assert marker.read_text().startswith("atexit ran")


def test_cli_exit_error_code_and_message(tmp_path):
    proc, marker = run(tmp_path, "build", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out.ttl"))
    assert proc.returncode == 1
    assert proc.stderr.decode().strip().startswith("kgbuild: error:") and "missing.txt" in proc.stderr.decode()
    assert marker.read_text().startswith("atexit ran")
    proc, marker = run(tmp_path)  # no command: the help, usage exit code
    assert proc.returncode == 2 and b"Usage" in proc.stdout + proc.stderr
    assert marker.read_text().startswith("atexit ran")


def test_cli_commands_map_to_the_modules_that_register_them():
    from kgbuild.cli import COMMAND_MODULES, COMMANDS, app

    registered = {}
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        registered[name] = info.callback.__module__.rsplit(".", 1)[1]
    for group in app.registered_groups:
        modules = {c.callback.__module__.rsplit(".", 1)[1] for c in group.typer_instance.registered_commands}
        assert len(modules) == 1
        registered[group.name] = modules.pop()
    assert registered == COMMANDS
    assert set(COMMANDS.values()) == set(COMMAND_MODULES)


def test_cli_imports_only_the_command_it_runs(tmp_path):
    proc, marker = run(tmp_path, "query", "--help")
    assert proc.returncode == 0 and b"SPARQL" in proc.stdout
    assert marker.read_text() == "atexit ran: kgbuild.store"  # neither spaCy nor the other commands' code
    proc, marker = run(tmp_path, "-q", "kb", "--help")
    assert proc.returncode == 0 and marker.read_text() == "atexit ran: "
    proc, marker = run(tmp_path, "--help")  # every command listed
    assert proc.returncode == 0 and all(f" {name} " in proc.stdout.decode() for name in ("build", "eval", "query", "kb"))


def test_view_draws_a_graph_without_importing_spacy(tmp_path):
    """``kgbuild view`` reads the relation vocabulary (``kgbuild.relations.catalogue``) but no pipeline: the
    relations package imports its extractors, and spaCy with them, only when one is asked for."""
    proc, marker = run(tmp_path, "view", str(ROOT / "examples" / "expected" / "putin-nordkorea.de.ttl"),
                       "-o", str(tmp_path / "g.html"))
    assert proc.returncode == 0, proc.stderr
    assert "visits" in (tmp_path / "g.html").read_text(encoding="utf-8")
    assert "spacy" not in marker.read_text().split()
    proc = subprocess.run([sys.executable, "-c", "from kgbuild.relations import extract_events; import sys; "
                           "print(extract_events.__module__, 'spacy' in sys.modules)"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.stdout.split() == ["kgbuild.relations.extract", "True"], proc.stderr
