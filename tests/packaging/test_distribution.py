"""What users install: the sdist and the wheel, built once per run, checked with twine,
installed into a fresh virtualenv, and driven as a writing team would drive them.

Every other test runs against the source tree; these are the ones that see a file
missing from the distribution (`foundry init` once crashed from the wheel because the
starter's extension-less `gitignore` was not package data)."""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from support import IN_CI, REPO, require_tool


def _run(args, cwd=None, env=None, timeout=600) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    full_env |= {"NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1700000000"} | (env or {})
    return subprocess.run([str(a) for a in args], cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=timeout)


def _require_build_tools() -> None:
    for module in ("build", "twine", "setuptools_scm", "uv"):
        try:
            __import__(module)
        except ImportError:
            if IN_CI:
                pytest.fail(f"{module} is not installed: .ci/run installs it from requirements.lock")
            pytest.skip(f"{module} is not installed (pip install -r requirements.lock)")


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel, built from this checkout without network (the build
    backend comes from the lock). The wheel is built from the sdist, as pip would."""
    _require_build_tools()
    out = tmp_path_factory.mktemp("dist")
    # from a clone, as a release is built: only what is committed ships, and the build
    # (which writes build/, *.egg-info and _version.py beside the sources) never touches
    # the checkout other tests are reading
    source = tmp_path_factory.mktemp("source") / "hero-foundry"
    run = _run(["git", "clone", "-q", "--no-hardlinks", REPO, source])
    assert run.returncode == 0, run.stderr
    run = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source], timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    # setuptools' deprecations are dated: each is a build that stops working on that day
    # (`project.license` as a TOML table: "deprecated", and refused after 2027-02-18)
    assert "deprecated" not in (run.stdout + run.stderr).lower(), run.stderr[-3000:]
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


def test_twine_accepts_both_distributions(dist):
    run = _run([sys.executable, "-m", "twine", "check", "--strict", dist["wheel"], dist["sdist"]])
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("PASSED") == 2, run.stdout


def test_both_distributions_carry_the_licences(dist):
    """The MIT licence of the code and the OFL of the fonts the wheel ships travel with
    both distributions (PEP 639: the wheel's .dist-info/licenses/, the sdist's root)."""
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = wheel.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(meta).decode()
        info = meta.rsplit("/", 1)[0]
        assert "MIT License" in wheel.read(f"{info}/licenses/LICENSE").decode()
        assert "Open Font License" in wheel.read(
            f"{info}/licenses/themes/default/print/fonts/LICENSE.txt").decode()
    assert "License-Expression: MIT AND OFL-1.1" in metadata
    with tarfile.open(dist["sdist"]) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        assert "MIT License" in sdist.extractfile(f"{top}/LICENSE").read().decode()


def _normal(name: str) -> str:
    """A distribution's name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_module_the_wheel_imports_is_a_dependency_it_declares(dist):
    """Each third-party module the package's code imports comes from a distribution the
    wheel requires itself (not only in the test extra, not only through another
    dependency): pikepdf was imported by a theme's PDF and declared only for the tests,
    and a user's build stopped with an internal error."""
    from importlib.metadata import packages_distributions
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))).decode()
        sources = {n: wheel.read(n).decode("utf-8") for n in wheel.namelist() if n.endswith(".py")}
    declared = {_normal(re.match(r"[A-Za-z0-9._-]+", line.split(":", 1)[1].strip()).group(0))
                for line in metadata.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    imported: dict[str, str] = {}
    for name, text in sources.items():
        for node in ast.walk(ast.parse(text, name)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top != "pipeline":
                    imported.setdefault(top, name)
    assert {"yaml", "weasyprint", "pikepdf"} <= set(imported)   # the walk sees imports, local ones too
    providers = packages_distributions()
    undeclared = {top: (where, providers.get(top)) for top, where in imported.items()
                  if not declared & {_normal(d) for d in providers.get(top, [])}}
    assert not undeclared, f"imported, not in the wheel's Requires-Dist (module: (file, distribution)): {undeclared}"


def _package_files() -> set[str]:
    """Every file inside the package as the code sees it: its loading paths are all
    under `pipeline/` (importlib.resources), the default theme through a symlink."""
    base = REPO / "pipeline"
    found = set()
    for parent, dirs, names in os.walk(base, followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            if not name.endswith(".pyc"):
                found.add("pipeline/" + (Path(parent) / name).relative_to(base).as_posix())
    return found


def test_wheel_holds_every_file_the_package_loads(dist):
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        shipped = set(wheel.namelist())
    missing = _package_files() - shipped
    assert not missing, f"not in the wheel: {sorted(missing)[:20]}"
    assert "pipeline/_version.py" in shipped
    # the ones that were once missing, and the kinds of file the code reads at run time
    for rel in ("pipeline/scaffold/starter/gitignore", "pipeline/serve/live.js",
                "pipeline/exporters/html/default_theme/templates/hero.html",
                "pipeline/exporters/html/default_theme/print/fonts/LinLibertine_R.otf",
                "pipeline/scaffold/ci/foundry.yml"):
        assert rel in shipped, rel
    # `foundry ci`'s workflow is a link in the checkout (to .github/workflows/): the
    # wheel holds the file itself, the same bytes
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        assert wheel.read("pipeline/scaffold/ci/foundry.yml") == (REPO / ".github/workflows/foundry.yml").read_bytes()


def test_every_resource_the_code_loads_lies_inside_the_package():
    """The loading paths, asked from the code itself: each is inside the package
    folder, so the wheel test above (every file in that folder ships) covers it."""
    from importlib import resources

    from pipeline.commands.init import STARTER
    from pipeline.commands.scaffold import BUILTIN_STORY_TEMPLATES

    package = resources.files("pipeline")
    for rel in (STARTER, BUILTIN_STORY_TEMPLATES, "exporters/html/default_theme", "serve/live.js",
                "scaffold/ci/foundry.yml"):
        path = Path(str(package.joinpath(rel)))
        assert path.exists(), rel
        assert ("pipeline/" + rel) in {f[: len("pipeline/" + rel)] for f in _package_files()}, rel


@pytest.fixture(scope="session")
def installed(dist, tmp_path_factory) -> Path:
    """A fresh virtualenv holding the wheel and only what it declares, at the lock's
    versions: what `pip install hero-foundry` gives a user. Returns its bin/ folder."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    # uv (from the lock) makes the venv and installs in seconds from its cache; pip's
    # resolver then checks that what the wheel declares is satisfied. The lock is a
    # constraint, not the list to install: it holds the test extra too (pikepdf,
    # tinyhtml5…), and a wheel that imported one without declaring it passed here while
    # it crashed for users.
    uv = [sys.executable, "-m", "uv"]
    run = _run([*uv, "venv", "-q", "--seed", "--python", sys.executable, venv])
    assert run.returncode == 0, run.stderr
    install = [*uv, "pip", "install", "-q", "--python", venv / "bin" / "python"]
    run = _run([*install, "--constraint", REPO / "requirements.lock", dist["wheel"]], timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    run = _run([venv / "bin" / "python", "-c", "import pytest"])
    assert run.returncode != 0, "the test extra reached the user's virtualenv"
    run = _run([venv / "bin" / "python", "-m", "pip", "check"])
    assert run.returncode == 0, run.stdout + run.stderr
    return venv / "bin"


def test_a_source_archive_reports_the_version_of_its_tag(tmp_path):
    """GitHub's source tarballs and "Download ZIP" are `git archive`s: no .git, so
    setuptools-scm found no tag and the build fell back to 0.1.0 whatever the release —
    `pip install https://github.com/…/archive/refs/tags/v0.2.0.tar.gz` made a wheel
    named 0.1.0 whose `foundry --version` said 0.1.0 (and `foundry ci` pinned it). git
    fills .git_archival.txt in as it writes the archive (.gitattributes: export-subst),
    and setuptools-scm reads the version from it: the tag's, or the next one's .devN."""
    _require_build_tools()
    clone = tmp_path / "clone"
    git_env = {"GIT_AUTHOR_NAME": "R", "GIT_AUTHOR_EMAIL": "r@example.org", "GIT_COMMITTER_NAME": "R",
               "GIT_COMMITTER_EMAIL": "r@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    assert _run(["git", "clone", "-q", REPO, clone]).returncode == 0
    assert _run(["git", "-C", clone, "tag", "v9.8.7"], env=git_env).returncode == 0
    for expected in ("9.8.7", "9.8.8.dev1"):
        archive, unpacked = tmp_path / f"{expected}.tar", tmp_path / expected
        assert _run(["git", "-C", clone, "archive", "--format=tar", "-o", archive, "HEAD"], env=git_env).returncode == 0
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="tar")
        assert not (unpacked / ".git").exists()
        run = _run([sys.executable, "-m", "setuptools_scm"], cwd=unpacked)   # the version a build there gets
        assert run.returncode == 0 and run.stdout.split()[-1] == expected, run.stdout + run.stderr
        assert _run(["git", "-C", clone, "commit", "-q", "--allow-empty", "-m", "Later"], env=git_env).returncode == 0


def test_a_source_archive_with_no_tag_reports_the_fallback_version(tmp_path):
    """An archive of a repository no `vX.Y.Z` tag reaches (a fork whose tags were not
    pushed, a branch cut before the first release) read "0.0": setuptools-scm made a
    version of .git_archival.txt's `node` line alone. `foundry ci` pinned
    `hero-foundry==0.0`, which no index holds, and a clone of the same commit is 0.1.N.devN.
    Now it is pyproject's fallback_version, as for any tree that knows no version."""
    _require_build_tools()
    clone = tmp_path / "clone"
    assert _run(["git", "clone", "-q", "--no-tags", REPO, clone]).returncode == 0
    for tag in _run(["git", "-C", clone, "tag"]).stdout.split():
        _run(["git", "-C", clone, "tag", "-d", tag])
    archive, unpacked = tmp_path / "untagged.tar", tmp_path / "untagged"
    assert _run(["git", "-C", clone, "archive", "--format=tar", "-o", archive, "HEAD"]).returncode == 0
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="tar")
    fallback = re.search(r'^fallback_version = "([^"]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    run = _run([sys.executable, "-m", "setuptools_scm"], cwd=unpacked)
    assert run.returncode == 0 and run.stdout.split()[-1] == fallback.group(1), run.stdout + run.stderr


def _authored_pdf() -> bytes:
    """A one-page PDF whose document information names its author."""
    import pikepdf
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(40, 20))
    pdf.docinfo["/Author"] = "SECRET author"
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def _version_of(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def test_installed_wheel_runs_every_verb(installed, dist, tmp_path):
    foundry = installed / "foundry"
    version = _version_of(dist["wheel"])

    run = _run([foundry, "--version"], cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.split()[-1] == version, run.stdout + run.stderr
    # the docs a hint names (`docs/importing.md`) are in no wheel: where they are, said by
    # `--help` and the package index from the metadata's one address
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    docs = re.search(r"^Project-URL: Documentation, (\S+)$", metadata, re.M)
    assert docs and docs.group(1).startswith("https://") and docs.group(1).endswith("/docs"), metadata[:2000]
    run = _run([foundry, "--help"], cwd=tmp_path)
    assert run.returncode == 0 and docs.group(1) in run.stdout, run.stdout + run.stderr

    run = _run([foundry, "init", "my world"], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    world = tmp_path / "my world"
    assert (world / ".gitignore").is_file()
    for args in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"],
                 ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--allow-empty", "-qm",
                  "start"]):   # (init made the repository, and a first commit if git knew who you are)
        assert _run(args, cwd=world).returncode == 0

    run = _run([foundry, "check"], cwd=world)
    assert run.returncode == 0, run.stdout + run.stderr

    # a theme's handout: published without its author by pikepdf, which the wheel once
    # imported without declaring it (an internal error for every user with a PDF there)
    (world / "themes/default/static").mkdir(parents=True)
    (world / "themes/default/static/handout.pdf").write_bytes(_authored_pdf())
    run = _run([foundry, "build"], cwd=world, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    build = world / "build"
    handout = (build / "site/assets/handout.pdf").read_bytes()
    assert handout.startswith(b"%PDF-") and b"SECRET" not in handout
    for pattern in ("**/index.html", "**/*.pdf", "**/*.epub", "**/*.ink", "**/*.twee", "**/manifest.json"):
        assert list(build.glob(pattern)), f"no {pattern} in build/"
    manifest = json.loads(next(build.glob("**/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["generator_version"] == version

    run = _run([foundry, "play", "first-story", "--choose", "1,1", "--json"], cwd=world)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "bank" in run.stdout

    run = _run([foundry, "new", "hero", "kestrel", "--template", "scout"], cwd=world)
    assert run.returncode == 0, run.stdout + run.stderr
    run = _run([foundry, "hero", "first-hero", "--level", "2"], cwd=world)
    assert run.returncode == 0, run.stdout + run.stderr
    run = _run([foundry, "schemas"], cwd=world)
    assert run.returncode == 0, run.stdout + run.stderr
    # the files these write come from the installed package, not from a checkout
    run = _run([foundry, "ci"], cwd=world)
    assert run.returncode == 0 and "jobs:" in (world / ".github/workflows/foundry.yml").read_text(), run.stderr
    run = _run([foundry, "theme", "eject", "templates/hero.html"], cwd=world)
    assert run.returncode == 0 and (world / "themes/default/templates/hero.html").is_file(), run.stderr

    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("xp: 120", "xp: 350"), encoding="utf-8")
    for args in (["git", "add", "-A"], ["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                                        "commit", "-qm", "more xp"]):
        assert _run(args, cwd=world).returncode == 0
    run = _run([foundry, "diff", "HEAD~1", "HEAD"], cwd=world)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    assert "first-hero" in run.stdout or "kestrel" in run.stdout, run.stdout
    run = _run([foundry, "history", "first-hero"], cwd=world)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_oldest_dependencies_it_declares_build_what_the_lock_builds(installed, dist, tmp_path):
    """pip keeps an installed package that meets the wheel's lower bound, so every bound
    is a version some user runs. At the old bounds `foundry check` crashed
    (markdown-it-py 3.0 has no MD_TRIM_CHARS), then the build (ebooklib 0.18, WeasyPrint
    61), translate-toolkit 3.13 read no PO file (9 false errors) and pydantic 2.6 wrote
    other JSON schemas. A virtualenv holding each dependency at the oldest version the
    wheel allows (`--resolution lowest-direct`) builds what the lock's builds, byte for
    byte, PDFs in their text (EPUBs left out: Pillow draws the cover, its PNG bytes
    differ by version)."""
    import shutil
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (Debian poppler-utils)")
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    requires = [line.split(": ", 1)[1] for line in metadata.splitlines()
                if line.startswith("Requires-Dist: ") and "extra ==" not in line]
    (tmp_path / "oldest.in").write_text("\n".join(requires) + "\n", encoding="utf-8")
    venv = tmp_path / "venv-oldest"
    uv = [sys.executable, "-m", "uv"]
    assert _run([*uv, "venv", "-q", "--python", sys.executable, venv]).returncode == 0
    install = [*uv, "pip", "install", "-q", "--python", venv / "bin" / "python"]
    run = _run([*install, "--resolution", "lowest-direct", "-r", tmp_path / "oldest.in"], timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    assert _run([*install, "--no-deps", dist["wheel"]]).returncode == 0
    run = _run([*uv, "pip", "check", "--python", venv / "bin" / "python"])
    assert run.returncode == 0, run.stdout + run.stderr

    made = {}
    for name, folder in (("lock", installed), ("oldest", venv / "bin")):
        (tmp_path / name).mkdir()
        run = _run([folder / "foundry", "init", "--no-git", "world"], cwd=tmp_path / name)   # one title for both
        assert run.returncode == 0, run.stdout + run.stderr
        world = tmp_path / name / "world"
        with (world / "foundry.toml").open("a", encoding="utf-8") as toml:
            toml.write('\n[l10n]\nlanguages = ["de"]\n')   # PO files read by translate-toolkit
        assert _run([folder / "foundry", "l10n", "extract"], cwd=world).returncode == 0
        run = _run([folder / "foundry", "check", "--format", "json"], cwd=world)
        assert run.returncode in (0, 1), run.stdout + run.stderr
        said = [(d["code"], d["file"]) for d in json.loads(run.stdout)["diagnostics"]]
        run = _run([folder / "foundry", "build", "--only", "json,html,ink,twee,pdf"], cwd=world)
        assert run.returncode == 0, run.stdout + run.stderr
        files = {p.relative_to(world / "build").as_posix(): p.read_bytes() for p in (world / "build").rglob("*")
                 if p.is_file() and ".foundry" not in p.parts}
        made[name] = said, files
    assert made["oldest"][0] == made["lock"][0]
    lock, oldest = made["lock"][1], made["oldest"][1]
    assert sorted(oldest) == sorted(lock)
    # PDFs: the same text on the same pages (fontTools' subsets and WeasyPrint's streams
    # are bytes of their own version); every other file is foundry's bytes alone
    assert [rel for rel in sorted(lock) if lock[rel] != oldest[rel] and not rel.endswith(".pdf")] == []
    for rel in (rel for rel in sorted(lock) if rel.endswith(".pdf")):
        texts = [_run(["pdftotext", "-layout", tmp_path / name / "world/build" / rel, "-"]).stdout
                 for name in ("lock", "oldest")]
        assert texts[0] == texts[1] and texts[0].strip(), rel


def _said_texts(tree: ast.Module):
    """Every string the code can say (constants and f-string parts), less docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            docstrings.add(id(node.body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


# "see docs/…", "docs/books.md lists the names…", and any file of scripts/ (the
# repository's, not the package's: "scripts/voice-sample.py shows one way")
SEE_DOCS = re.compile(r"\bsee\s+docs/|docs/[\w.-]+ lists\b|\bscripts/", re.IGNORECASE)
# ...in a file's text, across the quotes of strings Python joins (`"… (see "` `"docs/…"`)
SEE_DOCS_WRITTEN = re.compile(r"\bsee[\s\"'frbu]+docs/|docs/[\w.-]+ lists\b|\bscripts/", re.IGNORECASE)


def test_nothing_foundry_says_sends_a_user_to_read_a_file_of_docs():
    """The wheel ships no docs/ (nor scripts/): a hint or message saying "see
    docs/themes.md" points a user who installed it at nothing. A theme ejected from the wheel (`foundry theme
    eject`) with a name its page does not receive was told only "See docs/themes.md for
    the names each template receives", and a template syntax error the same; each hint
    now says what to do (the names, how a template is written), as fuzz30 and fuzz31 made
    the codes' own hints say. Read from the package's code, so a new one is caught."""
    pointers = []
    for path in sorted((REPO / "pipeline").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if not SEE_DOCS_WRITTEN.search(source):
            continue   # parsed only where it may be said (a docstring, mostly): every file was ~2 CPU-s
        for line, text in _said_texts(ast.parse(source, str(path))):
            if SEE_DOCS.search(text):
                pointers.append(f"{path.relative_to(REPO)}:{line}: {text[:80]}")
    assert pointers == []


def test_no_help_text_points_at_a_file_of_docs():
    """`foundry theme eject --help` ended "(docs/themes.md)", `build --help`'s --shard and
    `ci --help` "(docs/ci.md)": the wheel ships no docs/, so a user who installed it is
    pointed at nothing (the test above reads messages; a verb's help is its docstring).
    Every command's and option's help, as click shows it."""
    import click
    from pipeline.cli import cli

    def helps(command: click.Command, path: str):
        ctx = click.Context(command, info_name=path)
        yield path, command.get_help(ctx)
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                yield from helps(command.get_command(ctx, name), f"{path} {name}")

    pointers = [f"{path}: {line.strip()}" for path, text in helps(cli, "foundry")
                for line in text.splitlines() if re.search(r"\bdocs/|\bscripts/", line)]
    assert pointers == []
