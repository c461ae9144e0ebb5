"""RDF: the graph of a processed article (``document_graph``) and its serialisation (``write``).

``document_graph``, ``new_graph`` and ``DEFAULT_MIN_CONFIDENCE`` come from ``kgbuild.rdf.writer``, which needs the
relation catalogue (and with it spaCy): imported on first use, so that reading and writing RDF (``kgbuild view``,
``query``, ``load``) does not import spaCy.
"""
from kgbuild.rdf.output import RDFFormat, as_dataset, format_for_path, serialize, write
from kgbuild.rdf.vocab import DEFAULT_BASE, KG, PREFIXES

_FROM_WRITER = ("DEFAULT_MIN_CONFIDENCE", "document_graph", "new_graph")


def __getattr__(name: str):
    if name in _FROM_WRITER:
        from kgbuild.rdf import writer

        value = getattr(writer, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DEFAULT_BASE", "DEFAULT_MIN_CONFIDENCE", "KG", "PREFIXES", "RDFFormat", "as_dataset",
           "document_graph", "format_for_path", "new_graph", "serialize", "write"]
