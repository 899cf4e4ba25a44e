"""One chart spec, two renderers: native PowerPoint charts hold the transformed data."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from conftest import REPO, build
from yamldeck.build import BuildOptions, build_deck
from yamldeck.charts import chart_texts
from yamldeck.chartstyle import format_value
from yamldeck.cli import main
from yamldeck.preview import sheet_size
from yamldeck.theme import Theme

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
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(tmp_path / "d.yaml"),
            "-o",
            str(tmp_path / "n.pptx"),
            "--charts",
            "native",
            "--cache",
            str(tmp_path / "c"),
        ],
    )
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
    picture = next(
        sh for sh in pictures.slides[2].shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE
    )
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


@pytest.mark.skipif(
    soffice is None or not shutil.which("pdftoppm"),
    reason="LibreOffice or poppler is not installed",
)
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
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(REPO / "deck.yaml"),
            "-o",
            str(tmp_path / "n.pptx"),
            "--charts",
            "native",
            "--cache",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 0
    assert len(charts_of(Presentation(str(tmp_path / "n.pptx")))) == 4


PARITY = """\
title: T
charts:
  margin:
    kind: line
    data: {q: [Q1, Q2, Q3, Q4, Q5, Q6, Q7, Q8], 利益率: [6.8, 7.4, 8.1, 7.9, 8.8, 9.5, 9.9, 10.3]}
    x: q
    y: 利益率
    unit: "%"
  idx:
    kind: line
    data: {m: [a, b, c], p: [20, 30, 10], q: [4, 5, 6]}
    x: m
    y: [p, q]
    rebase: 100
    highlight: q
  tiny:
    kind: bar
    data: {c: [A, B, C, D], v: [0.001, 0.004, 0.007, 0.01]}
    x: c
    y: v
    unit: "%"
  loss:
    kind: barh
    data: {r: [東, 西, 海外], v: [-3, 4, -1.5]}
    x: r
    y: v
slides:
  - {title: 利益率, chart: margin}
  - {title: 指数, chart: idx}
  - {title: 小さい値, chart: tiny}
  - {title: 損益, chart: loss}
"""


def test_native_axes_and_labels_follow_the_picture_rules(tmp_path: Path):
    (tmp_path / "d.yaml").write_text(PARITY, encoding="utf-8")
    result = build_deck(
        tmp_path / "d.yaml", tmp_path / "n.pptx", options=BuildOptions(charts="native")
    )
    assert result.status == "built", result.diagnostics
    frames = charts_of(Presentation(str(tmp_path / "n.pptx")))
    planned = [s.chart for s in result.deck.slides if getattr(s, "chart", None)]
    for frame, chart in zip(frames, planned, strict=True):
        # The picture's tick labels are the native axis' ticks in the native format.
        picture = [t.text for t in chart_texts(chart, Theme()).texts if t.role == "tick"]
        axis = frame.chart.value_axis
        lo, hi, step = axis.minimum_scale, axis.maximum_scale, axis.major_unit
        ticks = [lo + i * step for i in range(round((hi - lo) / step) + 1)]
        fmt = axis.tick_labels.number_format
        decimals = len(fmt.split(".")[1].split('"')[0]) if "." in fmt else 0
        assert picture == [format_value(t, chart.unit, decimals) for t in ticks], chart.id
    margin, idx, tiny, loss = frames
    assert margin.chart.value_axis.minimum_scale > 0  # a margin band does not start at 0
    # Only each line's last point is labelled, as in the picture, with the data's decimals.
    xml = margin.chart._chartSpace.xml
    assert xml.count("<c:dLbl>") == 1 and 'formatCode="#,##0.0&quot;%&quot;"' in xml
    # The index starts at 0 (its lowest value is under half its highest), with names at
    # the line ends instead of a legend.
    assert idx.chart.value_axis.minimum_scale == 0 and not idx.chart.has_legend
    assert idx.chart._chartSpace.xml.count('<c:showSerName val="1"/>') == 2
    # Tiny values: ticks and labels tell them apart.
    assert tiny.chart.value_axis.tick_labels.number_format == '#,##0.000"%"'
    assert tiny.chart.plots[0].data_labels.number_format == '#,##0.000"%"'
    # Negative bars: the axis reaches below them, category names stay at the side and the
    # value axis stays at the bottom under the reversed categories.
    assert loss.chart.value_axis.minimum_scale < -3 < 4 < loss.chart.value_axis.maximum_scale
    loss_xml = loss.chart._chartSpace.xml
    assert '<c:tickLblPos val="low"/>' in loss_xml and '<c:crosses val="max"/>' in loss_xml
    for frame in (margin, idx, tiny, loss):
        ids = re.findall(r'<c:(?:axId|crossAx) val="(-?\d+)"', frame.chart._chartSpace.xml)
        assert ids and all(0 < int(i) < 2**32 for i in ids)


def test_native_chart_decks_are_reproducible(tmp_path: Path):
    """The workbook inside each native chart records when it was made; a second build a
    second later must still give the same bytes, its workbooks dated like the deck."""
    import io
    import time
    import zipfile

    outline = tmp_path / "d.yaml"
    outline.write_text(OUTLINE.replace("title: T\n", "title: T\ndate: 2026-04-08\n"), "utf-8")
    first = tmp_path / "a.pptx"
    build_deck(outline, first, options=BuildOptions(charts="native"))
    time.sleep(1.1)  # xlsxwriter's times have whole seconds
    second = tmp_path / "b.pptx"
    build_deck(outline, second, options=BuildOptions(charts="native"))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as deck:
        books = [n for n in deck.namelist() if n.startswith("ppt/embeddings/")]
        assert len(books) == 4
        with zipfile.ZipFile(io.BytesIO(deck.read(books[0]))) as book:
            core = book.read("docProps/core.xml").decode()
    assert core.count(">2026-04-08T00:00:00Z<") == 2, core
