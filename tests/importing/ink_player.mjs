// An oracle for `foundry import ink`: compiles the original .ink with inkjs (inkle's
// compiler and runtime, node_modules/inkjs) and plays scripted paths.
//
//   node ink_player.mjs STORY.ink < request.json
//   request: {"paths": [[1, 2, ...], ...]}
//   answer:  {"errors": [...], "runs": [{"steps": [{"lines": [...], "options": [text...]}],
//             "ending": bool, "errors": [...]}]}
//
// A step is what the player reads between two sets of choices. `ending` is true when
// the story has stopped: no more text and no choices.
import { readFileSync } from "node:fs";
import { Compiler, CompilerOptions, JsonFileHandler } from "inkjs/full";

const messages = [];
const options = new CompilerOptions(null, [], false, (message, type) => { if (type === 2) messages.push(message); },
  new JsonFileHandler({}));
let story = null;
try {
  story = new Compiler(readFileSync(process.argv[2], "utf8"), options).Compile();
} catch (err) {
  if (!messages.length) messages.push(String(err && err.message || err));
}

function play(path) {
  story.ResetState();
  const errors = [];
  story.onError = (message) => errors.push(message);
  const steps = [];
  let turn = 0;
  for (;;) {
    const lines = [];
    while (story.canContinue) {
      const text = story.Continue().trim();
      if (text) lines.push(text.replace(/\s+/g, " "));
    }
    const choices = story.currentChoices;
    steps.push({ lines, options: choices.map((c) => c.text.trim()) });
    if (!choices.length) return { steps, ending: true, errors };
    if (turn >= path.length || errors.length) return { steps, ending: false, errors };
    const pick = path[turn++];
    if (!(pick >= 1 && pick <= choices.length)) {
      errors.push(`choice ${pick} does not exist`);
      return { steps, ending: false, errors };
    }
    story.ChooseChoiceIndex(pick - 1);
  }
}

const request = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify({ errors: messages, runs: story ? request.paths.map(play) : [] }));
