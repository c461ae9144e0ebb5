"""Fuzzing (issue 16), bounded for CI: the whole build path, the readers and the gold readers on arbitrary
input. The properties are in ``tests/fuzz_support.py``; ``benchmarks/fuzz_build.py`` runs them for long."""
from __future__ import annotations

import tempfile
from pathlib import Path

from fuzz_support import (
    check_build,
    check_decode,
    check_gold,
    check_jsonl,
    gold_file,
    jsonl_line,
    surrogates,
    text_strategy,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CI = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
              derandomize=True)
TMP = Path(tempfile.mkdtemp(prefix="kgbuild-fuzz-"))


@CI
@given(text=text_strategy, lang=st.sampled_from([None, "de", "en"]), title=st.one_of(st.none(), text_strategy))
def test_fuzz_build_writes_valid_rdf_in_every_format(text, lang, title):
    check_build(text, lang, title, TMP)


@CI
@given(text=surrogates)
def test_fuzz_build_lone_surrogates(text):
    check_build("Olaf Scholz traf Emmanuel Macron in Paris. " + text, "de", text, TMP)


@settings(CI, max_examples=200)
@given(data=st.one_of(st.binary(min_size=1, max_size=400),
                      text_strategy.map(lambda t: t.encode("utf-8")),
                      st.tuples(text_strategy, st.sampled_from(["cp1252", "latin-1", "utf-16", "cp1250", "koi8-r",
                                                                "shift_jis", "utf-8-sig", "utf-32"]))
                      .map(lambda p: p[0].encode(p[1], "replace"))))
def test_fuzz_decode_any_bytes(data):
    check_decode(data)


@CI
@given(lines=st.lists(jsonl_line, min_size=1, max_size=6))
def test_fuzz_jsonl_reader(lines):
    check_jsonl(lines, TMP)


@settings(CI, max_examples=80)
@given(case=gold_file())
def test_fuzz_gold_readers(case):
    check_gold(*case, TMP)
