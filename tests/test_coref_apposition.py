"""A role noun in apposition to a person's name ("Schneider, die Sprecherin des Verbands") says who that person
is; it is no coreference to the person last introduced with the role (``kgbuild.relations.coref``); bundled KB,
sentences written for these tests."""
from __future__ import annotations

import pytest

from kgbuild.pipeline import Pipeline
from kgbuild.read import article_from_text


@pytest.fixture(scope="module")
def pipe(kb):
    return Pipeline(kb=kb)


def corefs(pipe, text, lang):
    result = pipe.process(article_from_text(text, id="t", lang=lang, published="2024-05-02"))
    return {m.text: m.entity_key for m in result.mentions if m.kind == "coref"}


@pytest.mark.parametrize("text, lang, apposition", [
    ("Das Ministerium teilte die Pläne am Dienstag in Berlin mit. Müller, ein Sprecher des Ministeriums, "
     "sagte, sie seien nicht abgeschlossen. Schneider, die Sprecherin des Verbands, begrüßte den Vorschlag.",
     "de", "die Sprecherin"),
    ("The ministry announced the plans in Berlin on Tuesday. Mr Miller, the spokesman of the ministry, said "
     "they were not final. Ms Taylor, the spokeswoman of the industry association, welcomed the proposal.",
     "en", "the spokeswoman"),
])
def test_role_noun_in_apposition_is_no_coreference(pipe, text, lang, apposition):
    assert apposition not in corefs(pipe, text, lang)


def test_role_noun_later_still_points_back(pipe):
    found = corefs(pipe, "Bundesaußenministerin Annalena Baerbock reiste am Montag nach Kiew. "
                         "Dort sagte die Außenministerin, Deutschland stehe an der Seite der Ukraine.", "de")
    assert found.get("die Außenministerin") == "Q564328"
