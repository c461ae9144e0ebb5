"""``kgbuild build --cluster``: a real Dask distributed scheduler and two worker processes on 127.0.0.1 (the
``dask scheduler`` / ``dask worker`` programs); one worker is killed mid-run, and the N-Quads are still
byte-identical to a build on this machine."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_corpus_support import committed, write_corpus

from kgbuild.build import run_build
from kgbuild.corpus import BuildOptions
from kgbuild.lifecycle import die_with_parent
from kgbuild.rdf import RDFFormat

pytest.importorskip("distributed")

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _die_with_pytest() -> None:
    """``preexec_fn`` of the Dask processes: the kernel kills them when this test process dies, however it
    dies (``kill -9`` of pytest, a CI timeout), so that no scheduler or worker outlives the tests."""
    die_with_parent(signal.SIGKILL)


def _start(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as fh:
        return subprocess.Popen([sys.executable, "-m", *args], stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=_die_with_pytest)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler address, [worker processes]): a scheduler and two single-threaded workers, no nanny (a
    killed worker stays dead), shared by the tests of this module (the one that kills a worker comes last)."""
    tmp_path = tmp_path_factory.mktemp("dask")
    info = tmp_path / "scheduler.json"
    procs = [_start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(info)], tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text().strip():
            assert procs[0].poll() is None, (tmp_path / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the Dask scheduler did not start"
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        for i in range(2):
            procs.append(_start(["distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard", "--host", "127.0.0.1",
                                 "--preload", str(FIXTURES / "dask_slow_worker.py")], tmp_path / f"worker{i}.log"))
        yield address, procs[1:]
    finally:
        for proc in reversed(procs):
            _stop(proc)


def test_cluster_rerun_sends_only_changed_articles(tmp_path, cluster):
    address, _ = cluster
    corpus = tmp_path / "news"
    paths = write_corpus(corpus, copies=1)
    out = tmp_path / "cluster.nq"
    opts = dict(inputs=[str(corpus)], output=str(out), fmt=RDFFormat.nquads, model="builtin", cluster=address)
    first = run_build(BuildOptions(**opts))
    assert first.articles == len(paths)
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    second = run_build(BuildOptions(**opts))
    assert (second.articles, second.unchanged) == (1, len(paths) - 1)
    local = tmp_path / "local.nq"
    run_build(BuildOptions(inputs=[str(corpus)], output=str(local), fmt=RDFFormat.nquads, model="builtin"))
    assert out.read_bytes() == local.read_bytes()


def test_cluster_build_with_a_killed_worker_equals_the_local_build(tmp_path, cluster):
    address, workers = cluster
    corpus = tmp_path / "news"
    n = len(write_corpus(corpus, copies=2))
    local = tmp_path / "local.nq"
    run_build(BuildOptions(inputs=[str(corpus)], output=str(local), fmt=RDFFormat.nquads, model="builtin"))

    out, state = tmp_path / "cluster.nq", tmp_path / "cluster.sqlite"
    cmd = [sys.executable, "-m", "kgbuild", "build", str(corpus), "-o", str(out), "--format", "nquads",
           "--model", "builtin", "--state", str(state), "--cluster", address, "--no-progress"]
    with open(tmp_path / "build.log", "wb") as log:
        build = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            while committed(state) < 1:  # the cluster is at work: kill one of its two workers
                assert build.poll() is None, (tmp_path / "build.log").read_text()
                assert time.monotonic() < deadline, "the cluster build did not get going"
                time.sleep(0.05)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait()
            killed_at = committed(state)
            assert build.wait(timeout=180) == 0, (tmp_path / "build.log").read_text()
        finally:
            if build.poll() is None:
                build.kill()
    assert killed_at < n  # the worker died while articles were still to be built
    assert f"{n} article(s) built" in (tmp_path / "build.log").read_text()
    assert out.read_bytes() == local.read_bytes()
