"""A file that is not UTF-8 (HF0103) is reported line by line, at the column an editor
shows, with the encoding its bytes most likely are (load/encoding.py): a writer whose
editor saved Windows-1252 fixes every line in one run, and one whose editor saved
UTF-16 is told so, not that the file is binary."""

from __future__ import annotations

import json

import pytest

from foundation.helpers import invoke


@pytest.fixture()
def world(tmp_path):
    root = tmp_path / "world"
    assert invoke("init", str(root)).exit_code == 0
    return root


def check(root) -> tuple[int, list[dict]]:
    result = invoke("check", "--project", str(root), "--format", "json")
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def test_each_line_with_bad_bytes_is_reported_at_its_character_column(world):
    hero = world / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    # "é" saved as UTF-8 on one line (two bytes, one character) and as Windows-1252 after it
    lines = ["# Ära: ok then " + "\udce9"] + [f"# note {n} caf\udce9 \udc92x\udc94" for n in range(25)]
    data = "\n".join(lines).encode("utf-8", "surrogateescape") + b"\n" + text.encode("utf-8")
    hero.write_bytes(data)
    code, found = check(world)
    assert code == 1
    bad = [d for d in found if d["code"] == "HF0103"]
    assert [(d["file"], d["line"], d["column"]) for d in bad] == \
        [("content/heroes/first-hero.yaml", 1, 16)] + \
        [("content/heroes/first-hero.yaml", n, 13 if n < 12 else 14) for n in range(2, 21)] + \
        [("content/heroes/first-hero.yaml", 21, 14)]
    assert bad[0]["message"] == "byte 0xe9 is not UTF-8 (in Windows-1252: 'é')"
    assert bad[1]["message"] == "bytes 0xe9, 0x92, 0x94 on this line are not UTF-8 (in Windows-1252: 'é', '’', '”')"
    assert bad[-1]["message"] == "and 6 more lines like the 20 above in this file, from here on"
    assert all("Windows-1252" in d["hint"] for d in bad)


def test_bytes_of_another_legacy_encoding_name_none(world):
    # Cyrillic in Windows-1251: runs of high bytes, which Windows-1252 would misread
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_bytes("# Привет, мир\n".encode("cp1251") + hero.read_bytes())
    code, found = check(world)
    (bad,) = [d for d in found if d["code"] == "HF0103"]
    assert (bad["line"], bad["column"]) == (1, 3) and "Windows-1252" not in bad["message"] + bad["hint"]
    assert bad["message"].startswith("bytes 0xcf, 0xf0, 0xe8, 0xe2, 0xe5 and 4 more on this line")


@pytest.mark.parametrize("codec, name", [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_a_content_file_saved_as_utf16_is_named_so(world, codec, name):
    hero = world / "content/heroes/first-hero.yaml"
    rule = world / "schemas/skills.yaml"
    for path in (hero, rule):
        path.write_bytes(path.read_text(encoding="utf-8").encode(codec))   # with its byte-order mark
    code, found = check(world)
    assert code == 1
    named = [(d["code"], d["file"], d["line"], d["column"]) for d in found
             if d["file"] in ("content/heroes/first-hero.yaml", "schemas/skills.yaml")]
    assert named == [("HF0103", "content/heroes/first-hero.yaml", 1, 1), ("HF0103", "schemas/skills.yaml", 1, 1)]
    message = next(d for d in found if d["file"] == "schemas/skills.yaml")
    assert message["message"] == f"the file is {name} text (it begins with a {name} byte-order mark), not UTF-8"
    assert f"saved it as {name}" in message["hint"]


def test_utf16_without_a_mark_is_not_called_binary(world):
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_bytes(hero.read_text(encoding="utf-8").encode("utf-16-le"))
    code, found = check(world)
    (bad,) = [d for d in found if d["file"] == "content/heroes/first-hero.yaml"]
    assert bad["code"] == "HF0103" and "UTF-16" in bad["message"] and code == 1


def test_foundry_toml_not_in_utf8_is_reported_line_by_line(world):
    config = world / "foundry.toml"
    text = config.read_text(encoding="utf-8").replace('description = "A new Hero Foundry world."',
                                                      'description = "Un monde où l’on joue."')
    config.write_bytes(text.encode("cp1252"))
    code, found = check(world)
    assert code == 1
    bad = [(d["code"], d["file"], d["line"], d["column"], d["message"]) for d in found if d["file"] == "foundry.toml"]
    assert bad == [("HF0103", "foundry.toml", 3, 26,
                    "bytes 0xf9, 0x92 on this line are not UTF-8 (in Windows-1252: 'ù', '’')")]


def test_foundry_toml_with_a_utf8_byte_order_mark_is_read(world):
    config = world / "foundry.toml"
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes())   # Notepad's
    code, found = check(world)
    assert code == 0 and found == []
