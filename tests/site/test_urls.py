"""Links between build paths: urls.relative answers exactly what posixpath.relpath
does (it skips relpath's trip through the working directory for clean paths)."""

from __future__ import annotations

import posixpath

from hypothesis import given, strategies as st

from pipeline.exporters.html import urls

# parts a build path, or a template's url("…") argument, may hold: clean names, and
# the ones that send the answer to relpath itself
PART = st.sampled_from(["site", "heroes", "stories", "assets", "a.html", "index.html", "x", "", ".", ".."])
PATH = st.lists(PART, min_size=1, max_size=5).map("/".join)


@given(target=PATH, page=PATH, absolute=st.booleans())
def test_relative_is_relpath(target, page, absolute):
    target = ("/" + target) if absolute else target
    if not target:
        return   # relpath refuses an empty path; relative() answers "" for it before asking
    expected = posixpath.relpath(target, posixpath.dirname(page))
    assert urls.relative(page, target) == expected
    assert urls.relative(page, target + "#top") == (expected + "#top" if target != page else "#top")
    assert urls.relative(page, target + "?q=1") == expected + "?q=1"


def test_links_between_pages_of_the_site():
    assert urls.relative("site/heroes/aria.html", "site/stories/keep.html") == "../stories/keep.html"
    assert urls.relative("site/heroes/aria.html", "site/heroes/bram.html") == "bram.html"
    assert urls.relative("site/index.html", "site/assets/site.css") == "assets/site.css"
    assert urls.relative("site/heroes/aria.html", "site") == ".."
    assert urls.relative("site/heroes/aria.html", "site/heroes") == "."
    assert urls.relative("site/heroes/aria.html", "site/heroes/aria.html#skills") == "#skills"


def test_an_answer_that_reads_the_working_directory_is_never_remembered(tmp_path, monkeypatch):
    """Clean paths' answers are remembered (urls._RELPATHS); relpath's answer for an
    absolute path depends on the working directory, so it is asked each time."""
    for folder in ("one", "two/deeper"):
        (tmp_path / folder).mkdir(parents=True)
        monkeypatch.chdir(tmp_path / folder)
        for _ in range(2):
            assert urls.relative("site/heroes/aria.html", str(tmp_path / "x.html")) == \
                posixpath.relpath(str(tmp_path / "x.html"), "site/heroes")
            assert urls.relative("site/heroes/aria.html", "site/assets/site.css") == "../assets/site.css"
