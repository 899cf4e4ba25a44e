"""Writing stays linear without changing a byte: python-pptx's part naming, picture lookup
and slide ids are replaced by indexed versions (writer/pptxfast.py); the files must be the
same as python-pptx's own code writes."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO, make_image

SCRIPT = """
import sys
from pathlib import Path
import yamldeck.writer.pptxfast as fast
if sys.argv[1] == "slow":
    fast.install = lambda: None
from yamldeck.build import BuildOptions, build_deck
result = build_deck(Path(sys.argv[2]), Path(sys.argv[3]), options=BuildOptions(),
                    background=sys.argv[1] == "background")
assert result.status == "built", [d.format() for d in result.diagnostics]
assert result.charts_rendered == int(sys.argv[4]), result.charts_rendered
"""

OUTLINE = """\
title: 同じ写真を何度も
slides:
{slides}
"""


def run_script(script: str, *args: object) -> str:
    """Run ``script`` in a fresh interpreter (its own imports, caches and kept slides),
    with a fixed SOURCE_DATE_EPOCH; what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", script, *(str(a) for a in args)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        env={"SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin"},
    )
    return done.stdout


def repo_deck(folder: Path) -> Path:
    """A copy of the repo's lecture (outline and assets) in ``folder``; its outline."""
    import shutil

    shutil.copytree(REPO / "assets", folder / "assets")
    shutil.copy(REPO / "deck.yaml", folder / "deck.yaml")
    return folder / "deck.yaml"


def build(mode: str, outline: Path, output: Path, charts: int = 0) -> bytes:
    run_script(SCRIPT, mode, outline, output, charts)
    return output.read_bytes()


def test_indexed_writing_gives_the_same_bytes(tmp_path: Path):
    make_image(tmp_path / "a.png", (600, 400))
    make_image(tmp_path / "b.png", (500, 400))
    slides = []
    for i in range(40):  # repeated pictures (one part each), notes on every slide
        image = "a.png" if i % 3 else "b.png"
        slides.append(f"  - {{title: 写真{i}, image: {image}, notes: ノート{i}}}")
        slides.append(f"  - {{title: 要点{i}, bullets: [項目{i}], notes: 説明{i}}}")
    outline = tmp_path / "deck.yaml"
    outline.write_text(OUTLINE.format(slides="\n".join(slides)), encoding="utf-8")
    fast = build("fast", outline, tmp_path / "fast.pptx")
    slow = build("slow", outline, tmp_path / "slow.pptx")
    assert fast == slow
    repo_fast = build("fast", REPO / "deck.yaml", tmp_path / "repo-fast.pptx", 4)
    assert repo_fast == build("slow", REPO / "deck.yaml", tmp_path / "repo-slow.pptx", 4)


def test_charts_drawn_in_the_background_give_the_same_bytes(tmp_path: Path):
    """The repo deck's four charts drawn by a forked child while the slides are written:
    the stand-in pictures are replaced when the package is saved, byte for byte."""
    background = build("background", REPO / "deck.yaml", tmp_path / "bg.pptx", 4)
    assert background == build("fast", REPO / "deck.yaml", tmp_path / "fg.pptx", 4)
    with zipfile.ZipFile(io.BytesIO(background)) as package:
        media = [n for n in package.namelist() if n.startswith("ppt/media/")]
        assert len(media) == 4
        assert not any(b"stand-in" in package.read(n) for n in media)


CACHED_SCRIPT = """
import sys
from pathlib import Path
from yamldeck.build import BuildOptions, build_deck
from yamldeck.cache import BuildCache
result = build_deck(Path(sys.argv[1]), Path(sys.argv[2]), options=BuildOptions(),
                    cache=BuildCache(Path(sys.argv[3])), background=True)
assert result.status == "built", [d.format() for d in result.diagnostics]
print(result.charts_rendered, result.charts_cached)
"""


def _build_cached(outline: Path, output: Path, cache: Path) -> tuple[int, int]:
    drawn, cached = run_script(CACHED_SCRIPT, outline, output, cache).split()
    return int(drawn), int(cached)


def test_a_chart_missing_from_the_cache_is_drawn_after_planning(tmp_path: Path):
    """The stamp records the deck's chart entries; a rebuild whose entries are all there
    starts no drawer at once, and one that finds an entry gone draws just that chart in
    the background, giving the same bytes as a build from an empty cache."""
    import json

    work = tmp_path / "work"
    outline = repo_deck(work)
    cache = tmp_path / "cache"
    assert _build_cached(outline, work / "a.pptx", cache) == (4, 0)
    [stamp] = (cache / "stamps").glob("*.json")
    keys = json.loads(stamp.read_text(encoding="utf-8"))["charts"]
    assert sorted(keys) == sorted(p.stem for p in (cache / "charts").glob("*.bin"))
    (cache / "charts" / f"{keys[1]}.bin").unlink()
    text = outline.read_text(encoding="utf-8")
    outline.write_text(text.replace("一体で", "一体に"), encoding="utf-8")
    assert _build_cached(outline, work / "a.pptx", cache) == (1, 3)
    assert _build_cached(outline, work / "b.pptx", tmp_path / "empty") == (4, 0)
    assert (work / "a.pptx").read_bytes() == (work / "b.pptx").read_bytes()


REPLAY_SCRIPT = """
import sys
from pathlib import Path
from yamldeck.build import BuildOptions, build_deck
import yamldeck.writer.replay as replay
for outline, output, sets in zip(sys.argv[1::3], sys.argv[2::3], sys.argv[3::3]):
    options = BuildOptions(sets=tuple(s for s in sets.split(";") if s))
    result = build_deck(Path(outline), Path(output), options=options)
    assert result.status == "built", [d.format() for d in result.diagnostics]
print(replay.replayed)
"""


def _replay_build(jobs: list[tuple[Path, Path, str]]) -> int:
    return int(run_script(REPLAY_SCRIPT, *(a for job in jobs for a in job)))


def test_slides_written_again_from_kept_bytes_are_the_same_files(tmp_path: Path):
    """In one process (a batch worker, watch) a slide equal to one already written is added
    from its kept bytes; decks built so must be byte for byte the decks built alone:
    pictures, charts, notes, tables, KPIs, a template, two dates of one deck."""
    import shutil

    repo, monthly = tmp_path / "repo", tmp_path / "monthly"
    repo_deck(repo)
    shutil.copytree(REPO / "examples" / "monthly", monthly)
    jobs = [
        (repo / "deck.yaml", tmp_path / "a.pptx", "date=2026-01-05"),
        (repo / "deck.yaml", tmp_path / "b.pptx", "date=2026-02-05"),
        (monthly / "deck.yaml", tmp_path / "c.pptx", ""),
        (monthly / "deck.yaml", tmp_path / "d.pptx", "date=2026-05-08;footer=社外秘（改）"),
        (monthly / "deck.yaml", tmp_path / "e.pptx", "date=2026-05-08"),
    ]
    replayed = _replay_build(jobs)
    assert replayed > 30  # most slides of b, and of e (d's footer is on every slide)
    for outline, output, sets in jobs:
        alone = output.with_name(output.stem + "-alone.pptx")
        assert _replay_build([(outline, alone, sets)]) == 0
        assert output.read_bytes() == alone.read_bytes(), output.name


EDIT_SCRIPT = """
import sys
from pathlib import Path
from yamldeck.build import BuildOptions, build_deck
from yamldeck.cache import BuildCache
import yamldeck.writer.replay as replay
result = build_deck(Path(sys.argv[1]), Path(sys.argv[2]), options=BuildOptions(),
                    cache=BuildCache(Path(sys.argv[3])), background=True)
assert result.status == "built", [d.format() for d in result.diagnostics]
print(replay.replayed)
"""


def _edit_build(outline: Path, output: Path, cache: Path) -> int:
    return int(run_script(EDIT_SCRIPT, outline, output, cache))


def test_an_edited_bullet_takes_the_other_slides_from_the_last_output(tmp_path: Path):
    """The stamp lists each slide's digest and parts; the next build of the output takes
    the unchanged slides from the last file (checked against the stamp's hash) and writes
    the edited one: the same bytes as a build from nothing. A last output changed since
    (opened and saved elsewhere) is not used."""

    work = tmp_path / "work"
    outline = repo_deck(work)
    text = outline.read_text(encoding="utf-8")
    output, cache = work / "deck.pptx", tmp_path / "cache"
    assert _edit_build(outline, output, cache) == 0
    edited = text.replace("技術を**一体で**動かす", "技術を**一体に**動かす", 1)
    assert edited != text
    outline.write_text(edited, encoding="utf-8")
    assert _edit_build(outline, output, cache) == 25  # all but the edited slide
    assert _edit_build(outline, tmp_path / "fresh.pptx", tmp_path / "empty") == 0
    assert output.read_bytes() == (tmp_path / "fresh.pptx").read_bytes()

    outline.write_text(text, encoding="utf-8")
    tampered = io.BytesIO()  # a slide of the last output edited since it was built
    with zipfile.ZipFile(output) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "ppt/slides/slide3.xml":
                data = data.replace("中国".encode(), "日本".encode())
            dst.writestr(name, data)
    output.write_bytes(tampered.getvalue())
    assert _edit_build(outline, output, cache) == 0
    assert _edit_build(outline, tmp_path / "fresh2.pptx", tmp_path / "empty2") == 0
    assert output.read_bytes() == (tmp_path / "fresh2.pptx").read_bytes()


def test_a_damaged_slide_list_in_the_stamp_means_writing_every_slide(tmp_path: Path):
    """A stamp edited by hand (or damaged) still names the right output hash; its slide
    list is ignored where it is not as written, and the build is the one from nothing."""
    import json

    work = tmp_path / "work"
    outline = repo_deck(work)
    text = outline.read_text(encoding="utf-8")
    output, cache = work / "deck.pptx", tmp_path / "cache"
    _edit_build(outline, output, cache)
    [stamp] = (cache / "stamps").glob("*.json")
    data = json.loads(stamp.read_text(encoding="utf-8"))
    good = data["pages"]
    for broken in (7, "x", [[1, 2, 3], ["a"], None], [[d, s, 5] for d, s, _ in good]):
        data["pages"] = broken
        stamp.write_text(json.dumps(data), encoding="utf-8")
        outline.write_text(text.replace("一体で", "一体に", 1), encoding="utf-8")
        assert _edit_build(outline, output, cache) == 0
        data = json.loads(stamp.read_text(encoding="utf-8"))  # rewritten by that build
        outline.write_text(text, encoding="utf-8")
        assert _edit_build(outline, output, cache) == 25  # the good list works again
        data = json.loads(stamp.read_text(encoding="utf-8"))
        good = data["pages"]


# Two charts under two names with the same data (they draw the same picture); the first
# shown on a slide, the second shown by the slide a test adds, or not at all.
ALIKE_CHARTS = """\
title: 同じグラフ
charts:
  a: {kind: bar, data: {地域: [東, 西], 売上: [3, 4]}, x: 地域, y: 売上}
  b: {kind: bar, data: {地域: [東, 西], 売上: [3, 4]}, x: 地域, y: 売上}
slides:
  - {title: 一つ目, chart: a}
"""


def test_two_charts_drawn_alike_in_the_background_give_the_same_bytes(tmp_path: Path):
    """Two charts under two names with the same data draw the same picture: written in one
    go they share one picture part. Drawn in the background they first get two stand-ins;
    the file must still be the one a build in one go writes (one shared picture)."""
    outline = tmp_path / "deck.yaml"
    outline.write_text(ALIKE_CHARTS + "  - {title: 二つ目, chart: b}\n", encoding="utf-8")
    background = build("background", outline, tmp_path / "bg.pptx", 2)
    assert background == build("fast", outline, tmp_path / "fg.pptx", 2)
    with zipfile.ZipFile(io.BytesIO(background)) as package:
        assert len([n for n in package.namelist() if n.startswith("ppt/media/")]) == 1


def test_a_stamp_with_fields_of_the_wrong_type_means_a_rebuild(tmp_path: Path):
    """A stamp damaged in any field (charts, warnings, inputs …) is no stamp: the next
    build rebuilds (and the no-op after it is quick again), never an internal error."""
    import json

    work = tmp_path / "work"
    outline = repo_deck(work)
    output, cache = work / "deck.pptx", tmp_path / "cache"
    _edit_build(outline, output, cache)
    [stamp] = (cache / "stamps").glob("*.json")
    good = json.loads(stamp.read_text(encoding="utf-8"))
    for field, value in [
        ("charts", None),
        ("charts", 5),
        ("warnings", [{"x": 1}]),
        ("warnings", 5),
        ("warnings", [{"pos": {"file": "a", "row": 1}, "message": "m"}]),
        ("inputs", ["a"]),
        ("pages", "x"),
        ("template", True),  # open(True) would read and then close standard output
    ]:
        stamp.write_text(json.dumps({**good, field: value}), encoding="utf-8")
        assert _edit_build(outline, output, cache) == 0, (field, value)


DRAWER_FAILS = """
import os, sys
from pathlib import Path
import yamldeck.charts as charts
main = os.getpid()
real = charts.render_chart
def render(chart, theme):  # the drawer fails on its own share; the sibling still draws
    if os.getpid() != main and os.getppid() == main:
        raise RuntimeError("drawer failed")
    return real(chart, theme)
charts.render_chart = render
from yamldeck.build import BuildOptions, build_deck
result = build_deck(Path(sys.argv[1]), Path(sys.argv[2]), options=BuildOptions(),
                    background=True)
assert result.status == "built", [d.format() for d in result.diagnostics]
"""


def test_a_drawer_that_fails_does_not_hang_the_build(tmp_path: Path):
    """The drawer's sibling may be blocked writing its pictures when the drawer itself
    fails: the build must still end (drawing here) with the bytes of a build in one go."""
    run_script(DRAWER_FAILS, REPO / "deck.yaml", tmp_path / "a.pptx")
    assert (tmp_path / "a.pptx").read_bytes() == build(
        "fast", REPO / "deck.yaml", tmp_path / "b.pptx", 4
    )


DRAWER_HANGS = """
import os, sys, time
from pathlib import Path
import yamldeck.background as background
import yamldeck.charts as charts
background.DRAW_TIMEOUT_S = 2.0
main = os.getpid()
real = charts.render_chart
def render(chart, theme):  # the drawer and its sibling never finish (a lock held at fork)
    if os.getpid() != main:
        time.sleep(3600)
    return real(chart, theme)
charts.render_chart = render
from yamldeck.build import BuildOptions, build_deck
started = time.monotonic()
result = build_deck(Path(sys.argv[1]), Path(sys.argv[2]), options=BuildOptions(),
                    background=True)
assert result.status == "built", [d.format() for d in result.diagnostics]
print(round(time.monotonic() - started))
"""


def test_a_drawer_that_hangs_is_stopped_and_the_charts_drawn_here(tmp_path: Path):
    """A drawer (or its sibling) that never answers is killed after DRAW_TIMEOUT_S and the
    charts are drawn in the main process: the same bytes, no process left behind."""
    seconds = int(run_script(DRAWER_HANGS, REPO / "deck.yaml", tmp_path / "a.pptx"))
    assert seconds < 30
    assert (tmp_path / "a.pptx").read_bytes() == build(
        "fast", REPO / "deck.yaml", tmp_path / "b.pptx", 4
    )
    left = subprocess.run(["pgrep", "-f", "DRAW_TIMEOUT_S = 2.0"], capture_output=True)
    assert left.stdout == b"", left.stdout


def test_a_new_chart_drawn_like_a_cached_one_shares_its_picture(tmp_path: Path):
    """A chart added under a new name with a cached chart's data draws the same picture: the
    incremental build must be the file a build from nothing writes (one shared picture)."""
    outline = tmp_path / "deck.yaml"
    text = ALIKE_CHARTS
    outline.write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    _edit_build(outline, tmp_path / "d.pptx", cache)
    outline.write_text(text + "  - {title: 二つ目, chart: b}\n", encoding="utf-8")
    _edit_build(outline, tmp_path / "d.pptx", cache)
    _edit_build(outline, tmp_path / "fresh.pptx", tmp_path / "empty")
    assert (tmp_path / "d.pptx").read_bytes() == (tmp_path / "fresh.pptx").read_bytes()
