"""Relations and events: linked mentions of a Doc -> ``Event``s (visits, meets, signs agreement/treaty with,
holds position in, quotations).

The relation types and their triggers are data (``data/relations.yaml``, ``data/roles.yaml``); the
extractors are small functions over a ``DocContext`` (``triggers``, ``positions``, ``quotes``).

The package imports its extractors (and with them spaCy) only when one of them is asked for, so that
``kgbuild.relations.catalogue`` -- the relation vocabulary that ``kgbuild view`` and the RDF layer read --
costs no spaCy import.
"""
from __future__ import annotations

from typing import Any

__all__ = ["extract_events", "resolve_coreference", "DocContext"]

_LAZY = {"extract_events": "kgbuild.relations.extract", "resolve_coreference": "kgbuild.relations.coref",
         "DocContext": "kgbuild.relations.context"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
