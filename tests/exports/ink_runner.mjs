// Compile an .ink file with inkjs's compiler (or read the JSON another compiler, such as
// inklecate, made of it), then play scripted paths in inkjs's runtime and print what a
// player saw, as JSON on stdout.
//
//   node ink_runner.mjs STORY.ink < request.json
//   node ink_runner.mjs STORY.json < request.json     (compiled already: runtime only)
//   request: {"paths": [[1, 2, ...], ...], "variables": ["gold", ...]}
//   answer:  {"errors": [...], "warnings": [...], "runs": [{"steps": [...], "ending": ...,
//             "finished": bool, "variables": {...}, "errors": [...]}]}
//
// A step is one scene: {"scene", "title", "lines", "raw", "options": [{"text"}], "chosen", "arrival", "tags"}
// (`lines` trimmed, `raw` as the story gave them less the newline; `tags` every tag of its
// lines in order, those of the choice that led there first, as they come with its first line;
// `arrival` the text and tags of the first line after the step's choice was taken).
// Scenes are told apart by the `# scene: <id>` tag on their first line; the id of the
// choice taken is read, as an engine reads it, from the `# choice: <id>` tag that comes
// with the first line after the choice.
import { readFileSync } from "node:fs";
import { Compiler, CompilerOptions, JsonFileHandler, Story } from "inkjs/full";

const ERROR_TYPES = ["author", "warning", "error"];

function compile(source) {
  const messages = { author: [], warning: [], error: [] };
  const options = new CompilerOptions(null, [], false,
    (message, type) => messages[ERROR_TYPES[type]].push(message), new JsonFileHandler({}));
  const compiler = new Compiler(source, options);
  let story = null;
  try {
    story = compiler.Compile();
  } catch (err) {
    if (!messages.error.length) messages.error.push(String(err && err.message || err));
  }
  return { story, messages };
}

function tagValue(tags, name) {
  const prefix = name + ":";
  const tag = (tags || []).find((t) => t.startsWith(prefix));
  return tag === undefined ? null : tag.slice(prefix.length).trim();
}

function play(story, path, variables) {
  story.ResetState();
  const errors = [];
  story.onError = (message) => errors.push(message);
  const steps = [];
  let step = null;
  let taken = null;  // the step whose choice was just taken, waiting for its id
  let turn = 0;
  for (;;) {
    while (story.canContinue) {
      const text = story.Continue();
      const tags = story.currentTags || [];
      if (taken) {
        taken.chosen = tagValue(tags, "choice");
        taken.arrival = { text, tags: [...tags] };   // the first line after the choice, as an engine gets it
        taken = null;
      }
      const scene = tagValue(tags, "scene");
      if (scene !== null) {
        step = { scene, title: tagValue(tags, "title"), ending: tags.includes("ending"),
                 lines: [], raw: [], options: [], chosen: null, tags: [] };
        steps.push(step);
      }
      if (step) step.tags.push(...tags);
      if (step && text.trim()) step.lines.push(text.trim());
      // as played, less the line's end: trim() also takes a no-break space's indent
      if (step && text.trim()) step.raw.push(text.replace(/\n$/, ""));
    }
    const choices = story.currentChoices;
    if (step) step.options = choices.map((c) => ({ text: c.text }));
    if (!choices.length || turn >= path.length || errors.length) break;
    const pick = path[turn++];
    if (!(pick >= 1 && pick <= choices.length)) {
      errors.push(`choice ${pick} does not exist; ${choices.length} can be taken`);
      break;
    }
    taken = step;
    story.ChooseChoiceIndex(pick - 1);
  }
  const finished = !story.canContinue && !story.currentChoices.length;
  const last = steps[steps.length - 1];
  const values = {};
  for (const name of variables) values[name] = story.variablesState[name];
  return { steps, finished, ending: finished && last && last.ending ? last.scene : null,
           variables: values, errors };
}

function load(json) {
  const messages = { author: [], warning: [], error: [], runtime: [] };
  // inkjs warns on the console when the JSON's format version is older than its own
  // (ink 0.9's 19 against 21): kept apart, as that note is expected and harmless.
  console.warn = (...args) => messages.runtime.push(args.join(" "));
  let story = null;
  try {
    story = new Story(json.replace(/^\uFEFF/, ""));  // inklecate writes a byte-order mark
    story.onError = (message, type) => messages[type === 1 ? "warning" : "error"].push(message);
  } catch (err) {
    messages.error.push(String(err && err.message || err));
  }
  return { story, messages };
}

const source = readFileSync(process.argv[2], "utf8");
const request = JSON.parse(readFileSync(0, "utf8"));
const { story, messages } = process.argv[2].endsWith(".json") ? load(source) : compile(source);
const runs = story ? request.paths.map((path) => play(story, path, request.variables || [])) : [];
process.stdout.write(JSON.stringify({ errors: messages.error, warnings: messages.warning,
                                      author: messages.author, runtime: messages.runtime || [], runs }));
