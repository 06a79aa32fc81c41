// Play scripted paths through a .twee export, evaluating its TwineScript as SugarCube 2
// would, and print what happened as JSON on stdout.
//
//   node twee_player.mjs STORY.twee < request.json
//   request: {"paths": [[1, 2, ...], ...]}
//   answer:  {"runs": [{"steps": [{"scene", "options": [ids], "chosen"}], "ending",
//             "variables": {...}, "errors": [...]}]}
//
// SugarCube itself is not on npm, so this plays only what the exporter writes:
// `<<set>>` in StoryInit, and per passage the `<<if>>`/`<<link>>`/`<<set>>` choice lines.
// TwineScript is JavaScript after SugarCube's desugaring, copied here in small:
// `$name` is a story variable, `to` is `=`, `is`/`isnot` are `===`/`!==`, `not` is `!`,
// `and`/`or` are `&&`/`||`, and SugarCube adds Math.clamp.
import { readFileSync } from "node:fs";
import { parseTwee } from "extwee";

const WORDS = { to: "=", is: "===", isnot: "!==", eq: "==", neq: "!=", gt: ">", gte: ">=",
                lt: "<", lte: "<=", and: "&&", or: "||", not: "!" };
const TOKEN = /"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\$[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*|\s+|./gs;
const LINK = /(?:<<if (.+?)>>)?<li data-choice="([^"]+)"><<link "[^"]*" "([^"]+)">>(.*?)<<\/link>><\/li>(?:<<\/if>>)?/g;
const SET = /<<set (.+?)>>/g;

const math = Object.create(Math);
math.clamp = (value, a, b) => Math.min(Math.max(value, Math.min(a, b)), Math.max(a, b));

function desugar(code) {
  return code.replace(TOKEN, (token) => {
    if (token.startsWith("$")) return `V.${token.slice(1)}`;
    return Object.hasOwn(WORDS, token) ? WORDS[token] : token;
  });
}

function run(code, V) {
  return new Function("V", "Math", `"use strict"; return (${desugar(code)});`)(V, math);
}

function sets(text) {
  return [...text.matchAll(SET)].map((m) => m[1]);
}

function play(passages, start, init, path) {
  const V = {};
  const errors = [];
  for (const statement of init) run(statement, V);
  const steps = [];
  let scene = start;
  let turn = 0;
  for (;;) {
    const passage = passages.get(scene);
    const links = [...passage.text.matchAll(LINK)].map(([, condition, id, target, effects]) =>
      ({ condition, id, target, effects: sets(effects) }));
    const offered = links.filter((link) => link.condition === undefined || run(link.condition, V) === true);
    const step = { scene, options: offered.map((link) => link.id), chosen: null };
    steps.push(step);
    if (passage.tags.includes("ending") || !offered.length || turn >= path.length) break;
    const pick = path[turn++];
    if (!(pick >= 1 && pick <= offered.length)) {
      errors.push(`choice ${pick} does not exist; ${offered.length} can be taken`);
      break;
    }
    const link = offered[pick - 1];
    step.chosen = link.id;
    for (const statement of link.effects) run(statement, V);
    scene = link.target;
  }
  const last = passages.get(scene);
  return { steps, ending: last.tags.includes("ending") ? scene : null, variables: V, errors };
}

const story = parseTwee(readFileSync(process.argv[2], "utf8"));
const passages = new Map(story.passages.map((p) => [p.name, p]));
const init = sets(passages.get("StoryInit").text);
const request = JSON.parse(readFileSync(0, "utf8"));
const runs = request.paths.map((path) => play(passages, story.start, init, path));
process.stdout.write(JSON.stringify({ runs }));
