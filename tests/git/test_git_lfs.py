"""Files Git LFS keeps, read as a checkout with git-lfs reads them, without running it
(no filter is ever run: git_process.py): a revision's pointer is the bytes git-lfs keeps
in .git/lfs/objects/ when fetched, the working file is known by the pointer git-lfs would
commit for it, and a pointer whose picture is not there is said to be one."""

from __future__ import annotations

import hashlib
import io
import shutil

from git_support import ANA, Repo, new_repo
from PIL import Image


def _lfs_repo(tmp_path) -> tuple[Repo, bytes]:
    """git-world with Aria's portrait committed as git-lfs commits it: a pointer in the
    tree, the picture in the working tree and in the store."""
    repo = new_repo(tmp_path / "world")
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 10, 10)).save(buffer, format="PNG")
    png = buffer.getvalue()
    (repo.root / "content/assets").mkdir(parents=True)
    (repo.root / "content/assets/aria.png").write_bytes(png)
    repo.edit("content/heroes/aria.yaml", "name: Aria Vell\n", "name: Aria Vell\nportrait: ../assets/aria.png\n")
    repo.write(".gitattributes", "*.png filter=lfs diff=lfs merge=lfs -text\n")
    sha = hashlib.sha256(png).hexdigest()
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha}\nsize {len(png)}\n"
    store = repo.path / ".git/lfs/objects" / sha[:2] / sha[2:4]
    store.mkdir(parents=True)
    (store / sha).write_bytes(png)
    repo.git("add", "-A")
    blob = repo.git("hash-object", "-w", "--stdin", input_text=pointer)
    repo.git("update-index", "--cacheinfo", f"100644,{blob},content/assets/aria.png")
    # committed as the index holds it (Repo.commit adds every file again, the picture with it)
    repo.git("commit", "-q", "-m", "Aria gets a portrait (Git LFS)",
             env={"GIT_AUTHOR_NAME": ANA[0], "GIT_AUTHOR_EMAIL": ANA[1], "GIT_AUTHOR_DATE": "2024-02-01T09:00:00+00:00",
                  "GIT_COMMITTER_DATE": "2024-02-01T09:00:00+00:00"})
    repo.git("tag", "v2")
    assert repo.git("show", "v2:content/assets/aria.png") == pointer.strip()
    return repo, png


def test_a_revision_s_lfs_files_are_read_from_the_store_and_the_working_file_is_not_a_change(tmp_path):
    """`foundry diff v2` of a clean checkout said the portrait was uncommitted, the asset
    removed and the image added; `build --ref v2` refused the portrait as no image."""
    repo, png = _lfs_repo(tmp_path)
    run = repo.foundry("diff", "v2")
    assert run.code == 0, run.stderr
    assert "uncommitted" not in run.stdout and "No changes to the content." in run.stdout, run.stdout
    run = repo.foundry("build", "--ref", "v2", "--only", "html")
    assert run.code == 0, run.stderr
    media = list((repo.root / "build/site/media").glob("aria*.png"))
    assert media and Image.open(media[0]).size == (60, 80)


def test_a_pointer_whose_picture_is_not_fetched_is_said_to_be_one(tmp_path):
    """A checkout without git-lfs (CI's actions/checkout without `lfs: true`) holds the
    pointer: HF0702 said "not a PNG, JPEG or WebP image" and "Use a PNG", of a PNG."""
    repo, png = _lfs_repo(tmp_path)
    (repo.root / "content/assets/aria.png").write_text(repo.git("show", "HEAD:content/assets/aria.png") + "\n")
    first = repo.foundry("check")
    shutil.rmtree(repo.path / ".git/lfs/objects")   # nor in the store: `check --ref` cannot read it either
    for run in (first, repo.foundry("check", "--ref", "v2")):
        assert run.code == 1
        assert "HF0702 a Git LFS pointer, not the picture" in run.stdout + run.stderr, run.stdout
        assert "`git lfs pull`" in run.stdout + run.stderr


def test_a_voice_clip_left_a_pointer_is_said_to_be_one(tmp_path):
    """Audio is what teams most often keep in Git LFS: a clip left a pointer was HF1130
    "not audio" with the hint to export the clip again."""
    repo, _ = _lfs_repo(tmp_path)
    sha = "ab" * 32
    repo.write("content/audio/en/story.sunken-keep.scene.gate.ogg",
               f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha}\nsize 5120\n")
    run = repo.foundry("check")
    assert run.code == 1
    said = run.stdout + run.stderr
    assert "HF1130 a Git LFS pointer, not the clip" in said and "`git lfs pull`" in said, said
