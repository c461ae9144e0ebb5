"""The relation catalogue (``data/relations.yaml``): every relation kgbuild writes, with its event class,
labels, symmetry, sub-property, CAMEO code / Wikidata property and (for event relations) its triggers.

In: the YAML file. Out: ``RelationType`` records, validated on load. The catalogue is the one owner of the
relations' properties; everything else reads them from here: ``symmetric_properties()``,
``super_properties()``, ``unary_properties()``, ``event_labels()``, ``trigger_relations()``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

import yaml

from kgbuild.errors import KgbuildError

EXTRACTORS = ("triggers", "positions", "quotes", "facts")


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
    person_object_verbs: dict = field(default_factory=dict)  # lang -> lemmas whose object must be a person
    label: dict = field(default_factory=dict)  # lang -> label of the property
    event_label: str = ""
    wikidata: str | None = None
    sub_property_of: str | None = None
    extractor: str = "triggers"
    unary: bool = False
    separable: dict = field(default_factory=dict)  # lang -> frozenset of (stem, particle)
    demonyms: bool = False
    metonyms: bool = False
    object_from_position: bool = False


def _lemmas(section: dict | None, lang: str, key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in ((section or {}).get(lang, {}) or {}).get(key, []) or [])


def _relation(name: str, spec: dict) -> RelationType:
    for key in ("property", "event"):
        if key not in spec:
            raise KgbuildError(f"relations.yaml: relation {name!r} lacks {key!r}")
    triggers = spec.get("triggers") or {}
    extractor = spec.get("extractor", "triggers")
    if extractor not in EXTRACTORS:
        raise KgbuildError(f"relations.yaml: relation {name!r}: extractor must be one of {EXTRACTORS}")
    if extractor == "triggers" and "sub_property_of" not in spec and not (triggers and spec.get("object_types")):
        raise KgbuildError(f"relations.yaml: relation {name!r} lacks 'triggers' or 'object_types'")
    langs = triggers.keys()
    return RelationType(
        name=name,
        property=spec["property"],
        event=spec["event"],
        cameo=str(spec.get("cameo")) if spec.get("cameo") else None,
        symmetric=bool(spec.get("symmetric", False)),
        object_types=tuple(spec.get("object_types") or ()),
        object_preps={lang: frozenset(v or ()) for lang, v in (spec.get("object_preps") or {}).items()},
        verbs={lang: _lemmas(triggers, lang, "verbs") for lang in langs},
        nouns={lang: _lemmas(triggers, lang, "nouns") for lang in langs},
        treaty_nouns={lang: frozenset(w.lower() for w in v) for lang, v in (spec.get("treaty_nouns") or {}).items()},
        agreement_nouns={lang: frozenset(w.lower() for w in v)
                         for lang, v in (spec.get("agreement_nouns") or {}).items()},
        person_object_verbs={lang: _lemmas(triggers, lang, "person_object_verbs") for lang in langs},
        label=dict(spec.get("label") or {}),
        event_label=str(spec.get("event_label") or spec["event"]),
        wikidata=spec.get("wikidata"),
        sub_property_of=spec.get("sub_property_of"),
        extractor=extractor,
        unary=bool(spec.get("unary", False)),
        separable={lang: frozenset((a.lower(), b.lower()) for a, b in pairs)
                   for lang, pairs in (spec.get("separable") or {}).items()},
        demonyms=bool(spec.get("demonyms", False)),
        metonyms=bool(spec.get("metonyms", False)),
        object_from_position=bool(spec.get("object_from_position", False)),
    )


@functools.lru_cache(maxsize=None)
def load_catalogue() -> dict[str, RelationType]:
    """Every relation of the catalogue, by name (the name is also the kg: property's local name)."""
    text = resources.files("kgbuild.relations").joinpath("data", "relations.yaml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~8x faster, same data
    out = {name: _relation(name, spec) for name, spec in raw.items()}
    for rel in out.values():
        if rel.sub_property_of and rel.sub_property_of not in out:
            raise KgbuildError(f"relations.yaml: {rel.name!r} is a sub-property of unknown {rel.sub_property_of!r}")
    return out


def trigger_relations() -> list[RelationType]:
    """The relations found by trigger words (those with their own triggers)."""
    return [r for r in load_catalogue().values() if r.extractor == "triggers" and (r.verbs or r.nouns)]


@functools.lru_cache(maxsize=None)
def symmetric_properties() -> frozenset[str]:
    """Local names of the symmetric kg: properties (owl:SymmetricProperty)."""
    return frozenset(r.property for r in load_catalogue().values() if r.symmetric)


@functools.lru_cache(maxsize=None)
def super_properties() -> dict[str, tuple[str, ...]]:
    """kg: property -> its direct super-properties (rdfs:subPropertyOf)."""
    return {r.property: (r.sub_property_of,) for r in load_catalogue().values() if r.sub_property_of}


@functools.lru_cache(maxsize=None)
def unary_properties() -> frozenset[str]:
    """Relations without an object (``says``)."""
    return frozenset(r.property for r in load_catalogue().values() if r.unary)


@functools.lru_cache(maxsize=None)
def event_labels() -> dict[str, str]:
    """kg: event class -> its English label ("Visit" -> "visit")."""
    return {r.event: r.event_label for r in load_catalogue().values()}


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
