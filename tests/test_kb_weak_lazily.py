"""The KB asks whether a name declines weakly (simplemma's German dictionary, 0.35-0.9 CPU s to load) only when
the weak -n is what would make an inflected match: English lookups never load it; "Grünen" still finds the
party (cold start and worker start-up, issue 15)."""
from __future__ import annotations

import pytest

from kgbuild.kb import open_kb
from kgbuild.kb import store as store_module


@pytest.fixture()
def asked(monkeypatch):
    names: list[str] = []
    original = store_module.declines_weakly

    def counting(name: str) -> bool:
        names.append(name)
        return original(name)

    monkeypatch.setattr(store_module, "declines_weakly", counting)
    return names


def test_english_lookups_do_not_ask_for_german_weak_declension(asked):
    kb = open_kb()
    for name in ("Janet Yellen", "Treasury", "Iran", "Greens", "United Nations", "Moscow's", "Reuters", "Tehran"):
        kb.lookup(name, lang="en")
    assert asked == []


def test_weak_form_of_a_party_still_found(asked):
    kb = open_kb()
    found = kb.lookup("Grünen", lang="de")
    assert found and all(c.type == "ORG" for c in found) and found[0].qid == "Q49766"
    assert asked  # the weak -n made the match: asked for it
    assert kb.lookup("Sensen", lang="de") == []
