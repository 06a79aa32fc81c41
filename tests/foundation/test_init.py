"""`foundry init`: a new project that checks and builds as written, and never writes
over anything."""

from __future__ import annotations

import re

from support import ROOTS, foundry

from .helpers import invoke, snapshot


def test_init_writes_the_minimal_root_and_it_checks_and_builds(tmp_path):
    target = tmp_path / "minimal"
    run = foundry("init", str(target))  # once through the installed entry point
    assert run.code == 0, run.stderr
    assert f"Created {target}/" in run.stderr
    # tests/roots/minimal is a verbatim copy of what init writes: keep the two in step.
    written = {rel: digest for rel, digest in snapshot(target).items() if rel.split("/")[0] != ".git"}
    assert written == snapshot(ROOTS / "minimal"), \
        "the starter changed: copy a fresh `foundry init` output into tests/roots/minimal"

    check = invoke("check", "--project", str(target))
    assert check.exit_code == 0 and check.stderr.strip() == "No problems found.", check.stderr
    build = invoke("build", "--project", str(target), "--only", "json")
    assert build.exit_code == 0, build.stderr
    api = target / "build" / "api" / "v1"
    for rel in ("manifest.json", "bundle.json", "heroes/first-hero.json", "stories/first-story.json",
                "quests/first-quest.json", "characters/old-guide.json"):
        assert (api / rel).is_file(), rel


def test_init_files_point_the_editor_at_their_schema(tmp_path):
    target = tmp_path / "world"
    assert invoke("init", str(target), "--title", "Salt & Ash").exit_code == 0
    assert 'title = "Salt & Ash"' in (target / "foundry.toml").read_text()
    yaml_files = sorted((target / "content").rglob("*.yaml"))
    assert len(yaml_files) == 4
    for path in yaml_files:
        first = path.read_text().splitlines()[0]
        m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert m, path
        assert (path.parent / m[1]).resolve().is_file(), (path, m[1])


def test_init_writes_around_a_repository_made_on_github(tmp_path, monkeypatch):
    """A writer's first step: a repository made on GitHub (README.md, LICENSE, a
    .gitignore from GitHub's templates, .github/), cloned, then `foundry init .` — it
    was refused as "not empty". The project is written around their files, none of them
    changed but .gitignore, which gains (at its end, in its own line ends) the lines a
    build needs that it lacks; the clone's repository is left to the user."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ann\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    target = tmp_path / "my-world"
    assert _git(tmp_path, "init", "-q", str(target)).returncode == 0
    ignores = b"# Byte-compiled / optimized\r\n__pycache__/\r\nbuild/\r\n.env\r\n"
    theirs = {"README.md": b"# my-world\n", "LICENSE": b"MIT License\n", ".gitignore": ignores,
              ".github/workflows/lint.yml": b"name: lint\non: push\njobs: {}\n"}
    for rel, data in theirs.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(data)
    assert _git(target, "add", "-A").returncode == 0 and _git(target, "commit", "-qm", "Initial commit").returncode == 0
    monkeypatch.chdir(target)
    run = invoke("init", ".")
    assert run.exit_code == 0, run.stderr
    assert "kept as it was: .github/, LICENSE, README.md" in run.stderr, run.stderr
    assert "Next: foundry check && foundry build" in run.stderr   # no `cd .`
    for rel, data in theirs.items():
        if rel != ".gitignore":
            assert (target / rel).read_bytes() == data, rel
    merged = (target / ".gitignore").read_bytes()
    assert merged.startswith(ignores) and b"\n" not in merged.replace(b"\r\n", b"")
    lines = merged.decode().splitlines()
    assert lines.count("build/") == 1 and ".foundry-cache/" in lines, lines
    assert "Added to your .gitignore the 6 lines" in run.stderr, run.stderr
    assert _git(target, "diff", "--name-only").stdout.split() == [".gitignore"]   # nothing else of theirs touched
    assert _git(target, "rev-list", "--count", "HEAD").stdout.strip() == "1"      # their repository, no commit of ours
    assert invoke("check", "--project", str(target)).stderr.strip() == "No problems found."
    # what init writes equals what it writes into an empty folder (the minimal root)
    written = {rel: digest for rel, digest in snapshot(target).items()
               if rel.split("/")[0] not in (".git", ".github") and rel not in theirs}
    minimal = snapshot(ROOTS / "minimal")
    assert written.pop("foundry.toml") != minimal.pop("foundry.toml")   # the title: "My World"
    assert 'title = "My World"' in (target / "foundry.toml").read_text()
    assert written == {rel: digest for rel, digest in minimal.items() if rel != ".gitignore"}
    assert invoke("build", "--project", str(target), "--only", "json").exit_code == 0
    assert _git(target, "status", "--porcelain", "--untracked-files=all").stdout.count("build/") == 0


def test_init_commits_only_what_it_wrote_around_the_users_files(tmp_path, monkeypatch):
    """A folder with no repository holding the user's files (a downloaded copy, notes, a
    `.env` of secrets): init made the repository and `git add --all` put their files
    into its first commit. The commit holds what init wrote, and init says the rest is
    left for them."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ann\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    target = tmp_path / "mine"
    (target / "notes").mkdir(parents=True)
    (target / "notes" / "ideas.md").write_text("My own notes.\n")
    (target / ".env").write_text("TOKEN=secret\n")
    (target / ".vscode").mkdir()
    (target / ".vscode" / "settings.json").write_text('{"editor.tabSize": 2}\n')
    run = invoke("init", str(target))
    assert run.exit_code == 0, run.stderr
    committed = set(_git(target, "ls-files").stdout.split())
    assert committed == {rel for rel, kind in snapshot(ROOTS / "minimal").items() if kind != "dir"} - \
        {".vscode/settings.json"}, committed
    assert "(.env, .vscode/, notes/) is not in that commit" in run.stderr, run.stderr
    assert (target / ".vscode" / "settings.json").read_text() == '{"editor.tabSize": 2}\n'
    assert "Kept your .vscode/settings.json as it was" in run.stderr and "yaml.schemas" in run.stderr
    assert (target / "notes" / "ideas.md").read_text() == "My own notes.\n"
    assert invoke("check", "--project", str(target)).exit_code == 0


def test_init_writes_nothing_when_a_file_of_the_project_is_there(tmp_path):
    """Around, never over: a folder already holding a file the new project has (or a
    link or a file where one of its folders goes) is refused whole, every one named,
    nothing written; one holding a foundry.toml is a project already."""
    target = tmp_path / "mine"
    (target / "content" / "heroes").mkdir(parents=True)
    (target / "content" / "heroes" / "first-hero.yaml").write_text("name: Mine\n")
    (target / "schemas").write_text("not a folder\n")
    (target / "notes.md").write_text("My own notes.\n")
    before = snapshot(target)
    run = invoke("init", str(target))
    assert run.exit_code == 2, run.stderr
    assert "content/heroes/first-hero.yaml" in run.stderr and "schemas (schemas is a file, not a folder" in run.stderr
    assert "nothing written" in run.stderr and snapshot(target) == before
    (target / "schemas").unlink()
    (target / "content" / "heroes" / "first-hero.yaml").unlink()
    (target / "foundry.toml").write_text('[project]\ntitle = "Mine"\n')
    before = snapshot(target)
    run = invoke("init", str(target))
    assert run.exit_code == 2 and "already holds a project (foundry.toml)" in run.stderr, run.stderr
    assert snapshot(target) == before


def test_init_through_a_folder_that_does_not_exist_names_one_folder(tmp_path):
    """`foundry init new/../mine` with no `new/`: the system could not look `mine` up,
    so what it holds passed the test of what is in the way and init wrote the project
    among (and over) it, and the `new/` made on the way stayed behind, empty. The path
    is resolved first now."""
    target = tmp_path / "mine"
    (target / "content" / "stories").mkdir(parents=True)
    (target / "content" / "stories" / "first-story.md").write_text("My own story.\n")
    before = snapshot(target)
    run = invoke("init", str(tmp_path / "new" / ".." / "mine"), "--no-git")
    assert run.exit_code == 2 and "content/stories/first-story.md" in run.stderr, run.stderr
    assert snapshot(target) == before
    run = invoke("init", str(tmp_path / "new" / ".." / "world"), "--no-git")
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "world"]
    assert (tmp_path / "world" / "foundry.toml").is_file()


def test_init_accepts_an_empty_folder(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    assert invoke("init", str(target)).exit_code == 0
    assert invoke("check", "--project", str(target)).exit_code == 0


def test_a_title_with_a_newline_or_a_control_character_is_refused(tmp_path):
    """check refuses them in foundry.toml (HF0131), so init does not write them."""
    for number, title in enumerate(("Coast\nsecond line", "Coast\tTab", "Coast\x1b[2J", "\u202eCoast")):
        run = invoke("init", str(tmp_path / f"t{number}"), "--title", title)
        assert run.exit_code == 2 and "--title" in run.output
        assert not (tmp_path / f"t{number}").exists()


def test_any_title_gives_a_valid_foundry_toml(tmp_path):
    title = 'The "Drowned" Coast\\ \'single\' {braces} = # 🐉 علی\u200cرضا'
    target = tmp_path / "odd"
    assert invoke("init", str(target), "--title", title).exit_code == 0
    assert invoke("check", "--project", str(target)).exit_code == 0
    import tomllib
    assert tomllib.loads((target / "foundry.toml").read_text())["project"]["title"] == title
    too_long = invoke("init", str(tmp_path / "long"), "--title", "x" * 201)
    assert too_long.exit_code == 2 and not (tmp_path / "long").exists()


def test_init_under_a_file_is_a_tool_error_not_a_crash(tmp_path):
    # `foundry init notes.txt/world` was "internal error (NotADirectoryError) … Please report it"
    (tmp_path / "notes.txt").write_text("My own notes.\n")
    run = invoke("init", str(tmp_path / "notes.txt" / "world"))
    assert run.exit_code == 2
    assert "internal error" not in run.stderr and "cannot create the project" in run.stderr, run.stderr
    assert (tmp_path / "notes.txt").read_text() == "My own notes.\n"


def test_a_file_where_a_folder_goes_is_one_line_in_every_writing_command(project_factory):
    # a committed file named like a folder: `new`, `l10n extract` and `schemas` each ended in
    # "internal error (FileExistsError / NotADirectoryError) … Please report it"
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[l10n]\nlanguages = ["de"]\n', encoding="utf-8")
    for folder in ("content/stories", "schemas/json"):
        for path in sorted((root / folder).iterdir(), reverse=True):
            path.unlink()
        (root / folder).rmdir()
        (root / folder).write_text("not a folder\n")
    (root / "translations").write_text("not a folder\n")
    for command in (["new", "story", "fog-road"], ["l10n", "extract"], ["schemas"]):
        run = invoke(*command, "--project", str(root))
        assert run.exit_code == 2, (command, run.stderr)
        # the rule of every write into the project (commands/project_write.py): HF0165 at the file
        assert "internal error" not in run.stderr and "HF0165" in run.stderr and "is a file, not a folder" in run.stderr, \
            run.stderr
    assert (root / "translations").read_text() == "not a folder\n"


def _git(folder, *args):
    import subprocess
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False)


def test_init_makes_the_projects_git_repository_with_a_first_commit(tmp_path, monkeypatch):
    """History, credits and `foundry diff` read git: init makes the repository, with a
    first commit of exactly what it wrote when git knows who commits; without an
    identity the repository and the way to commit; inside a repository, nothing (the
    user's); `--no-git`, nothing."""
    identity = tmp_path / "gitconfig"
    identity.write_text("[user]\n\tname = Ann Writer\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(identity))
    target = tmp_path / "world"
    run = invoke("init", str(target))
    assert run.exit_code == 0 and "first commit" in run.stderr, run.stderr
    assert _git(target, "log", "--format=%an <%ae>").stdout.splitlines() == ["Ann Writer <ann@example.org>"]
    committed = sorted(_git(target, "ls-files").stdout.splitlines())
    assert committed == sorted(rel for rel, kind in snapshot(target).items()
                               if kind != "dir" and rel.split("/")[0] != ".git")
    assert _git(target, "status", "--porcelain").stdout == ""

    monkeypatch.chdir(tmp_path)   # a folder named relative to where the user stands
    run = invoke("init", "my world")
    assert run.exit_code == 0 and "first commit" in run.stderr, run.stderr
    assert (tmp_path / "my world" / ".git").is_dir() and not (tmp_path / "my world" / "my world").exists()
    assert _git(tmp_path / "my world", "status", "--porcelain").stdout == ""

    nobody = tmp_path / "empty-gitconfig"
    nobody.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(nobody))
    monkeypatch.setenv("HOME", str(tmp_path))   # no ~/.gitconfig either
    monkeypatch.delenv("EMAIL", raising=False)   # (git's other source of an address)
    alone = tmp_path / "alone"
    run = invoke("init", str(alone))
    assert run.exit_code == 0 and "git does not know who you are" in run.stderr, run.stderr
    assert (alone / ".git").is_dir() and _git(alone, "rev-parse", "--verify", "HEAD").returncode != 0

    inner = target / "more"
    run = invoke("init", str(inner))
    assert run.exit_code == 0 and "inside the git repository" in run.stderr and not (inner / ".git").exists()

    bare = tmp_path / "no-git"
    assert invoke("init", "--no-git", str(bare)).exit_code == 0 and not (bare / ".git").exists()


def test_init_names_the_files_the_users_ignore_rules_keep_out_of_the_first_commit(tmp_path, monkeypatch):
    """A global excludes file listing `*.toml` and `.vscode/` (the user's, for every
    repository) kept foundry.toml out of the first commit, and init said "a first
    commit of these files": a teammate's clone had no project. The files left out are
    named; a template whose info/exclude ignores everything is said so, not 'failed'."""
    ignores = tmp_path / "ignore"
    ignores.write_text(".vscode/\n*.toml\n")
    config = tmp_path / "gitconfig"
    config.write_text(f"[user]\n\tname = Ann\n\temail = ann@example.org\n[core]\n\texcludesFile = {ignores}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    target = tmp_path / "world"
    run = invoke("init", str(target))
    assert run.exit_code == 0, run.stderr
    assert "foundry.toml" not in _git(target, "ls-files").stdout.split()
    said = next(line for line in run.stderr.splitlines() if "git repository" in line)
    assert "except 2" in said and "foundry.toml" in said and ".vscode/settings.json" in said, said

    (tmp_path / "template/info").mkdir(parents=True)
    (tmp_path / "template/info/exclude").write_text("*\n")
    config.write_text(f"[user]\n\tname = Ann\n\temail = ann@example.org\n[init]\n\ttemplateDir = {tmp_path / 'template'}\n")
    run = invoke("init", str(tmp_path / "other"))
    assert run.exit_code == 0 and "keep out every file" in run.stderr, run.stderr


def test_a_title_made_from_any_folder_name_is_one_check_accepts(tmp_path):
    """Without --title the title comes from the folder's name: '---' and '___' were
    refused as "Invalid value for --title" (no --title was given), '-x' was titled ' X',
    a 250-letter name was over the 200 a title may have. Each now makes a project that
    checks, titled with the name's words or, when it has none, 'New World'."""
    import tomllib
    for name, title in (("---", "New World"), ("___", "New World"), ("-x", "X"), ("my--odd__world", "My Odd World"),
                        ("a" * 250, "A" + "a" * 199)):
        target = tmp_path / name
        run = invoke("init", "--no-git", str(target))
        assert run.exit_code == 0, (name, run.stderr)
        assert tomllib.loads((target / "foundry.toml").read_text(encoding="utf-8"))["project"]["title"] == title
    assert foundry("check", "--project", str(tmp_path / "---")).code == 0


def test_init_accepts_a_folder_holding_only_its_repository(tmp_path, monkeypatch):
    """`git init world && foundry init world` (or a clone of a new, empty repository):
    the folder holds only .git, nothing init could write over; it was refused as 'not
    empty'. The project is written and the repository left to the user, as inside any."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ann\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    target = tmp_path / "world"
    assert _git(tmp_path, "init", "-q", str(target)).returncode == 0
    head = (target / ".git/HEAD").read_bytes()
    run = invoke("init", str(target))
    assert run.exit_code == 0 and "inside the git repository" in run.stderr, run.stderr
    assert (target / "foundry.toml").is_file() and (target / ".git/HEAD").read_bytes() == head
    assert _git(target, "rev-parse", "--verify", "HEAD").returncode != 0   # nothing committed for them
    assert invoke("check", "--project", str(target)).exit_code == 0


def test_a_git_that_cannot_run_is_said_so_not_called_missing(tmp_path, monkeypatch):
    """A `git` on PATH that cannot be run (not executable) was reported as 'git is not
    installed'; a missing one still is."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").write_text("#!/bin/sh\nexit 0\n")   # no execute permission
    monkeypatch.setenv("PATH", str(bin_dir))
    run = invoke("init", str(tmp_path / "world"))
    assert run.exit_code == 0 and "git could not be run (Permission denied)" in run.stderr, run.stderr
    assert not (tmp_path / "world/.git").exists()
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    run = invoke("init", str(tmp_path / "other"))
    assert run.exit_code == 0 and "git is not installed" in run.stderr, run.stderr


def test_an_address_in_EMAIL_is_an_identity_as_git_takes_it(tmp_path, monkeypatch):
    """git commits with $EMAIL when no user.email is set; init said 'git does not know
    who you are' to someone with user.name and EMAIL, and made no first commit."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ann Writer\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("EMAIL", "ann@example.org")
    target = tmp_path / "world"
    run = invoke("init", str(target))
    assert run.exit_code == 0 and "first commit of these files" in run.stderr, run.stderr
    assert _git(target, "log", "--format=%an <%ae>").stdout.splitlines() == ["Ann Writer <ann@example.org>"]


def test_init_inside_a_repository_that_would_not_hold_it_makes_its_own_and_says_why(tmp_path, monkeypatch):
    """Inside a dotfiles repository at the home folder, or a repository whose
    .gitignore ignores the folder, init made no repository (the project had no history,
    and `git add -A` in ~ would sweep it into the dotfiles): it makes the project's own
    and says why. Inside a repository that would track it, it joins it and says so."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ann\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    home = tmp_path / "home"
    assert _git(tmp_path, "init", "-q", str(home)).returncode == 0   # a dotfiles repository at ~
    monkeypatch.setenv("HOME", str(home))
    world = home / "worlds/world"
    run = invoke("init", str(world))
    assert run.exit_code == 0, run.stderr
    said = next(line for line in run.stderr.splitlines() if "git repository" in line)
    assert f"inside the git repository at {home}, your home folder's" in said and "made a git repository with a first commit" in said, said
    assert (world / ".git").is_dir() and _git(world, "rev-parse", "--verify", "HEAD").returncode == 0

    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))
    work = tmp_path / "work"
    assert _git(tmp_path, "init", "-q", str(work)).returncode == 0
    (work / ".gitignore").write_text("scratch/\nsandbox/\n")
    for target in (work / "scratch", work / "sandbox/deeper/world"):   # ignored, or under an ignored folder
        run = invoke("init", str(target))
        assert run.exit_code == 0 and "which ignores this folder: made a git repository" in run.stderr, run.stderr
        assert (target / ".git").is_dir()

    tracked = work / "worlds/world"
    run = invoke("init", str(tracked))
    assert run.exit_code == 0 and f"inside the git repository at {work}, which does not ignore it" in run.stderr
    assert not (tracked / ".git").exists()

    # a relative HOME names no home folder (git is not given it: git/command.py
    # ABSOLUTE_ENV): `HOME=.` at the repository's top took it for a dotfiles repository
    monkeypatch.setenv("HOME", ".")
    monkeypatch.chdir(work)
    run = invoke("init", "worlds/second")
    assert run.exit_code == 0 and f"inside the git repository at {work}, which does not ignore it" in run.stderr, \
        run.stderr
    assert not (work / "worlds/second/.git").exists()


def test_a_git_configuration_git_cannot_read_is_said_in_gits_words_not_as_no_identity(tmp_path, monkeypatch):
    """`git config --get user.name` failing in the new repository (a bad line in a file
    ~/.gitconfig includes for repositories on some branch, a folder included: git exits
    128) was said "git does not know who you are", sending the user
    to set an identity they had. Now git's own message is said; a name that is truly
    not set still gets the identity hint."""
    monkeypatch.delenv("EMAIL", raising=False)
    broken = tmp_path / "broken.inc"
    broken.write_text("[oops\n")
    # included in a repository on a branch: `git init` reads it not (no branch yet), every
    # git command in the new repository does (its unborn branch); a folder included
    for text, cause in (('[user]\n\tname = Ann\n\temail = a@example.org\n[includeIf "onbranch:**"]\n'
                         f'\tpath = {broken}\n', f"bad config line 1 in file {broken}"),
                        ('[user]\n\tname = Ann\n\temail = a@example.org\n[includeIf "onbranch:**"]\n'
                         f'\tpath = {tmp_path}\n', f"bad config line 5 in file {tmp_path / 'gitconfig'}")):
        config = tmp_path / "gitconfig"
        config.write_text(text)
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
        target = tmp_path / f"world-{len(cause)}"
        run = invoke("init", str(target))
        assert run.exit_code == 0, run.stderr
        assert f"git could not read its configuration ({cause}" in run.stderr, run.stderr
        assert "does not know who you are" not in run.stderr and (target / ".git").is_dir()
    config.write_text("[user]\n\temail = a@example.org\n")   # readable, no name
    run = invoke("init", str(tmp_path / "nameless"))
    assert "git does not know who you are" in run.stderr and "could not read" not in run.stderr, run.stderr


def test_init_writes_no_repository_through_a_git_link_or_into_a_stray_git(tmp_path, monkeypatch):
    """init accepts a folder holding only .git; when that .git is no repository, it ran
    `git init` on it, and git wrote where it led: a whole repository (objects, refs,
    config, the first commit) outside the project through a `.git` link to nowhere or
    to an empty folder elsewhere, or through a link inside an empty .git. Now such a
    .git is left as it is, no repository made, and the user is told why; the project
    itself is written, and an empty real .git is still made the repository."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ann\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "empty").mkdir()
    (outside / "objects").mkdir()
    cases = {"to-nowhere": "symbolic link", "to-empty": "symbolic link", "gitfile": "holds no git repository",
             "link-inside": "holds no git repository"}
    for name in cases:
        (tmp_path / name).mkdir()
    (tmp_path / "to-nowhere/.git").symlink_to(outside / "nowhere")
    (tmp_path / "to-empty/.git").symlink_to(outside / "empty")
    (tmp_path / "gitfile/.git").write_text(f"gitdir: {outside / 'gitdir'}\n")
    (tmp_path / "link-inside/.git").mkdir()
    (tmp_path / "link-inside/.git/objects").symlink_to(outside / "objects")
    for name, why in cases.items():
        run = invoke("init", str(tmp_path / name))
        assert run.exit_code == 0, run.stderr
        assert f"No git repository made: {tmp_path / name / '.git'} is " in run.stderr and why in run.stderr, run.stderr
        assert (tmp_path / name / "foundry.toml").is_file()
    assert sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*")) == ["empty", "objects"]

    made = tmp_path / "made"
    (made / ".git").mkdir(parents=True)   # an empty real folder: git init fills it, inside the project
    run = invoke("init", str(made))
    assert run.exit_code == 0 and "first commit" in run.stderr, run.stderr
    assert _git(made, "rev-parse", "--verify", "HEAD").returncode == 0


def test_init_names_the_branch_main_unless_the_users_git_names_one(tmp_path, monkeypatch):
    """The shipped workflow releases and deploys on pushes to `main`, and README says
    `foundry diff main`: a project made where git's default was still `master` pushed to
    a branch the workflow never built. init makes `main`; init.defaultBranch is the user's."""
    identity = tmp_path / "gitconfig"
    identity.write_text("[user]\n\tname = Ann Writer\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(identity))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")   # the machine's own init.defaultBranch is not the test's
    run = invoke("init", str(tmp_path / "world"))
    assert run.exit_code == 0 and "first commit" in run.stderr, run.stderr
    assert _git(tmp_path / "world", "symbolic-ref", "--short", "HEAD").stdout.strip() == "main"
    assert _git(tmp_path / "world", "rev-parse", "--verify", "--quiet", "main").returncode == 0

    identity.write_text(identity.read_text() + "[init]\n\tdefaultBranch = trunk\n")
    run = invoke("init", str(tmp_path / "chosen"))
    assert run.exit_code == 0 and "first commit" in run.stderr, run.stderr
    assert _git(tmp_path / "chosen", "symbolic-ref", "--short", "HEAD").stdout.strip() == "trunk"


def test_the_way_told_to_commit_after_init_takes_in_only_what_init_wrote(tmp_path, monkeypatch):
    """Written around a folder's own files (a `.env` of secrets, notes, a Hugo site's
    content/posts/), init commits only what it wrote; but when git did not know who
    commits, the way it told was `git add -A && git commit`: followed, the `.env` went
    into the first commit. The command told now, run as written, stages the project's
    files and nothing of the user's."""
    import shlex
    import subprocess
    nobody = tmp_path / "empty-gitconfig"
    nobody.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(nobody))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("EMAIL", raising=False)
    target = tmp_path / "mine"
    (target / "content" / "posts").mkdir(parents=True)
    (target / "content" / "posts" / "hello.md").write_text("Hugo's, not the project's.\n")
    (target / ".env").write_text("TOKEN=secret\n")
    run = invoke("init", str(target))
    assert run.exit_code == 0, run.stderr
    told = re.search(r"`(git add [^`]*) && git commit`", run.stderr)
    assert told, run.stderr
    subprocess.run(shlex.split(told[1]), cwd=target, check=True, capture_output=True)
    staged = set(_git(target, "diff", "--cached", "--name-only").stdout.split())
    assert staged == {rel for rel, kind in snapshot(ROOTS / "minimal").items() if kind != "dir"}, staged


def test_files_a_folders_own_gitignore_keeps_out_are_blamed_on_it(tmp_path, monkeypatch):
    """A repository's .gitignore listing `*.yaml` (init writes around it) kept every
    hero out of the first commit, and init blamed "your git's ignore rules
    (core.excludesFile, init.templateDir's info/exclude)": the user looked in the wrong
    place. The rule is named where it is, with its line."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ann\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    target = tmp_path / "mine"
    target.mkdir()
    (target / ".gitignore").write_text("node_modules/\n*.yaml\n")
    run = invoke("init", str(target))
    assert run.exit_code == 0, run.stderr
    said = next(line for line in run.stderr.splitlines() if "first commit" in line)
    assert "(.gitignore line 2: *.yaml) keep out" in said and "core.excludesFile" not in said, said
    assert "content/heroes/first-hero.yaml" not in _git(target, "ls-files").stdout


def test_init_keeps_a_users_linked_gitignore_and_editor_settings(tmp_path, monkeypatch):
    """A dotfiles user's `.vscode/settings.json` linked in from elsewhere, a `.gitignore`
    linked to a shared one: init keeps these two files as they are when they are files,
    but a link was refused as "where the new project's files go … move them away",
    nothing written. Each is kept now, never written through (the link and what it
    leads to unchanged), and the lines to add to it are said."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ann\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "settings.json").write_text('{"editor.tabSize": 2}\n')
    target = tmp_path / "mine"
    (target / ".vscode").mkdir(parents=True)
    (target / ".vscode" / "settings.json").symlink_to(dotfiles / "settings.json")
    (target / "shared").mkdir()
    (target / "shared" / "ignore").write_text("node_modules/\n")
    (target / ".gitignore").symlink_to("shared/ignore")
    run = invoke("init", str(target))
    assert run.exit_code == 0, run.stderr
    assert (target / ".gitignore").is_symlink() and (target / "shared" / "ignore").read_text() == "node_modules/\n"
    assert (target / ".vscode" / "settings.json").is_symlink()
    assert (dotfiles / "settings.json").read_text() == '{"editor.tabSize": 2}\n'
    assert "Kept your .gitignore as it was" in run.stderr and "build/" in run.stderr, run.stderr
    assert "Kept your .vscode/settings.json as it was" in run.stderr, run.stderr
    assert (target / "foundry.toml").is_file() and invoke("check", "--project", str(target)).exit_code == 0


def test_init_in_the_users_own_repository_names_the_files_its_rules_ignore(tmp_path, monkeypatch):
    """`foundry init .` in the user's repository, whose .gitignore lists `*.yaml`: init
    joins it and says "commit the new files there", and the user's `git add` then
    skipped every hero, quest and rule file without a word. The files kept out are
    named, with the rule (file, line) that does it."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ann\n\temail = ann@example.org\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    target = tmp_path / "mine"
    target.mkdir()
    assert _git(target, "init", "-q").returncode == 0
    (target / ".gitignore").write_text("*.yaml\n")
    run = invoke("init", str(target))
    assert run.exit_code == 0, run.stderr
    said = next(line for line in run.stderr.splitlines() if "git repository" in line)
    assert "commit the new files there" in said and "(.gitignore line 1: *.yaml) keep out 8 of them" in said, said
    assert "content/heroes/first-hero.yaml" in said, said


def test_init_inside_a_projects_content_folder_is_refused(tmp_path):
    """`cd content && foundry init sub-world` in a project wrote a second project there:
    the outer check then said each of its 17 files "is not read", the heroes and stories
    with "Move it there as first-hero-2.yaml". It is refused now, nothing written, with
    where to make it instead."""
    outer = tmp_path / "world"
    (outer / "content").mkdir(parents=True)
    (outer / "foundry.toml").write_text('[project]\ntitle = "World"\n')
    run = invoke("init", str(outer / "content" / "sub-world"))
    assert run.exit_code == 2, run.stderr
    assert "is inside content/ of the project at" in run.stderr and "nothing written" in run.stderr, run.stderr
    assert not (outer / "content" / "sub-world").exists()
