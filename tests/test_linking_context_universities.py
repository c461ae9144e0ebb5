"""Names coordinated under the plural head "universities" are each that place's university (issue 13, ninth round;
``kgbuild.linking.context.coordinated_universities``), on sentences written for these tests and the bundled KB."""
from __future__ import annotations

from conftest import links_en as _links


def test_places_after_universities_of_are_their_universities(builtin_pipe):
    links = _links(builtin_pipe, "The chemist lectured at the universities of Leiden, Utrecht and Groningen.")
    assert (links.get("Leiden"), links.get("Utrecht"), links.get("Groningen")) == ("Q156598", "Q221653", "Q850730")


def test_places_before_universities_are_their_universities(builtin_pipe):
    links = _links(builtin_pipe, "Both rowing crews came from Oxford and Cambridge universities this year.")
    assert links.get("Oxford") == "Q34433" and links.get("Cambridge") == "Q35794"


def test_places_without_the_plural_head_stay_places(builtin_pipe):
    links = _links(builtin_pipe, "The train from Leiden to Utrecht was late again.")
    assert links.get("Leiden") != "Q156598" and links.get("Utrecht") != "Q221653"
