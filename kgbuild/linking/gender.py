"""A title before a name says whether the person is a woman or a man: "Frau Wagner" is no Richard Wagner, "Herr
Merkel" no Angela Merkel.

The words right before a mention (and at the start of its own text), read backwards over academic titles and role
nouns ("Frau Dr. Wagner", "Frau Ministerin Wagner", "Mrs. Thatcher"), give the gender when one of them is a
woman's or a man's title or honorific ("Frau", "Fräulein", "Witwe", "Gräfin", "Mrs", "Herr", "Herrn", "Graf",
"Sir", old print's "Fürſt") or a German feminine noun of a person's role or occupation ("Kanzlerin",
"Sängerin": a role or occupation noun with the suffix -in). The KB gives persons their gender
(``kgbuild.kb.gender``): a candidate person of the other gender is taken away from the mention before the linker
scores anything (no candidate left: the mention stays an unlinked person); candidates of unknown gender, and every
mention without such a word, stay as they are. A short name that would repeat an earlier full name of the article
("Richard Wagner ... Frau Wagner") is not taken as that person when the genders differ (``contradicts``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Sequence

from kgbuild.kb.gender import FEMALE, MALE, gender_of
from kgbuild.lexicon import ACADEMIC_TITLES, find_role, is_common_word
from kgbuild.types import KnowledgeBase, Mention

#: titles and honorifics of women and of men (folded: lower case, no diacritics, "ſ" as "s")
TITLES = {
    FEMALE: frozenset("""frau fraulein frl. frl witwe wwe. mrs. mrs ms. ms miss madame mme. mme mademoiselle
        mlle. lady dame signora senora schwester grafin furstin herzogin prinzessin konigin kaiserin
        baronin freifrau freiin""".split()),
    MALE: frozenset("""herr herrn mr. mr sir lord monsieur signor senor graf grafen furst fursten herzog herzogs prinz
        prinzen konig konigs kaiser kaisers baron barons freiherr freiherrn frhr.""".split()),
}
#: words that may stand between such a title and the name ("Frau Dr. Wagner")
_BETWEEN = ACADEMIC_TITLES | frozenset("med. phil. jur. h.c. von v. de".split())
_WORD = re.compile(r"\S+")
#: a gender word is read this far before a mention (characters)
WINDOW = 60


def _fold(word: str) -> str:
    text = unicodedata.normalize("NFKD", word.replace("ſ", "s").casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _feminine_role(word: str) -> bool:
    """A German feminine noun of a role or occupation: "Kanzlerin", "Ministerin", "Sängerin", "Studentin" (the
    word without -in is a role or a common noun; not "Termin", "Berlin", "Putin")."""
    if len(word) < 6 or not word.endswith("in") or not word[:1].isupper() or not word.isalpha():
        return False
    base = word[:-2]
    return bool(find_role(word, word, "de")) and bool(find_role(base, base, "de") or is_common_word(base, "de")) \
        or is_common_word(base, "de") and (is_common_word(word, "de") or base.endswith(("er", "ist", "ent", "ant")))


def word_gender(word: str) -> str | None:
    """FEMALE, MALE or None for one word before a name."""
    folded = _fold(word)
    for gender, titles in TITLES.items():
        if folded in titles:
            return gender
    return FEMALE if _feminine_role(word.replace("ſ", "s")) else None


def _in_between(word: str) -> bool:
    return _fold(word) in _BETWEEN or bool(find_role(word, word, "de")) or word[:1].isupper() and word.isalpha() \
        and bool(find_role(word.replace("ſ", "s"), word, "de"))


def titled_gender(text: str, start: int, end: int) -> str | None:
    """The gender the title words right before the mention at ``start``-``end`` (or at the start of its text) give;
    None without one, or when they disagree."""
    found: set[str] = set()
    own = _WORD.findall(text[start:end])
    for word in own[:-1]:  # "Frau Wagner" as one mention: its title word
        g = word_gender(word)
        if g is None:
            break
        found.add(g)
    before = _WORD.findall(text[max(0, start - WINDOW):start])
    for word in reversed(before[1:] if start - WINDOW > 0 else before):
        g = word_gender(word)
        if g is not None:
            found.add(g)
            continue
        if not _in_between(word):
            break
    return next(iter(found)) if len(found) == 1 else None


def contradicts(mention: Mention, text: str, kb: KnowledgeBase) -> bool:
    """Is the mention linked to a person of the other gender than its title gives? (A short name taken from an
    earlier full name of the article: "Richard Wagner ... Frau Wagner".)"""
    key = mention.entity_key
    if not key or not key.startswith("Q"):
        return False
    ent = kb.entity(key)
    found = gender_of(ent.claims) if ent is not None and ent.type == "PER" else None
    return found in (MALE, FEMALE) and titled_gender(text, mention.start, mention.end) not in (None, found)


def by_title(mentions: Sequence[Mention], text: str, kb: KnowledgeBase) -> list[Mention]:
    """The mentions without the candidate persons whose KB gender is not the one their title gives."""
    out = []
    for m in mentions:
        people = [c for c in m.candidates if c.type == "PER"]
        if not people:
            out.append(m)
            continue
        gender = titled_gender(text, m.start, m.end)
        if gender is None:
            out.append(m)
            continue
        other = MALE if gender == FEMALE else FEMALE
        keep = []
        for c in m.candidates:
            ent = kb.entity(c.qid) if c.type == "PER" else None
            if ent is None or gender_of(ent.claims) != other:
                keep.append(c)
        out.append(replace(m, candidates=tuple(keep)) if len(keep) != len(m.candidates) else m)
    return out
