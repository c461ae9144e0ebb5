"""Name normalisation for KB keys: surface string -> lookup key(s).

``norm_key("Kim Jong-un") == norm_key("kim jong un") == "kim jong un"``: case-folded, German umlauts as
ae/oe/ue (so "Pjöngjang" == "Pjoengjang"), other diacritics stripped, hyphens and punctuation as spaces,
apostrophes, dots, soft hyphens and "¬" (OCR's line-break hyphen) dropped; the long s "ſ" is "s" (case
folding). ``stem_key`` additionally strips German (and English possessive) inflection from every token ("Nordkoreas" -> "nordkorea", "russischen" -> "russisch"); it is applied the same way to
KB names and to queries, so stem matches are consistent, and the KB ranks them below exact matches.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: bump when keys change: record files built with another version get their keys recomputed
NORM_VERSION = 4

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUTS_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
#: apostrophes and dots vanish; so do the soft hyphen and OCR's line-break hyphen "¬" ("Mün¬chen" = "München")
_DROP = re.compile(r"[\u0027\u2019\u2018\u02bc\u0060\u00b4.\u00ac\u00ad]")
_SEP = re.compile(r"[\W_]+", re.UNICODE)  # everything else that is not a letter/digit separates tokens

#: German inflection endings, longest first; a stem keeps at least ``_MIN_STEM`` characters.
_ENDINGS = ("ischen", "ischem", "ischer", "isches", "ische", "en", "em", "er", "es", "e", "s", "n")
_MIN_STEM = 3
#: the endings by their last letter, in ``_ENDINGS`` order (the first that fits wins, as in that order)
_ENDINGS_BY_LAST: dict[str, tuple[str, ...]] = {}
for _end in _ENDINGS:
    _ENDINGS_BY_LAST[_end[-1]] = _ENDINGS_BY_LAST.get(_end[-1], ()) + (_end,)


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_GERMAN = re.compile("[äöüßÄÖÜẞ]")


def _fold(text: str, table: dict) -> str:
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold().translate(table)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()
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
    """One token with inflection endings stripped until none is left ("russischen" -> "russisch",
    "moskaus" -> "moskau", "berlins" -> "berli" == stem of "berlin"): the same for a name and its
    inflected forms, so it only finds candidates; ``is_inflection`` then checks the actual endings."""
    if token.isdigit():
        return token
    while len(token) > _MIN_STEM:
        for end in _ENDINGS_BY_LAST.get(token[-1], ()):  # only endings that end in the token's last letter
            if token.endswith(end) and len(token) - len(end) >= _MIN_STEM:
                if end.startswith("isch"):
                    return token[: len(token) - len(end)] + "isch"
                token = token[: len(token) - len(end)]
                break
        else:
            return token
    return token


@lru_cache(maxsize=200_000)
def stem_key(key: str) -> str:
    """The inflection-insensitive key of a normalised key (apply ``norm_key`` first)."""
    return " ".join(stem_token(tok) for tok in key.split(" "))


#: old German spellings of place names, on normalised keys: "Cöln", "Coblenz", "Cassel" (C for K before a back
#: vowel, l or r), "Jtalien", "Jnnsbruck" (Fraktur's J for I before a consonant)
_OLD_SPELLINGS = ((re.compile(r"^c(?=[aoulr])"), "k"), (re.compile(r"^j(?=[^aeiouyj\d])"), "i"),
                  # OCR of Fraktur: "ü" read as "ii" ("Miinchen"), the long s "ſ" as "f" before ch, t, p
                  # ("Deutfchland", "Oefterreich"); every such place in a token at once
                  (re.compile(r"ii"), "ue"), (re.compile(r"(?<=[a-z])f(?=ch|t|p)"), "s"))


def old_spelling_keys(key: str) -> list[str]:
    """Modern keys a key in old German spelling may stand for (``norm_key`` first): "coeln" -> ["koeln"],
    "jtalien" -> ["italien"]; [] when no rule applies. Only a fallback for names found under no other key."""
    if "c" not in key and "j" not in key and "ii" not in key and "f" not in key:
        return []
    tokens = key.split(" ")
    out = []
    for i, tok in enumerate(tokens):
        for pattern, repl in _OLD_SPELLINGS:
            new = pattern.sub(repl, tok, count=1 if pattern.pattern.startswith("^") else 0)
            if new != tok:
                out.append(" ".join(tokens[:i] + [new] + tokens[i + 1:]))
    return out


_ADJ_ENDINGS = ("en", "em", "er", "es", "e")


@lru_cache(maxsize=20_000)
def declines_weakly(name: str) -> bool:
    """A name whose last word is a German adjective in -e used as a noun ("Grüne", "Linke": "der Grünen", "die
    Linken"), by simplemma's German lemma (the word without its -e); not "Sense", "Sparkasse", "EIGE"."""
    word = name.rsplit(None, 1)[-1] if name.strip() else ""
    if len(word) < 4 or not word.endswith("e") or word.isupper():
        return False
    import simplemma

    lower = word.lower()
    return simplemma.lemmatize(lower, "de") == lower[:-1]


def _adj_base(token: str) -> str:
    for end in _ADJ_ENDINGS:
        if token.endswith(end) and len(token) - len(end) >= 3:
            return token[: -len(end)]
    return token


def is_inflection(query: str, name: str, adjective: bool = False, weak: bool = False) -> bool:
    """Is the key ``query`` an inflected form of the key ``name``? Token by token: an attributive
    adjective may change its ending ("vereinten nationen" of "vereinte nationen"); the last token may add
    a genitive -s/-es ("moskaus"); an adjective name (``adjective``, or a token ending in -isch) may take
    any adjective ending ("russischen" of "russisch"); a name that declines weakly (``weak``: a party's "Grüne",
    "Linke") may add -n to a last token in -e ("gruenen"). Keeps "reihe" from matching "reiher"."""
    q_tokens, n_tokens = query.split(" "), name.split(" ")
    if len(q_tokens) != len(n_tokens):
        return False
    last = len(q_tokens) - 1
    for i, (q, n) in enumerate(zip(q_tokens, n_tokens, strict=True)):
        if q == n:
            continue
        end = q[len(n):] if q.startswith(n) else None
        if adjective or n.endswith("isch"):
            ok = end in _ADJ_ENDINGS or (n.endswith("e") and end in ("n", "r", "s", "m")) or (i == last and end == "s")
        elif i < last:
            ok = _adj_base(q) == _adj_base(n) and q[-1:] in "enrsm" and n[-1:] in "enrsm"
        else:
            ok = end in ("s", "es") or (weak and end == "n" and n.endswith("e"))
        if not ok:
            return False
    return True
