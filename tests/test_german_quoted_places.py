"""A place's name alone between quotation marks in German text names a ship, a newspaper or a word, not the place
(issue 13, hipe, ninth round). On the bundled KB and kgbuild's pipeline; sentences written for these tests."""
from __future__ import annotations

import pytest
from conftest import links_in


@pytest.fixture(scope="module")
def pipe(kb):
    from kgbuild.pipeline import Pipeline

    return Pipeline(kb=kb)


def test_quoted_place_name_is_no_place(pipe):
    """'der Dampfer „Italia“', 'die „Bremen“': a ship, not Italy or Bremen (were linked to both)."""
    got = links_in(pipe, "Der Dampfer „Italia“ lief gestern mit dreihundert Reisenden in Genua ein.", None)
    assert got.get("Italia") is None and got.get("Genua") == "Q1449"
    got = links_in(pipe, "Die „Bremen“ legte am Morgen in New York an.", None)
    assert "Bremen" in got and got["Bremen"] is None


def test_quotation_that_begins_with_a_place_keeps_it(pipe):
    """A quotation that begins or ends with the name, or quotes more than the name, keeps the place."""
    got = links_in(pipe, "„Russland hat verloren“, sagte er, und rief: „Auf nach Berlin!“", None)
    assert got.get("Russland") == "Q159" and got.get("Berlin") == "Q64"
