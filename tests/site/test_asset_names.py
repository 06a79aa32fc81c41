"""A theme's static files keep their names in build/site/assets/, whatever a designer
called them (`map #2.png`, `50%41.css`, `ümlaut.css`, `g+h.css`, `i&j.css`), and
`asset(name)` links each so that a browser fetches that file, on a page in a folder, on
the 404 page (whose links are absolute) and under a GitHub Pages sub-path. Checked with
linkinator over Python's static server, as tests/site/test_web_root.py checks the site.

Before, asset() wrote the name as it stands: `#` and `?` were read as a fragment or a
query (the build stopped with HF0701 `site/assets/c` for a correct call) and `%41` was
decoded by the browser as `A` (a file nobody wrote)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from site_support import SOURCE_DATE_EPOCH, h, parse
from support import REPO, foundry
from test_web_root import broken, linkinator, static_server

NAMES = ["c#d.css", "k%41.css", "a b.css", "ümlaut.css", "g+h.css", "i&j.css"]
PICTURE = "map #2 (50%).png"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _with_head(template: str) -> str:
    """The default theme's template with a head block linking every odd name."""
    links = "".join(f"<link rel=\"stylesheet\" href=\"{{{{ asset('{n}') }}}}\">" for n in NAMES)
    picture = f"<img src=\"{{{{ asset('{PICTURE}') }}}}\" alt=\"\" width=\"40\" height=\"30\">"
    source = (REPO / "themes/default/templates" / template).read_text(encoding="utf-8")
    head = "{% block head %}" + links + "{% endblock %}"
    return source.replace("{% block main %}", head + "{% block main %}" + picture, 1)


@pytest.fixture(scope="module")
def odd_names_site(tmp_path_factory):
    from support import write_project
    files: dict[str, str | bytes] = {f"themes/default/static/{n}": f"/* {n} */ body {{ margin: 0 }}\n" for n in NAMES}
    files[f"themes/default/static/{PICTURE}"] = _png()
    files["themes/default/templates/hero.html"] = _with_head("hero.html")
    files["themes/default/templates/404.html"] = _with_head("404.html")
    root = write_project(tmp_path_factory.mktemp("asset-names") / "proj", files)
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"',
                                                 'theme = "default"\nbase_url = "https://example.org/repo/"'))
    run = foundry("build", "--only", "html", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    return root / "build" / "site"


def test_every_odd_asset_name_is_published_as_it_stands(odd_names_site):
    for name in [*NAMES, PICTURE]:
        assert (odd_names_site / "assets" / name).is_file(), name


def test_linkinator_reaches_every_asset_under_a_sub_path(odd_names_site, tmp_path):
    parent = tmp_path / "host"
    parent.mkdir()
    (parent / "repo").symlink_to(odd_names_site, target_is_directory=True)
    with static_server(parent) as origin:
        links = linkinator(f"{origin}/repo/heroes/first-hero.html", f"{origin}/repo/404.html")
    assert not broken(links)
    fetched = {link["url"] for link in links if link["state"] == "OK"}
    # Each name was asked for (and found) both from the hero page and from the 404 page.
    for encoded in ("c%23d.css", "k%2541.css", "a%20b.css", "%C3%BCmlaut.css", "g%2Bh.css", "i%26j.css",
                    "map%20%232%20%2850%25%29.png"):
        assert f"{origin}/repo/assets/{encoded}" in fetched, (encoded, sorted(fetched))


def test_the_links_lead_to_the_same_bytes(odd_names_site):
    # The link decoded is the file's own name, from a page in a folder and from 404.html.
    from urllib.parse import unquote
    hero = parse(odd_names_site / "heroes/first-hero.html")
    hrefs = [e.get("href") for e in hero.iter(h("link")) if e.get("rel") == "stylesheet"]
    assert [unquote(u) for u in hrefs if u.startswith("../assets/") and "/* " not in u][-len(NAMES):] == \
        [f"../assets/{n}" for n in NAMES]
    lost = parse(odd_names_site / "404.html")
    assert f"/repo/assets/{PICTURE}" in [unquote(e.get("src")) for e in lost.iter(h("img"))]
