"""Regenerate stories/lantern.html, the Twine 2 archive form of stories/lantern.twee
(the HTML reader's fixture): `python3 tests/importing/make_archive.py`. Passage text is
HTML-escaped as Twine 2 writes it (twine-2-htmloutput-spec)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

STORIES = Path(__file__).resolve().parent / "stories"


def archive(twee: str) -> str:
    passages, data, title = [], {}, ""
    for chunk in re.split(r"^:: ?", twee, flags=re.M)[1:]:
        head, _, body = chunk.partition("\n")
        name = re.split(r"\s[\[{]", head)[0].strip()
        tags = re.search(r"\[(.*?)\]", head)
        body = body.rstrip("\n")
        if name == "StoryTitle":
            title = body.strip()
        elif name == "StoryData":
            data = json.loads(body)
        else:
            passages.append((name, tags.group(1) if tags else "", body))
    start = [p[0] for p in passages].index(data["start"]) + 1
    out = ['<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>' + html.escape(title) + "</title></head><body>",
           f'<tw-storydata name="{html.escape(title)}" startnode="{start}" creator="Twine" creator-version="2.6.2" '
           f'format="{data["format"]}" format-version="{data["format-version"]}" ifid="{data["ifid"]}" options="" hidden>',
           '<style role="stylesheet" id="twine-user-stylesheet" type="text/twine-css"></style>',
           '<script role="script" id="twine-user-script" type="text/twine-javascript"></script>']
    for pid, (name, tags, body) in enumerate(passages, 1):
        out.append(f'<tw-passagedata pid="{pid}" name="{html.escape(name)}" tags="{html.escape(tags)}" '
                   f'position="{pid * 100},100" size="100,100">{html.escape(body, quote=False)}</tw-passagedata>')
    out.append("</tw-storydata></body></html>\n")
    return "\n".join(out)


if __name__ == "__main__":
    (STORIES / "lantern.html").write_text(archive((STORIES / "lantern.twee").read_text(encoding="utf-8")),
                                          encoding="utf-8")
