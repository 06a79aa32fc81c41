"""The fragment ledger (engine/memo.py): a stored list row the last build found or made
fresh, none of whose inputs changed since, is reused without a digest over its inputs;
anything else — an input that changed, a row replaced since the ledger was written, a
ledger not sealed by this user — is checked by its digest as before."""

from __future__ import annotations

from types import SimpleNamespace

import pipeline.render.fragments as fragments_module
from pipeline.engine.memo import LEDGER, fragment_memo
from pipeline.load.cache import CACHE_DIR, ParseCache
from pipeline.render.fragments import Fragment
from pipeline.toolid import tool_id

RECIPES = {"html": f"{tool_id()}:2:x"}


def one_build(root, hashes: dict[str, str], drawn: list[str]) -> dict[str, bytes]:
    """A build asking for two cards, each reading its hero: what each card's bytes are;
    the cards drawn anew are added to `drawn`."""
    world = SimpleNamespace(project=SimpleNamespace(root=root))
    out = {}
    with fragment_memo(world, hashes, RECIPES, True) as (memo, keep):
        for hero in ("a", "b"):
            def draw(tracked, hero=hero):
                drawn.append(hero)
                return f"<li>{hero} {hashes[f'hero:{hero}']}</li>".encode()
            out[hero] = memo.get("html", set(), f"card/{hero}", lambda tracked, d=draw, h=hero: _reading(tracked, h, d))
        keep(list(memo.fresh), list(memo.kept))
    return out


def _reading(tracked, hero: str, draw) -> bytes:
    tracked.heroes.get(hero)   # the card reads its hero: the key `hero:<id>` is recorded
    return draw(tracked)


def test_a_row_the_ledger_vouches_for_is_reused_without_its_digest(tmp_path, monkeypatch):
    monkeypatch.setattr(fragments_module, "TrackedWorld", _Tracked)
    (tmp_path / "foundry.toml").write_text("")
    root = tmp_path
    drawn: list[str] = []
    first = {"hero:a": "1", "hero:b": "1"}
    assert one_build(root, first, drawn) == {"a": b"<li>a 1</li>", "b": b"<li>b 1</li>"}
    assert drawn == ["a", "b"] and (root / CACHE_DIR / LEDGER).is_file()

    digested: list[tuple[str, ...]] = []
    real = fragments_module.digest

    def counting(keys, hashes):
        digested.append(tuple(keys))
        return real(keys, hashes)
    monkeypatch.setattr(fragments_module, "digest", counting)
    drawn.clear()
    second = {"hero:a": "2", "hero:b": "1"}
    assert one_build(root, second, drawn) == {"a": b"<li>a 2</li>", "b": b"<li>b 1</li>"}
    assert drawn == ["a"]                               # only the edited hero's card is drawn again…
    assert ("hero:b",) not in digested                  # …and the other one is not even digested
    assert digested == [("hero:a",), ("hero:a",)]       # the stale row checked, the new one made

    # A row replaced since the ledger was written (by a build that left no ledger, or
    # by `foundry serve`) is not the row the ledger vouched for: its digest decides.
    cache = ParseCache(root, "fragments")
    key = f"html:{RECIPES['html']}|card/a"
    cache.put_row(key, Fragment(("hero:a",), real(("hero:a",), {"hero:a": "3"}), b"<li>a 3</li>").to_row())
    cache.save(prune=False)
    drawn.clear()
    assert one_build(root, second, drawn) == {"a": b"<li>a 2</li>", "b": b"<li>b 1</li>"}
    assert drawn == ["a"]

    # A ledger this user's key did not seal (committed by a pull request) is not read.
    drawn.clear()
    digested.clear()
    (root / CACHE_DIR / LEDGER).write_bytes(b'{"hashes": {}, "fresh": {}}')
    assert one_build(root, second, drawn) == {"a": b"<li>a 2</li>", "b": b"<li>b 1</li>"}
    assert drawn == [] and sorted(digested) == [("hero:a",), ("hero:b",)]


def test_rows_keep_their_bytes_exactly():
    for data in (b"<li>\"x\" \\ \xc3\xa9</li>\n\nnext", b"", b'{"a":"\\n"}', "nul \0 inside".encode()):
        row = Fragment(("hero:a", "words:fr"), "0" * 64, data)
        assert Fragment.from_row(row.to_row()) == row
    old_form = '[["hero:a"],"' + "1" * 64 + '","<li>a</li>"]'      # rows `foundry serve` writes
    assert Fragment.from_row(old_form) == Fragment(("hero:a",), "1" * 64, b"<li>a</li>")
    for broken in ("F" + "z" * 64 + "[]\nx", "F" + "0" * 64 + "[1]\nx", "F" + "0" * 64 + "[]", "[1,2]", "{"):
        assert Fragment.from_row(broken) is None


class _Tracked:
    """The smallest tracked World: `heroes.get(id)` records `hero:<id>`."""

    def __init__(self, world):
        self.reads: set[str] = set()
        reads = self.reads
        self.heroes = SimpleNamespace(get=lambda hero: reads.add(f"hero:{hero}"))


def test_a_build_digests_only_the_outputs_an_edit_reached(tmp_path, monkeypatch):
    """The artifacts' part of the ledger: after one hero edit, the outputs of the
    last build are found fresh without a digest unless they read that hero; the
    result is the bytes a build without the ledger makes."""
    import shutil

    import pipeline.write.state as state_module
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import build
    from support import REPO
    roots = []
    for name in ("with-ledger", "without"):
        root = tmp_path / name
        shutil.copytree(REPO / "tests" / "roots" / "minimal", root)
        assert build(root, Diagnostics(), ["json", "html"], workers=1).ok
        roots.append(root)
    (roots[1] / CACHE_DIR / LEDGER).unlink()
    digested: list[tuple[str, ...]] = []
    real = state_module.digest

    def counting(keys, hashes):
        digested.append(tuple(keys))
        return real(keys, hashes)
    monkeypatch.setattr(state_module, "digest", counting)
    for root in roots:
        hero = root / "content/heroes/first-hero.yaml"
        hero.write_text(hero.read_text().replace("Scout of the Marsh Road", "Scout of the Fen Road"))
    report = build(roots[0], Diagnostics(), ["json", "html"], workers=1)
    assert report.ok and report.reused and report.written
    assert digested and all("hero:first-hero" in keys for keys in digested)   # only what the edit reached
    digested.clear()
    assert build(roots[1], Diagnostics(), ["json", "html"], workers=1).ok
    assert len(digested) > len(report.reused)   # without a ledger every kept output is digested
    site = [sorted((p.relative_to(r / "build").as_posix(), p.read_bytes()) for p in (r / "build").rglob("*")
                   if p.is_file() and ".foundry" not in p.parts) for r in roots]
    assert site[0] == site[1]
