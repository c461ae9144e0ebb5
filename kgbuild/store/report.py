"""What a load did (``LoadReport``) and the error of a load that stopped part-way (``LoadError``), shared by the
graph-by-graph loader (``kgbuild.store.load``) and the bulk loader (``kgbuild.store.bulk``)."""
from __future__ import annotations

from dataclasses import dataclass, field

from kgbuild.errors import StoreError


@dataclass
class LoadReport:
    """What a load did: ``loaded`` and ``failed`` are ``(graph IRI, source file, triples)``."""

    loaded: list[tuple[str, str, int]] = field(default_factory=list)
    failed: list[tuple[str, str, int]] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)  # files not read at all
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(n for _, _, n in self.loaded)

    @property
    def graphs(self) -> int:
        return len({g for g, _, _ in self.loaded})

    def as_dict(self) -> dict:
        rows = lambda xs: [{"graph": g, "source": s, "triples": n} for g, s, n in xs]  # noqa: E731
        return {"graphs": self.graphs, "triples": self.triples, "seconds": round(self.seconds, 3),
                "loaded": rows(self.loaded), "failed": rows(self.failed), "not_started": self.not_started}


class LoadError(StoreError):
    """A load stopped part-way; ``report`` lists the graphs loaded and those not loaded."""

    def __init__(self, cause: str, report: LoadReport):
        self.report = report
        super().__init__(_failure_message(cause, report))


def _failure_message(cause: str, r: LoadReport) -> str:
    def names(rows, limit=5):
        shown = ", ".join(f"<{g}>" for g, _, _ in rows[:limit])
        return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "") or "none"

    msg = f"{cause}. Loaded {len(r.loaded)} graph(s): {names(r.loaded)}. Not loaded: {names(r.failed)}"
    if r.not_started:
        msg += f"; files not started: {', '.join(r.not_started)}"
    return msg + ". Graphs not loaded are unchanged in the store; run the same command again to finish."
