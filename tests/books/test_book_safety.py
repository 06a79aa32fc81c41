"""Content is untrusted: a hero whose background names local files and a server on
the network must get neither into a book, and each refusal is a diagnostic."""

from __future__ import annotations

import http.server
import io
import shutil
import threading

import pytest
from pypdf import PdfReader

from pipeline.diagnostics import Diagnostics
from pipeline.exporters.base import RenderContext
from pipeline.exporters.pdf import PdfExporter
from pipeline.exporters.pdf.fetcher import BASE_URL, ConfinedFetcher
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from support import REPO, ROOTS, foundry

HOSTILE = """
  ![passwd](../../../../../../../../../../etc/passwd)
  ![absolute](file:///etc/passwd)
  ![spy](http://127.0.0.1:{port}/spy.png)
  [a link, never fetched](http://127.0.0.1:{port}/link)
"""


class _Spy(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server API)
        _Spy.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def spy():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Spy)
    _Spy.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Spy.requests
    server.shutdown()


# The sample's Aria with her portrait (one image a sheet may show), in the small world
# of tests/roots/minimal: the books of the whole sample took minutes to make for one
# hero's sheet and the compendium, the two books her background appears in.
ARIA = """\
name: Aria Vell
title: Reed-Village Scout
template: scout
attributes: {agility: 13, constitution: 10}
portrait: ../assets/portraits/aria.png
background: |
  Aria Vell was born in a stilt-house that no longer stands, on the night the sea
  came up over the March of Ebb and did not go back down.
"""


@pytest.fixture
def hostile_world(tmp_path, spy):
    port, _ = spy
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    portraits = root / "content/assets/portraits"
    portraits.mkdir(parents=True)
    shutil.copy2(REPO / "content/assets/portraits/aria.png", portraits / "aria.png")
    (root / "content/heroes/aria.yaml").write_text(ARIA + HOSTILE.format(port=port), encoding="utf-8")
    return root


def test_build_refuses_local_files_and_the_network_with_diagnostics(hostile_world, spy):
    """Each image of the prose is refused before anything is rendered (HF0128, at its
    line: `check` says it as `build` does); the book's confined fetcher (HF0704) stays
    behind it, shown by the next test."""
    _, requests = spy
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(hostile_world),
                  env={"FOUNDRY_JOBS": "1"})
    assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    refused = [d for d in run.json()["diagnostics"] if d["code"] == "HF0128"]
    # (the `file:` address makes no image, but it is one the writer typed)
    assert [(d["file"], d["line"], d["column"]) for d in refused] == [
        ("content/heroes/aria.yaml", 10, 3), ("content/heroes/aria.yaml", 11, 3), ("content/heroes/aria.yaml", 12, 3)]
    messages = " ".join(d["message"] for d in refused)
    assert "etc/passwd" in messages and "127.0.0.1" in messages
    assert requests == []
    assert not (hostile_world / "build/pdf").exists()      # the error gate: nothing written
    check = foundry("check", "--format", "json", "--project", str(hostile_world))
    assert check.code == 1 and [d for d in check.json()["diagnostics"] if d["code"] == "HF0128"] == refused


def test_the_sheet_rendered_anyway_holds_neither_file_nor_fetch(hostile_world, spy):
    _, requests = spy
    diags = Diagnostics()
    world = load_world(load_project(hostile_world, diags), diags)
    exporter = PdfExporter()
    plan = exporter.plan(world)
    item = next(p for p in plan.items if p.path == "pdf/heroes/aria.pdf")
    data = exporter.render(RenderContext(world, diags, plan.setup), item)
    reader = PdfReader(io.BytesIO(data))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    images = [name for name, obj in reader.pages[0]["/Resources"].get("/XObject", {}).items()
              if obj.get_object().get("/Subtype") == "/Image"]
    assert len(images) == 1                                # the portrait, nothing else
    text = reader.pages[0].extract_text()
    assert "root:" not in text and "Aria Vell" in text
    # HF0704: each refused read; HF0128: the images (the file: one, which makes no image,
    # too), said by the check before any book is made.
    assert {d.code for d in diags.items} == {"HF0704", "HF0128"}
    assert any("file:" in d.message for d in diags.items if d.code == "HF0128")
    assert requests == []


def test_the_fetcher_serves_only_what_it_was_given():
    fetcher = ConfinedFetcher({BASE_URL + "theme/a.css": lambda: b"p {}"})
    assert fetcher.fetch(BASE_URL + "theme/a.css").read() == b"p {}"
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", BASE_URL + "theme/../../etc/passwd",
                BASE_URL + "media/other.png", "data:text/plain,hello"):
        with pytest.raises(PermissionError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_the_fetcher_serves_a_data_uri_only_when_the_theme_holds_its_bytes():
    # the print theme's `data:` images are judged at check (books/embedded.py) and served
    # by their bytes, however the URI is written; any other `data:` URI is refused
    from pipeline.exporters.books.theme import PrintTheme
    from pipeline.exporters.pdf.fetcher import theme_resources
    theme = PrintTheme({"css/a.css": b"p {}"}, {}, None, embedded=(b"<svg/>",))
    fetcher = ConfinedFetcher(theme_resources(theme))
    for written in ("data:image/svg+xml,%3Csvg/%3E", "data:image/svg+xml;base64,PHN2Zy8+"):
        response = fetcher.fetch(written)
        assert response.read() == b"<svg/>"
    with pytest.raises(PermissionError):
        fetcher.fetch("data:image/svg+xml,%3Csvg%3E%3C/svg%3E")
    assert fetcher.refused == ["data:image/svg+xml,%3Csvg%3E%3C/svg%3E"]


def test_a_resource_that_cannot_be_read_is_remembered():
    def gone() -> bytes:
        raise FileNotFoundError("portrait.png")

    fetcher = ConfinedFetcher({BASE_URL + "media/portrait.png": gone})
    with pytest.raises(FileNotFoundError):
        fetcher.fetch(BASE_URL + "media/portrait.png")
    assert fetcher.failed and fetcher.failed[0][0] == BASE_URL + "media/portrait.png" and not fetcher.refused
