#!/usr/bin/env python
"""KB scale benchmark: `kgbuild kb import --bulk` of simulated Wikidata dumps (``wikidata_sim.py``) of
several sizes, then the store built from each: file size, open time, RSS after open, lookups/s.

Per size and ``--jobs`` value: wall time, input lines/s and kept items/s (``kgbuild kb import --bulk`` as a
subprocess; peak memory = the highest sum of RSS over the process and its workers, sampled every 0.2 s).
Per KB: size, entities, names, open time (median of 3 fresh processes), RSS of a fresh process after open,
cold lookups/s on the spotter workload (every 1- to 4-gram of the reference article: mostly non-names) and
on real names of the KB (each one SQL query). Also per-line costs on one core (decompression, a skipped
line, a kept item) for extrapolating to the real dump on paper. Nothing is asserted; numbers go to
benchmarks/REPORT.md and docs/KB.md.

Usage: python benchmarks/bench_kb_scale.py --sizes 100000,1000000,2000000 --jobs 1,2 --dir /tmp/kbsim
       [--wiki-share 0.07] [--jobs-at-largest 2] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
SEED = Path(os.environ.get("KGBUILD_SHARED") or ROOT.parent / "shared") / "seed" / "putin-nordkorea.de.txt"


def generate(directory: Path, sizes: list[int], share: float, seed: int) -> dict[int, Path]:
    """One pass of the generator writes every size (the smaller dumps are prefixes of the larger)."""
    from wikidata_sim import Sim, load_names, open_out

    paths = {n: directory / f"sim-{n}-{share}.json.gz" for n in sizes}
    todo = {n: p for n, p in paths.items() if not p.is_file()}
    if not todo:
        return paths
    sim = Sim(load_names(), seed, share)
    outs = {n: open_out(p.with_suffix(".tmp"), gz=True) for n, p in todo.items()}
    start = time.perf_counter()
    for out in outs.values():
        out.write(b"[\n")
    for i in range(max(todo)):
        line = sim.line(i)
        for n, out in outs.items():
            if i < n:
                out.write(line + (b",\n" if i < n - 1 else b"\n"))
    for n, out in outs.items():
        out.write(b"]\n")
        out.close()
        todo[n].with_suffix(".tmp").rename(todo[n])
    print(f"generated {sorted(todo)} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return paths


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(dump: Path, kb: Path, jobs: int) -> dict:
    for old in (kb, kb.with_name(kb.name + ".tmp")):
        old.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "kgbuild", "kb", "import", "--bulk", str(dump), "--kb", str(kb), "--jobs", str(jobs),
           "--no-progress", "--json"]
    start, cpu0 = time.perf_counter(), _children_cpu()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        try:
            rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    out, err = proc.communicate()
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu0
    if proc.returncode != 0:
        raise SystemExit(f"import failed: {err[-2000:]}")
    rep = json.loads(out)
    return {"jobs": jobs, "wall_s": round(wall, 1), "lines": rep["lines"], "kept": rep["kept"],
            "lines_per_s": round(rep["lines"] / wall), "kept_per_s": round(rep["kept"] / wall),
            "cpu_s": round(cpu, 1), "lines_per_cpu_s": round(rep["lines"] / cpu), "kept_per_cpu_s": round(rep["kept"] / cpu),
            "read_parse_s": rep["seconds"]["read_parse"], "merge_s": rep["seconds"]["merge"],
            "peak_rss_mb": round(peak / 2**20), "decompressor": rep["decompressor"], "parser": rep["parser"],
            "entities": rep["entities"], "names": rep["names"], "errors": rep["error_count"],
            "load_avg_1min": round(os.getloadavg()[0], 1)}


_PROBE = r"""
import json, re, sys, time, random, psutil
t = time.perf_counter()
from kgbuild.kb import SQLiteKB
kb = SQLiteKB(sys.argv[1])
opened = time.perf_counter() - t
rss = psutil.Process().memory_info().rss
text = open(sys.argv[2], encoding="utf-8").read() if sys.argv[2] else ""
toks = re.findall(r"\w[\w'-]*", text)
grams = [" ".join(toks[i:i + n]) for n in range(1, 5) for i in range(len(toks) - n + 1)]
from kgbuild.kb.normalize import norm_key, stem_key
def rate(items):  # best of 3 cold passes (memo and normalisation caches cleared), per wall and per CPU second
    best = cpu = 0.0
    for _ in range(3):
        kb.clear_cache()
        norm_key.cache_clear()
        stem_key.cache_clear()
        s, c = time.perf_counter(), time.process_time()
        for x in items:
            kb.lookup(x, "de")
        best = max(best, len(items) / (time.perf_counter() - s))
        cpu = max(cpu, len(items) / max(1e-9, time.process_time() - c))
    return [round(best), round(cpu)]
names = [r[0] for r in kb._conn.execute("SELECT name FROM names WHERE rowid % 997 = 0 LIMIT 3000")]
fresh = [f"Wort{i} Nummer{i}" for i in range(100000)]  # never-seen non-names: nothing memoised
print(json.dumps({"open_s": round(opened, 3), "rss_after_open_mb": round(rss / 2**20, 1),
                  "spotter_ngrams": len(grams), "lookups_per_s_spotter_cold": rate(grams),
                  "lookups_per_s_unseen_nonnames": rate(fresh), "lookups_per_s_names_cold": rate(names),
                  "filter_bits_mb": round(kb._index.m / 8 / 2**20, 1), "load_avg_1min": round(__import__("os").getloadavg()[0], 1)}))
"""


def probe_store(kb: Path) -> dict:
    runs = [json.loads(subprocess.run([sys.executable, "-c", _PROBE, str(kb), str(SEED) if SEED.is_file() else ""],
                                      capture_output=True, text=True, check=True).stdout) for _ in range(3)]
    runs.sort(key=lambda r: r["open_s"])
    out = runs[1]
    out["open_s_all"] = [r["open_s"] for r in runs]
    out["size_mb"] = round(kb.stat().st_size / 2**20, 1)
    return out


def per_line_costs(dump: Path, sample_lines: int = 30000) -> dict:
    """One core: decompression MB/s of the whole file (wall), and process_chunk CPU time per skipped line and
    per kept item (on the first ``sample_lines`` lines)."""
    from kgbuild.kb.bulk import _stop_words, open_dump, process_chunk
    from kgbuild.kb.bundled import bundled_kb_path

    stream, _, close, method = open_dump(dump)
    start, total = time.perf_counter(), 0
    while True:
        block = stream.read(16 << 20)
        if not block:
            break
        total += len(block)
    seconds = time.perf_counter() - start
    close()
    stream, _, close, method = open_dump(dump)
    kept_lines: list[bytes] = []
    skipped_lines: list[bytes] = []
    for line in stream.read(400 << 20).split(b"\n")[1:-1][:sample_lines]:
        (kept_lines if (b'"enwiki"' in line or b'"dewiki"' in line) else skipped_lines).append(line)
    close()
    cfg = {"wikis": ("en", "de"), "langs": {"de", "en", "fr", "es", "it", "nl", "pl", "pt", "ru"}, "keep": None,
           "stop": _stop_words(bundled_kb_path())}
    out = {"decompressor": method, "decompress_mb_per_s": round(total / 2**20 / seconds),
           "uncompressed_mb": round(total / 2**20), "compressed_mb": round(dump.stat().st_size / 2**20)}
    for name, lines in (("skipped", skipped_lines), ("kept", kept_lines)):
        data = b"\n".join(lines) + b"\n"
        start = time.process_time()
        process_chunk(data, 1, cfg)
        took = time.process_time() - start
        out[f"{name}_lines_sampled"] = len(lines)
        out[f"{name}_avg_bytes"] = round(len(data) / max(1, len(lines)))
        out[f"{name}_cpu_us_per_line"] = round(took / max(1, len(lines)) * 1e6, 1)
    return out


def markdown(r: dict) -> str:
    """The two tables of docs/KB.md (import per size and --jobs; the KB each import built)."""
    imp = ["| dump items | dump .gz | `--jobs` | wall | CPU | lines/s (wall) | lines per CPU-s | kept items per CPU-s "
           "| read+parse / merge (wall) | peak memory | KB entities / names |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    st = ["| dump items | KB file | entities / names | name filter | open (3 runs) | RSS after open | spotter n-grams/s "
          "| unseen non-names/s | names/s |", "|---|---|---|---|---|---|---|---|---|"]
    for key, e in r["sizes"].items():
        n = int(key) / 1e6
        for i in e["imports"]:
            imp.append(f"| {n:g} M | {e['dump_mb']:,} MB | {i['jobs']} | {i['wall_s']:.0f} s | {i['cpu_s']:.0f} s "
                       f"| {i['lines_per_s']:,} | {i['lines_per_cpu_s']:,} | {i['kept_per_cpu_s']:,} "
                       f"| {i['read_parse_s']:.0f} s / {i['merge_s']:.0f} s | {i['peak_rss_mb']} MB "
                       f"| {i['entities']:,} / {i['names']:,} |")
        s, last = e["store"], e["imports"][-1]
        pair = lambda v: f"{v[0]:,} / {v[1]:,}"  # noqa: E731
        st.append(f"| {n:g} M | {s['size_mb']:,.0f} MB | {last['entities']:,} / {last['names']:,} "
                  f"| {s['filter_bits_mb']} MiB | {s['open_s']} s ({', '.join(str(x) for x in s['open_s_all'])}) "
                  f"| {s['rss_after_open_mb']} MB | {pair(s['lookups_per_s_spotter_cold'])} "
                  f"| {pair(s['lookups_per_s_unseen_nonnames'])} | {pair(s['lookups_per_s_names_cold'])} |")
    p = r["per_line"]
    return ("\n".join(imp) + "\n\n" + "\n".join(st) + "\n\n"
            f"Per line on one core (CPU): skipped {p['skipped_cpu_us_per_line']} µs ({p['skipped_avg_bytes']:,} B), "
            f"kept {p['kept_cpu_us_per_line']} µs ({p['kept_avg_bytes']:,} B); {p['decompressor']} decompression "
            f"{p['decompress_mb_per_s']} MB/s (wall).\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000,2000000")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--jobs-at-largest", default=None, help="jobs values for the largest size (default: --jobs)")
    ap.add_argument("--wiki-share", type=float, default=0.07)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/kgbuild-kbsim"))
    ap.add_argument("--keep-kb", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--markdown", type=Path, help="print the tables of an earlier --json result and stop")
    args = ap.parse_args()
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text(encoding="utf-8"))))
        return
    args.dir.mkdir(parents=True, exist_ok=True)
    sizes = [int(x) for x in args.sizes.split(",")]
    jobs = [int(x) for x in args.jobs.split(",")]
    paths = generate(args.dir, sizes, args.wiki_share, args.seed)
    result: dict = {"wiki_share": args.wiki_share, "cpus": os.cpu_count(), "sizes": {}}
    result["per_line"] = per_line_costs(paths[min(sizes)])
    print(json.dumps(result["per_line"]), file=sys.stderr)
    for n in sizes:
        entry: dict = {"dump_mb": round(paths[n].stat().st_size / 2**20), "imports": []}
        kb = args.dir / f"kb-{n}.sqlite"
        todo = [int(x) for x in args.jobs_at_largest.split(",")] if (args.jobs_at_largest and n == max(sizes)) else jobs
        for j in todo:
            entry["imports"].append(run_import(paths[n], kb, j))
            print(json.dumps({"items": n, **entry["imports"][-1]}), file=sys.stderr)
        entry["store"] = probe_store(kb)
        print(json.dumps({"items": n, **entry["store"]}), file=sys.stderr)
        result["sizes"][n] = entry
        if not args.keep_kb:
            kb.unlink(missing_ok=True)
    text = json.dumps(result, indent=1)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
