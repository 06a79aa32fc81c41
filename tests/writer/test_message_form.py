"""One rule for the form of what foundry says: a message is a clause that begins in
lower case (`unknown template 'scot'`); a hint is one or more sentences, each beginning
with a capital (`Did you mean 'scout'? Hero templates live in …`). Where a command
joins the two on one line (`no hero 'arya'. Did you mean 'aria'?`, as Click says
`No such command 'nwe'. Did you mean 'new'?`) the hint still begins a sentence.

`did you mean` was the one hint written in lower case: after a full stop on the
command line, and as the first of two sentences of a hint (`hint: did you mean
'scout'? Hero templates live in …`)."""

from __future__ import annotations

from support import LOWER_AFTER_STOP, ROOTS, foundry, write_project

# Every hint of every broken sample (tests/roots/invalid-*) begins a sentence: asserted
# by tests/foundation/test_invalid_roots.py on the check it runs of each (a second check
# of the 41 samples here cost ~4 CPU-s a run for the same diagnostics).


def test_a_near_name_on_the_command_line_begins_its_sentence(tmp_path):
    root = tmp_path / "w"
    made = foundry("init", str(root))
    assert made.code == 0, made.stderr
    for args, said in ((("hero", "frist-hero"), "no hero 'frist-hero'. Did you mean 'first-hero'?"),
                       (("play", "frist-story"), "no story 'frist-story'. Did you mean 'first-story'?"),
                       (("new", "hero", "kestrel", "--template", "scot"), "no hero template 'scot'. Did you mean 'scout'?"),
                       (("history", "hero:frist-hero"), "Did you mean 'first-hero'?"),
                       # (said the theme's four folders, not the file meant: fuzz29)
                       (("theme", "eject", "templates/hreo.html"),
                        "no 'templates/hreo.html'. Did you mean 'templates/hero.html'?")):
        run = foundry(*args, "--project", str(root))
        assert run.code == 2 and said in run.stderr, (args, run.stderr)
        assert not LOWER_AFTER_STOP.search(run.stderr.split("Error:", 1)[-1]), run.stderr
    hero = root / "content" / "heroes" / "first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("template: scout", "template: scot"), encoding="utf-8")
    run = foundry("check", "--project", str(root))
    assert run.code == 1 and "hint: Did you mean 'scout'? Hero templates live in content/templates/heroes/." in run.stdout + run.stderr, run.stdout


def test_a_writers_slip_has_a_hint_of_its_own_not_a_pointer_to_the_docs(tmp_path):
    """A relationship with oneself (HF0515), a second translation file for one source
    (HF1110) and `history` outside a repository (HF0801) had no hint but the fallback
    "docs/errors.md (HF0515) says what it means" — a file that a user who installed the
    wheel does not have (fuzz30, from the wheel). Each says what to do now."""
    guide = (ROOTS / "minimal/content/characters/old-guide.yaml").read_text(encoding="utf-8")
    root = write_project(tmp_path / "w", {
        "content/characters/old-guide.yaml": guide.replace(
            "  - {with: first-hero, kind: apprentice}\n",
            "  - {with: first-hero, kind: apprentice}\n  - {with: old-guide, kind: rival}\n"),
        "translations/de/content/characters/old-guide.yaml.po": "",
        "translations/de/content/characters/old-guide.yaml.csv": '"id","source","target"\n'})
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    said = {d["code"]: d for d in foundry("check", "--project", str(root), "--format", "json").json()["diagnostics"]}
    assert said["HF0515"]["hint"] == "Remove this relationship, or name the other person under `with:`.", said
    assert "a second translation file" in said["HF1110"]["message"], said
    assert said["HF1110"]["hint"].startswith("Keep one file per source file and language"), said
    history = foundry("history", "old-guide", "--project", str(root))
    assert history.code == 2 and "Run it in a git repository (`git init`" in history.stderr, history.stderr
    assert "docs/errors.md" not in history.stderr + str(said)


def test_every_code_carries_a_hint_of_its_own():
    """Fifty codes (HF0703 a template error, HF0704 two outputs on one path, HF0517…) were
    registered without a hint, so a caller giving none printed "docs/errors.md (HF0703)
    says what it means", which a user who installed the wheel does not have (fuzz30 found
    three; the registry now refuses a code without one). Each code's hint says what to do,
    and is what a diagnostic of it carries when its caller has none."""
    from pipeline.diagnostics import _CODES, Diagnostics, Span
    assert all(info.hint.strip() and "docs/errors.md" not in info.hint for info in _CODES.values())
    found = Diagnostics()
    found.add("HF0703", "theme 'x' not found", Span("foundry.toml", 1))
    assert found.items[0].hint == _CODES["HF0703"].hint
