"""``kgbuild train``: re-train kgbuild's German pipeline (a thin wrapper over ``scripts/train_de.py``).

Needs a source checkout (the recipe, configs and ``scripts/`` are not part of the installed package) and
the shared data folder. Training runs on the CPU for several minutes per step; it is not part of the tests.
"""
from __future__ import annotations

import enum
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kgbuild.cli._app import app
from kgbuild.errors import InputNotFoundError, KgbuildError

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_de.py"


class Step(str, enum.Enum):
    convert = "convert"
    pretrain = "pretrain"
    train = "train"
    evaluate = "evaluate"
    assemble = "assemble"
    all = "all"


class TrainingError(KgbuildError, RuntimeError):
    """The training recipe failed or cannot run here."""


@app.command("train")
def train(
    step: Annotated[Step, typer.Argument(help="convert | pretrain | train | evaluate | assemble | all")] = Step.all,
    config: Annotated[str, typer.Option(help="Config name in training/configs/.")] = "de_news",
    data: Annotated[Optional[Path], typer.Option(help="Shared data folder (default ../shared/data).")] = None,
    model: Annotated[Optional[str], typer.Option(help="Trained pipeline folder for evaluate/assemble.")] = None,
) -> None:
    """Train kgbuild's own German pipeline (de_kgbuild_news) from the shared data (source checkout only)."""
    if not SCRIPT.exists():
        raise TrainingError(f"the training recipe {SCRIPT} is missing: `kgbuild train` needs a source checkout "
                            "of kgbuild (git clone, then pip install -e .).")
    env = dict(os.environ)
    if data is not None:
        if not data.is_dir():
            raise InputNotFoundError(f"data folder '{data}' does not exist; pass the shared data folder with --data.")
        env["KGBUILD_SHARED_DATA"] = str(data.resolve())
    cmd = [sys.executable, str(SCRIPT), step.value, "--config", config]
    if model:
        cmd += ["--model", model]
    result = subprocess.run(cmd, env=env)
    if result.returncode != 0:
        raise TrainingError(f"training step '{step.value}' failed (exit code {result.returncode}); see the log above.")
