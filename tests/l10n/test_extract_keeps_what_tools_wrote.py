"""`foundry l10n extract` keeps what a translator's tool wrote in a translation file
besides its entries: a PO header's credits and fields as Poedit, Weblate and Crowdin
write them. Each was dropped by the next `extract` without a word (l10n33; issue 16:
nothing a translator wrote is lost)."""
from __future__ import annotations

import shutil
import subprocess

from support import foundry, require_tool

STORY_PO = "translations/de/content/stories/first-story.md.po"

# The head of a PO file as Poedit saves it: the credits in the header's comments, the
# translator, the team, the revision date and the plural rule in its fields.
POEDIT_HEAD = '''# German translation of The Fog Road.
# Anna Schmidt <anna@example.org>, 2026.
msgid ""
msgstr ""
"Project-Id-Version: Fog Road 1.0\\n"
"PO-Revision-Date: 2026-12-01 10:00+0100\\n"
"Last-Translator: Anna Schmidt <anna@example.org>\\n"
"Language-Team: German <de@example.org>\\n"
"Language: de\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"X-Generator: Poedit 3.4\\n"
'''


def _project(project_factory, name: str, fmt: str = "po"):
    root = project_factory(name=name)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(f'\n[l10n]\nlanguages = ["de"]\nformat = "{fmt}"\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    return root


def test_extract_keeps_a_po_headers_credits_and_fields(project_factory):
    """A PO file Poedit saved, its story edited and `extract` run: the translator's
    credits, name, team, revision date and plural rule were gone from the file (the header
    was written anew); now they are kept in their order, and GNU msgfmt still checks the
    file clean."""
    root = _project(project_factory, "po-head")
    path = root / STORY_PO
    text = path.read_text(encoding="utf-8")
    body = text[text.index("\n\n"):]
    body = body.replace('msgid "The Far Bank"\nmsgstr ""', 'msgid "The Far Bank"\nmsgstr "Das ferne Ufer"')
    path.write_text(POEDIT_HEAD + body, encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Dry ground at last.", "Dry ground, at last."),
                     encoding="utf-8")

    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    head = after[:after.index("\n\n")]
    assert head.startswith("# German translation of The Fog Road.\n# Anna Schmidt <anna@example.org>, 2026.\n")
    fields = [line for line in head.splitlines() if line.startswith('"')]
    assert fields == [
        '"Project-Id-Version: Fog Road 1.0\\n"', '"PO-Revision-Date: 2026-12-01 10:00+0100\\n"',
        '"Last-Translator: Anna Schmidt <anna@example.org>\\n"', '"Language-Team: German <de@example.org>\\n"',
        '"Language: de\\n"', '"MIME-Version: 1.0\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        # foundry wrote the file this time: its own name, in the field's place
        '"X-Generator: Hero Foundry\\n"']
    assert 'msgstr "Das ferne Ufer"' in after   # and the entries as before
    # a second extract changes nothing: the header is stable (no date of ours)
    foundry("l10n", "extract", "--project", str(root))
    assert path.read_text(encoding="utf-8") == after

    require_tool(shutil.which("msgfmt") is not None, "GNU gettext's msgfmt")
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "warning" not in checked.stderr, checked.stderr


def test_a_new_po_file_has_foundrys_header_only(project_factory):
    """A file `extract` makes has foundry's five fields and no comment, as before."""
    root = _project(project_factory, "po-new")
    text = (root / STORY_PO).read_text(encoding="utf-8")
    assert text.startswith('msgid ""\nmsgstr ""\n"Language: de\\n"\n"MIME-Version: 1.0\\n"\n'
                           '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
                           '"X-Generator: Hero Foundry\\n"\n\n')
