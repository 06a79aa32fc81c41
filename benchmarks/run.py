"""Time foundry on a synthetic world, and the peers on the same Markdown pages.

    python benchmarks/run.py --heroes 10000 --stories 500 [--outputs json,html] [--peers] [--repeat 3]

Each measurement is a whole process (what a user waits for), the median of --repeat
runs, with the peak memory of the slowest run, the CPU time (user + system of the
process and its workers, the number a shared machine inflates least) and the load
average around the runs. Results print as a table and are written as JSON to
benchmarks/results/<size>.json. Nothing here asserts: record what you measured, and on
what, in docs/performance.md.

foundry runs from this checkout (PYTHONPATH is set to it), not from whatever copy is
installed. With --peers, Hugo builds the same world with a layout equivalent to our
hero page (benchmarks/hugo_peer.py) in the same run, and its ratio is taken against
our html build; MkDocs, Pelican and Hugo with a one-line layout build the same number
of plain Markdown pages.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate, prose  # noqa: E402
from pipeline.exporters.html.theme import default_theme_dir  # noqa: E402

TIMEOUT = 900   # seconds; MkDocs' default theme puts the whole navigation on every page (quadratic)
MEASURE = ("import resource, subprocess, sys, time\n"
           "t = time.perf_counter()\n"
           "try:\n"
           f"    code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout={TIMEOUT}).returncode\n"
           "except subprocess.TimeoutExpired:\n"
           "    code = 124\n"
           "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "print(time.perf_counter() - t, usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime)")
# This checkout's foundry, not an installed one; and no 120-second limit per artifact
# (budget.py): on a shared machine a 10,000-row list can take longer than that to
# render, and a build stopped by the limit measures nothing.
CHECKOUT = {"PYTHONPATH": str(HERE.parent), "FOUNDRY_RENDER_SECONDS": os.environ.get("FOUNDRY_RENDER_SECONDS", "3600")}


def timed_env(extra: dict | None = None) -> dict:
    """The environment of a timed foundry: this shell's, with CHECKOUT, and without
    PYTHONDONTWRITEBYTECODE — pip compiles an installed foundry's bytecode, while a
    shell that sets the variable made every timed run compile ~150 modules again
    (~0.7 CPU-s each, found in the fifth session)."""
    env = {**os.environ, **CHECKOUT, **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, int, float]:
    """(wall seconds, peak KiB, exit code, CPU seconds) of one whole process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=cwd, capture_output=True, text=True,
                         env=timed_env(env))
    seconds, peak, code, cpu = out.stdout.split()
    return float(seconds), int(peak), int(code), float(cpu)


def median(cmd: list[str], cwd: Path, repeat: int, before=None, env: dict | None = None, label: str = "") -> dict:
    runs, loads = [], [os.getloadavg()[0]]
    for _ in range(repeat):
        if before:
            before()
        runs.append(measure(cmd, cwd, env))
        loads.append(os.getloadavg()[0])
    result = {"seconds": round(statistics.median(r[0] for r in runs), 3),
              "cpu_seconds": round(statistics.median(r[3] for r in runs), 3),
              "peak_mib": round(max(r[1] for r in runs) / 1024, 1), "exit": max(r[2] for r in runs),
              "load": [round(min(loads), 1), round(max(loads), 1)]}
    print(f"  {label or ' '.join(cmd[-3:])}: {result}", flush=True)  # progress, in case a later step hangs
    return result


def foundry(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def edit(path: Path, marker: str):
    """A real edit each time (a comment with a counter), so no run is a no-op."""
    counter = {"n": 0}

    def apply() -> None:
        counter["n"] += 1
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":  # a sentence added to the first scene's prose
            if counter["n"] == 1:
                heading_end = text.index("\n", text.index("\n## ") + 1)
                text = text[:heading_end] + f"\n\n{marker} {counter['n']}." + text[heading_end:]
            else:
                text = text.replace(f"{marker} {counter['n'] - 1}.", f"{marker} {counter['n']}.", 1)
        elif path.suffix in (".yaml", ".html", ".css"):
            comment = "#" if path.suffix == ".yaml" else "<!--" if path.suffix == ".html" else "/*"
            close = "" if path.suffix == ".yaml" else " -->" if path.suffix == ".html" else " */"
            text += f"\n{comment} {marker} {counter['n']}{close}\n"
        path.write_text(text, encoding="utf-8")
    return apply


STEPS = ("check", "full", "edits", "serve")


def ours(world: Path, outputs: str, repeat: int, steps: tuple[str, ...] = STEPS) -> dict:
    cache = world / ".foundry-cache"
    results = {}
    if "check" in steps:
        results["check_cold"] = median(foundry("check"), world, repeat, lambda: shutil.rmtree(cache, ignore_errors=True))
        results["check_warm"] = median(foundry("check"), world, repeat)
    if "full" not in steps:
        return results
    for output in outputs.split(","):
        results[f"build_{output}_full"] = median(foundry("build", "--only", output), world, 1,
                                                 lambda: shutil.rmtree(world / "build", ignore_errors=True))
    shutil.rmtree(world / "build", ignore_errors=True)
    results["build_full"] = median(foundry("build", "--only", outputs), world, 1)
    results["build_noop"] = median(foundry("build", "--only", outputs), world, repeat)
    if "edits" not in steps:
        return results
    results["build_one_hero_edited"] = median(foundry("build", "--only", outputs), world, repeat,
                                              edit(world / "content/heroes/hero-7.yaml", "# bench"))
    # A value every output shows (a comment edit changes no page: the engine's cut-off
    # renders nothing then): the hero's xp, so its level, sheet, row and cards may change.
    results["build_one_hero_value_edited"] = median(foundry("build", "--only", outputs), world, repeat,
                                                    set_xp(world / "content/heroes/hero-42.yaml"))
    results["build_one_story_edited"] = median(foundry("build", "--only", outputs), world, repeat,
                                               edit(world / "content/stories/story-3.md", "Bench"))
    if "html" in outputs:
        # The project's own copy of one template (it wins over foundry's), then edits to it.
        theme = world / "themes/default/templates/hero.html"
        theme.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(default_theme_dir() / "templates/hero.html", theme)
        measure(foundry("build", "--only", outputs), world)
        results["build_theme_template_edited"] = median(foundry("build", "--only", outputs), world, repeat,
                                                        edit(theme, "bench"))
        if "serve" in steps:
            reload = serve_reload(world, repeat)
            results["serve_save_hero_to_reload"] = reload["hero"]
            results["serve_save_story_to_reload"] = reload["story"]
    return results


def set_xp(path: Path):
    """A value edit: the hero's `xp:` line gets a new value each time (10, 20, …)."""
    counter = {"n": 0}

    def apply() -> None:
        counter["n"] += 1
        lines = path.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("xp:"))
        lines[at] = f"xp: {10 * counter['n']}"
        path.write_text("\n".join(lines), encoding="utf-8")
    return apply


def rename(path: Path):
    """An edit a hero's page shows: its name gets a counter (a comment would change
    the data files but no page, and no page would be told to reload)."""
    counter = {"n": 0}

    def apply() -> None:
        counter["n"] += 1
        lines = path.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("name:"))
        lines[at] = lines[at].split(" (", 1)[0] + f" ({counter['n']})"
        path.write_text("\n".join(lines), encoding="utf-8")
    return apply


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc (Linux); 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A port nobody listens on now (the machine is shared: a fixed one may be taken)."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_mib(pid: int) -> float:
    """The largest resident set a running process has had (VmHWM, Linux), in MiB; 0 elsewhere."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def serve_reload(world: Path, repeat: int, port: int | None = None) -> dict:
    """`foundry serve`: seconds from saving a file to the server telling the open pages
    that THIS page changed (a new generation whose changed paths name it; what
    serve/live.js reloads on), the median of `repeat` edits: a hero (its page), then a
    story (its page). Returns {"hero": result, "story": result}; each result has the
    server's own CPU seconds per save (user + system, from /proc) and its peak
    resident set so far (the World stays in its memory between saves)."""
    import urllib.request
    port = port or free_port()
    status = f"http://127.0.0.1:{port}/__foundry/status"

    def current() -> dict | None:
        try:
            with urllib.request.urlopen(status, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            return None

    def names(state: dict | None, since: int, page: str) -> bool:
        if state is not None and "recent" not in state:   # a foundry before 2026-11-30: every page reloads
            return state["generation"] > since
        return state is not None and any(gen > since and (paths is None or page in paths)
                                         for gen, paths in state.get("recent", []))

    server = subprocess.Popen([*foundry("serve", "--port", str(port))], cwd=world, env=timed_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = {}
    try:
        # the server answers after its first build, a whole build of the world
        deadline = time.monotonic() + 4 * TIMEOUT
        while current() is None and time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"foundry serve stopped (exit {server.returncode}) before serving on port {port}")
            time.sleep(0.2)
        # let the watcher start and its catch-up build finish (the status counts every
        # build: the first and the catch-up), so that no save waits for it
        while (state := current()) is not None and state.get("builds", 2) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)
        hero = sorted((world / "content/heroes").glob("*.yaml"))[-1]
        story = sorted((world / "content/stories").glob("*.md"))[-1]
        for label, path, page in (("hero", hero, f"heroes/{hero.stem}.html"),
                                  ("story", story, f"stories/{story.stem}.html")):
            apply, runs = (edit(path, "Serve") if path.suffix == ".md" else rename(path)), []
            cpu, settled, loads = [], [], [os.getloadavg()[0]]
            for _ in range(repeat):
                before, used = current()["generation"], cpu_seconds(server.pid)
                start = time.perf_counter()
                apply()
                while not names(current(), before, page) and time.perf_counter() - start < TIMEOUT:
                    time.sleep(0.02)   # polling the server competes with its build for the GIL
                runs.append(time.perf_counter() - start)
                cpu.append(cpu_seconds(server.pid) - used)
                loads.append(os.getloadavg()[0])
                time.sleep(2)   # the server writes the build state once idle (engine/resident.py flush)
                settled.append(cpu_seconds(server.pid) - used)
            results[label] = {"seconds": round(statistics.median(runs), 3), "peak_mib": peak_mib(server.pid), "exit": 0,
                              "runs": [round(r, 3) for r in runs],
                              # on a shared machine the server's own CPU time says more than the wall clock
                              "server_cpu_seconds": round(statistics.median(cpu), 3),
                              "cpu_seconds": round(statistics.median(cpu), 3), "cpu_runs": [round(c, 3) for c in cpu],
                              # and with what it did once idle after the reload (the build state written)
                              "settled_cpu_runs": [round(c, 3) for c in settled],
                              "load": [round(min(loads), 1), round(max(loads), 1)]}
            print(f"  serve save {label} → its page told to reload: {results[label]}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def peer_pages(out: Path, pages: int) -> None:
    """The same synthetic Markdown pages for every peer: front matter + ~400 words."""
    import random
    rng = random.Random(7)
    shutil.rmtree(out, ignore_errors=True)
    (out / "docs").mkdir(parents=True)
    for i in range(pages):
        body = "\n\n".join(["## Part one", prose(rng, 130), "- a list\n- of things", "## Part two", prose(rng, 130),
                            "[a link](https://example.org)", "```\ncode block\n```", prose(rng, 130)])
        (out / "docs" / f"page-{i}.md").write_text(f"---\ntitle: Page {i}\ndate: 2024-01-01\n---\n\n{body}\n")
    (out / "docs" / "index.md").write_text("---\ntitle: Home\ndate: 2024-01-01\n---\n\nHome.\n")


def hugo_equivalent(world: Path, repeat: int) -> dict:
    """Hugo on the same world with a layout equivalent to ours (benchmarks/hugo_peer.py):
    the site is written once, untimed; each timed run starts without Hugo's resource
    cache (resized portraits), as our clean build starts without build/."""
    from hugo_peer import write_site
    site = Path("/tmp/foundry-bench-hugo-equivalent")
    pages = write_site(world, site)

    def clean() -> None:
        for folder in ("public", "resources"):
            shutil.rmtree(site / folder, ignore_errors=True)
    result = median(["hugo", "--quiet", "-d", str(site / "public")], site, repeat, clean, label="hugo, equivalent layout")
    result["content_pages"] = pages
    result["html_pages"] = len(list((site / "public").rglob("*.html")))
    return result


def peers(pages: int, repeat: int, wanted: set[str] = frozenset({"hugo", "mkdocs", "pelican"})) -> dict:
    out = Path("/tmp/foundry-bench-peers")
    peer_pages(out, pages)
    results = {}
    if "mkdocs" in wanted and shutil.which("mkdocs"):
        (out / "mkdocs.yml").write_text("site_name: Bench\nuse_directory_urls: false\n")
        results["mkdocs"] = median(["mkdocs", "build", "-q", "-d", str(out / "site-mkdocs")], out, repeat)
    if "pelican" in wanted and shutil.which("pelican"):
        (out / "pelicanconf.py").write_text("SITENAME = 'Bench'\nTIMEZONE = 'UTC'\nDEFAULT_LANG = 'en'\n")
        results["pelican"] = median(["pelican", "docs", "-o", str(out / "site-pelican"), "-s",
                                     str(out / "pelicanconf.py"), "-q"], out, repeat)
    if "hugo" in wanted and shutil.which("hugo"):
        hugo = out / "hugo"
        shutil.rmtree(hugo, ignore_errors=True)
        (hugo / "content").mkdir(parents=True)
        for page in (out / "docs").glob("*.md"):
            shutil.copy(page, hugo / "content" / page.name)
        (hugo / "hugo.toml").write_text("title = 'Bench'\ndisableKinds = ['taxonomy', 'term', 'RSS']\n")
        layouts = hugo / "layouts" / "_default"  # Hugo renders nothing without layouts
        layouts.mkdir(parents=True)
        page = "<!doctype html><html><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>"
        (layouts / "single.html").write_text(page)
        (layouts / "list.html").write_text(page.replace("{{ .Content }}", "{{ range .Pages }}<p>{{ .Title }}</p>{{ end }}"))
        results["hugo_bare"] = median(["hugo", "--quiet", "-d", str(out / "site-hugo")], hugo, repeat)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--heroes", type=int, default=1000)
    parser.add_argument("--stories", type=int, default=50)
    parser.add_argument("--outputs", default="json,html")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peers", nargs="?", const="hugo,mkdocs,pelican", default="",
                        help="Also build with the peers (all, or a list: hugo,mkdocs,pelican).")
    parser.add_argument("--world", type=Path, default=Path("/tmp/foundry-bench-world"))
    parser.add_argument("--steps", default=",".join(STEPS),
                        help="Which of ours to time (check, full, edits, serve; edits and serve need full). "
                             "`--steps full --outputs html --peers` is the Hugo comparison alone.")
    parser.add_argument("--serve-only", action="store_true",
                        help="Only `foundry serve`'s save → reload (the world is built by the server's first build). "
                             "A --world that has content/ is used as it is (a copy of a generated world), "
                             "not generated again.")
    args = parser.parse_args()
    if not (args.serve_only and (args.world / "content").is_dir()):
        generate(args.world, args.heroes, args.stories, max(1, args.heroes // 20), max(1, args.stories))
    else:   # a given world: its own size names the results, not the defaults
        args.heroes = len(list((args.world / "content/heroes").glob("*.yaml")))
        args.stories = len(list((args.world / "content/stories").glob("*.md")))
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
               "load_average": os.getloadavg()}   # a shared machine: say how busy it was
    if args.serve_only:
        reload = serve_reload(args.world, args.repeat)
        ran = {"serve_save_hero_to_reload": reload["hero"], "serve_save_story_to_reload": reload["story"]}
    else:
        ran = ours(args.world, args.outputs, args.repeat, tuple(args.steps.split(",")))
    machine["load_average_after"] = os.getloadavg()
    results = {"machine": machine, "size": {"heroes": args.heroes, "stories": args.stories}, "foundry": ran}
    html_pages = len(list((args.world / "build/site").rglob("*.html"))) if (args.world / "build/site").is_dir() else 0
    results["size"]["html_pages"] = html_pages
    if args.peers:
        wanted = set(args.peers.split(","))
        if "hugo" in wanted and shutil.which("hugo"):   # first, right after our html build: same run, same load
            results["hugo_equivalent"] = hugo_equivalent(args.world, max(1, args.repeat))
        results["peers"] = peers(max(html_pages, 1), max(1, args.repeat // 2), wanted)
        results["peers"]["pages"] = max(html_pages, 1)
    report(results)
    out = HERE / "results" / f"{args.heroes}h-{args.stories}s.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {out}")


def report(results: dict) -> None:
    print(f"{'measurement':<34}{'seconds':>10}{'CPU s':>10}{'peak MiB':>10}  load")
    for name, r in results["foundry"].items():
        cpu = f"{r['cpu_seconds']:>10.2f}" if r.get("cpu_seconds") is not None else f"{'':>10}"
        print(f"{name:<34}{r['seconds']:>10.2f}{cpu}{r['peak_mib']:>10.1f}  {r['load'][0]}–{r['load'][1]}"
              + ("" if r["exit"] == 0 else "  (failed)"))
    hugo, ours_html = results.get("hugo_equivalent"), results["foundry"].get("build_html_full")
    if hugo and ours_html:
        print(f"{'hugo, equivalent layout':<34}{hugo['seconds']:>10.2f}{hugo['cpu_seconds']:>10.2f}{hugo['peak_mib']:>10.1f}"
              f"  {hugo['load'][0]}–{hugo['load'][1]}  ({hugo['html_pages']} pages; ours {results['size']['html_pages']})")
        print(f"  foundry html / hugo: wall {ours_html['seconds'] / hugo['seconds']:.1f}×, "
              f"CPU {ours_html['cpu_seconds'] / max(hugo['cpu_seconds'], 0.001):.1f}×")
    peers_ = results.get("peers", {})
    full = results["foundry"].get("build_full", {}).get("seconds")
    for name, r in peers_.items():
        if name == "pages":
            continue
        ratio = ""
        if full and r["exit"] != 0:
            ratio = f"  did not finish ({r['exit']}); foundry at least {r['seconds'] / full:.1f}× faster"
        elif full:
            faster = r["seconds"] >= full
            ratio = f"  {'foundry' if faster else name} is {max(r['seconds'], full) / min(r['seconds'], full):.1f}× faster"
        print(f"{name + ' (same page count)':<34}{r['seconds']:>10.2f}{r['peak_mib']:>10.1f}{ratio}")


if __name__ == "__main__":
    main()
