"""Voice-over: audio per line id and language, checked at the file, published with the
site, mapped in the string tables, played by the story player (docs/localization.md).

The clips are made here with soundfile (libsndfile), not by the code under test, and
the project is built once for the module."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile
from jsonschema import Draft202012Validator

from support import REPO, ROOTS, diagnostics, foundry, foundry_within, require_tool

L10N = '\n[l10n]\nlanguages = ["de", "en-XA"]\n'
STORY = "content/stories/first-story.md"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def clip(fmt: str = "opus", seconds: float = 1.0, channels: int = 1) -> bytes:
    """A real clip: a quiet tone, encoded by libsndfile."""
    rate = 48_000 if fmt == "opus" else 16_000
    t = np.linspace(0, seconds, int(rate * seconds), endpoint=False)
    tone = (0.2 * np.sin(2 * np.pi * 330 * t)).astype("float32")
    data = np.repeat(tone[:, None], channels, axis=1) if channels > 1 else tone
    out = io.BytesIO()
    kind = {"opus": ("OGG", "OPUS"), "ogg": ("OGG", "VORBIS"), "wav": ("WAV", "PCM_16")}[fmt]
    soundfile.write(out, data, rate, format=kind[0], subtype=kind[1])
    return out.getvalue()


def _tag(root: Path) -> dict[str, str]:
    """The minimal world, tagged, with [l10n]; returns the paragraph ids by first words."""
    shutil.copytree(ROOTS / "minimal", root)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(L10N)
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    ids = {}
    for line in (root / STORY).read_text().splitlines():
        if " ^l-" in line:
            ids[line.split()[0] + " " + line.split()[1]] = "story.first-story." + line.rsplit("^", 1)[1]
    return ids


@pytest.fixture(scope="module")
def tagged(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The tagged world of `_tag`, made once per module: the voiced build and six tests
    start from it, and each paid its own `l10n tag` of the same files."""
    root = tmp_path_factory.mktemp("tagged") / "world"
    return root, _tag(root)


def _voiced_repository(root: Path) -> list[str]:
    """`root` made a git repository with everything in it committed ("voiced"), for the
    diff tests' base side; returns the git command (with an identity) for their later
    commits."""
    import subprocess
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "voiced"], cwd=root, check=True)
    return git


def _project(root: Path, tagged: tuple[Path, dict[str, str]]) -> dict[str, str]:
    """A test's own copy of the tagged world (its files and cache byte for byte, with
    their times, as `tag` left them); returns the paragraph ids by first words."""
    shutil.copytree(tagged[0], root)
    return dict(tagged[1])


@pytest.fixture(scope="module")
def voiced(tmp_path_factory, tagged) -> tuple[Path, dict[str, str]]:
    """The minimal world with the lantern scene voiced in English (heading and
    paragraph) and its paragraph in German, the opening scene's heading in English;
    built once (html, json)."""
    root = tmp_path_factory.mktemp("voice") / "world"
    ids = _project(root, tagged)
    lantern = ids["The lantern"]
    files = {f"content/audio/en/{lantern}.opus": clip("opus", 1.5),
             "content/audio/en/story.first-story.scene.lantern.ogg": clip("ogg", 0.5),
             "content/audio/en/story.first-story.scene.road.opus": clip("opus", 0.5),   # the opening scene
             f"content/audio/de/{lantern}.wav": clip("wav", 0.5),
             f"content/audio/en/{ids['Boot prints,']}.opus": clip("opus", 1.0)}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    run = foundry("build", "--project", str(root), "--only", "html,json", "-q")
    assert run.code == 0, run.stderr
    return root, ids


def test_bad_audio_is_reported_at_the_file(tmp_path, tagged):
    root = tmp_path / "world"
    ids = _project(root, tagged)
    lantern = ids["The lantern"]
    good = clip("opus", 2.0)
    broken = bytearray(good)
    broken[len(good) // 3: len(good) // 3 + 600] = b"\xff" * 600   # a damaged Ogg page mid-file
    bad = {
        "content/audio/en/story.first-story.title.ogg": b"just some text, not audio\n",     # not audio
        "content/audio/en/story.first-story.summary.opus": bytes(broken),                  # corrupt mid-file
        "content/audio/en/story.first-story.scene.road.wav": b"RIFF" + bytes(11 * 1024 * 1024),  # huge
        "content/audio/en/story.first-story.scene.nowhere.opus": good,                      # no such line id
        "content/audio/es/story.first-story.scene.road.opus": good,                        # language not listed
        "content/audio/story.first-story.scene.road.opus": good,                           # no language folder
        "content/audio/en/story.first-story.scene.wait.flac": good,                        # ending not audio we use
        "content/audio/en/story.first-story.scene.bank.ogg": clip("wav"),                  # WAV named .ogg
        f"content/audio/en/{lantern}.ogg": clip("ogg"),                                    # two files, one line
        f"content/audio/en/{lantern}.opus": good,
        "content/audio/en/story.first-story.scene.tracks.wav": clip("wav", 0.2, channels=6),  # 5.1 surround
        "content/audio/de/story.first-story.title.wav": clip("wav", 4.0)[:20_000],         # cut short: 0.6 of 4 s
    }
    for rel, data in bad.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    outside = tmp_path / "secret.opus"
    outside.write_bytes(good)
    os.symlink(outside, root / "content/audio/en/story.first-story.scene.lantern.opus")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted(d for d in diagnostics(run) if d.startswith(("HF113", "HF0120")))
    assert found == sorted([
        "HF1130 content/audio/en/story.first-story.title.ogg:0:0",
        "HF1130 content/audio/en/story.first-story.summary.opus:0:0",
        "HF1130 content/audio/de/story.first-story.title.wav:0:0",
        "HF1131 content/audio/en/story.first-story.scene.road.wav:0:0",
        "HF1132 content/audio/en/story.first-story.scene.nowhere.opus:0:0",
        "HF1133 content/audio/es/story.first-story.scene.road.opus:0:0",
        "HF1133 content/audio/story.first-story.scene.road.opus:0:0",
        "HF1134 content/audio/en/story.first-story.scene.wait.flac:0:0",
        "HF1134 content/audio/en/story.first-story.scene.bank.ogg:0:0",
        f"HF1136 content/audio/en/{lantern}.opus:0:0",
        "HF1135 content/audio/en/story.first-story.scene.tracks.wav:0:0",
        "HF0120 content/audio/en/story.first-story.scene.lantern.opus:0:0",
    ]), found
    messages = {d["file"]: d["message"] for d in run.json()["diagnostics"] if d["code"].startswith("HF113")}
    assert "did you mean" in json.dumps(run.json()).lower()
    assert "6 channels" in messages["content/audio/en/story.first-story.scene.tracks.wav"]
    assert "named '.ogg'" in messages["content/audio/en/story.first-story.scene.bank.ogg"]
    assert "header says 4.0 s, only 0.6 s decodes" in messages["content/audio/de/story.first-story.title.wav"]
    assert run.code == 1
    assert "Traceback" not in run.stderr


def test_string_tables_map_each_line_to_its_audio(voiced):
    root, ids = voiced
    lantern = ids["The lantern"]
    api = root / "build/api/v1"
    schema = json.loads((api / "schema/strings.schema.json").read_text())
    tables = {lang: json.loads((api / f"strings/{lang}.json").read_text()) for lang in ("en", "de", "en-XA")}
    for lang, data in tables.items():
        assert not list(Draft202012Validator(schema).iter_errors(data)), lang
    rows = {lang: {r["id"]: r for r in t["strings"]} for lang, t in tables.items()}
    en = rows["en"][lantern]["audio"]
    assert en["source"] == f"content/audio/en/{lantern}.opus" and en["format"] == "ogg-opus"
    assert en["duration_ms"] == 1500 and en["channels"] == 1 and en["sample_rate"] == 48_000
    # the site publishes the very bytes, at the path the table names
    assert (root / "build/site" / en["path"]).read_bytes() == (root / en["source"]).read_bytes()
    de = rows["de"][lantern]["audio"]
    assert de["format"] == "wav" and de["source"].startswith("content/audio/de/")
    # German has no voice for the heading: no fallback to English voice
    assert rows["de"]["story.first-story.scene.lantern"]["audio"] is None
    assert rows["en"]["story.first-story.scene.lantern"]["audio"]["format"] == "ogg-vorbis"
    assert tables["en"]["counts"]["voiced"] == 4 and tables["de"]["counts"]["voiced"] == 1
    assert tables["en-XA"]["counts"]["voiced"] == 0


def test_the_german_story_page_plays_german_voice_only(voiced):
    """A localized site plays that language's clips: the German page has the German
    paragraph clip, and no audio (never the English clip) where German has none."""
    from lxml import html as lxml_html
    root, ids = voiced
    lantern = ids["The lantern"]
    site = root / "build/site"
    pages = {lang: lxml_html.parse(str(site / path)).getroot()
             for lang, path in (("en", "stories/first-story.html"), ("de", "de/stories/first-story.html"))}
    clips = {lang: {a.get("data-line"): a.get("src") for a in page.iter("audio")} for lang, page in pages.items()}
    assert set(clips["de"]) == {lantern}
    german = (site / "de/stories" / clips["de"][lantern]).resolve()
    assert german.read_bytes() == (root / f"content/audio/de/{lantern}.wav").read_bytes()
    assert "/audio/de/" in clips["de"][lantern]
    assert not set(clips["de"].values()) & set(clips["en"].values())   # no English clip on the German page
    assert len(clips["en"]) == 4 and all("/audio/en/" in src for src in clips["en"].values())


def test_status_counts_voice_over_per_language(voiced):
    root, _ = voiced
    out = foundry("l10n", "status", "--project", str(root)).stdout
    assert "en: 4 lines voiced, 3.5 s" in out
    assert "de: 1 line voiced, 0.5 s" in out
    assert f"  {STORY}: 4/17 lines voiced" in out and f"  {STORY}: 1/17 lines voiced" in out


def test_a_new_recording_gets_a_new_address(voiced, tmp_path):
    root, ids = voiced
    copy = tmp_path / "world"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", ".foundry-*"))
    path = copy / f"content/audio/en/{ids['The lantern']}.opus"
    path.write_bytes(clip("opus", 1.0))
    assert foundry("build", "--project", str(copy), "--only", "html", "-q").code == 0
    page = (copy / "build/site/stories/first-story.html").read_text()
    old = json.loads((root / "build/api/v1/strings/en.json").read_text())
    old_path = next(r["audio"]["path"] for r in old["strings"] if r["id"] == ids["The lantern"])
    assert old_path.rsplit("/", 1)[1] not in page and f"{ids['The lantern']}-" in page


def test_player_plays_a_scene_voice_over_and_can_be_turned_off(browser, voiced):
    require_tool(AXE.is_file(), "axe-core (npm ci at the repository root)")
    root, ids = voiced
    lantern = ids["The lantern"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        tab.goto((root / "build/site/stories/first-story.html").as_uri())
        # Arriving plays nothing and fetches nothing: no browser lets sound start before a
        # click, and asking made every load decode a clip (the first scene is voiced here).
        opening = tab.locator(".scene.is-current audio.voice-line")
        assert opening.count() >= 1
        tab.wait_for_timeout(300)
        assert opening.evaluate_all("l => l.map(a => [a.paused, a.readyState])") == [[True, 0]] * opening.count()
        audio = tab.locator(f'section[data-scene="lantern"] audio.voice-line[data-line="{lantern}"]')
        assert audio.count() == 1
        src = audio.evaluate("a => a.src")
        assert Path(src.removeprefix("file://")).read_bytes() == (root / f"content/audio/en/{lantern}.opus").read_bytes()
        # the scene's clips in reading order: heading, then paragraph
        order = tab.eval_on_selector_all('section[data-scene="lantern"] audio.voice-line', "l => l.map(a => a.dataset.line)")
        assert order == ["story.first-story.scene.lantern", lantern]
        toggle = tab.get_by_role("button", name="Voice-over")
        assert toggle.get_attribute("aria-pressed") == "true"
        # taking a choice opens the scene and starts its voice-over (a click is a user gesture)
        tab.locator('li[data-choice] a[href="#scene-lantern"]').click()
        tab.wait_for_function("() => { const a = document.querySelector('section[data-scene=lantern] audio.voice-line');"
                              " return a && !a.paused; }")
        toggle.click()
        assert toggle.get_attribute("aria-pressed") == "false"
        assert tab.evaluate("() => [...document.querySelectorAll('audio.voice-line')].every(a => a.paused)")
        # off stays off: the voiced scene opens silent next time, and after a reload
        tab.get_by_role("button", name="Start again").click()
        tab.locator('li[data-choice] a[href="#scene-lantern"]').click()
        assert tab.evaluate("() => [...document.querySelectorAll('audio.voice-line')].every(a => a.paused)")
        tab.reload()
        assert tab.get_by_role("button", name="Voice-over").get_attribute("aria-pressed") == "false"
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert [v["id"] for v in result["violations"]] == []
    finally:
        context.close()
    assert errors == []


def test_a_long_clip_is_decoded_only_up_to_the_limit():
    """Decoding costs time per second of sound, not per byte (ten MiB of silent Opus
    is about twelve hours): the check decodes no further than the longest clip it
    accepts, and still reports the clip as too long.

    The clip is 340 s, just past the 330 s the decoding may reach: a decoder that went
    on past that point stops only at the clip's end, 340 s, and fails the test as one
    that read a 900 s clip to its end would (encoding 900 s of Opus was 2.2 CPU-s)."""
    from pipeline.voice.audio import MAX_SECONDS, _decode, probe_audio
    rate, out, past = 8_000, io.BytesIO(), MAX_SECONDS * 1.1
    with soundfile.SoundFile(out, "w", samplerate=rate, channels=1, format="OGG", subtype="OPUS") as f:
        for _ in range(int(past // 10) + 1):                 # past the most decoding may read, ten seconds at a time
            f.write(np.zeros(rate * 10, dtype="int16"))
    data = out.getvalue()
    frames, seconds, _, _, _ = _decode(data)
    assert MAX_SECONDS < seconds < past                      # stopped just past the limit, not at 340 s
    assert frames < past * rate
    info, problems = probe_audio(data, ".opus")
    assert info is not None and [p.code for p in problems] == ["HF1135"]
    assert "340 s long" in problems[0].message                # the header's length, which decoding confirms



def test_a_clip_of_many_channels_is_decoded_no_further_than_a_stereo_one():
    """Each channel costs its decoding: a 1.9 MB Ogg Vorbis clip of 255 silent channels
    at 192 kHz for 290 s (Vorbis and Opus take 255) was 92 CPU-s of check, and a
    header's rate of 10^9 Hz set no bound at all. Decoding stops at the samples of the
    longest stereo clip at the clip's rate; the clip is told by its channels (HF1135),
    not called cut short for the sound left undecoded.

    Here a WAV of 64 channels, 10 s at 8 kHz (the cheapest to make and decode): the
    stereo clip's samples are 9.375 s of it."""
    from pipeline.voice.audio import MAX_CHANNELS, MAX_SECONDS, _decode, probe_audio
    rate, channels, seconds = 8_000, 64, 10
    out = io.BytesIO()
    soundfile.write(out, np.full((rate * seconds, channels), 100, dtype="int16"), rate, format="WAV",
                    subtype="PCM_16")
    data = out.getvalue()
    frames = _decode(data)[0]
    assert frames < rate * seconds
    assert frames * channels <= MAX_SECONDS * rate * MAX_CHANNELS + 131_072   # within one block of the bound
    info, problems = probe_audio(data, ".wav")
    assert info is not None and info.duration == seconds
    assert [(p.code, p.message) for p in problems] == [("HF1135", "has 64 channels; voice-over is mono or stereo")]

def test_a_clip_with_an_upper_case_ending_is_published_under_the_usual_one(tmp_path, tagged):
    """A clip saved as `…scene.road.OPUS` (Windows tools write upper-case endings) is
    accepted, and was published as `…-<hash>.OPUS`: a host that types files by a
    lower-case ending serves it as application/octet-stream, which the player's <audio>
    may refuse. Its published name ends the way its format is named."""
    root = tmp_path / "world"
    _project(root, tagged)
    (root / "content/audio/en").mkdir(parents=True)
    (root / "content/audio/en/story.first-story.scene.road.OPUS").write_bytes(clip("opus", 0.5))
    run = foundry("build", "--project", str(root), "--only", "html,json", "-q")
    assert run.code == 0, run.stderr
    published = [p.name for p in (root / "build/site/media/audio/en").iterdir()]
    assert len(published) == 1 and published[0].endswith(".opus"), published
    page = (root / "build/site/stories/first-story.html").read_text(encoding="utf-8")
    assert f"media/audio/en/{published[0]}" in page


def test_a_language_folder_spelled_otherwise_is_one_warning_telling_to_rename_it(tmp_path, tagged):
    """A studio delivered German voice-over in content/audio/DE/ (and translations in
    translations/DE/, as a tool on Windows named them): one warning per clip (a cascade
    of 3 here, hundreds for a real delivery), each hinting to add "DE" to [l10n]
    languages, which is HF0751 beside "de". One warning per folder now, at its first
    clip, telling to rename the folder to the listed spelling; for translations too."""
    root = tmp_path / "world"
    ids = _project(root, tagged)
    for line_id in (ids["The lantern"], ids["The fog"], "story.first-story.title"):
        path = root / "content/audio/DE" / f"{line_id}.opus"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(clip("opus", 1.0))
    (root / "translations/pt_br/content/stories").mkdir(parents=True)
    (root / "translations/pt_br/content/stories/first-story.md.po").write_text(
        'msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr "A Estrada da Névoa"\n', encoding="utf-8")
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text().replace('languages = ["de", "en-XA"]', 'languages = ["de", "pt-BR", "en-XA"]'))
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"] in ("HF1133", "HF1110")]
    first = sorted(f"content/audio/DE/{i}.opus" for i in (ids["The lantern"], ids["The fog"], "story.first-story.title"))[0]
    assert [(d["code"], d["file"]) for d in said] == [("HF1133", first), ("HF1110", "translations/pt_br")], said
    assert "2 other clip(s)" in said[0]["message"] and "content/audio/de/" in said[0]["hint"]
    assert "translations/pt-BR/" in said[1]["hint"] and "Add" not in said[1]["hint"]
    assert "Rename the folder" in said[0]["hint"] and "Rename the folder" in said[1]["hint"]
    # the listed spelling's folder there too: renaming onto it is no rename (`mv` puts one
    # inside the other) and moving the files would write over the ones it holds, losing
    # them: the hint says to bring over what it lacks and keep one of each
    (root / "content/audio/de").mkdir()
    (root / "translations/pt-BR/content/stories").mkdir(parents=True)
    (root / "translations/pt-BR/content/stories/first-story.md.po").write_text(
        'msgctxt "story.first-story.title"\nmsgid "The Fog Road"\nmsgstr "Estrada da Névoa"\n', encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = [d["hint"] for d in run.json()["diagnostics"] if d["code"] in ("HF1133", "HF1110")]
    assert hints == ["content/audio/de/ is there too: move into it the audio files it lacks, keep one of each file "
                     "both folders hold, then remove content/audio/DE/.",
                     "translations/pt-BR/ is there too: move into it the translation files it lacks, keep one of each "
                     "file both folders hold, then remove translations/pt_br/."], hints


def test_a_clip_is_published_without_who_recorded_it_or_where(tmp_path, tagged):
    """A recording app writes who, where and when into the clip: an Ogg file's comments
    (ARTIST, LOCATION), a WAV's LIST/INFO chunk (IART, ICMT). Clips were published
    byte for byte, so a voice actor's name and the place of the recording went out with
    the story's page. Each is published without them, its sound the same samples, and
    the string table's `bytes` is the published file's size."""
    import struct

    import mutagen
    root = tmp_path / "world"
    ids = _project(root, tagged)
    tagged = {}
    for fmt, line in (("opus", ids["The lantern"]), ("ogg", "story.first-story.scene.lantern")):
        buffer = io.BytesIO(clip(fmt, 0.5))
        found = mutagen.File(buffer)
        if found.tags is None:
            found.add_tags()
        found.tags["ARTIST"], found.tags["LOCATION"] = "SECRET actor", "SECRET 51.4772 N 0.0011 W"
        buffer.seek(0)
        found.save(buffer)
        tagged[f"content/audio/en/{line}.{fmt}"] = buffer.getvalue()
    wav = clip("wav", 0.5)
    info = b"INFO" + b"IART" + struct.pack("<I", 14) + b"SECRET actor\0\0" + b"ICMT" + struct.pack("<I", 12) + b"SECRET home"
    body = wav[12:] + b"LIST" + struct.pack("<I", len(info)) + info
    tagged["content/audio/en/story.first-story.scene.road.wav"] = b"RIFF" + struct.pack("<I", len(body) + 4) + b"WAVE" + body
    for rel, data in tagged.items():
        assert b"SECRET" in data, rel   # the premise
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    run = foundry("build", "--project", str(root), "--only", "html,json", "-q")
    assert run.code == 0, run.stderr
    published = {p.suffix: p.read_bytes() for p in (root / "build/site/media/audio/en").iterdir()}
    table = json.loads((root / "build/api/v1/strings/en.json").read_text())
    sizes = {row["audio"]["path"]: row["audio"]["bytes"] for row in table["strings"] if row["audio"]}
    assert all((root / "build/site" / path).stat().st_size == size for path, size in sizes.items()), sizes
    assert sorted(published) == [".ogg", ".opus", ".wav"], sorted(published)
    for rel, data in tagged.items():
        out = published["." + rel.rsplit(".", 1)[1]]
        assert b"SECRET" not in out, rel
        sound, rate = soundfile.read(io.BytesIO(out))
        written, written_rate = soundfile.read(io.BytesIO(data))
        assert rate == written_rate and np.array_equal(sound, written), rel


def test_a_clip_of_countless_tag_frames_costs_no_more_than_its_sound(tmp_path, tagged):
    """An MP3 clip whose ID3 tag holds 786,432 frames of two bytes (9 MB, under the clip
    size limit), and a WAV with such a tag in its `id3 ` chunk: mutagen reads a tag's
    frames in time quadratic in their number, 80+ CPU-s for each read of a clip (check,
    then publish), nothing said. The tag is skipped by its header (the WAV's chunk
    dropped unread), and an Opus clip of 1,300,000 comments, which mutagen's own clear
    removed one by one (quadratic, ~2 CPU-min to publish): all are checked and
    published within a few CPU-s (RLIMIT_CPU), their sound as written, without tags."""
    import mutagen
    import struct
    sound = io.BytesIO()
    tone = (0.2 * np.sin(np.arange(24_000) / 10)).astype("float32")
    soundfile.write(sound, tone, 48_000, format="MP3", subtype="MPEG_LAYER_III")
    frames = b"PRIV" + struct.pack(">I", 8) + b"\0\0" + b"SECRET\0a" + \
        (b"PRIV" + struct.pack(">I", 2) + b"\0\0" + b"a\0") * 786_432
    size = bytes((len(frames) >> shift) & 0x7F for shift in (21, 14, 7, 0))
    root = tmp_path / "world"
    ids = _project(root, tagged)
    clip_path = root / "content/audio/en/story.first-story.scene.road.mp3"
    clip_path.parent.mkdir(parents=True, exist_ok=True)
    tag = b"ID3\x04\x00\x00" + size + frames
    clip_path.write_bytes(tag + sound.getvalue())
    wav = clip("wav", 0.5)
    chunks = wav[12:] + b"id3 " + struct.pack("<I", len(tag)) + tag + b"\0" * (len(tag) % 2)
    (root / "content/audio/en/story.first-story.scene.lantern.wav").write_bytes(
        b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WAVE" + chunks)
    opus = io.BytesIO(clip("opus", 0.5))
    found = mutagen.File(opus)
    found.tags.extend([("A", "b")] * 1_300_000)
    opus.seek(0)
    found.save(opus)
    (root / f"content/audio/en/{ids['The lantern']}.opus").write_bytes(opus.getvalue())
    run = foundry_within(["build", "--project", str(root), "--only", "html", "-q"], 60)
    assert run.returncode == 0, run.stdout + run.stderr
    published = {p.suffix: p.read_bytes() for p in (root / "build/site/media/audio/en").iterdir()}
    assert published[".mp3"] == sound.getvalue()   # the sound as written, its tag gone
    assert published[".wav"] == wav
    assert not mutagen.File(io.BytesIO(published[".opus"])).tags
    assert np.array_equal(soundfile.read(io.BytesIO(published[".opus"]))[0],
                          soundfile.read(io.BytesIO(opus.getvalue()))[0])


def test_a_wav_cut_off_at_its_end_is_published_without_who_recorded_it(tmp_path, tagged):
    """A WAV whose samples are cut short (a recorder stopped, a copy interrupted) is
    still played and accepted (HF1130 is for a clip broken part-way), but its data
    chunk runs past the file's end, and the tag stripper then kept the whole file: the
    LIST/INFO chunk a recording app writes before the samples went out with the voice
    actor's name. Published without it, the same samples."""
    import struct
    root = tmp_path / "world"
    _project(root, tagged)
    wav = clip("wav", 0.5)
    fmt = wav[12:20 + struct.unpack_from("<I", wav, 16)[0]]
    samples = wav[12 + len(fmt) + 8:]
    assert wav[12 + len(fmt):12 + len(fmt) + 4] == b"data"
    info = b"INFO" + b"IART" + struct.pack("<I", 14) + b"SECRET actor\0\0"
    body = b"WAVE" + fmt + b"LIST" + struct.pack("<I", len(info)) + info + b"data" + struct.pack("<I", len(samples)) + samples
    cut = (b"RIFF" + struct.pack("<I", len(body)) + body)[:-100]
    rel = root / "content/audio/en/story.first-story.scene.road.wav"
    rel.parent.mkdir(parents=True, exist_ok=True)
    rel.write_bytes(cut)
    run = foundry("build", "--project", str(root), "--only", "html", "-q")
    assert run.code == 0 and "HF1130" not in run.stderr, run.stderr   # the premise: the clip is accepted
    (published,) = (root / "build/site/media/audio/en").glob("*.wav")
    out = published.read_bytes()
    assert b"SECRET" not in out
    sound, rate = soundfile.read(io.BytesIO(out))
    written, written_rate = soundfile.read(io.BytesIO(cut))
    assert rate == written_rate and len(sound) > 0 and np.array_equal(sound, written)


def test_clips_named_for_no_line_are_never_told_a_name_another_clip_has(tmp_path, tagged):
    """HF1132's "Did you mean" named the nearest line id whatever had it: two clips
    misnamed alike were told one id, and a clip near a line that has its clip was told
    that line's id, so renaming each as told made HF1136 and one recording was not used
    (found following every hint literally). Now only an id no clip has and none was
    told is named as the one to take; else the hint names the other file, to keep one."""
    root = tmp_path / "world"
    ids = _project(root, tagged)
    lantern, road = ids["The lantern"], ids["Boot prints,"]
    audio = root / "content/audio/en"
    audio.mkdir(parents=True)
    for stem in (lantern, lantern[:-1], road[:-1], road + "4"):   # a clip, one near it, two near another line
        (audio / f"{stem}.opus").write_bytes(clip("opus", 0.5))
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["file"].rsplit("/", 1)[1]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF1132"}
    assert hints == {
        f"{lantern[:-1]}.opus": f"Did you mean '{lantern}'? content/audio/en/{lantern}.opus is that line's clip: "
                                "one clip per line, so keep one of the two files.",
        f"{road[:-1]}.opus": f"Did you mean '{road}'?",   # the first by name
        f"{road}4.opus": f"Did you mean '{road}'? content/audio/en/{road[:-1]}.opus is told that name too: "
                         "one clip per line, so rename only one of the two.",
    }, hints
    # each hint followed: the one told a name renamed to it, the others removed; nothing left over
    (audio / f"{road[:-1]}.opus").rename(audio / f"{road}.opus")
    (audio / f"{road}4.opus").unlink()
    (audio / f"{lantern[:-1]}.opus").unlink()
    again = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(again) if d.startswith(("HF1132", "HF1136"))], again.stdout


def test_clips_as_other_tools_encode_them_are_told_apart(tmp_path, tagged):
    """Variants of one kind: what a clip holds, read by mutagen and libsndfile.
    - an MP3 at 8 kHz (MPEG 2.5: voice at a telephone rate, as libsndfile and LAME write
      it) was "not audio": mutagen's guess knows MPEG 1 and 2 openings only;
    - a WAV whose header gives a sample rate of 0 was said as libsndfile's "Internal
      error : SF_INFO struct incomplete." — no internal error of ours, and no word for
      what is wrong;
    - an IMA ADPCM WAV passed (with a duration of 0.001 s from mutagen) and was
      published for browsers that do not play it;
    - a clip of digital silence (a muted microphone) passed as voice-over;
    - a clip in content/audio/en-XA/ (the pseudo-locale, listed) was told to add en-XA;
    - a DAW's RF64 WAV was "its header is broken (invalid chunk)", a Sony Wave64, Apple
      CAF or a browser's WebM recording "not audio": each is audio in a format voice-over
      does not take (HF1134, named); a WAV in WAVE_FORMAT_EXTENSIBLE is a WAV."""
    root = tmp_path / "world"
    _project(root, tagged)
    audio = root / "content/audio/en"
    audio.mkdir(parents=True)

    def encoded(rate: int, fmt: str, subtype: str, seconds: float = 0.5, loud: float = 0.2) -> bytes:
        tone = (loud * np.sin(2 * np.pi * 330 * np.arange(int(rate * seconds)) / rate)).astype("float32")
        out = io.BytesIO()
        soundfile.write(out, tone, rate, format=fmt, subtype=subtype)
        return out.getvalue()

    wav = encoded(16_000, "WAV", "PCM_16")
    (audio / "story.first-story.title.mp3").write_bytes(encoded(8_000, "MP3", "MPEG_LAYER_III"))
    (audio / "story.first-story.summary.wav").write_bytes(wav[:24] + bytes(4) + wav[28:])   # rate 0
    (audio / "story.first-story.scene.road.wav").write_bytes(encoded(16_000, "WAV", "IMA_ADPCM"))
    (audio / "story.first-story.scene.wait.wav").write_bytes(encoded(16_000, "WAV", "PCM_16", loud=0.0))
    (audio / "story.first-story.scene.lantern.wav").write_bytes(encoded(16_000, "RF64", "PCM_16"))
    (audio / "story.first-story.scene.tracks.wav").write_bytes(encoded(16_000, "W64", "PCM_16"))
    (audio / "story.first-story.scene.bank.wav").write_bytes(encoded(16_000, "CAF", "PCM_16"))
    (audio / "story.first-story.choice.road--wait.opus").write_bytes(
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + bytes(200))
    (audio / "story.first-story.choice.road--tracks.wav").write_bytes(encoded(16_000, "WAVEX", "PCM_16"))
    # and clips for the pseudo-locale the project lists: told it is "not one of [l10n]
    # languages" and to add "en-XA", which was there
    (root / "content/audio/en-XA").mkdir()
    (root / "content/audio/en-XA/story.first-story.title.opus").write_bytes(clip("opus", 0.5))
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["code"], d["file"].rsplit("/", 1)[-1]): d["message"] for d in run.json()["diagnostics"]
            if d["file"].startswith("content/audio")}
    pseudo = said.pop(("HF1133", "story.first-story.title.opus"))
    assert "pseudo-locale" in pseudo and "Add" not in json.dumps(run.json()["diagnostics"]), pseudo
    assert sorted(said) == [("HF1130", "story.first-story.summary.wav"),
                            ("HF1134", "story.first-story.choice.road--wait.opus"),
                            ("HF1134", "story.first-story.scene.bank.wav"),
                            ("HF1134", "story.first-story.scene.lantern.wav"),
                            ("HF1134", "story.first-story.scene.road.wav"),
                            ("HF1134", "story.first-story.scene.tracks.wav"),
                            ("HF1135", "story.first-story.scene.wait.wav")], said
    assert [said["HF1134", f"story.first-story.{name}"].split(" audio;")[0] for name in
            ("scene.lantern.wav", "scene.tracks.wav", "scene.bank.wav", "choice.road--wait.opus")] == \
        ["RF64 (a 64-bit WAV)", "Sony Wave64", "Core Audio (CAF)", "WebM"]
    assert "sample rate of 0 Hz" in said["HF1130", "story.first-story.summary.wav"]
    assert "IMA ADPCM" in said["HF1134", "story.first-story.scene.road.wav"]
    assert "silence" in said["HF1135", "story.first-story.scene.wait.wav"]
    assert "internal error" not in run.stdout.lower() + run.stderr.lower()


def test_a_line_shown_from_the_language_fallen_back_to_is_marked_and_voiced_in_it(tmp_path, tagged):
    """`languages = ["pt", "pt-BR"]`: a line the Brazilian files lack shows the
    Portuguese (tags.fallbacks), but the Brazilian page gave it no `lang="pt"` (a screen
    reader read it as Brazilian, though English fallbacks carry `lang="en"`) and played
    no voice for it, though `pt` had recorded it: the voice follows the words shown. A
    line in neither stays marked English with its class, and plays no clip; the string
    table names `pt`'s clip where it shows `pt`'s text. Its rows say which language
    each text is in (`language`): a `pt` line was `fallback: false` like pt-BR's own,
    so an engine could not tell it from a Brazilian one."""
    import polib
    from lxml import html as lxml_html
    root = tmp_path / "world"
    ids = _project(root, tagged)
    lantern = ids["The lantern"]
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text().replace('languages = ["de", "en-XA"]', 'languages = ["pt", "pt-BR"]'))
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po = polib.pofile(str(root / "translations/pt/content/stories/first-story.md.po"))
    for entry in po:
        if entry.msgctxt == lantern:
            entry.msgstr = "A lanterna balança à frente. A margem surge do cinzento."
        elif entry.msgctxt == "story.first-story.scene.lantern":
            entry.msgstr = "O Caminho da Lanterna"
    po.save()
    (root / "content/audio/pt").mkdir(parents=True)
    (root / f"content/audio/pt/{lantern}.opus").write_bytes(clip("opus", 0.5))
    run = foundry("build", "--project", str(root), "--only", "html,json", "-q")
    assert run.code == 0, run.stderr
    page = lxml_html.parse(str(root / "build/site/pt-BR/stories/first-story.html")).getroot()
    [para] = page.xpath(f'//p[@data-line="{lantern}"]')
    assert para.get("lang") == "pt" and "l10n-fallback" not in (para.get("class") or ""), lxml_html.tostring(para)
    [heading] = page.xpath('//h2[@id="scene-lantern--h"]/span')
    assert heading.get("lang") == "pt" and "l10n-fallback" not in (heading.get("class") or "")
    [english] = page.xpath(f'//p[@data-line="{ids["Boot prints,"]}"]')
    assert english.get("lang") == "en" and "l10n-fallback" in english.get("class")
    clips = {a.get("data-line"): a.get("src") for a in page.iter("audio")}
    assert list(clips) == [lantern] and "/audio/pt/" in clips[lantern], clips
    table = json.loads((root / "build/api/v1/strings/pt-BR.json").read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in table["strings"]}
    assert rows[lantern]["audio"]["source"] == f"content/audio/pt/{lantern}.opus"
    assert (rows[lantern]["language"], rows[lantern]["fallback"]) == ("pt", False)
    assert (rows[ids["Boot prints,"]]["language"], rows[ids["Boot prints,"]]["fallback"]) == ("en", True)
    schema = json.loads((root / "build/api/v1/schema/strings.schema.json").read_text(encoding="utf-8"))
    assert "language" in schema["$defs"]["StringRow"]["required"]
    # `l10n status` agrees with the table's `voiced`: "pt-BR: 0 lines voiced" hid the clip its pages play
    out = foundry("l10n", "status", "--project", str(root)).stdout
    assert "pt-BR: 0 lines voiced, 0.0 s; 1 more in 'pt', which pt-BR falls back to" in out, out
    assert f"  {STORY}: 1/17 lines voiced (1 of them in 'pt')" in out, out
    assert table["counts"]["voiced"] == 1


def test_a_clip_of_a_renamed_scenes_line_is_told_its_new_name(tmp_path, tagged):
    """A scene renamed (`road` → `start`): its heading's and choices' line ids follow
    the scene id, so their clips are named for no line (HF1132). The hint named the
    nearest id by its letters — the heading of another scene, a choice to another
    place —, and renamed as told the English clip of "The Fog Road" played on "Tracks
    in the Mud". The translation files know the words each gone id had: the clip is told
    the line that has them now, as `extract` carries a translation there."""
    root = tmp_path / "world"
    _project(root, tagged)
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    (root / "content/audio/en").mkdir(parents=True)
    for name in ("story.first-story.scene.road", "story.first-story.choice.road--wait"):
        (root / f"content/audio/en/{name}.opus").write_bytes(clip("opus", 0.5))
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("{#road}", "{#start}").replace("start: road",
                                                                                               "start: start"),
                     encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {Path(d["file"]).name: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF1132"}
    assert hints == {
        "story.first-story.scene.road.opus": "Its line has a new id: 'story.first-story.scene.start' has the words "
        "its line had (a scene or story renamed); rename the file to story.first-story.scene.start.opus.",
        "story.first-story.choice.road--wait.opus": "Its line has a new id: 'story.first-story.choice.start--wait' "
        "has the words its line had (a scene or story renamed); rename the file to "
        "story.first-story.choice.start--wait.opus."}, hints


def test_diff_tells_the_clips_a_change_left_saying_old_words(tmp_path, tagged):
    """A pull request rewording a voiced paragraph and a voiced scene heading, and a
    German translation with a German clip: `foundry diff` said the German translation
    was made stale, and nothing of the two English recordings that now say words the
    page no longer shows (nor, in a translator's pull request, of the German clip of a
    reworded translation). "Voice clips made stale (en): 2" now, per language, in every
    format; a line rewrapped and restyled says the same words (not stale), a clip
    recorded anew with its edit is not stale, nor is one no edit touched. A clip whose
    line a change deleted is "Voice clips no longer used" (HF1132 said it only at the
    head, a warning no review showed)."""
    import polib
    import subprocess
    root = tmp_path / "world"
    ids = _project(root, tagged)
    lantern, boots = ids["The lantern"], ids["Boot prints,"]
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po_path = root / "translations/de/content/stories/first-story.md.po"
    po = polib.pofile(str(po_path))
    entry = po.find(lantern, by="msgctxt")
    entry.msgstr = "Die Laterne schwankt."
    po.save()
    files = {f"content/audio/en/{lantern}.opus": clip("opus", 1.0),
             "content/audio/en/story.first-story.scene.lantern.ogg": clip("ogg", 0.5),
             f"content/audio/en/{boots}.opus": clip("opus", 0.8),
             "content/audio/en/story.first-story.scene.road.opus": clip("opus", 0.5),
             f"content/audio/de/{lantern}.wav": clip("wav", 0.5)}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    git = _voiced_repository(root)
    story = root / STORY
    text = story.read_text()
    lantern_words = next(line for line in text.splitlines() if line.startswith("The lantern"))
    boots_words = next(line for line in text.splitlines() if line.startswith("Boot prints,"))
    heading = next(line for line in text.splitlines() if line.startswith("## ") and "{#lantern}" in line)
    road = next(line for line in text.splitlines() if line.startswith("## ") and "{#road}" in line)
    words = boots_words.split()
    text = (text.replace(lantern_words, lantern_words.replace("The lantern", "The old lantern", 1))
            .replace(heading, heading.replace("## ", "## A ", 1)).replace(road, road.replace("## ", "## A ", 1))
            # the boots paragraph rewrapped and its first words made emphatic: said the same
            .replace(boots_words, f"*{words[0]} {words[1]}*\n" + " ".join(words[2:])))
    story.write_text(text)
    # the road heading's clip recorded anew with its edit, and the German words reworded
    (root / "content/audio/en/story.first-story.scene.road.opus").write_bytes(clip("opus", 0.7))
    po = polib.pofile(str(po_path))
    po.find(lantern, by="msgctxt").msgstr = "Die alte Laterne schwankt."
    po.save()
    subprocess.run([*git, "commit", "-qam", "reworded"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    assert run.json()["stale_voice_clips"] == [
        {"language": "de", "lines": [lantern]},
        {"language": "en", "lines": sorted([lantern, "story.first-story.scene.lantern"])}], run.stdout
    assert "2 voice clips made stale (en)" in run.json()["summary"], run.json()["summary"]
    text_out = foundry("diff", "HEAD~1", "HEAD", "--project", str(root)).stdout
    assert "Voice clips made stale (en): 2 — " in text_out and f"  {lantern}" in text_out, text_out
    md = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "markdown").stdout
    assert "**Voice clips made stale (de): 1**" in md, md
    # a voiced paragraph deleted and a voiced choice led elsewhere (its id follows its
    # target): their clips stay and play nowhere, which HF1132 said only at the head
    text = story.read_text()
    boots_block = text[text.index(f"*{words[0]} {words[1]}*"):]
    boots_block = boots_block[:boots_block.index("\n\n") + 2]
    story.write_text(text.replace(boots_block, ""))
    (root / "content/audio/en/story.first-story.scene.road.opus").unlink()   # deleted with it: not "unused"
    subprocess.run([*git, "commit", "-qam", "cut"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    assert run.json()["unused_voice_clips"] == [{"language": "en", "lines": [boots]}], run.stdout
    assert "1 voice clip no longer used (en)" in run.json()["summary"], run.json()["summary"]


def test_diff_names_no_clip_unused_whose_line_is_still_there(tmp_path, tagged):
    """A pull request re-recording a clip into a broken file (HF1130 at the head) and
    one dropping German from [l10n] languages: `foundry diff` listed the English clip
    and every German one as "Voice clips no longer used — their lines are gone or have
    new ids", though every line was there (the broken file is its own new error; a
    language left is not a line's edit, as translations no longer used say). A clip is
    unused only when its line is gone; a clip whose line a change deleted still is."""
    import subprocess
    root = tmp_path / "world"
    ids = _project(root, tagged)
    lantern, boots = ids["The lantern"], ids["Boot prints,"]
    files = {f"content/audio/en/{lantern}.opus": clip("opus", 0.5), f"content/audio/en/{boots}.opus": clip("opus", 0.5),
             f"content/audio/de/{lantern}.wav": clip("wav", 0.5)}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    git = _voiced_repository(root)
    (root / f"content/audio/en/{lantern}.opus").write_bytes(clip("opus", 0.5)[:200])   # cut short: HF1130
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text().replace(L10N, "\n"))
    story = root / STORY
    text = story.read_text()
    boots_block = text[text.index("Boot prints,"):]
    story.write_text(text.replace(boots_block[:boots_block.index("\n\n") + 2], ""))
    subprocess.run([*git, "commit", "-qam", "re-recorded, German dropped, boots cut"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    assert run.json()["unused_voice_clips"] == [{"language": "en", "lines": [boots]}], run.stdout


def test_diff_tells_a_clip_renamed_with_its_reworded_line_is_stale(tmp_path, tagged):
    """A paragraph's marker retyped (`^l-lamp`) and its words changed, its clip renamed
    to the new id in the same change and not recorded anew: the recording says the old
    words, and `foundry diff` said nothing of it (the stale check matched clips by line
    id only; the old id's clip was gone, the new id's had no past). The same bytes are
    the same recording: "Voice clips made stale (en): 1", and not "no longer used"."""
    import subprocess
    root = tmp_path / "world"
    ids = _project(root, tagged)
    lantern = ids["The lantern"]
    (root / "content/audio/en").mkdir(parents=True)
    (root / f"content/audio/en/{lantern}.opus").write_bytes(clip("opus", 0.5))
    git = _voiced_repository(root)
    story = root / STORY
    text = story.read_text()
    words = next(line for line in text.splitlines() if line.startswith("The lantern"))
    marker = lantern.rsplit(".", 1)[1]
    story.write_text(text.replace(words, words.replace("The lantern", "The old lantern", 1).replace(marker, "l-lamp")))
    (root / f"content/audio/en/{lantern}.opus").rename(root / "content/audio/en/story.first-story.l-lamp.opus")
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "renamed and reworded"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    assert run.json()["stale_voice_clips"] == [{"language": "en", "lines": ["story.first-story.l-lamp"]}], run.stdout
    assert "unused_voice_clips" not in run.json(), run.stdout


def test_diff_tells_a_clip_whose_translation_was_emptied_plays_nowhere(tmp_path, tagged):
    """A translator's pull request emptying the German translation of a paragraph that
    has a German clip: the German page falls back to English and the German recording
    says words no page shows, and `foundry diff` said only "Translations changed (de): 1" (the
    line is still there, so the clip was not "no longer used", and its words went, so
    it was not "made stale"). Now "Voice clips no longer used (de): 1"; a German
    translation file that does not parse at the head is its own new error, its clips
    not listed."""
    import polib
    import subprocess
    root = tmp_path / "world"
    ids = _project(root, tagged)
    lantern, boots = ids["The lantern"], ids["Boot prints,"]
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po_path = root / "translations/de/content/stories/first-story.md.po"
    po = polib.pofile(str(po_path))
    po.find(lantern, by="msgctxt").msgstr = "Die Laterne schwankt."
    po.find(boots, by="msgctxt").msgstr = "Stiefelabdrücke."
    po.save()
    for line in (lantern, boots):
        (root / "content/audio/de").mkdir(parents=True, exist_ok=True)
        (root / f"content/audio/de/{line}.wav").write_bytes(clip("wav", 0.5))
    git = _voiced_repository(root)
    po = polib.pofile(str(po_path))
    po.find(lantern, by="msgctxt").msgstr = ""
    po.save()
    subprocess.run([*git, "commit", "-qam", "emptied"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    assert run.json().get("unused_voice_clips") == [{"language": "de", "lines": [lantern]}], run.stdout
    assert "stale_voice_clips" not in run.json(), run.stdout
    text_out = foundry("diff", "HEAD~1", "HEAD", "--project", str(root)).stdout
    assert "Voice clips no longer used (de): 1 — " in text_out and "translation emptied" in text_out, text_out
    # the file broken at the head: its error is said, not each of its clips unused
    po_path.write_text(po_path.read_text(encoding="utf-8") + '\nmsgctxt "x\n', encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "broken"], cwd=root, check=True)
    run = foundry("diff", "HEAD~1", "HEAD", "--project", str(root), "--format", "json")
    assert "unused_voice_clips" not in run.json(), run.stdout
    assert any(e["code"] == "HF1104" for e in run.json()["new_errors"]), run.stdout
