"""Rebuild the expected graphs of the examples: examples/<name>.txt -> examples/expected/<name>.ttl.

The publication date comes from the example's gold file (examples/<name>.gold.json) when it has one.
tests/test_examples.py rebuilds every example and compares it with these graphs (isomorphism), so run this
script after a deliberate change of the output and review the diff.

Usage: python scripts/update_examples.py
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def build_args(txt: Path, out: Path) -> list[str]:
    args = ["build", str(txt), "-o", str(out)]
    gold = txt.with_suffix(".gold.json")
    if gold.exists():
        date = json.loads(gold.read_text(encoding="utf-8")).get("date")
        if date:
            args += ["--date", date]
    return args


def main() -> None:
    out_dir = EXAMPLES / "expected"
    out_dir.mkdir(exist_ok=True)
    for txt in sorted(EXAMPLES.glob("*.txt")):
        out = out_dir / (txt.stem + ".ttl")
        subprocess.run([sys.executable, "-m", "kgbuild", *build_args(txt, out)], check=True)
        print(f"{txt.name} -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
