/* The story player: turns a story page's linked scenes into a playthrough.
 *
 * A second runner of pipeline/stories/machine.py, fed the same inputs (the
 * #story-data JSON): a choice is offered only when its condition holds for the
 * playing hero and the story so far; taking it applies its effects (all or nothing)
 * and moves to its scene; an ending ends. Without this script the page still reads
 * as linked sections, which is also what "Read every scene" returns to.
 */
(function () {
  "use strict";
  var X = window.FoundryExpr;
  var dataNode = document.getElementById("story-data");
  var page = document.querySelector(".story-page");
  if (!X || !dataNode || !page) return;

  var data = X.parseData(dataNode.textContent);
  // The theme's words in the page's language, given as data by the page (story.html,
  // from the theme's catalogs); English when the page gives none.
  var words = { dead_end: "No choice can be taken here. Start again to try another way.", play_again: "Play again",
                items: "Items", none: "none", separator: ", " };
  var wordsNode = document.getElementById("theme-words");
  if (wordsNode) {
    try { var given = JSON.parse(wordsNode.textContent); Object.keys(words).forEach(function (k) { if (typeof given[k] === "string") words[k] = given[k]; }); }
    catch (e) { /* a broken island leaves the English words */ }
  }
  var sections = {};
  page.querySelectorAll(".scene[data-scene]").forEach(function (el) { sections[el.getAttribute("data-scene")] = el; });
  var bar = page.querySelector(".player-bar");
  var trail = page.querySelector(".trail");
  var stateBox = page.querySelector(".player-state");
  var heroSelect = document.getElementById("player-hero");
  var player = data.players[0];
  var state = null;
  var history = [];
  var reading = false;
  var voiceButton = bar.querySelector("[data-action=voice]");
  var voiceOn = voiceButton !== null && storedVoice() !== "off";

  /* --- the machine (pipeline/stories/machine.py) ----------------------------------- */

  function mapOf(obj) {
    var m = new Map();
    Object.keys(obj).forEach(function (k) { m.set(k, obj[k]); });
    return m;
  }

  function start() {
    return { scene: data.start, vars: mapOf(data.variables), items: new Set(player.items) };
  }

  function env(st) {
    var e = mapOf(player.values);
    st.vars.forEach(function (v, k) { e.set(k, v); });
    return e;
  }

  function holds(choice, st) {
    if (choice.condition === null) return !choice.never;
    try {
      return X.evaluate(choice.condition, env(st), st.items, new Set(player.skills)) === true;
    } catch (err) {
      if (err instanceof X.ExprError) return false;
      throw err;
    }
  }

  function options(st) {
    var scene = data.scenes[st.scene];
    if (!scene || scene.ending) return [];
    return scene.choices.filter(function (c) {
      return Object.prototype.hasOwnProperty.call(data.scenes, c.target) && holds(c, st);
    });
  }

  function take(st, choice) {
    var full = env(st), items = new Set(st.items);
    try {
      // machine.take applies effects with the hero's skills, as a condition reads them
      X.applyEffects(choice.effects, full, items, new Set(player.skills));
    } catch (err) {
      if (!(err instanceof X.ExprError)) throw err;
    }
    var vars = new Map();
    st.vars.forEach(function (_, k) { vars.set(k, full.get(k)); });
    return { scene: choice.target, vars: vars, items: items };
  }

  /* --- voice-over: a scene's audio.voice-line clips, in order, when it opens ---------- */

  function storedVoice() {
    try { return window.localStorage.getItem("foundry-voice"); } catch (err) { return null; }
  }

  function stopVoice() {
    page.querySelectorAll("audio.voice-line").forEach(function (a) {
      a.onended = null;
      if (!a.paused) a.pause();
    });
  }

  function playVoice(sceneId) {
    stopVoice();
    var el = sections[sceneId];
    if (!voiceOn || reading || !el) return;
    var clips = Array.prototype.slice.call(el.querySelectorAll("audio.voice-line"));
    function next(i) {
      if (i >= clips.length || !voiceOn) return;
      var a = clips[i];
      a.currentTime = 0;
      a.onended = function () { next(i + 1); };
      // A browser may refuse to play before the reader has clicked (autoplay rules):
      // the clip's own controls still play it.
      var played = a.play();
      if (played && played.catch) played.catch(function () {});
    }
    next(0);
  }

  function setVoice(on) {
    voiceOn = on;
    voiceButton.setAttribute("aria-pressed", on ? "true" : "false");
    try { window.localStorage.setItem("foundry-voice", on ? "on" : "off"); } catch (err) { /* private mode */ }
    if (on) playVoice(state.scene); else stopVoice();
  }

  /* --- the page --------------------------------------------------------------------- */

  // Each block drawn here takes its direction by the rule the page's own blocks are marked
  // with (books/direction.py, `direction` below; dir="auto" went by the first letter alone:
  // "نوعا waits for you." a right-to-left chip on an English page); search.js draws its
  // results by the same rule.
  // A choice "Follow Noa (نوعا)." taken on an Arabic page reads left to right in the trail
  // (it was a right-to-left chip, its stop and parenthesis at the wrong end). A text with
  // no letter (a variable's number) keeps the page's direction, as the pages' own cells
  // do: dir="auto" would set a number left to right.
  function own(el, text) {
    var wanted = direction(text, document.documentElement.dir === "rtl" ? "rtl" : "ltr");
    if (wanted) el.dir = wanted;
    return el;
  }

  // books/direction.py mark_signs, in the browser: in right-to-left text a LEFT-TO-RIGHT
  // MARK before a number's minus or plus (as CLDR writes Arabic's), or the state's
  // "coins -2" on an Arabic page was drawn "2-"; a hyphen (after a letter or a digit)
  // is left as it is.
  function signed(el, text) {
    var rtl = (el.dir || document.documentElement.dir) === "rtl";
    return rtl ? text.replace(/(^|[^\p{L}\p{N}_\u200e])([-+\u2212])(?=[0-9\u06f0-\u06f9])/gu, "$1\u200e$2") : text;
  }

  // books/direction.py block_direction, in the browser: the first letter's direction,
  // unless most of the words with a letter are in the page's ("Rook Amsel يمشي في
  // الضباب." stays right to left on an Arabic page, as the page's own blocks are marked);
  // null for a text with no letter. A letter of the right-to-left blocks is rtl, any
  // other letter ltr.
  function direction(text, page) {
    var first = strong(text);
    if (!first || first === page) return first;
    var count = { ltr: 0, rtl: 0 };
    text.split(/\s+/).forEach(function (word) { var kind = strong(word); if (kind) count[kind] += 1; });
    return count[page] > count[first] ? page : first;
  }

  function strong(text) {
    var letter = /[\p{L}\p{Mc}]/u.exec(text);
    if (!letter) return null;
    return /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u.test(letter[0]) ? "rtl" : "ltr";
  }

  // `arriving`: the page has just opened. Its first scene waits for the reader's own
  // controls: no browser lets sound start before a click, and asking it to made every
  // page load fetch and decode the clip for nothing (Lighthouse counted it as blocking time).
  function show(focus, arriving) {
    var scene = data.scenes[state.scene];
    var open = options(state).map(function (c) { return c.id; });
    Object.keys(sections).forEach(function (id) {
      var el = sections[id], current = id === state.scene;
      el.classList.toggle("is-current", current);
      el.hidden = !current;
      el.querySelectorAll(".choice[data-choice]").forEach(function (li) {
        li.hidden = current && open.indexOf(li.getAttribute("data-choice")) < 0;
      });
      var note = el.querySelector(".dead-end");
      if (note) note.hidden = !(current && !scene.ending && open.length === 0);
    });
    var here = sections[state.scene];
    if (here && !scene.ending && open.length === 0 && !here.querySelector(".dead-end")) {
      var p = own(document.createElement("p"), words.dead_end);
      p.className = "dead-end";
      p.textContent = words.dead_end;
      here.appendChild(p);
    }
    drawTrail();
    drawState();
    if (arriving) stopVoice(); else playVoice(state.scene);
    if (focus && here) {
      var heading = here.querySelector("h2");
      if (heading) heading.focus({ preventScroll: true });
      here.scrollIntoView({ block: "start" });
    }
  }

  function drawTrail() {
    trail.textContent = "";
    history.forEach(function (step) {
      var li = document.createElement("li");
      li.setAttribute("data-scene", step.scene);
      li.setAttribute("data-choice", step.choice);
      li.textContent = step.text;
      li.title = step.text;   // a long choice is cut to the chip with an ellipsis (story.css .trail li)
      if (step.lang) li.setAttribute("lang", step.lang);
      if (step.fallback) li.className = "l10n-fallback";
      // a choice shown in the base language keeps its mark's dir; any other, its own
      if (step.dir) li.setAttribute("dir", step.dir); else own(li, step.text);
      trail.appendChild(li);
    });
    trail.hidden = history.length === 0 || reading;
  }

  function drawState() {
    if (!stateBox) return;
    var body = stateBox.querySelector(".state-body");
    body.textContent = "";
    var dl = document.createElement("dl");
    function row(name, value, attr) {
      var div = document.createElement("div"), dt = document.createElement("dt"), dd = document.createElement("dd");
      own(dt, name).textContent = name;
      own(dd, value).textContent = signed(dd, value);
      if (attr) dd.setAttribute("data-var", attr);
      div.appendChild(dt);
      div.appendChild(dd);
      dl.appendChild(div);
    }
    Array.from(state.vars.keys()).sort().forEach(function (k) { row(k, X.toJSONText(state.vars.get(k)), k); });
    row(words.items, Array.from(state.items).sort().join(words.separator) || words.none, "");
    body.appendChild(dl);
    stateBox.hidden = reading;
  }

  function restart(focus) {
    state = start();
    history = [];
    run = pageLoad + "-" + (++runs);
    remember(true);
    show(focus);
  }

  /* --- the browser's Back and Forward: one history entry per step --------------------- */
  // Without JavaScript every choice is a link, so Back goes to the scene before; the
  // player took choices without a history entry, so Back left the story and the
  // progress with it. Each step (a choice, a restart) is now an entry of the page's
  // own (same address: a scene's address means "read it"), and Back and Forward go to
  // the step it holds. Steps are kept for this page load only (`pageLoad` tells a
  // reloaded page's entries from this one's).
  var pageLoad = Math.random().toString(36).slice(2), runs = 0, run = pageLoad + "-0", steps = {};

  function remember(push) {
    var key = { foundryRun: run, foundryStep: history.length };
    steps[run + ":" + history.length] = { state: state, trail: history.slice(), player: player };
    try {
      if (push) window.history.pushState(key, ""); else window.history.replaceState(key, "");
    } catch (err) { /* a browser that refuses: Back leaves the page, as it did */ }
  }

  window.addEventListener("popstate", function (event) {
    var key = event.state;
    // while reading every scene, Back and Forward move between scene addresses, as links do
    if (reading || !key || typeof key.foundryStep !== "number") return;
    var saved = steps[key.foundryRun + ":" + key.foundryStep];
    if (!saved) return;
    run = key.foundryRun;
    state = saved.state;
    history = saved.trail.slice();
    player = saved.player;
    if (heroSelect) heroSelect.value = String(data.players.indexOf(player));
    show(true);
  });

  function choose(li) {
    var sceneId = li.closest(".scene").getAttribute("data-scene");
    var id = li.getAttribute("data-choice");
    if (sceneId !== state.scene) return;
    var choice = options(state).filter(function (c) { return c.id === id; })[0];
    if (!choice) return;
    // a choice shown in another language (the base one's, or the one this one falls
    // back to: no class, it is translated) keeps its marks in the trail (lang, dir)
    var marked = li.querySelector("a [lang]");
    history.push({ scene: sceneId, choice: id, text: li.querySelector("a").textContent,
                   lang: marked ? marked.getAttribute("lang") : null, dir: marked ? marked.getAttribute("dir") : null,
                   fallback: !!marked && marked.classList.contains("l10n-fallback") });
    state = take(state, choice);
    remember(true);
    show(true);
  }

  function setReading(on) {
    reading = on;
    page.classList.toggle("is-playing", !on);
    var button = bar.querySelector("[data-action=read]");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) {
      Object.keys(sections).forEach(function (id) {
        sections[id].hidden = false;
        sections[id].querySelectorAll(".choice, .dead-end").forEach(function (el) { el.hidden = false; });
      });
      trail.hidden = true;
      if (stateBox) stateBox.hidden = true;
      stopVoice();
    } else {
      show(false);
    }
  }

  page.addEventListener("click", function (event) {
    if (reading) return;
    var link = event.target.closest(".choice a");
    if (!link) return;
    event.preventDefault();
    choose(link.closest(".choice"));
  });
  // From the start, playing: a "Play again" under an ending is also reached while
  // reading every scene, and restarting then left the page reading with one scene shown
  // (its choices plain links to hidden scenes: the reader was stuck).
  function playAgain() {
    if (reading) setReading(false);
    restart(true);
  }
  bar.querySelector("[data-action=restart]").addEventListener("click", playAgain);
  bar.querySelector("[data-action=read]").addEventListener("click", function () { setReading(!reading); });
  if (voiceButton) {
    voiceButton.setAttribute("aria-pressed", voiceOn ? "true" : "false");
    voiceButton.addEventListener("click", function () { setVoice(!voiceOn); });
  }
  if (heroSelect) {
    heroSelect.addEventListener("change", function () {
      player = data.players[Number(heroSelect.value)] || data.players[0];
      if (reading) setReading(false);   // "Play as" plays (restarting while reading hid every scene but one)
      restart(false);
    });
  }
  page.querySelectorAll(".scene.ending").forEach(function (el) {
    var again = own(document.createElement("button"), words.play_again);
    again.type = "button";
    again.className = "button button-small";
    again.textContent = words.play_again;
    again.addEventListener("click", playAgain);
    el.appendChild(again);
  });

  bar.hidden = false;
  page.querySelector(".reading-note").hidden = true;
  page.classList.add("is-playing");
  state = start();
  remember(false);
  // Arriving at a scene's own address (#scene-…) means "read it", not "play from the start".
  var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target && target.closest(".scene")) {
    setReading(true);
    target.scrollIntoView();
  } else {
    show(false, true);
  }
})();
