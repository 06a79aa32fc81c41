"""The confinement rule itself (pipeline/confine.py) on real folders and links: what
resolves inside, what is refused, and that refusing never touches the outside."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from pipeline.confine import Boundary, Refused, dot_git
from support import lines_run


@pytest.fixture
def tree(tmp_path) -> tuple[Path, Path]:
    root, outside = tmp_path / "proj", tmp_path / "outside"
    (root / "content/heroes").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (root / "content/heroes/aria.yaml").write_text("name: Aria\n")
    return root, outside


@pytest.mark.parametrize("target, inside", [
    ("aria.yaml", True),
    ("../heroes/aria.yaml", True),
    ("../../content/heroes/aria.yaml", True),
    ("../../../outside/secret.txt", False),
    ("../../../proj/content/heroes/aria.yaml", False),   # leaves, then comes back: refused
    ("/etc/passwd", False),
])
def test_one_link(tree, target, inside):
    root, _ = tree
    os.symlink(target, root / "content/heroes/link.yaml")
    fence = Boundary(root)
    real = fence.resolve(root / "content/heroes/link.yaml")
    assert (real is not None) is inside
    if inside:
        assert fence.read(root / "content/heroes/link.yaml") == b"name: Aria\n"
    else:
        with pytest.raises(Refused) as refused:
            fence.read(root / "content/heroes/link.yaml")
        assert refused.value.kind == "outside" and "secret" not in refused.value.reason


@pytest.mark.parametrize("target, inside", [
    ("aria.yaml", True),
    ("../../content/heroes/aria.yaml", True),
    ("../../../outside/secret.txt", False),
    ("../../../proj/content/heroes/aria.yaml", False),
    ("../../.git/config", False),
    ("/etc/passwd", False),
])
def test_a_link_in_a_folder_read_from_before_is_judged_as_the_first_read_judges_it(tree, target, inside):
    """Once a folder's descriptor is held (a file in it was read), a plain file's read
    is its open with O_NOFOLLOW, without an lstat first (a cold check: 10,500 lstats
    fewer); a link there is still resolved and judged by the walk, link by link."""
    root, _ = tree
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[credential] token")
    heroes = root / "content/heroes"
    (heroes / "bram.yaml").write_text("name: Bram\n")
    os.symlink(target, heroes / "link.yaml")
    fence = Boundary(root)
    assert fence.read(heroes / "aria.yaml") == b"name: Aria\n"   # the folder is held from here on
    if inside:
        assert fence.read(heroes / "link.yaml") == b"name: Aria\n"
    else:
        with pytest.raises(Refused) as refused:
            fence.read(heroes / "link.yaml")
        assert refused.value.kind == "outside"
    assert fence.read(str(heroes / "bram.yaml")) == b"name: Bram\n"
    with pytest.raises(FileNotFoundError):
        fence.read(heroes / "gone.yaml")


def test_a_plain_file_in_a_folder_read_from_before_is_opened_without_an_lstat(tree, monkeypatch):
    root, _ = tree
    heroes = root / "content/heroes"
    (heroes / "bram.yaml").write_text("name: Bram\n")
    os.mkfifo(heroes / "fifo.yaml")
    (heroes / ".git").write_text("gitdir: elsewhere")   # a `.git` file is git's, never content
    fence = Boundary(root)
    assert fence.read(heroes / "aria.yaml") == b"name: Aria\n"
    looked: list[str] = []
    real_lstat = os.lstat
    monkeypatch.setattr(os, "lstat", lambda path, *a, **k: looked.append(os.fspath(path)) or real_lstat(path, *a, **k))
    assert fence.read(heroes / "bram.yaml") == b"name: Bram\n"
    assert looked == []
    with pytest.raises(Refused) as refused:
        fence.read(heroes / "fifo.yaml")
    assert refused.value.kind == "special"
    with pytest.raises(Refused) as refused:
        fence.read(heroes / ".git")
    assert refused.value.kind == "outside"


def test_absolute_links_inside_the_project_are_followed(tree):
    root, _ = tree
    os.symlink(root / "content/heroes/aria.yaml", root / "content/heroes/abs.yaml")
    assert Boundary(root).read(root / "content/heroes/abs.yaml") == b"name: Aria\n"


def test_a_link_written_before_the_folder_link_it_passes_through(tree):
    root, outside = tree
    heroes = root / "content/heroes"
    os.symlink(".", heroes / "x")
    os.symlink("x/x/../../../outside/secret.txt", heroes / "leak.yaml")
    os.symlink("x/x/aria.yaml", heroes / "fine.yaml")
    fence = Boundary(root)
    assert fence.resolve(heroes / "leak.yaml") is None
    assert fence.read(heroes / "fine.yaml") == b"name: Aria\n"
    files, refused = fence.files(root / "content")
    assert refused == [heroes / "leak.yaml"]
    assert heroes / "aria.yaml" in files and heroes / "fine.yaml" in files


@pytest.mark.parametrize("rel", ["content/typo/../dir/secret.txt", "content/typo/deeper/../../dir/secret.txt",
                                 "content/heroes/typo/../../dir", "content/dangling/../dir/secret.txt"])
def test_a_name_that_is_not_there_then_dot_dot_is_no_way_past_a_link_out(tree, rel):
    """A missing name makes the rest of a path lexical (nothing is below it, so no link),
    but a `..` back up out of it is among what is there again: `typo/../dir/x`, with
    `dir -> /elsewhere`, resolved to the project's `content/dir/x` unlooked-at, and the
    callers' stat, listing and near-name hint reached the folder outside."""
    root, outside = tree
    os.symlink(outside, root / "content/dir")
    os.symlink("nowhere", root / "content/dangling")
    fence = Boundary(root)
    assert fence.resolve(root / rel) is None
    assert fence.why(root / rel) == "outside"
    with pytest.raises(Refused):
        fence.read(root / rel)
    # inside, the same spelling still resolves (as a browser or git reads it: lexically)
    assert fence.resolve(root / "content/typo/../heroes/aria.yaml") == root / "content/heroes/aria.yaml"
    assert fence.resolve(root / "content/typo/../heroes/new.yaml") == root / "content/heroes/new.yaml"


def test_a_link_through_a_name_that_is_not_there_and_back_is_a_link_out(tree):
    """The same path as a link's target: `leak.yaml -> ../typo/../dir/secret.txt` was
    listed as a file inside (its target lstat'ed through `dir`, outside), not refused."""
    root, outside = tree
    os.symlink(outside, root / "content/dir")
    os.symlink("../typo/../dir/secret.txt", root / "content/heroes/leak.yaml")
    fence = Boundary(root)
    assert fence.resolve(root / "content/heroes/leak.yaml") is None
    files, refused = fence.files(root / "content/heroes")
    assert files == [root / "content/heroes/aria.yaml"] and refused == [root / "content/heroes/leak.yaml"]


def test_loops_and_folders_out_are_refused(tree):
    root, outside = tree
    os.symlink("b", root / "a")
    os.symlink("a", root / "b")
    os.symlink(outside, root / "content/assets")
    fence = Boundary(root)
    assert fence.resolve(root / "a") is None
    assert fence.resolve(root / "content/assets/secret.txt") is None
    assert fence.lexists(root / "content/assets/secret.txt")   # there, to be refused
    assert fence.files(root / "content/assets") == ([], [root / "content/assets"])


def test_only_regular_files_are_read(tree):
    root, _ = tree
    os.mkfifo(root / "content/heroes/fifo.yaml")
    with pytest.raises(Refused) as refused:
        Boundary(root).read(root / "content/heroes/fifo.yaml")   # would block forever if opened plainly
    assert refused.value.kind == "special"
    with pytest.raises(Refused) as refused:
        Boundary(root).read(root / "content/heroes/aria.yaml", limit=3)
    assert refused.value.kind == "size"


def test_refusing_never_touches_the_outside(tree):
    root, outside = tree
    os.symlink(outside / "secret.txt", root / "content/heroes/leak.yaml")
    os.symlink(outside, root / "content/dir")
    seen: list[str] = []

    def hook(event, args):
        if event in ("open", "os.scandir", "os.listdir") and args and isinstance(args[0], (str, os.PathLike)):
            seen.append(os.fspath(args[0]))
    sys.addaudithook(hook)
    fence = Boundary(root)
    fence.files(root / "content")
    for rel in ("content/heroes/leak.yaml", "content/dir/secret.txt", "content/dir"):
        with pytest.raises(OSError):
            fence.read(root / rel)
    assert seen and not [p for p in seen if str(outside) in p]


@pytest.mark.parametrize("size", [0, 1, 4095, 65_536, 65_537, 300_001])
def test_read_resolved_gives_every_byte_and_refuses_what_is_over_the_limit(tmp_path, size):
    """read_resolved reads from the descriptor in as many reads as it takes: the file
    whole, whatever its size; at most `limit` bytes, a bigger file refused by size."""
    from pipeline.confine import boundary, read_resolved
    path = tmp_path / "f.bin"
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path.write_bytes(data)
    assert read_resolved(path) == data
    assert read_resolved(path, size) == data
    assert boundary(str(tmp_path)).read(str(path), size) == data
    if size:
        with pytest.raises(Refused) as refused:
            read_resolved(path, size - 1)
        assert refused.value.kind == "size"


@pytest.mark.parametrize("name", [".github", ".gitignore", ".gitattributes", ".gitkeep", "git", "digit",
                                  "goblin.yaml", ".git.bak", ".git-old", "git~2", "\u200cgit", "勇者.yaml",
                                  # a writer's names near it, and HFS+'s ignorables where a script needs
                                  # them: on Linux none is .git (nor content, build or themes)
                                  ".github-logo.png", "git-1.md", "gitta.yaml", "git~1x", "Git~10",
                                  ".git-credentials", ".g\u200bit", "\uff0e\uff47\uff49\uff54",
                                  "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645.md",
                                  "\u0915\u094d\u200d\u0937.md", "\U0001f468\u200d\U0001f469\u200d\U0001f467.png"])
def test_only_names_a_disk_takes_for_git_are_git(tree, name):
    """dot_git (the `.git` of macOS and Windows: `.GIT`, `.g\\u200cit`, `.git.`, `GIT~1`)
    takes no other name for it: a project's `.github/` or `goblin.yaml` is read."""
    root, _ = tree
    (root / name).mkdir()
    (root / name / "a.yaml").write_text("name: A\n")
    assert not dot_git(name)
    assert Boundary(root).read(root / name / "a.yaml") == b"name: A\n"


def test_foundrys_folders_and_the_sources_are_known_in_any_spelling_a_mac_reads_as_them(tree):
    """HFS+ ignores U+200C and its kin in names, as macOS and Windows ignore case: there
    `bu\\u200cild/` is build/ and `con\\u200ctent/` content/. A content link into an earlier
    build, or a theme's link into the sources (published raw, drafts too), is refused
    by those spellings as by the plain ones (confine.fold)."""
    root, _ = tree
    for folder in ("bu\u200cild/site", "CON\u200cTENT/stories", "content/stories"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "a.md").write_text("draft\n")
    (root / "themes/default/static").mkdir(parents=True)
    os.symlink("../../bu\u200cild/site/a.md", root / "content/heroes/old.md")
    os.symlink("../../../CON\u200cTENT/stories/a.md", root / "themes/default/static/a.md")
    os.symlink("../../../content/stories/a.md", root / "themes/default/static/b.md")
    fence = Boundary(root)
    assert fence.resolve(root / "content/heroes/old.md") is None and fence.why(root / "content/heroes/old.md") == "own"
    for name in ("a.md", "b.md"):
        link = root / "themes/default/static" / name
        assert fence.resolve(link) is None and fence.why(link) == "source", name
    # as a path given, foundry's own folder in that spelling is one (its state is read there)
    assert fence.resolve(root / "bu\u200cild/site/a.md") is not None



def test_a_walk_down_a_deep_folder_takes_work_in_proportion_to_its_depth(tmp_path):
    """Whether a folder lies in a `.git` was asked of its whole path at each level of a
    walk: 1,200 levels (a pull request can commit them) cost 1.4 million `dot_git`s a
    walk, and a build walks the tree a dozen times. Each folder now carries the answer
    to its subfolders; a `.Git` on the way is still not walked into."""
    def lines(depth: int) -> tuple[int, Path, list]:
        root = tmp_path / f"proj{depth}"
        folder = root / "content/assets"
        folder.mkdir(parents=True)
        for _ in range(depth):
            folder = folder / "a"
            folder.mkdir()
        (folder / "notes.txt").write_text("deep\n")
        (root / "content/assets/a/.Git/x/y").mkdir(parents=True)
        (root / "content/assets/a/.Git/x/y/HEAD").write_text("ref\n")
        fence, walked = Boundary(root), []
        return lines_run(lambda: walked.extend(fence.walk(root / "content")[0]), "pipeline/confine.py"), root, walked

    short, _, walked = lines(100)
    assert [(Path(path).name, real is not None) for path, real in walked] == [("notes.txt", True)]
    assert lines(200)[0] < 2.1 * short, short     # twice as deep: twice the work, not four times


def test_a_name_in_other_letters_leading_out_is_refused_as_a_mac_reads_it(tree):
    """`a.yaml -> ../../shared/out/secret.txt` beside `shared/Out -> <outside>`: no such
    name here (Linux: a link to nothing, HF0164, skipped with a warning), a file outside
    the project on a Mac or on Windows, whose disks find `out` as `Out` (HF0120 there).
    Refused on every system, also through a folder in other letters holding a link out,
    with every step spelt otherwise, and with an accent decomposed (`cafe\u0301` is the
    `caf\u00e9` there); a name in other letters leading to a file inside
    is left to this system's reading (missing here, resolved to where it would be)."""
    root, outside = tree
    shared = root / "shared"
    (shared / "DEEP").mkdir(parents=True)
    os.symlink(outside, shared / "Out")
    os.symlink(outside / "secret.txt", shared / "DEEP/Key.txt")
    os.symlink(outside, shared / "caf\u00e9")   # composed; the link below writes it decomposed
    (shared / "Fine.yaml").write_text("name: Fine\n")
    heroes = root / "content/heroes"
    links = {"a.yaml": "../../shared/out/secret.txt", "b.yaml": "../../shared/deep/key.txt",
             "c.yaml": "../../SHARED/deep/KEY.txt", "e.yaml": "../../shared/cafe\u0301/secret.txt",
             "d.yaml": "../../shared/fine.yaml"}
    for name, target in links.items():
        os.symlink(target, heroes / name)
    fence = Boundary(root)
    for name in ("a.yaml", "b.yaml", "c.yaml", "e.yaml"):
        assert fence.resolve(heroes / name) is None and fence.why(heroes / name) == "outside", name
    assert fence.resolve(heroes / "d.yaml") == shared / "fine.yaml"


def test_names_in_other_letters_at_every_step_are_read_on_through_a_bounded_number_of_times(tree, monkeypatch):
    """`a\\u200c` (a mark HFS+ ignores) is `a` and `A` to a Mac; with both linked to their
    own folder, each step of `a\\u200c/a\\u200c/…` read on through both names was work
    twice the step before's: 2^30 walks for 30 steps. A bounded number, then refused."""
    root, _ = tree
    loop = root / "content/heroes/loop"
    loop.mkdir()
    os.symlink(".", loop / "a")
    os.symlink(".", loop / "A")
    os.symlink("/".join(["loop"] + ["a\u200c"] * 30 + ["aria.yaml"]), root / "content/heroes/deep.yaml")
    walks = [0]
    real_walk = Boundary._walk

    def counted(self, *args, **named):
        walks[0] += 1
        return real_walk(self, *args, **named)
    monkeypatch.setattr(Boundary, "_walk", counted)
    assert Boundary(root).resolve(root / "content/heroes/deep.yaml") is None
    assert walks[0] <= 2 * 64 + 4, walks[0]
