"""Namesakes the article's date rules out: a person born after the article was published, or an organisation
founded after it, is not what the article names.

A surname or a full name in a newspaper of the 1920s ("Johann Huber") often matches a politician of today; an
"Österreichische Volkspartei" in an article of 1931 cannot be the party founded in 1945. The KB gives persons
their year of birth (``P569``) and organisations their year of inception (``P571``), as years
(``kgbuild.kb.years``, compiled from the sources that have them, see docs/KB.md). With the article's date,
``DateRule.apply`` takes every such candidate away from its mention before the linker scores anything, so the
mention goes to a candidate that fits the date or stays an unlinked entity; nothing else about the candidates
changes. Only the year counts: a person born in the article's year, or an organisation founded in it, stays a
candidate. An article without a date keeps every candidate.

Deaths and dissolutions decide nothing: the dead and the dissolved are named in later news (history, anniversaries,
obituaries). Places are left to ``kgbuild.linking.periods`` (historic states at the date).

A year the sentence dates a person's act by ("Johnson met Khrushchev in Moscow in 1959") rules out, in the same way,
the persons of the name who were not yet grown up then, and those who had died before that year (``by_event_year``;
English, a lone name that a verb of an act follows, the year in the same clause): the article may be of today, the
act is not, and the dead do not act.

``kgbuild link --explain`` lists the candidates the rule took away after the others, with the features
``date_rule`` (1), ``published_year`` and ``born`` or ``inception`` (``DateRule.shown``); they never take part in
a decision.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field, replace
from typing import Sequence

from kgbuild.kb.years import BORN, DIED, INCEPTION, claimed_year
from kgbuild.lexicon import ACT_PARTICIPLES_EN, ACT_VERBS_EN
from kgbuild.linking.persons import lone_name, person_verb_follows
from kgbuild.types import Candidate, KnowledgeBase, Mention

log = logging.getLogger(__name__)

#: the year claim that says when an entity of each type began to exist (types without one: no rule)
BEGAN = {"PER": BORN, "ORG": INCEPTION}
#: the feature that names the claim in ``--explain``
_FEATURE = {BORN: "born", INCEPTION: "inception"}


def began_after(kb: KnowledgeBase, qid: str, year: int) -> tuple[str, int] | None:
    """(property, year) when the KB says the person ``qid`` was born, or the organisation founded, after
    ``year``; else None (earlier, in that year, unknown, or another type of entity)."""
    ent = kb.entity(qid)
    prop = BEGAN.get(ent.type) if ent is not None else None
    if prop is None:
        return None
    began = claimed_year(ent.claims, prop)
    return (prop, began) if began is not None and began > year else None


@dataclass
class DateRule:
    """The candidates ``published`` rules out, taken from a document's mentions (``apply``, which may run more
    than once as the linker adds candidates) and remembered by mention index for ``shown``."""

    kb: KnowledgeBase
    published: dt.date | None
    #: mention index -> the candidates taken away, each with the feature values ``shown`` lists
    dropped: dict[int, dict[str, Candidate]] = field(default_factory=dict)

    def apply(self, mentions: Sequence[Mention]) -> list[Mention]:
        """The mentions without the candidates that began to exist after the article's year (unchanged without a
        date)."""
        if self.published is None:
            return list(mentions)
        year = self.published.year
        out = []
        for i, m in enumerate(mentions):
            keep = []
            for c in m.candidates:
                late = began_after(self.kb, c.qid, year)
                if late is None:
                    keep.append(c)
                    continue
                prop, began = late
                feats = (("date_rule", 1.0), ("published_year", float(year)), (_FEATURE[prop], float(began)))
                self.dropped.setdefault(i, {}).setdefault(c.qid, replace(c, score=0.0, features=feats))
                log.debug("date rule: %r dated %s is not %s (%s %d)", m.text, self.published, c.qid,
                          _FEATURE[prop], began)
            out.append(replace(m, candidates=tuple(keep)) if len(keep) != len(m.candidates) else m)
        return out

    def shown(self, mentions: Sequence[Mention]) -> list[Mention]:
        """The mentions (decided) with the candidates the rule took away listed after their own (for
        ``--explain``; never part of a decision)."""
        out = []
        for i, m in enumerate(mentions):
            gone = [c for q, c in self.dropped.get(i, {}).items() if all(q != k.qid for k in m.candidates)]
            out.append(replace(m, candidates=tuple(m.candidates) + tuple(gone)) if gone else m)
        return out


#: the age below which a person is not who a sentence has acting in a year (news names grown-ups' acts)
GROWN_UP_AGE = 16
#: the rest of a clause after a name up to a year it dates the act by ("met Khrushchev in Moscow in 1959"): no
#: comma, semicolon, colon or relative pronoun between ("Kane, who scored in the stadium built in 1923" dates no act of
#: Kane's), up to 80 characters
_EVENT_YEAR = re.compile(r"(?:(?![,;:.!?]| who | which | that | where | when )[^\n]){0,80}?\bin ((?:1[5-9]|20)\d\d)\b")
#: a year that opens the clause before the name ("In 1961, Kennedy met ..."; "By 1990 Brandt had ...")
_YEAR_BEFORE = re.compile(r"(?:^|[.;:!?]\s+|\n)(?:In|By|Later in|Early in) ((?:1[5-9]|20)\d\d),?\s+$")


def died_before(kb: KnowledgeBase, qid: str, year: int) -> bool:
    """Does the KB say the person ``qid`` died before ``year``?"""
    ent = kb.entity(qid)
    died = claimed_year(ent.claims, DIED) if ent is not None and ent.type == "PER" else None
    return died is not None and died < year


#: "was appointed", "had been elected" right after a name
_PASSIVE = re.compile(r"\s+(?:was|had been)\s+([a-z]+)\b")


def _acted_on(text: str, end: int) -> bool:
    """Is the name that ends at ``end`` the subject of a biography's act done to a person ("Black was appointed")?"""
    found = _PASSIVE.match(text, end)
    return found is not None and found.group(1) in ACT_PARTICIPLES_EN


def by_event_year(mentions: Sequence[Mention], kb: KnowledgeBase, text: str, lang: str) -> list[Mention]:
    """A lone name that a verb of a person's act follows (``ACT_VERBS_EN``: "met", not "said"; or a biography's
    "was appointed", ``ACT_PARTICIPLES_EN``), in a clause dated by "in YEAR" ("Johnson met Khrushchev in Moscow in
    1959", "In 1959, Johnson met ..."), is no person born after ``YEAR - GROWN_UP_AGE`` (Boris Johnson, born 1964)
    and no person who died before ``YEAR`` ("Mitterrand won the local election in 2008": not François Mitterrand,
    who died in 1996): those candidates go, as the article's date takes away the persons born after it. English;
    persons whose years the KB does not know stay."""
    if lang != "en":
        return list(mentions)
    out = []
    for m in mentions:
        if m.candidates and lone_name(m) and (person_verb_follows(text, m.end, ACT_VERBS_EN) or _acted_on(text, m.end)) \
                and ((found := _EVENT_YEAR.match(text, m.end)) is not None
                     or (found := _YEAR_BEFORE.search(text, max(0, m.start - 24), m.start)) is not None):
            year = int(found.group(1))
            keep = tuple(c for c in m.candidates if c.type != "PER" or began_after(kb, c.qid, year - GROWN_UP_AGE)
                         is None and not died_before(kb, c.qid, year))
            if len(keep) != len(m.candidates):
                log.debug("event year: %r in %d is no one born after %d or dead by then", m.text, year,
                          year - GROWN_UP_AGE)
                m = replace(m, candidates=keep)
        out.append(m)
    return out
