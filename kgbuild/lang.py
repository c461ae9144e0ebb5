"""Language: text -> ISO 639-1 code, by function-word profiles (fast, deterministic, no model download).

In: the article text. Out: ``"de"``, ``"en"`` or another code (``fr``, ``es``, ``it``, ``nl``, ``pt``, ``pl``,
``tr``, ``sv``, ``da``, ``no``, ``cs``, ``hu``, ``fi``, ``ro``, ``ru``, ``uk``, ``ar``, ``zh``, ``ja``, ``ko``), or
``None`` when nothing fits. Quoted passages ("…", „…“, «…») are left out when enough text remains, so that a
German article quoting an English sentence stays German. Words several languages share (``in``, ``an``,
``die``) count for each of them.
``SUPPORTED`` are the languages kgbuild extracts relations for; others raise ``LanguageError`` unless the
caller asks for the language-independent parts only.
"""
from __future__ import annotations

import logging
import re
from collections import Counter

from kgbuild.errors import LanguageError

log = logging.getLogger(__name__)

SUPPORTED = ("de", "en")

_STOPWORDS = {
    "de": "der die das und ist nicht mit sich des auf für von dem den ein eine einen zu im auch als nach wird "
    "hat sind bei aus wie dass über noch vor werden zum zur einer wurde nur ihre seine haben oder gegen am "
    "in an er sie es wir ich man war sei sagte seit beim vom ins einem eines keine kein wenn aber doch",
    "en": "the and of to in is that for on with as was by at from his her are be has have it an this which "
    "will said who their after its not were been would about into than they but over",
    "fr": "le la les et des du un une est pour dans que qui sur pas au avec ce il elle sont par plus ont été",
    "es": "el la los las y de del que en un una es por con para se su al como más pero sus fue ha",
    "it": "il lo la gli le e di del della che in un una è per con non si sono al alla come più anche",
    "nl": "de het een en van in is dat op te met voor zijn niet aan er die door als ook maar naar werd",
    "pt": "o a os as e de do da que em um uma é para com não se por mais dos das ao foi pelo",
    "pl": "i w na z się nie do że to jest o jak po przez od dla za co być ale przy",
    "tr": "ve bir bu da de için ile olarak daha çok ama gibi en olan ise kadar sonra veya her ki arasında "
    "değil ne olduğu göre",
    "sv": "och att det som en på är av för med till den har inte om ett de var sig men från vid kan också "
    "eller efter han hon mellan",
    "da": "og at det som en på er af for med til den har ikke om et de var sig men fra ved kan også eller "
    "efter han hun mellem",
    "no": "og at det som en på er av for med til den har ikke om et de var seg men fra ved kan også eller "
    "etter han hun mellom",
    "cs": "a se na je v že to s z do o jako ale by pro jsou byl být jeho které který podle při také",
    "hu": "a az és hogy nem is egy meg van volt de ha csak már mint még után között pedig amely",
    "fi": "ja on ei että se oli hän mutta kun myös tai ovat joka mukaan kanssa sekä vuonna hänen",
    "ro": "și în de la a cu pe care din este nu o pentru un mai fost sunt că după sau către",
}
_PROFILES = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: quoted passages: "…", „…“, “…”, «…», »…«
_QUOTED = re.compile(r'"[^"\n]{1,400}"|„[^“”"\n]{1,400}[“”"]|“[^”\n]{1,400}”|«[^»\n]{1,400}»|»[^«\n]{1,400}«')
NAMES = {"de": "German", "en": "English", "fr": "French", "es": "Spanish", "it": "Italian", "nl": "Dutch",
         "pt": "Portuguese", "pl": "Polish", "tr": "Turkish", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
         "cs": "Czech", "hu": "Hungarian", "fi": "Finnish", "ro": "Romanian", "ru": "Russian", "uk": "Ukrainian",
         "ar": "Arabic", "zh": "Chinese", "ja": "Japanese", "ko": "Korean"}
_SCRIPTS = (
    ("ru", re.compile(r"[\u0400-\u04FF]")),
    ("ar", re.compile(r"[\u0600-\u06FF]")),
    ("ja", re.compile(r"[\u3040-\u30FF]")),
    ("ko", re.compile(r"[\uAC00-\uD7AF]")),
    ("zh", re.compile(r"[\u4E00-\u9FFF]")),
)


def detect(text: str, sample: int = 20000) -> str | None:
    """The most likely language of ``text`` (None if it has too few words to tell)."""
    text = text[:sample]
    letters = sum(ch.isalpha() for ch in text) or 1
    for lang, pattern in _SCRIPTS:
        if len(pattern.findall(text)) / letters > 0.3:
            if lang == "ru" and re.search(r"[ієїґ]", text):
                return "uk"
            return lang
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    unquoted = [w.lower() for w in _WORD.findall(_QUOTED.sub(" ", text))]
    if len(unquoted) >= 6:  # the article's own words, not the ones it quotes
        words = unquoted
    counts = Counter()
    for word in words:
        for lang, profile in _PROFILES.items():
            if word in profile:
                counts[lang] += 1
    if len(words) <= _SHORT:
        short = _short_text(text)
        if short is not None:
            return short
    if not counts:
        return _by_dictionary(text)
    # most hits; a tie goes to a supported language ("met" is Dutch too, "in" German and English too)
    lang, hits = max(counts.items(), key=lambda kv: (kv[1], kv[0] in SUPPORTED, -SUPPORTED.index(kv[0])
                                                     if kv[0] in SUPPORTED else 0))
    if len(words) <= _SHORT and counts["de"] == counts["en"] == hits and _english_by_case(text):
        return "en"
    if hits < 2 and len(words) > 3:
        return _by_dictionary(text)
    if lang not in SUPPORTED and len(words) > _SHORT:
        # a longer text won by another language's function words that German or English also spell
        # ("Merkel met Xi in Beijing." repeated: "met" is Dutch too) is decided as a short one is
        decided = _short_text(text)
        if decided is not None:
            return decided
    if re.search(r"[äöüß]", text.lower()) and counts["de"] >= hits * 0.6:
        return "de"
    return lang


#: a text of at most this many words (a headline, one sentence) is decided by :func:`_short_text` first
_SHORT = 30


def _short_text(text: str) -> str | None:
    """German or English for a short text, by words only one of the two languages has; None to decide as usual.

    A function word another language shares with German or English ("met" is Dutch and English, "war" German
    and English) says nothing against German or English. So another language must have at least two hits on
    words neither German nor English has before it wins; otherwise the lowercase words that only German's or
    only English's dictionary knows (simplemma's, case-sensitive: "met" and "calls" are English forms, "traf"
    and "streikt" German ones; capitalised words are left out, names and German nouns alike) decide, and a
    function word of one of them that the other does not know counts too. Ties, and texts with as many lowercase
    words neither dictionary knows ("rencontré") as the winner has, go the usual way."""
    tokens = _WORD.findall(_QUOTED.sub(" ", text)) or _WORD.findall(text)
    known = _dictionaries()
    if known is None:
        return None

    def knows(lang: str, token: str) -> bool:
        return token in known[lang] or token.lower() in known[lang] or token.lower() in _PROFILES[lang]

    foreign = Counter()
    for token in tokens:
        word = token.lower()
        if not any(knows(lang, token) for lang in SUPPORTED):
            for lang, profile in _PROFILES.items():
                if lang not in SUPPORTED and word in profile:
                    foreign[lang] += 1
    if foreign and max(foreign.values()) >= 2:
        return None
    votes = Counter()
    for token in tokens:
        if not token.islower():
            continue
        in_de, in_en = knows("de", token), knows("en", token)
        if in_de != in_en:
            votes["de" if in_de else "en"] += 1
        elif not in_de:
            votes["neither"] += 1
    if votes["de"] == votes["en"] or votes["neither"] >= max(votes["de"], votes["en"]):
        return None
    return "de" if votes["de"] > votes["en"] else "en"


def _english_by_case(text: str) -> bool:
    """A short text German and English tie on: English when it has at least three lowercase words and no
    capitalised word inside a sentence that only German knows (German capitalises its nouns: "Mann stirbt bei
    Unfall", where "Unfall" decides; "Man dies in crash on A9" has none)."""
    known = _dictionaries()
    if known is None:
        return False
    lowercase = 0
    for match in _WORD.finditer(text):
        token = match.group()
        if token.islower():
            lowercase += 1
            continue
        before = text[:match.start()].rstrip()
        if not token[:1].isupper() or token.isupper() or not before or before[-1] in ".!?:\"„“»«":
            continue  # an acronym, or the first word of a sentence
        if token in known["de"] and token not in known["en"] and token.lower() not in known["en"]:
            return False
    return lowercase >= 3


_KNOWN: dict | None = None


def _dictionaries() -> dict | None:
    """simplemma's German and English form dictionaries (through kgbuild's cache and index), or None."""
    global _KNOWN
    if _KNOWN is None:
        try:
            from simplemma.strategies.dictionaries import DefaultDictionaryFactory

            from kgbuild import lemma_cache

            lemma_cache.install()
            factory = DefaultDictionaryFactory()
            _KNOWN = {lang: factory.get_dictionary(lang) for lang in SUPPORTED}
        except (ImportError, OSError, ValueError) as err:  # another simplemma: decide as before
            log.debug("no simplemma dictionaries for short texts: %s", err)
            _KNOWN = {}
    return _KNOWN or None


def _by_dictionary(text: str) -> str | None:
    """Short texts with few function words: the share of words simplemma's dictionaries know."""
    import simplemma

    scores = simplemma.langdetect(text, lang=_DICTIONARY_LANGS)
    lang, share = scores[0]
    return lang if lang != "unk" and share >= 0.3 else None


#: simplemma's dictionaries consulted for short texts (each costs memory and load time: only the common ones)
_DICTIONARY_LANGS = ("de", "en", "fr", "es", "it", "nl", "pt", "pl")


def resolve(text: str, declared: str | None = None, override: str | None = None, *, allow_other: bool = False) -> str:
    """The language to process ``text`` in: ``override`` (--lang) > ``declared`` (the article's metadata) > detected.

    Raises ``LanguageError`` for a language kgbuild does not support, unless ``allow_other``.
    """
    if override:
        lang = override.lower()
    elif declared:
        lang = declared.lower()[:2]
    else:
        lang = detect(text)
    if lang is None:
        raise LanguageError(
            "cannot tell the language of the text; pass --lang de or --lang en"
        )
    if lang not in SUPPORTED and not allow_other:
        name = f"{NAMES[lang]} ({lang!r})" if lang in NAMES else repr(lang)
        raise LanguageError(
            f"the text is in {name}, but kgbuild supports {', '.join(f'{NAMES[c]} ({c})' for c in SUPPORTED)};"
            " pass --lang de|en to force one, or --any-lang to extract only the language-independent parts"
        )
    return lang
