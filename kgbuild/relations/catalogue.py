"""The relation catalogue (``data/relations.yaml``): relation types, event classes and their triggers.

In: the YAML file. Out: ``RelationType`` records, validated on load; ``trigger_index(lang)`` maps a lemma to
the relation types it triggers, with the part of speech it must have.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml

from kgbuild.errors import KgbuildError


@dataclass(frozen=True)
class RelationType:
    name: str
    property: str
    event: str
    cameo: str | None
    symmetric: bool
    object_types: tuple[str, ...]
    object_preps: dict
    verbs: dict  # lang -> frozenset of lemmas (lowercase)
    nouns: dict  # lang -> frozenset of noun lemmas (lowercase)
    treaty_nouns: dict
    agreement_nouns: dict
    person_object_verbs: dict = None  # lang -> lemmas whose object must be a person


def _lemmas(section: dict | None, lang: str, key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in ((section or {}).get(lang, {}) or {}).get(key, []) or [])


@functools.lru_cache(maxsize=None)
def load_catalogue() -> dict[str, RelationType]:
    text = resources.files("kgbuild.relations").joinpath("data", "relations.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    out: dict[str, RelationType] = {}
    for name, spec in raw.items():
        for key in ("property", "event", "triggers", "object_types"):
            if key not in spec:
                raise KgbuildError(f"relations.yaml: relation {name!r} lacks {key!r}")
        langs = spec["triggers"].keys()
        out[name] = RelationType(
            name=name,
            property=spec["property"],
            event=spec["event"],
            cameo=str(spec.get("cameo")) if spec.get("cameo") else None,
            symmetric=bool(spec.get("symmetric", False)),
            object_types=tuple(spec["object_types"]),
            object_preps={lang: frozenset(v) for lang, v in (spec.get("object_preps") or {}).items()},
            verbs={lang: _lemmas(spec["triggers"], lang, "verbs") for lang in langs},
            nouns={lang: _lemmas(spec["triggers"], lang, "nouns") for lang in langs},
            treaty_nouns={lang: frozenset(w.lower() for w in v) for lang, v in (spec.get("treaty_nouns") or {}).items()},
            agreement_nouns={lang: frozenset(w.lower() for w in v)
                             for lang, v in (spec.get("agreement_nouns") or {}).items()},
            person_object_verbs={lang: _lemmas(spec["triggers"], lang, "person_object_verbs") for lang in langs},
        )
    return out


def noun_head(word: str, nouns: frozenset[str], lang: str) -> str | None:
    """The trigger noun a word is or ends in (German compounds: 'Staatsbesuch' -> 'besuch')."""
    w = word.lower()
    forms = [w]
    if lang == "de":
        forms += [w[: -len(s)] for s in ("es", "s", "en", "n", "e") if w.endswith(s) and len(w) - len(s) >= 4]
    elif lang == "en" and w.endswith("s") and len(w) > 4:
        forms.append(w[:-1])
    for form in forms:
        if form in nouns:
            return form
    if lang == "de":
        for form in forms:
            for noun in nouns:
                if len(noun) >= 4 and form.endswith(noun) and len(form) > len(noun) + 2:
                    return noun
    return None
