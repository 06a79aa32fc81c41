"""The JSON game data (build/api/v1/) as an engine sees it: every file validates against
the schema published beside it, shapes are engine-friendly, and builds are
deterministic and atomic."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import datetime, timezone

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from pipeline.exporters.json_api.contract import SCHEMA_VERSION

from .conftest import EPOCH
from .helpers import invoke, snapshot

SINGULAR = {"heroes": "hero", "characters": "character", "quests": "quest", "stories": "story"}


def api(root):
    return root / "build" / "api" / "v1"


def data_files(root):
    """Every data file (not schema) under api/v1, as rel path → parsed JSON."""
    base = api(root)
    return {p.relative_to(base).as_posix(): json.loads(p.read_text()) for p in sorted(base.rglob("*.json"))
            if p.relative_to(base).parts[0] != "schema"}


def schema_name(rel: str) -> str:
    parts = rel.split("/")
    if parts[0] == "strings":   # strings/<lang>.json: one table per language (docs/localization.md)
        return "strings.schema.json"
    return f"{SINGULAR[parts[0]]}.schema.json" if len(parts) == 2 else rel.replace(".json", ".schema.json")


@pytest.fixture(scope="module")
def schemas(json_build):
    return {p.name: json.loads(p.read_text()) for p in sorted((api(json_build) / "schema").glob("*.json"))}


def walk(node, path=""):
    """(path, node) for every dict in a JSON document."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}/{i}")


def test_schemas_are_2020_12_self_contained_with_portable_ids(schemas):
    """Relative `$id`s (the file's own name: it resolves against wherever a user hosts the
    schemas), every `$ref` inside the file, and the contract's version in each description."""
    assert {"manifest.schema.json", "bundle.schema.json", "hero.schema.json", "heroes.schema.json",
            "story.schema.json", "expr.schema.json", "rules.schema.json"} <= set(schemas)
    for name, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == name
        assert f" {SCHEMA_VERSION}: " in schema["description"]
        Draft202012Validator.check_schema(schema)
        refs = {node["$ref"] for _, node in walk(schema) if "$ref" in node}
        assert refs and all(ref.startswith("#/$defs/") and ref[len("#/$defs/"):] in schema["$defs"] for ref in refs)
        assert "://" not in json.dumps({k: v for k, v in schema.items() if k != "$schema"}), name


def test_every_file_validates_against_its_schema(json_build, schemas):
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
    files = data_files(json_build)
    used = set()
    for rel, data in files.items():
        name = schema_name(rel)
        used.add(name)
        validator = Draft202012Validator(schemas[name], registry=registry)
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], rel
        assert re.fullmatch(r"\d+\.\d+\.\d+", data["schema_version"]) and data["schema_version"] == SCHEMA_VERSION
    assert used == set(schemas) - {"expr.schema.json"}  # every file shape is exercised
    # The expression schema is reached through $ref: a story's conditions are checked by it.
    story = next(d for r, d in files.items() if r.startswith("stories/"))
    bad = json.loads(json.dumps(story))
    choice = next(c for s in bad["story"]["scenes"] for c in s["choices"] if c["condition"])
    choice["condition"]["ast"] = {"type": "eval", "code": "__import__('os')"}
    assert list(Draft202012Validator(schemas["story.schema.json"], registry=registry).iter_errors(bad))


def test_no_top_level_arrays_and_integers_stay_integers(json_build):
    files = data_files(json_build)
    assert all(isinstance(data, dict) for data in files.values())
    aria = files["heroes/aria.json"]["hero"]
    assert aria["attributes"][0] == {"id": "strength", "value": 10}
    assert all(type(a["value"]) is int for a in aria["attributes"])
    assert type(aria["xp"]) is int and type(aria["level"]) is int
    assert aria["status"] == "published"


def test_no_dynamic_keys_anywhere(json_build, schemas):
    declared = set()
    for schema in schemas.values():
        for path, node in walk(schema):
            assert "patternProperties" not in node, path
            assert node.get("additionalProperties", False) is False, path
            if "properties" in node and not path.endswith("/properties"):
                assert node.get("additionalProperties") is False, path
                declared |= set(node["properties"])
    files = data_files(json_build)
    bundle = files["bundle.json"]
    rules = bundle["rules"]
    ids = {row["id"] for table in ("heroes", "characters", "quests", "stories") for row in bundle[table]}
    ids |= {a["id"] for a in rules["attributes"]} | {s["id"] for s in rules["skills"]}
    ids |= {d["id"] for d in rules["derived"]}
    for rel, data in files.items():
        for path, node in walk(data):
            assert set(node) <= declared, (rel, path, set(node) - declared)
            assert not set(node) & ids, (rel, path)


def test_indexes_entity_files_and_bundle_agree(json_build):
    files = data_files(json_build)
    bundle = files["bundle.json"]
    for folder, kind in SINGULAR.items():
        index = files[f"{folder}.json"][folder]
        assert [row["id"] for row in index] == sorted(row["id"] for row in index)
        assert bundle[folder] == index
        for row in index:
            assert files[f"{folder}/{row['id']}.json"][kind] == row
    assert bundle["manifest"] == files["manifest.json"]
    assert bundle["rules"] == files["rules.json"]["rules"]
    assert len(bundle["heroes"]) >= 6 and len(bundle["stories"]) >= 3 and len(bundle["quests"]) >= 4


def test_manifest_rows_match_the_files(json_build):
    manifest = json.loads((api(json_build) / "manifest.json").read_text())
    assert manifest["generator"] == "hero-foundry"
    assert manifest["content_version"] == "unversioned"  # the copy is not a git repository
    assert manifest["title"] == "The Drowned Coast"
    rows = manifest["entities"]
    assert [(r["kind"], r["id"]) for r in rows] == sorted((r["kind"], r["id"]) for r in rows)
    for row in rows:
        source = json_build / row["source"]
        assert row["content_hash"] == "sha256:" + hashlib.sha256(source.read_bytes()).hexdigest()
        output = json.loads((api(json_build) / row["output"]).read_text())
        assert output[row["kind"]]["id"] == row["id"]
    listed = {r["output"] for r in rows}
    on_disk = {rel for rel in data_files(json_build) if "/" in rel and not rel.startswith("strings/")}
    assert listed == on_disk


def test_two_builds_are_byte_identical(json_builds):
    first, second = (snapshot(root / "build") for root in json_builds)
    assert len(first) > 40
    assert first == second


def test_source_date_epoch_is_honoured_and_no_clock_time_leaks(json_build):
    now = datetime.now(timezone.utc)
    today = {now.strftime("%Y-%m-%d"), now.strftime("%d %b %Y")}
    timestamp = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
    files = [p for p in (json_build / "build").rglob("*") if p.is_file()]
    for path in files:
        assert int(path.stat().st_mtime) == int(EPOCH), path
        if path.suffix == ".json":
            text = path.read_text()
            assert not any(stamp in text for stamp in today), path
            assert not timestamp.search(text), path


def test_a_failing_build_leaves_the_previous_build_untouched(json_build, tmp_path):
    root = tmp_path / "world"

    shutil.copytree(json_build, root)
    before = snapshot(root / "build")
    hero = root / "content" / "heroes" / "aria.yaml"
    hero.write_text(hero.read_text().replace("strength: 10", "strength: 30"))
    result = invoke("build", "--project", str(root), "--only", "json")
    assert result.exit_code == 1
    assert "HF0404" in result.stderr
    assert snapshot(root / "build") == before
    assert not list(root.glob(".foundry-staging*"))
