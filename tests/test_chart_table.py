"""Chart + table on one slide (issue 14): the chart on the left and a compact table on the
right, or the table below the chart when it is too wide for the right-hand panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx.util import Emu

from conftest import build
from templategen import make_dark, make_four_by_three

OUTLINE = """\
title: 月次報告
charts:
  sales_margin:
    kind: bar
    data: {月: [4月, 5月], 売上高: [1134, 1180]}
    x: 月
    y: [売上高]
    unit: 百万円
slides:
  - title: 売上と利益率
    chart: sales_margin
    table: {header: [月, 売上高], rows: [[4月, 1134], [5月, 1180]]}  # chart + table
  - title: 広い表
    chart: sales_margin
    table:
      header: [月, 売上高, 前年同月, 計画, 計画比, コメント]
      rows:
        - [4月, 1134, 1050, 1150, 98.6%, 新製品が好調で前年を上回る]
        - [5月, 1180, 1100, 1200, 98.3%, 海外が伸びた]
      colors: {計画比: {98.3%: accent}}
"""


def _project(tmp_path: Path, template: str | None, charts: str = "image") -> Path:
    text = OUTLINE.replace("    unit: 百万円\n", f"    unit: 百万円\n    render: {charts}\n")
    if template == "dark":
        make_dark(tmp_path / "dark.pptx")
        text = "template: dark.pptx\n" + text
    elif template == "4:3":
        make_four_by_three(tmp_path / "four.pptx")
        text = "template: four.pptx\n" + text
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "deck.yaml"


def _parts(slide):
    table = next(sh for sh in slide.shapes if sh.has_table)
    chart = next(sh for sh in slide.shapes if sh.name.startswith("Chart ") and sh is not table)
    return chart, table


@pytest.mark.parametrize(
    ("template", "charts"), [(None, "image"), ("dark", "native"), ("4:3", "image")]
)
def test_chart_with_table_beside_or_below(tmp_path, template, charts):
    prs = build(_project(tmp_path, template, charts), tmp_path / "out.pptx")
    slides = [s for s in prs.slides if any(sh.has_table for sh in s.shapes)]
    assert len(slides) == 2
    narrow, wide = slides
    # narrow table: right of the chart, tops aligned, inside the slide
    chart, table = _parts(narrow)
    assert chart.left + chart.width <= table.left
    assert table.left + table.width <= prs.slide_width
    assert abs(table.top - chart.top) < Emu(914400 // 2)
    cells = [[c.text for c in r.cells] for r in table.table.rows]
    assert cells == [["月", "売上高"], ["4月", "1134"], ["5月", "1180"]]
    if charts == "native":
        assert chart.has_chart
    else:
        alt = chart._element.nvPicPr.cNvPr.get("descr")
        assert alt and "1,180" in alt
    # wide table: below the chart across the width, not overlapping it
    chart, table = _parts(wide)
    assert chart.top + chart.height <= table.top
    assert table.top + table.height <= prs.slide_height
    assert table.width > chart.width * 0.9
    assert table.table.cell(2, 5).text == "海外が伸びた"
    # colors: apply to a chart's table too
    run = table.table.cell(2, 4).text_frame.paragraphs[0].runs[0]
    assert run.font.bold is True


def test_chart_table_and_bullets_is_an_error(tmp_path):
    from yamldeck.build import check_deck

    text = OUTLINE.replace(
        "    table: {header: [月, 売上高], rows: [[4月, 1134], [5月, 1180]]}  # chart + table\n",
        "    table: {header: [月, 売上高], rows: [[4月, 1134], [5月, 1180]]}\n"
        "    bullets: [増収]\n",
    )
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    result = check_deck(tmp_path / "deck.yaml")
    assert not result.ok
    assert any("no room for bullets" in d.message for d in result.diagnostics)
