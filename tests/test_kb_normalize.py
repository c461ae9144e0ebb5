"""Name keys, German inflection, transliteration rules and the lexicon data files."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgbuild.kb.normalize import is_inflection, norm_key, plain_key, stem_key
from kgbuild.kb.translit import RULES_FILE, rules, variant
from kgbuild.kb.wikidata_json import class_types
from kgbuild.types import ENTITY_TYPES


@pytest.mark.parametrize(
    "a, b",
    [("Kim Jong-un", "kim jong un"), ("Pjöngjang", "PJOENGJANG"), ("Moskau’s", "moskaus"), ("U.S.", "US"),
     ("Kim Čong-un", "Kim Cong-un"), ("Straße", "Strasse"), ("  Nord\tkorea ", "nord korea")],
)
def test_kb_normalize_same_key(a, b):
    assert norm_key(a) == norm_key(b)


def test_kb_normalize_umlaut_both_ways():
    assert norm_key("Müller") == "mueller" and plain_key("Müller") == "muller"
    assert norm_key("Mueller") == norm_key("Müller")


@pytest.mark.parametrize(
    "inflected, base", [("berlins", "berlin"), ("moskaus", "moskau"), ("russischen", "russisch"), ("russians", "russian"),
                        ("vereinten nationen", "vereinte nationen"), ("bundestages", "bundestag"), ("roms", "rom")],
)
def test_kb_normalize_stem_equal_for_inflected_forms(inflected, base):
    assert stem_key(inflected) == stem_key(base)


@pytest.mark.parametrize(
    "query, name, adjective, expected",
    [("moskaus", "moskau", False, True), ("reihe", "reiher", False, False), ("jahren", "jahr", False, False),
     ("russischen foederation", "russische foederation", False, True), ("russische", "russisch", True, True),
     ("berater", "berat", False, False), ("demokratischen volksrepublik korea", "demokratische volksrepublik korea", False, True),
     ("kim jong", "kim jong un", False, False)],
)
def test_kb_normalize_is_inflection(query, name, adjective, expected):
    assert is_inflection(query, name, adjective) is expected


@given(st.text(max_size=40))
def test_kb_normalize_total_and_idempotent(text):
    key = norm_key(text)
    assert norm_key(key) == key
    assert stem_key(stem_key(key)) == stem_key(key)
    assert "  " not in key and key == key.strip()


@pytest.mark.parametrize(
    "name, scope, german",
    [("Vladimir Putin", "latin-ru", "Wladimir Putin"), ("Yuri Ushakov", "latin-ru", "Juri Uschakow"),
     ("Sergei Lavrov", "latin-ru", "Sergei Lawrow"), ("Nikolai Patrushev", "latin-ru", "Nikolai Patruschew"), ("Mikhail Mishustin", "latin-ru", "Michail Mischustin"),
     ("Maria Zakharova", "latin-ru", "Maria Sacharowa"), ("Dmitry Medvedev", "latin-ru", "Dmitri Medwedew"),
     ("Pyongyang", "latin-ko", "Pjöngjang"), ("Vladivostok", "latin-ru", "Wladiwostok"),
     ("Ушаков, Юрий Викторович", None, "Juri Uschakow"), ("Сергей Шойгу", None, "Sergei Schoigu")],
)
def test_kb_translit_variants(name, scope, german):
    assert variant(name, scope) == german


def test_kb_translit_no_change_no_variant():
    assert variant("Olaf Scholz", None) is None and variant("Putin", "latin-ru") is None


def test_kb_translit_rule_file_is_valid():
    table = rules()
    assert set(table) == {"cyrillic", "latin-ru", "latin-ko"} and all(table.values())
    for line in RULES_FILE.read_text(encoding="utf-8").splitlines():
        assert line.startswith("#") or not line.strip() or line.count("\t") == 2


def test_kb_class_types_file_is_valid():
    table = class_types()
    assert table["Q5"] == "PER" and table["Q6256"] == "LOC" and table["Q7278"] == "ORG"
    assert set(table.values()) <= set(ENTITY_TYPES)


def test_kb_lexicon_adjectives_file():
    from kgbuild.kb.compile.countries import LEXICON
    from kgbuild.kb.compile.sources import read_tsv_lexicon

    rows = list(read_tsv_lexicon(LEXICON / "de_country_adjectives.tsv"))
    codes = [r[0] for r in rows]
    assert len(rows) >= 150 and len(set(codes)) == len(codes)
    for code, adjectives in rows:
        assert len(code) == 2 and code.isupper()
        for adj in adjectives.split(","):
            assert adj == adj.strip() and adj.endswith("sch"), adj
