"""The link check finds a page's ids and URLs without building a tree when every
link lands, and with one (for line numbers) when one does not: both ways find the
same ids and URLs, and a broken link is still reported at its line."""

from __future__ import annotations

import pytest

from pipeline.diagnostics import Diagnostics
from pipeline.exporters.html.links import LinkChecker, collect

PAGES = [
    '<!doctype html><html><body><a href="b.html#x" id="top">b</a><img src="i.png" srcset="i-1.png 1x, i-2.png 2x"></body></html>',
    '<svg><use xlink:href="#icon"/><image href="p.png"/><a xlink:href="c.html">c</a></svg><symbol id="icon"></symbol>',
    '<p><!-- <a href="commented.html">no</a> --><A HREF="Upper.html" NAME="anchor">x</A></p>',
    '<div id="a"><p>unclosed <table><tr><td><a href="t.html">t</a></table><form action="go.html"></form></div>',
    '</html><a href="after.html" id="late">after the end</a><video src="v.mp4" poster="v.jpg"></video>',
    '<?php echo 1 ?><source srcset=" s1.webp 480w , ,s2.webp 800w"><iframe src="f.html"></iframe>',
    '   ',
    '<div class="c" data-x="1"><span lang="de" class="d">x</span><map><area href="m.html" class="z"></map>'
    '<link rel="x" href="s.css"><script src="j.js"></script><section data-id="no" ID="yes"></section></div>',
]


@pytest.mark.parametrize("html", PAGES)
def test_without_a_tree_the_same_ids_and_urls(html):
    with_lines, without = collect(html), collect(html, lines=False)
    assert without.ids == with_lines.ids
    assert [url for url, _ in without.urls] == [url for url, _ in with_lines.urls]


def test_a_broken_link_is_reported_at_its_line():
    checker = LinkChecker(frozenset({"site/a.html", "site/b.html"}), "/", lambda path: {"x"})
    page = '<html><body>\n<a href="b.html#x">fine</a>\n\n<a href="gone.html">gone</a>\n<a href="#nope">no</a>\n</body></html>'
    diags = Diagnostics()
    checker.check("site/a.html", page, diags)
    assert [d.message for d in diags.items] == [
        "site/a.html, line 4: link 'gone.html' points to site/gone.html, which the build does not write",
        "site/a.html, line 5: link '#nope' names #nope, which this page does not have"]
    fine = Diagnostics()
    checker.check("site/a.html", '<a href="b.html#x">fine</a>', fine)
    assert not fine.items


def test_the_same_link_lands_by_the_folder_and_site_it_is_on():
    """Where a link lands is remembered by the linking page's folder and the site's base
    path (links._landing): each still gets its own answer."""
    known = frozenset({"site/index.html", "site/heroes/a.html", "site/heroes/index.html", "site/assets/s.css"})
    root, coast = (LinkChecker(known, base, lambda path: {"x"}) for base in ("/", "/coast/"))
    for _ in range(2):   # asked again: the remembered answer
        assert root.problem("site/heroes/a.html", "../assets/s.css", set()) is None
        assert root.problem("site/index.html", "../assets/s.css", set()) == \
            "points to assets/s.css, which the build does not write"
        assert root.problem("site/heroes/a.html", "index.html", set()) is None
        assert root.problem("site/index.html", "index.html", set()) is None
        assert root.problem("site/index.html", "../../x.html", set()) == "points outside the site"
        assert root.problem("site/heroes/a.html", "#top", {"top"}) is None
        assert root.problem("site/heroes/index.html", "#top", {"other"}) == "names #top, which this page does not have"
        assert root.problem("site/index.html", "heroes/a.html#y", set()) == \
            "names #y, which site/heroes/a.html does not have"
        assert root.problem("site/index.html", "/heroes/a.html", set()) is None
        assert coast.problem("site/index.html", "/heroes/a.html", set()) == "points outside the site"
        assert coast.problem("site/index.html", "/coast/heroes/a.html#x", set()) is None
        assert root.problem("site/index.html", "https://example.org/x", set()) is None


def test_one_parser_reads_every_page_of_a_thread(monkeypatch):
    """The link check's parser (and the target it hands each start tag to) is made
    once per thread, not once per page or card: lxml inspects a target's methods each
    time a parser is made with it, which cost a drawn card more than its parse."""
    import threading
    from lxml import etree
    made, real = [], etree.HTMLParser

    def counted(*args, **kwargs):
        made.append(kwargs.get("target"))
        return real(*args, **kwargs)
    monkeypatch.setattr(etree, "HTMLParser", counted)
    found = []
    thread = threading.Thread(target=lambda: found.extend(collect(page, lines=False) for page in PAGES[:4]))
    thread.start()
    thread.join()
    assert len([target for target in made if target is not None]) == 1
    assert [sorted(f.ids) for f in found] == [sorted(collect(page).ids) for page in PAGES[:4]]


def test_a_page_read_after_one_that_failed_has_only_its_own_links(monkeypatch):
    """A parse stopped half way (a render's time budget runs out in the middle of it)
    leaves nothing of its page to the next one read with the same parser."""
    from pipeline.exporters.html import links
    real, calls = links._element, []

    def stop(*args):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt   # what a budget's signal raises at any line
        real(*args)
    monkeypatch.setattr(links, "_element", stop)
    with pytest.raises(KeyboardInterrupt):
        collect('<a id="one" href="1.html"></a><a id="two" href="2.html"></a><a id="three"></a>', lines=False)
    monkeypatch.setattr(links, "_element", real)
    after = collect('<p id="own"><a href="own.html">x</a></p>', lines=False)
    assert (after.ids, after.urls) == ({"own"}, [("own.html", 0)])


@pytest.mark.parametrize("html", PAGES + ['<article class="card"><a href="../heroes/a.html#top" id="c">A &amp; B</a>'
                                          '<img src="p.png" srcset="p-1.png 1x, p-2.png 2x" alt="x"></article>'])
def test_a_cards_links_are_those_its_parse_finds(html):
    """A drawn card's links (splice.card_links, read from start tags alone) are the
    ones a tree of it holds, resolved as the checker resolves them."""
    from pipeline.exporters.html.splice import card_links
    checker = LinkChecker(frozenset(), "/", lambda path: None)
    tree = collect(html)
    links = card_links(checker, "site/heroes/index.html", html)
    assert set(links.ids) == tree.ids
    assert [target for target, _ in links.links] == [
        checker.resolve("site/heroes/index.html", url.split("#")[0]) for url, _ in tree.urls if "//" not in url]


def test_a_link_known_to_land_from_its_folder_is_not_asked_again(monkeypatch):
    """LinkChecker.all_land remembers the links that land from every page of a folder
    (no fragment, a written file, or external) for the checker's set of files: `problem`
    is asked only of what may not land (a fragment, the page itself), and what does not
    land is still found, by another plan's checker or from another folder."""
    from pipeline.exporters.html import links
    known = frozenset({"site/heroes/a.html", "site/heroes/b.html", "site/assets/s.css"})
    checker = LinkChecker(known, "/", lambda path: {"x"})
    asked: list[str] = []
    real = LinkChecker.problem
    monkeypatch.setattr(LinkChecker, "problem", lambda self, page, url, ids: asked.append(url) or real(self, page, url, ids))
    page = '<link href="../assets/s.css"><a href="b.html">b</a><a href="https://x.org/">x</a><a href="b.html#x" id="x">x</a>'
    for name in ("a.html", "b.html"):
        diags = Diagnostics()
        checker.check(f"site/heroes/{name}", page, diags)
        assert not diags.items
    assert asked == ["b.html#x", "b.html#x"]   # each page's own ids or another's: asked every time
    # another set of files (another plan): its own answers
    other = LinkChecker(frozenset({"site/heroes/a.html"}), "/", lambda path: {"x"})
    diags = Diagnostics()
    other.check("site/heroes/a.html", page, diags)
    assert [d.message.split(": ", 1)[1] for d in diags.items] == [
        "link '../assets/s.css' points to site/assets/s.css, which the build does not write",
        "link 'b.html' points to site/heroes/b.html, which the build does not write",
        "link 'b.html#x' points to site/heroes/b.html, which the build does not write"]
    assert links._lands_for(known) and links._lands_for(other.known)   # each set its own
    held = len(links._LANDS)
    del other
    assert len(links._LANDS) == held - 1   # let go with its set
    missing = Diagnostics()   # a page of another folder: the same address is asked anew
    checker.check("site/a.html", '<a href="b.html">b</a>', missing)
    assert [d.code for d in missing.items] == ["HF0701"]
