"""Typed loaders generated from the JSON API's schemas, as engine developers make them:
quicktype (npm) for TypeScript, C# (Newtonsoft.Json), Go and Rust, each compiled with
its own toolchain (tsc --strict, Mono's mcs, go, cargo offline with Debian's serde
crates). Every data file of the sample build is read by each language into its
generated types and written back; what comes back validates against the file's schema
and is the same JSON (Rust alone leaves `null` fields out, which the schema allows:
quicktype's Rust cannot tell a nullable field from an optional one). Every expression
tree of the build is walked through the generated node types, one per node kind. The
loaders are generated and compiled once per session."""

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
# ...and the expression tree alone (expr.schema.json): the tests walk every tree with it.
GENERATED = (*FILES, "expr")
NODE_TYPES = ("NumberNode", "BoolNode", "StringNode", "NameNode", "UnaryNode", "BinaryNode", "CallNode",
              "AssignNode", "SetNode", "GiveNode", "TakeNode")
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
    request = json.dumps({"languages": LANGUAGES, "files": list(GENERATED)})
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


def numbers_as_text(text: str) -> list[str]:
    """Every number of a JSON text as it is written there, in document order (keys sorted,
    so writers that order fields otherwise compare alike)."""
    found: list[str] = []

    def keep(token: str):
        found.append(token)
        return len(found)

    data = json.loads(text, parse_int=keep, parse_float=keep)
    order = [found[i - 1] for i in _numbers_in(without_nulls(data))]
    return order


def _numbers_in(value) -> list[int]:
    if isinstance(value, dict):
        return [n for key in sorted(value) for n in _numbers_in(value[key])]
    if isinstance(value, list):
        return [n for item in value for n in _numbers_in(item)]
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


def number_node_values(path: Path) -> set[str]:
    """The numbers of a data file, as written, that are an expression's number node's
    `value`: the one field the schemas type `number` (nothing else, so a field typed
    `integer` written back otherwise still fails)."""
    return set(re.findall(r'"number":\s*\{\s*"value":\s*(-?[\d.eE+-]+)\s*\}', path.read_text(encoding="utf-8")))


def without_nulls(value):
    """The data with `null` fields left out: absent and null mean the same in our schemas."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


# --- one small program per language: read each file into its type, write it back -----------
# Arguments come in threes: file kind, file to read, file to write. An `expr` file (one
# expression tree) is also walked through the generated node types, dispatching on `type`
# and reaching each kind's fields through that kind's own type; the walk, one node per
# line, goes to `<file to write>.walk` (see `expected_walk`).

def typescript_program(names: dict[str, str]) -> str:
    imports = "\n".join(f'import {{ Convert as {f}_ }} from "./{f}";' for f in GENERATED)
    cases = "\n".join(
        f'    case "{f}": written = {f}_.{names[f][0].lower() + names[f][1:]}ToJson({f}_.to{names[f]}(text)); break;'
        for f in FILES)
    return f"""import * as fs from "fs";
{imports}
import {{ ExprNode }} from "./expr";

function walk(n: ExprNode, out: string[]): void {{
  switch (n.type as string) {{
    case "number": out.push("number"); n.number!.value.toFixed(); break;
    case "bool": out.push("bool"); break;
    case "string": out.push("string:" + n.string!.value); break;
    case "name": out.push("name:" + n.name!.name); break;
    case "unary": out.push("unary:" + n.unary!.op); walk(n.unary!.operand, out); break;
    case "binary": out.push("binary:" + n.binary!.op); walk(n.binary!.left, out); walk(n.binary!.right, out); break;
    case "call": out.push("call:" + n.call!.func); n.call!.args.forEach((a) => walk(a, out)); break;
    case "assign": out.push("assign:" + n.assign!.op + ":" + n.assign!.target); walk(n.assign!.value, out); break;
    case "set": out.push("set:" + n.set!.name); break;
    case "give": out.push("give:" + n.give!.item); break;
    case "take": out.push("take:" + n.take!.item); break;
    default: throw new Error("unknown node kind " + n.type);
  }}
}}

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 3) {{
  const text = fs.readFileSync(args[i + 1], "utf8");
  let written: string;
  switch (args[i]) {{
{cases}
    case "expr": {{
      const node = expr_.toExprNode(text);
      const lines: string[] = [];
      walk(node, lines);
      fs.writeFileSync(args[i + 2] + ".walk", lines.join("\\n"));
      written = expr_.exprNodeToJson(node);
      break;
    }}
    default: throw new Error("unknown file kind " + args[i]);
  }}
  fs.writeFileSync(args[i + 2], written);
}}
"""


def csharp_program(names: dict[str, str]) -> str:
    cases = "\n".join(
        f'                case "{f}": written = global::HeroFoundry.Api.{names[f]}Loader.Serialize.ToJson('
        f'global::HeroFoundry.Api.{names[f]}Loader.{names[f]}.FromJson(text)); break;' for f in FILES)
    return f"""using System.Collections.Generic;
using System.IO;
using E = global::HeroFoundry.Api.ExprNodeLoader;

public static class RoundTrip {{
    static void Walk(E.ExprNode n, List<string> o) {{
        switch (n.Type) {{
            case E.ExprNodeType.Number: o.Add("number"); n.Number.Value.ToString(); break;
            case E.ExprNodeType.Bool: o.Add("bool"); break;
            case E.ExprNodeType.String: o.Add("string:" + n.String.Value); break;
            case E.ExprNodeType.Name: o.Add("name:" + n.Name.Name); break;
            case E.ExprNodeType.Unary: o.Add("unary:" + n.Unary.Op); Walk(n.Unary.Operand, o); break;
            case E.ExprNodeType.Binary: o.Add("binary:" + n.Binary.Op); Walk(n.Binary.Left, o); Walk(n.Binary.Right, o); break;
            case E.ExprNodeType.Call: o.Add("call:" + n.Call.Func); foreach (var a in n.Call.Args) Walk(a, o); break;
            case E.ExprNodeType.Assign: o.Add("assign:" + n.Assign.Op + ":" + n.Assign.Target); Walk(n.Assign.Value, o); break;
            case E.ExprNodeType.Set: o.Add("set:" + n.Set.Name); break;
            case E.ExprNodeType.Give: o.Add("give:" + n.Give.Item); break;
            case E.ExprNodeType.Take: o.Add("take:" + n.Take.Item); break;
            default: throw new System.ArgumentException(n.Type.ToString());
        }}
    }}

    public static void Main(string[] args) {{
        for (int i = 0; i < args.Length; i += 3) {{
            string text = File.ReadAllText(args[i + 1]);
            string written;
            switch (args[i]) {{
{cases}
                case "expr": {{
                    var node = E.ExprNode.FromJson(text);
                    var lines = new List<string>();
                    Walk(node, lines);
                    File.WriteAllText(args[i + 2] + ".walk", string.Join("\\n", lines));
                    written = E.Serialize.ToJson(node);
                    break;
                }}
                default: throw new System.ArgumentException(args[i]);
            }}
            File.WriteAllText(args[i + 2], written);
        }}
    }}
}}
"""


def go_program(names: dict[str, str]) -> str:
    imports = "\n".join(f'\t"loaders/{f}"' for f in GENERATED)
    cases = "\n".join(
        f'\t\tcase "{f}":\n\t\t\tv, err := {f}.Unmarshal{names[f]}(text)\n\t\t\tcheck(err)\n'
        f'\t\t\twritten, err = v.Marshal()\n\t\t\tcheck(err)' for f in FILES)
    return f"""package main

import (
\t"os"
\tstdstrings "strings"   // `strings` is the string tables' loader
{imports}
)

func check(err error) {{
\tif err != nil {{
\t\tpanic(err)
\t}}
}}

func walk(n expr.ExprNode, o []string) []string {{
\tswitch n.Type {{
\tcase expr.Number:
\t\t_ = n.Number.Value
\t\to = append(o, "number")
\tcase expr.Bool:
\t\to = append(o, "bool")
\tcase expr.String:
\t\to = append(o, "string:"+n.String.Value)
\tcase expr.Name:
\t\to = append(o, "name:"+n.Name.Name)
\tcase expr.Unary:
\t\to = walk(n.Unary.Operand, append(o, "unary:"+string(n.Unary.Op)))
\tcase expr.Binary:
\t\to = walk(n.Binary.Right, walk(n.Binary.Left, append(o, "binary:"+string(n.Binary.Op))))
\tcase expr.Call:
\t\to = append(o, "call:"+n.Call.Func)
\t\tfor _, a := range n.Call.Args {{
\t\t\to = walk(a, o)
\t\t}}
\tcase expr.ExprNodeTypeAssign:
\t\to = walk(n.Assign.Value, append(o, "assign:"+string(n.Assign.Op)+":"+n.Assign.Target))
\tcase expr.Set:
\t\to = append(o, "set:"+n.Set.Name)
\tcase expr.Give:
\t\to = append(o, "give:"+n.Give.Item)
\tcase expr.Take:
\t\to = append(o, "take:"+n.Take.Item)
\tdefault:
\t\tpanic("unknown node kind " + string(n.Type))
\t}}
\treturn o
}}

func main() {{
\targs := os.Args[1:]
\tfor i := 0; i < len(args); i += 3 {{
\t\ttext, err := os.ReadFile(args[i+1])
\t\tcheck(err)
\t\tvar written []byte
\t\tswitch args[i] {{
{cases}
\t\tcase "expr":
\t\t\tv, err := expr.UnmarshalExprNode(text)
\t\t\tcheck(err)
\t\t\tcheck(os.WriteFile(args[i+2]+".walk", []byte(stdstrings.Join(walk(v, nil), "\\n")), 0o644))
\t\t\twritten, err = v.Marshal()
\t\t\tcheck(err)
\t\tdefault:
\t\t\tpanic("unknown file kind " + args[i])
\t\t}}
\t\tcheck(os.WriteFile(args[i+2], written, 0o644))
\t}}
}}
"""


def rust_program(names: dict[str, str]) -> str:
    mods = "\n".join(f"#[allow(dead_code)]\nmod {f};" for f in GENERATED)
    cases = "\n".join(
        f'            "{f}" => serde_json::to_string(&serde_json::from_str::<{f}::{names[f]}>(&text).unwrap()).unwrap(),'
        for f in FILES)
    return f"""{mods}

fn walk(n: &expr::ExprNode, o: &mut Vec<String>) {{
    // The kind as written in the JSON (the enum's member for "string" is renamed in Rust).
    let kind = serde_json::to_value(&n.expr_node_type).unwrap();
    match kind.as_str().unwrap() {{
        "number" => {{ let _ = n.number.as_ref().unwrap().value; o.push("number".to_string()); }}
        "bool" => {{ let _ = n.bool.as_ref().unwrap().value; o.push("bool".to_string()); }}
        "string" => o.push(format!("string:{{}}", n.string.as_ref().unwrap().value)),
        "name" => o.push(format!("name:{{}}", n.name.as_ref().unwrap().name)),
        "unary" => {{ let u = n.unary.as_ref().unwrap(); o.push(format!("unary:{{:?}}", u.op)); walk(&u.operand, o); }}
        "binary" => {{
            let b = n.binary.as_ref().unwrap();
            o.push(format!("binary:{{:?}}", b.op));
            walk(&b.left, o);
            walk(&b.right, o);
        }}
        "call" => {{
            let c = n.call.as_ref().unwrap();
            o.push(format!("call:{{}}", c.func));
            for a in &c.args {{ walk(a, o); }}
        }}
        "assign" => {{
            let a = n.assign.as_ref().unwrap();
            o.push(format!("assign:{{:?}}:{{}}", a.op, a.target));
            walk(&a.value, o);
        }}
        "set" => o.push(format!("set:{{}}", n.set.as_ref().unwrap().name)),
        "give" => o.push(format!("give:{{}}", n.give.as_ref().unwrap().item)),
        "take" => o.push(format!("take:{{}}", n.take.as_ref().unwrap().item)),
        other => panic!("unknown node kind {{}}", other),
    }}
}}

fn main() {{
    let args: Vec<String> = std::env::args().skip(1).collect();
    for chunk in args.chunks(3) {{
        let text = std::fs::read_to_string(&chunk[1]).unwrap();
        let written = match chunk[0].as_str() {{
{cases}
            "expr" => {{
                let node = serde_json::from_str::<expr::ExprNode>(&text).unwrap();
                let mut lines = Vec::new();
                walk(&node, &mut lines);
                std::fs::write(format!("{{}}.walk", chunk[2]), lines.join("\\n")).unwrap();
                serde_json::to_string(&node).unwrap()
            }}
            other => panic!("unknown file kind {{}}", other),
        }};
        std::fs::write(&chunk[2], written).unwrap();
    }}
}}
"""


# --- compiling, once per session ------------------------------------------------------------

NODE_DECLARATIONS = """declare module "fs" {
  export function readFileSync(path: string, encoding: "utf8"): string;
  export function writeFileSync(path: string, data: string): void;
}
declare const process: { argv: string[] };
"""


def compile_typescript(src: Path, names: dict[str, str]) -> list[str]:
    require_tool((NODE_BIN / "tsc").is_file(), "npm typescript (tsc)")
    (src / "main.ts").write_text(typescript_program(names), encoding="utf-8")
    # The program's own use of Node, declared: @types/node (80-odd files) and the DOM's
    # declarations (lib.dom.d.ts, 1.9 MB, the default for a target) were a third of
    # tsc's work, and the generated loaders use neither (a loader that did would fail
    # here, which is stricter).
    (src / "node.d.ts").write_text(NODE_DECLARATIONS, encoding="utf-8")
    (src / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"strict": True, "noEmitOnError": True, "skipLibCheck": True, "target": "es2019",
                            "lib": ["es2019"], "types": [], "module": "commonjs", "outDir": "out"},
        "files": ["main.ts", "node.d.ts", *(f"{f}.ts" for f in GENERATED)]}), encoding="utf-8")
    run([str(NODE_BIN / "tsc"), "--project", "tsconfig.json"], cwd=src)
    return ["node", str(src / "out" / "main.js")]


def compile_csharp(src: Path, names: dict[str, str]) -> list[str]:
    require_tool(shutil.which("mcs") is not None and shutil.which("mono") is not None and NEWTONSOFT.is_file(),
                 "Mono's C# compiler and Newtonsoft.Json (Debian mono-mcs, libnewtonsoft-json-cil-dev)")
    (src / "Main.cs").write_text(csharp_program(names), encoding="utf-8")
    shutil.copy(NEWTONSOFT, src / "Newtonsoft.Json.dll")
    run(["mcs", "-r:Newtonsoft.Json.dll", "-r:System.Numerics.dll", "-r:System.Runtime.Serialization.dll",
         "-out:roundtrip.exe", "Main.cs", *(f"{f}.cs" for f in GENERATED)], cwd=src)
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
    for f in GENERATED:
        shutil.copy(src / f"{f}.rs", src / "src" / f"{f}.rs")
    (src / "src" / "main.rs").write_text(rust_program(names), encoding="utf-8")
    (src / "Cargo.toml").write_text('[package]\nname = "roundtrip"\nversion = "0.1.0"\nedition = "2018"\n\n'
                                   '[dependencies]\nserde = { version = "1", features = ["derive"] }\n'
                                   # docs/json-api.md: without float_roundtrip, serde_json parses a
                                   # decimal of 16-17 digits to a neighbouring double (see
                                   # decimals_a_writer_may_type).
                                   'serde_json = { version = "1", features = ["float_roundtrip"] }\n\n'
                                   # A round trip, not a debugging session: no debug info, no
                                   # incremental cache (a third of cargo's work here), and a
                                   # panic (any file a type refuses) aborts, which fails the run
                                   # as an unwinding exit did, without the unwinding code the
                                   # compiler made for every function (~10% of cargo's work).
                                   '[profile.dev]\ndebug = 0\nincremental = false\npanic = "abort"\n',
                                   encoding="utf-8")
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


def expression_trees(data) -> list[dict]:
    """Every distinct expression tree in a file: conditions, effects, formulas, requirements."""
    found: dict[str, dict] = {}

    def visit(value):
        if isinstance(value, dict):
            if set(value) == {"source", "ast"}:
                found.setdefault(json.dumps(value["ast"], sort_keys=True), value["ast"])
                return
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)
    visit(data)
    return list(found.values())


def member_name(word: str) -> str:
    """The enum member quicktype names after an operator's word: `floor_div` → `FloorDiv`."""
    return "".join(part.title() for part in word.split("_"))


def expected_walk(node: dict, members: bool) -> list[str]:
    """What the generated programs' `walk` prints for a tree: one line per node, in
    pre-order. C# and Rust print an operator's enum member, TypeScript and Go its value."""
    kind = node["type"]
    fields = node[kind]
    op = member_name(fields["op"]) if members and "op" in fields else fields.get("op")
    head = {"number": "number", "bool": "bool", "string": f"string:{fields.get('value')}",
            "name": f"name:{fields.get('name')}", "unary": f"unary:{op}", "binary": f"binary:{op}",
            "call": f"call:{fields.get('func')}", "assign": f"assign:{op}:{fields.get('target')}",
            "set": f"set:{fields.get('name')}", "give": f"give:{fields.get('item')}",
            "take": f"take:{fields.get('item')}"}[kind]
    children = {"unary": ["operand"], "binary": ["left", "right"], "assign": ["value"]}.get(kind, [])
    nodes = [fields[c] for c in children] + (fields["args"] if kind == "call" else [])
    return [head, *(line for child in nodes for line in expected_walk(child, members))]


def every_kind_and_operator() -> list[dict]:
    """Trees, in the contract's form, with every node kind and every operator: those
    the sample's stories do not use are walked in every language too."""
    from pipeline.exporters.json_api import expr_json
    from pipeline.expr import parse_effects, parse_expression
    condition = parse_expression('not (a or b and -c // 2 % 3 == 1) or c != 2 or x < 1 or x <= 2 or x > 3 or x >= 4 '
                                 'or s == "t" and 1 + 2 * 3 / 4 - 5 > 0.5 or flag == true or min(x, 1) > 0')
    effects = parse_effects('gold = 1; gold += 2; gold -= 3; set met; unset met; give "rope"; take "rope"')
    trees = [expr_json.to_json(node) for node in (condition, *effects)]
    text = json.dumps(trees)
    assert {w for words in expr_json.OPERATOR_WORDS.values() for w in words.values()} == \
        set(re.findall(r'"op": "(\w+)"', text))
    assert set(re.findall(r'"type": "(\w+)"', text)) == {"number", "bool", "string", "name", "unary", "binary",
                                                         "call", "assign", "set", "give", "take"}
    return trees


# Decimals as a writer may type them in a condition, within the language's ±2^53: the
# JSON API publishes each as the shortest text of its double (Python's repr), and every
# loader must read back that double, not a neighbour. serde_json's default parser is
# "best effort" for 16-17 significant digits (1000000000000000.5 came back as ...0.4,
# 9007199254740991.0 as ...0990.0); its `float_roundtrip` feature parses exactly.
EDGE_DECIMALS = ("1000000000000000.5", "9007199254740991.0", "4503599627370495.5", "123456789.12345679",
                 "0.30000000000000004", "0.00012345678901234567", "0.0000001", "0.0")


def decimals_a_writer_may_type() -> list[dict]:
    """Trees, in the contract's form, comparing a name with each of EDGE_DECIMALS (and its
    negation), parsed by the expression language itself: the values are ones it accepts."""
    from pipeline.exporters.json_api import expr_json
    from pipeline.expr import parse_expression
    trees = [expr_json.to_json(parse_expression(f"x > {d} or x < -{d}")) for d in EDGE_DECIMALS]
    published = {repr(float(d)) for d in EDGE_DECIMALS}
    assert published <= set(re.findall(r'"value": ([-\d.e+]+)', json.dumps(trees))), published
    return trees


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_generated_loader_reads_and_writes_back_every_file(language, loader, generated, json_build, tmp_path):
    """Every data file and every expression tree of the sample build, read into the
    generated types and written back: the same JSON, valid against its schema; and each
    tree walked through one generated type per node kind. Trees with every node kind and
    operator, and with decimals of 16-17 significant digits, are read and written too."""
    program = loader(language)
    schemas = {f: json.loads((api(json_build) / "schema" / f"{f}.schema.json").read_text()) for f in GENERATED}
    files = data_files(json_build)
    assert {kind for kind, _ in files} == set(FILES)
    trees = expression_trees(json.loads((api(json_build) / "bundle.json").read_text(encoding="utf-8")))
    kinds = {line.split(":")[0] for tree in trees for line in expected_walk(tree, members=False)}
    assert {"binary", "unary", "call", "name", "number", "string", "assign", "set"} <= kinds, kinds  # in the sample
    trees += every_kind_and_operator() + decimals_a_writer_may_type()
    for index, tree in enumerate(trees):
        (tmp_path / f"tree-{index}.json").write_text(json.dumps(tree), encoding="utf-8")
        files.append(("expr", tmp_path / f"tree-{index}.json"))
    args = []
    for index, (kind, path) in enumerate(files):
        args += [kind, str(path), str(tmp_path / f"{index}.out.json")]
    run([*program, *args], cwd=tmp_path)
    for index, (kind, path) in enumerate(files):
        written = json.loads((tmp_path / f"{index}.out.json").read_text(encoding="utf-8"))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in Draft202012Validator(schemas[kind]).iter_errors(written)]
        assert errors == [], (language, path.name, errors[:5])
        original = json.loads(path.read_text(encoding="utf-8"))
        # quicktype's Rust makes a nullable field and an absent one the same `Option`, and
        # `--skip-serializing-none` leaves both out: it writes every value but the nulls.
        assert written == (without_nulls(original) if language == "rust" else original), (language, path.name)
        # ...and each number as it was written, to the character (Python's == holds 2 and
        # 2.0 equal), but one kind: a number node's `value` (typed `number`, a double in
        # every loader) comes back the same double in the language's own spelling — C#
        # and Rust write a whole one `2.0`, TypeScript and Go `2`, and `1e-07` is `1e-7`
        # or `1E-07` (docs/json-api.md says so). Every field typed `integer` comes back
        # as written (a loader writing `2.0` there would fail here).
        as_read = numbers_as_text(path.read_text(encoding="utf-8"))
        as_written = numbers_as_text((tmp_path / f"{index}.out.json").read_text(encoding="utf-8"))
        doubles = number_node_values(path)
        differ = [(a, b) for a, b in zip(as_read, as_written) if a != b and not (a in doubles and float(a) == float(b))]
        assert len(as_written) == len(as_read) and differ == [], (language, path.name, differ[:5])
        if kind == "expr":
            walked = (tmp_path / f"{index}.out.json.walk").read_text(encoding="utf-8").split("\n")
            assert walked == expected_walk(original, members=language in ("csharp", "rust")), (language, original)


def declared_types(language: str, text: str) -> set[str]:
    return set(re.findall(r"(?:interface|class|struct|enum|type) (\w+)", text))


def type_body(text: str, name: str) -> str:
    """The declaration of one struct/class/interface/enum in generated code (up to its closing brace)."""
    match = re.search(rf"(?:interface|class|struct|enum|type) {name}\b[^{{]*\{{(.*?)\n\s*\}}", text, re.S)
    assert match, name
    return match.group(1)


def operator_members(language: str, text: str, enum: str) -> dict[str, str]:
    """member name → JSON value of an operator enum, as the generated code declares it."""
    if language == "go":
        return dict(re.findall(rf'(\w+)\s+{enum} = "(\w+)"', text))
    if language == "typescript":   # a union of string literals: the values are the members
        declared = re.search(rf"export type {enum} = ([^;]+);", text)
        return {v: v for v in re.findall(r'"(\w+)"', declared.group(1))}
    if language == "csharp":       # `public enum BinaryOperator { Add, And, … };` on one line
        return {m: "" for m in re.findall(r"\w+", re.search(rf"enum {enum} \{{([^}}]*)\}}", text).group(1))}
    return {m: "" for m in re.findall(r"^\s*(\w+),\s*$", type_body(text, enum), re.M)}


def test_one_generated_type_per_node_kind_and_operators_by_name(generated):
    """Readable, stable names in every language: the top-level type is the schema's
    title; the expression tree is one `ExprNode` with a field per kind, each of that
    kind's own type (not one merged type with every kind's fields); operator enums have
    members named after their words (`Ge`, `FloorDiv`, not `Purple`, `The1`)."""
    from pipeline.exporters.json_api.expr_json import OPERATOR_WORDS
    out, names = generated
    assert names == {"bundle": "Bundle", "manifest": "Manifest", "rules": "RulesFile",
                     "relationships": "RelationshipsFile", "heroes": "HeroesFile", "hero": "HeroFile",
                     "characters": "CharactersFile", "character": "CharacterFile", "quests": "QuestsFile",
                     "quest": "QuestFile", "stories": "StoriesFile", "story": "StoryFile",
                     "strings": "StringsFile", "expr": "ExprNode"}
    enums = {"UnaryOperator": OPERATOR_WORDS["unary"], "BinaryOperator": OPERATOR_WORDS["binary"],
             "AssignOperator": OPERATOR_WORDS["assign"]}
    for language, ext in (("typescript", "ts"), ("csharp", "cs"), ("go", "go"), ("rust", "rs")):
        text = (out / language / ("story/story.go" if language == "go" else f"story.{ext}")).read_text(encoding="utf-8")
        types = declared_types(language, text)
        assert {"StoryFile", "Story", "Scene", "Choice", "Expression", "ExprNode", "ExprNodeType", "Status",
                "Severity", "VariableType", *NODE_TYPES, *enums} <= types, (language, sorted(types))
        assert not {t for t in types if t.startswith(("Purple", "Fluffy", "Tentacled", "The", "Left", "Op"))}, \
            (language, sorted(types))
        node = type_body(text, "ExprNode")
        for kind_type in NODE_TYPES:   # ExprNode holds each kind under its own key, of its own type
            assert re.search(rf"\b{kind_type}\b", node), (language, kind_type, node)
        for kind_type in ("BinaryNode", "NameNode"):   # …and a kind's type holds its fields only
            body = type_body(text, kind_type)
            assert not re.search(r"\b(item|Item|func|Func|target|Target|operand|Operand)\b", body), (language, body)
        for enum, words in enums.items():
            members = operator_members(language, text, enum)
            if language == "go":   # a package-wide constant, prefixed with its type where names clash
                assert sorted(members.values()) == sorted(words.values()), (language, enum, members)
                assert all(name.lower().endswith(member_name(value).lower()) for name, value in members.items()), \
                    (language, enum, members)
            else:
                want = set(words.values()) if language == "typescript" else {member_name(w) for w in words.values()}
                assert set(members) == want, (language, enum, members)


# The words quicktype draws invented names from (type names for untitled schemas, enum
# members for values without letters), and its names for untitled array items / classes.
INVENTED = re.compile(r"\b(Purple|Fluffy|Tentacled|Sticky|Indigo|Indecent|Hilarious|Ambitious|Cunning|Magenta|"
                      r"Frisky|Mischievous|Braggadocious|OpEnum|The\d\w*|[A-Z][a-z]+Element|[A-Z][a-z]+Class)\b")


def test_no_invented_names_in_any_generated_loader(generated):
    """Across every file kind and language, no name quicktype had to make up — but one:
    `paths_over`'s single value `"2^53"` has no letters, so its member is `The253`
    (docs/json-api.md says so)."""
    out, _ = generated
    invented = {}
    for path in sorted(out.rglob("*")):
        if path.suffix in (".ts", ".cs", ".go", ".rs") and path.stem in GENERATED:
            names = set(INVENTED.findall(path.read_text(encoding="utf-8"))) - {"The253"}
            if names:
                invented[str(path.relative_to(out))] = sorted(names)
    assert invented == {}


def test_schemas_compile_in_ajv_strict_mode(json_build):
    """The validator most JavaScript engines use, in strict mode (unknown keywords,
    ignored keywords and loose types are errors), with no registry and no network."""
    require_tool(shutil.which("node") is not None and (REPO / "node_modules" / "ajv" / "dist" / "2019.js").is_file(),
                 "node with ajv (installed with the npm tools)")
    problems = json.loads(run(["node", str(HERE / "ajv_strict.cjs"), str(api(json_build) / "schema")], cwd=REPO))
    assert problems == []


def test_what_generated_writers_write_is_valid_and_nothing_looser(json_build):
    """The schema accepts the one form writers differ on — a nullable field left out —
    and still refuses a node with another kind's fields, with two kinds' keys, with a
    `null` for a kind's key, with an operator's symbol, or a kind that does not exist."""
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

    name = {"type": "name", "name": {"name": "gold"}}
    number = {"type": "number", "number": {"value": 1}}
    assert validator.is_valid(with_ast({"type": "binary", "binary": {"op": "ge", "left": name, "right": number}}))
    assert not validator.is_valid(with_ast({"type": "binary", "binary": {"op": ">=", "left": name, "right": number}}))
    assert not validator.is_valid(with_ast({"type": "binary", "binary": {"op": "ge", "left": name, "right": number},
                                            "number": None}))
    assert not validator.is_valid(with_ast({**name, "number": {"value": 1}}))
    assert not validator.is_valid(with_ast({"type": "name", "number": {"value": 1}}))
    assert not validator.is_valid(with_ast({"type": "name", "name": {"name": "gold", "value": None}}))
    assert not validator.is_valid(with_ast({"type": "name", "name": "gold"}))             # contract 1's form
    assert not validator.is_valid(with_ast({"type": "eval", "eval": {"code": "1"}}))
    assert validator.is_valid(with_ast(ast))
    # A nullable field may be left out (Rust's writer); a required one may not.
    absent = json.loads(json.dumps(story))
    del absent["story"]["protagonist"]
    assert validator.is_valid(absent)
    del absent["story"]["start"]
    assert not validator.is_valid(absent)
