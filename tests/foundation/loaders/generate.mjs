// Generate typed loaders from the JSON API's schemas with quicktype (quicktype-core, the
// library behind the `quicktype` CLI, so one Node process does every file and language).
//
//   node generate.mjs SCHEMA_DIR OUT_DIR < request.json
//   request: {"languages": {"<lang>": {<quicktype renderer options>}}, "files": ["hero", ...]}
//   writes:  OUT_DIR/<lang>/<file>.<ext>; prints {"<file>": "<top-level type name>"}
//
// Each file's schema is generated on its own (it is self-contained: `$defs` bundled),
// its top-level type named after the schema's `title`, as a user would do.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FetchingJSONSchemaStore, InputData, JSONSchemaInput, quicktype } from "quicktype-core";

const [schemaDir, outDir] = process.argv.slice(2);
const request = JSON.parse(readFileSync(0, "utf8"));
const EXT = { typescript: "ts", csharp: "cs", go: "go", rust: "rs" };
const names = {};

for (const file of request.files) {
  const text = readFileSync(join(schemaDir, `${file}.schema.json`), "utf8");
  const title = JSON.parse(text).title;
  names[file] = title;
  for (const [lang, options] of Object.entries(request.languages)) {
    const input = new JSONSchemaInput(new FetchingJSONSchemaStore());
    await input.addSource({ name: title, schema: text });
    const inputData = new InputData();
    inputData.addInput(input);
    const rendererOptions = { ...options };
    // a namespace / package per file: each file's types stand alone
    if (lang === "csharp") rendererOptions.namespace = `HeroFoundry.Api.${title}Loader`;
    if (lang === "go") rendererOptions.package = file;
    const result = await quicktype({ inputData, lang, rendererOptions });
    const dir = lang === "go" ? join(outDir, lang, file) : join(outDir, lang);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${file}.${EXT[lang]}`), result.lines.join("\n") + "\n");
  }
}
process.stdout.write(JSON.stringify(names));
