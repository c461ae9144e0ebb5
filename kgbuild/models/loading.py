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
            if info.source == "official":  # an importable package: its own load() (as spacy.load does)
                nlp = spacy.util.load_model_from_package(key)
            else:
                nlp = spacy.load(key)
        except Exception as exc:  # spaCy raises OSError, ValueError, KeyError, catalogue errors ...
            raise ModelError(f"cannot load spaCy model '{info.name}' ({info.path}): {exc}. "
                             "Reinstall it, or choose another with --model (e.g. --model builtin).") from exc
        log.info("loaded model %s %s (%s) in %.1fs", info.name, info.version, info.source,
                 time.perf_counter() - started)
        _CACHE[key] = nlp
        return nlp


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
