/* Site search over the index embedded in search.html (#search-index).
 *
 * Every word of the query must match the start of a word in an entry (so "ari"
 * finds Aria, "drown bell" finds The Drowned Bells); accents and case are ignored.
 * Entries score by where their words matched: title, then subtitle and keywords,
 * then prose. Results are built as DOM text, never as HTML.
 */
(function () {
  "use strict";
  var indexNode = document.getElementById("search-index");
  var input = document.getElementById("search-q");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var all = document.getElementById("search-all");
  if (!indexNode || !input || !results) return;

  // The theme's words in the page's language, given as data by the page (search.html,
  // from the theme's catalogs); English when the page gives none.
  var phrases = { nothing: "Nothing found for “{query}”.", one: "{count} result for “{query}”.",
                  other: "{count} results for “{query}”." };
  var phrasesNode = document.getElementById("theme-words");
  var counted = null;   // the status's phrase per plural category (countPhrase, below)
  if (phrasesNode) {
    try {
      var given = JSON.parse(phrasesNode.textContent);
      Object.keys(phrases).forEach(function (k) { if (typeof given[k] === "string") phrases[k] = given[k]; });
      if (given.counted && typeof given.counted === "object") counted = given.counted;
    }
    catch (e) { /* a broken island leaves the English words */ }
  }
  // The status's phrase for a count in the page language's plural form: the page gives
  // one per CLDR category (`counted`), chosen here as Intl.PluralRules reads the page's
  // `lang` (English's n == 1 said "2 نتائج" where Arabic's dual is "نتيجتان", and a
  // Russian "5 результата"); a page that gives none keeps `one` and `other`.
  function countPhrase(n) {
    if (counted) {
      var category = "other";
      try { category = new Intl.PluralRules(document.documentElement.lang || "en").select(n); }
      catch (e) { /* a tag the browser cannot read: the language's other */ }
      if (typeof counted[category] === "string") return counted[category];
      if (typeof counted.other === "string") return counted.other;
    }
    return n === 1 ? phrases.one : phrases.other;
  }
  // Results of one score in the page language's alphabetical order (a Swedish page puts
  // Åke after Zed, an English one among the A's): localeCompare without a locale took the
  // reader's browser's, so one page listed its results in another order per reader.
  var collator;
  try { collator = new Intl.Collator(document.documentElement.lang || undefined); }
  catch (e) { collator = new Intl.Collator(); }   // a tag the browser cannot read
  var WEIGHTS = { title: 10, subtitle: 4, keywords: 4, detail: 2, text: 1 };
  var MAX_RESULTS = 50;

  // A Greek word's final ς is its σ (as casefold reads it): a query typed in capitals
  // ends in Σ, which lower-cases to ς there, and found no word it starts ("ΟΔΟΣ" in
  // "οδόστρωμα"). Characters that are another's form (NFKD: the ligature ﬁ, full-width
  // ＬＡＭＰ an IME types, Arabic presentation forms) are that character, and the
  // invisible ones (\p{Cf}: a soft hyphen, ZWNJ, ZWJ, a direction mark) are nothing: a
  // title "Road of ﬁre" was not found by "fire", a background's "lan\u00adtern" by
  // "lantern", nor Persian "می\u200cخواهم" by "میخواهم" (they split the word in two).
  // Marks a script writes or leaves out as the writer pleases are nothing too, as Latin
  // accents are: Arabic harakat, Quranic marks and the hamza over or under an alef
  // (NFKD: أ is ا and a hamza), the tatweel that stretches a word, Hebrew niqqud and
  // cantillation. A reader types without them: "محمد" did not find "مُحَمَّد", nor
  // "שלום" "שָׁלוֹם". And a letter a keyboard may lack is the letters it is typed as
  // (as casefold reads ß): "strasse" did not find "Straße", nor "isik" a Turkish "ışık".
  // So are the Latin letters whose stroke or ligature NFKD does not take apart, as CLDR's
  // root collation reads them at its first level (ø o, ł l, đ and ð d, ħ h, æ ae, œ oe)
  // and as they are typed without the key (þ th, ŧ t): "oyvind" did not find "Øyvind",
  // nor "lodz" "Łódź", "dorde" "Đorđe", "aegir" "Ægir", "thor" "Þór".
  // Each folds one character of the text into characters of its own (snippet() counts them).
  var STROKED = {"\u00f8": "o", "\u0142": "l", "\u0111": "d", "\u00f0": "d", "\u0127": "h", "\u0167": "t",
                 "\u00e6": "ae", "\u0153": "oe", "\u00fe": "th"};
  var OPTIONAL = /[\u0300-\u036f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]|\p{Cf}/gu;
  function fold(text) {
    return text.normalize("NFKD").replace(OPTIONAL, "").toLowerCase()
      .replace(/\u03c2/g, "\u03c3").replace(/\u00df/g, "ss").replace(/\u0131/g, "i")
      .replace(/[\u00f8\u0142\u0111\u00f0\u0127\u0167\u00e6\u0153\u00fe]/g, function (c) { return STROKED[c]; });
  }
  // Marks belong to their word (Devanagari vowel signs, Thai tone marks): splitting at
  // them cut "स्काउट" into letters. Latin accents, Arabic and Hebrew points are folded away.
  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
  }
  // Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
  // Myanmar): a "word" here is a whole phrase, so a term in them matches anywhere in
  // it, not only at its start ("沼地" in "花子は霧の沼地で育った").
  var UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
  function matches(word, term) {
    var at = word.indexOf(term);
    return at === 0 || (at > 0 && UNSPACED.test(term));
  }

  // The index is read (JSON parsed, every entry split into words) on the first query,
  // not at load: a page opened without ?q= does no work until the reader types.
  var entries = null;
  function index() {
    if (entries === null) {
      entries = JSON.parse(indexNode.textContent).map(function (e) {
        var fields = {};
        Object.keys(WEIGHTS).forEach(function (f) { fields[f] = words(e[f] || ""); });
        return { entry: e, fields: fields };
      });
    }
    return entries;
  }

  function score(item, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var best = 0;
      for (var f in WEIGHTS) {
        var list = item.fields[f];
        for (var j = 0; j < list.length; j++) {
          if (matches(list[j], terms[i])) {
            var s = WEIGHTS[f] * (list[j] === terms[i] ? 2 : 1);
            if (s > best) best = s;
          }
        }
      }
      if (!best) return 0; // every word must match somewhere
      total += best;
    }
    return total;
  }

  // A text's characters as a reader sees them (extended grapheme clusters); code points
  // where the browser has no Intl.Segmenter (Firefox before 125)
  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  function graphemes(text) {
    return segmenter ? Array.from(segmenter.segment(text), function (s) { return s.segment; }) : Array.from(text);
  }

  // A cluster of more than ten parts each drawn with its own width (emoji joined by ZWJ,
  // a run of Hangul jamo: one grapheme however long, never broken by the browser) given
  // a <wbr> before each part, as the pages give it (books/cluster_breaks.py): a result
  // titled with 60 joined umbrellas was 991 px wide on a 360 px phone.
  var OWN_WIDTH = /[^\p{Mn}\p{Me}\p{Cf}]|[\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2]/u;
  function clustersBreakable(el) {
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var pieces = [""], cut = false;
      graphemes(node.data).forEach(function (g) {
        var points = Array.from(g), parts = [points[0]];
        points.slice(1).forEach(function (c) {
          if (OWN_WIDTH.test(c)) parts.push(c); else parts[parts.length - 1] += c;
        });
        if (parts.length > 10) {
          pieces[pieces.length - 1] += parts[0];
          pieces = pieces.concat(parts.slice(1));
          cut = true;
        } else {
          pieces[pieces.length - 1] += g;
        }
      });
      if (!cut) return;
      var parent = node.parentNode;
      pieces.forEach(function (piece, i) {
        if (i) parent.insertBefore(document.createElement("wbr"), node);
        parent.insertBefore(document.createTextNode(piece), node);
      });
      parent.removeChild(node);
    });
  }

  function snippet(text, terms) {
    if (!text) return "";
    var folded = fold(text), at = -1;
    terms.forEach(function (t) {
      var i = UNSPACED.test(t) ? folded.indexOf(t)
        : folded.search(new RegExp("(^|[^\\p{L}\\p{N}\\p{M}])" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u"));
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    // `at` is a place in the folded text, whose length is not the text's (NFD makes が two
    // characters and 한 three): the character of `text` it came from, counted in
    // characters as a reader sees them (graphemes), so no cut splits one: not a code
    // point past U+FFFF, nor a flag (two code points), a family emoji (five, joined by
    // ZWJ) or a Hindi syllable (a letter and its vowel sign)
    var chars = graphemes(text), start = 0;
    for (var n = 0; at > 0 && start < chars.length; start++) {
      n += fold(chars[start]).length;
      if (n > at) break;
    }
    var from = Math.max(0, start - 60);
    var cut = chars.slice(from, from + 180).join("");
    return (from > 0 ? "…" : "") + cut + (from + 180 < chars.length ? "…" : "");
  }

  // Each block drawn here takes its direction by the rule the pages mark theirs with
  // (books/direction.py, `direction` below): "Noa Cohen-Smith (نوعا)." in an Arabic page's results
  // reads left to right, an Arabic name in an English page's right to left. A text with no
  // letter keeps the page's direction, as the pages' own blocks do (dir="auto" would set
  // a number left to right). The result's line (title and subtitle) goes by its title:
  // its blocks and subtitle carry their own dir.
  function own(el, text) {
    var wanted = direction(text, document.documentElement.dir === "rtl" ? "rtl" : "ltr");
    if (wanted) el.dir = wanted;
    return el;
  }

  // books/direction.py mark_signs, in the browser (story-player.js has its own: each theme
  // script stands alone): in right-to-left text a LEFT-TO-RIGHT MARK before a negative
  // number's minus (or plus: "+3"), or an Arabic result's "-5 درجات" was drawn "5-", where its page,
  // marked by the build, reads "-5"; a hyphen (after a letter or a digit) is left as it is.
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

  function render(query) {
    var terms = words(query);
    results.textContent = "";
    if (!terms.length) {
      results.hidden = true;
      if (all) all.hidden = false;
      status.textContent = "";
      return;
    }
    var found = index().map(function (item) { return { item: item, score: score(item, terms) }; })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) {
        return b.score - a.score || collator.compare(a.item.entry.title, b.item.entry.title);
      });
    // A line of a tall script (Myanmar, Tibetan...) given the room its ink needs, as
    // the pages give it (books/mark_room.py): the element's text moved into a span of
    // the room's line height inside a span that puts it back on the baseline. The
    // styles come with the entry, only when its line needs them.
    function room(el, styles) {
      if (!styles) return;
      var outer = document.createElement("span"), inner = document.createElement("span");
      outer.className = "mark-room";
      outer.style.cssText = styles[0];
      inner.style.cssText = styles[1];
      while (el.firstChild) inner.appendChild(el.firstChild);
      outer.appendChild(inner);
      el.appendChild(outer);
    }
    found.slice(0, MAX_RESULTS).forEach(function (r) {
      var e = r.item.entry;
      var li = own(document.createElement("li"), e.title);
      li.className = "result";
      var kind = own(document.createElement("p"), e.kind_label + (e.status || ""));
      kind.className = "eyebrow";
      kind.textContent = e.kind_label + (e.status ? " · " + e.status : "");
      var a = document.createElement("a");
      a.className = "result-title";
      a.href = e.path;
      if (e.title_marks) {
        // a title shown in the base language: its lang, dir and class, as the page marks it
        a.lang = e.title_marks.lang || "";
        if (e.title_marks.dir) a.dir = li.dir = e.title_marks.dir;
        if (e.title_marks["class"]) a.classList.add(e.title_marks["class"]);
      }
      a.textContent = signed(a.dir ? a : li, e.title);
      var rooms = e.room || {};
      room(a, rooms.title);
      li.appendChild(kind);
      li.appendChild(a);
      if (e.subtitle) {
        var at = e.subtitle_marks ? e.subtitle_at : null;
        // subtitle_at counts characters, as the page's own list (Jinja) slices it; a
        // string's slice() counts UTF-16 units, which cut a character past U+FFFF (𠮷, an
        // emoji) in two and moved the marked part off the name
        var chars = Array.from(e.subtitle);
        var cut = function (from, to) { return chars.slice(from, to).join(""); };
        // (dir="auto" skips the marked part: the rest decides)
        var sub = own(document.createElement("span"), at ? cut(0, at[0]) + cut(at[1]) : e.subtitle);
        sub.className = "muted";
        if (at) {
          // a name or title inside it shown in the base language: marked as the page marks it
          sub.appendChild(document.createTextNode(signed(sub, " " + cut(0, at[0]))));
          var part = document.createElement("span");
          part.textContent = cut(at[0], at[1]);
          part.lang = e.subtitle_marks.lang || "";
          if (e.subtitle_marks.dir) part.dir = e.subtitle_marks.dir;
          if (e.subtitle_marks["class"]) part.className = e.subtitle_marks["class"];
          sub.appendChild(part);
          sub.appendChild(document.createTextNode(signed(sub, cut(at[1]))));
        } else {
          sub.textContent = signed(sub, " " + e.subtitle);
        }
        room(sub, rooms.subtitle);
        li.appendChild(sub);
      }
      var text = snippet(e.text, terms);
      if (text) {
        var p = own(document.createElement("p"), text);
        p.className = "result-text";
        p.textContent = signed(p, text);
        room(p, rooms.text);
        li.appendChild(p);
      }
      clustersBreakable(li);
      results.appendChild(li);
    });
    results.hidden = found.length === 0;
    if (all) all.hidden = true;
    var said = found.length === 0 ? phrases.nothing : countPhrase(found.length);
    status.textContent = said.split("{query}").join(query.trim()).split("{count}").join(String(found.length));
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  var header = document.getElementById("header-q");
  if (header) header.value = input.value;
  render(input.value);

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      render(input.value);
      var url = new URL(location.href);
      if (input.value.trim()) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      try {
        history.replaceState(null, "", url);
      } catch (err) {
        // file:// pages may refuse a changed address; the results are shown anyway.
      }
    }, 120);
  });
  input.closest("form").addEventListener("submit", function (event) {
    event.preventDefault();
    render(input.value);
  });
})();
