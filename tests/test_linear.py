"""Writing stays linear without changing a byte: python-pptx's part naming, picture lookup
and slide ids are replaced by indexed versions (writer/pptxfast.py); the files must be the
same as python-pptx's own code writes."""

from __future__ import annotations

import io
import subprocess
import zipfile
import sys
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


def build(mode: str, outline: Path, output: Path, charts: int = 0) -> bytes:
    subprocess.run([sys.executable, "-c", SCRIPT, mode, str(outline), str(output), str(charts)],
                   check=True, capture_output=True, env={"SOURCE_DATE_EPOCH": "1700000000",
                                                        "PATH": "/usr/bin:/bin"})
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
