"""kgbuild.read: files, folders, JSONL and stdin -> Article; bad input -> one clear InputError."""
import datetime as dt
import json

import pytest

from kgbuild.errors import InputError, InputNotFoundError
from kgbuild.read import article_from_text, decode_bytes, read_inputs, read_one, slugify


def test_read_text_file_utf8(tmp_path):
    p = tmp_path / "Putin Besuch.txt"
    p.write_text("Putin reist nach Pjöngjang.", encoding="utf-8")
    art = read_one(p, published="2024-06-18", url="https://example.org/a")
    assert art.text == "Putin reist nach Pjöngjang."
    assert art.id == "putin-besuch"
    assert art.published == dt.date(2024, 6, 18)
    assert art.url == "https://example.org/a"


def test_read_latin1_falls_back(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("Außenminister in Moskau über Grüße und Größe, Köln, München, Düsseldorf".encode("latin-1"))
    assert "Außenminister" in read_one(p).text


@pytest.mark.parametrize("data,message", [
    (b"", "empty"), (b"   \n\t ", "empty"), (b"\x00\x01\x02\x03binary\x00" * 20, "binary"),
])
def test_read_bad_bytes_are_clear_errors(tmp_path, data, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_one(p)


def test_read_huge_input_is_refused():
    with pytest.raises(InputError, match="more than"):
        decode_bytes(b"a" * 6_000_000, "huge.txt")


def test_read_missing_file():
    with pytest.raises(InputNotFoundError):
        list(read_inputs(["/no/such/file.txt"]))


def test_read_jsonl_reports_bad_lines_and_keeps_good(tmp_path):
    p = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": "a1", "text": "Biden visits Tokyo.", "date": "2022-05-22", "lang": "en"}),
             "{not json", json.dumps({"id": "a2"}), "", json.dumps({"text": "Scholz reist nach Paris."})]
    p.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_inputs([p]))
    arts = [i for i in items if not isinstance(i, InputError)]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert [a.id for a in arts][0] == "a1" and arts[0].published == dt.date(2022, 5, 22)
    assert arts[1].id.startswith("sha1-")
    assert any(":2:" in e and "invalid JSON" in e for e in errors)
    assert any(":3:" in e and '"text"' in e for e in errors)


def test_read_folder_ids_are_relative_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text("Eins zwei drei.", encoding="utf-8")
    (tmp_path / "two.md").write_text("Vier fünf.", encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00")
    ids = sorted(a.id for a in read_inputs([tmp_path]))
    assert ids == ["sub--one", "two"]


def test_read_bad_date_is_error():
    with pytest.raises(InputError, match="invalid date"):
        article_from_text("Text.", published="18.06.2024")


def test_slugify_is_ascii_and_stable():
    assert slugify("Juri Uschakow") == "juri-uschakow"
    assert slugify("Straße nach Pjöngjang") == "strasse-nach-pjongjang"
    assert slugify("!!!") == slugify("!!!")
