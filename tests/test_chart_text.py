"""Chart pictures: every text inside the picture, none on another, numbers told apart.

The property renders the very figure ``render_chart`` saves (``charts.chart_texts``) and
measures each visible text's extent with matplotlib's renderer.
"""

from __future__ import annotations

import dataclasses
import io

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from PIL import Image

from yamldeck import chartstyle, layout
from yamldeck.chartdata import ChartData, Series
from yamldeck.charts import chart_texts, render_chart
from yamldeck.deck import PlannedChart, chart_box, describe_chart
from yamldeck.theme import Theme

KINDS = ("bar", "barh", "line", "stacked_bar", "combo", "pie", "donut")
LONG_NAMES = (
    "第3四半期営業利益（連結、百万円）",
    "東日本",
    "海外事業セグメント（アジア・太平洋）",
    "2024Q1",
    "A",
    "NVIDIA",
    "売上高 前年同期比",
    "その他",
)
TOUCH_PX = 1.0  # texts may touch within this much


def _box(with_bullets: bool, titled: bool) -> layout.Box:
    return chart_box(layout.CONTENT, with_bullets, titled)


@st.composite
def planned_charts(draw) -> PlannedChart:
    kind = draw(st.sampled_from(KINDS))
    pie = kind in ("pie", "donut")
    n = draw(st.integers(1, 14 if pie else 60))
    n_series = 1 if pie else draw(st.integers(2 if kind == "combo" else 1, 4))
    names = draw(st.sampled_from(["short", "long", "dates"]))
    if names == "dates":
        categories = [f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}" for i in range(n)]
    elif names == "long":
        categories = [f"{LONG_NAMES[i % len(LONG_NAMES)]}{i}" for i in range(n)]
    else:
        categories = [f"{'ABCDEFGH'[i % 8]}{i}" for i in range(n)]
    magnitude = draw(st.sampled_from([0.001, 0.01, 1, 100, 1e4, 1e6, 1e9]))
    signs = "positive" if pie else draw(st.sampled_from(["positive", "negative", "mixed"]))
    value = st.floats(0.001, 1.0).map(lambda f: round(f * magnitude, 6) or magnitude)
    series = []
    for j in range(n_series):
        values = draw(st.lists(value, min_size=n, max_size=n))
        if signs == "negative":
            values = [-v for v in values]
        elif signs == "mixed":
            values = [v if (i + j) % 3 else -v for i, v in enumerate(values)]
        name = draw(st.sampled_from(LONG_NAMES)) + str(j)
        series.append(Series(name, tuple(values)))
    unit = draw(st.sampled_from(["%", "億円", None]))
    highlight = draw(st.sampled_from([None, categories[-1], series[0].name]))
    box = _box(draw(st.booleans()), draw(st.booleans()))
    names = [s.name for s in series]
    roles: dict = {}
    if kind == "combo":
        n_bars = draw(st.integers(1, n_series - 1))
        lines = tuple(names[n_bars:])
        secondary = tuple(x for x in lines if draw(st.booleans()))
        roles = {
            "lines": lines,
            "secondary": secondary,
            "unit2": draw(st.sampled_from(["%", "千人", None])),
        }
    if kind in ("bar", "barh", "line", "combo"):
        roles["dashed"] = tuple(x for x in names if draw(st.booleans()))
    return PlannedChart(
        id="c",
        kind=kind,
        title=None,
        unit=unit,
        highlight=highlight,
        data=ChartData(tuple(categories), tuple(series)),
        source=None,
        note=None,
        width=round(box.w, 3),
        height=round(box.h, 3),
        **roles,
    )


def _problems(chart: PlannedChart) -> list[str]:
    found = chart_texts(chart, Theme())
    out = []
    for t in found.texts:
        if t.x0 < 0 or t.y0 < 0 or t.x1 > found.width or t.y1 > found.height:
            out.append(f"{t.role} {t.text!r} outside the picture: {t}")
    for i, a in enumerate(found.texts):
        for b in found.texts[i + 1 :]:
            if (
                min(a.x1, b.x1) - max(a.x0, b.x0) > TOUCH_PX
                and min(a.y1, b.y1) - max(a.y0, b.y0) > TOUCH_PX
            ):
                out.append(f"{a.role} {a.text!r} overlaps {b.role} {b.text!r}")
    return out


# Shrinking a failure re-renders hundreds of charts (minutes); the unshrunk example is
# printed in full, which is enough to reproduce it.
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(planned_charts())
def test_every_text_fits_and_none_overlaps(chart: PlannedChart):
    assert _problems(chart) == []


def _chart(kind: str, categories, values, unit=None, **kw) -> PlannedChart:
    box = _box(kw.pop("with_bullets", False), True)
    series = values if isinstance(values[0], Series) else [Series("v", tuple(values))]
    return PlannedChart(
        id="c",
        kind=kind,
        title="t",
        unit=unit,
        highlight=kw.pop("highlight", None),
        data=ChartData(tuple(categories), tuple(series)),
        source=None,
        note=None,
        width=round(box.w, 3),
        height=round(box.h, 3),
        **kw,
    )


MARGIN = (
    [f"{y}Q{q}" for y in (2023, 2024) for q in range(1, 5)],
    [6.8, 7.4, 8.1, 7.9, 8.8, 9.5, 9.9, 10.3],
)


@pytest.mark.parametrize("with_bullets", [False, True])
def test_margin_chart_keeps_every_digit_of_its_ticks(with_bullets):
    chart = _chart("line", *MARGIN, unit="%", with_bullets=with_bullets)
    texts = chart_texts(chart, Theme())
    ticks = [t.text for t in texts.texts if t.role == "tick"]
    axis = chartstyle.value_axis(chart)
    assert ticks == [chartstyle.format_value(v, "%", axis.decimals) for v in axis.ticks()]
    assert axis.lo > 0  # a margin line does not start at 0
    assert ticks[-1].startswith("1") and ticks[-1].endswith("%") and len(ticks[-1]) >= 3
    assert all(t.x0 >= 0 for t in texts.texts)
    assert [t.text for t in texts.texts if t.role == "end"] == ["10.3%"]
    assert _problems(chart) == []


def test_saved_picture_is_the_measured_figure():
    chart = _chart("line", *MARGIN, unit="%")
    with Image.open(io.BytesIO(render_chart(chart, Theme()))) as image:
        texts = chart_texts(chart, Theme())
        assert image.size == (int(texts.width), int(texts.height))
        # The leftmost text's first column holds ink: nothing to the left of it was cut.
        left = min(t.x0 for t in texts.texts)
        gray = image.convert("L")
        column = [
            gray.getpixel((x, y))
            for x in range(int(left), int(left) + 25)
            for y in range(image.height)
        ]
        assert min(column) < 128


def test_tiny_values_get_the_decimals_to_tell_them_apart():
    chart = _chart("bar", list("ABCD"), [0.001, 0.004, 0.007, 0.01], unit="%")
    texts = chart_texts(chart, Theme())
    ticks = [t.text for t in texts.texts if t.role == "tick"]
    assert len(set(ticks)) == len(ticks) and "0.0%" not in ticks
    values = [t.text for t in texts.texts if t.role == "value"]
    assert values == ["0.001%", "0.004%", "0.007%", "0.010%"]


def test_thinned_category_labels_keep_the_first_and_the_last():
    days = [f"2025-03-{d:02d}" for d in range(1, 31)] + [f"2025-04-{d:02d}" for d in range(1, 31)]
    for kind in ("line", "bar"):
        chart = _chart(kind, days, [float(i % 7) + 1 for i in range(60)])
        shown = [t.text for t in chart_texts(chart, Theme()).texts if t.role == "category"]
        assert 2 < len(shown) < 60
        assert shown[0] == days[0] and shown[-1] == days[-1]
    months = [f"2025年{m}月" for m in range(1, 13)] + ["2026年1月"]
    chart = _chart("line", months, [float(m) for m in range(13)], with_bullets=True)
    shown = [t.text for t in chart_texts(chart, Theme()).texts if t.role == "category"]
    assert shown[0] == months[0] and shown[-1] == months[-1]


def test_value_decimals_follow_the_data():
    def decimals(values, **kw):
        return chartstyle.value_decimals(_chart("bar", [str(i) for i in values], values, **kw))

    assert decimals([1, 2, 30]) == 0
    assert decimals([13.5, 20.7, 178]) == 1  # as written
    assert decimals([0.001, 0.004, 0.01]) == 3
    assert decimals([1234567.891, 2345678.5]) == 0  # four significant digits are plenty
    assert decimals([100.04, 100.01]) == 2  # but different values never read the same
    assert decimals([100.04, 100.01], decimals=0) == 0  # an index reads whole


def test_axis_range_rule():
    def axis(kind, values):
        return chartstyle.value_axis(_chart(kind, [str(i) for i in range(len(values))], values))

    assert axis("bar", [6.8, 10.3]).lo == 0  # bars always start at 0
    assert axis("line", [6.8, 10.3]).lo > 0  # a line of a narrow band does not
    assert axis("line", [43, 887]).lo == 0  # one that spans from near 0 does
    assert axis("line", [-5, 3]).lo < -5 and axis("line", [-5, 3]).hi > 3
    negative = axis("bar", [-40, -10])
    assert negative.hi == 0 and negative.lo < -40
    for a in (axis("bar", [0.001, 0.01]), axis("line", [1e9, 3e8])):
        ticks = a.ticks()
        assert len({chartstyle.format_value(t, None, a.decimals) for t in ticks}) == len(ticks)


def test_a_stack_of_negatives_grows_down_from_zero():
    chart = dataclasses.replace(
        _chart("stacked_bar", ["a", "b"], [Series("x", (5.0, -3.0)), Series("y", (2.0, -4.0))])
    )
    assert chartstyle.stack_extents(chart) == [(0.0, 7.0), (-7.0, 0.0)]
    assert chartstyle.value_axis(chart).lo <= -7
    assert _problems(chart) == []


def test_alt_text_tells_tiny_values_apart():
    chart = _chart("bar", list("ABCD"), [0.001, 0.004, 0.007, 0.01], unit="%")
    assert describe_chart(chart) == "棒グラフ: t。D 0.010%、C 0.007%、B 0.004%"


@pytest.mark.parametrize("kind", ["pie", "donut"])
def test_crowded_pie_labels_neither_overlap_nor_leave_the_picture(kind):
    names = [f"{LONG_NAMES[i % len(LONG_NAMES)]}{i}" for i in range(14)]
    values = [40.0, 30.0] + [1.0 + i % 3 for i in range(12)]
    chart = _chart(kind, names, values, unit="億円", with_bullets=True, highlight=names[5])
    labels = [t for t in chart_texts(chart, Theme()).texts if t.role == "label"]
    assert len(labels) >= 10
    assert _problems(chart) == []


def test_combo_right_axis_labels_stay_inside():
    chart = dataclasses.replace(
        _chart(
            "combo",
            *MARGIN[:1],
            [
                Series("売上高", tuple(range(1000, 1800, 100))),
                Series("営業利益率（連結）", tuple(MARGIN[1])),
            ],
            unit="百万円",
            with_bullets=True,
        ),
        lines=("営業利益率（連結）",),
        secondary=("営業利益率（連結）",),
        unit2="%",
    )
    texts = chart_texts(chart, Theme())
    right = [t for t in texts.texts if t.role == "tick" and t.text.endswith("%")]
    assert right and max(t.x1 for t in right) <= texts.width
    assert _problems(chart) == []
