"""Status and time of an event, from the words of its sentence and the article's date.

In: the sentence's words up to the end of the trigger's clause, the sentence text, the language, the article's
publication date. Out: ``status`` ("planned" or "happened") and a ``When``: the date (a day, or only a month or a
year: ``precision``) with the words it came from. What is resolved, against the publication date:

- absolute dates: "3. Juli 2024", "3. Juli", "03.07.2024", "3.7.", "July 3, 2024", "3 July", "Aug. 3", "2024-07-03";
  a date without a year takes the year that puts it nearest to the publication date;
- months and years: "März 2023" / "March 2023" (month), "im März" (the last March, or the next one when the
  event is planned), "nächsten Monat", "im Jahr 2023", "next year" (year);
- relative days: "heute", "gestern", "morgen", "übermorgen", "yesterday", "the day after tomorrow", "last night";
- weekdays: "am Montag", "Montagabend", "kommenden Montag", "last Monday" (the last one before the publication
  date for what happened, the next one for what is planned), "in der Nacht zu Dienstag" (that Tuesday);
- ranges: "vom 3. bis 5. Juli", "3-5 July", "from Monday to Wednesday" (their first day).

"Morgen" is "tomorrow" only where it is not the noun "the morning": "am Morgen", "heute Morgen", "jeden Morgen"
are mornings; "Morgen reist Scholz ..." (sentence start, no article) and "morgen früh" are tomorrow. A week
("nächste Woche", "last week") has no date of its own: it sets no time, only its text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PLANNED = {
    "de": {"plant", "planen", "geplant", "geplante", "geplanten", "soll", "sollen", "sollte", "will", "wollen",
           "wird", "werden", "bevorstehend", "bevorstehenden", "bevorstehende", "kommende", "kommenden",
           "nächste", "nächsten", "voraussichtlich", "erwartet", "entwurf", "vertragsentwurf", "beabsichtigt",
           "vorgesehen", "angekündigt", "kündigte", "übermorgen", "demnächst", "künftig", "werde",
           "würde", "würden", "solle", "wolle", "anstehenden", "anstehende"},
    "en": {"will", "plans", "plan", "planned", "planning", "expected", "upcoming", "set", "scheduled", "would",
           "intends", "aims", "draft", "next", "tomorrow", "proposed", "due", "going"},
}
_ZU_INF = re.compile(r"\bzu\s+\w+(en|ern|eln)\b")

DAY, MONTH, YEAR = "day", "month", "year"


@dataclass(frozen=True)
class When:
    """When an event happened or is planned: ``date`` (the first day of the month or year when ``precision`` is
    coarser than a day), and ``text``, the words it was read from (also set when they name no date: "next week")."""

    date: dt.date | None = None
    precision: str = DAY
    text: str | None = None


NOWHEN = When()

MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7, "august": 8,
    "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10, "december": 12,
}
#: abbreviations, read only next to a day number ("Aug. 3", "3. Okt.")
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                       "oct": 10, "okt": 10, "nov": 11, "dec": 12, "dez": 12}
WEEKDAYS = {"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonntag": 6,
            "sonnabend": 5, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
            "sunday": 6}
RELATIVE = {"heute": 0, "today": 0, "tonight": 0, "morgen": 1, "tomorrow": 1, "gestern": -1, "yesterday": -1,
            "übermorgen": 2, "vorgestern": -2, "the day after tomorrow": 2, "the day before yesterday": -2,
            "last night": -1}
#: words before "Morgen" that make it the noun "morning" ("am Morgen", "heute Morgen", "jeden Morgen")
MORNING_BEFORE = {"am", "den", "dem", "jeden", "diesen", "diesem", "einem", "eines", "guten", "frühen", "frühe",
                  "heute", "gestern", "vorgestern", "zum", "vom", "bis", "der", "des", "am frühen", "nächsten",
                  "folgenden", "selben", "gleichen"}
#: words before a weekday, month or year that fix its direction: +1 the next one, -1 the last one, 0 this one
DIRECTION = {"kommenden": 1, "kommende": 1, "nächsten": 1, "nächste": 1, "nächstes": 1, "next": 1, "coming": 1,
             "vergangenen": -1, "vergangene": -1, "vergangenes": -1, "letzten": -1, "letzte": -1, "letztes": -1,
             "last": -1, "past": -1, "previous": -1, "vorigen": -1, "voriges": -1, "vorige": -1,
             "diesen": 0, "dieses": 0, "diesem": 0, "this": 0}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ABBR = "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True))
_MONTH_OR_ABBR = rf"(?:(?:{_MONTH})(?![a-zäöüß])|(?:{_ABBR})(?:\.|(?![a-zäöüß])))"
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_DIR = "|".join(sorted(DIRECTION, key=len, reverse=True))
_YEAR = r"(?<![\d.])(1[89]\d\d|2[01]\d\d)(?![\d.,]\d)"
_DAYNUM = r"(?<![\d.,])(\d{1,2})"
_ORD = r"(?:st|nd|rd|th)?"
_TO = r"\s*(?:–|-|—|bis(?:\s+(?:zum|einschließlich))?|to|until|through|and|und)\s*"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    # ranges first: their first day ("vom 3. bis 5. Juli 2024", "3.-5. Juli", "July 3-5, 2024", "3 to 5 July")
    ("range_dmy", re.compile(rf"{_DAYNUM}\.?{_ORD}(?:\s*({_MONTH_OR_ABBR}))?{_TO}(?:dem\s+|the\s+)?\d{{1,2}}\.?{_ORD}"
                             rf"(?:\s+of)?\s+({_MONTH_OR_ABBR})(?:\s+{_YEAR})?", re.I)),
    ("range_mdy", re.compile(rf"\b({_MONTH_OR_ABBR})\s+{_DAYNUM}{_ORD}{_TO}\d{{1,2}}{_ORD}\b(?:,?\s+{_YEAR})?", re.I)),
    ("iso", re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")),
    ("numeric", re.compile(r"(?<![\d.,])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}(?!\d))?")),
    ("dmy", re.compile(rf"{_DAYNUM}\.?{_ORD}(?:\s+of)?\s+({_MONTH_OR_ABBR})(?:,?\s+{_YEAR})?", re.I)),
    ("mdy", re.compile(rf"\b({_MONTH_OR_ABBR})\s+{_DAYNUM}{_ORD}(?!\d|[.:]\d)\b(?:,?\s+{_YEAR})?", re.I)),
    ("iso_month", re.compile(r"(?<![\d-])(\d{4})-(\d{2})(?![\d-])")),
    ("month_year", re.compile(rf"\b({_MONTH})\s+(?:of\s+)?{_YEAR}", re.I)),
    ("year", re.compile(rf"\b(?:im\s+Jahr(?:e)?|in\s+the\s+year|in)\s+{_YEAR}\b", re.I)),
    ("month", re.compile(rf"\b(?:(?:im|in|Anfang|Mitte|Ende|early|mid|late)\s+|mid-|({_DIR})\s+)({_MONTH})\b",
                         re.I)),
    ("rel_unit", re.compile(rf"\b(?:(?:im|in|am|an|in\s+der|in\s+the|im\s+Laufe\s+des)\s+)?({_DIR})\s+"
                            r"(Monat|Monats|month|Jahr|Jahres|year|Woche|week|Wochenende|weekend)\b", re.I)),
    ("night_to", re.compile(rf"\b(?:in\s+der\s+)?Nacht\s+(?:zum|zu|auf(?:\s+den)?)\s+({_WEEKDAY})\b", re.I)),
    ("weekday", re.compile(rf"\b(?:({_DIR})\s+)?({_WEEKDAY})(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?\b",
                           re.I)),
    ("relative", re.compile(r"\b(the day after tomorrow|the day before yesterday|last night|übermorgen|vorgestern|"
                            r"heute|today|tonight|gestern|yesterday|tomorrow|morgen)\b", re.I)),
]


def is_tomorrow(words: list[str], i: int) -> bool:
    """Is ``words[i]`` ("morgen"/"Morgen") the adverb "tomorrow" rather than the noun "the morning"?"""
    before = words[i - 1].lower() if i > 0 else ""
    if before in MORNING_BEFORE or before in WEEKDAYS:
        return False  # "am Morgen", "heute Morgen", "Montag Morgen"
    return words[i] == "morgen" or i == 0 or not words[i - 1][:1].isalnum()  # "Morgen reist ...", "... : Morgen"


def status_of(words: list[str], text: str, lang: str) -> str:
    """'planned' if the sentence speaks of the future or an intention, else 'happened'."""
    markers = PLANNED.get(lang, set())
    lowered = {w.lower() for w in words}
    if lowered & markers:
        return "planned"
    if lang == "de" and any(w.lower() == "morgen" and is_tomorrow(words, i) for i, w in enumerate(words)):
        return "planned"
    if lang == "de" and _ZU_INF.search(text) and re.search(r"\b(plant|will|soll|beabsichtigt|vor)\b", text):
        return "planned"
    return "happened"


#: German past auxiliaries and strong past forms of the trigger verbs (weak past forms end in -te/-ten)
DE_PAST = {"hat", "hatte", "hatten", "haben", "ist", "war", "waren", "sind", "traf", "trafen", "kam", "kamen",
           "flog", "flogen", "empfing", "empfingen", "schloss", "schlossen", "unterschrieb", "unterschrieben",
           "sprach", "sprachen", "brach", "besprachen", "gestern", "vergangenen", "vergangene", "zuvor"}


_PARTICIPLE = re.compile(r"^(ab|an|auf|aus|ein|zurück|weiter|zusammen|hin|her)?ge\w{3,}(en|t)$")


def german_verb_tense(trigger_text: str, clause: list[str]) -> str:
    """'past' or 'present' for a German verb trigger: weak past ('reiste'), strong past ('traf'), perfect."""
    word = trigger_text.lower()
    if _PARTICIPLE.match(word):
        return "past"  # "eingetroffen", "angekommen", "besucht" after "hat"
    if word in DE_PAST or word.endswith(("te", "ten", "test")) or {w.lower() for w in clause} & DE_PAST:
        return "past"
    return "present"


#: a relative clause between commas: its time is its own ("Johnson, who was elected in October, has backed ...")
_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which|whom|whose|der|die|das|dem|den|deren|dessen|denen)\b[^,;()]*", re.I)


def time_of(text: str, published: dt.date | None, status: str, at: int | None = None) -> When:
    """The time expression of a sentence, resolved against the publication date (see the module docstring).
    The first kind of expression in ``_PATTERNS`` order that the sentence has wins. ``at``: the offset of the
    event's trigger in ``text``; relative clauses that do not contain it are not read."""
    if at is not None:
        text = _RELATIVE_CLAUSE.sub(lambda m: m[0] if m.start() <= at < m.end() else " " * len(m[0]), text)
    fallback = NOWHEN
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            when = _resolve(kind, m, text, published, status)
            if when is not None and kind == "weekday" and fallback.text and published is not None:
                when = _in_week(when, fallback, published)  # "nächste Woche am Mittwoch"
            if when is not None and when.date is None and kind == "rel_unit":
                fallback = fallback if fallback.text else when  # "next week": a later day may still say more
            elif when is not None:
                return when
    return fallback


def _resolve(kind: str, m: re.Match, text: str, published: dt.date | None, status: str) -> When | None:
    """The ``When`` of one match; None when the match is no time expression after all (lower-case "march")."""
    words = m[0]
    if kind in ("iso", "numeric", "iso_month"):
        year, month, day = ((m[1], m[2], m[3]) if kind == "iso" else (m[3], m[2], m[1]) if kind == "numeric"
                            else (m[1], m[2], "1"))
        if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
            return None
        if kind == "numeric" and not (m[3] or text[m.end():m.end() + 1] in ("", " ", ",", ";", ")")):
            return None
        precision = MONTH if kind == "iso_month" else DAY
        return _date(_full_year(year), int(month), int(day), words, published, precision, status)
    if kind in ("dmy", "mdy", "range_dmy", "range_mdy"):
        day, month, year = {"dmy": (1, 2, 3), "mdy": (2, 1, 3), "range_dmy": (1, 3, 4), "range_mdy": (2, 1, 3)}[kind]
        month_word = m[month] or (m[2] if kind == "range_dmy" else None)
        if kind == "range_dmy" and m[2]:
            month_word = m[2]
        number = _month_number(month_word)
        if number is None:
            return None
        return _date(int(m[year]) if m[year] else None, number, int(m[day]), words, published, DAY, status)
    if kind == "month_year":
        number = _month_number(m[1], abbreviations=False)
        return None if number is None else When(dt.date(int(m[2]), number, 1), MONTH, words)
    if kind == "year":
        return When(dt.date(int(m[1]), 1, 1), YEAR, words)
    if kind == "month" and _month_number(m[2], abbreviations=False) is None:
        return None
    if kind == "relative" and m[1].lower() == "morgen":
        tokens = re.findall(r"\w+|[^\w\s]", text[:m.start()])
        if not is_tomorrow([*tokens, m[1]], len(tokens)):
            return None  # "am Morgen": the morning, no date of its own
    if published is None:
        return NOWHEN  # relative to nothing: no date, and the words alone say little
    if kind == "month":
        number = _month_number(m[2], abbreviations=False) or 1
        step = DIRECTION.get((m[1] or "").lower())
        return When(_month_towards(published, number, status, step), MONTH, words)
    if kind == "rel_unit":
        return _relative_unit(DIRECTION[m[1].lower()], m[2].lower(), published, words)
    if kind == "night_to":
        return When(_weekday(published, WEEKDAYS[m[1].lower()], status, None), DAY, words)
    if kind == "weekday":  # the words in lower case, as kgbuild has always written them ("monday")
        return When(_weekday(published, WEEKDAYS[m[2].lower()], status, DIRECTION.get((m[1] or "").lower())), DAY,
                    words.lower())
    if kind == "relative":
        return When(published + dt.timedelta(days=RELATIVE[m[1].casefold()]), DAY, words.lower())  # "geſtern" (long s)
    return None


def _month_number(word: str | None, abbreviations: bool = True) -> int | None:
    """A month name's number; it must be capitalised ("may", "march" are verbs), as month names are."""
    if not word or not word[:1].isupper():
        return None
    key = word.lower().rstrip(".")
    return MONTHS.get(key) or (MONTH_ABBREVIATIONS.get(key) if abbreviations else None)


def _full_year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _date(year: int | None, month: int, day: int, words: str, published: dt.date | None, precision: str,
          status: str = "happened") -> When:
    """A day, or no date for an impossible one ("31. Februar"); without a year, the year nearest publication
    (the status is often only a guess: "Das Treffen am 3. Juli" is as likely ahead as past)."""
    try:
        if year is not None:
            return When(dt.date(year, month, day), precision, words)
        if published is None:
            return When(None, precision, words)
        options = []
        for y in (published.year - 1, published.year, published.year + 1):
            try:
                options.append(dt.date(y, month, day))
            except ValueError:
                continue  # 29 February
        if not options:
            return When(None, precision, words)
        if status == "planned":  # what is planned lies ahead ("am 1. Januar" in June: next January)
            options = [d for d in options if d >= published - dt.timedelta(days=1)] or options
        return When(min(options, key=lambda d: abs((d - published).days)), precision, words)
    except ValueError:
        return When(None, precision, words)


def _month_towards(published: dt.date, month: int, status: str, step: int | None) -> dt.date:
    """The month ``month`` nearest the publication date on the side of the event: the last one (this month
    included) for what happened, the next one for what is planned; ``step`` (+1 next, -1 last) overrides."""
    year = published.year
    forward = step == 1 or (step is None and status == "planned")
    if forward and month < published.month:
        year += 1
    elif not forward and step != 0 and month > published.month:
        year -= 1
    return dt.date(year, month, 1)


def _relative_unit(step: int, unit: str, published: dt.date, words: str) -> When:
    if unit.startswith(("monat", "month")):
        index = published.year * 12 + published.month - 1 + step
        return When(dt.date(index // 12, index % 12 + 1, 1), MONTH, words)
    if unit.startswith(("jahr", "year")):
        return When(dt.date(published.year + step, 1, 1), YEAR, words)
    return When(None, DAY, words)  # a week or a weekend: no date of its own


def _in_week(day: When, week: When, published: dt.date) -> When:
    """A weekday in the week that ``week`` names ("next week", "vergangene Woche"), not the nearest one."""
    text = (week.text or "").lower()
    step = next((v for k, v in DIRECTION.items() if re.search(rf"\b{k}\b", text)), None)
    if day.date is None or step not in (1, -1) or not re.search(r"\b(woche|week)\b", text):
        return day
    monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
    return When(monday + dt.timedelta(days=day.date.weekday()), DAY, day.text)


def _weekday(published: dt.date, weekday: int, status: str, step: int | None) -> dt.date:
    """The weekday nearest the publication date: the last one for what happened (the publication day itself
    included), the next one for what is planned; "kommenden"/"next" and "vergangenen"/"last" decide alone."""
    ahead = (weekday - published.weekday()) % 7
    if step == 1:
        return published + dt.timedelta(days=ahead or 7)
    if step == -1:
        return published - dt.timedelta(days=(7 - ahead) % 7 or 7)
    if status == "planned" or step == 0:
        return published + dt.timedelta(days=ahead)
    return published - dt.timedelta(days=(7 - ahead) % 7)
