"""`foundry serve` names in its log the files a save changed, and only those: a
file that came and went while the save was made (`sed -i` writes sedXXXXXX and
renames it over the file) was named beside the hero ("content/heroes/first-hero.yaml,
content/heroes/sedHE7AN2: rebuilt …"), a file the writer never made and cannot find."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import time

from support import REPO, start_serve


def test_a_file_that_came_and_went_is_not_named(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    proc, _ = start_serve(root)
    try:
        time.sleep(1)   # the watcher's start (its catch-up build is logged too)
        hero = root / "content/heroes/first-hero.yaml"
        assert "name: Rook Amsel" in hero.read_text()
        subprocess.run(["sed", "-i", "s/name: Rook Amsel/name: Rook Amsel-Sed/", str(hero)], check=True)
        lines, deadline = [], time.time() + 300
        while time.time() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            if "first-hero.yaml" in line and "rebuilt" in line:
                break
            assert line or proc.poll() is None, "".join(lines)
        said = next((x for x in lines if "first-hero.yaml" in x and "rebuilt" in x), None)
        assert said is not None, "".join(lines)
        assert re.match(r"content/heroes/first-hero\.yaml: rebuilt", said), said
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
