// An oracle for `foundry import twine`: plays a Twee 3 story the way SugarCube 2
// renders the constructs the importer supports, independently of the importer.
//
//   node sugarcube_player.mjs STORY.twee|STORY.html < request.json
//   request: {"paths": [[1, 2, ...], ...]}
//   answer:  {"runs": [{"steps": [{"passage", "lines": [...], "options": [text...]}],
//             "ending": bool, "errors": [...]}]}
//
// The story is read by extwee's parsers (parseTwee, parseTwine2HTML; node_modules/extwee). SugarCube itself is not
// on npm, so what it does is copied here in small: StoryInit runs first; a passage is
// rendered top to bottom, each `<<set>>` running when it is reached and each `<<if>>`/
// `<<elseif>>`/`<<else>>` choosing what renders at that moment; `[[…]]` links (`|`, `->`,
// `<-`, and a `][$setter]`) and `<<link "Text" "Target">><<set …>><</link>>` (or
// `<<button>>`, or `<<link [[Text|Target]]>>`, or `<<link "Text">>` with a `<<goto "Target">>` in its body) become the options, in order; TwineScript is JavaScript after
// SugarCube's desugaring (`$x` a story variable, `_x` a temporary one, emptied whenever a
// passage is shown, a `<<goto>>`'s too, `to` `=`, `is` `===`, `isnot` `!==`,
// `eq`/`neq` `==`/`!=`, `gt`/`gte`/`lt`/`lte`, `and`/`or`/`not`). Text lines are what a
// reader sees: macros render nothing, a link shows its text, a line with no text but
// links is left out (the importer's rule for where choices go), white space collapses.
// A passage that renders no link ends the story. Passages tagged `init` run before
// StoryInit, in the story's order (SugarCube 2.36's code tag); a passage tagged `nobr`
// is rendered with its leading and trailing line breaks removed and every other run of
// them one space (SugarCube's special tag). `<<silently>>` runs its sets and shows nothing.
// `visited("X")` and `hasVisited("X")` read the passages shown so far (this one too);
// `visited()` counts the one rendering.
import { readFileSync } from "node:fs";
import { parseTwee, parseTwine2HTML } from "extwee";

const WORDS = { to: "=", is: "===", isnot: "!==", eq: "==", neq: "!=", gt: ">", gte: ">=",
                lt: "<", lte: "<=", and: "&&", or: "||", not: "!" };
const TOKEN = /"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\$[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_.]*|\s+|./gs;
// (square brackets in a link nest, as SugarCube reads them: `[[Rest [a while]]]`; no line break)
const PIECE = /\[\[((?:\[[^\]\n]*\]|[^[\]\n])*(?:\]\[[^\n]*?)?)\]\]|<<(\/?)(\w+)\s*(.*?)>>|([^[<]+|[[<])/gs;

// `$x` a story variable (V), `_x` a temporary one (T: emptied each time a passage is shown, <<goto>> too)
function desugar(code) {
  return code.replace(TOKEN, (t) => t.startsWith("$") ? `V.${t.slice(1)}`
    : /^_[A-Za-z$]/.test(t) ? `T.${t.slice(1)}` : (Object.hasOwn(WORDS, t) ? WORDS[t] : t));
}
let T = {};
// the passages shown so far, the one rendering included (SugarCube's history, which
// `<<goto>>` adds to): `visited("X")` counts them, `hasVisited("X")` asks
const HISTORY = new Map();
let HERE = null;    // the passage rendering: `visited()` of no name counts it
const visited = (name = HERE) => HISTORY.get(name) || 0;
const hasVisited = (name) => HISTORY.has(name);
const run = (code, V) => new Function("V", "T", "visited", "hasVisited",
                                      `"use strict"; return (${desugar(code)});`)(V, T, visited, hasVisited);
const exec = (code, V) => new Function("V", "T", "visited", "hasVisited", `"use strict"; ${desugar(code)};`)(V, T, visited, hasVisited);

function link(inner) {
  let setter = null;
  const at = inner.indexOf("][");
  if (at >= 0) { setter = inner.slice(at + 2); inner = inner.slice(0, at); }
  // SugarCube's lexer takes the first delimiter of `|`, `->` and `<-` and no other
  // (`[[Buy->Counter | Bar]]` leads to "Counter | Bar", `[[a|b->c]]` to "b->c")
  const d = inner.search(/\||->|<-/);
  if (d < 0) return { text: inner, target: inner, setter };
  if (inner.startsWith("<-", d)) return { text: inner.slice(d + 2), target: inner.slice(0, d), setter };
  return { text: inner.slice(0, d), target: inner.slice(d + (inner[d] === "|" ? 1 : 2)), setter };
}

// SugarCube's formatByChar parser: ''strong'', //em//, ==s==, __u__, ^^sup^^, ~~sub~~.
// A delimiter closes the innermost open style if it is that style's, else opens one
// inside it; a style never closed runs to the end. A web address (the urlLink parser,
// which comes first) is no markup. → the text shown, and [element, text] per style.
// Its emdash and doubleDollarSign parsers too: `--` is shown as an em dash, `$$` as `$`.
const STYLE = /(?:file|https?|mailto|ftp|javascript|irc|news|data):[^\s'"]+|''|\/\/|==|__|\^\^|~~|--|\$\$/g;
const STYLES = { "''": "strong", "//": "em", "==": "s", "__": "u", "^^": "sup", "~~": "sub" };
const SUBSTITUTES = { "--": "\u2014", "$$": "$" };
function styled(run) {
  let text = "", last = 0;
  const open = [], spans = [];
  for (const m of run.matchAll(STYLE)) {
    text += run.slice(last, m.index);
    last = m.index + m[0].length;
    if (SUBSTITUTES[m[0]]) text += SUBSTITUTES[m[0]];
    else if (!STYLES[m[0]]) text += m[0];
    else if (open.length && open[open.length - 1].delim === m[0]) { const o = open.pop(); spans.push([STYLES[o.delim], text.slice(o.start)]); }
    else open.push({ delim: m[0], start: text.length });
  }
  text += run.slice(last);
  while (open.length) { const o = open.pop(); spans.push([STYLES[o.delim], text.slice(o.start)]); }
  return { text, spans };
}

// Render: walk the pieces; `skip` counts the depth of <<if>> branches not taken.
// A run of text between links and macros is wikified for its styles; a `[[…]]` link's
// text is not (SugarCube writes it as a text node), a `<<link>>`'s is.
function render(text, V) {
  const out = [{ text: "", hasText: false }];
  const links = [];
  const styles = [];
  let pending = "";   // text since the last link or macro: its styles are read together
  const flush = () => {
    const { text: shown, spans } = styled(pending);
    pending = "";
    styles.push(...spans);
    shown.split("\n").forEach((part, i) => {
      if (i) out.push({ text: "", hasText: false });
      out[out.length - 1].text += part;
      if (part.trim()) out[out.length - 1].hasText = true;
    });
  };
  const stack = [];   // per open <<if>>: {taken: bool, active: bool}
  const active = () => stack.every((f) => f.active);
  let silent = 0;     // inside <<silently>>: its sets run, nothing of it is shown
  let goto = null;    // where a <<goto>> in the passage goes (SugarCube goes once the passage has rendered)
  const re = new RegExp(PIECE);
  let m;
  while ((m = re.exec(text))) {
    const [, inner, closing, name, args, plain] = m;
    if (plain === undefined) flush();
    if (inner !== undefined) {
      if (!active() || silent) continue;
      const l = link(inner);
      links.push(l);
      out[out.length - 1].text += l.text;
    } else if (name !== undefined) {
      if (name === "if" && !closing) {
        const on = active() && !!run(args, V);   // SugarCube tests the value as JavaScript does (!!)
        stack.push({ taken: on, active: on, outer: active() });
      } else if ((name === "elseif" || name === "else") && !closing) {
        const f = stack[stack.length - 1];
        const on = f.outer && !f.taken && (name === "else" || !!run(args, V));
        f.active = on; f.taken = f.taken || on;
      } else if (name === "if" && closing) {
        stack.pop();
      } else if (name === "silently") {
        silent += closing ? -1 : 1;
      } else if (name === "goto" && !closing && active() && goto === null) {
        // <<goto "Target">> in the passage: the reader is shown that passage instead
        const g = args.trim().match(/^(?:"([^"]*)"|'([^']*)'|\[\[([^\]]*)\]\])$/);
        goto = g ? (g[1] ?? g[2] ?? g[3]) : undefined;
      } else if (name === "set" && active()) {
        exec(args, V);
      } else if ((name === "link" || name === "button") && !closing) {
        // <<link "Text" "Target">>…<</link>>: clicking runs the body's <<set>>s, then goes.
        const close = text.indexOf(`<</${name}>>`, re.lastIndex);
        const body = text.slice(re.lastIndex, close);
        re.lastIndex = close + name.length + 5;
        if (!active() || silent) continue;
        const wiki = args.trim().match(/^\[\[(.*)\]\]$/);
        const l = wiki ? link(wiki[1]) : (() => { const [t, g] = args.match(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g).map((q) => JSON.parse(`"${q.slice(1, -1)}"`)); return { text: t, target: g, setter: null }; })();
        // <<link "Text">>…<<goto "Target">>…<</link>>: the body runs, then the story goes there
        const go = l.target === undefined && body.match(/<<goto\s+(?:"([^"]*)"|'([^']*)'|\[\[([^\]]*)\]\])\s*>>/);
        if (go) l.target = go[1] ?? go[2] ?? go[3];
        l.body = [...body.matchAll(/<<set\s+(.*?)>>/gs)].map((b) => b[1]);
        if (!wiki) { const { text: shown, spans } = styled(l.text); l.text = shown; styles.push(...spans); }
        links.push(l);
        out[out.length - 1].text += l.text;
      }
    } else if (active() && !silent) {
      pending += plain;
    }
  }
  flush();
  const lines = out.filter((l) => l.hasText).map((l) => l.text.replace(/\s+/g, " ").trim());
  return { lines, links, styles: shownStyles(styles), goto };
}

// Each styled span as the page shows it: per line, white space collapsed, empty ones not.
const shownStyles = (spans) => spans.flatMap(([tag, t]) => t.split("\n").map((x) => [tag, x.replace(/\s+/g, " ").trim()]))
  .filter(([, t]) => t);

const source = (p) => (p.tags || []).includes("nobr") ? p.text.replace(/^\n+|\n+$/g, "").replace(/\n+/g, " ") : p.text;

function play(passages, start, path) {
  const V = {};
  const errors = [];
  HISTORY.clear();
  for (const p of passages.values()) if ((p.tags || []).includes("init")) render(p.text, V);
  if (passages.has("StoryInit")) render(passages.get("StoryInit").text, V);
  const steps = [];
  let name = start;
  let turn = 0;
  let hops = 0;   // passages gone through by <<goto>> since the last one shown
  for (;;) {
    HISTORY.set(name, visited(name) + 1);
    HERE = name;
    T = {};
    const { lines, links, styles, goto } = render(source(passages.get(name)), V);
    if (goto !== null) {
      if (goto === undefined || !passages.has(goto) || ++hops > 100) {
        errors.push(`<<goto>> in ${name} goes to no passage the player knows`);
        return { steps, ending: false, errors };
      }
      name = goto;
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
    if (chosen.setter) exec(chosen.setter, V);
    for (const code of chosen.body || []) exec(code, V);
    name = chosen.target;
  }
}

const file = process.argv[2];
const story = (file.endsWith(".html") ? parseTwine2HTML : parseTwee)(readFileSync(file, "utf8"));
const passages = new Map(story.passages.map((p) => [p.name, p]));
const request = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify({ runs: request.paths.map((path) => play(passages, story.start, path)) }));
