"""A build does not read again the content files its fingerprint already hashed and
whose parse is cached under that hash (load/documents.py read_source): after one
edit, the edited file is the only one read to load the World."""

from __future__ import annotations

import shutil

import pipeline.load.documents as documents_module
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from support import REPO


def test_after_one_edit_only_the_edited_file_is_read_to_load(tmp_path, monkeypatch):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests" / "roots" / "minimal", root)
    assert build(root, Diagnostics(), ["json"], workers=1).ok
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("Scout of the Marsh Road", "Scout of the Fen Road"))
    read: list[str] = []
    real = documents_module.read_text

    def counting(path, rel, diags):
        read.append(rel)
        return real(path, rel, diags)
    monkeypatch.setattr(documents_module, "read_text", counting)
    report = build(root, Diagnostics(), ["json"], workers=1)
    assert report.ok and report.written
    # (the rule files in schemas/ are read by the rule book, which is not a document;
    # the edited file is read twice: first by the cutoff, engine/cutoff.py, which
    # compares its value with the last build's before anything is loaded)
    assert [rel for rel in read if rel.startswith("content/")] == ["content/heroes/first-hero.yaml"] * 2
    # her JSON says what the edit says: the text the build used is the new one
    assert "Scout of the Fen Road" in (root / "build/api/v1/heroes/first-hero.json").read_text()
