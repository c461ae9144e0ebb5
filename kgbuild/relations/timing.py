"""Status and time of an event, from the words of its sentence and the article's date.

In: the sentence text (and tokens), the trigger, the article's publication date.
Out: ``status`` ("planned" or "happened") and a ``datetime.date`` (or None) with the text it came from.
"""
from __future__ import annotations

import datetime as dt
import re

PLANNED = {
    "de": {"plant", "planen", "geplant", "geplante", "geplanten", "soll", "sollen", "sollte", "will", "wollen",
           "wird", "werden", "bevorstehend", "bevorstehenden", "bevorstehende", "kommende", "kommenden",
           "nächste", "nächsten", "voraussichtlich", "erwartet", "entwurf", "vertragsentwurf", "beabsichtigt",
           "vorgesehen", "angekündigt", "kündigte", "morgen", "übermorgen", "demnächst", "künftig", "werde",
           "würde", "würden", "solle", "wolle", "anstehenden", "anstehende"},
    "en": {"will", "plans", "plan", "planned", "planning", "expected", "upcoming", "set", "scheduled", "would",
           "intends", "aims", "draft", "next", "tomorrow", "proposed", "due", "going"},
}
_ZU_INF = re.compile(r"\bzu\s+\w+(en|ern|eln)\b")
MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7, "august": 8,
    "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10, "december": 12,
}
_DATE_DE = re.compile(r"\b(\d{1,2})\.\s*(%s)(?:\s+(\d{4}))?" % "|".join(MONTHS), re.IGNORECASE)
_DATE_EN = re.compile(r"\b(%s)\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?" % "|".join(MONTHS), re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
RELATIVE = {"heute": 0, "today": 0, "morgen": 1, "tomorrow": 1, "gestern": -1, "yesterday": -1,
            "übermorgen": 2, "vorgestern": -2}
WEEKDAYS = {"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonntag": 6,
            "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}


def status_of(words: list[str], text: str, lang: str) -> str:
    """'planned' if the sentence speaks of the future or an intention, else 'happened'."""
    markers = PLANNED.get(lang, set())
    lowered = {w.lower() for w in words}
    if lowered & markers:
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
    if word in DE_PAST or word.endswith(("te", "ten", "test")) or set(w.lower() for w in clause) & DE_PAST:
        return "past"
    return "present"


def time_of(text: str, published: dt.date | None, status: str) -> tuple[dt.date | None, str | None]:
    """An explicit or relative date in the sentence, resolved against the publication date."""
    m = _ISO.search(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), m[0]
        except ValueError:
            pass
    for pattern, day_group, month_group in ((_DATE_DE, 1, 2), (_DATE_EN, 2, 1)):
        m = pattern.search(text)
        if m:
            year = int(m[3]) if m[3] else (published.year if published else None)
            if year is None:
                return None, m[0]
            try:
                return dt.date(year, MONTHS[m[month_group].lower()], int(m[day_group])), m[0]
            except ValueError:
                return None, m[0]
    if published is None:
        return None, None
    for word in re.findall(r"\w+", text.lower()):
        if word in RELATIVE:
            return published + dt.timedelta(days=RELATIVE[word]), word
        if word in WEEKDAYS:
            delta = (WEEKDAYS[word] - published.weekday()) % 7
            if status != "planned" and delta:
                delta -= 7
            return published + dt.timedelta(days=delta), word
    return None, None
