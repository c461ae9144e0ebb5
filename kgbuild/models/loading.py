"""Load the spaCy pipeline for a language, once per process.

In: ``lang`` ("de", "en", ...) and optionally ``name`` (a package name, a pipeline folder, the name of
kgbuild's own model, or ``"builtin"``). Out: ``(nlp, ModelInfo)``; ``nlp`` is None when the built-in blank
pipeline of ``kgbuild.nlp`` is to be used. A model named by the user that is missing or broken raises
``ModelError`` with the command that installs it. Nothing is ever downloaded.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from kgbuild.errors import ModelError
from kgbuild.models.discovery import BUILTIN, ModelInfo, builtin_info, resolve, select_model

log = logging.getLogger("kgbuild.models")
_CACHE: dict[str, object] = {}
_LOCK = threading.Lock()


def _load(info: ModelInfo):
    """spacy.load of a resolved model (cached by its folder); the gazetteer factory is registered first."""
    import spacy

    import kgbuild.models.components  # noqa: F401  (registers kgbuild_lemmatizer: simplemma lemmas in the shipped model)
    import kgbuild.models.gazetteer  # noqa: F401  (registers kgbuild_gazetteer for the shipped model)

    key = info.name if info.source == "official" else (info.path or info.name)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        started = time.perf_counter()
        try:
            overrides = _bare_tokenizer(info)
            if info.source == "official":  # an importable package: its own load() (as spacy.load does)
                nlp = spacy.util.load_model_from_package(key, config=overrides)
            else:
                nlp = spacy.load(key, config=overrides)
        except Exception as exc:  # spaCy raises OSError, ValueError, KeyError, catalogue errors ...
            raise ModelError(f"cannot load spaCy model '{info.name}' ({info.path}): {exc}. "
                             "Reinstall it, or choose another with --model (e.g. --model builtin).") from exc
        if overrides:  # the tokenizer is the model's own (the config's factory): say so, as spaCy would have
            nlp._config["nlp"]["tokenizer"] = dict(_STANDARD_TOKENIZER)
        log.info("loaded model %s %s (%s) in %.1fs", info.name, info.version, info.source,
                 time.perf_counter() - started)
        _CACHE[key] = nlp
        return nlp


#: the tokenizer factory of spaCy's own languages' configs; ``_bare_tokenizer`` replaces only it
_STANDARD_TOKENIZER = {"@tokenizers": "spacy.Tokenizer.v1"}
BARE_TOKENIZER = "kgbuild.bare_tokenizer.v1"


def _make_bare_tokenizer():
    from spacy.tokenizer import Tokenizer

    def make(nlp):
        return Tokenizer(nlp.vocab)

    return make


def _bare_tokenizer(info: ModelInfo) -> dict:
    """Config overrides that let spaCy start the model's tokenizer empty, where the model's folder holds its
    own (cold start, issue 15). spaCy first builds the language's default tokenizer from the config (for
    English: its ~2,700 special cases, ~0.07 CPU s) and then replaces all of it (patterns, special cases) with
    the one stored in the model (``Tokenizer.from_bytes`` resets every setting before reading them); started
    empty, the loaded tokenizer is the same (``tests/test_process_tuning.py`` compares its bytes and docs).
    Nothing is overridden for a model with another tokenizer class (Japanese, Chinese, ...) or without a
    stored one."""
    from spacy.util import load_config, registry

    folder = _model_folder(info)
    if folder is None or not (folder / "tokenizer").is_file():
        return {}
    try:
        config = load_config(folder / "config.cfg", interpolate=False)
        if dict(config["nlp"]["tokenizer"]) != _STANDARD_TOKENIZER:
            return {}
    except Exception:  # noqa: BLE001 - no readable config: spaCy will say so itself when it loads
        return {}
    if BARE_TOKENIZER not in registry.tokenizers:
        registry.tokenizers.register(BARE_TOKENIZER, func=_make_bare_tokenizer)
    return {"nlp": {"tokenizer": {"@tokenizers": BARE_TOKENIZER}}}


def _model_folder(info: ModelInfo) -> Path | None:
    """The folder that spaCy reads ``info``'s model from (its ``config.cfg``, ``tokenizer``, ...)."""
    if info.source != "official":
        path = Path(info.path or info.name)
        return path if (path / "config.cfg").is_file() else None
    try:
        import importlib.util

        spec = importlib.util.find_spec(info.name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0])
    found = [d for d in root.iterdir() if d.is_dir() and (d / "config.cfg").is_file()]
    if (root / "config.cfg").is_file():
        found.append(root)
    return found[0] if len(found) == 1 else None  # as spaCy's load_model_from_init_py finds it: one data folder


def load_pipeline(lang: str | None = "de", name: str | None = None):
    """The pipeline for ``lang``: ``(nlp, info)``, or ``(None, info)`` for the built-in pipeline.

    ``name=None`` picks an installed official model, else kgbuild's own (German), else built-in.
    ``name`` may be a package name, a folder, ``"de_kgbuild_news"`` or ``"builtin"``. Raises ``ModelError``
    when the named model is missing, broken, or for another language than ``lang``.
    """
    if name is not None and name.strip().lower() in (BUILTIN, "blank", "none"):
        return None, builtin_info(lang or "xx")
    if name is None:
        if not lang:
            raise ModelError("no language and no model given; pass a language (de, en) or --model NAME_OR_PATH.")
        info = select_model(lang)
        if info.source == BUILTIN:
            return None, info
    else:
        info = resolve(name)
        if lang and info.lang and info.lang != lang:
            raise ModelError(f"model '{name}' is for language '{info.lang}', but the text is '{lang}'. "
                             f"Choose a '{lang}' model with --model, or leave --model out.")
    return _load(info), info


def clear_cache() -> None:
    """Forget loaded pipelines (for tests and long-running processes that reinstall models)."""
    with _LOCK:
        _CACHE.clear()
