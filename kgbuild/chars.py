"""Characters: the one place where text is made safe for RDF and for line-based formats.

In: any Python ``str`` (decoded file, JSONL field, stdin, a caller's ``Article``). Out: the same text with
every character that an RDF literal, N-Triples/N-Quads line or a downstream tool can't carry replaced by
ONE character, so every offset (NIF ``beginIndex``/``endIndex``, gold spans) stays right:

- line and page breaks other than ``\\n`` (vertical tab, form feed, ``\\x1c``-``\\x1e``, NEL ``\\x85``,
  U+2028, U+2029) -> ``\\n`` (they end a line; the sentence splitter treats them so);
- other C0 and C1 controls and DEL (``\\x00``, ``\\x07``, ``\\x7f``, ``\\x9f``, ...) -> a space;
- lone surrogates (from JSON ``\\ud800`` escapes or ``surrogateescape``) and noncharacters
  (U+FFFE, U+FFFF, U+FDD0-U+FDEF, ...) -> U+FFFD.

Tabs, ``\\n`` and ``\\r`` are kept; private-use, bidi and zero-width characters are valid RDF and are kept.
``kgbuild.types.Article`` applies :func:`clean_text` to its text and title, so every article is clean.
"""
from __future__ import annotations

import re

_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_NONCHARS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{_NONCHARS}]")


def _replacement(match: re.Match) -> str:
    ch = match.group()
    if ch in _BREAKS:
        return "\n"
    if "\ud800" <= ch <= "\udfff" or ch > "\x9f":
        return "\ufffd"
    return " "


def clean_text(text: str) -> str:
    """``text`` with unsafe characters replaced one for one (see the module docstring); same length."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_replacement, text)


def is_clean(text: str) -> bool:
    """Whether ``text`` holds no character that :func:`clean_text` would replace."""
    return _UNSAFE.search(text) is None
