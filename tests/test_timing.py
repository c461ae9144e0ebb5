"""Time expressions and event status (kgbuild.relations.timing), German and English, against one publication date
(Tuesday 18 June 2024): each row is a sentence, the status it gets and the ``kg:time`` literal it gets (None: no
time). A few sentences also go through the whole pipeline into the RDF graph."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from rdflib import XSD, Literal

from kgbuild.rdf.vocab import KG
from kgbuild.rdf.writer import time_literal
from kgbuild.relations.timing import status_of, time_of

PUBLISHED = dt.date(2024, 6, 18)  # a Tuesday

DE = [
    # absolute dates
    ("Putin traf Kim am 3. Juni 2024 in Pjöngjang.", "happened", "2024-06-03"),
    ("Putin traf Kim am 3. Juni in Pjöngjang.", "happened", "2024-06-03"),
    ("Putin traf Kim am 03.06.2024 in Pjöngjang.", "happened", "2024-06-03"),
    ("Putin traf Kim am 3.6.2024.", "happened", "2024-06-03"),
    ("Putin traf Kim am 3.6. in Pjöngjang.", "happened", "2024-06-03"),
    ("Putin traf Kim am 3.6.24 in Pjöngjang.", "happened", "2024-06-03"),
    ("Das Treffen fand am 2024-06-03 statt.", "happened", "2024-06-03"),
    ("Am Montag, dem 3. Juni, traf Scholz Macron.", "happened", "2024-06-03"),
    ("Dies teilte das Ministerium am 3. Jänner 2024 mit.", "happened", "2024-01-03"),
    ("Scholz wird am 3. Juli nach Paris reisen.", "planned", "2024-07-03"),
    ("Die Reise ist für den 3. Juli geplant.", "planned", "2024-07-03"),
    ("Scholz will am 1. Januar nach Paris reisen.", "planned", "2025-01-01"),
    ("Seit dem 1. Januar gilt das Abkommen.", "happened", "2024-01-01"),
    ("Scholz traf fünf Minister am 12. Okt. 2023.", "happened", "2023-10-12"),
    ("Scholz und Macron haben sich am 31. Februar getroffen.", "happened", None),
    ("Die Zahl der Treffen stieg um 1.5 Prozent.", "happened", None),
    ("Scholz sprach 2023 mit Macron.", "happened", None),
    # ranges: their first day
    ("Merz wird vom 3. bis 5. Juli in Paris sein.", "planned", "2024-07-03"),
    ("Der Gipfel findet vom 3. Juli bis 5. Juli 2024 statt.", "happened", "2024-07-03"),
    ("Die Gespräche werden am 3.–5. Juli geführt.", "planned", "2024-07-03"),
    ("Baerbock traf Colonna zwischen dem 10. und 12. Juni.", "happened", "2024-06-10"),
    ("Von Montag bis Mittwoch wird Scholz Paris besuchen.", "planned", "2024-06-24"),
    # months and years
    ("Im März 2023 unterzeichneten beide Länder einen Vertrag.", "happened", "2023-03"),
    ("Das Abkommen wurde im Januar 1963 unterzeichnet.", "happened", "1963-01"),
    ("Im März unterzeichneten beide Länder einen Vertrag.", "happened", "2024-03"),
    ("Im Oktober soll der Vertrag unterzeichnet werden.", "planned", "2024-10"),
    ("Im März soll der Vertrag unterzeichnet werden.", "planned", "2025-03"),
    ("Anfang Juli wird Scholz nach Paris reisen.", "planned", "2024-07"),
    ("Ende Mai traf Scholz Macron.", "happened", "2024-05"),
    ("Im Jahr 2023 besuchte Scholz Paris.", "happened", "2023"),
    ("Im nächsten Jahr will Scholz Paris besuchen.", "planned", "2025"),
    ("Im vergangenen Jahr besuchte Scholz Paris.", "happened", "2023"),
    ("Nächsten Monat wird Scholz Paris besuchen.", "planned", "2024-07"),
    ("Vergangenen Monat besuchte Scholz Paris.", "happened", "2024-05"),
    # relative days, "Morgen" the morning and "morgen" tomorrow
    ("Heute trifft Scholz Macron.", "happened", "2024-06-18"),
    ("Gestern traf Scholz Macron.", "happened", "2024-06-17"),
    ("Vorgestern traf Scholz Macron.", "happened", "2024-06-16"),
    ("Scholz wird morgen Macron treffen.", "planned", "2024-06-19"),
    ("Morgen trifft Scholz Macron in Paris.", "planned", "2024-06-19"),
    ("Übermorgen trifft Scholz Macron.", "planned", "2024-06-20"),
    ("Am Morgen traf Putin Kim in Pjöngjang.", "happened", None),
    ("Am frühen Morgen landete Scholz in Paris.", "happened", None),
    ("Heute Morgen traf Putin Kim.", "happened", "2024-06-18"),
    ("Gestern Morgen traf Putin Kim.", "happened", "2024-06-17"),
    ("Scholz wird morgen früh nach Paris fliegen.", "planned", "2024-06-19"),
    # weekdays
    ("Am Montag traf Scholz Macron.", "happened", "2024-06-17"),
    ("Am Dienstag traf Scholz Macron.", "happened", "2024-06-18"),
    ("Am Freitag traf Scholz Macron.", "happened", "2024-06-14"),
    ("Am Freitag wird Scholz Macron treffen.", "planned", "2024-06-21"),
    ("Am Montagabend traf Scholz Macron.", "happened", "2024-06-17"),
    ("Am kommenden Montag wird Scholz Macron treffen.", "planned", "2024-06-24"),
    ("Am vergangenen Donnerstag traf Scholz Macron.", "happened", "2024-06-13"),
    ("Letzten Sonntag traf Scholz Macron.", "happened", "2024-06-16"),
    ("In der Nacht zu Dienstag griffen Drohnen Kiew an.", "happened", "2024-06-18"),
    ("In der Nacht zum Sonntag traf Scholz in Kiew ein.", "happened", "2024-06-16"),
    # weeks: no date of their own, unless a weekday is named in them
    ("Nächste Woche wird Scholz Paris besuchen.", "planned", None),
    ("Vergangene Woche besuchte Scholz Paris.", "happened", None),
    ("Nächste Woche am Mittwoch wird Scholz Paris besuchen.", "planned", "2024-06-26"),
]

EN = [
    # absolute dates
    ("Putin met Kim on 3 June 2024 in Pyongyang.", "happened", "2024-06-03"),
    ("Putin met Kim on June 3, 2024.", "happened", "2024-06-03"),
    ("Putin met Kim on June 3 2024.", "happened", "2024-06-03"),
    ("Putin met Kim on June 3.", "happened", "2024-06-03"),
    ("Putin met Kim on 3 June.", "happened", "2024-06-03"),
    ("Putin met Kim on June 3rd.", "happened", "2024-06-03"),
    ("Putin met Kim on the 3rd of June.", "happened", "2024-06-03"),
    ("Putin met Kim on Monday, June 3.", "happened", "2024-06-03"),
    ("Putin met Kim on Jun. 3 in Pyongyang.", "happened", "2024-06-03"),
    ("Putin met Kim on 3 June, before flying to Hanoi on June 5.", "happened", "2024-06-03"),
    ("The accord, signed on Jan. 15, 2020, expires.", "happened", "2020-01-15"),
    ("Biden will visit Tokyo on Aug. 3, 2024.", "planned", "2024-08-03"),
    ("Biden will visit Tokyo on Sept. 12.", "planned", "2024-09-12"),
    ("Biden is expected to visit Tokyo on June 20.", "planned", "2024-06-20"),
    ("Biden will meet Kishida on January 1.", "planned", "2025-01-01"),
    ("The meeting took place on 2024-06-03.", "happened", "2024-06-03"),
    ("VILNIUS, July 10 (Reuters) - Erdogan agreed on Monday to send the bid.", "happened", "2024-07-10"),
    ("Biden met Kishida on 7/3/2024.", "happened", None),
    ("They may meet in Vienna.", "happened", None),
    ("Troops will march on Sunday.", "planned", "2024-06-23"),
    # ranges
    ("Biden will travel to Tokyo from July 3 to 5.", "planned", "2024-07-03"),
    ("Biden will be in Tokyo July 3-5, 2024.", "planned", "2024-07-03"),
    ("The summit will run from 3 to 5 July.", "planned", "2024-07-03"),
    ("Leaders met between 10 and 12 June.", "happened", "2024-06-10"),
    ("Biden will be in Tokyo from Monday to Wednesday.", "planned", "2024-06-24"),
    # months and years
    ("Both countries signed a treaty in March 2023.", "happened", "2023-03"),
    ("Both countries signed a treaty in March.", "happened", "2024-03"),
    ("Both countries will sign a treaty in March.", "planned", "2025-03"),
    ("Both countries signed a treaty in May.", "happened", "2024-05"),
    ("Biden met Kishida in early July 2023.", "happened", "2023-07"),
    ("The treaty was signed in 2019.", "happened", "2019"),
    ("Biden will visit Tokyo next year.", "planned", "2025"),
    ("Biden visited Tokyo last year.", "happened", "2023"),
    ("Biden will visit Tokyo next month.", "planned", "2024-07"),
    ("Biden visited Tokyo last month.", "happened", "2024-05"),
    # relative days
    ("Biden met Kishida today.", "happened", "2024-06-18"),
    ("Biden met Kishida yesterday.", "happened", "2024-06-17"),
    ("Biden will meet Kishida tomorrow.", "planned", "2024-06-19"),
    ("Biden meets Kishida tomorrow.", "planned", "2024-06-19"),
    ("Biden will meet Kishida the day after tomorrow.", "planned", "2024-06-20"),
    ("Biden met Kishida the day before yesterday.", "happened", "2024-06-16"),
    ("Biden met Kishida last night.", "happened", "2024-06-17"),
    ("Biden will meet Kishida tonight.", "planned", "2024-06-18"),
    # weekdays
    ("Biden met Kishida on Monday.", "happened", "2024-06-17"),
    ("Biden met Kishida on Tuesday.", "happened", "2024-06-18"),
    ("Biden met Kishida on Friday.", "happened", "2024-06-14"),
    ("Biden will meet Kishida on Friday.", "planned", "2024-06-21"),
    ("Biden met Kishida on Monday night.", "happened", "2024-06-17"),
    ("Biden will meet Kishida next Monday.", "planned", "2024-06-24"),
    ("Biden met Kishida last Thursday.", "happened", "2024-06-13"),
    # weeks
    ("Biden will visit Tokyo next week.", "planned", None),
    ("Biden visited Tokyo last week.", "happened", None),
    ("Biden will visit Tokyo on Wednesday next week.", "planned", "2024-06-26"),
]


def _literal(value: str | None) -> Literal | None:
    """The expected ``kg:time`` literal: YYYY-MM-DD a date, YYYY-MM a month, YYYY a year."""
    if value is None:
        return None
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=datatype)


def _check(text: str, lang: str, status: str, time: str | None) -> None:
    words = re.findall(r"\w+|[^\w\s]", text)
    got_status = status_of(words, text, lang)
    when = time_of(text, PUBLISHED, got_status)
    got_time = time_literal(when.date, when.precision) if when.date else None
    assert (got_status, got_time) == (status, _literal(time)), when


def test_timing_tables_are_large():
    assert len(DE) >= 40 and len(EN) >= 40


@pytest.mark.parametrize(("text", "status", "time"), DE, ids=[row[0][:40] for row in DE])
def test_timing_de(text, status, time):
    _check(text, "de", status, time)


@pytest.mark.parametrize(("text", "status", "time"), EN, ids=[row[0][:40] for row in EN])
def test_timing_en(text, status, time):
    _check(text, "en", status, time)


def test_timing_text_is_kept_without_a_date():
    when = time_of("Biden will visit Tokyo next week.", PUBLISHED, "planned")
    assert when.date is None and when.text == "next week"
    assert time_of("Scholz traf Macron am Montag.", None, "happened").text is None  # relative to nothing


def test_timing_literal_datatypes_round_trip():
    assert time_literal(dt.date(2023, 3, 1), "month") == Literal("2023-03", datatype=XSD.gYearMonth)
    assert time_literal(dt.date(2023, 1, 1), "year") == Literal("2023", datatype=XSD.gYear)
    assert time_literal(dt.date(2024, 7, 3)) == Literal("2024-07-03", datatype=XSD.date)


@pytest.mark.parametrize(("text", "lang", "status", "time"), [
    ("Am Morgen traf Wladimir Putin den nordkoreanischen Machthaber Kim Jong-un in Pjöngjang.", "de",
     KG.Happened, None),
    ("Vladimir Putin met Kim Jong Un in Pyongyang on 3 July 2024.", "en", KG.Happened, "2024-07-03"),
    ("Vladimir Putin met Kim Jong Un in Pyongyang in March 2023.", "en", KG.Happened, "2023-03"),
])
def test_timing_in_the_graph(text, lang, status, time):
    """The whole way: article -> pipeline -> RDF; the event's kg:time and kg:status."""
    from kgbuild.rdf import document_graph
    from kgbuild.types import Article

    pipeline = _pipeline()
    result = pipeline.process(Article(id="t", text=text, lang=lang, published=PUBLISHED))
    g = document_graph(result)
    events = [e for e in g.subjects(KG.relation, KG.meets)]
    assert events, [(e.relation, e.subject, e.object) for e in result.events]
    for ev in events:
        assert g.value(ev, KG.status) == status
        assert g.value(ev, KG.time) == _literal(time)


_PIPELINE = []


def _pipeline():
    from kgbuild.pipeline import Pipeline

    if not _PIPELINE:
        _PIPELINE.append(Pipeline(model="builtin"))
    return _PIPELINE[0]


@pytest.mark.parametrize(("text", "trigger", "status", "time"), [
    ("Johnson, who was elected speaker in October, has backed new aid.", "backed", "happened", None),
    ("Johnson, who was elected speaker in October, has backed new aid.", "elected", "happened", "2023-10"),
    ("Biden, who flew into Vilnius late on Monday, will meet Erdogan on Tuesday.", "meet", "planned", "2024-06-18"),
    ("Biden, who flew into Vilnius late on Monday, will meet Erdogan on Tuesday.", "flew", "happened", "2024-06-17"),
    ("Scholz, der am Montag in Paris war, trifft am Freitag Macron.", "trifft", "happened", "2024-06-14"),
])
def test_timing_relative_clause_keeps_its_time(text, trigger, status, time):
    """A time in a relative clause is the time of what the clause says, not of the main clause's event."""
    when = time_of(text, PUBLISHED, status, at=text.index(trigger))
    assert (time_literal(when.date, when.precision) if when.date else None) == _literal(time)
