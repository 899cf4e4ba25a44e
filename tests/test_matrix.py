"""The 2×2 matrix slide: four native panels with axes, on any template."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from pptx.enum.shapes import MSO_SHAPE

from conftest import REPO, build, shape_named
from templategen import make_dark, make_four_by_three

MATRIX = textwrap.dedent("""\
    title: 月次報告
    sections:
      - title: 今月の状況
        slides:
          - title: 優先度
            matrix:                   # 2×2
              x: [影響 小, 影響 大]
              y: [緊急度 低, 緊急度 高]
              quadrants:              # top-left, top-right, bottom-left, bottom-right
                - {heading: 計画して実施, bullets: [人材育成]}
                - {heading: 最優先, bullets: [A社対応]}
                - {heading: 見送り, bullets: [旧システム改修]}
                - {heading: 委任, bullets: [定例報告の簡素化]}
    """)
VALIDATE = REPO.parent / "shared" / "tools" / "ooxml-validate" / "validate-pptx"
CORNERS = ("Top Left", "Top Right", "Bottom Left", "Bottom Right")


def matrix_slide(tmp_path: Path, template: Path | None = None, text: str = MATRIX):
    if template is not None:
        text = f"template: {template.name}\n{text}"
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    prs = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    slide = next(s for s in prs.slides if s.shapes.title and s.shapes.title.text == "優先度")
    return prs, slide


@pytest.mark.parametrize("kind", ["builtin", "dark", "4x3"])
def test_the_issue_matrix_is_four_native_panels_with_axes(tmp_path: Path, kind: str):
    template = {"builtin": None, "dark": make_dark, "4x3": make_four_by_three}[kind]
    path = template(tmp_path / "corp.pptx") if template else None
    prs, slide = matrix_slide(tmp_path, path)
    panels = [shape_named(slide, f"Matrix {c}") for c in CORNERS]
    tl, tr, bl, br = panels
    # Quadrants in the order written: top-left, top-right, bottom-left, bottom-right.
    assert tl.top == tr.top < bl.top == br.top
    assert tl.left == bl.left < tr.left == br.left
    assert tl.width == tr.width and tl.height == bl.height
    headings = [shape_named(slide, f"Matrix {c} Heading").text_frame.text for c in CORNERS]
    assert headings == ["計画して実施", "最優先", "見送り", "委任"]
    bullets = [shape_named(slide, f"Matrix {c} Bullets").text_frame.text for c in CORNERS]
    assert bullets == ["人材育成", "A社対応", "旧システム改修", "定例報告の簡素化"]
    for c in CORNERS:
        run = shape_named(slide, f"Matrix {c} Heading").text_frame.paragraphs[0].runs[0]
        assert run.font.bold
    # Top-right is the one emphasised with the accent: its own band and heading colour.
    bands = [shape_named(slide, f"Matrix {c} Band").fill.fore_color.rgb for c in CORNERS]
    assert bands[1] != bands[0] and bands[0] == bands[2] == bands[3]
    heading_tr = shape_named(slide, "Matrix Top Right Heading").text_frame.paragraphs[0].runs[0]
    assert heading_tr.font.color.rgb == bands[1]
    assert tr.fill.fore_color.rgb != tl.fill.fore_color.rgb
    # Axes: high y at the top-left, low at the bottom; x low under the left, high right.
    y_high, y_low = shape_named(slide, "Matrix Y High"), shape_named(slide, "Matrix Y Low")
    assert (y_high.text_frame.text, y_low.text_frame.text) == ("緊急度 高", "緊急度 低")
    assert y_high.top < y_low.top and y_high.left + y_high.width <= tl.left
    x_low, x_high = shape_named(slide, "Matrix X Low"), shape_named(slide, "Matrix X High")
    assert (x_low.text_frame.text, x_high.text_frame.text) == ("影響 小", "影響 大")
    assert x_low.left < x_high.left and x_low.top >= bl.top + bl.height
    assert shape_named(slide, "Matrix X Arrow").auto_shape_type == MSO_SHAPE.RIGHT_ARROW
    assert shape_named(slide, "Matrix Y Arrow").auto_shape_type == MSO_SHAPE.UP_ARROW
    for sh in slide.shapes:
        assert 0 <= sh.left and sh.left + sh.width <= prs.slide_width, sh.name
        assert 0 <= sh.top and sh.top + sh.height <= prs.slide_height, sh.name
    from yamldeck.theme import contrast

    for c in CORNERS:
        run = shape_named(slide, f"Matrix {c} Bullets").text_frame.paragraphs[0].runs[0]
        fill = shape_named(slide, f"Matrix {c}").fill.fore_color.rgb
        assert contrast(str(run.font.color.rgb), str(fill)) >= 4.5
    if VALIDATE.exists():
        out = subprocess.run(
            [str(VALIDATE), str(tmp_path / "out.pptx")], capture_output=True, text=True
        )
        assert " 0 violation(s)" in out.stdout, out.stdout


def test_many_bullets_in_one_quadrant_shrink_only_that_quadrant(tmp_path: Path):
    many = ", ".join(f"対応策その{i}について詳細を検討する" for i in range(12))
    text = MATRIX.replace("bullets: [A社対応]", f"bullets: [{many}]")
    _, slide = matrix_slide(tmp_path, text=text)
    sizes = {
        c: shape_named(slide, f"Matrix {c} Bullets").text_frame.paragraphs[0].runs[0].font.size.pt
        for c in CORNERS
    }
    assert sizes["Top Right"] < sizes["Top Left"] == sizes["Bottom Left"]
