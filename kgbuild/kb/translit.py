"""Rule-based German transliteration variants of names ("Vladimir Putin" -> "Wladimir Putin",
"Юрий Ушаков" -> "Juri Uschakow"), from the rule table ``kgbuild/data/lexicon/translit_de.tsv``.

``variant(name, scope)`` -> the German spelling, or None when the rules change nothing.
Scopes: ``cyrillic`` (Cyrillic script), ``latin-ru`` (English transcription of Russian-script names),
``latin-ko`` (Korean romanisation). ``scope_for(country_iso2)`` says which Latin scope fits a country.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon" / "translit_de.tsv"
#: countries whose names reach German news through Russian-style transcription
CYRILLIC_COUNTRIES = frozenset("RU UA BY KZ KG TJ UZ TM MD BG RS MK MN AZ AM GE".split())
KOREAN_COUNTRIES = frozenset(("KP", "KR"))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@lru_cache(maxsize=1)
def rules() -> dict[str, list[tuple[re.Pattern, str]]]:
    """The rule table, by scope, in file order."""
    table: dict[str, list[tuple[re.Pattern, str]]] = {}
    for num, line in enumerate(RULES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"{RULES_FILE}:{num}: expected 3 tab-separated fields, got {len(parts)}")
        table.setdefault(parts[0], []).append((re.compile(parts[1]), parts[2]))
    return table


def scope_for(iso2: str | None) -> str | None:
    if iso2 in CYRILLIC_COUNTRIES:
        return "latin-ru"
    if iso2 in KOREAN_COUNTRIES:
        return "latin-ko"
    return None


def _apply(text: str, scope: str) -> str:
    for pattern, repl in rules()[scope]:
        text = pattern.sub(repl, text)
    return text


def _recase(original_words: list[str], words: list[str]) -> str:
    out = []
    for orig, word in zip(original_words, words, strict=False):
        out.append(word[:1].upper() + word[1:] if orig[:1].isupper() else word)
    return " ".join(out)


def variant(name: str, scope: str | None) -> str | None:
    """German transliteration of ``name`` under ``scope`` (auto: Cyrillic text), None if unchanged."""
    if _CYRILLIC.search(name):
        scope = "cyrillic"
        if "," in name:  # "Ушаков, Юрий Викторович" -> "Юрий Ушаков"
            family, _, given = name.partition(",")
            name = f"{given.split()[0]} {family.strip()}" if given.split() else family
    if not scope:
        return None
    words = name.split()
    converted = [_apply(w.lower(), scope) for w in words]
    out = _recase(words, converted)
    if scope == "cyrillic" and _CYRILLIC.search(out):
        return None
    return out if out != name else None
