"""kgbuild.lang: language detection and the supported-language check."""
import pytest

from kgbuild.errors import LanguageError
from kgbuild.lang import detect, resolve


@pytest.mark.parametrize("text,lang", [
    ("Der russische Präsident ist nach Nordkorea gereist, wo er mit Kim Jong-un über einen Vertrag sprach.", "de"),
    ("The Russian president travelled to North Korea, where he discussed a treaty with Kim Jong Un.", "en"),
    ("Le président russe est arrivé en Corée du Nord pour signer un traité avec le dirigeant.", "fr"),
    ("El presidente ruso viajó a Corea del Norte para firmar un tratado con el líder del país.", "es"),
    ("Президент России прибыл в Пхеньян для подписания договора.", "ru"),
])
def test_lang_detect(text, lang):
    assert detect(text) == lang


def test_lang_override_and_unsupported():
    fr = "Le président russe est arrivé en Corée du Nord pour signer un traité avec le dirigeant."
    with pytest.raises(LanguageError, match="'fr'"):
        resolve(fr)
    assert resolve(fr, allow_other=True) == "fr"
    assert resolve(fr, override="de") == "de"


def test_lang_undetectable_asks_for_lang():
    with pytest.raises(LanguageError, match="--lang"):
        resolve("12345 67890")


@pytest.mark.parametrize("text,lang", [
    # function words other languages share: "met" (Dutch "with"), "war" (German "was"), "die", "in"
    ("Olaf Scholz met Emmanuel Macron in Paris.", "en"),
    ("Biden met Xi in San Francisco.", "en"),
    ("Russia's war in Ukraine enters its third year.", "en"),
    ("War in Gaza: Netanyahu meets Blinken.", "en"),
    ("Germany sends tanks to Ukraine.", "en"),
    ("Scholz calls Biden.", "en"),
    ("Merkel traf Macron in Paris.", "de"),
    ("Olaf Scholz war in Paris.", "de"),
    ("Die Bahn streikt.", "de"),
    ("Baerbock kritisiert China.", "de"),
    # German and English function words tie: a German text capitalises its nouns, an English one has none of those
    ("Man dies in crash on A9.", "en"),
    ("Man in Hamburg gesucht: Polizei bittet um Hinweise.", "de"),
    # words neither German nor English knows keep a short text in its own language
    ("Le président Macron a rencontré Scholz à Berlin.", "fr"),
    ("De premier is met de koning naar het paleis gegaan.", "nl"),
])
def test_lang_short_texts_by_words_only_one_language_has(text, lang):
    assert detect(text) == lang


@pytest.mark.parametrize("text, lang", [
    # a long text whose only function words are ones another language spells too ("met", "in") stays English
    ("Biden met Xi in San Francisco. " * 40, "en"),
    ("Scholz met Macron in Paris on Monday. " * 200, "en"),
    # a long text in another language keeps its language
    ("De premier is met de koning naar het paleis gegaan, maar de minister bleef in Den Haag. " * 20, "nl"),
    ("Le président a rencontré le chancelier à Berlin pour une visite de deux jours. " * 20, "fr"),
])
def test_lang_long_texts_won_by_shared_function_words(text, lang):
    assert detect(text) == lang
