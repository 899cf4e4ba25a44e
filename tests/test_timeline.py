"""The timeline slide: a dated roadmap drawn as native shapes, on any template."""

from __future__ import annotations

import itertools
import subprocess
import textwrap
from pathlib import Path

import pytest
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu

from conftest import REPO, build, shape_named
from templategen import make_dark, make_four_by_three

ROADMAP = textwrap.dedent("""\
    title: 月次報告
    sections:
      - title: 今月の状況
        slides:
          - title: 来期ロードマップ
            timeline:
              from: 2026-04         # optional; else the earliest date
              to: 2027-03
              items:
                - {label: 要件定義, from: 2026-04, to: 2026-06}
                - {label: 開発, from: 2026-06, to: 2026-12, lane: 開発チーム}
                - {label: 本番稼働, on: 2027-01}       # a milestone
              today: 2026-05        # optional marker
    """)
VALIDATE = REPO.parent / "shared" / "tools" / "ooxml-validate" / "validate-pptx"


def roadmap(tmp_path: Path, template: Path | None = None, text: str = ROADMAP):
    if template is not None:
        text = f"template: {template.name}\n{text}"
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    prs = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    slide = next(s for s in prs.slides if s.shapes.title and "ロードマップ" in s.shapes.title.text)
    return prs, slide


def named(slide, prefix: str) -> list:
    return [sh for sh in slide.shapes if sh.name.startswith(prefix)]


@pytest.mark.parametrize("kind", ["builtin", "dark", "4x3"])
def test_the_issue_roadmap_is_drawn_as_native_shapes(tmp_path: Path, kind: str):
    template = {"builtin": None, "dark": make_dark, "4x3": make_four_by_three}[kind]
    path = template(tmp_path / "corp.pptx") if template else None
    prs, slide = roadmap(tmp_path, path)
    bars = [sh for sh in named(slide, "Timeline Bar ") if not sh.name.endswith("Label")]
    assert [sh.auto_shape_type for sh in bars] == [MSO_SHAPE.ROUNDED_RECTANGLE] * 2
    milestone = shape_named(slide, "Timeline Milestone 2")
    assert milestone.auto_shape_type == MSO_SHAPE.DIAMOND
    assert shape_named(slide, "Timeline Milestone 2 Label").text_frame.text == "本番稼働"
    # Bars hold their labels inside; the default lane comes first, then 開発チーム.
    assert [b.text_frame.text for b in bars] == ["要件定義", "開発"]
    assert shape_named(slide, "Timeline Lane 2").text_frame.text == "開発チーム"
    assert bars[0].top < bars[1].top
    # 12 months over the grid: 要件定義 spans Apr-Jun (3 months), 開発 Jun-Dec (7 months).
    grid = sorted(named(slide, "Timeline Grid"), key=lambda sh: sh.left)
    assert len(grid) == 13
    month = (grid[-1].left - grid[0].left) / 12
    assert abs(bars[0].left - grid[0].left) <= 2
    assert abs(bars[0].width - 3 * month) <= 2 and abs(bars[1].width - 7 * month) <= 2
    assert abs(bars[1].left - (grid[0].left + 2 * month)) <= 2
    # The milestone sits in the middle of January 2027 (month 9.5 from April).
    centre = milestone.left + milestone.width / 2
    assert abs(centre - (grid[0].left + 9.5 * month)) <= 2
    # Today: a vertical accent line in the middle of May, labelled 今日.
    today = shape_named(slide, "Timeline Today")
    assert today.width == 0 and today.height > 0
    assert abs(today.left - (grid[0].left + 1.5 * month)) <= 2
    assert shape_named(slide, "Timeline Today Label").text_frame.text == "今日"
    assert today.line.color.rgb == milestone.fill.fore_color.rgb
    # ...drawn under the bars, so it never crosses a label written on a bar.
    order = [sh.name for sh in slide.shapes]
    first_bar = min(i for i, n in enumerate(order) if n.startswith("Timeline Bar"))
    assert order.index("Timeline Today") < first_bar
    # Month labels: the year at the start and at January; the last month kept.
    labels = [
        sh.text_frame.text for sh in sorted(named(slide, "Timeline Month"), key=lambda s: s.left)
    ]
    assert labels[0] == "2026年4月" and labels[-1].endswith("3月") and len(labels) >= 3
    first_2027 = next(i for i, t in enumerate(labels) if int(t.split("年")[-1][:-1]) <= 3)
    assert labels[first_2027].startswith("2027年")
    assert all("年" not in t for i, t in enumerate(labels) if i not in (0, first_2027))
    # Everything inside the slide.
    for sh in slide.shapes:
        assert 0 <= sh.left and sh.left + sh.width <= prs.slide_width, sh.name
        assert 0 <= sh.top and sh.top + sh.height <= prs.slide_height, sh.name
    # Bar text readable on the bar's fill.
    from yamldeck.theme import contrast

    run = bars[0].text_frame.paragraphs[0].runs[0]
    assert contrast(str(run.font.color.rgb), str(bars[0].fill.fore_color.rgb)) >= 4.5
    if kind == "dark":
        assert str(run.font.color.rgb) != "1E2A38"
    if VALIDATE.exists():
        out = subprocess.run(
            [str(VALIDATE), str(tmp_path / "out.pptx")], capture_output=True, text=True
        )
        assert " 0 violation(s)" in out.stdout, out.stdout


def test_range_defaults_to_the_dates_and_a_short_bar_puts_its_label_beside(tmp_path: Path):
    text = textwrap.dedent("""\
        title: 月次報告
        slides:
          - title: ロードマップ
            timeline:
              items:
                - {label: 長い名前のついた準備作業, from: 2026-09-01, to: 2026-09-10}
                - {label: 移行, from: 2026-10, to: 2027-02}
                - {label: 完了, on: 2027-02-15}
        """)
    _, slide = roadmap(tmp_path, text=text)
    grid = named(slide, "Timeline Grid")
    assert len(grid) == 6 + 1  # 2026-09 .. 2027-02
    short = shape_named(slide, "Timeline Bar 1")
    assert short.text_frame.text == ""
    label = shape_named(slide, "Timeline Bar 1 Label")
    assert label.text_frame.text == "長い名前のついた準備作業"
    assert label.left >= short.left + short.width
    labels = [
        sh.text_frame.text for sh in sorted(named(slide, "Timeline Month"), key=lambda s: s.left)
    ]
    assert labels[0] == "2026年9月" and labels[-1] in ("2月", "2027年2月")
    assert not named(slide, "Timeline Lane")  # no lanes: no lane labels
    assert not named(slide, "Timeline Today")


def test_a_long_range_thins_month_labels(tmp_path: Path):
    text = textwrap.dedent("""\
        title: 月次報告
        slides:
          - title: ロードマップ
            timeline:
              from: 2026-01
              to: 2028-12
              items:
                - {label: 中期計画, from: 2026-01, to: 2028-12}
        """)
    _, slide = roadmap(tmp_path, text=text)
    months = sorted(named(slide, "Timeline Month"), key=lambda s: s.left)
    assert 3 < len(months) < 36
    for a, b in itertools.pairwise(months):
        assert a.left + a.width <= b.left + Emu(1), (a.text_frame.text, b.text_frame.text)
    texts = [m.text_frame.text for m in months]
    assert texts[0] == "2026年1月" and texts[-1] == "12月"
    assert "2027年1月" in texts and "2028年1月" in texts
