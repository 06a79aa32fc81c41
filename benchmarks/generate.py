"""Generate a synthetic Foundry world of any size, for benchmarks.

    python benchmarks/generate.py OUT --heroes 10000 --stories 500 [--characters 500 --quests 500]

Heroes are ~30 lines of YAML with a portrait; stories have ~12 scenes of ~400 words
in total per scene group, with conditions and effects; quests chain. The world passes
`foundry check` with no errors, so builds do real work. Deterministic for a given size.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from PIL import Image

WORDS = ("tide salt reed lantern harbour keep bell drowned coast wind rope oar gull fog stone lamp ledger crown "
         "smuggler widow causeway cliff channel marsh shingle anchor brine sail heron ember relic vigil dusk").split()
ATTRS = ("strength", "agility", "constitution", "wits", "presence")


def prose(rng: random.Random, words: int) -> str:
    out, line = [], []
    for i in range(words):
        line.append(rng.choice(WORDS))
        if len(line) > 12:
            out.append(" ".join(line))
            line = []
    out.append(" ".join(line))
    text = "\n".join(out)
    return text[0].upper() + text[1:] + "."


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def rules(root: Path) -> None:
    # No compendium: every hero, character, quest and story in one book is more HTML than a
    # book may have (HF0712) past ~7,000 heroes; the other books are all made.
    write(root, "foundry.toml", '[project]\ntitle = "Benchmark World"\n\n[build]\noutputs = ["json", "html", "pdf", "epub", "ink", "twee"]\n'
          '\n[print]\ncompendium = false\n')
    attrs = "\n".join(f"  {a}: {{min: 1, max: 20, default: 8}}" for a in ATTRS)
    write(root, "schemas/attributes.yaml", f"attributes:\n{attrs}\npoint_budget: {{base: 22, per_level: 2}}\n"
          "derived:\n  max_hp: {formula: \"10 + constitution * 2 + level * 4\"}\n"
          "  defense: {formula: \"10 + agility // 2\"}\n  will: {formula: \"5 + max(wits, presence) + level // 2\"}\n")
    write(root, "schemas/progression.yaml", "max_level: 10\nxp_for_level: [0, 100, 250, 450, 700, 1000, 1400, 1900, 2500, 3200]\n")
    write(root, "schemas/skills.yaml", "skills:\n  tracking: {attribute: wits}\n  swimming: {attribute: constitution}\n"
          "  ambush: {attribute: agility, prerequisites: [tracking], min_level: 3}\n")
    write(root, "schemas/relationships.yaml", "kinds:\n  rival: {symmetric: true}\n  ally: {symmetric: true}\n")
    write(root, "content/templates/heroes/wanderer.yaml", "name: Wanderer\nattributes: {wits: 10}\nskills: [tracking]\n")


def portraits(root: Path, count: int) -> list[str]:
    names = []
    for i in range(count):
        img = Image.new("RGB", (64, 80), ((i * 37) % 256, (i * 91) % 256, (i * 53) % 256))
        rel = f"content/assets/portraits/p{i}.png"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        img.save(root / rel, optimize=True)
        names.append(f"p{i}.png")
    return names


def hero(rng: random.Random, i: int, portrait: str, heroes: int) -> str:
    values = {a: 8 for a in ATTRS}
    for _ in range(rng.randint(4, 18)):
        values[rng.choice(ATTRS)] += 1
    attrs = ", ".join(f"{a}: {min(v, 20)}" for a, v in values.items())
    xp = rng.choice((0, 120, 300, 500, 800))
    background = prose(rng, 120).replace("\n", "\n  ")
    title = f"The {rng.choice(WORDS).title()}-{rng.choice(WORDS)}"
    first, second = rng.choice(WORDS), rng.choice(WORDS)
    if second == first:   # a repeated item is HF0129: the next word instead (the same random draws as before)
        second = WORDS[(WORDS.index(first) + 1) % len(WORDS)]
    return (f"name: Hero {i}\ntitle: {title}\nstatus: published\n"
            f"template: wanderer\nattributes: {{{attrs}}}\nskills: [tracking]\nxp: {xp}\n"
            f"items: [{first}, {second}]\nportrait: ../assets/portraits/{portrait}\n"
            f"tags: [{rng.choice(WORDS)}]\n{relationships(i, heroes)}background: |\n  {background}\n")


def relationships(i: int, heroes: int) -> str:
    """A third of the heroes name an ally and every tenth a rival (the kinds are
    symmetric, so both pages list the pair): the hero page's relationships panel does
    real work, for us and for the Hugo layout."""
    pairs = []
    if i % 3 == 0 and i + 1 < heroes:
        pairs.append(f"  - {{with: hero-{i + 1}, kind: ally}}\n")
    if i % 10 == 0 and i + 5 < heroes:
        pairs.append(f"  - {{with: hero-{i + 5}, kind: rival, note: \"Since the *Wreck* of the Gull.\"}}\n")
    return "relationships:\n" + "".join(pairs) if pairs else ""


def story(rng: random.Random, i: int, heroes: int, scenes: int = 12) -> str:
    front = (f"---\ntitle: Story {i}\nstatus: published\nstart: s0\nprotagonist: hero-{i % heroes}\n"
             f"variables: {{gold: 3, met: false}}\n---\n\n")
    parts = []
    for s in range(scenes):
        ending = s >= scenes - 2
        parts.append(f"## Scene {s} {{#s{s}{' .ending' if ending else ''}}}\n\n{prose(rng, 400 // 3)}\n")
        if not ending:
            a, b = min(s + 1, scenes - 1), min(s + 2, scenes - 1)
            parts.append(f"- [Go on](#s{a})\n- [Pay the ferry](#s{b}){{if=\"gold >= 1\" do=\"gold -= 1; set met\" id=\"pay-{s}\"}}\n")
    return front + "\n".join(parts)


def quest(i: int) -> str:
    pre = f"prerequisites: [quest-{i - 1}]\n" if i % 10 else ""
    return (f"title: Quest {i}\nstatus: published\n{pre}objectives:\n  - {{id: meet, text: Meet someone, done_when: met}}\n"
            f"rewards: {{xp: 100}}\n")


def generate(out: Path, heroes: int, stories: int, characters: int, quests: int) -> None:
    rng = random.Random(42)
    shutil.rmtree(out, ignore_errors=True)
    rules(out)
    pics = portraits(out, min(heroes, 200))
    for i in range(heroes):
        write(out, f"content/heroes/hero-{i}.yaml", hero(rng, i, pics[i % len(pics)], heroes))
    for i in range(characters):
        write(out, f"content/characters/npc-{i}.yaml", f"name: NPC {i}\nrole: Villager\nbackground: |\n  {prose(rng, 60).replace(chr(10), chr(10) + '  ')}\n")
    for i in range(quests):
        write(out, f"content/quests/quest-{i}.yaml", quest(i))
    for i in range(stories):
        quests_line = f"quests: [quest-{i % quests}]\n" if quests else ""
        text = story(rng, i, heroes).replace("---\ntitle:", f"---\n{quests_line}title:", 1)
        write(out, f"content/stories/story-{i}.md", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--heroes", type=int, default=1000)
    parser.add_argument("--stories", type=int, default=50)
    parser.add_argument("--characters", type=int, default=100)
    parser.add_argument("--quests", type=int, default=50)
    args = parser.parse_args()
    generate(args.out, args.heroes, args.stories, args.characters, args.quests)


if __name__ == "__main__":
    main()
