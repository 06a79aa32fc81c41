// An oracle for `foundry import twine` on Harlowe 3 stories: plays a Twee 3 or Twine 2
// HTML story the way Harlowe renders the constructs the importer supports, written
// independently of the importer.
//
//   node harlowe_player.mjs STORY.twee|STORY.html < request.json
//   request/answer: as sugarcube_player.mjs.
//
// Read by extwee (parseTwee / parseTwine2HTML). Harlowe is not on npm, so what it does
// is copied here in small: `startup`-tagged passages run first; a passage renders top to
// bottom; `(set: $x to …)` (with `it`) and `(put: … into $x)` run when reached; `(if:)`,
// `(unless:)`, `(else-if:)`, `(else:)` decide whether their attached `[hook]` renders;
// `(visited: "X")` is whether X was shown (this passage too), `(history:) contains "X"` (`does
// not contain`) whether it was shown before this one, `visits` how many times this one was
// (this time too): each passage shown, and each gone through by `(go-to:)`, is a visit;
// `[[…]]` links (`->`, `<-`, `|`), `(link-goto: "text", "passage")`, `(link:)`/`(link-reveal:)` whose
// hook sets and `(go-to:)`es, and `(link-reveal-goto:)` are the options.
// Expressions are JavaScript after Harlowe's words are replaced (`is` `===`,
// `is not` `!==`, `and` `&&`, `or` `||`, `not` `!`). The text rule is the importer's
// (see sugarcube_player.mjs). A passage that renders no link ends the story.
import { readFileSync } from "node:fs";
import { parseTwee, parseTwine2HTML } from "extwee";

const TOKEN = /"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\$[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_.]*|\s+|./gs;

function desugar(code, it) {
  const toks = code.match(TOKEN) || [];
  const out = [];
  // `it` after a comparison is its left side (a $variable, in these stories); in a set, the variable set
  const compares = (j) => { while (j < toks.length && !toks[j].trim()) j++; return ["is", "<", ">", "="].includes(toks[j]); };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.startsWith("$")) { out.push(`V.${t.slice(1)}`); if (compares(i + 1)) it = t.slice(1); }
    else if (t === "is") {
      let j = i + 1;
      while (j < toks.length && !toks[j].trim()) j++;
      if (toks[j] === "not") { out.push("!=="); i = j; } else out.push("===");
    } else if (t === "and") out.push("&&");
    else if (t === "or") out.push("||");
    else if (t === "not") out.push("!");
    else if (t === "it") out.push(`V.${it}`);
    else if (t === "visits" || t === "visit") out.push("VISITS()");
    else out.push(t);
  }
  return out.join("");
}
// Harlowe's elided comparisons: a number or text alone after `or`/`and` reuses the
// comparison before it (`$hp is 1 or 2` is `$hp is 1 or $hp is 2`).
const LIT = String.raw`(?:"[^"]*"|'[^']*'|-?\d+(?:\.\d+)?)(?![\w.])(?!\s*(?:is\b|[<>=]))`;
const ELIDED = new RegExp(String.raw`(\$\w+)\s+(is not|is|<=|>=|<|>)\s+(${LIT})((?:\s+(?:or|and)\s+${LIT})+)`, "g");
const elide = (code) => code.replace(ELIDED, (all, v, op, first, rest) =>
  `${v} ${op} ${first}` + rest.replace(new RegExp(String.raw`\s+(or|and)\s+(${LIT})`, "g"), (m, w, lit) => ` ${w} ${v} ${op} ${lit}`));
// the passages shown before the one rendering (Harlowe's (history:)), and that one
const PAST = [];
let HERE = null;
const STR = String.raw`("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')`;
const visits = (code) => code
  .replace(new RegExp(String.raw`\(visited:\s*${STR}\s*\)`, "gi"), "VISITED($1)")
  .replace(new RegExp(String.raw`\(history:\s*\)\s+does\s+not\s+contain\s+${STR}`, "gi"), "!PAST.includes($1)")
  .replace(new RegExp(String.raw`\(history:\s*\)\s+contains\s+${STR}`, "gi"), "PAST.includes($1)");
const VISITED = (name) => name === HERE || PAST.includes(name);
// `visits` (`visit`): the times the passage rendering was shown, this time included
const VISITS = () => PAST.filter((name) => name === HERE).length + 1;
const value = (code, V, it) => new Function("V", "VISITED", "PAST", "VISITS",
  `"use strict"; return (${desugar(elide(visits(code)), it)});`)(V, VISITED, PAST, VISITS);

function splitTop(code, sep) {
  const parts = [];
  let depth = 0, quote = null, start = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (quote) { if (c === "\\") i++; else if (c === quote) quote = null; continue; }
    // (Harlowe's possessive, `$inv's length`, opens no string)
    const possessive = c === "'" && /^'s(?![\w'])/.test(text.slice(i, i + 3)) && /[\w)\]"']/.test(text[i - 1] ?? "");
    if ((c === '"' || c === "'") && !possessive) quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === sep && depth === 0) { parts.push(code.slice(start, i)); start = i + 1; }
  }
  parts.push(code.slice(start));
  return parts;
}

// the variables set with `const-type`: a (set:)/(put:) changing one is an error in
// Harlowe, and none of it is made (as the importer leaves it out)
const CONST = new Set();

function set(args, V) {
  const parts = splitTop(args, ",").map((part) => part.match(/^\s*(?:(\w+)-type\s+)?\$(\w+)\s+to\s+([\s\S]*)$/));
  assign(parts.map((m) => [m[1], m[2], m[3]]), V);   // (a typed variable: `num-type $n`)
}

function put(args, V) {   // (put: 1 into $a, 2 into $b): one or more, as (set:)
  const parts = splitTop(args, ",").map((part) => part.match(/^([\s\S]*)\s+into\s+(?:(\w+)-type\s+)?\$(\w+)\s*$/));
  assign(parts.map((m) => [m[2], m[3], m[1]]), V);
}

function assign(parts, V) {   // [datatype, name, value]
  if (parts.some(([, name]) => CONST.has(name))) return;
  for (const [type, name, code] of parts) {
    V[name] = value(code, V, name);
    if (type && type.toLowerCase() === "const") CONST.add(name);
  }
}

function closeParen(text, i) {   // i just after "(name:"
  let depth = 0, quote = null;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === "\\") i++; else if (c === quote) quote = null; continue; }
    // (Harlowe's possessive, `$inv's length`, opens no string)
    const possessive = c === "'" && /^'s(?![\w'])/.test(text.slice(i, i + 3)) && /[\w)\]"']/.test(text[i - 1] ?? "");
    if ((c === '"' || c === "'") && !possessive) quote = c;
    else if (c === "(") depth++;
    else if (c === ")") { if (depth === 0) return i; depth--; }
  }
  return -1;
}

function closeHook(text, i) {    // i at "["
  let depth = 0;
  for (; i < text.length; i++) {
    if (text[i] === "[") depth++;
    else if (text[i] === "]") { depth--; if (depth === 0) return i; }
  }
  return -1;
}

// Harlowe's passageLink pattern: the rightmost `->` or `|` (a greedy text before either), else the leftmost `<-`
function link(inner) {
  const m = /^([^]*)(->|\|)([^]*)$/.exec(inner);
  if (m) return { text: m[1], target: m[3] };
  if (inner.includes("<-")) { const i = inner.indexOf("<-"); return { text: inner.slice(i + 2), target: inner.slice(0, i) }; }
  return { text: inner, target: inner };
}

// Harlowe's text styles: ''b'', //i//, **strong**, *em*, ~~s~~, ^^sup^^. A delimiter
// closes the nearest open one of its kind (those opened after it stay text); one never
// closed is text. A web address, and a `*` bullet opening a line, are no markup.
// → the text shown, and [element, text] per style.
const STYLE = /(?:https?|mailto|javascript|ftp|data):\/\/[^\s<]+[^<.,:;"')\]\s]|^[ \t]*\*+(?=[ \t])|''|\/\/|\*\*|\*|~~|\^\^/gm;
const STYLES = { "''": "b", "//": "i", "**": "strong", "*": "em", "~~": "s", "^^": "sup" };
function styled(run) {
  const open = [], pairs = [];
  for (const m of run.matchAll(STYLE)) {
    if (!STYLES[m[0]]) continue;
    const k = open.map((o) => o[0]).lastIndexOf(m[0]);
    if (k < 0) open.push(m); else { pairs.push([open[k], m]); open.length = k; }
  }
  const skip = new Map(pairs.flatMap(([a, b]) => [[a.index, a[0].length], [b.index, b[0].length]]));
  const at = [];   // index in run → index in text
  let text = "";
  for (let i = 0; i < run.length;) {
    if (skip.has(i)) { for (let j = 0; j < skip.get(i); j++) at.push(text.length); i += skip.get(i); continue; }
    at.push(text.length); text += run[i++];
  }
  at.push(text.length);
  return { text, spans: pairs.map(([a, b]) => [STYLES[a[0]], text.slice(at[a.index + a[0].length], at[b.index])]) };
}

let gone = null;   // where a (go-to:) run by a clicked (link:)'s hook goes

function render(text, V) {
  const out = [{ text: "", hasText: false }];
  const links = [];
  const styles = [];
  let chain = null;    // null: no (if:) to attach to; true/false: whether a branch already rendered
  let run = "";        // text since the last link or macro: its styles are read together
  function flush() {
    const { text: shown, spans } = styled(run);
    run = "";
    styles.push(...spans);
    for (const c of shown) {
      if (c === "\n") out.push({ text: "", hasText: false });
      else {
        out[out.length - 1].text += c;
        if (c.trim()) out[out.length - 1].hasText = true;
      }
    }
  }
  function shownLink(l) {   // a link's text is markup too
    const { text: shown, spans } = styled(l.text);
    styles.push(...spans);
    return { ...l, text: shown };
  }
  function walk(s) {
    let i = 0;
    while (i < s.length && gone === null) {
      if (s.startsWith("[[", i) && !s.startsWith("[[[", i)) {
        flush();
        const end = s.indexOf("]]", i);
        const l = shownLink(link(s.slice(i + 2, end)));
        links.push(l);
        out[out.length - 1].text += l.text;
        i = end + 2; continue;     // (a link, a set, a command: no hook, lastHookShown unchanged)
      }
      const m = /^\(([A-Za-z][\w-]*):/.exec(s.slice(i, i + 40));
      if (m) {
        flush();
        const name = m[1].toLowerCase().replace(/[-_]/g, "");   // Harlowe's insensitiveName: `(Link_Goto:)`
        const close = closeParen(s, i + m[0].length);
        const args = s.slice(i + m[0].length, close);
        i = close + 1;
        if (name === "set") { set(args, V); continue; }
        if (name === "put") { put(args, V); continue; }
        if (name === "goto") { gone = value(args, V, null); i = s.length; chain = null; continue; }   // (go-to:)
        if (name === "linkgoto") {
          const parts = splitTop(args, ",").map((p) => value(p, V, null));
          const l = shownLink({ text: parts[0], target: parts[parts.length - 1] });
          links.push(l); out[out.length - 1].text += l.text; continue;
        }
        // a changer takes the hook after any white space (Harlowe: `(if:true) \n [foo]` prints "foo")
        // and a hook's name before or after it (`|door>[…]`, `[…]<door|`) is not shown
        const changer = ["if", "unless", "elseif", "else", "link", "linkreveal", "linkrevealgoto"].includes(name);
        let named = false;
        if (changer) {
          while (i < s.length && /\s/.test(s[i]) && /^\s*(\|[A-Za-z_][\w-]*>)?\[/.test(s.slice(i))) i++;
          const tag = /^\|[A-Za-z_][\w-]*>(?=\[)/.exec(s.slice(i));
          if (tag) { i += tag[0].length; named = true; }
        }
        const hookEnd = closeHook(s, i);
        const hook = s.slice(i + 1, hookEnd);
        i = hookEnd + 1;
        if (changer && !named) { const tag = /^<[A-Za-z_][\w-]*\|/.exec(s.slice(i)); if (tag) i += tag[0].length; }
        if (name === "link" || name === "linkreveal" || name === "linkrevealgoto") {
          // clicked, its hook runs (its sets, a (go-to:)); (link-reveal-goto:) then goes to its passage
          const parts = splitTop(args, ",").map((p) => value(p, V, null));
          const l = shownLink({ text: parts[0], target: name === "linkrevealgoto" ? parts[parts.length - 1] : null, hook });
          links.push(l); out[out.length - 1].text += l.text; chain = null; continue;
        }
        let show = false;
        if (name === "if" || name === "unless") {
          const v = value(args, V, null) === true;
          show = name === "if" ? v : !v;
          chain = show;
        } else if (name === "elseif") {
          show = chain === false && value(args, V, null) === true;
          chain = chain || show;
        } else if (name === "else") {
          show = chain === false;
          chain = null;
        }
        const saved = chain;
        if (show) walk(hook);
        chain = saved;
        continue;
      }
      run += s[i];     // (text does not end an (if:)'s chain: Harlowe's lastHookShown is set by hooks alone)
      i++;
    }
    flush();
  }
  walk(text);
  const lines = out.filter((l) => l.hasText).map((l) => l.text.replace(/\s+/g, " ").trim());
  const shownStyles = styles.flatMap(([tag, t]) => t.split("\n").map((x) => [tag, x.replace(/\s+/g, " ").trim()]))
    .filter(([, t]) => t);
  return { lines, links, styles: shownStyles };
}

function play(story, passages, path) {
  const V = {};
  CONST.clear();
  PAST.length = 0;
  for (const p of story.passages) if ((p.tags || []).includes("startup")) render(p.text, V);
  const steps = [];
  let name = story.start;
  let turn = 0;
  let hops = 0;   // passages gone through by (go-to:) since the last one shown
  const errors = [];
  for (;;) {
    gone = null;
    HERE = name;
    const { lines, links, styles } = render(passages.get(name).text, V);
    PAST.push(name);
    if (gone !== null) {
      // a (go-to:) in the passage: the reader is shown that passage instead
      if (!passages.has(gone) || ++hops > 100) {
        errors.push(`(go-to:) in ${name} goes to no passage the player knows`);
        return { steps, ending: false, errors };
      }
      name = gone;
      continue;
    }
    hops = 0;
    steps.push({ passage: name, lines, options: links.map((l) => l.text.trim()), styles });
    if (!links.length) return { steps, ending: true, errors };
    if (turn >= path.length) return { steps, ending: false, errors };
    const pick = path[turn++];
    if (!(pick >= 1 && pick <= links.length)) {
      errors.push(`choice ${pick} does not exist; ${links.length} can be taken`);
      return { steps, ending: false, errors };
    }
    const chosen = links[pick - 1];
    gone = null;
    if (chosen.hook !== undefined) render(chosen.hook, V);
    name = chosen.target ?? gone;
  }
}

const file = process.argv[2];
const source = readFileSync(file, "utf8");
const story = file.endsWith(".html") ? parseTwine2HTML(source) : parseTwee(source);
const passages = new Map(story.passages.map((p) => [p.name, p]));
const request = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify({ runs: request.paths.map((path) => play(story, passages, path)) }));
