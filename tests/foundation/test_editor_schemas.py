"""Editor schemas (schemas/json/): written by `foundry schemas`, understood by draft-07
consumers (the YAML language server) as well as 2020-12 ones, and strict enough to
catch an out-of-range attribute or an unknown skill while the writer types."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys

import pytest
from jsonschema import Draft7Validator, Draft202012Validator

from pipeline.diagnostics import Diagnostics
from pipeline.commands.editor_schemas import EDITOR_SCHEMAS, SCHEMA_DIR, vscode_settings
from pipeline.load.documents import load_document
from pipeline.load.files import discover
from support import REPO

from .helpers import copy_root, invoke

VALIDATORS = (Draft7Validator, Draft202012Validator)
SCHEMA_FOR_KIND = {"hero": "hero", "character": "character", "quest": "quest", "template": "hero-template",
                   "story": "story-front-matter"}


def load_schema(root, name):
    return json.loads((root / SCHEMA_DIR / f"{name}.schema.json").read_text())


def documents(root):
    """Every content document of a project as data (YAML files and story front matter)."""
    diags = Diagnostics()
    docs = [load_document(found, diags) for found in discover(root, diags)]
    assert not diags.errors, diags.errors
    return docs


def test_schemas_command_writes_them_and_check_notices_when_stale(tmp_path):
    root = copy_root("minimal", tmp_path)
    shutil.rmtree(root / SCHEMA_DIR)
    assert invoke("schemas", "--check", "--project", str(root)).exit_code == 1
    result = invoke("schemas", "--project", str(root))
    assert result.exit_code == 0
    written = sorted(p.name for p in (root / SCHEMA_DIR).iterdir())
    assert written == sorted(f"{n}.schema.json" for n in EDITOR_SCHEMAS)
    assert invoke("schemas", "--check", "--project", str(root)).exit_code == 0

    rules = root / "schemas" / "attributes.yaml"
    rules.write_text(rules.read_text().replace("strength:     {name: Strength, min: 1, max: 20",
                                               "strength:     {name: Strength, min: 1, max: 18"))
    stale = invoke("schemas", "--check", "--project", str(root))
    assert stale.exit_code == 1
    assert "schemas/json/hero.schema.json: error HF0415 out of date" in stale.stderr
    assert stale.stderr.rstrip().endswith("3 errors, 0 warnings.")   # every editor schema reads the attributes
    assert invoke("schemas", "--project", str(root)).exit_code == 0
    strength = load_schema(root, "hero")["properties"]["attributes"]["properties"]["strength"]
    assert strength["maximum"] == 18



def test_a_huge_file_in_a_schemas_place_is_stale_not_read_whole(tmp_path):
    """A pull request's 1.5 GB (sparse) file named schemas/json/hero.schema.json: the
    workflow's `foundry schemas --check` read it whole and died of MemoryError (an
    internal error, exit 2, on the pull request that made it). No more is read of a
    schema than it can be (twice its size, each LF a CR LF): HF0415 at the file, and
    `foundry schemas`, which read what it replaces whole (for its form), replaces it."""
    root = copy_root("minimal", tmp_path)
    huge = root / SCHEMA_DIR / "hero.schema.json"
    with open(huge, "r+b") as out:
        out.truncate(1536 << 20)

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    run = subprocess.run([sys.executable, "-m", "pipeline", "schemas", "--check", "--project", str(root),
                          "--format", "json"], cwd=REPO, capture_output=True, text=True, timeout=600,
                         preexec_fn=cap, env={**os.environ, "NO_COLOR": "1"})
    assert "internal error" not in run.stderr and "MemoryError" not in run.stderr, run.stderr
    found = [f"{d['code']} {d['file']}" for d in json.loads(run.stdout)["diagnostics"]]
    assert run.returncode == 1 and found == [f"HF0415 {SCHEMA_DIR}/hero.schema.json"], run.stdout
    run = subprocess.run([sys.executable, "-m", "pipeline", "schemas", "--project", str(root)], cwd=REPO,
                         capture_output=True, text=True, timeout=600, preexec_fn=cap, env={**os.environ, "NO_COLOR": "1"})
    assert run.returncode == 0 and f"Wrote {SCHEMA_DIR}/hero.schema.json" in run.stderr, run.stderr
    assert load_schema(root, "hero")["type"] == "object"

def test_the_sample_worlds_schemas_are_committed_and_current():
    assert invoke("schemas", "--check", "--project", str(REPO)).exit_code == 0
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text())
    assert settings == vscode_settings()
    for schema_path, glob in settings["yaml.schemas"].items():
        assert (REPO / schema_path).is_file()
        assert list(REPO.glob(glob)), glob


@pytest.mark.parametrize("name", sorted(EDITOR_SCHEMAS))
def test_schemas_are_valid_for_both_drafts(name):
    schema = load_schema(REPO, name)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    for validator in VALIDATORS:
        validator.check_schema(schema)


def test_the_sample_worlds_files_validate_against_them():
    docs = documents(REPO)
    assert {d.kind for d in docs} == set(SCHEMA_FOR_KIND)
    schemas = {n: load_schema(REPO, n) for n in EDITOR_SCHEMAS}
    for doc in docs:
        for validator in VALIDATORS:
            errors = [e.message for e in validator(schemas[SCHEMA_FOR_KIND[doc.kind]]).iter_errors(doc.data)]
            assert errors == [], (doc.path, validator.__name__)


@pytest.mark.parametrize("change,expected", [
    ({"attributes": {"strength": 25}}, "25 is greater than the maximum of 20"),
    ({"attributes": {"strenght": 12}}, "'strenght' was unexpected"),
    ({"skills": ["tide-reading", "trackng"]}, "'trackng' is not one of"),
    ({"status": "finished"}, "'finished' is not one of"),
    ({"xp": "480"}, "'480' is not of type 'integer'"),
    ({"nickname": "Ari"}, "'nickname' was unexpected"),
    ({"relationships": [{"with": "tomas", "kind": "teacher"}]}, "'teacher' is not one of"),
])
def test_a_bad_hero_fails_against_the_schema_too(change, expected):
    schema = load_schema(REPO, "hero")
    hero = next(d for d in documents(REPO) if d.kind == "hero" and d.id == "aria").data
    for validator in VALIDATORS:
        assert list(validator(schema).iter_errors(hero)) == []
        messages = [e.message for e in validator(schema).iter_errors({**hero, **change})]
        assert any(expected in m for m in messages), (validator.__name__, messages)
