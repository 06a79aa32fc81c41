"""A theme's root/ files are published at the site's root, byte for byte: what static
hosts read there (Netlify's and Cloudflare Pages' `_headers` and `_redirects`, GitHub
Pages' `CNAME`, `robots.txt`, `.well-known/security.txt`). Before, a theme could put
files only under assets/, so a project deployed to Netlify had no way to send its
security headers or keep old addresses working. One that would land on a file the
site writes, or inside a folder the build fills, is HF0723 at the file, said by check
and build alike, and never replaces foundry's file (nor is replaced by it)."""

from __future__ import annotations

import os

import pytest

from site_support import SOURCE_DATE_EPOCH
from support import diagnostics, foundry, write_project

HEADERS = b"/*\n  X-Frame-Options: DENY\r\n  Content-Security-Policy: default-src 'self'\n"
THEME = 'theme = "coast"'


def _project(root, files):
    world = write_project(root, files)
    config = world / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', THEME))
    return world


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    world = _project(tmp_path_factory.mktemp("root-files") / "world", {
        "themes/coast/root/_headers": HEADERS,
        "themes/coast/root/_redirects": b"/old-hero.html /heroes/index.html 301\n",
        "themes/coast/root/CNAME": b"coast.example.org\n",
        "themes/coast/root/robots.txt": b"User-agent: *\nDisallow:\n",
        "themes/coast/root/.well-known/security.txt": b"Contact: mailto:sec@example.org\n",
        "themes/coast/root/.htaccess": b"ErrorDocument 404 /404.html\n",   # Apache reads it at the root
        # what the Finder and an editor leave beside them: never published (load/editor_files.py)
        "themes/coast/root/.DS_Store": b"\x00\x00\x00\x01Bud1",
        "themes/coast/root/.robots.txt.swp": b"b0VIM 9.0",
    })
    run = foundry("build", "--only", "html", "--project", str(world), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    return world / "build" / "site"


def test_a_themes_root_files_are_published_at_the_sites_root_as_written(published):
    assert (published / "_headers").read_bytes() == HEADERS   # no minifying, no line endings changed
    assert (published / "_redirects").read_bytes() == b"/old-hero.html /heroes/index.html 301\n"
    assert (published / "CNAME").read_bytes() == b"coast.example.org\n"
    assert (published / "robots.txt").is_file()
    assert (published / ".well-known/security.txt").is_file()
    assert (published / ".htaccess").read_bytes() == b"ErrorDocument 404 /404.html\n"   # was left out: a dot-file
    assert (published / "index.html").is_file() and (published / "assets/site.css").is_file()
    assert not (published / ".DS_Store").exists() and not (published / ".robots.txt.swp").exists()


def test_a_root_file_removed_from_the_theme_leaves_the_site(published):
    world = published.parent.parent
    (world / "themes/coast/root/CNAME").unlink()
    (world / "themes/coast/root/_redirects").write_bytes(b"/a /b 302\n")
    run = foundry("build", "--only", "html", "--project", str(world), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    assert not (published / "CNAME").exists()
    assert (published / "_redirects").read_bytes() == b"/a /b 302\n"


def test_a_root_file_where_the_site_writes_one_is_said_at_the_file_and_replaces_nothing(tmp_path):
    world = _project(tmp_path / "world", {
        "themes/coast/root/404.html": b"<p>mine</p>\n",
        "themes/coast/root/Index.html": b"<p>mine</p>\n",   # index.html on a disk that ignores case
        "themes/coast/root/assets/site.css": b"body{}\n",
        "themes/coast/root/Media/x.png": b"x",
        "themes/coast/root/api/v1/manifest.json": b"{}\n",
        "themes/coast/root/heroes": b"a file where the site needs a folder\n",
        "themes/coast/root/credits.html/notes.txt": b"inside a page\n",
        "themes/coast/root/.nojekyll": b"",   # the site writes its own
        "themes/coast/root/_headers": HEADERS,
    })
    said = {"HF0723 themes/coast/root/.nojekyll:0:0","HF0723 themes/coast/root/404.html:0:0", "HF0723 themes/coast/root/Index.html:0:0",
            "HF0723 themes/coast/root/assets/site.css:0:0", "HF0723 themes/coast/root/Media/x.png:0:0",
            "HF0723 themes/coast/root/api/v1/manifest.json:0:0", "HF0723 themes/coast/root/heroes:0:0",
            "HF0723 themes/coast/root/credits.html/notes.txt:0:0"}
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 1 and set(diagnostics(check)) == said, check.stdout + check.stderr
    build = foundry("build", "--format", "json", "--project", str(world), "--only", "html,json",
                    env=SOURCE_DATE_EPOCH)
    assert build.code == 1 and set(diagnostics(build)) == said, build.stdout + build.stderr
    assert not (world / "build").exists() or not os.listdir(world / "build")


def test_a_root_file_that_links_out_of_the_project_is_refused(tmp_path):
    world = _project(tmp_path / "world", {"themes/coast/root/_headers": HEADERS})
    secret = tmp_path / "secret.txt"
    secret.write_text("password\n")
    (world / "themes/coast/root/robots.txt").symlink_to(secret)
    run = foundry("build", "--format", "json", "--only", "html", "--project", str(world), env=SOURCE_DATE_EPOCH)
    assert "HF0120 themes/coast/root/robots.txt:0:0" in diagnostics(run)
    assert not (world / "build/site/robots.txt").exists()


def test_files_read_only_at_a_hosts_root_are_warned_of_under_a_sub_path(tmp_path):
    """Under `base_url = "https://you.github.io/repo/"` a root/ robots.txt is published at
    /repo/robots.txt, which no crawler reads (RFC 9309: only /robots.txt), nor does a host
    read /repo/_headers or /repo/.well-known/…: the build was clean and the file did
    nothing. Now HF0724 (a warning) at each such file; a favicon.ico, read where a page
    links it, is not one of them. At the host's root none is said."""
    world = _project(tmp_path / "world", {
        "themes/coast/root/robots.txt": b"User-agent: *\n",
        "themes/coast/root/_headers": HEADERS,
        "themes/coast/root/.well-known/security.txt": b"Contact: mailto:sec@example.org\n",
        "themes/coast/root/favicon.ico": b"\x00\x00\x01\x00",
    })
    config = world / "foundry.toml"
    config.write_text(config.read_text().replace("[project]\n", '[project]\nbase_url = "https://you.github.io/repo/"\n', 1))
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0 and sorted(diagnostics(check)) == [
        "HF0724 themes/coast/root/.well-known/security.txt:0:0", "HF0724 themes/coast/root/_headers:0:0",
        "HF0724 themes/coast/root/robots.txt:0:0"], check.stdout
    assert "/repo/robots.txt" in check.stdout
    config.write_text(config.read_text().replace("https://you.github.io/repo/", "https://example.org/"))
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0 and diagnostics(check) == [], check.stdout


def test_check_given_the_pages_address_says_what_the_build_will(tmp_path):
    """foundry.toml at the host's root ("/"), the site published where GitHub Pages puts
    a project page (`--base-url`, as the shipped workflow gives it): the pull request's
    `foundry check` said nothing (it took no --base-url) and HF0724 came only in the
    build's JSON report. `check --base-url` says it, a remembered check without it does
    not replay it, and one with it is not remembered for a check without."""
    world = _project(tmp_path / "world", {"themes/coast/root/robots.txt": b"User-agent: *\n"})
    check = lambda *given: foundry("check", "--format", "json", *given, "--project", str(world))
    assert diagnostics(check()) == []
    given = check("--base-url", "https://you.github.io/repo")
    assert given.code == 0 and diagnostics(given) == ["HF0724 themes/coast/root/robots.txt:0:0"], given.stdout
    assert "/repo/robots.txt" in given.stdout
    assert diagnostics(check()) == []
    wrong = check("--base-url", "https://you.github.io/repo/index.html")   # refused as build refuses it
    assert wrong.code == 2 and '--base-url "https://you.github.io/repo/"' in wrong.stderr, wrong.stderr


def test_a_file_a_host_reads_by_its_exact_name_is_said_when_spelt_in_another_case(tmp_path):
    """A theme's `root/ROBOTS.TXT` was published as /ROBOTS.TXT: crawlers ask for
    /robots.txt in lowercase (RFC 9309) and a Linux host's names are case-sensitive, so
    the team's Disallow rules were read by none, and the robots.txt naming the sitemap was
    left out for it too; `cname` and `_Headers` likewise (GitHub Pages and Netlify read
    `CNAME` and `_headers`). The build was clean. Now HF0725 at each such file, whose hint
    names the spelling the host reads; renamed so, the check is clean and the theme's
    robots.txt is the site's."""
    world = _project(tmp_path / "world", {
        "themes/coast/root/ROBOTS.TXT": b"User-agent: *\nDisallow: /drafts/\n",
        "themes/coast/root/cname": b"coast.example.org\n",
        "themes/coast/root/_Headers": HEADERS,
        "themes/coast/root/.Well-Known/security.txt": b"Contact: mailto:sec@example.org\n",
        "themes/coast/root/Favicon.ico": b"\x00\x00\x01\x00",   # read where a page links it: any name
    })
    config = world / "foundry.toml"
    config.write_text(config.read_text().replace("[project]\n", '[project]\nbase_url = "https://example.org/"\n', 1))
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0 and sorted(diagnostics(check)) == [
        "HF0725 themes/coast/root/.Well-Known/security.txt:0:0", "HF0725 themes/coast/root/ROBOTS.TXT:0:0",
        "HF0725 themes/coast/root/_Headers:0:0", "HF0725 themes/coast/root/cname:0:0"], check.stdout
    assert "Rename it themes/coast/root/robots.txt" in check.stdout, check.stdout
    # the hints followed
    for wrong, right in (("ROBOTS.TXT", "robots.txt"), ("cname", "CNAME"), ("_Headers", "_headers"),
                         (".Well-Known", ".well-known")):
        (world / "themes/coast/root" / wrong).rename(world / "themes/coast/root" / right)
    build = foundry("build", "--format", "json", "--only", "html", "--project", str(world), env=SOURCE_DATE_EPOCH)
    assert build.code == 0 and diagnostics(build) == [], build.stdout
    assert (world / "build/site/robots.txt").read_bytes() == b"User-agent: *\nDisallow: /drafts/\n"


def test_a_root_folder_where_the_generated_robots_txt_goes_is_said_at_its_file(tmp_path):
    """At a host's root the site writes robots.txt naming its sitemap; a theme's
    root/robots.txt/notes.txt (a folder of that name) stopped the build with HF0704
    'html and html both write site/robots.txt', no file named, and check was clean. Now
    HF0723 at the file, from check as from build, as for any path the site writes."""
    world = _project(tmp_path / "world", {"themes/coast/root/robots.txt/notes.txt": b"to do\n"})
    config = world / "foundry.toml"
    config.write_text(config.read_text().replace("[project]\n", '[project]\nbase_url = "https://example.org/"\n', 1))
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 1 and diagnostics(check) == ["HF0723 themes/coast/root/robots.txt/notes.txt:0:0"], check.stdout
    assert "site/robots.txt" in check.stdout
