"""Sharded builds: three `--shard I/3` runs and a `--merge` give, byte for byte, the
build/ and build state of one unsharded build; shards that do not fit together are
HF073x diagnostics (exit 2), malformed requests usage errors, never a traceback."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.engine.shards import ShardSpec, parse_spec, split
from pipeline.exporters.base import Planned
from pipeline.render.pool import Job
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.engine.shards import Merge, Settings
from support import ROOTS, diagnostics, foundry

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones and the build state included) by path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass(frozen=True)
class Sharded:
    whole: Path            # a project built once, unsharded
    project: Path          # a copy built as three shards and a merge
    shards: list[Path]     # its build-shards/I-of-3/
    reports: list[dict]    # the three shard runs' JSON reports
    merged: dict           # the merge's JSON report
    before_merge: bool     # whether the shards left build/ alone


@pytest.fixture(scope="module")
def sharded(tmp_path_factory) -> Sharded:
    """One unsharded build, and — as CI runners would — three shards, each made in a
    copy of its own, merged in a fourth copy."""
    base = tmp_path_factory.mktemp("shards")
    whole, project = base / "whole", base / "merged"
    runners = [base / f"runner-{i}" for i in (1, 2, 3)]
    for root in (whole, project, *runners):
        shutil.copytree(ROOTS / "minimal", root)   # one story, one hero: PDF and EPUB books

    def run(job):
        root, args = job
        return foundry("build", "--project", str(root), *args, "--format", "json", env=EPOCH)

    jobs = [(whole, [])] + [(root, ["--shard", f"{i}/3"]) for i, root in enumerate(runners, 1)]
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(run, jobs))
    for done in runs:
        assert done.code == 0, done.stdout[-2000:] + done.stderr[-2000:]
    untouched = not any((root / "build").exists() for root in runners)
    shards = [root / "build-shards" / f"{i}-of-3" for i, root in enumerate(runners, 1)]
    done = foundry("build", "--project", str(project), "--merge", *map(str, shards), "--format", "json", env=EPOCH)
    assert done.code == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return Sharded(whole, project, shards, [r.json()["build"] for r in runs[1:]], done.json()["build"], untouched)


def test_shard_and_merge_give_the_bytes_and_state_of_one_build(sharded):
    whole, merged = tree(sharded.whole / "build"), tree(sharded.project / "build")
    assert ".foundry/state.json" in merged and ".foundry/summary.json" in merged
    assert any(p.endswith(".pdf") for p in merged) and any(p.endswith(".epub") for p in merged)
    assert sorted(merged) == sorted(whole)
    assert [p for p in merged if merged[p] != whole[p]] == []


def test_each_artifact_is_rendered_by_exactly_one_shard_and_books_are_spread(sharded):
    parts = [set(r["written"]) for r in sharded.reports]
    assert all(parts), "every shard had work"
    assert sum(len(p) for p in parts) == len(set().union(*parts)), "no artifact rendered twice"
    assert set().union(*parts) == set(sharded.merged["written"])
    books = [{p for p in part if p.endswith((".pdf", ".epub"))} for part in parts]
    assert sum(1 for b in books if b) >= 2, books
    assert sharded.before_merge, "a shard must not write build/"
    for report in sharded.reports:
        assert report["counts"]["stale"] == len(sharded.merged["written"])
    # what a shard wrote is exactly its manifest's artifacts, under files/
    for shard, part in zip(sharded.shards, parts):
        manifest = (shard / "shard.json").read_bytes().partition(b"\n")[2]
        assert set(json.loads(manifest)["artifacts"]) == part
        assert {p.relative_to(shard / "files").as_posix() for p in (shard / "files").rglob("*") if p.is_file()} == part


def _jobs(weights: dict[str, int]) -> list[Job]:
    return [Job(0, Planned(path, None, weight)) for path, weight in weights.items()]


def test_the_split_is_balanced_by_weight_and_does_not_depend_on_order():
    weights = {"pdf/compendium.pdf": 100, "api/v1/bundle.json": 100, **{f"pdf/stories/s{i}.pdf": 20 for i in range(6)},
               **{f"site/heroes/h{i}.html": 1 for i in range(40)}}
    jobs = _jobs(weights)
    parts = split(jobs, 3)
    again = split(list(reversed(jobs)), 3)
    assert [[j.item.path for j in p] for p in parts] == [[j.item.path for j in p] for p in again]
    loads = [sum(j.item.weight for j in part) for part in parts]
    assert max(loads) - min(loads) <= 1, loads
    owner = {j.item.path: i for i, part in enumerate(parts) for j in part}
    assert owner["api/v1/bundle.json"] != owner["pdf/compendium.pdf"]   # the two heaviest, apart
    assert sorted(j.item.path for p in parts for j in p) == sorted(weights)


@pytest.mark.parametrize("spec, expected", [("2/3", ShardSpec(2, 3)), (" 1/1 ", ShardSpec(1, 1))])
def test_a_shard_spec_is_i_of_n(spec, expected):
    assert parse_spec(spec) == expected


@pytest.mark.parametrize("args, words", [
    (["--shard", "4/3"], "I must be 1 to 3"),
    (["--shard", "0/3"], "I must be 1 to 3"),
    (["--shard", "1/0"], "N must be 1"),
    (["--shard", "two/3"], "is not I/N"),
    (["--shard", "1/3/4"], "is not I/N"),
    (["--shard", "1/3", "--merge", "{dir}"], "give one of them"),
    (["--merge"], "needs the shard folders"),
    (["{dir}"], "given with --merge"),
    (["--merge", "{dir}/nowhere"], "does not exist"),
])
def test_a_malformed_shard_request_is_a_usage_error(sharded, args, words):
    # the real command line, in this process (a subprocess per case costs seconds)
    args = [a.format(dir=sharded.shards[0]) for a in args]
    run = CliRunner().invoke(cli, ["build", "--project", str(sharded.project), *args])
    assert run.exit_code == 2, run.output
    assert words in run.output
    assert run.exception is None or isinstance(run.exception, SystemExit)


@pytest.fixture(autouse=True)
def epoch(monkeypatch):
    """In-process merges date books as the shards did (SOURCE_DATE_EPOCH is in their recipe)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])


def merge(project: Path, *folders: Path, only: list[str] | None = None) -> list[str]:
    """Merge in this process (the subprocess test below covers the exit status): the
    codes and places of what the merge reported, after checking it wrote nothing."""
    diags = Diagnostics()
    report = build(project, diags, only, sharding=Merge(list(folders), Settings(False, only), project, diags))
    assert not report.ok
    return [f"{d.code} {d.span}" for d in diags.sorted() if d.code.startswith("HF073")]


@pytest.fixture
def copies(sharded, tmp_path) -> list[Path]:
    """The three shard folders, copied: each test damages its own."""
    out = []
    for shard in sharded.shards:
        shutil.copytree(shard, tmp_path / "shards" / shard.name)
        out.append(tmp_path / "shards" / shard.name)
    return out


def refused(found: list[str], code: str) -> list[str]:
    assert found and all(f.startswith(code) for f in found), found
    return found


@pytest.fixture
def fresh(sharded, tmp_path) -> Path:
    """A copy of the project with no build/: what a CI merge job without a cache has."""
    root = tmp_path / "fresh"
    shutil.copytree(ROOTS / "minimal", root)
    return root


def test_a_missing_shard_is_reported_exit_2_and_nothing_is_written(fresh, copies):
    run = foundry("build", "--project", str(fresh), "--merge", str(copies[0]), str(copies[2]), "--format", "json",
                  env=EPOCH)
    assert run.code == 2, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert diagnostics(run) == ["HF0734 build-shards:0:0"]
    assert "shard 2/3 missing" in run.stdout
    assert not (fresh / "build").exists()


def test_shards_named_by_a_relative_path_outside_the_project_merge(sharded, fresh, copies):
    """`cd checkout && foundry build --merge ../shards/*` (the shards downloaded beside
    the checkout): the merge read each `../shards/I-of-3/shard.json` as leaving the
    shard's own folder (its `..` walked from the folded root) and said HF0730 "is not a
    shard: it leads outside the project" for every shard, though the same folders given
    by their absolute path merged."""
    run = foundry("build", "--merge", *(f"../shards/{c.name}" for c in copies), "--format", "json",
                  cwd=fresh, env=EPOCH)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert tree(fresh / "build") == tree(sharded.whole / "build")


def test_a_shard_given_twice_is_reported(fresh, copies):
    refused(merge(fresh, copies[0], copies[1], copies[1], copies[2]), "HF0734")


def test_a_tampered_shard_file_is_refused(fresh, copies):
    manifest = json.loads((copies[1] / "shard.json").read_bytes().partition(b"\n")[2])
    victim = sorted(manifest["artifacts"])[0]
    path = copies[1] / "files" / victim
    path.write_bytes(path.read_bytes() + b"<!-- injected -->")
    assert refused(merge(fresh, *copies), "HF0736") == [f"HF0736 {copies[1].as_posix()}/files/{victim}"]
    assert not (fresh / "build").exists()


def test_a_shard_file_that_is_a_link_out_is_refused(fresh, copies, tmp_path):
    manifest = json.loads((copies[2] / "shard.json").read_bytes().partition(b"\n")[2])
    victim = sorted(manifest["artifacts"])[-1]
    outside = tmp_path / "outside.bin"
    outside.write_bytes((copies[2] / "files" / victim).read_bytes())   # even the right bytes, through a link
    (copies[2] / "files" / victim).unlink()
    (copies[2] / "files" / victim).symlink_to(outside)
    refused(merge(fresh, *copies), "HF0736")


def test_a_shard_folder_linked_out_is_refused_once_at_the_link(fresh, copies, tmp_path):
    """`files/site -> /elsewhere` in a shard refused every page under it, one HF0736 per
    file (a slip told as many errors, none naming the link): one error, at the link."""
    manifest = json.loads((copies[1] / "shard.json").read_bytes().partition(b"\n")[2])
    under = [path for path in manifest["artifacts"] if path.startswith("site/")]
    assert len(under) > 1
    outside = tmp_path / "outside-site"
    shutil.copytree(copies[1] / "files/site", outside)   # even the right bytes, through a link
    shutil.rmtree(copies[1] / "files/site")
    (copies[1] / "files/site").symlink_to(outside)
    assert refused(merge(fresh, *copies), "HF0736") == [f"HF0736 {copies[1].as_posix()}/files/site"]
    assert not (fresh / "build").exists()


def test_a_shard_folder_in_the_project_that_links_out_is_refused_at_the_link(fresh, copies):
    """CI downloads the shards into build-shards/ and merges `build-shards/*`: a pull
    request's committed `build-shards/2-of-3 -> /elsewhere` was taken as the folder the
    user named, and what lay outside opened and merged (here a whole good shard, so the
    build even succeeded). A folder named in the project is read by the project's rule:
    HF0120 at the link, as `foundry import` says of a source file reached so."""
    (fresh / "build-shards").mkdir()
    (fresh / "build-shards/2-of-3").symlink_to(copies[1])
    diags = Diagnostics()
    report = build(fresh, diags, None, sharding=Merge([copies[0], fresh / "build-shards/2-of-3", copies[2]],
                                                       Settings(False, None), fresh, diags))
    assert not report.ok and not (fresh / "build").exists()
    assert [f"{d.code} {d.span}" for d in diags.errors if d.code == "HF0120"] == ["HF0120 build-shards/2-of-3"]


def test_a_tampered_manifest_is_not_trusted(fresh, copies):
    blob = (copies[0] / "shard.json").read_bytes()
    (copies[0] / "shard.json").write_bytes(blob.replace(b'"shard":[1,3]', b'"shard":[2,3]'))
    assert refused(merge(fresh, *copies), "HF0731") == [f"HF0731 {copies[0].as_posix()}/shard.json"]


def test_shards_sealed_with_another_key_are_not_trusted(fresh, copies, monkeypatch):
    monkeypatch.setenv("FOUNDRY_SEAL_KEY", "ab" * 32)   # the merging machine's key is not the shards'
    assert len(refused(merge(fresh, *copies), "HF0731")) == 3


def test_a_folder_that_is_not_a_shard_is_reported(fresh, copies, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (copies[0] / "shard.json").write_bytes(b"not json")
    found = merge(fresh, empty, *copies)
    assert f"HF0730 {empty.as_posix()}/shard.json" in found
    assert f"HF0731 {copies[0].as_posix()}/shard.json" in found   # a damaged manifest does not verify


def test_shards_of_other_content_are_refused(copies, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(ROOTS / "minimal", other)
    hero = next((other / "content/heroes").glob("*.yaml"))
    hero.write_text(hero.read_text(encoding="utf-8") + "\n# a comment changes the file\n", encoding="utf-8")
    assert len(refused(merge(other, *copies), "HF0732")) == 3


def test_a_merge_at_another_source_date_names_it_not_another_commit(fresh, copies, monkeypatch):
    """The same commit merged without the shards' SOURCE_DATE_EPOCH (a merge job that
    forgot the export) was told "made from other content" and to "build every shard and
    the merge from the same commit", which it had: now the two dates and the export."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    diags = Diagnostics()
    build(fresh, diags, None, sharding=Merge(copies, Settings(False, None), fresh, diags))
    found = [d for d in diags.sorted() if d.code == "HF0732"]
    assert len(found) == 3, [f"{d.code} {d.message}" for d in diags.sorted()]
    assert all(f"SOURCE_DATE_EPOCH={EPOCH['SOURCE_DATE_EPOCH']}, this merge with SOURCE_DATE_EPOCH unset"
               in d.message for d in found)
    assert all("git log -1 --format=%ct" in d.hint for d in found)
    assert not (fresh / "build").exists()


def test_shards_made_with_other_options_are_refused(fresh, copies):
    assert len(refused(merge(fresh, *copies, only=["json", "html"]), "HF0733")) == 3


def test_shards_from_another_build_cache_are_refused_and_build_stays(sharded, copies):
    before = tree(sharded.whole / "build")
    refused(merge(sharded.whole, *copies), "HF0735")   # its build/ is complete: nothing is stale there
    assert tree(sharded.whole / "build") == before


def test_a_shard_named_through_a_link_and_dotdot_is_the_folder_the_os_names(fresh, copies):
    """`--merge build-shards/link/../2-of-3`, a pull request's `build-shards/link ->
    sub/deep` (inside) and `build-shards/2-of-3 -> /elsewhere` (out): the path as the OS
    reads it (build-shards/sub/2-of-3, inside, empty) was judged, but the shard was read from
    the lexically folded build-shards/2-of-3, through the link out, and what lay outside
    merged. The folder read is the one judged: here none is there (HF0730)."""
    (fresh / "build-shards/sub/deep").mkdir(parents=True)
    (fresh / "build-shards/sub/2-of-3").mkdir()   # what the OS names: no shard in it
    (fresh / "build-shards/link").symlink_to("sub/deep")
    (fresh / "build-shards/2-of-3").symlink_to(copies[1])
    run = foundry("build", "--merge", str(copies[0]), "build-shards/link/../2-of-3", str(copies[2]),
                  "--format", "json", cwd=fresh, env=EPOCH)
    assert run.code == 2, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert diagnostics(run) == ["HF0730 build-shards/link/../2-of-3/shard.json:0:0"], run.stdout[-3000:] + run.stderr[-3000:]
    assert not (fresh / "build").exists()


def test_a_linked_out_folder_of_a_shard_named_through_dotdot_is_named_once(fresh, copies, tmp_path, monkeypatch):
    """A shard named `build-shards/link/../2-of-3` (the OS reads build-shards/sub/2-of-3)
    whose `files/site` links out: the link was looked for under the text-folded
    build-shards/2-of-3 (nothing there), so every page under it was its own HF0736
    instead of one at the link, as for a shard named plainly."""
    (fresh / "build-shards/sub/deep").mkdir(parents=True)
    (fresh / "build-shards/link").symlink_to("sub/deep")
    shard = fresh / "build-shards/sub/2-of-3"
    shutil.copytree(copies[1], shard)
    shutil.copytree(shard / "files/site", tmp_path / "outside-site")
    shutil.rmtree(shard / "files/site")
    (shard / "files/site").symlink_to(tmp_path / "outside-site")
    monkeypatch.chdir(fresh)
    assert refused(merge(fresh, copies[0], Path("build-shards/link/../2-of-3"), copies[2]), "HF0736") == \
        ["HF0736 build-shards/link/../2-of-3/files/site"]
