"""Word lists shared by the mention rules and the relation extractors, loaded once from data files.

In: ``kgbuild/relations/data/roles.yaml`` (role words) and spaCy's stop-word lists.
Out: ``role_lookup(lang)`` -> {surface or lemma: Role}, ``stopwords(lang)`` -> set of lowercase words.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml

from kgbuild.errors import KgbuildError

ROLE_CLASSES = ("head", "minister", "adviser", "official")

#: academic titles that stand before a person's name and are no part of it ("Dr. Markus Söder", "Frau Prof.
#: Wagner"); folded (lower case, no diacritics)
ACADEMIC_TITLES = frozenset("dr. dr doktor prof. prof professor ing. dipl.-ing. mag.".split())

#: English verbs (past tense or third person) that say what a person did or said: a sentence opening with a
#: capitalised word and one of them ("Gates left the Pentagon", "Page played a solo") opens with a person's name
PERSON_VERBS_EN = frozenset("""said says told tells added explained insisted argued admitted denied announced claimed
    warned wrote writes sang sings married divorced resigned retired died scored met praised criticised criticized
    accused thanked joined left founded co-founded introduced presented recalled testified replied answered
    confirmed acknowledged tweeted dated starred directed produced played won lost signed became recorded
    performed composed painted proposed promised vowed urged""".split())
#: those of them that say what a person did, not what one said ("Johnson met Khrushchev in 1959" dates the meeting;
#: "Kane said the club was founded in 1899" dates no act of Kane's)
ACT_VERBS_EN = frozenset("""sang sings married divorced resigned retired died scored met joined left founded co-founded
    introduced presented dated starred directed produced played won lost signed became recorded performed composed
    painted succeeded studied graduated taught published discovered invented""".split())
#: the participles of a biography's acts done to a person ("Black was appointed professor in 1757")
ACT_PARTICIPLES_EN = frozenset("""appointed elected named ordained promoted knighted crowned awarded
    commissioned""".split())
#: adverbs allowed between such a name and its verb ("Gates later wrote")
SUBJECT_ADVERBS_EN = frozenset("later then also never once first still soon again reportedly".split())


@dataclass(frozen=True)
class Role:
    word: str
    gloss: str  # English gloss
    role_class: str  # head | minister | adviser | official


def _data_text(name: str) -> str:
    return resources.files("kgbuild.relations").joinpath("data", name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def load_roles() -> dict[str, dict[str, Role]]:
    """All role words per language, validated."""
    raw = yaml.load(_data_text("roles.yaml"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: faster
    out: dict[str, dict[str, Role]] = {}
    for lang, entries in raw.items():
        table: dict[str, Role] = {}
        for word, value in entries.items():
            if not (isinstance(value, list) and len(value) == 2 and value[1] in ROLE_CLASSES):
                raise KgbuildError(f"roles.yaml: bad entry {lang}/{word!r}: expected [gloss, {'|'.join(ROLE_CLASSES)}]")
            role = Role(word, value[0], value[1])
            table[word] = role
            table[word.lower()] = role
        out[lang] = table
    return out


def role_lookup(lang: str) -> dict[str, Role]:
    return load_roles().get(lang, {})


@functools.lru_cache(maxsize=200_000)
def _simplemma(word: str, lang: str) -> str:
    import simplemma

    try:
        return simplemma.lemmatize(word, lang=lang)
    except ValueError:  # a language simplemma does not know
        return word


def lemma(tok, lang: str) -> str:
    """The token's lemma, lowercased: spaCy's when the pipeline set one, else simplemma's."""
    return (tok.lemma_ or _simplemma(tok.text, lang)).lower()


@functools.lru_cache(maxsize=None)
def role_parts(lang: str) -> frozenset[str]:
    """Words of multi-word roles ("prime", "foreign", "secretary"), lowercase."""
    return frozenset(w for key in role_lookup(lang) if " " in key for w in key.lower().split())


def find_role(text: str, lemma: str, lang: str) -> Role | None:
    """The role a token names: exact, by lemma, or as the head of a German compound ('Außenminister')."""
    key = (text, lemma, lang)
    try:
        return _ROLES_FOUND[key]
    except KeyError:
        pass
    if len(_ROLES_FOUND) > 200_000:
        _ROLES_FOUND.clear()
    role = _ROLES_FOUND[key] = _find_role(text, lemma, lang)
    return role


#: find_role's answers (a pure function of its arguments: the mention rules, coreference and the relation
#: extractors ask it for nearly every token, several times)
_ROLES_FOUND: dict[tuple[str, str, str], Role | None] = {}


def _find_role(text: str, lemma: str, lang: str) -> Role | None:
    table = role_lookup(lang)
    role = table.get(text) or table.get(lemma) or table.get(text.lower())
    if role or lang != "de" or len(text) < 6:
        return role
    if not text[:1].isupper():
        return None
    lowered = text.lower()
    forms = [lowered] + [lowered[: -len(s)] for s in ("in", "en", "n", "s") if lowered.endswith(s)]
    for form in forms:
        if form in table:
            return table[form]
    # the head of a compound: "Vizeaußenminister", "Kremlsprecher", "Regierungsberaterin"
    for form in forms:
        for i in range(2, len(form) - 5):
            head = form[i:]
            if head in table and table[head].word[:1].isupper():
                return table[head]
    return None


@functools.lru_cache(maxsize=None)
def common_words(lang: str) -> frozenset[str]:
    """Capitalised words that are usually common nouns, not names (``data/words/common.<lang>.txt``)."""
    try:
        text = resources.files("kgbuild").joinpath("data", "words", f"common.{lang}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def is_common_word(word: str, lang: str) -> bool:
    """True for a common noun, also in an inflected form ('Vertrags', 'Truppen')."""
    words = common_words(lang)
    if word in words:
        return True
    if lang == "de":
        return any(word.endswith(s) and word[: -len(s)] in words for s in ("s", "es", "n", "en", "e", "er", "ern"))
    return False


_EXTRA_STOP = {
    "de": {"mehr", "thema", "zum", "herr", "frau", "heute", "gestern", "morgen", "montag", "dienstag", "mittwoch",
           "donnerstag", "freitag", "samstag", "sonntag", "januar", "februar", "märz", "april", "mai", "juni",
           "juli", "august", "september", "oktober", "november", "dezember", "darin", "diesen", "diese", "dieser",
           "wenige", "geplant", "laut", "sowie", "darunter", "er", "sie", "es"},
    "en": {"mr", "mrs", "ms", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
           "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "today", "yesterday", "tomorrow", "he", "she", "it", "they"},
}


@functools.lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    try:
        from spacy.util import get_lang_class

        words = set(get_lang_class(lang).Defaults.stop_words)
    except Exception:  # an unknown language: no stop words
        words = set()
    return frozenset(w.lower() for w in words | _EXTRA_STOP.get(lang, set()))
