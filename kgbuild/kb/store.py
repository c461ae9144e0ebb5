"""``SQLiteKB``: the KB behind the linker. Surface form -> ranked ``Candidate``s; QID -> ``Entity``.

Storage is one SQLite file (see ``kgbuild.kb.schema``). A Bloom filter over every name stem, stored in the file
(``kgbuild.kb.namefilter``), is read when the KB opens, so a lookup of a non-name costs one filter probe and
no SQL (a lookup only ever reads the names of the query's stem); hits (and the ~1 % false positives) are read from SQLite once and memoised. Nothing else
is loaded at open: given names are looked up in SQLite (memoised), so opening costs the same at any KB size
apart from the filter (10 bits per distinct stem).
Ranking (best first): popularity prior + a bonus for the name kind (labels over aliases over surnames) + a
bonus when the name is in the query language - a penalty when only the de-inflected form matched; ties go
to the lower QID. An all-caps abbreviation ("WHO", "NATO") is not matched by an all-lowercase surface.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Iterator, Sequence

from kgbuild.errors import KBCorruptError
from kgbuild.kb import namefilter, schema
from kgbuild.kb.classes import org_class
from kgbuild.kb.normalize import declines_weakly, is_inflection, norm_key, old_spelling_keys, stem_key
from kgbuild.types import Candidate, Entity

log = logging.getLogger("kgbuild.kb")

KIND_BONUS = {
    "label": 0.30, "official": 0.30, "wikipedia": 0.25, "alias": 0.20, "short": 0.15,
    "demonym": 0.20, "transliteration": 0.20, "surname": 0.0,
}
LANG_BONUS = 0.10
STEM_PENALTY = 0.30
#: claims followed by ``related`` (``schema.RELATED_LINK``: kgbuild's own links from the FB15k triples, see
#: ``kgbuild.kb.compile.links``)
RELATED_PROPS = ("P17", "P27", "P36", "P35", "P6", "P39", "P131", "P159", "P102", "P108", "P463", "P54",
                 schema.RELATED_LINK)
_CACHE_MAX = 50_000
_HITS_SQL = (
    "SELECT n.qid, n.name, n.kind, n.lang, e.prior, e.type, n.key FROM names n JOIN entities e ON e.qid = n.qid "
    "WHERE n.stem = ?"
)


#: names that begin with a query's whole name (``lookup_variants``): label-like kinds, read by a range of the key index
_PREFIX_SQL = (
    "SELECT n.qid, n.name, n.kind, n.lang, e.prior, e.type, n.key FROM names n JOIN entities e ON e.qid = n.qid "
    "WHERE n.key > ? AND n.key < ? AND n.kind IN ('label', 'wikipedia', 'official') LIMIT 200"
)
#: heads of organisation names written either way round: "University of Utrecht", "Utrecht University"
_SWAP_HEADS = ("university", "college")
#: the German head before a one-word place, as English names it ("Universität Heidelberg": "Heidelberg University", the
#: KB's English label, where the German label is "Ruprecht-Karls-Universität Heidelberg"; "Universität Wien": the
#: place's English name, "University of Vienna"); keys as ``norm_key`` writes them
_HEAD_TRANSLATIONS = {"universitaet": "university"}
#: words that join a name to its qualifier: "Salk Institute for Biological Studies", "Scuola Normale Superiore di Pisa"
_JOINING = frozenset("for of in at di de del della des du fuer der des zu am an und and".split())
#: words of organisation names that say what kind of body it is, not which: a name of only these ("Technical
#: University") is no shortened name of one
_GENERIC = frozenset("""university college institute school academy technical national international federal state royal
    central general united new society association museum hospital bank company group council committee party the
    of and for""".split())
#: words before a sports club's name that news and old papers write or leave out: "Sport-Club Juventus", "FC Barcelona"
_CLUB_WORDS = frozenset("sport sports club sportclub sportklub fussballclub fussballklub fc sc sv ac afc cf fk ssc".split())
#: legal forms at the end of a company's name that news add or leave out: "Fiat Automobile Co.", "Acme Inc."
_LEGAL_FORMS = frozenset("co company corp corporation inc incorporated ltd limited plc llc spa ag gmbh se sa nv bv".split())
#: the two spellings of a legal form that news and the KB's names use for each other ("Tokyo Electric Power Co")
_LEGAL_SPELLINGS = {"co": "company", "company": "co", "corp": "corporation", "corporation": "corp",
                    "inc": "incorporated", "incorporated": "inc", "ltd": "limited", "limited": "ltd"}
#: words of a company's trade before its legal form, which its short name leaves out ("Fiat Automobile Co.")
_TRADE_WORDS = frozenset("automobile automobiles motor motors manufacturing industries works trading".split())
#: the Wikidata class the KB gives companies (``kgbuild.kb.compile.forms.COMPANY``)
_COMPANY_CLASS = "Q4830453"
#: Wikidata classes of sports and football clubs (``kgbuild.kb.compile.forms``)
_CLUB_CLASSES = frozenset({"Q847017", "Q476028"})
#: a variant of a name (another order, a longer name that begins with it) ranks below the name itself
VARIANT_PENALTY = 0.30


#: heads of organisation names that news shorten by leaving out what follows: "Salk Institute (for Biological Studies)"
_HEADS = frozenset("""institute institution university college school academy society foundation laboratory laboratories
    museum hospital council commission agency centre center observatory""".split())


def _continues(rest: str) -> bool:
    """The rest of a longer name after a query's name that ends in a head: a joining word and more."""
    words = rest.split()
    return len(words) >= 2 and words[0] in _JOINING


def _qid_number(qid: str) -> int:
    """Tie-break: the older (lower) QID first."""
    return int(qid[1:]) if qid[1:].isdigit() else 1 << 62


def _best_candidates(best: dict[str, tuple[float, tuple]], limit: int) -> tuple[Candidate, ...]:
    """The ``limit`` best of ranked name rows (score first, then the older QID) as candidates."""
    ranked = sorted(best.values(), key=lambda item: (-item[0], _qid_number(item[1][0])))[:limit]
    return tuple(Candidate(qid=r[0], name=r[1], kind=r[2], prior=r[4], type=r[5], lang=r[3]) for _, r in ranked)


class SQLiteKB:
    """A KB file opened for lookups (``kgbuild.types.KnowledgeBase``). Thread-safe for reading."""

    def __init__(self, path: str | Path, readonly: bool = True):
        self.path = Path(path)
        self._conn = schema.connect(self.path, readonly=readonly)
        self._lock = threading.Lock()
        try:
            self._load_sets()
        except sqlite3.DatabaseError as exc:
            raise KBCorruptError(
                f"Knowledge base '{self.path}' cannot be read ({exc}). Delete it and rerun, "
                "or rebuild it with `kgbuild kb compile`."
            ) from None
        self._cache: dict[str, list[tuple]] = {}  # SQL rows per stem
        self._results: dict[tuple, tuple[Candidate, ...]] = {}  # ranked candidates per (key, lang, limit)
        self._related: dict[str, frozenset[str]] = {}  # memoised ``related``
        self._entities: dict[str, Entity | None] = {}  # memoised ``entity``
        self._claimants: dict[tuple[str, str], tuple[str, ...]] = {}  # memoised ``claimants``
        self._names_rows: dict[str, list[tuple]] = {}  # memoised ``names_of``: every row of a QID, any type

    def _load_sets(self) -> None:
        meta = dict(self._conn.execute("SELECT key, value FROM meta WHERE key != 'name_index'"))
        self._stop = set(filter(None, meta.pop("stop_words", "").split("\n")))
        self._meta = meta
        # every name stem (rows written without finalize, e.g. by an interrupted import, in an overlay)
        self._index = namefilter.load(self._conn)
        self._given: dict[str, bool] = {}

    # -- metadata ---------------------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """Content version of the KB for provenance: ``kb-<records hash>-<compile date>``, plus
        ``+<date of last change>`` once imports or online look-ups added to it."""
        base = f"kb-{self._meta.get('content_hash', 'local')[:12]}-{self._meta.get('built', '')}"
        return base + (f"+{self._meta['updated']}" if self._meta.get("updated") else "")

    @property
    def max_name_tokens(self) -> int:
        """Length in tokens of the longest name (capped at 12): the spotter's n-gram limit."""
        return int(self._meta.get("max_name_tokens", 8))

    @property
    def meta(self) -> dict[str, str]:
        return dict(self._meta)

    # -- lookup -----------------------------------------------------------------------------------------
    def has_name(self, surface: str) -> bool:
        """Cheap test for the spotter: could ``surface`` (or its de-inflected form) be a name in the KB?
        False means ``lookup`` finds nothing; True means it may (one filter probe, no SQL)."""
        key = norm_key(surface)
        return stem_key(key) in self._index or self._old_spelling(key)

    def _old_spelling(self, key: str) -> bool:
        """Could ``key`` be an old spelling of a name ("coeln": Köln)? (filter probes only)"""
        return any(stem_key(k) in self._index for k in old_spelling_keys(key))

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one read query; a damaged file becomes ``KBCorruptError`` naming the file and the fix."""
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise KBCorruptError(
                f"Knowledge base '{self.path}' is corrupt ({exc}). Delete it and rerun (the bundled KB is "
                "rebuilt automatically), or rebuild it with `kgbuild kb compile`."
            ) from None

    def _rows(self, stem: str) -> list[tuple]:
        hit = self._cache.get(stem)
        if hit is None:
            hit = self._query(_HITS_SQL, (stem,))
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            self._cache[stem] = hit
        return hit

    def lookup(self, surface: str, lang: str | None = None, limit: int = 10) -> list[Candidate]:
        """Ranked candidates (best first, one per QID) for a surface form in language ``lang``."""
        key = norm_key(surface)
        lower = surface.islower()  # "who", "nato": not the abbreviations WHO, NATO
        if lower and key in self._stop:  # function words: never a name, never inflected ("welches")
            return []
        found = self._results.get((key, lang, limit, lower))
        if found is None:
            if not key or stem_key(key) not in self._index and not (lang == "de" and self._old_spelling(key)):
                return []  # not a name (most spotter n-grams): no SQL, no memo
            found = self._remember((key, lang, limit, lower), self._lookup_key(key, lang, limit, lower))
        return list(found)

    def _remember(self, memo: tuple, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        """Keep a lookup's answer under ``memo`` (the memo is emptied when full)."""
        if len(self._results) >= _CACHE_MAX:
            self._results.clear()
        self._results[memo] = found
        return found

    def _lookup_key(self, key: str, lang: str | None, limit: int, lower: bool) -> tuple[Candidate, ...]:
        best: dict[str, tuple[float, tuple]] = {}
        self._match(key, lang, lower, best)
        if not best and lang == "de":  # "Cöln", "Jtalien": places in old spelling, when nothing else matched
            for modern in old_spelling_keys(key):
                self._match(modern, lang, lower, best, types=("LOC",))
        return _best_candidates(best, limit)

    def _match(self, key: str, lang: str | None, lower: bool, best: dict, types: tuple[str, ...] | None = None) -> None:
        """Rank into ``best`` the names of ``key`` and its inflections (of the entity ``types`` when given)."""
        stem = stem_key(key)  # every key's stem is indexed: one query finds exact and inflected matches
        if stem not in self._index:
            return
        rows = self._rows(stem)
        if lower:
            rows = [r for r in rows if not (r[2] == "short" and r[1].isupper())]
        if types is not None:
            rows = [r for r in rows if r[5] in types]
        self._rank([r for r in rows if r[6] == key], lang, 0.0, best)
        # the weak -n only for organisations named by an adjective ("Grünen" of "Grüne"; not the place "Herre");
        # declines_weakly (simplemma's German dictionary: 0.35-0.9 CPU s to load) is asked only when the weak -n
        # is what would make the match (`weak` only widens is_inflection), not for every English lookup
        inflected = [r for r in rows if r[6] != key and (
            is_inflection(key, r[6], r[2] == "demonym")
            or (r[5] == "ORG" and is_inflection(key, r[6], r[2] == "demonym", True) and declines_weakly(r[1])))]
        self._rank(inflected, lang, STEM_PENALTY, best)

    @staticmethod
    def _rank(rows: list[tuple], lang: str | None, penalty: float, best: dict) -> None:
        for row in rows:
            qid, _, kind, name_lang, prior = row[:5]
            score = prior + KIND_BONUS[kind] - penalty
            if lang and name_lang == lang:
                score += LANG_BONUS
            elif name_lang is None:
                score += LANG_BONUS / 2
            if qid not in best or score > best[qid][0]:
                best[qid] = (score, row)

    def lookup_variants(self, surface: str, lang: str | None = None, limit: int = 10) -> list[Candidate]:
        """Organisations a name the KB does not know whole may stand for, for a statistical NER's name without
        candidates (never for spotting): the other order of a university's name ("University of Utrecht" and
        "Utrecht University"), an English adjective of nationality as "of" and the country ("Chilean Communist
        Party": "Communist Party of Chile"), and, for a name that ends in the head of an organisation's name, the
        names that begin with the whole of it and go on with a joining word ("Salk Institute" of "Salk Institute
        for Biological Studies"; not "Le Monde" of "Le Monde diplomatique"); a club's name without the words for
        a club before it ("Sport-Club Juventus": Juventus, clubs only). Ranked as ``lookup`` ranks, a
        shortened name as a short form below an exact match; [] for one word or when the lookup itself finds something."""
        key = norm_key(surface)
        if " " not in key or self.lookup(surface, lang=lang, limit=limit):
            return []
        memo = ("variants", key, lang, limit)
        found = self._results.get(memo)
        if found is None:
            best: dict[str, tuple[float, tuple]] = {}
            for variant in self._variant_keys(key, lang):
                stem = stem_key(variant)
                if stem in self._index:
                    rows = [r for r in self._rows(stem) if r[6] == variant and r[5] == "ORG"]
                    if key.split()[0] in _CLUB_WORDS:  # a club's name without "Sport-Club", "FC": only clubs
                        rows = [r for r in rows if _CLUB_CLASSES.intersection(getattr(self.entity(r[0]), "classes", ()))]
                    elif key.split()[-1] in _LEGAL_FORMS and variant.split()[-1] not in _LEGAL_FORMS:
                        # "Fiat Automobile Co." as "Fiat": only companies; the legal form in its other spelling
                        # ("British Broadcasting Corp." -> "... Corporation") is the same name, of any organisation
                        rows = [r for r in rows if _COMPANY_CLASS in getattr(self.entity(r[0]), "classes", ())]
                    self._rank(rows, lang, VARIANT_PENALTY, best)
            words = key.split()
            shortened = words[-1] in _HEADS and bool(set(words) - _GENERIC)  # "salk institute", not "le monde"
            rows = self._query(_PREFIX_SQL, (key + " ", key + " \U0010ffff")) if shortened else []
            self._rank([(*r[:2], "short", *r[3:]) for r in rows if r[5] == "ORG" and _continues(r[6][len(key) + 1:])],
                       lang, VARIANT_PENALTY, best)
            found = self._remember(memo, _best_candidates(best, limit))
        return list(found)

    def names_beginning(self, surface: str, lang: str | None = None, limit: int = 50) -> list[Candidate]:
        """Entities with a name (a label, official or Wikipedia name) that begins with ``surface``'s words and goes on
        ("Sozialdemokratische" -> "Sozialdemokratische Partei Österreichs"), ranked as ``lookup`` ranks, each with
        that longer name. For rules that know the head a name ends in (``kgbuild.mentions``); never for spotting."""
        key = norm_key(surface)
        if not key:
            return []
        memo = ("beginning", key, lang, limit)
        found = self._results.get(memo)
        if found is None:
            best: dict[str, tuple[float, tuple]] = {}
            self._rank(self._query(_PREFIX_SQL, (key + " ", key + " \U0010ffff")), lang, 0.0, best)
            found = self._remember(memo, _best_candidates(best, limit))
        return list(found)

    def _variant_keys(self, key: str, lang: str | None) -> list[str]:
        """Other word orders of a name's key (``lookup_variants``)."""
        out = []
        for head in _SWAP_HEADS:
            if key.startswith(head + " of ") and len(key) > len(head) + 4:
                out.append(f"{key[len(head) + 4:]} {head}")  # "university of utrecht" -> "utrecht university"
            elif key.endswith(" " + head) and " of " not in key:
                out.append(f"{head} of {key[:-len(head) - 1]}")
        first, _, place = key.partition(" ")
        if first in _HEAD_TRANSLATIONS and place and " " not in place:  # "universität heidelberg", "universität wien"
            head = _HEAD_TRANSLATIONS[first]
            places = {place} | {norm_key(ent.labels["en"]) for c in self.lookup(place, lang=lang, limit=1)
                                if c.type == "LOC" and (ent := self.entity(c.qid)) is not None and ent.labels.get("en")}
            for where in sorted(places):  # "university of heidelberg", "heidelberg university", "university of vienna"
                out += [f"{head} of {where}", f"{where} {head}"]
        tokens = key.split()
        if tokens[0] == "university" and len(tokens) > 2 and tokens[1] == "of":
            out.append(f"{key} system")  # "university of california": the KB names the system "... System"
        lead = 0
        while lead < min(2, len(tokens) - 1) and tokens[lead] in _CLUB_WORDS:
            lead += 1
        if lead:
            out.append(" ".join(tokens[lead:]))  # "sport club juventus" -> "juventus" (clubs only, below)
        if tokens[-1] in _LEGAL_FORMS and len(tokens) >= 2:
            name = tokens[:-1]  # "fiat automobile co" -> "fiat automobile", "fiat" (companies only, above)
            out.append(" ".join(name))
            if tokens[-1] in _LEGAL_SPELLINGS:  # "tokyo electric power co" -> "... company"
                out.append(" ".join([*name, _LEGAL_SPELLINGS[tokens[-1]]]))
            if len(name) >= 2 and name[-1] in _TRADE_WORDS:
                out.append(" ".join(name[:-1]))
        first, _, rest = key.partition(" ")
        if lang == "en" and rest:
            for cand in self.lookup(first, lang="en", limit=3):
                ent = self.entity(cand.qid) if cand.kind == "demonym" and cand.type == "LOC" else None
                if ent is not None and ent.labels.get("en"):
                    out.append(f"{rest} of {norm_key(ent.labels['en'])}")  # "chilean communist party"
                    break
        return out

    def is_given_name(self, token: str, lang: str | None = None) -> bool:
        """True if ``token`` is a known first name (politicians' given names, transliteration variants)."""
        key = norm_key(token)
        known = self._given.get(key)
        if known is None:
            known = bool(self._query("SELECT 1 FROM given_names WHERE key = ?", (key,)))
            if len(self._given) >= _CACHE_MAX:
                self._given.clear()
            self._given[key] = known
        return known

    # -- entities ---------------------------------------------------------------------------------------
    def entity(self, qid: str) -> Entity | None:
        """Labels, descriptions, type, prior, P31 classes and claims of ``qid``, or None if unknown (memoised)."""
        if qid in self._entities:
            return self._entities[qid]
        found = self._entity(qid)
        if len(self._entities) >= _CACHE_MAX:
            self._entities.clear()
        self._entities[qid] = found
        return found

    def _entity(self, qid: str) -> Entity | None:
        rows = self._query(
            "SELECT type, prior, classes, claims, labels, descriptions FROM entities WHERE qid=?", (qid,)
        )
        if not rows:
            return None
        row = rows[0]
        claims = {p: tuple(v) for p, v in json.loads(row[3]).items()}
        return Entity(
            qid=qid, type=row[0], prior=row[1], labels=json.loads(row[4]),
            descriptions=json.loads(row[5]), classes=tuple(json.loads(row[2])), claims=claims,
        )

    def related(self, qid: str, links: bool = True) -> set[str]:
        """QIDs linked to ``qid`` through ``RELATED_PROPS`` claims, in either direction (``links=False``: the
        Wikidata claims only, without kgbuild's relatedness links from the FB15k triples)."""
        key = qid if links else "-" + qid
        hit = self._related.get(key)
        if hit is not None:
            return set(hit)
        props = RELATED_PROPS if links else tuple(p for p in RELATED_PROPS if p != schema.RELATED_LINK)
        marks = ",".join("?" * len(props))
        out = self._query(
            f"SELECT value FROM claims WHERE qid=? AND prop IN ({marks}) "
            f"UNION SELECT qid FROM claims WHERE value=? AND prop IN ({marks})",
            (qid, *props, qid, *props),
        )
        found = frozenset({r[0] for r in out} - {qid})
        if len(self._related) >= _CACHE_MAX:
            self._related.clear()
        self._related[key] = found
        return set(found)

    def claimants(self, value: str, prop: str) -> tuple[str, ...]:
        """QIDs with the claim ``prop`` = ``value`` (the historic states whose P1366 is Q183), sorted."""
        hit = self._claimants.get((value, prop))
        if hit is None:
            hit = tuple(sorted(r[0] for r in self._query(
                "SELECT DISTINCT qid FROM claims WHERE value=? AND prop=?", (value, prop))))
            if len(self._claimants) >= _CACHE_MAX:
                self._claimants.clear()
            self._claimants[(value, prop)] = hit
        return hit

    def names(self, qid: str) -> list[tuple[str, str, str | None]]:
        """Every (name, kind, lang) of ``qid``."""
        return self._query("SELECT DISTINCT name, kind, lang FROM names WHERE qid=? ORDER BY kind, lang, name", (qid,))

    def names_of(self, qids: Sequence[str], types: Sequence[str]) -> list[tuple[str, str, float, str, str]]:
        """(qid, entity type, prior, name, kind) of every name of those of ``qids`` whose entity type is in
        ``types``: one query per 500 QIDs not asked for before (the linker reads the names of a document's
        related entities, and the same entities recur from article to article)."""
        rows = self.names_rows(qids)
        wanted = set(types)
        return [row for q in sorted(rows) for row in rows[q] if row[1] in wanted]

    def names_rows(self, qids: Sequence[str]) -> dict[str, list[tuple[str, str, float, str, str]]]:
        """QID -> its (qid, entity type, prior, name, kind) rows, for ``names_of``. The lists are the memo's own
        (read them, do not change them): a list stays the same object until the memo is cleared, so a caller may
        keep what it derives from one for as long as the same list comes back."""
        ids = sorted(set(qids))
        cache = self._names_rows
        rows = {q: cache[q] for q in ids if q in cache}
        missing = [q for q in ids if q not in rows]
        for i in range(0, len(missing), 500):
            chunk = missing[i:i + 500]
            found: dict[str, list[tuple]] = {q: [] for q in chunk}
            for row in self._query(
                    "SELECT DISTINCT e.qid, e.type, e.prior, n.name, n.kind FROM entities e JOIN names n "
                    f"ON n.qid = e.qid WHERE e.qid IN ({','.join('?' * len(chunk))})", tuple(chunk)):
                found[row[0]].append(row)
            rows.update(found)
            if len(cache) + len(found) > _CACHE_MAX:
                cache.clear()
            cache.update(found)
        return rows

    def iter_names(self, kinds: Sequence[str], langs: Sequence[str | None], types: Sequence[str]
                   ) -> Iterator[tuple[str, str]]:
        """Every distinct (name, entity type) whose kind, language (None: language-neutral) and type are given."""
        named = [lang for lang in langs if lang is not None]
        lang_sql = " OR ".join(([f"n.lang IN ({','.join('?' * len(named))})"] if named else [])
                               + (["n.lang IS NULL"] if None in langs else [])) or "0"
        sql = ("SELECT DISTINCT n.name, e.type FROM names n JOIN entities e ON e.qid = n.qid "
               f"WHERE n.kind IN ({','.join('?' * len(kinds))}) AND ({lang_sql}) "
               f"AND e.type IN ({','.join('?' * len(types))})")
        yield from self._query(sql, (*kinds, *named, *types))

    def stats(self) -> dict:
        """Counts per type, per source, names per language and kind, and the file size."""
        q = self._query
        return {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size,
            "version": self.version,
            "entities": q("SELECT COUNT(*) FROM entities")[0][0],
            "names": q("SELECT COUNT(*) FROM names")[0][0],
            "by_type": dict(q("SELECT type, COUNT(*) FROM entities GROUP BY type")),
            "by_class": self._by_org_class(),
            "by_source": self._by_source(),
            "names_by_lang": {k or "-": v for k, v in q("SELECT lang, COUNT(*) FROM names GROUP BY lang")},
            "names_by_kind": dict(q("SELECT kind, COUNT(*) FROM names GROUP BY kind")),
            "given_names": q("SELECT COUNT(*) FROM given_names")[0][0],
            "name_filter": {"stems": self._index.keys + len(self._index.extra), "bytes": self._index.m // 8},
            "sources": json.loads(self._meta.get("sources", "[]")),
        }

    def _by_org_class(self) -> dict[str, int]:
        """Organisations per finer class (``kgbuild.kb.classes``: Company, University, ...)."""
        counts: dict[str, int] = {}
        for classes, count in self._query("SELECT classes, COUNT(*) FROM entities WHERE type = 'ORG' GROUP BY classes"):
            name = org_class(json.loads(classes))
            if name:
                counts[name] = counts.get(name, 0) + count
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def _by_source(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for src, count in self._query("SELECT source, COUNT(*) FROM entities GROUP BY source"):
            for name in filter(None, src.split(",")):
                counts[name] = counts.get(name, 0) + count
        return dict(sorted(counts.items()))

    def writer(self) -> sqlite3.Connection:
        """A separate read-write connection to the same file (for import and the online cache)."""
        return schema.connect(self.path, readonly=False)

    def refresh(self) -> None:
        """Reload the name filter and drop memoised hits after the file was written to."""
        self._load_sets()
        self.clear_cache()

    def clear_cache(self) -> None:
        """Forget memoised SQL rows and ranked candidates."""
        self._cache.clear()
        self._results.clear()
        self._names_rows.clear()
        self._given.clear()
        self._related.clear()
        self._entities.clear()
        self._claimants.clear()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "SQLiteKB":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
