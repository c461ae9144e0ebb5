"""Faults leave nothing behind (issue 16): a ``--jobs 2`` build killed with SIGKILL or SIGTERM at a random
point (the parent, or a worker) leaves no process running and no stale lock, and a rerun finishes with
the same graph as a clean build; ``kgbuild serve`` stops its Oxigraph child (or its query processes) on SIGTERM and SIGKILL.
Small on purpose: 18 short articles, the built-in pipeline, each article slowed down to 0.3 s so that
the kill lands in the middle of the work."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_corpus_support import committed

psutil = pytest.importorskip("psutil")

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "Bundeskanzler Olaf Scholz hat am Montag in Paris den französischen Präsidenten Emmanuel Macron getroffen.",
    "Außenministerin Annalena Baerbock ist am Dienstag nach Kiew gereist.",
    "US President Joe Biden met Japanese Prime Minister Fumio Kishida in Tokyo on Monday.",
    "Wladimir Putin traf Kim Jong-un in Pjöngjang. Die beiden unterzeichneten einen Vertrag.",
    "NATO leaders met in Vilnius on Tuesday to discuss Ukraine.",
    "Angela Merkel ist nach Peking gereist und hat dort Xi Jinping getroffen.",
]
COPIES = 3  # 18 articles: more than one chunk (16), so that the build starts workers
# The CLI entry point (with its signal handling), with every article slowed down a little.
DRIVER = textwrap.dedent("""
    import sys, time
    from kgbuild.pipeline import Pipeline
    original = Pipeline._finish
    def finish(self, *args, **kwargs):
        time.sleep(0.3)
        return original(self, *args, **kwargs)
    Pipeline._finish = finish
    sys.argv = ["kgbuild"] + sys.argv[1:]
    from kgbuild.cli import main
    main()
""")


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for copy in range(COPIES):
        for i, text in enumerate(TEXTS):
            (folder / f"a{i}-{copy}.txt").write_text(f"{text}\n\n{copy}\n", encoding="utf-8")
    return folder



def start_build(tmp_path: Path, src: Path, out: Path, state: Path, jobs: int = 2) -> subprocess.Popen:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(driver), "build", str(src), "-o", str(out), "--state", str(state),
                             "--model", "builtin", "--jobs", str(jobs), "--format", "nquads", "--no-progress"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_workers(proc: subprocess.Popen, n: int, timeout: float = 120) -> list:
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        kids = [k for k in parent.children() if "python" in (k.name() or "")]
        if len(kids) >= n:
            return kids
        time.sleep(0.05)
    raise AssertionError("the workers did not start")


def gone(procs: list, timeout: float = 10) -> bool:
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return not alive


def quads(path: Path) -> set[str]:
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


@pytest.fixture(scope="module")
def clean_graph(tmp_path_factory) -> set[str]:
    tmp = tmp_path_factory.mktemp("clean")
    src = corpus(tmp)
    out = tmp / "out.nq"
    res = subprocess.run([sys.executable, "-m", "kgbuild", "build", str(src), "-o", str(out), "--model", "builtin",
                          "--format", "nquads", "--no-progress"], env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    return quads(out)


def rerun(src: Path, out: Path, state: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kgbuild", "build", str(src), "-o", str(out), "--state", str(state),
                           "--model", "builtin", "--jobs", "2", "--format", "nquads", "--no-progress"],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("victim,sig,seed", [
    ("parent", signal.SIGKILL, 1), ("parent", signal.SIGTERM, 2), ("worker", signal.SIGKILL, 3),
])
def test_killed_build_leaves_nothing_and_resumes_to_the_clean_graph(tmp_path, clean_graph, victim, sig, seed):
    src, out, state = corpus(tmp_path), tmp_path / "out.nq", tmp_path / "state.sqlite"
    proc = start_build(tmp_path, src, out, state)
    try:
        workers = wait_for_workers(proc, 2)
        time.sleep(random.Random(seed).uniform(0.0, 1.5))  # a random point of the run
        target = proc.pid if victim == "parent" else workers[0].pid
        os.kill(target, sig)
        if victim == "parent":
            code = proc.wait(timeout=60)
            assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM), code
        else:
            code = proc.wait(timeout=60)
            assert code != 0  # the run stops: a worker died
        assert gone(workers), "worker processes outlived the build"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    res = rerun(src, out, state)
    assert res.returncode == 0, res.stderr.decode()
    assert "another kgbuild build" not in res.stderr.decode()
    assert quads(out) == clean_graph
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    src, out, state = corpus(tmp_path), tmp_path / "out.nq", tmp_path / "state.sqlite"
    proc = start_build(tmp_path, src, out, state, jobs=1)
    deadline = time.monotonic() + 120
    while committed(state) < 1:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert code == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    assert 1 <= committed(state) < len(TEXTS) * COPIES  # what was finished is kept


def test_a_port_is_free_again_as_soon_as_its_server_stopped():
    """A server that closed its side of a connection first leaves it in TIME_WAIT for up to a minute; the
    port is free all the same (Oxigraph and kgbuild's front bind with SO_REUSEADDR), so `kgbuild serve`
    restarts on it at once. Before, the probe said "in use" (and CI's serve test failed now and then)."""
    import socket

    from kgbuild.store.server import port_free

    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port = srv.getsockname()[1]
    assert not port_free("127.0.0.1", port)  # listened on
    cli = socket.create_connection(("127.0.0.1", port))
    conn, _ = srv.accept()
    conn.close()  # the server's side closes first ...
    assert cli.recv(1) == b""
    cli.close()  # ... and stays in TIME_WAIT after the client's close
    srv.close()
    assert port_free("127.0.0.1", port)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
@pytest.mark.parametrize("timeout", ["0", "30"])  # 0: Oxigraph's server; 30: kgbuild's front and its query process
def test_serve_stops_its_server_on_any_signal(tmp_path, sig, timeout):
    import shutil

    if not shutil.which("oxigraph"):
        pytest.skip("the oxigraph server is not installed")
    from kgbuild.store.server import free_port, port_free

    graph = tmp_path / "g.nt"
    graph.write_text('<https://example.org/a> <https://example.org/p> "x" .\n', encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kgbuild", "serve", str(graph), "--port", str(port), "--timeout", timeout],
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while port_free("127.0.0.1", port):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        children = psutil.Process(proc.pid).children(recursive=True)
        while not children and time.monotonic() < deadline:  # kgbuild's front may bind the port before its
            time.sleep(0.1)                                  # spare query process has started
            children = psutil.Process(proc.pid).children(recursive=True)
        assert children
        proc.send_signal(sig)
        proc.wait(timeout=30)
        assert gone(children), "the oxigraph server outlived kgbuild serve"
        deadline = time.monotonic() + 5  # the kernel may take a moment to drop a dead process's listening socket
        while not port_free("127.0.0.1", port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert port_free("127.0.0.1", port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def test_a_lock_held_by_leftovers_of_a_dead_build_is_waited_for(tmp_path):
    """The lock file names a build that is dead; a process it left behind still holds the lock for a moment
    (as a dying worker would): the next build waits for it instead of refusing."""
    from kgbuild.build import run_build
    from kgbuild.corpus import BuildOptions
    from kgbuild.rdf import RDFFormat

    src, state = corpus(tmp_path), tmp_path / "state.sqlite"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(state) + '.lock'!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.pwrite(fd, b"{dead.stdout.strip()}\\n", 0)
        print("locked", flush=True)
        time.sleep(1.5)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        summary = run_build(BuildOptions(inputs=[str(src)], output=str(tmp_path / "out.nq"), state=state,
                                         fmt=RDFFormat.nquads, model="builtin"))
        assert summary.articles == len(TEXTS) * COPIES
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()

