"""``kgbuild build --cluster``: a real Dask distributed scheduler and two worker processes on 127.0.0.1 (the
``dask scheduler`` / ``dask worker`` programs). Shards with their own states: a rerun runs only the shards
of changed or added articles, a killed client resumes without redoing the shards the workers finished, one
worker is killed mid-run; the N-Quads are byte-identical to a build on this machine every time. The shard
task itself (state kept, checkpoints) is also tested in this process, without Dask."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_corpus_support import EXAMPLES, committed, write_corpus

from kgbuild.build import run_build
from kgbuild.corpus import BuildOptions, BuildState, DocError
from kgbuild.corpus import cluster as cl
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


def _local_build(corpus: Path, out: Path) -> bytes:
    run_build(BuildOptions(inputs=[str(corpus)], output=str(out), fmt=RDFFormat.nquads, model="builtin"))
    return out.read_bytes()


def _ids(state: Path) -> dict[str, str]:
    """id -> hash of the documents of a state file (the client's or a shard's), read-only."""
    if not state.exists():
        return {}
    with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT id, hash FROM docs"))


def _shard_files(state: Path, shards: int = 64) -> dict[str, int]:
    """Shard state file name -> mtime (ns) of the shard folder that belongs to the client state ``state``."""
    folder = cl.shard_folder(state, shards)
    return {p.name: p.stat().st_mtime_ns for p in sorted(folder.glob("*.sqlite"))}


def test_cluster_rerun_runs_only_the_shards_of_changed_added_and_removed_articles(tmp_path, cluster):
    address, _ = cluster
    corpus = tmp_path / "news"
    paths = write_corpus(corpus, copies=1)
    out, state = tmp_path / "cluster.nq", tmp_path / "state.sqlite"
    opts = dict(inputs=[str(corpus)], output=str(out), fmt=RDFFormat.nquads, model="builtin", cluster=address,
                state=state)
    first = run_build(BuildOptions(**opts))
    ids = _ids(state)
    shards = {cl.shard_of(i, 64) for i in ids}
    assert first.articles == len(paths) == len(ids)
    assert (first.shards, first.shards_run, first.reused) == (64, len(shards), 0)
    assert set(_shard_files(state)) == {cl.shard_path(Path(), s).name for s in shards}  # one state per shard
    assert sum(len(_ids(cl.shard_path(cl.shard_folder(state, 64), s))) for s in shards) == len(paths)
    assert out.read_bytes() == _local_build(corpus, tmp_path / "local1.nq")

    before = _shard_files(state)
    folder = cl.shard_folder(state, 64)
    old, fresh = folder / ".00001.sqlite.killed.tmp", folder / ".00002.sqlite.writing.tmp"  # left by killed tasks
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(old, (time.time() - 2 * cl.LEFTOVER_SECONDS,) * 2)
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    (corpus / "neu.txt").write_text(paths[1].read_text(encoding="utf-8") + "\nNeu.\n", encoding="utf-8")
    paths[2].unlink()
    second = run_build(BuildOptions(**opts))
    after_ids = _ids(state)
    changed = {i for i in after_ids if ids.get(i) != after_ids[i]}
    (gone,) = set(ids) - set(after_ids)
    assert len(changed) == 2  # the edited article and the new one
    touched = {cl.shard_path(Path(), cl.shard_of(i, 64)).name for i in changed | {gone}}
    assert (second.articles, second.unchanged, second.removed, second.shards_run) == (
        2, len(paths) - 2, 1, len(touched))
    after = _shard_files(state)
    assert {name for name in after if after[name] != before.get(name)} == touched  # no other shard was rewritten
    assert not old.exists() and fresh.exists()  # an old leftover is removed, one a task may still write is not
    in_shards = {i: h for name in after for i, h in _ids(folder / name).items()}
    assert in_shards == after_ids  # the shard states together hold exactly the client's documents
    assert out.read_bytes() == _local_build(corpus, tmp_path / "local2.nq")

    # nothing to build: no shard runs, the cluster is not even contacted (here: no scheduler at that address);
    # a removed article still leaves its shard's state
    paths[3].unlink()
    third = run_build(BuildOptions(**{**opts, "cluster": "tcp://127.0.0.1:9"}))
    assert (third.articles, third.unchanged, third.removed, third.shards_run) == (0, len(paths) - 1, 1, 0)
    now = _shard_files(state)
    assert {name for name in now if now[name] != after[name]} == {
        cl.shard_path(Path(), cl.shard_of(i, 64)).name for i in set(after_ids) - set(_ids(state))}
    assert {i for name in now for i in _ids(folder / name)} == set(_ids(state))


def _settled(folder: Path, quiet: float = 2.0, limit: float = 60.0) -> dict[str, int]:
    """The shard files once none has changed for ``quiet`` seconds (tasks of a killed client may still end)."""
    last, since, deadline = None, time.monotonic(), time.monotonic() + limit
    while time.monotonic() < deadline:
        now = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.sqlite")}
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        time.sleep(0.2)
    return last or {}


def test_cluster_client_killed_mid_run_resumes_without_redoing_finished_shards(tmp_path, cluster):
    address, _ = cluster
    corpus = tmp_path / "news"
    n = len(write_corpus(corpus, copies=2))
    out, state = tmp_path / "cluster.nq", tmp_path / "cluster.sqlite"
    cmd = [sys.executable, "-m", "kgbuild", "build", str(corpus), "-o", str(out), "--format", "nquads",
           "--model", "builtin", "--state", str(state), "--cluster", address, "--no-progress"]
    with open(tmp_path / "build.log", "wb") as log:
        build = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 180
            while committed(state) < 2:
                assert build.poll() is None, (tmp_path / "build.log").read_text()
                assert time.monotonic() < deadline, "the cluster build did not get going"
                time.sleep(0.05)
        finally:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    folder = cl.shard_folder(state, 64)
    before = _settled(folder)
    recorded = _ids(state)
    assert 2 <= len(recorded) < n and not out.exists()  # killed mid-run
    in_shards = {}
    for name in before:
        in_shards.update(_ids(folder / name))
    waiting = set(in_shards) - set(recorded)  # finished by a worker, never received by the killed client

    summary = run_build(BuildOptions(inputs=[str(corpus)], output=str(out), fmt=RDFFormat.nquads, model="builtin",
                                     cluster=address, state=state))
    assert (summary.unchanged, summary.articles) == (len(recorded), n - len(recorded))
    assert summary.reused == len(waiting)  # taken from the shard states, not built again
    after, members = _shard_files(state), {}
    for doc_id in _ids(state):
        members.setdefault(cl.shard_path(Path(), cl.shard_of(doc_id, 64)).name, set()).add(doc_id)
    finished = [name for name in before if members[name] <= set(in_shards)]  # shards complete before the rerun
    assert finished and all(after[name] == before[name] for name in finished)  # ... were not run again
    assert set(after) == set(members)
    assert out.read_bytes() == _local_build(corpus, tmp_path / "local.nq")


def test_a_scheduler_without_kgbuild_is_one_clear_error(tmp_path):
    """A scheduler started where kgbuild can't be imported cannot read the tasks: one error line, no output (it
    was a 75-line traceback from Dask's deserialisation). A package of that name that fails to import stands for
    the missing install here."""
    fake = tmp_path / "fake" / "kgbuild"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('kgbuild is not installed here')\n", encoding="utf-8")
    info = tmp_path / "scheduler.json"
    env = dict(os.environ, PYTHONPATH=str(fake.parent))
    with open(tmp_path / "scheduler.log", "wb") as fh:
        scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                      "--port", "0", "--no-dashboard", "--scheduler-file", str(info)], stdout=fh,
                                     stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_pytest,
                                     env=env, cwd=tmp_path)  # not the checkout: python -m puts the cwd first
    procs = [scheduler]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text().strip():
            assert scheduler.poll() is None and time.monotonic() < deadline, (tmp_path / "scheduler.log").read_text()
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        procs.append(_start(["distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
                             "--no-dashboard", "--host", "127.0.0.1"], tmp_path / "worker.log"))
        corpus, out = tmp_path / "news", tmp_path / "out.nq"
        write_corpus(corpus, copies=1)
        res = subprocess.run([sys.executable, "-m", "kgbuild", "build", str(corpus), "-o", str(out), "--model",
                              "builtin", "--cluster", address], capture_output=True, text=True, timeout=240)
        assert res.returncode != 0 and "Traceback" not in res.stderr, res.stderr
        errors = [line for line in res.stderr.splitlines() if "cannot import kgbuild" in line]
        assert len(errors) == 1 and address in errors[0] and "kgbuild is not installed here" in errors[0]
        assert not out.exists()
    finally:
        for proc in reversed(procs):
            _stop(proc)


def test_cluster_build_with_a_killed_worker_equals_the_local_build(tmp_path, cluster):
    address, workers = cluster
    corpus = tmp_path / "news"
    n = len(write_corpus(corpus, copies=2))
    local = tmp_path / "local.nq"
    run_build(BuildOptions(inputs=[str(corpus)], output=str(local), fmt=RDFFormat.nquads, model="builtin"))

    out, state = tmp_path / "cluster.nq", tmp_path / "cluster.sqlite"
    cmd = [sys.executable, "-m", "kgbuild", "build", str(corpus), "-o", str(out), "--format", "nquads",
           "--model", "builtin", "--state", str(state), "--cluster", address, "--progress"]
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
    text = (tmp_path / "build.log").read_text()
    assert f"{n} article(s) built" in text
    shards = len({cl.shard_of(i, 64) for i in _ids(state)})
    assert f"{n}/{n} [" in text and f"shards={shards}/{shards}" in text  # the progress bar: articles and shards
    assert out.read_bytes() == local.read_bytes()


# ---------------------------------------------------------------- the shard task, in this process

def _articles(tmp_path: Path, count: int = 3):
    from kgbuild.read import read_inputs

    corpus = tmp_path / "news"
    for src in EXAMPLES[:count]:
        (corpus / src.name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    return sorted(read_inputs([str(corpus)]), key=lambda a: a.id)


def test_shard_task_keeps_its_state_and_reuses_it(tmp_path):
    articles = _articles(tmp_path)
    options = BuildOptions(inputs=[], model="builtin")
    path = tmp_path / "shards" / "00001.sqlite"
    first = cl.build_shard(1, str(path), articles, options, "fp")
    assert (first.built, first.reused, first.saved) == (3, 0, True)
    assert sorted(_ids(path)) == [a.id for a in articles]
    stamp = path.stat().st_mtime_ns

    again = cl.build_shard(1, str(path), articles, options, "fp")
    assert (again.built, again.reused, again.saved) == (0, 3, False) and path.stat().st_mtime_ns == stamp
    assert [r.nt_z for r in again.results] == [r.nt_z for r in first.results]

    import dataclasses
    edited = [dataclasses.replace(articles[0], text=articles[0].text + "\nNachtrag.\n")] + articles[1:]
    third = cl.build_shard(1, str(path), edited, options, "fp")
    assert (third.built, third.reused) == (1, 2) and third.results[1:] == again.results[1:]
    dropped = cl.build_shard(1, str(path), edited[:2], options, "fp", [edited[2].id, "never-there"])
    assert (dropped.built, dropped.reused, dropped.saved) == (0, 2, True)  # a removed article leaves the state
    assert sorted(_ids(path)) == sorted(a.id for a in edited[:2])
    french = dataclasses.replace(edited[1], text="Le président est arrivé à Paris pour signer un traité avec "
                                                 "le chancelier, a annoncé le gouvernement.\n", lang=None)
    failed = cl.build_shard(1, str(path), [edited[0], french], options, "fp")
    assert isinstance(failed.results[1], DocError) and failed.saved  # an article that can't be built any more ...
    assert sorted(_ids(path)) == [edited[0].id]  # ... leaves the shard's state, as it leaves the output
    other = cl.build_shard(1, str(path), edited, options, "other settings")  # another fingerprint: all anew
    assert (other.built, other.reused) == (3, 0)


def test_shard_task_killed_mid_way_resumes_from_its_checkpoint(tmp_path, monkeypatch):
    articles = _articles(tmp_path)
    options = BuildOptions(inputs=[], model="builtin")
    path = tmp_path / "shards" / "00002.sqlite"
    real = cl.build_stream

    def dies_after_two(items, opts):
        for i, res in enumerate(real(items, opts)):
            if i == 2:
                raise RuntimeError("worker lost")
            yield res

    monkeypatch.setattr(cl, "CHECKPOINT_SECONDS", 0.0)
    monkeypatch.setattr(cl, "build_stream", dies_after_two)
    with pytest.raises(RuntimeError):
        cl.build_shard(2, str(path), articles, options, "fp")
    assert len(_ids(path)) == 2  # two articles were checkpointed before the failure
    monkeypatch.setattr(cl, "build_stream", real)
    retry = cl.build_shard(2, str(path), articles, options, "fp")
    assert (retry.built, retry.reused) == (1, 2)
    state = BuildState(tmp_path / "check.sqlite", "fp")
    assert state.result_of("nope", "x") is None
    state.close()


def test_shard_of_is_stable_and_spreads_ids():
    ids = [f"article-{i}" for i in range(2000)]
    shards = [cl.shard_of(i, 64) for i in ids]
    assert shards == [cl.shard_of(i, 64) for i in ids]  # a pure function of the id
    counts = [shards.count(s) for s in range(64)]
    assert min(counts) > 10 and max(counts) < 60  # about 31 each


def test_dask_processes_of_these_tests_die_with_the_test_process(tmp_path):
    """A process that starts a scheduler the way the fixture does is killed with SIGKILL: the scheduler
    must go with it (no orphaned Dask processes after a killed test run)."""
    starter = tmp_path / "starter.py"
    starter.write_text(
        "import sys, time, pathlib\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "import test_corpus_cluster as t\n"
        "p = t._start(['distributed.cli.dask_scheduler', '--host', '127.0.0.1', '--port', '0', '--no-dashboard'],"
        f" pathlib.Path({str(tmp_path / 'scheduler.log')!r}))\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(120)\n", encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(starter)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert _alive(child)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    from kgbuild.lifecycle import pid_alive

    return pid_alive(pid)
