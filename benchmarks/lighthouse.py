"""Lighthouse (mobile) on the sample world's site, served as a static host would.

    python benchmarks/lighthouse.py [--repeat 3] [--pages index.html,heroes/aria.html,stories/the-sunken-keep.html]

Builds the repository's sample world into a temporary copy (html and json), serves
build/site/ alone with Python's plain static server on 127.0.0.1, and runs npm
Lighthouse (node_modules/.bin/lighthouse, Debian's chromium through CHROME_PATH) on
each page --repeat times, with its default mobile settings (a Moto G class phone,
slow 4G, 4x CPU slowdown). Scores vary a lot with the load of the machine: the median
of the runs is reported, per category, with the median performance metrics, the page's
main-thread CPU time from each run's trace (what the page costs, whatever the load),
and the machine's 1-minute load average before and after each page's runs. Results
print as a table and are written to benchmarks/results/lighthouse.json. Nothing here
asserts: record what you measured, and on what, in docs/performance.md.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LIGHTHOUSE = REPO / "node_modules/.bin/lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index")
PAGES = ("index.html", "heroes/aria.html", "stories/the-sunken-keep.html")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def build_sample(where: Path) -> Path:
    """The sample world copied and built (html, json); returns its build/site/."""
    world = where / "world"
    shutil.copytree(REPO, world, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks",
                                                               ".foundry-*", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pipeline", "build", "--only", "html,json", "--project", str(world)],
                   cwd=REPO, check=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    return world / "build" / "site"


def main_thread_cpu(trace: dict, url: str) -> float:
    """CPU time (ms) of the page's renderer main thread over the whole run: the sum of
    its top-level tasks' thread time (`tdur`), not their wall time (`dur`). On a shared
    machine the wall time grows with every other process (and Lighthouse multiplies it
    by 4 into the blocking time); the CPU time says what the page itself costs."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    threads = {(e["pid"], e["tid"]) for e in events if e.get("name") == "ParseHTML"
               and e.get("args", {}).get("beginData", {}).get("url") == url}
    return sum(e.get("tdur", 0) for e in events if e.get("ph") == "X" and e.get("name") == "RunTask"
               and (e.get("pid"), e.get("tid")) in threads) / 1000


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run: category scores (0-100), metric values (ms, or unitless CLS),
    and the page's main-thread CPU time (ms)."""
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--save-assets", "--output=json", f"--output-path={out}",
                    "--only-categories=" + ",".join(CATEGORIES),
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run "
                    "--disable-background-networking --disable-component-update --disable-sync"],
                   check=True, env={**os.environ, "CHROME_PATH": CHROME}, timeout=300)
    report = json.loads(out.read_text())
    trace = out.with_name(out.stem + "-0.trace.json")   # --save-assets writes it beside the report
    return {"scores": {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
            "metrics": {m: report["audits"][m]["numericValue"] for m in METRICS},
            "cpu": main_thread_cpu(json.loads(trace.read_text()), url)}


def median_of(runs: list[dict]) -> dict:
    return {"scores": {c: statistics.median(r["scores"][c] for r in runs) for c in CATEGORIES},
            "metrics": {m: round(statistics.median(r["metrics"][m] for r in runs), 3) for m in METRICS},
            "runs": [r["scores"]["performance"] for r in runs],
            "main_thread_cpu_ms": round(statistics.median(r["cpu"] for r in runs), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} not found: run `npm ci --ignore-scripts` in {REPO}")
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                           "node": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()},
               "pages": {}}
    with tempfile.TemporaryDirectory() as tmp:
        site = build_sample(Path(tmp))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for page in args.pages.split(","):
                url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
                before = os.getloadavg()[0]
                runs = [lighthouse(url, Path(tmp) / f"run-{i}.json") for i in range(args.repeat)]
                results["pages"][page] = median_of(runs)
                # The machine is shared: the 1-minute load average around the runs says how
                # far the blocking time (main-thread time × 4) can be trusted.
                results["pages"][page]["load_average"] = [round(before, 1), round(os.getloadavg()[0], 1)]
                s = results["pages"][page]["scores"]
                print(f"{page:40} perf {s['performance']:>5}  a11y {s['accessibility']:>5}  "
                      f"bp {s['best-practices']:>5}  seo {s['seo']:>5}  (performance runs: "
                      f"{results['pages'][page]['runs']}, TBT {results['pages'][page]['metrics']['total-blocking-time']:.0f} ms, "
                      f"main-thread CPU {results['pages'][page]['main_thread_cpu_ms']} ms, "
                      f"load average {results['pages'][page]['load_average']})", flush=True)
        finally:
            server.shutdown()
            server.server_close()
    out = HERE / "results" / "lighthouse.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
