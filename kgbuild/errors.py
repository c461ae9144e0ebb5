"""The exceptions of kgbuild: one root, subclasses that also inherit the matching built-in.

The library raises these and logs; only the CLI turns them into one line on stderr and exit code 1.
Messages say what happened, with the value, and what to do next.
"""
from __future__ import annotations


class KgbuildError(Exception):
    """Root of every error kgbuild raises on purpose."""


class InputError(KgbuildError, ValueError):
    """An input file or text cannot be read (empty, binary, undecodable, malformed)."""


class InputNotFoundError(InputError, FileNotFoundError):
    """An input path does not exist."""


class LanguageError(KgbuildError, ValueError):
    """The language of an article is not supported or could not be detected."""


class KBError(KgbuildError):
    """Problems with the knowledge base."""


class KBNotFoundError(KBError, FileNotFoundError):
    """The knowledge base file does not exist."""


class KBCorruptError(KBError, ValueError):
    """The knowledge base file exists but is truncated, corrupt or of an unknown schema."""


class OnlineError(KgbuildError, ConnectionError):
    """The Wikidata API could not be reached or answered with an error."""


class ModelError(KgbuildError, OSError):
    """A spaCy model named by the user is missing or cannot be loaded."""


class OutputError(KgbuildError, OSError):
    """An output file cannot be written."""


class GraphError(KgbuildError, ValueError):
    """An RDF graph cannot be parsed, or is not a graph kgbuild wrote."""


class QueryError(KgbuildError, ValueError):
    """A SPARQL query is malformed or failed."""


class StoreError(KgbuildError, OSError):
    """A triple store (embedded or remote) failed or refused a request."""


class GoldError(KgbuildError, ValueError):
    """A gold annotation file for `kgbuild eval` is malformed or does not match its text."""
