"""Translation files as translators' tools leave them, through the real CLI (check,
build, `l10n extract` and `l10n status`): a translated background nested past what
markdown-it reads (found by fuzz32's corpus; issue 16: nothing a translator wrote is
lost or silently unused)."""
from __future__ import annotations

from support import foundry

GUIDE_PO = "translations/de/content/characters/old-guide.yaml.po"


def _project(project_factory, languages: str, name: str, fmt: str = "po"):
    root = project_factory(name=name)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(f'\n[l10n]\nlanguages = [{languages}]\nformat = "{fmt}"\n')
    return root


def _said(run, *codes: str) -> list[dict]:
    return [d for d in run.json()["diagnostics"] if d["code"] in codes]


def _translate(root, rel: str, line_id: str, text: str) -> int:
    """Write `text` as the PO translation of `line_id`; the msgstr's line."""
    path = root / rel
    po = path.read_text(encoding="utf-8")
    start = po.index(f'msgctxt "{line_id}"')
    at = po.index('msgstr ""', start)
    path.write_text(po[:at] + f'msgstr "{text}"' + po[at + len('msgstr ""'):], encoding="utf-8")
    return po.count("\n", 0, at) + 1


def test_a_translation_nested_past_markdowns_limit_is_hf0171_at_its_line(project_factory):
    """A German background written `> > > …` 110 deep was published as nothing (the
    localized parse's findings were thrown away): check and build were clean. A story's
    paragraph is read inline (its `>` shows as typed): nothing is said of it."""
    root = _project(project_factory, '"de"', "deep")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    line = _translate(root, GUIDE_PO, "character.old-guide.background.p1", "> " * 110 + "Kennt jeden Pfad.")
    _translate(root, "translations/de/content/stories/first-story.md.po", "story.first-story.scene.road.p1",
               ">" * 120 + " Nebel")
    for verb in ("check", "build"):
        run = foundry(verb, "--project", str(root), "--format", "json", *(("--only", "json") if verb == "build" else ()))
        said = _said(run, "HF0171", "HF0169", "HF1107")
        assert [(d["code"], d["file"], d["line"]) for d in said] == [("HF0171", GUIDE_PO, line)], run.stdout
        assert run.code == 1, verb
    # the hint followed: one `>` for the one level meant
    _translate_again = (root / GUIDE_PO).read_text(encoding="utf-8").replace("> " * 110, "> ")
    (root / GUIDE_PO).write_text(_translate_again, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and not _said(run, "HF0171", "HF1107"), run.stdout
