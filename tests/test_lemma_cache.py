"""simplemma's dictionaries from kgbuild's cache (``kgbuild.lemma_cache``): the same mapping as simplemma's own
decoding, written once, read back on the next load, and a broken or unwritable cache is passed over."""
from __future__ import annotations

from pathlib import Path

import pytest

simplemma = pytest.importorskip("simplemma")
from simplemma.strategies.dictionaries import dictionary_factory as factory  # noqa: E402

from kgbuild import lemma_cache  # noqa: E402

DATA = Path(factory.DATA_FOLDER)


def decoded(lang: str) -> dict:
    """simplemma's own decoding of its shipped file."""
    return factory.frontcode._decode_stream(factory._read_decompressed(lang))


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    """Every cache directory of ``cache_dirs`` inside tmp_path; the first one is returned."""
    monkeypatch.setenv("KGBUILD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(lemma_cache.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    return tmp_path / "cache"


def test_lemma_cache_same_dictionary_written_then_read(cache):
    calls = []

    def decode(lang):
        calls.append(lang)
        return decoded(lang)

    first = lemma_cache.cached_dictionary("en", decode, DATA)
    files = list(cache.glob("simplemma-dict-*-en-*.marshal"))
    assert len(files) == 1 and simplemma.__version__ in files[0].name
    second = lemma_cache.cached_dictionary("en", decode, DATA)
    assert calls == ["en"]  # decoded once, then read from the cache
    assert first == second == decoded("en") and len(second) > 100_000


def test_lemma_cache_broken_file_is_decoded_again_and_replaced(cache):
    cache.mkdir()
    name = lemma_cache.cache_name("en", DATA)
    (cache / name).write_bytes(b"\x00not marshal data")
    stale = cache / "simplemma-dict-1.0.0-en-1-2.marshal"
    stale.write_bytes(b"older simplemma data")
    got = lemma_cache.cached_dictionary("en", decoded, DATA)
    assert got == decoded("en")
    assert lemma_cache.cached_dictionary("en", lambda lang: pytest.fail("decoded again"), DATA) == got
    assert not stale.exists()  # a file of another version of the same language is removed


def test_lemma_cache_unwritable_is_passed_over(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    for var, sub in (("KGBUILD_CACHE", "cache"), ("XDG_CACHE_HOME", "xdg"), ("HOME", "home")):
        monkeypatch.setenv(var, str(blocked / sub))
    monkeypatch.setattr(lemma_cache.tempfile, "gettempdir", lambda: str(blocked / "tmp"))
    assert lemma_cache.cached_dictionary("en", decoded, DATA) == decoded("en")


def test_lemma_cache_installed_lemmas_unchanged(cache, monkeypatch):
    words = {"de": ["Häuser", "ging", "Bundeskanzlerin", "Verhandlungen", "Pjöngjang"],
             "en": ["went", "houses", "talks", "Biden"]}
    monkeypatch.setattr(factory, "_load_dictionary_from_disk", factory._load_dictionary_from_disk)  # restored after
    monkeypatch.setattr(factory, "_load_dictionary_from_disk", lambda lang: decoded(lang))  # simplemma's own
    factory.DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_clear()
    before = {lang: [simplemma.lemmatize(w, lang=lang) for w in ws] for lang, ws in words.items()}
    assert lemma_cache.install() and lemma_cache.install()  # idempotent
    assert getattr(factory._load_dictionary_from_disk, "kgbuild_cached", False)
    for _ in range(2):  # written, then read back
        factory.DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_clear()
        assert {lang: [simplemma.lemmatize(w, lang=lang) for w in ws] for lang, ws in words.items()} == before
        assert simplemma.is_known("the", lang="en") and simplemma.is_known("der", lang="de")
    assert {p.name.split("-")[3] for p in cache.glob("simplemma-dict-*.marshal")} == {"de", "en"}
    factory.DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_clear()


def test_lemma_cache_index_answers_like_the_dictionary_then_loads_it_whole(cache, monkeypatch):
    want = decoded("en")
    lemma_cache.cached_dictionary("en", decoded, DATA)  # decoded, written, indexed
    got = lemma_cache.cached_dictionary("en", lambda lang: pytest.fail("decoded again"), DATA)
    assert isinstance(got, lemma_cache.IndexedDictionary) and not got.is_whole
    assert list(cache.glob("simplemma-dict-*-en-*.sqlite"))
    keys = sorted(want)[::5000] + [b"no such word", b"the", "\u00e9t\u00e9".encode()]
    monkeypatch.setattr(lemma_cache, "INDEX_LOOKUPS", 3 * len(keys))
    for key in keys:  # from the index: same values, same misses
        assert got.get(key) == want.get(key) and (key in got) == (key in want)
        assert got.get(key, "default") == want.get(key, "default")
    assert not got.is_whole and got._data is None
    for key in keys:  # past INDEX_LOOKUPS: loaded whole
        assert got.get(key) == want.get(key)
    assert got.is_whole and got == want and len(got) == len(want)
    with pytest.raises(KeyError):
        got[b"no such word"]


def test_lemma_cache_broken_index_loads_the_dictionary_whole(cache):
    want = decoded("en")
    lemma_cache.cached_dictionary("en", decoded, DATA)
    index = next(cache.glob("simplemma-dict-*-en-*.sqlite"))
    index.write_bytes(b"not an sqlite file" * 100)
    got = lemma_cache.cached_dictionary("en", decoded, DATA)
    assert got.get(b"houses") == want.get(b"houses") and got.is_whole
    lemma_cache.load_whole("en")  # nothing left to load
    assert got == want
