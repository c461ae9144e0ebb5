"""spaCy's own command line (``spacy.cli``), imported on first use instead of with ``import spacy``.

``spacy/__init__.py`` runs ``from .cli.info import info``, which imports every spaCy CLI command and with them
weasel, requests, jinja2 and click: about a fifth of ``import spacy``, of no use to ``kgbuild build``. Before
spaCy is first imported, the ``kgbuild`` command (only it: ``kgbuild.cli.main``, for the commands that use
spaCy) puts two stand-ins into ``sys.modules``, ``spacy.cli`` and ``spacy.cli.info``, and imports spaCy. The first attribute asked of either (other than the
``info`` function that ``spacy/__init__`` takes, itself a stand-in that does the same when called) removes
both stand-ins, imports the real ``spacy.cli`` and answers from it; ``spacy.cli`` is then spaCy's own module.

Before that, catalogue's list of installed entry points (``catalogue.AVAILABLE_ENTRY_POINTS``, read once when
catalogue is imported) gets a memo of its selections: spaCy's registries ask it for their group's entry points
at every look-up (~250 times while spaCy is imported and en_core_web_sm loaded, 0.06-0.08 s of the start-up,
each a scan of every installed entry point); the answers are the same objects as before, made once per group.
"""
from __future__ import annotations

import importlib
import sys
import types

_NAMES = ("spacy.cli", "spacy.cli.info")


def _real(name: str) -> types.ModuleType:
    """Drop the stand-ins and import the real modules; ``name``'s module."""
    for key in _NAMES:
        if isinstance(sys.modules.get(key), _StandIn):
            del sys.modules[key]
    module = importlib.import_module(name)
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        spacy.cli = sys.modules["spacy.cli"]  # type: ignore[attr-defined]
    return module


class _StandIn(types.ModuleType):
    def __getattr__(self, attr: str):
        if attr.startswith("__") and attr.endswith("__"):  # import machinery probing (__path__, __spec__ ...)
            raise AttributeError(attr)
        return getattr(_real(self.__name__), attr)


def _info(*args, **kwargs):
    """``spacy.info``: spaCy's, imported on the first call."""
    return _real("spacy.cli.info").info(*args, **kwargs)


class _SelectedOnce:
    """Installed entry points (``importlib.metadata.EntryPoints``) whose ``select(...)`` is made once per query."""

    def __init__(self, entry_points) -> None:
        self.entry_points = entry_points
        self._selected: dict[tuple, object] = {}

    def select(self, **params):
        key = tuple(sorted(params.items()))
        found = self._selected.get(key)
        if found is None:
            found = self._selected[key] = self.entry_points.select(**params)
        return found

    def __getattr__(self, name: str):
        return getattr(self.entry_points, name)

    def __iter__(self):
        return iter(self.entry_points)

    def __len__(self) -> int:
        return len(self.entry_points)

    def __getitem__(self, item):
        return self.entry_points[item]


def memoise_entry_points() -> bool:
    """Give catalogue's entry points a memo of their selections (see the module docstring); whether it was given
    now (not when catalogue is missing, has none with ``select``, or has it already)."""
    try:
        import catalogue
    except ImportError:
        return False
    found = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if found is None or isinstance(found, _SelectedOnce) or not hasattr(found, "select"):
        return False
    catalogue.AVAILABLE_ENTRY_POINTS = _SelectedOnce(found)
    return True


def import_spacy() -> bool:
    """``import spacy`` with the stand-ins in place (unless spaCy is imported already); whether they were."""
    if "spacy" in sys.modules or any(name in sys.modules for name in _NAMES):
        return False
    memoise_entry_points()
    cli = _StandIn("spacy.cli")
    info = _StandIn("spacy.cli.info")
    info.__dict__["info"] = _info
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = info
    try:
        import spacy
    except BaseException:
        for key in _NAMES:
            sys.modules.pop(key, None)
        raise
    if "cli" not in spacy.__dict__:  # as the import of the real submodule would have set it
        spacy.cli = sys.modules.get("spacy.cli", cli)  # type: ignore[attr-defined]
    return True
