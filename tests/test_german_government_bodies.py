"""A German name of a government body that reads as a common noun ('Bundeskanzleramt', 'Unterrichtsministerium') and
that the NER does not see stands when the KB places the body in a country the article names (issue 13, hipe, ninth
round). On the bundled KB and kgbuild's pipeline; sentences written for these tests."""
from __future__ import annotations

import pytest
from conftest import links_in


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


def test_body_of_the_country_the_article_names(pipe):
    """In an article about Vienna, 'des Bundeskanzleramtes' is Austria's chancellery (was no mention)."""
    got = links_in(pipe, "Ein Sprecher des Bundeskanzleramtes in Wien bestätigte am Abend die Berichte.", None)
    assert got.get("Bundeskanzleramtes") == "Q668916"


def test_body_of_another_country_stays_no_mention(pipe):
    """In an article about Berlin the KB's only 'Bundeskanzleramt' (Austria's) is not meant."""
    got = links_in(pipe, "Das Bundeskanzleramt in Berlin teilte am Montag mit, der Kanzler reise nach Paris.", None)
    assert got.get("Bundeskanzleramt") in (None, "nil:ORG:bundeskanzleramt") and "Q668916" not in got.values()
