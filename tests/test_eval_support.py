"""Fakes for the `kgbuild eval` tests: fixed DocumentResults, so that the scorer is tested without any NLP."""
from __future__ import annotations

from kgbuild.read import slugify
from kgbuild.types import Article, DocumentResult, Event, LinkedEntity, Mention, Sentence


def pm(text: str, surface: str, qid: str | None, typ: str, nth: int = 1, label: str | None = None) -> tuple:
    """A predicted mention: the ``nth`` occurrence of ``surface`` in ``text``, linked to ``qid`` (None: unlinked)."""
    start = -1
    for _ in range(nth):
        start = text.index(surface, start + 1)
    key = qid or f"nil:{typ}:{slugify(label or surface)}"
    return Mention(start, start + len(surface), surface, typ, "kb", 0, entity_key=key), \
        LinkedEntity(key, qid, label or surface, typ)


def ev(relation: str, subject: str, obj: str | None, status: str = "happened", confidence: float = 0.9) -> Event:
    return Event("Event", relation, subject, obj, (), 0, 0, 1, "x", status=status, confidence=confidence)


def result(text: str, lang: str, mentions: list[tuple], events: list[Event] = ()) -> DocumentResult:
    ents = {e.key: e for _, e in mentions}
    return DocumentResult(Article("x", text, lang), lang, (Sentence(0, len(text), text),),
                          tuple(m for m, _ in mentions), tuple(ents.values()), tuple(events),
                          timings={"nlp": 0.01})


class FakePipeline:
    """``process(article)`` returns the fixed result for the article's text and records what it was given."""

    def __init__(self, results: dict[str, DocumentResult]) -> None:
        self.results = results
        self.seen: list[Article] = []

    def process(self, article: Article) -> DocumentResult:
        self.seen.append(article)
        return self.results[article.text]


def test_fake_pipeline_returns_the_fixed_result():
    r = result("Putin.", "de", [pm("Putin.", "Putin", "Q7747", "PER")])
    fake = FakePipeline({"Putin.": r})
    assert fake.process(Article("a", "Putin.", "de")) is r
    assert r.mentions[0].text == "Putin" and r.entity("Q7747").qid == "Q7747"
