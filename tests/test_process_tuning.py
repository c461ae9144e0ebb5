"""The ``kgbuild`` command's process settings (issue 15): the garbage collector's threshold and glibc's malloc.

Neither changes what a build writes (the corpus tests compare bytes with them in place); these tests check that
each setting is made where it should be and left alone where it should not.
"""
from __future__ import annotations

import ctypes
import gc
import os
import sys

import pytest

from kgbuild import cli


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_collector_threshold_raised(thresholds):
    gc.set_threshold(700, 10, 10)
    cli._tune_collector()
    assert gc.get_threshold() == (cli.GC_THRESHOLD, 10, 10)


def test_collector_higher_or_switched_off_left_alone(thresholds):
    gc.set_threshold(cli.GC_THRESHOLD * 2, 5, 5)
    cli._tune_collector()
    assert gc.get_threshold() == (cli.GC_THRESHOLD * 2, 5, 5)
    gc.set_threshold(0, 10, 10)  # automatic collection off: the user's (or a test runner's) choice
    cli._tune_collector()
    assert gc.get_threshold()[0] == 0


class _FakeLibc:
    def __init__(self, glibc: bool = True) -> None:
        self.calls: list[tuple[int, int]] = []
        if glibc:
            self.gnu_get_libc_version = lambda: b"2.36"

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc is tuned on Linux only")
def test_allocator_thresholds_set_on_glibc(monkeypatch):
    fake = _FakeLibc()
    for key in [k for k in list(os.environ) if k.startswith("MALLOC_")]:
        monkeypatch.delenv(key)
    monkeypatch.setattr(ctypes, "CDLL", lambda name: fake)
    cli._tune_allocator()
    assert fake.calls == [(-3, cli.MMAP_THRESHOLD), (-1, cli.TRIM_THRESHOLD)]


def test_allocator_left_alone(monkeypatch):
    fake = _FakeLibc()
    monkeypatch.setattr(ctypes, "CDLL", lambda name: fake)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")  # the user tunes glibc's malloc: kgbuild does not
    cli._tune_allocator()
    assert fake.calls == []
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    other = _FakeLibc(glibc=False)  # another C library: its options differ
    monkeypatch.setattr(ctypes, "CDLL", lambda name: other)
    cli._tune_allocator()
    assert other.calls == []


def test_allocator_without_c_library(monkeypatch):
    def missing(name):
        raise OSError("no C library")

    for key in [k for k in list(os.environ) if k.startswith("MALLOC_")]:
        monkeypatch.delenv(key)
    monkeypatch.setattr(ctypes, "CDLL", missing)
    cli._tune_allocator()  # nothing raised, nothing changed


def test_entry_point_selections_made_once(monkeypatch):
    import catalogue

    from kgbuild.cli import _lazy_spacy_cli as lazy

    original = catalogue.AVAILABLE_ENTRY_POINTS
    if isinstance(original, lazy._SelectedOnce):  # given in this process already (a CLI test ran kgbuild main)
        original = original.entry_points
    monkeypatch.setattr(catalogue, "AVAILABLE_ENTRY_POINTS", original)
    assert lazy.memoise_entry_points()
    assert not lazy.memoise_entry_points()  # once
    memo = catalogue.AVAILABLE_ENTRY_POINTS
    for group in ("spacy_factories", "spacy_languages", "no such group"):
        first = memo.select(group=group)
        assert list(first) == list(original.select(group=group))
        assert memo.select(group=group) is first
    # kgbuild's own factories are still found through spaCy's registry (entry points of the installed package)
    assert "kgbuild_mentions" in {ep.name for ep in memo.select(group="spacy_factories")}


@pytest.mark.parametrize("name", ["relations.yaml", "roles.yaml"])
def test_word_lists_read_alike_by_libyaml(name):
    """The relation catalogue and the role words are read with libyaml's loader where PyYAML has it (each
    worker reads both on its first article): the same data as PyYAML's own safe loader."""
    from importlib import resources

    yaml = pytest.importorskip("yaml")
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    text = resources.files("kgbuild.relations").joinpath("data", name).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.load(text, Loader=yaml.SafeLoader)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_model_loaded_with_a_bare_tokenizer_is_the_same(lang, monkeypatch):
    """A model whose folder holds its own standard tokenizer is loaded with spaCy's default tokenizer left
    unbuilt (kgbuild.models.loading._bare_tokenizer): the same pipeline, bytes and analyses, as loaded plainly."""
    pytest.importorskip("spacy")
    from kgbuild.models import loading
    from kgbuild.models.discovery import select_model

    info = select_model(lang)
    if info.source == "builtin":
        pytest.skip(f"no statistical {lang} model installed")
    assert loading._bare_tokenizer(info), "an official or kgbuild model with a stored tokenizer"
    loading.clear_cache()
    bare = loading._load(info)
    loading.clear_cache()
    monkeypatch.setattr(loading, "_bare_tokenizer", lambda info: {})
    plain = loading._load(info)
    loading.clear_cache()
    assert bare.config["nlp"]["tokenizer"] == plain.config["nlp"]["tokenizer"] == {"@tokenizers": "spacy.Tokenizer.v1"}
    assert bare.tokenizer.to_bytes() == plain.tokenizer.to_bytes()
    assert bare.to_bytes() == plain.to_bytes()
    text = ("Dr. Angela Merkel (CDU) traf am 3. Okt. in Berlin u.a. den US-Präsidenten, z.B. um 10:30 Uhr. "
            "Mr. O'Neill didn't go to the U.K. on Jan. 5th -- he'd e-mailed info@example.com: https://x.org/a?b=1 :)")
    a, b = bare(text), plain(text)
    assert [(t.text, t.whitespace_, t.tag_, t.lemma_, t.ent_iob_, t.ent_type_) for t in a] == \
        [(t.text, t.whitespace_, t.tag_, t.lemma_, t.ent_iob_, t.ent_type_) for t in b]


def test_no_bare_tokenizer_without_a_stored_one(tmp_path):
    from kgbuild.models import loading
    from kgbuild.models.discovery import ModelInfo

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.cfg").write_text('[nlp]\nlang = "en"\n\n[nlp.tokenizer]\n@tokenizers = "spacy.Tokenizer.v1"\n')
    info = ModelInfo(name="model", lang="en", version="0", source="path", path=str(folder))
    assert loading._bare_tokenizer(info) == {}  # no tokenizer file: spaCy's default one is what it gets
    (folder / "tokenizer").write_bytes(b"")
    assert loading._bare_tokenizer(info)
    (folder / "config.cfg").write_text('[nlp]\nlang = "ja"\n\n[nlp.tokenizer]\n@tokenizers = "spacy.ja.JapaneseTokenizer"\n')
    assert loading._bare_tokenizer(info) == {}  # another tokenizer class: left as it is
