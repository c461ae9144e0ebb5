"""Name normalisation for KB keys: surface string -> lookup key(s).

``norm_key("Kim Jong-un") == norm_key("kim jong un") == "kim jong un"``: case-folded, German umlauts as
ae/oe/ue (so "Pjöngjang" == "Pjoengjang"), other diacritics stripped, hyphens and punctuation as spaces,
apostrophes and dots dropped. ``stem_key`` additionally strips German (and English possessive) inflection
from every token ("Nordkoreas" -> "nordkorea", "russischen" -> "russisch"); it is applied the same way to
KB names and to queries, so stem matches are consistent, and the KB ranks them below exact matches.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: bump when keys change: record files built with another version get their keys recomputed
NORM_VERSION = 1

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUTS_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_DROP = re.compile(r"[\u0027\u2019\u2018\u02bc\u0060\u00b4.]")  # apostrophes and dots vanish
_SEP = re.compile(r"[\W_]+", re.UNICODE)  # everything else that is not a letter/digit separates tokens

#: German inflection endings, longest first; a stem keeps at least ``_MIN_STEM`` characters.
_ENDINGS = ("ischen", "ischem", "ischer", "isches", "ische", "en", "em", "er", "es", "e", "s", "n")
_MIN_STEM = 4


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_GERMAN = re.compile("[äöüßÄÖÜẞ]")


def _fold(text: str, table: dict) -> str:
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFC", text).casefold().translate(table)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = _DROP.sub("", text)
    return " ".join(_SEP.split(text)).strip()


@lru_cache(maxsize=200_000)
def norm_key(text: str) -> str:
    """The exact lookup key of a name (umlauts spelled out as ae/oe/ue)."""
    return _fold(text, _UMLAUTS)


def plain_key(text: str) -> str:
    """The key with umlauts reduced to a/o/u ("Müller" -> "muller"): indexed in addition to ``norm_key``."""
    if not _GERMAN.search(text):
        return norm_key(text)
    return _fold(text, _UMLAUTS_PLAIN)


def stem_token(token: str) -> str:
    """One token without its inflection ending ("russischen" -> "russisch", "moskaus" -> "moskau")."""
    if token.isdigit():
        return token
    for end in _ENDINGS:
        if token.endswith(end) and len(token) - len(end) >= _MIN_STEM:
            if end.startswith("isch"):
                return token[: len(token) - len(end)] + "isch"
            return token[: len(token) - len(end)]
    return token


@lru_cache(maxsize=200_000)
def stem_key(key: str) -> str:
    """The inflection-insensitive key of a normalised key (apply ``norm_key`` first)."""
    return " ".join(stem_token(tok) for tok in key.split(" "))


def token_count(text: str) -> int:
    """Number of tokens of a name as the spotter sees them (hyphen parts count separately)."""
    key = norm_key(text)
    return len(key.split(" ")) if key else 0
