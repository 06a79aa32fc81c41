// Read a .twee file with extwee, compile it to Twine 2 HTML, read that back, and
// print what survived as JSON on stdout.
//
//   node twee_runner.mjs STORY.twee
//   answer: {"story": {...}, "passages": [{"name", "tags", "text"}], "warnings": [...],
//            "html": {"error": null | "...", "length", "story": {...}, "passages": [...]}}
//
// extwee ships no story formats, and compiling needs one: the real SugarCube cannot be
// had from npm, so a minimal format stands in. It has the two placeholders every
// Twine 2 format has ({{STORY_NAME}}, {{STORY_DATA}}), which is all the compiler uses.
import { readFileSync } from "node:fs";
import { compileTwine2HTML, parseTwee, parseTwine2HTML, StoryFormat } from "extwee";

const warnings = [];
console.warn = (...args) => warnings.push(args.join(" "));
console.info = (...args) => warnings.push(args.join(" "));

function describe(story) {
  return {
    story: { name: story.name, ifid: story.IFID, format: story.format,
             formatVersion: story.formatVersion, start: story.start },
    passages: story.passages.map((p) => ({ name: p.name, tags: p.tags, text: p.text })),
  };
}

const story = parseTwee(readFileSync(process.argv[2], "utf8"));
const format = new StoryFormat(story.format, story.formatVersion, "stand-in for tests", "", "", "", "",
  false, "<!DOCTYPE html><html><head><title>{{STORY_NAME}}</title></head><body>{{STORY_DATA}}</body></html>");
let html = { error: null };
try {
  const page = compileTwine2HTML(story, format);
  html = { error: null, length: page.length, ...describe(parseTwine2HTML(page)) };
} catch (err) {
  html = { error: String(err && err.message || err) };
}
process.stdout.write(JSON.stringify({ ...describe(story), warnings, html }));
