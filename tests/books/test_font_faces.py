"""A print theme's own `@font-face` WeasyPrint cannot load is one warning at the rule.

A theme shipping a Japanese face as a Git LFS pointer (checked out without `git lfs
pull`), or naming one with `local("…")` the machine has not, printed the face's text in
other fonts; WeasyPrint said `Font-face 'Mincho' cannot be loaded` while reading the
stylesheet, and every PDF said it again at the stylesheet with no line (four books,
four warnings naming the theme's CSS, not one naming the rule), while `foundry check`
said nothing. Now check and the build say it once, at the rule, with why."""

from __future__ import annotations

from support import REPO, foundry

BASE = REPO / "themes/default/print/css/base.css"
LFS_POINTER = (b"version https://git-lfs.github.com/spec/v1\n"
               b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 4194304\n")


def test_a_face_weasyprint_cannot_load_is_one_warning_at_its_rule_in_check_and_build(project_factory):
    shipped = BASE.read_text(encoding="utf-8")   # its own faces (the shipped fonts) load: nothing said of them
    faces = ('@font-face { font-family: "Mincho"; src: url(../fonts/mincho.otf); }\n'
             '@media print {\n  @font-face { font-family: "Gothic"; src: local("No Such Gothic Foundry"); }\n}\n'
             '@media screen {\n  @font-face { font-family: "Unread"; src: local("No Such Gothic Foundry"); }\n}\n')
    root = project_factory({"themes/default/print/css/base.css": shipped + faces,
                            "themes/default/print/fonts/mincho.otf": LFS_POINTER})
    (root / "content/stories/first-story.md").unlink()   # two books (a sheet and the compendium) say it once
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"pdf", "epub", "ink", "twee"', '"pdf"'),
                      encoding="utf-8")
    first = len(shipped.splitlines()) + 1
    expected = [("themes/default/print/css/base.css", first, 1, "Mincho"),
                ("themes/default/print/css/base.css", first + 2, 3, "Gothic")]
    checked = foundry("check", "--format", "json", "--project", str(root))
    built = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root),
                    env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert built.code == 0, built.stdout[-2000:] + built.stderr[-2000:]
    for run in (checked, built):
        said = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
        assert [(d["file"], d["line"], d["column"], d["message"].split("'")[1]) for d in said] == expected, said
        assert "Git LFS pointer" in said[0]["message"] and "git lfs pull" in said[0]["hint"]
        assert "'No Such Gothic Foundry'" in said[1]["message"] and "url(../fonts/" in said[1]["hint"]
    assert (root / "build/pdf/compendium.pdf").is_file()
