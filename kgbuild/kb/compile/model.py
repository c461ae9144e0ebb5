"""The compiler's working set: entity records merged by QID while the sources are read.

``Builder.add(qid, ...)`` merges into one record per QID: names are unioned, claims unioned, the prior is
the maximum; type and labels come from the first source that knows them unless a later, more
authoritative source ``force``s them (Natural Earth for places, the politician lists for people).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kgbuild.kb.normalize import norm_key
from kgbuild.kb.years import YEAR_PROPS, YEAR_TYPES, settled

_QID = re.compile(r"^Q[1-9][0-9]*$")
STOP_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "lexicon" / "stop_names.txt"

#: languages kept from multilingual sources (besides de and en the most common news languages)
KEEP_LANGS = ("de", "en", "fr", "es", "it", "nl", "pl", "pt", "ru")


def stop_words() -> set[str]:
    """Keys of the words never indexed as names: kgbuild's stop_names.txt and spaCy's German and English
    stop word lists (function words)."""
    from spacy.lang.de.stop_words import STOP_WORDS as DE
    from spacy.lang.en.stop_words import STOP_WORDS as EN

    lines = STOP_FILE.read_text(encoding="utf-8").splitlines()
    words = {w for w in lines if w.strip() and not w.startswith("#")} | set(DE) | set(EN)
    return {k for k in map(norm_key, words) if k}


def common_words() -> set[str]:
    """Keys of capitalised German common nouns (``kgbuild/data/words/common.de.txt``): a one-word short form
    that is such a noun is not added."""
    path = STOP_FILE.parent.parent / "words" / "common.de.txt"
    return {norm_key(w) for w in path.read_text(encoding="utf-8").split() if w and not w.startswith("#")}


@dataclass
class Rec:
    qid: str
    type: str = "MISC"
    prior: float = 0.0
    classes: set = field(default_factory=set)
    claims: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    descriptions: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)  # (name, kind, lang) -> None, ordered
    sources: set = field(default_factory=set)

    def to_dict(self) -> dict:
        return {
            "qid": self.qid,
            "type": self.type,
            "prior": round(self.prior, 4),
            "classes": sorted(self.classes),
            "claims": {p: sorted(v) for p, v in sorted(self.claims.items()) if v},
            "labels": dict(sorted(self.labels.items())),
            "descriptions": dict(sorted(self.descriptions.items())),
            "names": [list(n) for n in _dedupe(self.names)],
            "source": ",".join(sorted(self.sources)),
        }


#: a place this popular is read by its names in any language (as the KB spotter reads them: ``mentions._acceptable``)
MAJOR_PLACE_PRIOR = 0.7


def _third_language_place_name(rec: Rec, lang: str | None) -> bool:
    """A name of a place below ``MAJOR_PLACE_PRIOR`` in a language other than German and English: neither
    language's text is read as that place by it ("Oranje", the Dutch name of Oran)."""
    return rec.type == "LOC" and lang not in (None, "", "-", "de", "en") and rec.prior < MAJOR_PLACE_PRIOR


def _dedupe(names: dict) -> list[tuple]:
    """Drop a non-de/en name whose key already exists for this entity in any language with the same kind."""
    seen: set[tuple[str, str]] = set()
    out = []
    ordered = sorted(names, key=lambda n: (n[2] not in ("de", "en"), n[2] or "", n[1], n[0]))
    for name, kind, lang in ordered:
        key = (norm_key(name), kind)
        if lang not in ("de", "en") and key in seen:
            continue
        seen.add(key)
        out.append((name, kind, lang))
    return out


class Builder:
    """Collects records from all sources; ``records()`` yields them sorted by QID."""

    def __init__(self) -> None:
        self.recs: dict[str, Rec] = {}
        self.given_names: set[str] = set()
        self.counts: dict[str, int] = {}
        self.stop = stop_words()
        self.common = common_words()
        self.short: list[tuple[str, str, str | None]] = []  # (qid, short form, lang): see add_short_forms
        self.strict_short: set[tuple[str, str]] = set()  # (qid, short form) that no surname may have either

    def add_short(self, qid: str, form: str, lang: str | None = None, strict: bool = False) -> None:
        """A short form of a long official name ("Deutsche Bahn" of "Deutsche Bahn AG"), added at the end of
        the compilation only if no other entity has that name (``add_short_forms``); ``strict``: nor has it as a
        surname (a city's other name "Stalin" is a person's surname first), while a small place's name in a third
        language (not German or English: Oran's Dutch "Oranje") is none that counts."""
        self.short.append((qid, form, lang))
        if strict:
            self.strict_short.add((qid, form))

    def add_short_forms(self) -> int:
        """Add the collected short forms whose key no other entity uses (surnames aside), so a short form never
        makes a name ambiguous; returns how many were added."""
        owners: dict[str, set[str]] = {}
        read: dict[str, set[str]] = {}  # the owners by a name the spotters read in German or English text
        surnames: set[str] = set()
        for qid, rec in self.recs.items():
            for name, kind, lang in rec.names:
                if kind != "surname":
                    owners.setdefault(norm_key(name), set()).add(qid)
                    if not _third_language_place_name(rec, lang):
                        read.setdefault(norm_key(name), set()).add(qid)
                elif self.strict_short:
                    surnames.add(norm_key(name))
        claimed: dict[str, set[str]] = {}
        for qid, form, _ in self.short:
            claimed.setdefault(norm_key(form), set()).add(qid)
        added = 0
        for qid, form, lang in self.short:
            key = norm_key(form)
            strict = (qid, form) in self.strict_short
            if qid not in self.recs or len(claimed[key]) > 1 or (read if strict else owners).get(key, {qid}) - {qid}:
                continue  # a strict form ("Oranje" of the Dutch team) is not kept from Oran by its Dutch label
            if strict and (key in surnames or key in owners and qid in owners[key]):
                continue  # a surname; or a name the entity has already (no second row of another kind)
            if len(key.split()) == 1 and key in self.common:
                continue  # "Apple", "Shell": a one-word short form that is an ordinary word
            rec = self.recs[qid]
            before = len(rec.names)
            self.add(qid, next(iter(sorted(rec.sources))), names=[(form, "alias", lang)])
            added += len(rec.names) > before
        self.count("short-forms", added)
        return added

    def indexable(self, name: str) -> bool:
        """Not a one-letter name, not a function word ("All", "Auch", "Die"); abbreviations ("WHO", "US")
        stay, as the KB matches them only for a surface that is not all lower case."""
        key = norm_key(name)
        if len(key) < 2:
            return False
        return key not in self.stop or (name.isupper() and len(name) >= 2)

    def get(self, qid: str) -> Rec | None:
        return self.recs.get(qid)

    def add(self, qid: str, source: str, type: str | None = None, prior: float = 0.0, force: bool = False,
            names=(), labels=None, descriptions=None, classes=(), claims=None) -> Rec | None:
        rec = self.recs.get(qid)
        if rec is None and not _QID.match(qid or ""):
            self.count(f"{source}:bad-qid")
            return None
        if rec is None:
            rec = self.recs[qid] = Rec(qid)
            rec.type = type or "MISC"
        elif type and (force or rec.type == "MISC"):
            rec.type = type
        rec.prior = max(rec.prior, prior)
        rec.sources.add(source)
        for name, kind, lang in names:
            name = " ".join(str(name).split())
            if name and (lang is None or lang in KEEP_LANGS) and self.indexable(name):
                rec.names.setdefault((name, kind, lang), None)
        for lang, text in (labels or {}).items():
            if text and lang in KEEP_LANGS and (force or lang not in rec.labels):
                rec.labels[lang] = text
        for lang, text in (descriptions or {}).items():
            if text and lang in KEEP_LANGS:
                rec.descriptions.setdefault(lang, text)
        rec.classes.update(classes)
        for prop, values in (claims or {}).items():
            rec.claims.setdefault(prop, set()).update(v for v in values if v and v != qid)
        return rec

    def drop_misplaced_classes(self, org_classes: frozenset[str]) -> None:
        """Organisation classes only on organisations (an NSI operator that another source types as a place
        keeps its place type and loses the organisation class)."""
        for rec in self.recs.values():
            if rec.type != "ORG" and rec.classes & org_classes:
                rec.classes -= org_classes

    def settle_years(self) -> int:
        """One value per year claim (``kgbuild.kb.years``): where sources (or one source's rows) give several
        birth or founding years the earliest stays, of death or dissolution years the latest. Years of birth and
        death only on persons, of founding and dissolution only on organisations (a party's QID that another
        source types as a place keeps no founding year; the periods of historic states come later). Counts the
        entities with a year claim per property; returns how many claims had several values."""
        changed = 0
        for rec in self.recs.values():
            for prop in YEAR_PROPS:
                values = rec.claims.get(prop)
                if not values:
                    continue
                value = settled(prop, values) if rec.type == YEAR_TYPES[prop] else None
                if value is None:
                    del rec.claims[prop]
                    continue
                changed += len(values) > 1
                rec.claims[prop] = {value}
                self.count(f"years:{prop}")
        self.count("years:settled", changed)
        return changed

    def count(self, source: str, n: int = 1) -> None:
        self.counts[source] = self.counts.get(source, 0) + n

    def records(self):
        for qid in sorted(self.recs, key=lambda q: int(q[1:])):
            yield self.recs[qid].to_dict()
