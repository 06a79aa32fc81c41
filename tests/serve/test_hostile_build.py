"""`foundry serve` serves only what a build of foundry made, and only its regular files.

A pull request can commit a build/ (its own `site/index.html` with a script, a link
`site/pw.txt -> /etc/passwd`): the build refuses to replace it (HF0126), and the
preview used to serve it as "the last good build" — the script ran on localhost's
origin, where it could read the linked file and send it away. A link or a FIFO put
into foundry's own build/ is no page either: served, a link leaked its target and a
FIFO held a server thread."""

from __future__ import annotations

import os
import signal
import urllib.error
import urllib.request

from support import foundry, start_serve

SECRET = "the-outside-file-says-hello"


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def outside_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    return secret


def test_a_committed_build_is_never_served(project_factory, tmp_path):
    root = project_factory({"build/site/index.html": "<p>forged</p><script>steal()</script>",
                            "build/.foundry/state.json": '{"format": 6, "artifacts": {}}'})
    os.symlink(outside_file(tmp_path), root / "build/site/pw.txt")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text() + "name: [\n")   # the first build fails: nothing good to serve yet
    proc, url = start_serve(root)
    try:
        status, page = fetch(url)
        assert status == 200 and b"forged" not in page and b"Waiting for a good build" in page
        status, body = fetch(url + "pw.txt")
        assert SECRET.encode() not in body
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)


def test_links_and_fifos_in_the_site_are_not_served(project_factory, tmp_path):
    root = project_factory()
    assert foundry("build", "--only", "html,json", "--project", str(root)).code == 0
    site = root / "build/site"
    os.symlink(outside_file(tmp_path), site / "pw.txt")
    os.symlink("../site", site / "loop")
    os.mkfifo(site / "stuck.css")
    proc, url = start_serve(root)
    try:
        status, page = fetch(url + "heroes/first-hero.html")
        assert status == 200 and b"Rook Amsel" in page   # the preview is served
        for name in ("pw.txt", "loop/heroes/first-hero.html", "stuck.css"):
            status, body = fetch(url + name)
            assert status == 404 and SECRET.encode() not in body, name
        status, page = fetch(url + "heroes/first-hero.html")
        assert status == 200   # no thread left stuck on the FIFO
        # build/ itself swapped for a link out while serving (a checkout of a branch that
        # commits `build -> /home/me` over the ignored folder): that folder's site/ was
        # served as the preview's, its every file
        elsewhere = tmp_path / "elsewhere"
        (elsewhere / "site").mkdir(parents=True)
        (elsewhere / "site/pw.txt").write_text(SECRET + "\n")
        (root / "build").rename(root / "build-moved")
        os.symlink(elsewhere, root / "build")
        status, body = fetch(url + "pw.txt")
        assert status == 404 and SECRET.encode() not in body
        # nor a link that stays inside the project: `build -> .` beside `site -> .` served
        # the project's every file (its untracked .env, the sources) to a page put there
        (root / ".env").write_text(SECRET + "\n")
        os.unlink(root / "build")
        os.symlink(".", root / "build")
        os.symlink(".", root / "site")
        for name in (".env", "foundry.toml"):
            status, body = fetch(url + name)
            assert status == 404 and SECRET.encode() not in body, name
        # foundry's own link to a build (`.foundry-builds/<id>`, made where the kernel
        # swaps no folders) is served; its site/ swapped for a link up to the project is not
        os.unlink(root / "build")
        os.unlink(root / "site")
        (root / ".foundry-builds").mkdir(exist_ok=True)   # the spare tree is there already
        (root / "build-moved").rename(root / ".foundry-builds/b1")
        os.symlink(".foundry-builds/b1", root / "build")
        status, page = fetch(url + "heroes/first-hero.html")
        assert status == 200 and b"Rook Amsel" in page
        (root / ".foundry-builds/b1/site").rename(root / ".foundry-builds/b1/kept")
        os.symlink("../..", root / ".foundry-builds/b1/site")
        status, body = fetch(url + ".env")
        assert status == 404 and SECRET.encode() not in body
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
