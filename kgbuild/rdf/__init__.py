"""RDF: the graph of a processed article (``document_graph``) and its serialisation (``write``)."""
from kgbuild.rdf.output import RDFFormat, as_dataset, format_for_path, serialize, write
from kgbuild.rdf.vocab import DEFAULT_BASE, KG, PREFIXES
from kgbuild.rdf.writer import DEFAULT_MIN_CONFIDENCE, document_graph, new_graph

__all__ = ["DEFAULT_BASE", "DEFAULT_MIN_CONFIDENCE", "KG", "PREFIXES", "RDFFormat", "as_dataset",
           "document_graph", "format_for_path", "new_graph", "serialize", "write"]
