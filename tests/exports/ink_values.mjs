// Compile an .ink file with inkjs's compiler, run it to its end in inkjs's runtime, and
// print its compiler messages and the lines it wrote, as JSON on stdout (the story is
// a list of `{expression}` lines: tests/exports/test_ink_expressions.py).
//
//   node ink_values.mjs STORY.ink
//   answer: {"errors": [...], "warnings": [...], "lines": [...]}
import { readFileSync } from "node:fs";
import { Compiler, CompilerOptions, JsonFileHandler } from "inkjs/full";

const messages = { author: [], warning: [], error: [] };
const kinds = ["author", "warning", "error"];
const options = new CompilerOptions(null, [], false, (m, t) => messages[kinds[t]].push(m), new JsonFileHandler({}));
let story = null;
try {
  story = new Compiler(readFileSync(process.argv[2], "utf8"), options).Compile();
} catch (err) {
  if (!messages.error.length) messages.error.push(String(err && err.message || err));
}
const lines = [];
if (story) {
  story.onError = (message) => messages.error.push(message);
  while (story.canContinue) lines.push(story.Continue().trim());
}
process.stdout.write(JSON.stringify({ errors: messages.error, warnings: messages.warning, lines }));
