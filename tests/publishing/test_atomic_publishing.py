"""Publishing build/ is one atomic, locked step: readers never see it missing, a
killed or interrupted build leaves the previous output whole, two builds never run
at once, and a full disk is a clear tool error. Delays below only vary when a signal
arrives; no assertion depends on timing."""

from __future__ import annotations

import fcntl
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import seal
from pipeline.write import staging as writer
from pipeline.write.state import STATE_FILE
from support import REPO, diagnostics, foundry, require_tool, write_project

ENV = {**os.environ, "NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1700000000"}
ONLY = ("--only", "json,html")


def _popen(root: Path, *args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--project", str(root), *ONLY, "-q", *args],
                            cwd=REPO, env={**ENV, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)


def _tree(build: Path) -> dict[str, bytes]:
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("*")) if p.is_file()}


def _retitle(root: Path, title: str) -> None:
    """An edit every page shows (the site title), so a rebuild rewrites all of them."""
    config = root / "foundry.toml"
    lines = [f'title = "{title}"' if line.startswith("title =") else line for line in config.read_text().splitlines()]
    config.write_text("\n".join(lines) + "\n")


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".foundry-staging", ".foundry-old",
                                                                        ".foundry-link-")))


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """The minimal project built once for the module, and its build/ (path -> bytes)."""
    root = write_project(tmp_path_factory.mktemp("built") / "proj")
    run = foundry("build", "--project", str(root), *ONLY, "-q", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stderr
    return root, _tree(root / "build")


@pytest.fixture
def built(built_once, tmp_path):
    """A copy of the built project for a test to rebuild, kill, lock or break: a copy
    costs less than a build. Links are copied as links (a build's own is one without
    renameat2); each test's first build sees new inodes and so rewrites what it must."""
    source, before = built_once
    root = tmp_path / "proj"
    shutil.copytree(source, root, symlinks=True)
    return root, before


# Every call that can change a path (and every open for writing), so that a trace of a
# rebuild shows each step that touched build/ or the tree it names. --seccomp-bpf: only
# these calls stop the traced build (a rebuild of the minimal project costs ~0.1 CPU-s more).
TRACED = "rename,renameat,renameat2,unlink,unlinkat,rmdir,mkdir,mkdirat,symlink,symlinkat,link,linkat,open,openat,creat,truncate"
_CALL = re.compile(r"^(\d+) +(\w+)\((.*)\) += (-?\d+)")
# a path argument: a string, after the folder it is relative to when the call takes one
# (-y writes a descriptor as `5</its/path>`, AT_FDCWD as `AT_FDCWD</the/cwd>`)
_PATH = re.compile(r'(?:(?:\d+|AT_FDCWD)<([^>]*)>, )?"((?:[^"\\]|\\.)*)"')
_WRITING = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC")


def _traced_rebuild(root: Path, tmp_path: Path) -> list[tuple[str, list[str], str]]:
    """Rebuild `root` (the real CLI) under strace; each successful call it (or a child)
    made that changes a path or opens one for writing, in order: (call, the absolute
    paths it changes, its arguments as strace wrote them). A read-only open is left out."""
    require_tool(shutil.which("strace") is not None, "strace")
    trace = tmp_path / "trace"
    run = subprocess.run(["strace", "-f", "-qq", "--seccomp-bpf", "-y", "-s", "4096", "-e", "signal=none",
                          "-e", f"trace={TRACED}", "-o", str(trace), sys.executable, "-m", "pipeline", "build",
                          "--project", str(root), *ONLY, "-q"], cwd=REPO, env=ENV, capture_output=True, text=True,
                         timeout=600)
    if run.returncode != 0 and "strace:" in run.stderr and "ptrace" in run.stderr.lower():
        # a container that forbids ptrace: a missing privilege, as a missing tool is
        require_tool(False, f"strace allowed to trace here ({run.stderr.strip()[-200:]})")
    assert run.returncode == 0, run.stderr
    calls, pending = [], {}
    for line in trace.read_text().splitlines():
        pid, _, rest = line.partition(" ")
        rest = rest.lstrip()
        if rest.endswith("<unfinished ...>"):   # another process's call came between
            pending[pid] = rest[:-len("<unfinished ...>")].rstrip()
            continue
        if rest.startswith("<... "):
            rest = pending.pop(pid) + rest.split("resumed>", 1)[1]
        found = _CALL.match(f"{pid} {rest}")
        assert found or rest.startswith(("+++", "---")), line
        if not found or found[4].startswith("-"):
            continue
        name, args = found[2], found[3]
        if name in ("open", "openat") and not any(flag in args for flag in _WRITING):
            continue
        paths = [os.path.normpath(os.path.join(folder or str(REPO), path)) for folder, path in _PATH.findall(args)]
        if name in ("symlink", "symlinkat", "link", "linkat"):
            # the first string is what a symlink will say, or the file a hard link shares
            # (only read): not a path the call changes
            paths = paths[1:]
        calls.append((name, paths, args))
    return calls


def _within(path: str, tree: Path) -> bool:
    return path == str(tree) or path.startswith(f"{tree}{os.sep}")


def test_a_rebuild_exchanges_build_in_one_step_and_never_touches_it_otherwise(built, tmp_path):
    """What a reader polling build/ relies on: the one call of a rebuild that changes
    build/ (or anything in it) is the exchange (renameat2 RENAME_EXCHANGE) of the
    complete staged tree with it; never a rename of build/ away (a moment with no
    build/), an unlink or rmdir in it, or a file written into it (a half-made page).
    Seen in the calls themselves, not by a reader racing the build to catch it."""
    root, _ = built
    build = root / "build"
    _retitle(root, "Exchanged In")
    calls = _traced_rebuild(root, tmp_path)
    touching = [(name, args) for name, paths, args in calls if any(_within(path, build) for path in paths)]
    assert [name for name, _ in touching] == ["renameat2"], touching
    assert touching[0][1].endswith(f'"{build}", RENAME_EXCHANGE'), touching
    assert b"Exchanged In" in (build / "site/index.html").read_bytes()
    assert _leftovers(root) == []


def test_where_build_is_foundrys_link_a_rebuild_renames_a_new_link_over_it(built, tmp_path):
    """Where folders cannot be exchanged build/ is foundry's link to
    `.foundry-builds/<id>`: a rebuild writes a new tree there, makes a new link to it
    and renames that link over build/ (one atomic rename). Nothing else touches build/
    or the tree it named until that rename; the tree it names after is left alone."""
    root, _ = built
    build, versions = root / "build", root / writer.VERSIONS
    versions.mkdir(exist_ok=True)
    os.rename(build, versions / "earlier")   # what a build with no exchange leaves
    os.symlink(f"{writer.VERSIONS}/earlier", build)
    _retitle(root, "Linked In")
    calls = _traced_rebuild(root, tmp_path)
    assert build.is_symlink()
    current = root / os.readlink(build)
    live = [i for i, (_, paths, _) in enumerate(calls)
            if any(_within(path, build) or _within(path, versions / "earlier") for path in paths)]
    assert live, calls
    name, paths, _ = calls[live[0]]
    link = paths[0]
    assert (name, paths[1:]) == ("rename", [str(build)]), calls[live[0]]
    # the link renamed over build/ was made by this build, naming the new tree
    assert ("symlink", [link], f'"{os.readlink(build)}", "{link}"') in calls[:live[0]]
    assert [calls[i] for i in live[1:] if any(_within(path, build) for path in calls[i][1])] == []
    # the new tree was whole before the switch: nothing is written or removed in it after
    assert [call for call in calls[live[0]:] if any(_within(path, current) for path in call[1])] == []
    assert b"Linked In" in (build / "site/index.html").read_bytes()
    assert not (versions / "earlier").exists()
    assert _leftovers(root) == []


def test_a_second_build_waits_for_the_first(built):
    root, _ = built
    _retitle(root, "Concurrent")
    first, second = _popen(root), _popen(root)
    results = [p.communicate(timeout=600) + (p.returncode,) for p in (first, second)]
    for out, err, code in results:
        assert code == 0, err
        assert "internal error" not in err and "Traceback" not in err
    tree = _tree(root / "build")
    assert b"Concurrent" in tree["site/index.html"]
    assert _leftovers(root) == []


def test_a_build_that_cannot_get_the_lock_says_so(built):
    root, before = built
    _retitle(root, "Blocked")
    with open(root / ".foundry-cache/build.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run = foundry("build", "--project", str(root), *ONLY, "--format", "json", env={"FOUNDRY_LOCK_WAIT": "0"})
    assert run.code == 2, run.stderr
    assert diagnostics(run) == ["HF0713 .foundry-cache/build.lock:0:0"]
    assert "another build" in run.json()["diagnostics"][0]["message"]
    assert _tree(root / "build") == before


@pytest.mark.parametrize("kind", ["symlink", "fifo", "folder"])
def test_a_lock_file_committed_as_a_link_or_not_a_file_is_not_followed_and_still_builds(built, tmp_path, kind):
    """A pull request may commit the lock file as a link (or a fifo, or a folder): it is
    never opened through the link, the pull request's own build still runs (it used to
    stop with HF0713, exit 2), and two builds still exclude each other (on the project
    folder, as with a linked `.foundry-cache`)."""
    root, before = built
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    lock = root / ".foundry-cache/build.lock"
    lock.unlink()
    {"symlink": lambda: os.symlink(outside, lock), "fifo": lambda: os.mkfifo(lock), "folder": lock.mkdir}[kind]()
    _retitle(root, f"Odd Lock {kind}")
    run = foundry("build", "--project", str(root), *ONLY, "--format", "json")
    assert run.code == 0, run.stderr
    assert f"Odd Lock {kind}".encode() in (root / "build/site/index.html").read_bytes()
    assert outside.read_text() == "keep me"
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _retitle(root, "Blocked By The Other")
        run = foundry("build", "--project", str(root), *ONLY, "--format", "json", env={"FOUNDRY_LOCK_WAIT": "0"})
    finally:
        os.close(fd)
    assert run.code == 2 and diagnostics(run) == ["HF0713 .foundry-cache/build.lock:0:0"]
    assert outside.read_text() == "keep me"
    if lock.is_dir() and not lock.is_symlink():
        lock.rmdir()
    else:
        lock.unlink()


def test_a_cache_folder_committed_as_a_link_still_builds_and_still_locks(built, tmp_path):
    """The caches ignore a `.foundry-cache` that is a link (test_untrusted_state.py); the
    lock must not turn it into a failed build, nor lose mutual exclusion."""
    root, before = built
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(root / ".foundry-cache")
    os.symlink(elsewhere, root / ".foundry-cache")
    _retitle(root, "Linked Cache")
    run = foundry("build", "--project", str(root), *ONLY, "--format", "json")
    assert run.code == 0, run.stderr
    assert b"Linked Cache" in (root / "build/site/index.html").read_bytes()
    assert list(elsewhere.iterdir()) == []
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)   # what a running build holds in this case
        _retitle(root, "Blocked Again")
        run = foundry("build", "--project", str(root), *ONLY, "--format", "json", env={"FOUNDRY_LOCK_WAIT": "0"})
    finally:
        os.close(fd)
    assert run.code == 2 and diagnostics(run) == ["HF0713 .foundry-cache/build.lock:0:0"]
    assert b"Linked Cache" in (root / "build/site/index.html").read_bytes()
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("delay", [0.0, 0.6, 1.2, 2.4])   # before, while and after rendering
def test_a_killed_build_leaves_a_whole_build_and_the_next_recovers(built, delay):
    root, before = built
    _retitle(root, "After The Kill")
    proc = _popen(root)
    time.sleep(delay)
    proc.kill()
    proc.communicate(timeout=60)
    tree = _tree(root / "build")
    assert set(tree) == set(before)            # the old tree or the new one, whole
    assert tree["site/index.html"].rstrip().endswith(b"</html>")
    run = foundry("build", "--project", str(root), *ONLY, "-q")
    assert run.code == 0, run.stderr
    assert b"After The Kill" in (root / "build/site/index.html").read_bytes()
    assert set(_tree(root / "build")) == set(before)
    # the spare (the tree build/ replaced, the next staging folder: write/staging.py) is no leftover
    assert _leftovers(root) == [] and [p.name for p in root.glob(".foundry-builds/*")] in ([], [writer.SPARE])


@pytest.mark.parametrize("delay", [0.05, 0.5, 1.5, 2.5])   # start-up, load, render, write
def test_ctrl_c_at_any_moment_is_one_line_and_exit_130(built, delay):
    root, before = built
    _retitle(root, "Interrupted Title")
    proc = _popen(root)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    if proc.returncode == 130:
        assert err == "Interrupted.\n", err
    elif proc.returncode != 0:
        # The interpreter's own start-up (site, .pth files) ran before any foundry code
        # could: nothing of ours may appear in what it printed.
        assert f'File "{REPO / "pipeline"}' not in err, err
    tree = _tree(root / "build")
    assert set(tree) == set(before)
    assert _leftovers(root) == []


def test_a_full_disk_is_a_tool_error_and_build_stays(built):
    root, before = built
    _retitle(root, "Too Big To Write")

    def small_files():   # a file-size limit: writing past it fails with EFBIG, as a full disk fails
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", "--project", str(root), *ONLY,
                           "--format", "json"], cwd=REPO, capture_output=True, text=True, timeout=600,
                          # no .pyc under the limit: one cut at 2 KiB is renamed into __pycache__ as if
                          # whole, and every later run of the checkout dies importing it (EOFError)
                          env={**ENV, "PYTHONDONTWRITEBYTECODE": "1"}, preexec_fn=small_files)
    assert proc.returncode == 2, proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    import json
    found = json.loads(proc.stdout)["diagnostics"]
    assert [d["code"] for d in found] == ["HF0714"]
    assert "cannot write build/" in found[0]["message"] and "File too large" in found[0]["message"]
    assert _tree(root / "build") == before
    assert _leftovers(root) == []


def test_without_rename_exchange_build_becomes_a_flipped_link(tmp_path, monkeypatch):
    """Where renameat2 is missing, build/ is a symlink switched by one rename."""
    monkeypatch.setattr(writer, "exchange", lambda a, b: False)
    root = tmp_path / "proj"
    (root / "build/site").mkdir(parents=True)
    (root / "build/site/index.html").write_text("old")
    for text in ("new", "newer"):
        staging = writer.Staging(root, root / "build")
        staging.write("site/index.html", text.encode())
        staging.commit()
        assert (root / "build").is_symlink()
        assert (root / "build/site/index.html").read_text() == text
        assert len(list((root / writer.VERSIONS).iterdir())) == 1
    # a crash between moving a real build/ aside and linking: the old build comes back
    os.unlink(root / "build")
    (root / writer.OLD / "site").mkdir(parents=True)
    (root / writer.OLD / "site/index.html").write_text("rescued")
    # …only when it is a build this machine wrote (its state sealed with our key): a
    # `.foundry-old/` a pull request commits is deleted, never made build/
    writer.recover(root, root / "build")
    assert not os.path.lexists(root / "build") and not (root / writer.OLD).exists()
    (root / writer.OLD / ".foundry").mkdir(parents=True)
    (root / writer.OLD / "site").mkdir(parents=True)
    (root / writer.OLD / "site/index.html").write_text("rescued")
    (root / writer.OLD / STATE_FILE).write_bytes(seal.seal(seal.key(root), STATE_FILE, b"{}\n"))
    writer.recover(root, root / "build")
    assert (root / "build/site/index.html").read_text() == "rescued"
    assert not (root / writer.OLD).exists()


def test_where_build_is_foundrys_link_an_only_build_carries_the_other_outputs_over(tmp_path):
    """Where build/ is foundry's own link (`build -> .foundry-builds/<id>`: a system with
    no rename exchange, or one build there), `--only json` after `--only html` said each
    page "is not what foundry wrote" (HF0121) and left the whole site out, every build:
    whether a kept output was reached through no link was asked of build/<path>, whose
    first step, build itself, is that link. The tree it names is build/'s."""
    root = write_project(tmp_path / "proj")
    assert foundry("build", "--project", str(root), "--only", "html", "-q").code == 0
    (root / writer.VERSIONS).mkdir(exist_ok=True)
    os.rename(root / "build", root / writer.VERSIONS / "earlier")   # what a build without exchange leaves
    os.symlink(f"{writer.VERSIONS}/earlier", root / "build")
    pages = {rel: data for rel, data in _tree(root / "build").items() if rel.startswith("site/")}
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and [d["code"] for d in run.json()["diagnostics"]] == [], run.stdout
    assert (root / "build").is_symlink()
    tree = _tree(root / "build")
    assert {rel: tree.get(rel) for rel in pages} == pages   # the json output adds site/api/ beside them
    assert any(rel.startswith("api/") for rel in tree)


@pytest.mark.parametrize("delay", [1.5, 4.0])
def test_ctrl_c_in_a_terminal_reaches_the_workers_too_and_stays_one_line(built, delay):
    """A terminal sends Ctrl-C to the whole process group: the render workers (books
    render in a pool) must not print tracebacks of their own."""
    root, before = built
    _retitle(root, "Pool Interrupted")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--project", str(root), "--only",
                             "json,html,pdf,epub", "-j", "2", "-q"], cwd=REPO, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    if proc.returncode == 130:
        assert err == "Interrupted.\n", err
    elif proc.returncode != 0:   # the interpreter's own start-up, before any foundry code ran
        assert f'File "{REPO / "pipeline"}' not in err, err
    tree = _tree(root / "build")
    assert tree == before or (tree.keys() >= before.keys() and b"Pool Interrupted" in tree["site/index.html"])
    assert _leftovers(root) == []


def _unwritable(path: Path) -> bool:
    """Make `path` a file this process may not open for writing (as another user's lock
    file is to a build): immutable for root (EPERM), read-only otherwise (EACCES)."""
    if os.geteuid() == 0:
        return subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    path.chmod(0o444)
    return True


def test_a_lock_file_not_ours_to_write_still_excludes_the_build_that_holds_it(built):
    """The lock file made by another user (a build run as root in a container, then one
    run by the writer): the build that cannot open it for writing took an flock on the
    project folder instead, which the build holding the file's flock never takes, and
    both ran at once into build/. It takes the file's flock, read-only."""
    root, before = built
    lock = root / ".foundry-cache/build.lock"
    _retitle(root, "Ran Beside The Other")
    with open(lock, "a") as held:   # the other build, the lock file's owner, is running
        fcntl.flock(held, fcntl.LOCK_EX)
        if not _unwritable(lock):
            if os.environ.get("CI") and shutil.which("chattr") is None:
                pytest.fail("chattr (e2fsprogs) is needed to make the lock file unwritable for root")
            # chattr is there, but this filesystem or container does not let root make a
            # file immutable (no CAP_LINUX_IMMUTABLE, overlayfs): a privilege, not a tool
            pytest.skip("root may not make a file immutable here")
        try:
            run = foundry("build", "--project", str(root), *ONLY, "--format", "json", env={"FOUNDRY_LOCK_WAIT": "0"})
        finally:
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(lock)], check=True)
            lock.chmod(0o644)
    assert run.code == 2, run.stderr
    assert diagnostics(run) == ["HF0713 .foundry-cache/build.lock:0:0"]
    assert _tree(root / "build") == before


KILLED_IN_A_CHILD = """
import importlib, os, signal, sys, time
os.environ["FOUNDRY_POOL_MIN_JOBS"] = "2"   # a render pool for the minimal project's few pages
from pipeline.engine import checked
from pipeline.load import workers
workers.POOL_MIN_FILES, workers.CHUNK = 2, 1   # a parse pool for its few files
checked.BEHIND_MIN_NAMES = 0                   # a check's digest made in its forked child
builder, record, module, name = os.getpid(), sys.argv[1], importlib.import_module(sys.argv[2]), sys.argv[3]
def forked():   # every child foundry forks, whatever it is for
    with open(record, "a") as pids:
        pids.write(f"{os.getpid()}\\n")
os.register_at_fork(after_in_child=forked)
real = getattr(module, name)
def killing(*args, **kwargs):   # in a forked child: the builder killed as the OOM killer would
    if os.getpid() != builder:
        os.kill(builder, signal.SIGKILL)
        for _ in range(600):   # the child works on once the builder is gone, if it can
            if os.getppid() != builder:
                with open(record + ".outlived", "a") as outlived:
                    outlived.write(f"{os.getpid()}\\n")
                break
            time.sleep(0.1)
    return real(*args, **kwargs)
setattr(module, name, killing)
sys.argv[1:] = sys.argv[4:]
from pipeline.entry import main
main()
"""


def _killed_in_a_child(root: Path, tmp_path: Path, where: tuple[str, str], *command: str) -> None:
    """Run foundry's `command` on `root`, SIGKILLed by the first forked child that
    calls `where` (module, function); then see that none of its forked children
    outlives it (they leave at once: no wait longer than a minute) and that the
    next build finds the project's lock free (FOUNDRY_LOCK_WAIT=0) and builds."""
    pids = tmp_path / "children"
    # its output to a file: a pipe would stay open as long as a child outlives it
    with open(tmp_path / "stderr", "w") as stderr:
        killed = subprocess.run([sys.executable, "-c", KILLED_IN_A_CHILD, str(pids), *where, *command,
                                 "--project", str(root)], cwd=REPO, env={**ENV, "FOUNDRY_JOBS": "2"},
                                stdout=subprocess.DEVNULL, stderr=stderr, timeout=600)
    assert killed.returncode == -signal.SIGKILL, (tmp_path / "stderr").read_text()
    children = {int(pid) for pid in pids.read_text().split()}
    assert children
    try:
        for _ in range(600):
            alive = {pid for pid in children if _alive(pid)}
            if not alive:
                break
            time.sleep(0.1)
        assert not alive, f"children of a killed {command[0]} outlived it: {sorted(alive)}"
    finally:
        for pid in children:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    # killed with the builder, not left to finish what it was doing (and write into the project)
    assert not (tmp_path / "children.outlived").exists(), "a child worked on after its builder was killed"
    assert "Traceback" not in (tmp_path / "stderr").read_text()
    run = foundry("build", "--project", str(root), *ONLY, "-q", env={"FOUNDRY_LOCK_WAIT": "0", **ENV})
    assert run.code == 0, run.stderr


def test_a_build_killed_while_its_workers_render_leaves_the_project_buildable(built, tmp_path):
    """The render workers inherit the builder's flock on build.lock (a fork shares it).
    Each also held the builder's end of its own pipe (and of those forked before it):
    killed by SIGKILL, the builder left them waiting for their next batch for ever, and
    every later build said HF0713, another build is running, until someone found them."""
    root, _ = built
    _retitle(root, "After the kill")
    _killed_in_a_child(root, tmp_path, ("pipeline.render.pool", "render_one"), "build", *ONLY, "-q", "-j", "2")
    assert b"After the kill" in (root / "build/site/index.html").read_bytes()


def test_a_cold_build_killed_while_its_workers_parse_leaves_the_project_buildable(project_factory, tmp_path):
    """The parse pool's workers (load/workers.py, a multiprocessing Pool) hold both
    ends of the pool's task queue and the build's flock: a builder killed by SIGKILL
    left them waiting for a task for ever, and every later build said HF0713."""
    root = project_factory()
    _killed_in_a_child(root, tmp_path, ("pipeline.load.workers", "parse_document"), "build", *ONLY, "-q", "-j", "2")
    assert (root / "build/site/index.html").is_file()


def test_a_cold_check_killed_while_its_workers_parse_leaves_no_child_behind(project_factory, tmp_path):
    """A cold check forks its digest's process (engine/checked.py) and then the parse
    pool, whose workers inherit the check's end of the digest's pipe: killed, the
    check left the workers waiting for a task and the digest's process for its hashes."""
    root = project_factory()
    _killed_in_a_child(root, tmp_path, ("pipeline.load.workers", "parse_document"), "check")


def test_a_build_killed_while_its_child_removes_a_deleted_build_s_spare_leaves_the_project_buildable(built, tmp_path):
    """build/ deleted by hand: the next build renames the old spare aside and a forked
    child removes it (write/staging.py `_remove_behind`), sharing the builder's flock.
    Killed (SIGKILL, or SIGTERM, whose default is the same death), the builder left
    that child removing on, alone, holding the lock: at 10,000 heroes on a loaded
    machine for longer than a later build waits (HF0713, another build is running)."""
    root, _ = built
    if not (root / writer.VERSIONS / writer.SPARE).is_dir():
        pytest.skip("no spare is kept here (no renameat2, or no exchange on this filesystem)")
    shutil.rmtree(root / "build")
    _killed_in_a_child(root, tmp_path, ("pipeline.write.staging", "remove_tree"), "build", *ONLY, "-q")
    assert (root / "build/site/index.html").is_file()
    assert sorted(os.listdir(root / writer.VERSIONS)) == [writer.SPARE]   # the tree set aside: removed by recover


def test_foundry_serve_killed_while_its_workers_render_leaves_the_project_buildable(project_factory, tmp_path):
    """`foundry serve`'s first build forks the same render workers, holding the same
    lock, from the server's process, and those of a save from its watcher's thread."""
    root = project_factory()
    _killed_in_a_child(root, tmp_path, ("pipeline.render.pool", "render_one"), "serve", "--port", "0")
    assert (root / "build/site/index.html").is_file()


def _alive(pid: int) -> bool:
    """Whether `pid` is a process still running (a zombie is not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
