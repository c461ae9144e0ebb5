"""A short name that repeats a full name of the article which stays linked names the same entity, as surely:
it is linked with the full name's confidence even where its own class (an old article, a surname alone) would
leave it below the NIL threshold. Sentences written for this test."""
from __future__ import annotations

import pytest

from kgbuild.pipeline import Pipeline
from kgbuild.read import article_from_text


@pytest.fixture(scope="module")
def pipe(kb):
    return Pipeline(kb=kb)


def mentions(pipe, text: str, lang: str, published: str | None) -> dict[str, tuple[str | None, float]]:
    result = pipe.process(article_from_text(text, id="t", lang=lang, published=published))
    return {m.text: (m.entity_key, m.confidence) for m in result.mentions}


@pytest.mark.parametrize("text,lang", [
    ("Reichskanzler Adolf Hitler sprach gestern vor dem Reichstag in Berlin. Hitler kündigte neue Gesetze an, "
     "und Benito Mussolini schickte aus Rom ein Telegramm. Mussolini lobte die Rede.", "de"),
    ("Chancellor Adolf Hitler spoke to the Reichstag in Berlin yesterday. Hitler announced new laws, and Benito "
     "Mussolini sent a telegram from Rome. Mussolini praised the speech.", "en"),
])
def test_short_name_in_an_old_article_is_as_sure_as_its_full_name(pipe, text, lang):
    got = mentions(pipe, text, lang, "1933-03-24")
    for full, short in (("Adolf Hitler", "Hitler"), ("Benito Mussolini", "Mussolini")):
        qid, conf = got[full]
        assert qid and qid.startswith("Q")
        assert got[short] == (qid, conf)


@pytest.mark.parametrize("text,lang,full,short", [
    ("Mayor Harold Bickerstaff opened a new bakery in Boston yesterday. Bickerstaff said the bread would be cheap.",
     "en", "Harold Bickerstaff", "Bickerstaff"),
    ("Bürgermeister Hans Müllerschön eröffnete gestern in Berlin eine Bäckerei. Müllerschön sagte, das Brot werde "
     "billig.", "de", "Hans Müllerschön", "Müllerschön"),
])
def test_short_name_of_an_unlinked_full_name_stays_its_unlinked_entity(pipe, text, lang, full, short):
    got = mentions(pipe, text, lang, "1933-03-24")
    assert got[full][0].startswith("nil:") and got[short][0] == got[full][0]
