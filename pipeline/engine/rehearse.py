"""What the project's own site templates stop on when they run, found by `check`.

`check` reads a theme's templates without running them (exporters/sandbox.py,
template_names.py): a syntax error, an unknown name or filter, a loop past its budget.
What a template does with the values it is given is only known by drawing the page:
`{{ name.nope }}`, `{{ level + "x" }}`, `{{ tags[5] }}`, `{{ m.portrait() }}` missing an
argument, `{% include name %}`. Each stopped `foundry build` with HF0703 where `check`
had found the project clean. So `check` draws, in this process and within each page's
render budget, every page whose templates include one of the project's own (the
shipped theme's are foundry's, tested: a project that overrides nothing draws nothing
here), and says what those renders said, as the build says it (`one_per_slip`).
Nothing is written. Only a World without errors is drawn, as only such a World is
built: a page of a World in error may fail for the error's sake.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics
from ..resolve.world import World

# What a render of a page says about the templates drawing it (the rest, a link or a
# portrait, is said by check's own stages from the content)
_THEME_CODES = frozenset({"HF0703", "HF0710", "HF0711"})


def rehearse_site(world: World, planned: dict[str, Any], diags: Diagnostics) -> None:
    """Draw each site page (`planned["html"]`, outputs.py PlannedOutput) whose template,
    or one it extends, includes or imports, is the project theme's own; add to `diags`
    the HF0703/HF0710/HF0711 its render says that `diags` does not hold yet."""
    from ..exporters.html.theme import one_per_slip, template_closure
    from ..exporters.languages import InLanguage
    from ..render.pool import render_one
    made = planned.get("html")
    if made is None or "html" not in world.project.config.build.outputs:
        return
    setup = made.plan.setup
    theme, env = getattr(setup, "theme", None), getattr(setup, "env", None)
    if theme is None or env is None or len(theme.dirs) < 2:
        return
    folder = theme.dirs[0] / "templates"
    own = {path.relative_to(folder).as_posix() for path in theme.fence(theme.dirs[0]).files(folder)[0]
           if path.suffix == ".html"}
    if not own:
        return
    drawn_with: dict[str, bool] = {}
    said = {(d.code, d.span, d.message) for d in diags.items}
    found = Diagnostics()
    for item in made.plan.items:
        data = item.data.data if isinstance(item.data, InLanguage) else item.data
        if not (isinstance(data, tuple) and len(data) > 1 and data[0] == "page"):
            continue
        template = data[1].template
        if template not in drawn_with:
            drawn_with[template] = bool(own & template_closure(env, template))
        if not drawn_with[template]:
            continue
        for d in render_one(world, made.exporter, setup, item).diagnostics:
            if d.code in _THEME_CODES and (d.code, d.span, d.message) not in said:
                found.items.append(d)
    one_per_slip(found)
    diags.extend(found.items)
