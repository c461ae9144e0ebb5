"""``kgbuild`` commands that run spaCy import it without its own command line (``kgbuild.cli._lazy_spacy_cli``):
``spacy.cli`` stays a stand-in through a whole build, and becomes spaCy's real module, with every name it
has, as soon as something asks for one. In fresh processes (this one has imported spaCy already)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_spacy_cli_loads_on_first_use_and_is_the_real_module():
    out = _run("""
        import sys
        from kgbuild.cli._lazy_spacy_cli import import_spacy
        assert import_spacy()
        import spacy
        print(type(sys.modules["spacy.cli"]).__name__, "weasel" in sys.modules, "requests" in sys.modules)
        assert spacy.cli is sys.modules["spacy.cli"]
        from spacy.cli import download, info, init_config   # the real functions
        import spacy.cli as real
        print(type(real).__name__, real.__file__.endswith("spacy/cli/__init__.py"), spacy.cli is real,
              download.__module__, info.__module__, "weasel" in sys.modules)
        print(sorted(spacy.info(silent=True))[:2] != [])
        assert not import_spacy()  # spaCy is imported: nothing to do
    """)
    lines = out.split("\n")
    assert lines[0] == "_StandIn False False"
    assert lines[1] == "module True True spacy.cli.download spacy.cli.info True"
    assert lines[2] == "True"


def test_spacy_info_stand_in_calls_the_real_function():
    out = _run("""
        import sys
        from kgbuild.cli._lazy_spacy_cli import import_spacy
        import_spacy()
        import spacy
        data = spacy.info(silent=True)
        print(type(sys.modules["spacy.cli"]).__name__, data["spacy_version"] == spacy.__version__)
    """)
    assert out.strip() == "module True"


def test_build_runs_without_spacys_command_line(tmp_path):
    src = tmp_path / "a.en.txt"
    src.write_text("Janet Yellen met Iran's foreign minister in Geneva on Monday.\n", encoding="utf-8")
    out = _run("""
        import atexit, sys
        atexit.register(lambda: print(type(sys.modules.get("spacy.cli")).__name__, "weasel" in sys.modules))
        sys.argv = ["kgbuild", "build", sys.argv[1], "--format", "nt", "-o", "-"]
        from kgbuild.cli import main
        main()
    """, str(src))
    assert "<https://w3id.org/kgbuild/resource/doc/" in out
    assert out.strip().splitlines()[-1] == "_StandIn False"
