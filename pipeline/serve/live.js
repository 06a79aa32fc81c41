// Live reload for `foundry serve` (added to pages as they are served, never built in).
// Reloads the page after a successful rebuild; shows build errors over the page while
// content is broken, and clears them once it builds again.
(function () {
  "use strict";
  var shown = null;
  var overlay = null;

  function clearOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function showProblems(problems) {
    clearOverlay();
    overlay = document.createElement("div");
    overlay.id = "foundry-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
      "border-top:4px solid #ff6b6b;box-shadow:0 -8px 24px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = problems.length + " problem" + (problems.length === 1 ? "" : "s") +
      " — showing the last good build";
    overlay.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p.file + ":" + p.line + ":" + p.column + " " + p.code + " " + p.message +
        (p.hint ? " — " + p.hint : "");
      list.appendChild(item);
    });
    overlay.appendChild(list);
    document.body.appendChild(overlay);
  }

  function update(state) {
    if (shown === null) { shown = state.generation; }
    if (state.generation !== shown && state.problems.length === 0) {
      window.location.reload();
      return;
    }
    if (state.problems.length) { showProblems(state.problems); } else { clearOverlay(); }
  }

  var source = new EventSource("/__foundry/events");
  source.onmessage = function (event) {
    if (event.data) { update(JSON.parse(event.data)); }
  };
})();
