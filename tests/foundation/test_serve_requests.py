"""`foundry serve` answers hostile requests as a preview on localhost must: a request
that names another host (a page of the writer's browser using DNS rebinding, whose
own name resolves to 127.0.0.1) is refused, and no URL reaches a file outside
build/site — not the project's foundry.toml, not the machine's files.

The real `foundry serve` runs once for the module on the minimal project."""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading

import pytest

from support import REPO, ROOTS, as_a_terminal_starts_it


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--port", "0", "--project", str(root)],
                            cwd=REPO, stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"}, preexec_fn=as_a_terminal_starts_it)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    port, seen = None, []
    while port is None:
        line = lines.get(timeout=180)
        seen.append(line)
        match = re.search(r"Serving at http://127\.0\.0\.1:(\d+)/", line)
        port = int(match.group(1)) if match else None
        assert proc.poll() is None, "".join(seen)
    yield root, port
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)


def request(port: int, path: str, host: str | None = None, method: str = "GET") -> tuple[int, bytes]:
    """(status, body) of one request sent exactly as given (no URL normalising)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:{port}", "127.0.0.1.attacker.example",
                                  "localhost.attacker.example:{port}"])
def test_a_request_naming_another_host_is_refused(served, host):
    root, port = served
    for path in ("/", "/index.html", "/__foundry/status", "/__foundry/live.js"):
        for method in ("GET", "HEAD"):
            status, body = request(port, path, host.format(port=port), method)
            assert status == 403, (path, method, status)
            assert b"problems" not in body and b"<main" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "world.localhost:{port}"])
def test_the_names_of_this_machine_are_served(served, host):
    root, port = served
    status, body = request(port, "/index.html", host.format(port=port))
    assert status == 200 and b"/__foundry/live.js" in body
    status, body = request(port, "/__foundry/status", host.format(port=port))
    assert status == 200 and b"generation" in body


@pytest.mark.parametrize("path", ["/../foundry.toml", "/%2e%2e/foundry.toml", "/%2e%2e%2f%2e%2e%2ffoundry.toml",
                                  "/..%5c..%5cfoundry.toml", "//etc/passwd", "/__foundry/../../foundry.toml",
                                  "/api/v1/../../../foundry.toml", "/heroes/%2e%2e/%2e%2e/%2e%2e/foundry.toml"])
def test_no_url_reaches_a_file_outside_the_site(served, path):
    root, port = served
    status, body = request(port, path, f"127.0.0.1:{port}")
    assert status == 404, (path, status)
    assert b"[project]" not in body and b"root:" not in body
