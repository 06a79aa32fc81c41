// Compile every schema in a folder with ajv in strict mode; print the problems as JSON.
//
//   node ajv_strict.cjs SCHEMA_DIR
//
// The ajv in node_modules is 7.x, which predates draft 2020-12 but knows 2019-09; the
// schemas use no keyword that differs between the two ($defs, $ref, const, oneOf,
// anyOf, enum, pattern, not), so they are compiled as 2019-09 with `$schema` removed.
// Strict mode refuses unknown keywords, ignored keywords and loose types.
const Ajv2019 = require("ajv/dist/2019").default;
const fs = require("fs");
const path = require("path");

const dir = process.argv[2];
const problems = [];
for (const file of fs.readdirSync(dir).sort()) {
  const schema = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  delete schema.$schema;
  const said = (message) => problems.push(`${file}: ${message}`);
  const ajv = new Ajv2019({ strict: true, logger: { log: said, warn: said, error: said } });
  try {
    ajv.compile(schema);
  } catch (err) {
    said(err.message);
  }
}
process.stdout.write(JSON.stringify(problems));
