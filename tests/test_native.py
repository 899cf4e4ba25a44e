"""One chart spec, two renderers: native PowerPoint charts hold the transformed data."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from PIL import Image

from conftest import REPO, build
from yamldeck.cli import main
from yamldeck.preview import sheet_size

OUTLINE = """\
title: T
theme:
  colors: {primary: "#1F4E79", accent: "#C00000", palette: ["#1F4E79", "#4A90C2", "#E0A526"]}
charts:
  idx:
    kind: line
    render: native
    data: {m: [a, b, c], p: [20, 30, 10], q: [4, 5, 6]}
    x: m
    y: [p, q]
    rebase: 100
    highlight: q
  share:
    kind: bar
    data: {r: [東, 西, 海外], s: [45, 35, 20]}
    x: r
    y: s
    unit: "%"
    sort: asc
    highlight: 海外
  mix:
    kind: stacked_bar
    data: {r: [東, 西], a: [1200, 1300], b: [400, 500]}
    x: r
    y: [a, b]
    unit: 億円
  side:
    kind: barh
    data: {r: [東, 西], v: [3, 4]}
    x: r
    y: v
slides:
  - {title: 指数, chart: idx}
  - {title: 構成, chart: share}
  - {title: 積み上げ, chart: mix}
  - {title: 横棒, chart: side}
"""


def charts_of(prs):
    return [sh for s in prs.slides for sh in s.shapes if sh.has_chart]


@pytest.fixture
def native(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(OUTLINE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "d.yaml"), "-o",
                                       str(tmp_path / "n.pptx"), "--charts", "native",
                                       "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output + result.stderr
    return Presentation(str(tmp_path / "n.pptx"))


def test_native_charts_hold_the_transformed_data(native):
    idx, share, mix, side = charts_of(native)
    assert idx.chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert list(idx.chart.plots[0].categories) == ["a", "b", "c"]
    values = {s.name: list(s.values) for s in idx.chart.plots[0].series}
    assert values["p"] == pytest.approx([100, 150, 50])  # rebased
    assert values["q"] == pytest.approx([100, 125, 150])
    assert share.chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert list(share.chart.plots[0].categories) == ["海外", "西", "東"]  # sorted ascending
    assert list(share.chart.plots[0].series[0].values) == [20, 35, 45]
    assert mix.chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert side.chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED


def test_native_colours_highlight_and_formats(native):
    idx, share, mix, _ = charts_of(native)
    q = next(s for s in idx.chart.plots[0].series if s.name == "q")
    assert str(q.format.line.color.rgb) == "C00000"  # the highlighted series
    points = share.chart.plots[0].series[0].points
    assert str(points[0].format.fill.fore_color.rgb) == "C00000"  # 海外, after sorting
    assert share.chart.value_axis.tick_labels.number_format == '#,##0"%"'
    series = mix.chart.plots[0].series
    assert [str(s.format.fill.fore_color.rgb) for s in series] == ["1F4E79", "4A90C2"]
    assert mix.chart.value_axis.axis_title.text_frame.text == "（億円）"
    assert mix.chart.has_legend and not share.chart.has_legend
    xml = idx.chart._chartSpace.xml
    assert '<a:ea typeface="Meiryo"/>' in xml and 'lang="ja-JP"' in xml


def test_alt_text_for_both_renderers(tmp_path: Path, native):
    frame = charts_of(native)[1]
    native_alt = frame._element.nvGraphicFramePr.cNvPr.get("descr")
    (tmp_path / "d.yaml").write_text(OUTLINE.replace("    render: native\n", ""), "utf-8")
    pictures = build(tmp_path / "d.yaml", tmp_path / "i.pptx")
    picture = next(sh for sh in pictures.slides[2].shapes
                   if sh.shape_type == MSO_SHAPE_TYPE.PICTURE)
    image_alt = picture._element.nvPicPr.cNvPr.get("descr")
    assert native_alt == image_alt
    assert image_alt.startswith("棒グラフ: share。東 45%")


def test_render_native_in_the_outline_alone(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(OUTLINE, encoding="utf-8")
    deck = build(tmp_path / "d.yaml", tmp_path / "o.pptx")
    assert [s.has_chart for s in deck.slides[1].shapes if s.name.startswith("Chart ")] == [True]
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in deck.slides[2].shapes)


def test_unknown_renderer_is_an_error(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(OUTLINE.replace("render: native", "render: excel"), "utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "d.yaml")])
    assert result.exit_code == 1
    assert "unknown renderer 'excel'; expected one of image, native" in result.stderr


soffice = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(soffice is None or not shutil.which("pdftoppm"),
                    reason="LibreOffice or poppler is not installed")
def test_preview_writes_pdf_and_contact_sheet_for_a_batch(tmp_path: Path, monkeypatch):
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(OUTLINE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["preview", "a.yaml", "b.yaml", "-j", "2"])
    assert result.exit_code == 0, result.output + result.stderr
    for name in ("a", "b"):
        pdf = tmp_path / "build" / f"{name}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"^Pages:\s+5$", info, re.M), info
        with Image.open(tmp_path / "build" / f"{name}-sheet.png") as sheet:
            assert sheet.size == sheet_size(5) == (4 * 480 + 5 * 12, 2 * 270 + 3 * 12)


@pytest.mark.skipif(soffice is None, reason="LibreOffice is not installed")
def test_build_pdf_writes_the_pdf_beside_the_deck(tmp_path: Path, monkeypatch):
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--pdf", "--charts", "native"])
    assert result.exit_code == 0, result.output + result.stderr
    assert (tmp_path / "build" / "deck.pdf").stat().st_size > 1000


def test_preview_without_libreoffice_says_how_to_install(tmp_path: Path, monkeypatch):
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = CliRunner().invoke(main, ["preview"])
    assert result.exit_code == 1
    assert "LibreOffice is not installed; install LibreOffice" in result.stderr
    assert (tmp_path / "build" / "deck.pptx").is_file()  # the deck itself was built


def test_repo_deck_builds_with_native_charts(tmp_path: Path):
    result = CliRunner().invoke(main, ["build", str(REPO / "deck.yaml"), "-o",
                                       str(tmp_path / "n.pptx"), "--charts", "native",
                                       "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0
    assert len(charts_of(Presentation(str(tmp_path / "n.pptx")))) == 4
