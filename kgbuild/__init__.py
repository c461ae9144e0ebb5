"""kgbuild: news articles -> Wikidata-linked entities, relations and events -> RDF.

The stages, in the order data flows through them (see ``kgbuild.pipeline``):
``read`` -> ``lang`` -> ``nlp`` -> ``mentions`` -> ``linking`` -> ``relations`` -> ``rdf`` -> output.
"""
from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger("kgbuild").addHandler(logging.NullHandler())

__all__ = ["__version__"]
