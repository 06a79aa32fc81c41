"""A story page's element ids come from its scene ids: however the scenes are named,
no two elements share one, and each scene's section is labelled by its own heading."""

from __future__ import annotations

import shutil
from collections import Counter

from lxml import html as lxml_html

from support import ROOTS, foundry


def test_a_scene_named_like_another_scenes_heading_gets_ids_of_its_own(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    # scene `road-h` beside scene `road`: the heading of `road` was id="scene-road-h" too
    text = text.replace("- [Wait for the fog to lift](#wait)", "- [Wait for the fog to lift](#wait)\n- [Look back](#road-h)")
    text += "\n## The Road Behind {#road-h}\n\nThe way you came.\n\n- [Turn around](#road)\n"
    story.write_text(text, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html")
    assert run.code == 0, run.stderr
    page = lxml_html.parse(str(root / "build/site/stories/first-story.html")).getroot()
    ids = Counter(e.get("id") for e in page.iter() if isinstance(e.tag, str) and e.get("id") is not None)
    assert [i for i, n in ids.items() if n > 1] == []
    for sid, title in (("road", "The Fog Road"), ("road-h", "The Road Behind")):
        [section] = page.xpath("//section[@id=$a]", a=f"scene-{sid}")
        [label] = page.xpath("//*[@id=$i]", i=section.get("aria-labelledby"))
        assert label.tag == "h2" and label.getparent() is section
        assert label.text_content().strip() == title
