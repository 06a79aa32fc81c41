// Live reload for `foundry serve` (added to pages as they are served, never built in).
// Reloads the page after a successful rebuild that changed it (each event names the
// changed site files); shows build errors over the page while content is broken, and
// reloads once it builds again.
(function () {
  "use strict";
  var shown = null;      // the generation this page shows
  var broken = false;    // problems are shown over the page
  var overlay = null;

  function clearOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  // `count`: how many there are (the server lists of each kind in each file the first
  // hundred, then one "and N more" item, as `foundry check` says them)
  function showProblems(problems, count) {
    clearOverlay();
    overlay = document.createElement("div");
    overlay.id = "foundry-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
      "border-top:4px solid #ff6b6b;box-shadow:0 -8px 24px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = count + " problem" + (count === 1 ? "" : "s") +
      " — showing the last good build";
    overlay.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      // the place as `foundry check` says it (the server's `place`: a whole file's
      // problem names the file alone, never `file:0:0`)
      item.textContent = p.place + " " + p.code + " " + p.message +
        (p.hint ? " — " + p.hint : "");
      list.appendChild(item);
    });
    overlay.appendChild(list);
    document.body.appendChild(overlay);
  }

  // The path the site is served at (project.base_url's, "/repo/"), which the server
  // names on this script when it is not "/".
  var script = document.currentScript;
  var base = (script && script.getAttribute("data-base")) || "/";

  // This page's file under build/site/, as the server names changed files.
  function ownPath() {
    var path = decodeURIComponent(window.location.pathname);
    path = (path.indexOf(base) === 0 ? path.slice(base.length) : path).replace(/^\/+/, "");
    return (path === "" || path.slice(-1) === "/") ? path + "index.html" : path;
  }

  // Whether a generation after `since` changed this page. `recent` lists the latest
  // generations with their changed paths (null: too many to list); a generation older
  // than the list may have changed anything.
  function changedSince(since, recent) {
    if (!recent.length || recent[0][0] > since + 1) { return true; }
    var own = ownPath();
    return recent.some(function (entry) {
      return entry[0] > since && (entry[1] === null || entry[1].indexOf(own) !== -1);
    });
  }

  function update(state) {
    if (shown === null) { shown = state.generation; broken = state.problems.length > 0; }
    var fixed = broken && state.problems.length === 0;
    broken = state.problems.length > 0;
    if (state.generation !== shown && !broken) {
      // reload when this page changed, or when the problems shown over it are gone
      if (fixed || changedSince(shown, state.recent || [])) {
        window.location.reload();
        return;
      }
      shown = state.generation;
    }
    if (broken) { showProblems(state.problems, state.errors || state.problems.length); } else { clearOverlay(); }
    // the generation this page has seen and kept (a test waits on it instead of a clock)
    document.documentElement.setAttribute("data-foundry-seen", String(state.generation));
  }

  var source = new EventSource("/__foundry/events");
  source.onmessage = function (event) {
    if (event.data) { update(JSON.parse(event.data)); }
  };
})();
