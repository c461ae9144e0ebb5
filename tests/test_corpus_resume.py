"""An interrupted corpus build (``kill -9`` of the whole process group mid-way) resumes where it stopped and
yields the same graph as a clean run; nothing half-written is left behind."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from test_corpus_support import ProcessCounter, write_corpus

from kgbuild.build import run_build
from kgbuild.corpus import BuildOptions
from kgbuild.rdf import RDFFormat

# Each process builds LIMIT articles normally, then hangs: the run is killed while it waits.
# The driver ends its process group when the test process is gone (a pytest killed mid-test leaves nothing behind).
DRIVER = textwrap.dedent("""
    import os, signal, sys, threading, time
    tester = os.getppid()
    def orphaned():
        while os.getppid() == tester:
            time.sleep(0.5)
        os.killpg(0, signal.SIGKILL)
    threading.Thread(target=orphaned, daemon=True).start()
    from kgbuild.pipeline import Pipeline
    original, calls = Pipeline._finish, [0]
    def finish(self, *args):
        calls[0] += 1
        if calls[0] > int(sys.argv[1]):
            time.sleep(600)
        return original(self, *args)
    Pipeline._finish = finish
    from kgbuild.cli import app
    app(sys.argv[2:], prog_name="kgbuild")
""")


def committed(state) -> int:
    try:
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as db:
            return db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
    except sqlite3.Error:
        return 0


def run_until_killed(tmp_path, corpus, out, state, jobs: int, wait_for: int) -> int:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    args = [sys.executable, str(driver), "5", "build", str(corpus), "-o", str(out), "--state", str(state),
            "--model", "builtin", "--jobs", str(jobs), "--format", "nquads", "--no-progress"]
    with open(tmp_path / "stderr.txt", "wb") as err:
        proc = subprocess.Popen(args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 240
        try:
            while committed(state) < wait_for:
                assert proc.poll() is None, (tmp_path / "stderr.txt").read_text()
                assert time.monotonic() < deadline, "the build did not get going"
                time.sleep(0.2)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            gone = time.monotonic() + 30  # worker processes too (they hold the state's lock until they exit)
            while time.monotonic() < gone:
                try:
                    os.killpg(proc.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
    return committed(state)


@pytest.mark.parametrize("jobs", [1, 2])
def test_corpus_killed_run_resumes_to_the_same_graph(tmp_path, monkeypatch, jobs):
    corpus = tmp_path / "news"
    n = len(write_corpus(corpus, copies=2 if jobs == 1 else 3))  # more than one chunk: worker processes
    out, state = tmp_path / "out.nq", tmp_path / "state.sqlite"
    done = run_until_killed(tmp_path, corpus, out, state, jobs, wait_for=4)
    assert 4 <= done < n
    assert not out.exists()  # the output is only written at the end, and atomically
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    counter = ProcessCounter(monkeypatch)
    opts = dict(inputs=[str(corpus)], fmt=RDFFormat.nquads, model="builtin")
    resumed = run_build(BuildOptions(output=str(out), state=state, **opts))
    assert counter.calls == n - done == resumed.articles  # the finished articles are not redone
    assert resumed.unchanged == done

    clean = tmp_path / "clean" / "out.nq"
    clean.parent.mkdir()
    run_build(BuildOptions(output=str(clean), **opts))
    assert out.read_bytes() == clean.read_bytes()
