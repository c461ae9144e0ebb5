"""Companies named by the business context around a name (English).

Business news names a company by one word that the small NER often misses or takes for a person ("Shares of
Barclays fell", "Dell's chief executive"). Words right around the name that only a company takes say what it is:
its shares or stock ("shares of X", "X shares", "X's stock"), its officers ("X's chief executive"), its results
("X reported a drop in profit"), a takeover of it ("the acquisition of X"). With such a cue a one-word KB match
of an organisation stands without the NER, and a name the NER took for a person is the KB's organisation.
A person who "said it would ..." is common ("Smith said it would take years"): no cue.
A takeover of a business by the name ("Dell would buy the storage firm") is a company's act too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from kgbuild.types import Candidate, KnowledgeBase, Mention

#: words before the name: "shares of", "a stake in", "the takeover of", "a merger with"
_BEFORE = re.compile(r"\b(?:[Ss]hares|[Ss]tock|[Ss]take|[Ss]takes|[Ss]hareholders|[Ss]tockholders) (?:of|in) $"
                     r"|\b(?:[Aa]cquisition|[Tt]akeover|[Bb]uyout) of $|\b[Mm]erger with $")
#: words after the name: "X's stock", "X's chief executive", "X shares fell", "X reported a drop in profit"
#: ("Smith shares the view" is a verb; "London shares fell" and "the London stock exchange" a market, which a place's
#: mention keeps: only a person's reading gives way)
_MOVES = ("rose|fell|jumped|slid|dropped|climbed|gained|lost|closed|ended|tumbled|soared|plunged|slumped|rallied|surged"
          "|edged|slipped|sank|were|have|had|traded|are")
#: a price that moves by a share ("Barclays fell 4 percent"; not "gained 20 percent", said of votes)
_PRICE_MOVES = ("rose|fell|jumped|slid|dropped|climbed|tumbled|soared|plunged|slumped|rallied|surged|slipped|sank"
                "|advanced|declined")
#: a takeover of a business by the name ("Dell would buy the storage firm", "Bayer agreed to acquire a seed
#: maker"; "Smith would buy a house" buys no business)
_TAKEOVER = (r" (?:would |will |agreed to |has agreed to |plans to |is to |is set to |offered to |wants to )?"
             r"(?:buy|acquire|bought|acquired|take over|took over)(?: [\w-]+){0,4} (?:firm|company|maker|rival|group"
             r"|business|unit|division|start-?up|chain|operator|bank|brand|retailer|supplier|producer|manufacturer)s?\b")
_AFTER = re.compile(r"['’]s (?:shares|stock|share price|stock price|shareholders|stockholders|chief executive"
                    r"|chief financial officer|CEO|CFO|board of directors)\b"
                    rf"| (?:shares|stock|share price|stock price) (?:{_MOVES})\b"
                    r"| (?:shareholders|stockholders|chief executive|chief financial officer|CEO|CFO)\b"
                    rf"| (?:{_PRICE_MOVES})(?: as much as| about| nearly| almost| more than)? \d+(?:[.,]\d+)? ?"
                    r"(?:percent|per cent|%)"
                    r"| (?:reported|posted)(?: [\w-]+){0,5} (?:profits?|loss|losses|earnings|revenues?)\b"
                    rf"|{_TAKEOVER}")
#: how far around a name the cues are looked for (characters)
_REACH = 60


def company_context(text: str, start: int, end: int, lang: str) -> bool:
    """Do the words right before or after the name at ``text[start:end]`` say that it is a company?"""
    if lang != "en":
        return False
    return bool(_BEFORE.search(text[max(0, start - 30):start])) or company_after(text[end:end + _REACH], lang)


def company_after(after: str, lang: str) -> bool:
    """Do the words after a name (``after`` begins right after it) say that it is a company?"""
    return lang == "en" and bool(_AFTER.match(after[:_REACH]))


#: a company whose name is also a word ("Dell shares fell" at a sentence's start), or that overrules the NER's person,
#: needs this prior (a person owns shares too: "Gates's shares", and the KB knows small firms called "Gates")
WORD_COMPANY_PRIOR = 0.35


def word_companies(cands: Sequence[Candidate]) -> list[Candidate]:
    """The organisations among a word's candidates that a company's context lets stand."""
    return [c for c in _organisations(cands) if c.prior >= WORD_COMPANY_PRIOR]


def _organisations(cands: Sequence[Candidate]) -> tuple[Candidate, ...]:
    return tuple(c for c in cands if c.type == "ORG" and c.kind != "surname")


def company_stands(m: Mention, text: str, lang: str) -> bool:
    """A one-word KB match with an organisation among its candidates, in a company's context: it stands without
    the NER ("Shares of Barclays fell", where the NER saw no name)."""
    return m.type == "ORG" and " " not in m.text.strip() and bool(_organisations(m.candidates)) \
        and company_context(text, m.start, m.end, lang)


def as_companies(mentions: Sequence[Mention], kb: KnowledgeBase, text: str, lang: str) -> list[Mention]:
    """One-word mentions in a company's context whose name the KB knows as an organisation's: that organisation
    (a person's reading of the NER gives way: "Analysts expect Dell's chief executive to ..."; a place keeps its
    type: "London shares fell" speaks of a market).
    The KB is asked only for names in such a context."""
    if lang != "en":
        return list(mentions)
    out = []
    for m in mentions:
        if m.type in ("PER", "MISC") and " " not in m.text.strip() and company_context(text, m.start, m.end, lang):
            orgs = word_companies(m.candidates) or word_companies(kb.lookup(m.text, lang=lang, limit=10))
            if orgs:
                m = replace(m, type="ORG", kind=orgs[0].kind, candidates=orgs)
        out.append(m)
    return out
