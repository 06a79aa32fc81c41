"""`foundry serve` answers an address it cannot serve with an error page, never with a
traceback in the writer's terminal: `%00` in a path (`/heroes/%00`, a scanner's
`/index.html%00.txt`) made `open()` raise inside the standard library's handler, and
socketserver printed the whole traceback and dropped the connection. An address the
site lacks is answered with the site's own 404 page, as a static host answers it (a page's address
with a slash after it too)."""

from __future__ import annotations

import signal
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import lxml.html

from support import start_serve


def raw_get(url: str, path: str) -> bytes:
    """The bytes the server answers to `GET path` sent as typed (urllib would quote it)."""
    where = urlsplit(url)
    with socket.create_connection((where.hostname, where.port), timeout=60) as s:
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_nul_in_the_address_is_a_404_not_a_traceback(project_factory):
    root = project_factory()
    proc, url = start_serve(root)
    try:
        with urllib.request.urlopen(url + "heroes/first-hero.html", timeout=60) as response:
            assert response.status == 200   # the first build is there
        for path in ("/heroes/%00", "/heroes/first-hero.html%00.txt", "/%00/"):
            answer = raw_get(url, path)
            assert answer.startswith(b"HTTP/1.0 404"), (path, answer[:200])
        with urllib.request.urlopen(url + "heroes/first-hero.html", timeout=60) as response:
            assert response.status == 200   # still serving
        # an address the site lacks: its own 404 page, as a static host shows it (it was
        # the standard library's "Error response"), with the live reload to follow a fix
        site_404 = lxml.html.fromstring((root / "build/site/404.html").read_bytes())
        # a page's address with a slash after it is no page (its relative links would
        # resolve a folder too deep), as on a static host
        for path in ("/no-such-page.html", "/heroes/no-such-hero.html", "/heroes/%00", "/heroes/first-hero.html/"):
            head, _, body = raw_get(url, path).partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.0 404"), (path, head)
            page = lxml.html.fromstring(body)
            assert page.findtext(".//title") == site_404.findtext(".//title") and "Error response" not in body.decode()
            assert page.xpath("//h1")[0].text_content() == site_404.xpath("//h1")[0].text_content(), path
            assert page.xpath("//script[contains(@src, '__foundry/live.js')]"), path
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err and "ValueError" not in err, err
