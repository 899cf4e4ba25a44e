"""The shipped examples build, and their charts hold the numbers of their data files."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation

from conftest import REPO
from yamldeck.cli import main

MONTHLY = REPO / "examples" / "monthly"


def build(folder: Path, *args: str):
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(folder / "deck.yaml"),
            "-o",
            str(folder / "out.pptx"),
            "--cache",
            str(folder / "cache"),
            "--strict",
            *args,
        ],
    )
    assert result.exit_code == 0, result.output
    return Presentation(str(folder / "out.pptx"))


def charts(prs) -> dict[str, dict[str, tuple]]:
    """Each native chart's categories and series (by name without an axis suffix)."""
    found: dict[str, dict[str, tuple]] = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                series = {
                    s.name.split("（")[0]: tuple(s.values)
                    for p in shape.chart.plots
                    for s in p.series
                }
                found[slide.shapes.title.text] = {"categories": tuple(plot.categories), **series}
    return found


def test_monthly_example_reads_excel_files_into_the_right_numbers(tmp_path: Path):
    folder = tmp_path / "monthly"
    shutil.copytree(MONTHLY, folder)
    raw = (folder / "data" / "月次売上.csv").read_bytes()
    assert b"\r\n" in raw and raw.decode("cp932")  # as Japanese Excel saves it
    found = charts(build(folder, "--charts", "native"))
    combo = found["売上と利益率"]
    assert combo["categories"][0] == "2025年4月" and combo["categories"][-1] == "2026年3月"
    assert combo["売上高"][-1] == 1134 and combo["売上高"][8] == 1241
    assert combo["営業利益率"] == (7.9, 8.2, 8.6, 7.4, 6.8, 9.1, 9.4, 10.3, 9.8, 8.0, 8.4, 8.1)
    plan = found["計画との差"]
    assert plan["計画"][-1] == 1150 and plan["売上高"][4] == 998
    cost = found["費用の内訳"]  # the donut, from the .xlsx
    assert dict(zip(cost["categories"], cost["金額"]))["材料費"] == 205
    assert sum(cost["金額"]) == 205 + 131 + 49 + 38 + 12
    prs = build(folder)  # pictures too
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    for title in (
        "主要KPI（3月）",
        "案件の状況",
        "優先度",
        "来期ロードマップ",
        "現場の様子",
        "本日の決裁事項",
        "リスクと対応",
    ):
        assert any(t.startswith(title) for t in titles), (title, titles)
