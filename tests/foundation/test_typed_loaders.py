"""Typed loaders generated from the JSON API's schemas, as engine developers make them:
quicktype (npm) for TypeScript, C# (Newtonsoft.Json), Go and Rust, each compiled with
its own toolchain (tsc --strict, Mono's mcs, go, cargo offline with Debian's serde
crates). Every data file of the sample build is read by each language into its
generated types and written back; what comes back validates against the file's schema
and holds the same data (a `null` field and an absent one mean the same, as the schema
says). The loaders are generated and compiled once per session."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from support import REPO, require_tool

from .test_json_api import SINGULAR, api

HERE = Path(__file__).resolve().parent / "loaders"
NODE_BIN = REPO / "node_modules" / ".bin"
FILES = ("bundle", "manifest", "rules", "relationships", "heroes", "hero", "characters", "character",
         "quests", "quest", "stories", "story", "strings")
# quicktype's options, as docs/json-api.md tells users to pass them. Rust needs
# `--skip-serializing-none`: without it, serde writes every absent field of an
# expression node back as `null`, which the schema refuses for all fields but `value`.
# C# 6 is what Mono's mcs compiles (quicktype's default, C# 8, uses nullable references).
LANGUAGES = {"typescript": {}, "csharp": {"framework": "NewtonSoft", "csharp-version": "6"}, "go": {},
             "rust": {"skip-serializing-none": "true"}}
NEWTONSOFT = Path("/usr/lib/mono/gac/Newtonsoft.Json/6.0.0.0__b9a188c8922137c6/Newtonsoft.Json.dll")
DEBIAN_CRATES = Path("/usr/share/cargo/registry")


def run(cmd: list[str], cwd: Path, env: dict | None = None, stdin: str | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, input=stdin, timeout=900,
                          env={**os.environ, **(env or {})})
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


@pytest.fixture(scope="session")
def generated(tmp_path_factory, json_build) -> tuple[Path, dict[str, str]]:
    """quicktype's loaders for every file schema and language, and file → type name."""
    require_tool(shutil.which("node") is not None and (REPO / "node_modules" / "quicktype-core").is_dir(),
                 "node with npm quicktype (run `npm ci` at the repository root)")
    out = tmp_path_factory.mktemp("loaders")
    request = json.dumps({"languages": LANGUAGES, "files": list(FILES)})
    names = json.loads(run(["node", str(HERE / "generate.mjs"), str(api(json_build) / "schema"), str(out)],
                           cwd=REPO, stdin=request))
    return out, names


def data_files(root: Path) -> list[tuple[str, Path]]:
    """(file kind, path) for every data file of the build: bundle, indexes, entities."""
    base = api(root)
    out = []
    for path in sorted(base.rglob("*.json")):
        parts = path.relative_to(base).parts
        if parts[0] == "schema":
            continue
        if parts[0] == "strings":   # strings/<lang>.json: one string table per language
            out.append(("strings", path))
        else:
            out.append((SINGULAR[parts[0]] if len(parts) == 2 else path.stem, path))
    return out


def without_nulls(value):
    """The data with `null` fields left out: absent and null mean the same in our schemas."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


# --- one small program per language: read each file into its type, write it back -----------

def typescript_program(names: dict[str, str]) -> str:
    imports = "\n".join(f'import {{ Convert as {f}_ }} from "./{f}";' for f in FILES)
    cases = "\n".join(
        f'    case "{f}": written = {f}_.{names[f][0].lower() + names[f][1:]}ToJson({f}_.to{names[f]}(text)); break;'
        for f in FILES)
    return f"""import * as fs from "fs";
{imports}
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 3) {{
  const text = fs.readFileSync(args[i + 1], "utf8");
  let written: string;
  switch (args[i]) {{
{cases}
    default: throw new Error("unknown file kind " + args[i]);
  }}
  fs.writeFileSync(args[i + 2], written);
}}
"""


def csharp_program(names: dict[str, str]) -> str:
    cases = "\n".join(
        f'                case "{f}": written = global::HeroFoundry.Api.{names[f]}Loader.Serialize.ToJson('
        f'global::HeroFoundry.Api.{names[f]}Loader.{names[f]}.FromJson(text)); break;' for f in FILES)
    return f"""using System.IO;
public static class RoundTrip {{
    public static void Main(string[] args) {{
        for (int i = 0; i < args.Length; i += 3) {{
            string text = File.ReadAllText(args[i + 1]);
            string written;
            switch (args[i]) {{
{cases}
                default: throw new System.ArgumentException(args[i]);
            }}
            File.WriteAllText(args[i + 2], written);
        }}
    }}
}}
"""


def go_program(names: dict[str, str]) -> str:
    imports = "\n".join(f'\t"loaders/{f}"' for f in FILES)
    cases = "\n".join(
        f'\t\tcase "{f}":\n\t\t\tv, err := {f}.Unmarshal{names[f]}(text)\n\t\t\tcheck(err)\n'
        f'\t\t\twritten, err = v.Marshal()\n\t\t\tcheck(err)' for f in FILES)
    return f"""package main

import (
\t"os"
{imports}
)

func check(err error) {{
\tif err != nil {{
\t\tpanic(err)
\t}}
}}

func main() {{
\targs := os.Args[1:]
\tfor i := 0; i < len(args); i += 3 {{
\t\ttext, err := os.ReadFile(args[i+1])
\t\tcheck(err)
\t\tvar written []byte
\t\tswitch args[i] {{
{cases}
\t\tdefault:
\t\t\tpanic("unknown file kind " + args[i])
\t\t}}
\t\tcheck(os.WriteFile(args[i+2], written, 0o644))
\t}}
}}
"""


def rust_program(names: dict[str, str]) -> str:
    mods = "\n".join(f"#[allow(dead_code)]\nmod {f};" for f in FILES)
    cases = "\n".join(
        f'            "{f}" => serde_json::to_string(&serde_json::from_str::<{f}::{names[f]}>(&text).unwrap()).unwrap(),'
        for f in FILES)
    return f"""{mods}

fn main() {{
    let args: Vec<String> = std::env::args().skip(1).collect();
    for chunk in args.chunks(3) {{
        let text = std::fs::read_to_string(&chunk[1]).unwrap();
        let written = match chunk[0].as_str() {{
{cases}
            other => panic!("unknown file kind {{}}", other),
        }};
        std::fs::write(&chunk[2], written).unwrap();
    }}
}}
"""


# --- compiling, once per session ------------------------------------------------------------

def compile_typescript(src: Path, names: dict[str, str]) -> list[str]:
    require_tool((NODE_BIN / "tsc").is_file(), "npm typescript (tsc)")
    (src / "main.ts").write_text(typescript_program(names), encoding="utf-8")
    (src / "node_modules").symlink_to(REPO / "node_modules")  # @types/node for `fs`
    run([str(NODE_BIN / "tsc"), "--strict", "--noEmitOnError", "--target", "es2019", "--module", "commonjs",
         "--types", "node", "--outDir", "out", "main.ts", *(f"{f}.ts" for f in FILES)], cwd=src)
    return ["node", str(src / "out" / "main.js")]


def compile_csharp(src: Path, names: dict[str, str]) -> list[str]:
    require_tool(shutil.which("mcs") is not None and shutil.which("mono") is not None and NEWTONSOFT.is_file(),
                 "Mono's C# compiler and Newtonsoft.Json (Debian mono-mcs, libnewtonsoft-json-cil-dev)")
    (src / "Main.cs").write_text(csharp_program(names), encoding="utf-8")
    shutil.copy(NEWTONSOFT, src / "Newtonsoft.Json.dll")
    run(["mcs", "-r:Newtonsoft.Json.dll", "-r:System.Numerics.dll", "-r:System.Runtime.Serialization.dll",
         "-out:roundtrip.exe", "Main.cs", *(f"{f}.cs" for f in FILES)], cwd=src)
    return ["mono", str(src / "roundtrip.exe")]


def compile_go(src: Path, names: dict[str, str]) -> list[str]:
    require_tool(shutil.which("go") is not None, "Go (Debian golang-go)")
    (src / "go.mod").write_text("module loaders\n\ngo 1.19\n", encoding="utf-8")
    (src / "main.go").write_text(go_program(names), encoding="utf-8")
    env = {"GOCACHE": str(src / ".cache"), "GOPATH": str(src / ".gopath"), "GOPROXY": "off",
           "GOFLAGS": "-mod=mod", "GO111MODULE": "on", "GOTOOLCHAIN": "local"}
    run(["go", "vet", "./..."], cwd=src, env=env)
    run(["go", "build", "-o", "roundtrip", "."], cwd=src, env=env)
    return [str(src / "roundtrip")]


def compile_rust(src: Path, names: dict[str, str]) -> list[str]:
    require_tool(shutil.which("cargo") is not None and any(DEBIAN_CRATES.glob("serde_json-*"))
                 and any(DEBIAN_CRATES.glob("serde_derive-*")),
                 "cargo and Debian's serde crates (librust-serde-dev, librust-serde-json-dev, librust-serde-derive-dev)")
    (src / "src").mkdir()
    for f in FILES:
        shutil.copy(src / f"{f}.rs", src / "src" / f"{f}.rs")
    (src / "src" / "main.rs").write_text(rust_program(names), encoding="utf-8")
    (src / "Cargo.toml").write_text('[package]\nname = "roundtrip"\nversion = "0.1.0"\nedition = "2018"\n\n'
                                   '[dependencies]\nserde = { version = "1", features = ["derive"] }\n'
                                   'serde_json = "1"\n', encoding="utf-8")
    (src / ".cargo").mkdir()
    # Offline: crates come from Debian's packaged registry, never from crates.io.
    (src / ".cargo" / "config.toml").write_text(
        f'[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "{DEBIAN_CRATES}"\n\n'
        '[net]\noffline = true\n', encoding="utf-8")
    run(["cargo", "build", "--offline", "--quiet"], cwd=src, env={"CARGO_TARGET_DIR": str(src / "target")})
    return [str(src / "target" / "debug" / "roundtrip")]


COMPILERS = {"typescript": compile_typescript, "csharp": compile_csharp, "go": compile_go, "rust": compile_rust}


@pytest.fixture(scope="session")
def loader(generated):
    """`loader(language)`: the compiled round-trip program, compiled once per session."""
    out, names = generated
    compiled: dict[str, list[str]] = {}

    def build(language: str) -> list[str]:
        if language not in compiled:
            compiled[language] = COMPILERS[language](out / language, names)
        return compiled[language]
    return build


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_generated_loader_reads_and_writes_back_every_file(language, loader, generated, json_build, tmp_path):
    program = loader(language)
    schemas = {f: json.loads((api(json_build) / "schema" / f"{f}.schema.json").read_text()) for f in FILES}
    files = data_files(json_build)
    assert {kind for kind, _ in files} == set(FILES)
    args = []
    for index, (kind, path) in enumerate(files):
        args += [kind, str(path), str(tmp_path / f"{index}.json")]
    run([*program, *args], cwd=tmp_path)
    for index, (kind, path) in enumerate(files):
        written = json.loads((tmp_path / f"{index}.json").read_text(encoding="utf-8"))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in Draft202012Validator(schemas[kind]).iter_errors(written)]
        assert errors == [], (language, path.name, errors[:5])
        assert without_nulls(written) == without_nulls(json.loads(path.read_text(encoding="utf-8"))), \
            (language, path.name)


def test_generated_type_names_are_the_schema_titles(generated):
    """Readable, stable names: the top-level type is the schema's title, and the
    expression AST and its enums get the names docs/json-api.md lists."""
    out, names = generated
    assert names == {"bundle": "Bundle", "manifest": "Manifest", "rules": "RulesFile",
                     "relationships": "RelationshipsFile", "heroes": "HeroesFile", "hero": "HeroFile",
                     "characters": "CharactersFile", "character": "CharacterFile", "quests": "QuestsFile",
                     "quest": "QuestFile", "stories": "StoriesFile", "story": "StoryFile",
                     "strings": "StringsFile"}
    story_ts = (out / "typescript" / "story.ts").read_text(encoding="utf-8")
    for name in ("StoryFile", "Story", "Scene", "Choice", "Expression", "ExprNode", "ExprNodeType",
                 "Status", "Severity", "VariableType"):
        assert f"export interface {name} " in story_ts or f"export type {name} " in story_ts \
            or f"export enum {name} " in story_ts, name
    # No invented type names from untitled unions (quicktype's Purple…, LeftElement, The1…).
    # The operator enum is the one exception, for its *members* only: quicktype names a
    # member after its value, and `+`, `==`, `//` have no letters (docs/json-api.md).
    for language, ext in (("typescript", "ts"), ("csharp", "cs"), ("go", "go"), ("rust", "rs")):
        text = (out / language / ("story/story.go" if language == "go" else f"story.{ext}")).read_text(encoding="utf-8")
        types = set(re.findall(r"(?:interface|class|struct|enum|type) (\w+)", text))
        assert {"StoryFile", "Story", "Scene", "Choice", "Expression", "ExprNode", "ExprNodeType", "Status",
                "Severity", "VariableType"} <= types, (language, types)
        assert not {t for t in types if t.startswith(("Purple", "Fluffy", "Tentacled", "The", "Left"))}, language


def test_schemas_compile_in_ajv_strict_mode(json_build):
    """The validator most JavaScript engines use, in strict mode (unknown keywords,
    ignored keywords and loose types are errors), with no registry and no network."""
    require_tool(shutil.which("node") is not None and (REPO / "node_modules" / "ajv" / "dist" / "2019.js").is_file(),
                 "node with ajv (installed with the npm tools)")
    problems = json.loads(run(["node", str(HERE / "ajv_strict.cjs"), str(api(json_build) / "schema")], cwd=REPO))
    assert problems == []


def test_what_generated_writers_write_is_valid_and_nothing_looser(json_build):
    """The schema accepts exactly the two forms writers differ on — a nullable field
    left out, and `"value": null` on a node kind without a value — and still refuses a
    node carrying another kind's field, or a node kind that does not exist."""
    schema = json.loads((api(json_build) / "schema" / "story.schema.json").read_text())
    story = json.loads(next((api(json_build) / "stories").glob("*.json")).read_text())
    validator = Draft202012Validator(schema)
    assert validator.is_valid(story)
    choice = next(c for s in story["story"]["scenes"] for c in s["choices"] if c["condition"])
    ast = choice["condition"]["ast"]

    def with_ast(node) -> dict:
        changed = json.loads(json.dumps(story))
        target = next(c for s in changed["story"]["scenes"] for c in s["choices"] if c["id"] == choice["id"])
        target["condition"]["ast"] = node
        return changed

    name = {"type": "name", "name": "gold"}
    assert validator.is_valid(with_ast({**name, "value": None}))            # Go's ExprNode
    assert not validator.is_valid(with_ast({**name, "left": None}))          # nothing else may be null
    assert not validator.is_valid(with_ast({**name, "value": 3}))
    assert not validator.is_valid(with_ast({"type": "number", "value": 1, "name": "gold"}))
    assert not validator.is_valid(with_ast({"type": "binary", "op": "+=", "left": name, "right": name}))
    assert not validator.is_valid(with_ast({"type": "eval", "code": "1"}))
    assert validator.is_valid(with_ast(ast))
    # A nullable field may be left out (C#'s writer); a required one may not.
    absent = json.loads(json.dumps(story))
    del absent["story"]["protagonist"]
    assert validator.is_valid(absent)
    del absent["story"]["start"]
    assert not validator.is_valid(absent)
