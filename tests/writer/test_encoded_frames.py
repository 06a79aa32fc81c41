"""A file saved in another encoding is said so in the writer's words, at its line, and
its code frame shows the line as an editor shows it.

A UTF-16 file's frame was its bytes read as UTF-8: `��#\\u0000 \\u0000y\\u0000a…`, a
line of escapes; a UTF-8 file with a byte-order mark (Notepad's) showed `\\ufeff` before
its first key. A theme catalog (themes/<name>/locale/…/messages.po) saved as UTF-16
or Latin-1 was one HF1141 with Python's own words ("'utf-8' codec can't decode byte
0xff in position 0") and no line; it is now each line with its bytes, as for every
other file foundry reads (load/encoding.py)."""

from __future__ import annotations

from support import REPO, foundry


def text_report(root) -> str:
    run = foundry("check", "--project", str(root))
    assert run.code == 1
    return run.stdout + run.stderr


def test_the_frame_of_a_utf16_file_is_its_text(project_factory):
    root = project_factory()
    guide = root / "content/characters/old-guide.yaml"
    first = guide.read_text(encoding="utf-8").split("\n")[0]
    guide.write_bytes(guide.read_text(encoding="utf-8").encode("utf-16"))
    said = text_report(root)
    assert "content/characters/old-guide.yaml:1:1: error HF0103 the file is UTF-16 text" in said, said
    assert f"    1 | {first}\n" in said and "\\u0000" not in said, said


def test_the_frame_of_a_file_with_a_byte_order_mark_is_its_text(project_factory):
    root = project_factory()
    (root / "content/characters/bom.yaml").write_bytes("\ufeffnmae: Bob\n".encode("utf-8"))
    said = text_report(root)
    assert "    1 | nmae: Bob\n" in said and "\\ufeff" not in said, said


def test_a_theme_catalog_in_another_encoding_is_said_at_its_lines(project_factory):
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    catalog = root / "themes/mine/locale/de/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    text = (REPO / "themes/default/locale/de/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    catalog.write_bytes(text.encode("latin-1", "replace"))
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["file"].endswith("messages.po")]
    umlaut = next(i for i, line in enumerate(text.split("\n"), 1) if any(c in line for c in "äöüÄÖÜß"))
    assert found and all(d["code"] == "HF1141" for d in found), found
    assert found[0]["line"] == umlaut and "not UTF-8 (in Windows-1252: 'ü'" in found[0]["message"], found[0]
    catalog.write_bytes(text.encode("utf-16"))
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [(d["code"], d["line"], d["message"]) for d in run.json()["diagnostics"] if d["file"].endswith("messages.po")]
    assert found == [("HF1141", 1, "the file is UTF-16 text (it begins with a UTF-16 byte-order mark), not UTF-8")], found


def test_the_frame_of_a_po_file_in_its_headers_charset_is_its_text(project_factory):
    """A translation kept in ISO-8859-1, as its header says, is read in it (l10n33); a
    mistake on a line with an umlaut was framed from its bytes read as UTF-8, the
    translator's `gefäßte` shown as `gef��te`, which neither the file nor Poedit shows."""
    root = project_factory()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\nformat = "po"\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    path = root / "translations/de/content/stories/first-story.md.po"
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    text = text.replace('msgid "The Far Bank"\nmsgstr ""', 'msgid "The Far Bank"\nmsgstr "Das gefäßte Ufer\\n da"')
    path.write_bytes(text.encode("latin-1"))
    said = text_report(root)
    assert "error HF0131 a line break in 'de story.first-story.scene.bank'" in said, said
    assert '| msgstr "Das gefäßte Ufer\\n da"\n' in said and "\ufffd" not in said, said
