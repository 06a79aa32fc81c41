"""Hugo with a layout equivalent to foundry's pages, from the same synthetic world.

    python benchmarks/hugo_peer.py WORLD OUT      # writes OUT (a Hugo site), prints its page count

The bare one-line layout `run.py --peers` used before compared a template that prints
a title with one that renders a hero's whole sheet. This site gives Hugo the data our
hero page shows — the attribute table, derived stats by level, skills, relationships,
items, the stories and quests a person appears in, and the portrait — as front matter,
computed by foundry itself from the same world (the same view functions the html
exporter calls, so the values are identical), and layouts that render all of it:

- `heroes/<id>.md`, `characters/<id>.md`: front matter = the page's view data, body =
  the background (Markdown, rendered by Hugo's Goldmark as ours is by markdown-it);
- `stories/<id>.md`: the story's Markdown body (scenes and choices as plain Markdown:
  Hugo has no story player; our page also writes the player's data);
- `quests/<id>.md`: objectives and rewards; one list page per section and a home page;
- portraits are Hugo image resources (`assets/portraits/`), resized to the same WebP
  widths ours get (none for images narrower than 160 px, as ours) and published.

What it does not do that ours does: link-check every page, the search index, the
credits and relationships pages, minified per-page CSS. So the ratio is, if anything,
kind to Hugo. Only the data preparation runs in Python; `run.py --peers` times the
`hugo` process alone, in the same run as foundry's html build.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from markupsafe import Markup

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pipeline.diagnostics import Diagnostics  # noqa: E402


def _plain(value):
    """View data as JSON: Markup becomes its HTML string."""
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, dict):   # page paths are relative to build/; Hugo's site is the web root
        return {k: v.removeprefix("site/") if k == "page" and isinstance(v, str) else _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _page(path: Path, front: dict, body: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # JSON front matter: Hugo reads a file that starts with `{` as JSON.
    path.write_text(json.dumps(front, ensure_ascii=False, indent=None) + "\n\n" + body, encoding="utf-8")


def _portrait(world, pid: str) -> dict | None:
    from pipeline.load.media import derivative_widths
    asset = world.portraits.get(pid)
    if asset is None:
        return None
    return {"src": "portraits/" + Path(asset.path).name, "width": asset.width, "height": asset.height,
            "widths": derivative_widths(asset)}


def _person(world, view: dict, pid: str) -> dict:
    """The view with each card's picture as a Hugo resource path."""
    view = _plain(view)
    view.pop("background", None)                 # the page body, in Markdown
    view["person"]["picture"] = _portrait(world, pid)
    for row in view.get("relationships", []):
        row["person"]["picture"] = _portrait(world, row["person"]["id"])
    return view


def write_site(world_root: Path, out: Path) -> int:
    """Write the Hugo site for the world at `world_root` into `out`; return how many
    content pages it holds."""
    from pipeline.exporters.html.views.people import character_view, hero_view
    from pipeline.load.cache import ParseCache
    from pipeline.load.project import load_project
    from pipeline.resolve.world import load_world

    diags = Diagnostics()
    project = load_project(world_root, diags)
    world = load_world(project, diags, ParseCache(world_root), version="bench")
    shutil.rmtree(out, ignore_errors=True)
    content = out / "content"
    pages = 0
    for hid, entry in world.heroes.items():
        _page(content / "heroes" / f"{hid}.md", {"title": entry.model.name, "view": _person(world, hero_view(world, hid), hid)},
              entry.model.background)
        pages += 1
    for cid, entry in world.characters.items():
        _page(content / "characters" / f"{cid}.md",
              {"title": entry.model.name, "view": _person(world, character_view(world, cid), cid)}, entry.model.background)
        pages += 1
    for sid, entry in world.stories.items():
        _page(content / "stories" / f"{sid}.md", {"title": entry.model.front.title}, entry.doc.body)
        pages += 1
    for qid, entry in world.quests.items():
        quest = entry.model
        _page(content / "quests" / f"{qid}.md", {"title": quest.title, "objectives": [o.text for o in quest.objectives],
                                                 "prerequisites": list(quest.prerequisites)})
        pages += 1
    for section, title in (("heroes", "Heroes"), ("characters", "Characters"), ("stories", "Stories"), ("quests", "Quests")):
        _page(content / section / "_index.md", {"title": title})
    _page(content / "_index.md", {"title": world.project.config.project.title})
    portraits = out / "assets" / "portraits"
    portraits.mkdir(parents=True, exist_ok=True)
    for asset in {a.path: a for a in world.portraits.values()}.values():
        shutil.copy(asset.absolute, portraits / Path(asset.path).name)
    (out / "hugo.toml").write_text(
        "title = 'Bench'\nbaseURL = '/'\nuglyURLs = true\ndisableKinds = ['taxonomy', 'term', 'RSS']\n"
        "[markup.goldmark.renderer]\nunsafe = false\n")
    for rel, text in LAYOUTS.items():
        (out / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / "layouts" / rel).write_text(text, encoding="utf-8")
    (out / "static" / "css").mkdir(parents=True, exist_ok=True)
    (out / "static" / "css" / "site.css").write_text("body{font-family:serif}\n")
    return pages


BASE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ with .Params.view }}{{ .person.summary }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-head"><div class="wrap">
  <a class="brand" href="{{ "index.html" | relURL }}">{{ site.Title }}</a>
  <nav aria-label="Main"><ul>
    <li><a href="{{ "heroes.html" | relURL }}">Heroes</a></li>
    <li><a href="{{ "characters.html" | relURL }}">Characters</a></li>
    <li><a href="{{ "stories.html" | relURL }}">Stories</a></li>
    <li><a href="{{ "quests.html" | relURL }}">Quests</a></li>
  </ul></nav>
</div></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer class="site-foot"><div class="wrap"><p>{{ site.Title }}</p></div></footer>
</body>
</html>
"""

PORTRAIT = """{{- /* A person's portrait: WebP widths from the image resource, the original as fallback. */ -}}
{{- with .picture -}}
{{- $img := resources.Get .src -}}
{{- if $img -}}
<picture class="{{ $.class }}">
  {{- if .widths }}<source type="image/webp" sizes="{{ $.sizes }}" srcset="
    {{- range $i, $w := .widths }}{{ if $i }}, {{ end }}{{ ($img.Resize (printf "%dx webp" $w)).RelPermalink }} {{ $w }}w{{ end }}">{{ end -}}
  <img src="{{ $img.RelPermalink }}" width="{{ .width }}" height="{{ .height }}" alt="Portrait of {{ $.name }}"{{ if not $.eager }} loading="lazy"{{ end }}>
</picture>
{{- end -}}
{{- else -}}
<span class="{{ .class }} initials" aria-hidden="true">{{ .initials }}</span>
{{- end -}}
"""

ATTRIBUTES = """<dl class="attributes">
  {{- range . }}
  <div class="attribute">
    <dt><span class="attr-name">{{ .name }}</span>{{ with .description }}<span class="attr-desc">{{ . }}</span>{{ end }}</dt>
    <dd><span class="attr-value">{{ .value }}</span><span class="attr-bar" aria-hidden="true"><span style="width: {{ .percent }}%"></span></span><span class="visually-hidden"> on a scale of {{ .min }} to {{ .max }}</span></dd>
  </div>
  {{- end }}
</dl>
"""

REFS = """{{- if .refs }}<ul class="refs">{{ range .refs }}<li><a href="{{ .page | relURL }}">{{ .title }}</a>{{ with .part }} <span class="part">{{ . }}</span>{{ end }}</li>{{ end }}</ul>
{{- else }}<p class="muted">{{ .empty }}</p>{{ end -}}
"""

SIDE = """{{- $v := .view -}}
{{- with $v.items }}<section class="panel" aria-labelledby="items-h"><h2 id="items-h">Carries</h2><ul class="chips">{{ range . }}<li>{{ . }}</li>{{ end }}</ul></section>{{ end }}
<section class="panel" aria-labelledby="relationships-h">
  <h2 id="relationships-h">Relationships</h2>
  <p class="panel-note">What each person is to {{ $v.name }}.</p>
  {{- if $v.relationships }}
  <ul class="relations">
    {{- range $v.relationships }}
    <li>
      {{ partial "portrait.html" (dict "picture" .person.picture "initials" .person.initials "name" .person.name "sizes" "3rem" "class" "relation-portrait" "eager" false) }}
      <div><a href="{{ .person.page | relURL }}">{{ .person.name }}</a>
      <span class="relation-kind">{{ .kind_name }}</span>
      {{ with .note_html }}<span class="relation-note">{{ . | safeHTML }}</span>{{ end }}</div>
    </li>
    {{- end }}
  </ul>
  {{- else }}<p class="muted">No relationships recorded.</p>{{ end }}
</section>
<section class="panel" aria-labelledby="stories-h"><h2 id="stories-h">Stories</h2>
{{ partial "refs.html" (dict "refs" $v.stories "empty" "Not in any story yet.") }}</section>
<section class="panel" aria-labelledby="quests-h"><h2 id="quests-h">Quests</h2>
{{ partial "refs.html" (dict "refs" $v.quests "empty" "Not part of any quest yet.") }}</section>
"""

HERO = """{{ define "main" }}{{ $v := .Params.view }}
<article class="entity hero-page">
  <header class="entity-head"><div class="wrap entity-head-inner">
    {{ partial "portrait.html" (dict "picture" $v.person.picture "initials" $v.person.initials "name" $v.name "sizes" "(min-width: 48em) 16rem, 60vw" "class" "entity-portrait" "eager" true) }}
    <div class="entity-intro">
      <nav class="breadcrumb"><a href="{{ "heroes.html" | relURL }}">Heroes</a></nav>
      <h1>{{ $v.name }} <span class="badge">{{ $v.status.label }}</span></h1>
      {{ with $v.title }}<p class="entity-title">{{ . }}</p>{{ end }}
      <ul class="facts" aria-label="At a glance">
        <li><span class="fact-label">Level</span> <strong>{{ $v.level }}</strong><span class="muted">/{{ $v.max_level }}</span></li>
        <li><span class="fact-label">XP</span> <strong>{{ $v.xp }}</strong>{{ with $v.xp_next }}<span class="muted"> of {{ . }} for level {{ add $v.level 1 }}</span>{{ end }}</li>
        {{ with $v.templates }}<li><span class="fact-label">Template</span> <strong>{{ delimit . " › " }}</strong></li>{{ end }}
      </ul>
      {{ with $v.tags }}<ul class="chips" aria-label="Tags">{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
    </div>
  </div></header>
  <div class="wrap entity-body">
    <div class="entity-main">
      {{ with .Content }}<section aria-labelledby="background-h"><h2 id="background-h">Background</h2><div class="prose">{{ . }}</div></section>{{ end }}
      <section aria-labelledby="attributes-h">
        <h2 id="attributes-h">Attributes</h2>
        {{ partial "attributes.html" $v.attributes }}
        {{ with $v.budget.available }}<p class="budget"><strong>{{ $v.budget.used }}</strong> of {{ . }} points spent above the defaults at level {{ $v.level }}.</p>{{ end }}
      </section>
      {{ with $v.derived.columns }}
      <section aria-labelledby="derived-h">
        <h2 id="derived-h">Derived stats by level</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="derived-h">
          <table class="stats-table">
            <caption>Computed from the attributes at each level; level {{ $v.level }} is {{ $v.name }}’s level now.</caption>
            <thead><tr><th scope="col">Level</th>{{ range . }}<th scope="col"><abbr title="{{ .formula }}">{{ .name }}</abbr></th>{{ end }}</tr></thead>
            <tbody>
              {{- range $v.derived.rows }}
              <tr{{ if .current }} class="current"{{ end }}><th scope="row">{{ .level }}{{ if .current }} <span class="now">now</span>{{ end }}</th>{{ range .values }}<td>{{ if eq . nil }}–{{ else }}{{ . }}{{ end }}</td>{{ end }}</tr>
              {{- end }}
            </tbody>
          </table>
        </div>
      </section>
      {{ end }}
      <section aria-labelledby="skills-h">
        <h2 id="skills-h">Skills</h2>
        {{ with $v.skills }}<ul class="skills">
          {{- range . }}
          <li class="skill"><h3>{{ .name }}</h3>
            <p class="skill-meta">{{ with .attribute }}<span>{{ . }}</span>{{ end }}{{ if gt .min_level 1 }}<span>from level {{ .min_level }}</span>{{ end }}{{ with .prerequisites }}<span>needs {{ delimit . ", " }}</span>{{ end }}</p>
            {{ with .description }}<p>{{ . }}</p>{{ end }}
          </li>
          {{- end }}
        </ul>{{ else }}<p class="muted">No skills yet.</p>{{ end }}
      </section>
    </div>
    <aside class="entity-side" aria-label="More about {{ $v.name }}">
      {{ with $v.derived.now }}<section class="panel" aria-labelledby="now-h"><h2 id="now-h">Now, at level {{ $v.level }}</h2>
        <dl class="stat-grid">{{ range . }}<div><dt>{{ .name }}</dt><dd>{{ .value }}</dd></div>{{ end }}</dl></section>{{ end }}
      {{ partial "side.html" .Params }}
    </aside>
  </div>
</article>
{{ end }}
"""

CHARACTER = """{{ define "main" }}{{ $v := .Params.view }}
<article class="entity character-page">
  <header class="entity-head"><div class="wrap entity-head-inner">
    {{ partial "portrait.html" (dict "picture" $v.person.picture "initials" $v.person.initials "name" $v.name "sizes" "(min-width: 48em) 16rem, 60vw" "class" "entity-portrait" "eager" true) }}
    <div class="entity-intro">
      <nav class="breadcrumb"><a href="{{ "characters.html" | relURL }}">Characters</a></nav>
      <h1>{{ $v.name }} <span class="badge">{{ $v.status.label }}</span></h1>
      {{ with $v.role }}<p class="entity-title">{{ . }}</p>{{ end }}
      {{ with $v.tags }}<ul class="chips" aria-label="Tags">{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
    </div>
  </div></header>
  <div class="wrap entity-body">
    <div class="entity-main">
      {{ with .Content }}<section aria-labelledby="background-h"><h2 id="background-h">Background</h2><div class="prose">{{ . }}</div></section>{{ end }}
      {{ with $v.attributes }}<section aria-labelledby="attributes-h"><h2 id="attributes-h">Attributes</h2>{{ partial "attributes.html" . }}</section>{{ end }}
    </div>
    <aside class="entity-side" aria-label="More about {{ $v.name }}">{{ partial "side.html" .Params }}</aside>
  </div>
</article>
{{ end }}
"""

SINGLE = """{{ define "main" }}<article class="entity"><div class="wrap">
<h1>{{ .Title }}</h1>
{{ with .Params.objectives }}<h2>Objectives</h2><ol>{{ range . }}<li>{{ . }}</li>{{ end }}</ol>{{ end }}
{{ with .Params.prerequisites }}<p>After: {{ delimit . ", " }}</p>{{ end }}
<div class="prose">{{ .Content }}</div>
</div></article>{{ end }}
"""

LIST = """{{ define "main" }}<div class="wrap"><h1>{{ .Title }}</h1>
<ul class="cards">{{ range .Pages }}<li class="card"><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.view }} <span class="detail">{{ .person.detail }}</span> <span class="summary">{{ .person.summary }}</span>{{ end }}</li>{{ end }}</ul>
</div>{{ end }}
"""

HOME = """{{ define "main" }}<div class="wrap"><h1>{{ site.Title }}</h1>
{{ range .Sections }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ len .Pages }} pages</p>
<ul>{{ range first 12 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></section>{{ end }}
</div>{{ end }}
"""

LAYOUTS = {
    "_default/baseof.html": BASE, "_default/single.html": SINGLE, "_default/list.html": LIST, "index.html": HOME,
    "heroes/single.html": HERO, "characters/single.html": CHARACTER,
    "partials/portrait.html": PORTRAIT, "partials/attributes.html": ATTRIBUTES, "partials/refs.html": REFS,
    "partials/side.html": SIDE,
}


def main() -> None:
    world, out = Path(sys.argv[1]), Path(sys.argv[2])
    print(write_site(world, out))


if __name__ == "__main__":
    main()
