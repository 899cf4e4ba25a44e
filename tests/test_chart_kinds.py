"""Combo, dashed, pie and donut charts: built through the real build, in pictures and as
native charts, reopened with python-pptx, and checked by the OOXML validator."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from test_ooxml import BASE_TEMPLATE, _violations, validate, validator_ready
from yamldeck import chartstyle
from yamldeck.build import BuildOptions, build_deck
from yamldeck.chartdata import ChartData, Series, group_other
from yamldeck.charts import chart_texts
from yamldeck.cli import main
from yamldeck.theme import Theme

MONTHS = ["4月", "5月", "6月", "7月", "8月", "9月"]
SALES = [1134, 1180, 1210, 1190, 1250, 1302]
MARGIN = [7.9, 8.1, 8.4, 8.0, 8.8, 9.1]
COSTS = {"人件費": 131, "材料費": 205, "物流費": 49, "通信費": 5, "雑費": 4, "その他": 12}

OUTLINE = f"""\
title: 月次報告
charts:
  sales_margin:
    kind: combo
    data: data/monthly.csv
    x: 月
    bars: [売上高]
    lines: [営業利益率, 計画]
    secondary: [営業利益率]
    dashed: [計画]
    unit: 百万円
    unit2: "%"
    highlight: 9月
  plan_actual:
    kind: line
    data: data/monthly.csv
    x: 月
    y: [売上高, 計画]
    dashed: [計画]
  plan_bars:
    kind: bar
    data: data/monthly.csv
    x: 月
    y: [売上高, 計画]
    dashed: 計画
  cost:
    kind: donut
    data: {{費目: [{", ".join(COSTS)}], 金額: [{", ".join(map(str, COSTS.values()))}]}}
    x: 費目
    y: 金額
    unit: 百万円
  cost_pie:
    kind: pie
    data: {{費目: [{", ".join(COSTS)}], 金額: [{", ".join(map(str, COSTS.values()))}]}}
    x: 費目
    y: 金額
    other: 0
    highlight: 材料費
slides:
  - {{title: 売上と利益率, chart: sales_margin}}
  - {{title: 計画と実績, chart: plan_actual}}
  - {{title: 計画と実績（棒）, chart: plan_bars, bullets: [計画を上回る]}}
  - {{title: 費用の内訳, chart: cost}}
  - {{title: 費用の内訳（円）, chart: cost_pie, bullets: [材料費が過半]}}
"""
CSV = "月,売上高,営業利益率,計画\n" + "".join(
    f"{m},{s},{g},{s - 20 + 10 * i}\n" for i, (m, s, g) in enumerate(zip(MONTHS, SALES, MARGIN))
)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("kinds")
    (root / "data").mkdir()
    (root / "data" / "monthly.csv").write_text(CSV, encoding="utf-8")
    (root / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    out = {}
    for mode in ("image", "native"):
        out[mode] = root / f"{mode}.pptx"
        result = build_deck(root / "deck.yaml", out[mode], options=BuildOptions(charts=mode))
        assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    if BASE_TEMPLATE.exists():  # a real template's theme and geometry, native charts
        shutil.copy(BASE_TEMPLATE, root / "corp.pptx")
        out["template"] = root / "template.pptx"
        result = build_deck(
            root / "deck.yaml",
            out["template"],
            options=BuildOptions(charts="native", sets=("template=corp.pptx",)),
        )
        assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return out


def frames(path: Path) -> list:
    prs = Presentation(str(path))
    return [
        sh
        for s in prs.slides
        for sh in s.shapes
        if sh.name.startswith("Chart ") and sh.name != "Chart Title" and sh.name != "Chart Source"
    ]


def test_combo_is_bars_and_lines_with_a_right_hand_axis(decks):
    combo = frames(decks["native"])[0].chart
    plots = {type(p).__name__: p for p in combo.plots}
    assert list(plots) == ["BarPlot", "LinePlot", "LinePlot"] or set(plots) == {
        "BarPlot",
        "LinePlot",
    }
    assert len(combo.plots) == 3  # bars; the left-hand line; the right-hand line
    values = {s.name: list(s.values) for p in combo.plots for s in p.series}
    assert values == {
        "売上高（左軸）": SALES,
        "営業利益率（右軸）": MARGIN,
        "計画（左軸）": [s - 20 + 10 * i for i, s in enumerate(SALES)],
    }
    plot_area = combo._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    value_axes = plot_area.findall(qn("c:valAx"))
    category_axes = plot_area.findall(qn("c:catAx"))
    assert len(value_axes) == 2 and len(category_axes) == 2
    right = value_axes[1]
    assert right.find(qn("c:axPos")).get("val") == "r"
    assert right.find(qn("c:crosses")).get("val") == "max"
    assert category_axes[1].find(qn("c:delete")).get("val") == "1"
    # Each chart element names its own pair of axes, and the right-hand line is on the second.
    line_on_right = plot_area.findall(qn("c:lineChart"))[1]
    ids = [a.get("val") for a in line_on_right.findall(qn("c:axId"))]
    assert ids == [
        category_axes[1].find(qn("c:axId")).get("val"),
        right.find(qn("c:axId")).get("val"),
    ]
    # The axes are the picture's: the left from 0, both with as many steps.
    left_axis, right_axis = right.getparent().findall(qn("c:valAx"))
    scale = [
        (
            float(a.find(qn("c:scaling")).find(qn("c:min")).get("val")),
            float(a.find(qn("c:scaling")).find(qn("c:max")).get("val")),
            float(a.find(qn("c:majorUnit")).get("val")),
        )
        for a in (left_axis, right_axis)
    ]
    assert scale[0][0] == 0
    steps = [round((hi - lo) / step) for lo, hi, step in scale]
    assert steps[0] == steps[1]
    # Ticks step by whole percents; the line's label keeps the data's decimal.
    assert right.find(qn("c:numFmt")).get("formatCode") == '#,##0"%"'
    # The highlighted month's bar in the accent, the others quiet, as in a bar chart.
    bars = plots["BarPlot"].series[0]
    fills = [str(bars.points[j].format.fill.fore_color.rgb) for j in range(len(MONTHS))]
    assert fills[-1] == "C00000" and len(set(fills[:-1])) == 1 and fills[0] != "C00000"
    assert 'formatCode="#,##0.0&quot;%&quot;"' in combo._chartSpace.xml
    # The bands: bars stay in the lower part, the right-hand line above the middle.
    (left_lo, left_hi, _), (right_lo, right_hi, _) = scale
    assert max(SALES) <= left_lo + 0.62 * (left_hi - left_lo)
    assert min(MARGIN) >= right_lo + 0.5 * (right_hi - right_lo)


def test_combo_workbook_holds_every_series(decks):
    combo = frames(decks["native"])[0].chart
    workbook = load_workbook(io.BytesIO(combo.part.chart_workbook.xlsx_part.blob))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1:] == ("売上高（左軸）", "営業利益率（右軸）", "計画（左軸）")
    assert [r[0] for r in rows[1:]] == MONTHS
    assert [r[2] for r in rows[1:]] == MARGIN


def test_dashed_line_and_outline_bar(decks):
    combo, line, bars = (f.chart for f in frames(decks["native"])[:3])
    plan = next(s for s in line.plots[0].series if s.name == "計画")
    actual = next(s for s in line.plots[0].series if s.name == "売上高")
    assert plan.format.line._ln.find(qn("a:prstDash")).get("val") == "dash"
    assert actual.format.line._ln is None or actual.format.line._ln.find(qn("a:prstDash")) is None
    outline = next(s for s in bars.plots[0].series if s.name == "計画")
    sp_pr = outline._element.find(qn("c:spPr"))
    assert sp_pr.find(qn("a:noFill")) is not None
    assert sp_pr.find(qn("a:ln")).find(qn("a:solidFill")) is not None
    assert "a:prstDash" not in "".join(
        s._element.xml for s in bars.plots[0].series if s.name == "売上高"
    )
    assert 'prstDash val="dash"' in combo._chartSpace.xml  # the plan line of the combo


def test_donut_groups_small_slices_as_other(decks):
    donut = frames(decks["native"])[3].chart
    assert donut.chart_type == XL_CHART_TYPE.DOUGHNUT
    plot = donut.plots[0]
    # 通信費 (5) and 雑費 (4) are under 3% of 406: they join the data's own その他 (12), last.
    assert list(plot.categories) == ["人件費", "材料費", "物流費", "その他"]
    assert list(plot.series[0].values) == [131, 205, 49, 21]
    assert plot._element.find(qn("c:holeSize")).get("val") == "55"
    labels = plot._element.find(qn("c:dLbls"))
    assert labels.find(qn("c:showCatName")).get("val") == "1"
    assert labels.find(qn("c:showPercent")).get("val") == "1"
    points = plot.series[0]._element.findall(qn("c:dPt"))
    assert len(points) == 4  # the palette per slice


def test_pie_keeps_every_slice_with_other_0_and_pulls_out_the_highlight(decks):
    pie = frames(decks["native"])[4].chart
    assert pie.chart_type == XL_CHART_TYPE.PIE
    plot = pie.plots[0]
    # other: 0 merges nothing; the data's own その他 still goes last.
    assert list(plot.categories) == ["人件費", "材料費", "物流費", "通信費", "雑費", "その他"]
    assert list(plot.series[0].values) == [131, 205, 49, 5, 4, 12]
    exploded = [
        p
        for p in plot.series[0]._element.findall(qn("c:dPt"))
        if p.find(qn("c:explosion")) is not None
    ]
    assert [p.find(qn("c:idx")).get("val") for p in exploded] == ["1"]  # 材料費


def test_pictures_show_the_same_numbers(decks):
    result = build_deck(decks["image"].parent / "deck.yaml", decks["image"].parent / "x.pptx")
    charts = [s.chart for s in result.deck.slides if getattr(s, "chart", None)]
    donut = next(c for c in charts if c.id == "cost")
    labels = [t.text for t in chart_texts(donut, Theme()).texts if t.role == "label"]
    total = 131 + 205 + 49 + 21
    assert labels == [
        f"{c}\n{round(v / total * 100)}%"
        for c, v in (("人件費", 131), ("材料費", 205), ("物流費", 49), ("その他", 21))
    ]
    combo = next(c for c in charts if c.id == "sales_margin")
    texts = chart_texts(combo, Theme()).texts
    legend = [t.text for t in texts if t.role == "legend"]
    assert legend == ["売上高（左軸）", "営業利益率（右軸）", "計画（左軸）"]
    ticks = [t.text for t in texts if t.role == "tick"]
    left, right = chartstyle.combo_axes(combo)
    assert ticks == (
        [chartstyle.format_value(v, "百万円", left.decimals) for v in left.ticks()]
        + [chartstyle.format_value(v, "%", right.decimals) for v in right.ticks()]
    )
    assert [t.text for t in texts if t.role == "end"] == ["9.1%", "1,332"]
    assert "（%）" not in [t.text for t in texts if t.role == "axis"]


def test_alt_text_names_both_measures_and_the_largest_shares(decks):
    alts = [f._element.nvGraphicFramePr.cNvPr.get("descr") for f in frames(decks["native"])]
    pictures = [
        sh
        for s in Presentation(str(decks["image"])).slides
        for sh in s.shapes
        if sh.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert [p._element.nvPicPr.cNvPr.get("descr") for p in pictures] == alts
    assert alts[0] == (
        "複合グラフ: sales_margin。売上高（棒） 9月: 1,302百万円、"
        "営業利益率（折れ線） 9月: 9.1%、計画（折れ線） 9月: 1,332百万円"
    )
    assert alts[3] == (
        "ドーナツグラフ: cost。材料費 50%（205百万円）、人件費 32%（131百万円）、"
        "物流費 12%（49百万円）"
    )


def test_decks_have_no_ooxml_violations(decks, tmp_path):
    reason = validator_ready()
    if reason:
        pytest.skip(reason)
    found = validate(list(decks.values()), tmp_path / "report.json")
    assert {name: _violations(f) for name, f in found.items()} == {name: [] for name in decks}


def test_other_grouping_rules():
    def grouped(values: dict, percent=3.0, keep=None):
        data = ChartData(tuple(values), (Series("v", tuple(values.values())),))
        out = group_other(data, percent, keep)
        return dict(zip(out.categories, out.series[0].values))

    assert grouped({"a": 90, "b": 8, "c": 1, "d": 1}) == {"a": 90, "b": 8, "その他": 2}
    assert grouped({"a": 90, "b": 9, "c": 1}) == {"a": 90, "b": 9, "c": 1}  # one keeps its name
    assert grouped({"a": 90, "その他": 8, "c": 1, "b": 1}, keep="b") == {
        "a": 90,
        "b": 1,
        "その他": 9,
    }  # the highlight stays; its own その他 takes the rest
    assert grouped({"a": 90, "b": 8, "c": 1, "d": 1}, percent=0) == {
        "a": 90,
        "b": 8,
        "c": 1,
        "d": 1,
    }


def test_schema_covers_the_new_keys():
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.stdout)
    chart = schema["properties"]["charts"]["additionalProperties"]
    assert {"bars", "lines", "secondary", "unit2", "dashed", "other"} <= set(chart["properties"])
    assert {"combo", "pie", "donut"} <= set(chart["properties"]["kind"]["enum"])
    validator = jsonschema.Draft202012Validator(chart)
    base = {"data": "d.csv", "x": "月"}
    assert validator.is_valid(
        {**base, "kind": "combo", "bars": ["a"], "lines": "b", "secondary": ["b"], "unit2": "%"}
    )
    assert not validator.is_valid({**base, "kind": "combo", "bars": ["a"]})  # no lines
    assert not validator.is_valid({**base, "kind": "bar"})  # no y
    assert validator.is_valid({**base, "kind": "donut", "y": "v", "other": "3%"})
    assert validator.is_valid({**base, "kind": "pie", "y": "v", "other": 0})
    assert not validator.is_valid({**base, "kind": "pie", "y": "v", "other": 40})


def test_overlay_schema_lets_an_overlay_change_one_key_of_a_combo():
    result = CliRunner().invoke(main, ["schema", "overlay"])
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate({"charts": {"sales_margin": {"kind": "combo", "unit2": "%"}}}, schema)


def test_line_ends_that_nearly_meet_label_above_and_below(tmp_path):
    """Native line charts label each line's end beside its last point; two ends closer than
    END_LABEL_CLOSE of the value range (実績 1,134 and 計画 1,150, as in the monthly example)
    put the upper label above and the lower below, so they do not sit on each other; ends
    far apart keep theirs beside the point."""
    from yamldeck.writer.native import END_LABEL_CLOSE

    (tmp_path / "deck.yaml").write_text(
        """\
title: T
charts:
  near: {kind: line, render: native, data: {月: [1月, 2月, 3月], 実績: [1000, 1300, 1134],
         計画: [1100, 1120, 1150]}, x: 月, y: [実績, 計画], dashed: [計画]}
  far: {kind: line, render: native, data: {月: [1月, 2月], a: [10, 90], b: [10, 20]}, x: 月,
        y: [a, b]}
slides:
  - {title: 近い, chart: near}
  - {title: 遠い, chart: far}
""",
        encoding="utf-8",
    )
    result = build_deck(tmp_path / "deck.yaml", tmp_path / "d.pptx")
    assert result.ok, [d.format() for d in result.diagnostics]
    near, far = (f.chart for f in frames(tmp_path / "d.pptx"))
    assert (1150 - 1134) < END_LABEL_CLOSE * (1300 - 1000)

    def positions(chart) -> dict:
        return {
            s.name: s._element.find(qn("c:dLbls"))
            .find(qn("c:dLbl"))
            .find(qn("c:dLblPos"))
            .get("val")
            for s in chart.plots[0].series
        }

    assert positions(near) == {"実績": "b", "計画": "t"}
    assert positions(far) == {"a": "r", "b": "r"}
