"""``ViewData`` -> the part of it to draw: relation types, a date range, one entity's neighbourhood, a node limit.

``select(data, ViewFilter(...))`` returns a new ``ViewData``. With a filter only the entities that take
part in a kept event or relation stay (plus the focus entity). When more than ``limit`` nodes remain, the
best connected entities and the events among them are kept and a warning is added (and logged).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict, deque
from dataclasses import dataclass

from kgbuild.errors import GraphError, InputError
from kgbuild.view.model import WIKIDATA_ENTITY, ViewData, ViewEntity, ViewEvent, ViewRelation

log = logging.getLogger("kgbuild.view")

#: default node limit: cytoscape.js stays responsive up to about this many nodes
DEFAULT_LIMIT = 2000


@dataclass(frozen=True)
class ViewFilter:
    entity: str | None = None  # "Q7747", "wd:Q7747", an IRI, or an exact label
    depth: int = 1
    types: tuple[str, ...] = ()  # relation or event type names: "visits", "Visit", "meets", ...
    date_from: str | None = None  # YYYY-MM-DD
    date_to: str | None = None
    limit: int = DEFAULT_LIMIT

    @property
    def active(self) -> bool:
        return bool(self.entity or self.types or self.date_from or self.date_to)


def parse_date(value: str | None, option: str) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY``, ``YYYY-MM``) -> ISO string; ``InputError`` otherwise."""
    if not value:
        return None
    for fmt, pad in (("%Y-%m-%d", ""), ("%Y-%m", "-01"), ("%Y", "-01-01")):
        try:
            dt.datetime.strptime(value, fmt)
            return value + pad
        except ValueError:
            continue
    raise InputError(f"{option} {value!r} is not a date. Use YYYY-MM-DD, e.g. {option} 2024-06-18.")


def find_entity(data: ViewData, wanted: str) -> ViewEntity:
    """The entity named by a QID, ``wd:QID``, an IRI or an exact (case-insensitive) label."""
    key = wanted.strip()
    if key.startswith("wd:"):
        key = WIKIDATA_ENTITY + key[3:]
    for ent in data.entities:
        if key in (ent.id, ent.qid) or key.casefold() in {name.casefold() for name in (ent.label, *ent.labels.values())}:
            return ent
    examples = ", ".join(f"{e.qid or e.id} ({e.label})" for e in data.entities[:5])
    raise GraphError(f"Entity {wanted!r} is not in the graph. Pass a QID or label of the graph, e.g. {examples}.")


def _event_entities(ev: ViewEvent) -> set[str]:
    return {r.entity for r in ev.roles}


def _distances(data: ViewData, start: str, depth: int) -> dict[str, int]:
    """Entity -> number of relation hops from ``start`` (through events or truthy relations), up to ``depth``."""
    links: dict[str, set[str]] = defaultdict(set)
    for ev in data.events:
        ents = _event_entities(ev)
        for e in ents:
            links[e] |= ents - {e}
    for rel in data.relations:
        links[rel.subject].add(rel.object)
        links[rel.object].add(rel.subject)
    dist = {start: 0}
    todo = deque([start])
    while todo:
        cur = todo.popleft()
        if dist[cur] >= depth:
            continue
        for nxt in links[cur]:
            if nxt not in dist:
                dist[nxt] = dist[cur] + 1
                todo.append(nxt)
    return dist


def _in_range(date: str | None, lo: str | None, hi: str | None) -> bool:
    """Does an event's date (a day, or only a month "2023-03" or a year "2023") overlap ``lo``..``hi``?"""
    if not date:
        return False
    first, last = (date + "-01-01")[:10], (date + "-99-99")[:10]  # the month / year as its first and last day
    return (not lo or last >= lo) and (not hi or first <= hi)


def _filter_events(data: ViewData, flt: ViewFilter) -> tuple[list[ViewEvent], list[ViewRelation]]:
    types = {t.strip().casefold() for t in flt.types if t.strip()}
    lo, hi = parse_date(flt.date_from, "--from"), parse_date(flt.date_to, "--to")
    events = [
        ev for ev in data.events
        if (not types or (ev.relation or "").casefold() in types or ev.event_type.casefold() in types)
        and (not (lo or hi) or _in_range(ev.date, lo, hi))
    ]
    kept = {ev.id for ev in events}
    relations = [
        rel for rel in data.relations
        if (not types or rel.predicate.casefold() in types or any(e in kept for e in rel.events))
        and (not (lo or hi) or any(e in kept for e in rel.events))
    ]
    if types and not events and not relations:
        known = sorted({ev.relation or ev.event_type for ev in data.events} | {r.predicate for r in data.relations})
        raise GraphError(f"No event or relation of type {', '.join(sorted(types))}. Types in the graph: "
                         f"{', '.join(known) or 'none'}.")
    return events, relations


def _around(data: ViewData, events, relations, flt: ViewFilter):
    focus = find_entity(data, flt.entity)
    dist = _distances(data.replace(events=tuple(events), relations=tuple(relations)), focus.id, max(flt.depth, 0))
    events = [ev for ev in events if any(dist.get(e, flt.depth) < flt.depth for e in _event_entities(ev))]
    relations = [r for r in relations if r.subject in dist and r.object in dist
                 and min(dist[r.subject], dist[r.object]) < flt.depth]
    return focus, events, relations


def select(data: ViewData, flt: ViewFilter = ViewFilter()) -> ViewData:
    """Apply ``flt`` to ``data`` (see the module docstring); ``GraphError`` if a named entity or type is absent."""
    events, relations = _filter_events(data, flt)
    focus = None
    if flt.entity:
        focus, events, relations = _around(data, events, relations, flt)
    if flt.active:
        keep = {e for ev in events for e in _event_entities(ev)} | {x for r in relations for x in (r.subject, r.object)}
        if focus:
            keep.add(focus.id)
        entities = tuple(e for e in data.entities if e.id in keep)
    else:
        entities = data.entities
    if not entities:
        raise GraphError(f"Nothing left to draw after the filters ({_describe(flt)}). Widen them; "
                         f"the events of the graph are dated {_date_range(data)}.")
    out = data.replace(entities=entities, events=tuple(events), relations=tuple(relations))
    if out.node_count > flt.limit:
        out = limit_nodes(out, flt.limit)
    return out


def _describe(flt: ViewFilter) -> str:
    parts = [f"--entity {flt.entity} --depth {flt.depth}" if flt.entity else "",
             f"--type {','.join(flt.types)}" if flt.types else "",
             f"--from {flt.date_from}" if flt.date_from else "", f"--to {flt.date_to}" if flt.date_to else ""]
    return " ".join(p for p in parts if p)


def _date_range(data: ViewData) -> str:
    dates = sorted(ev.date for ev in data.events if ev.date)
    return f"{dates[0]} to {dates[-1]}" if dates else "not at all"


def limit_nodes(data: ViewData, limit: int) -> ViewData:
    """Keep the best connected entities and the events and relations among them, at most ``limit`` nodes."""
    degree: dict[str, int] = defaultdict(int)
    for ev in data.events:
        for e in _event_entities(ev):
            degree[e] += 1
    for rel in data.relations:
        degree[rel.subject] += 1
        degree[rel.object] += 1
    ranked = sorted(data.entities, key=lambda e: (-degree[e.id], -len(e.mentions), e.id))

    def cut(k: int) -> tuple[set[str], list[ViewEvent]]:
        ids = {e.id for e in ranked[:k]}
        return ids, [ev for ev in data.events if _event_entities(ev) and _event_entities(ev) <= ids]

    lo, hi = 0, min(len(ranked), max(limit, 0))
    while lo < hi:  # largest k with k entities + their events <= limit
        mid = (lo + hi + 1) // 2
        ids, evs = cut(mid)
        lo, hi = (mid, hi) if mid + len(evs) <= limit else (lo, mid - 1)
    ids, evs = cut(lo)
    if not ids and ranked:  # never an empty page: at least the best connected entity
        ids, evs = {ranked[0].id}, []
    total = data.node_count
    kept = data.replace(
        entities=tuple(e for e in data.entities if e.id in ids), events=tuple(evs),
        relations=tuple(r for r in data.relations if r.subject in ids and r.object in ids),
        total_nodes=total,
    )
    msg = (f"The graph has {total} nodes; showing the {kept.node_count} best connected (limit {limit}). "
           "Focus with --entity QID, --type or --from/--to, or raise --limit.")
    log.warning(msg)
    return kept.replace(warnings=data.warnings + (msg,))
