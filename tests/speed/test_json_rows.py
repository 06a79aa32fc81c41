"""An entity's JSON file is its index row indented: the row is made once per build
(the fragment `row:kind:id`, shared with heroes.json and bundle.json) and read back,
and the file's bytes are those of the contract's file shape dumped from a fresh row."""

from __future__ import annotations

import shutil

import orjson

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build, check
from pipeline.exporters.json_api import contract as c
from pipeline.exporters.json_api.files import dump, kinds, manifest
from support import REPO


def test_entity_files_are_their_contract_shape_and_their_rows(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
                                                              ".foundry-*", "__pycache__", "docs", "pipeline"))
    report = build(root, Diagnostics(), only=["json"])
    assert report.ok
    world = check(root, Diagnostics())
    seen = 0
    for kind, (folder, row, table, shape) in kinds().items():
        listed = {r["id"]: r for r in orjson.loads((root / f"build/api/v1/{folder}.json").read_bytes())[folder]}
        for eid in getattr(world, table):
            expected = dump(shape(schema_version=c.SCHEMA_VERSION, **{kind: row(world, eid)}))
            for copy in ("api/v1", "site/api/v1"):
                assert (root / f"build/{copy}/{folder}/{eid}.json").read_bytes() == expected
            assert dump({"schema_version": c.SCHEMA_VERSION, kind: listed[eid]}) == expected
            seen += 1
    assert seen >= 8   # the sample has heroes, characters, quests and stories
    # the manifest is spliced from the bundle's manifest fragments: the bytes of its model made whole
    for copy in ("api/v1", "site/api/v1"):
        assert (root / f"build/{copy}/manifest.json").read_bytes() == dump(manifest(world))
