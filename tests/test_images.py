"""Pictures side by side (2-3) or in a 2×2 grid (4), each fitted to its cell, captioned."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, build, make_image, shape_named
from templategen import make_dark, make_four_by_three

SITE = textwrap.dedent("""\
    title: 月次報告
    sections:
      - title: 今月の状況
        slides:
          - title: 現場の様子
            images: [images/a.jpg, images/b.jpg, images/c.jpg]   # 2–4 side by side or in a grid
            captions: [第1工場, 第2工場, 物流センター]
    """)
VALIDATE = REPO.parent / "shared" / "tools" / "ooxml-validate" / "validate-pptx"
SIZES = {"a": (800, 600), "b": (600, 800), "c": (1200, 500), "d": (500, 500)}


def images_slide(tmp_path: Path, template: Path | None = None, text: str = SITE):
    for name, size in SIZES.items():
        make_image(tmp_path / "images" / f"{name}.jpg", size)
    if template is not None:
        text = f"template: {template.name}\n{text}"
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    prs = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    return prs, prs.slides[-1]


def pictures(slide) -> list:
    return sorted((sh for sh in slide.shapes if sh.name.startswith("Image ")), key=lambda s: s.name)


def descr(shape) -> str:
    return shape._element.nvPicPr.cNvPr.get("descr")


@pytest.mark.parametrize("kind", ["builtin", "dark", "4x3"])
def test_three_pictures_side_by_side_keep_their_aspect(tmp_path: Path, kind: str):
    template = {"builtin": None, "dark": make_dark, "4x3": make_four_by_three}[kind]
    path = template(tmp_path / "corp.pptx") if template else None
    prs, slide = images_slide(tmp_path, path)
    pics = pictures(slide)
    assert len(pics) == 3
    for pic, name in zip(pics, "abc", strict=True):
        w, h = SIZES[name]
        assert abs(pic.width / pic.height - w / h) < 0.01
    assert pics[0].left + pics[0].width < pics[1].left
    assert pics[1].left + pics[1].width < pics[2].left
    # The cells are equal: the picture centres are evenly spaced.
    centres = [p.left + p.width / 2 for p in pics]
    assert abs((centres[1] - centres[0]) - (centres[2] - centres[1])) <= 2
    captions = [shape_named(slide, f"Caption {i}") for i in (1, 2, 3)]
    assert [c.text_frame.text for c in captions] == ["第1工場", "第2工場", "物流センター"]
    assert [descr(p) for p in pics] == ["第1工場", "第2工場", "物流センター"]
    # Captions on one line, under every picture of the row, each centred under its picture.
    assert len({c.top for c in captions}) == 1
    assert all(captions[0].top >= p.top + p.height for p in pics)
    for pic, cap in zip(pics, captions, strict=True):
        assert abs((cap.left + cap.width / 2) - (pic.left + pic.width / 2)) <= 2
        assert cap.text_frame.paragraphs[0].alignment == 2  # centred
    for sh in slide.shapes:
        assert 0 <= sh.left and sh.left + sh.width <= prs.slide_width, sh.name
        assert 0 <= sh.top and sh.top + sh.height <= prs.slide_height, sh.name
    if VALIDATE.exists():
        out = subprocess.run(
            [str(VALIDATE), str(tmp_path / "out.pptx")], capture_output=True, text=True
        )
        assert " 0 violation(s)" in out.stdout, out.stdout


def test_four_pictures_make_a_grid_and_alt_text_falls_back_to_the_title(tmp_path: Path):
    text = textwrap.dedent("""\
        title: 月次報告
        slides:
          - title: 現場
            images: [images/a.jpg, images/b.jpg, images/c.jpg, images/d.jpg]
        """)
    _, slide = images_slide(tmp_path, text=text)
    a, b, c, d = pictures(slide)
    assert a.top + a.height < c.top and b.top + b.height < d.top
    assert a.left + a.width < b.left and c.left + c.width < d.left
    assert abs(a.width / a.height - 800 / 600) < 0.01
    assert [descr(p) for p in (a, b, c, d)] == [f"現場 ({i}/4)" for i in range(1, 5)]
    assert not [sh for sh in slide.shapes if sh.name.startswith("Caption")]
