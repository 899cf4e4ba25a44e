"""The shipped examples build, and their charts hold the numbers of their data files."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation

from conftest import REPO
from yamldeck.cli import main

MONTHLY = REPO / "examples" / "monthly"


def build(folder: Path, *args: str) -> Presentation:
    result = CliRunner().invoke(main, ["build", str(folder / "deck.yaml"), "-o",
                                       str(folder / "out.pptx"), "--cache",
                                       str(folder / "cache"), *args])
    assert result.exit_code == 0, result.output
    return Presentation(str(folder / "out.pptx"))


def charts(prs) -> dict[str, dict[str, tuple]]:
    found = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                found[slide.shapes.title.text] = {
                    "categories": tuple(plot.categories),
                    **{s.name: tuple(s.values) for p in shape.chart.plots for s in p.series}}
    return found


def test_monthly_example_reads_excel_files_into_the_right_numbers(tmp_path: Path):
    folder = tmp_path / "monthly"
    shutil.copytree(MONTHLY, folder)
    raw = (folder / "data" / "月次売上.csv").read_bytes()
    assert b"\r\n" in raw and raw.decode("cp932")  # as Japanese Excel saves it
    found = charts(build(folder, "--charts", "native"))
    sales = found["売上高は 12 か月で 2 番目の水準"]
    assert sales["categories"][0] == "2025年4月" and sales["categories"][-1] == "2026年3月"
    assert sales["売上高"][-1] == 1134 and sales["売上高"][8] == 1241
    margin = found["営業利益率は 8% 台を維持"]
    assert margin["営業利益率"] == (7.9, 8.2, 8.6, 7.4, 6.8, 9.1, 9.4, 10.3, 9.8, 8.0, 8.4, 8.1)
    cost = found["費用の内訳"]  # from the .xlsx, sorted by value
    assert cost["categories"][0] == "材料費" and cost["金額"][0] == 205
    assert sorted(cost["金額"], reverse=True) == list(cost["金額"])
    prs = build(folder)  # pictures too
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    assert "主要案件の状況" in titles and "リスクと対応" in titles
