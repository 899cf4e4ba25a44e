"""Draw planned charts as PNG pictures with matplotlib (the only module that imports it).

A chart is rendered at exactly the size of the box it fills on the slide, so a 12 pt label is
12 pt in the deck. Text uses the bundled IPAexGothic, pinned by file, so Japanese never turns
into tofu and the pixels do not depend on the machine's fonts.

What the chart shows (value axis, decimals, which labels) comes from ``chartstyle``, shared
with the native renderer. The layout here is measured: every text is drawn, its real extent
taken from the renderer, and the plot area placed so that all of it fits inside the picture;
texts that still collide are resolved by thinning or dropping the least important ones.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Wedge
from matplotlib.text import Text
from matplotlib.transforms import Bbox, ScaledTranslation, blended_transform_factory

from . import chartstyle as style
from .chartstyle import LABEL_PT, VALUE_PT
from .deck import PlannedChart
from .fonts import BUNDLED_FAMILY, bundled_japanese_font
from .theme import Theme, tint

DPI = 200
# A chart picture is at most this many pixels; a huge slide lowers the resolution instead
# (a 56-inch template would otherwise ask for a 125-megapixel picture).
MAX_CHART_PIXELS = 16_000_000


def chart_dpi(width: float, height: float) -> float:
    """DPI for a picture of ``width`` × ``height`` inches: 200, less on a very large box."""
    area = max(width * height, 1e-6)
    return min(DPI, (MAX_CHART_PIXELS / area) ** 0.5)


PAD_PT = 4  # air between the outermost text and the picture's edge
TICK_PAD_PT = 6  # between the plot area and the value axis' tick labels
CATEGORY_PAD_PT = 8  # between the plot area and category labels (clears the lowest value label)
LAYOUT_ROUNDS = 8  # measure-and-place rounds; two or three settle in practice


@cache
def _register_font() -> str:
    font_manager.fontManager.addfont(str(bundled_japanese_font()))
    return BUNDLED_FAMILY


def _embolden(text, color: str) -> None:
    """IPAexGothic has no bold face; a thin outline in the text colour reads as bold."""
    text.set_path_effects([patheffects.withStroke(linewidth=0.7, foreground=color)])


@cache
def _installed(family: str) -> bool:
    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        return True
    except ValueError:
        return False


def chart_fonts(theme: Theme) -> list[str]:
    """The theme's fonts where this machine has them, then the bundled Japanese font.

    matplotlib falls back glyph by glyph along the list, so kana and kanji always find
    IPAexGothic even when the Latin font has none.
    """
    bundled = _register_font()
    wanted = [theme.latin, theme.east_asian]
    return [f for f in dict.fromkeys(wanted) if f != bundled and _installed(f)] + [bundled]


def _rc(theme: Theme) -> dict:
    return {
        "font.family": chart_fonts(theme),
        "font.size": LABEL_PT,
        "axes.edgecolor": "#" + theme.rule,
        "axes.labelcolor": "#" + theme.text,
        "xtick.color": "#" + theme.text,
        "ytick.color": "#" + theme.text,
        "axes.unicode_minus": False,
        "svg.hashsalt": "yamldeck",
    }


@dataclass(frozen=True)
class TextBox:
    """One visible text of a rendered chart and its extent in pixels (origin bottom left)."""

    role: str  # tick, category, value, end, legend, axis
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class ChartTexts:
    width: float  # the picture in pixels
    height: float
    texts: tuple[TextBox, ...]


def render_chart(chart: PlannedChart, theme: Theme) -> bytes:
    """Draw one chart as PNG bytes; identical inputs give identical bytes."""
    theme = style.chart_theme(chart, theme)
    with matplotlib.rc_context(_rc(theme)):
        fig = _figure(chart, theme)
        fig.canvas.draw()
    return _png(fig)


# zlib level of chart pictures: level 3 encodes in half the time of PIL's default 6, and an
# opaque picture saved as RGB (no alpha channel) is still about as small as the RGBA one.
PNG_COMPRESS_LEVEL = 3


def _png(fig: Figure) -> bytes:
    """The drawn figure as an RGB PNG without metadata (the same bytes on every machine).

    The background is always an opaque theme colour, so the alpha channel carries nothing.
    """
    from PIL import Image

    canvas = fig.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    rgba = Image.frombuffer(
        "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    )
    out = io.BytesIO()
    rgba.convert("RGB").save(out, format="png", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def warm_up(theme: Theme) -> None:
    """Find and load the theme's chart fonts (the first text drawn pays for it), so that
    processes forked after this share them instead of each loading them again."""
    with matplotlib.rc_context(_rc(theme)):
        fig = Figure(figsize=(1, 1), dpi=DPI)
        canvas = FigureCanvasAgg(fig)
        probe = fig.text(0, 0, "国語 Ag 1.5%", fontsize=LABEL_PT)
        probe.get_window_extent(canvas.get_renderer())


def chart_texts(chart: PlannedChart, theme: Theme) -> ChartTexts:
    """Every visible text of the picture ``render_chart`` saves, with its measured extent."""
    theme = style.chart_theme(chart, theme)
    with matplotlib.rc_context(_rc(theme)):
        fig = _figure(chart, theme)
        fig.canvas.draw()
        boxes = tuple(TextBox(role, t.get_text(), *_extent(t).extents) for role, t in _texts(fig))
        return ChartTexts(fig.bbox.width, fig.bbox.height, boxes)


# ------------------------------------------------------------------ drawing


class _Chart:
    """One figure being drawn: the artists the layout needs to find again."""

    def __init__(self, chart: PlannedChart, theme: Theme):
        self.chart, self.theme = chart, theme
        self.fig = Figure(
            figsize=(chart.width, chart.height),
            dpi=chart_dpi(chart.width, chart.height),
            facecolor="#" + theme.background,
        )
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        self.ax.set_facecolor("#" + theme.background)
        self.fig.yamldeck = self  # type: ignore[attr-defined]  # found again by _texts  # type: ignore[attr-defined]
        self.horizontal = chart.kind == "barh"
        self.ax2 = None  # a combo's right-hand axis
        self.axis2 = None
        self.point_labels: list[Text] = []  # a combo's line labels, above their last points
        self.pie_labels: list[Text] = []
        self.unit_label2 = None
        self.legend_lift = 0.0  # extra room under the legend, in inches
        if chart.kind == "combo":
            self.axis, self.axis2 = style.combo_axes(chart)
            if self.axis2 is not None:
                self.ax2 = self.ax.twinx()
        elif chart.kind in style.PIE_KINDS:
            self.axis = None  # type: ignore[assignment]  # a pie has no value axis
        else:
            self.axis = style.value_axis(chart)
        self.decimals = style.value_decimals(chart)
        self.show_values = style.shows_value_labels(chart)
        self.value_labels: list[Text] = []
        self.end_labels: list[Text] = []
        self.ends: list[tuple] = []  # (y, x, text, colour, emphasised) of each line's end
        self.legend = None
        self.unit_label = None

    def value_text(self, v: float) -> str:
        return style.format_value(v, self.chart.unit, self.decimals)


def _figure(chart: PlannedChart, theme: Theme) -> Figure:
    if chart.kind in style.PIE_KINDS:
        return _pie_figure(chart, theme)
    c = _Chart(chart, theme)
    {
        "bar": _draw_bar,
        "barh": _draw_bar,
        "line": _draw_line,
        "stacked_bar": _draw_stacked,
        "combo": _draw_combo,
    }[chart.kind](c)
    _style_axes(c)
    _category_ticks(c, style.category_labels(chart))
    _layout(c)
    # Now the plot area is known: decide category labels on measured text, then settle.
    _category_ticks(c, style.category_labels(chart, _category_axis_in(c), _measurer(c)))
    _resolve_collisions(c, drawn=_layout(c))
    return c.fig


def _colors(chart: PlannedChart, theme: Theme) -> list[str]:
    return ["#" + c for c in style.series_colors(chart, theme)]


def _draw_bar(c: _Chart) -> None:
    chart, theme, ax = c.chart, c.theme, c.ax
    series = chart.data.series
    n = len(series)
    width = 0.7 / n if n > 1 else 0.62
    positions = list(range(len(chart.data.categories)))
    colors = _colors(chart, theme)
    draw = ax.barh if c.horizontal else ax.bar
    for i, s in enumerate(series):
        offset = (i - (n - 1) / 2) * width
        pos = [p + offset for p in positions]
        values = [v if v is not None else 0 for v in s.values]
        per_category = style.category_colors(chart, theme)
        color = ["#" + x for x in per_category] if per_category else colors[i]
        if style.is_dashed(chart, s.name):  # an outline bar: a plan beside the actuals
            bars = draw(
                pos,
                values,
                width,
                color="none",
                edgecolor=color,
                linewidth=1.8,
                label=s.name,
                zorder=3,
            )
        else:
            bars = draw(pos, values, width, color=color, label=s.name, zorder=3)
        if c.show_values:
            labels = [c.value_text(v) if v is not None else "" for v in s.values]
            c.value_labels += ax.bar_label(
                bars, labels=labels, padding=3, fontsize=VALUE_PT, color="#" + theme.text
            )
    if c.horizontal:
        ax.set_ylim(len(positions) - 0.5, -0.5)  # first category on top
    else:
        ax.set_xlim(-0.5, len(positions) - 0.5)


def _draw_stacked(c: _Chart) -> None:
    """Positive values stack up from 0 and negative ones down, as in PowerPoint."""
    chart, theme, ax = c.chart, c.theme, c.ax
    positions = list(range(len(chart.data.categories)))
    ups, downs = [0.0] * len(positions), [0.0] * len(positions)
    colors = _colors(chart, theme)
    for i, s in enumerate(chart.data.series):
        values = [v or 0.0 for v in s.values]
        bottoms = [u if v >= 0 else d for u, d, v in zip(ups, downs, values)]
        ax.bar(
            positions,
            values,
            0.6,
            bottom=bottoms,
            color=colors[i],
            label=s.name,
            zorder=3,
            edgecolor="#" + theme.background,
            linewidth=0.8,
        )
        ups = [u + max(v, 0) for u, v in zip(ups, values)]
        downs = [d + min(v, 0) for d, v in zip(downs, values)]
    if c.show_values:
        for p, total, up, down in zip(positions, style.stack_totals(chart), ups, downs):
            below = total < 0
            label = ax.annotate(
                c.value_text(total),
                (p, down if below else up),
                xytext=(0, -4 if below else 4),
                textcoords="offset points",
                ha="center",
                va="top" if below else "bottom",
                fontsize=VALUE_PT,
                color="#" + theme.text,
            )
            _embolden(label, "#" + theme.text)
            c.value_labels.append(label)
    ax.set_xlim(-0.5, len(positions) - 0.5)


def _draw_line(c: _Chart) -> None:
    """Lines labelled at their ends with name and last value, so no legend is needed."""
    chart, theme, ax = c.chart, c.theme, c.ax
    positions = list(range(len(chart.data.categories)))
    colors = _colors(chart, theme)
    texts = iter(
        style.end_label_texts(chart)
        if style.names_at_line_ends(chart)
        else [c.value_text(v) for v in style.labelled_values(chart)]
    )
    for s, color in zip(chart.data.series, colors):
        emphasised = chart.highlight == s.name
        points = [(p, v) for p, v in zip(positions, s.values) if v is not None]
        xs, ys = [p for p, _ in points], [v for _, v in points]
        ax.plot(
            xs,
            ys,
            color=color,
            marker="o",
            markersize=5 if emphasised else 4,
            linewidth=3.2 if emphasised else 2.2,
            label=s.name,
            zorder=4 if emphasised else 3,
            linestyle=DASH if style.is_dashed(chart, s.name) else "-",
        )
        if xs:
            c.ends.append((ys[-1], xs[-1], next(texts), color, emphasised))
    pad = max(len(positions) - 1, 1) * 0.03
    ax.set_xlim(-pad, len(positions) - 1 + pad)


DASH = (0, (3.5, 2))  # a dashed line: dash and gap in line widths, like PowerPoint's "dash"


def _draw_combo(c: _Chart) -> None:
    """Bars on the left axis, lines on the left or the right one; the lines on top.

    Bars carry value labels by the bar chart's rule; each line its last value just above
    its last point (its end is beside the right-hand axis' labels)."""
    chart, theme, ax = c.chart, c.theme, c.ax
    positions = list(range(len(chart.data.categories)))
    colors = dict(zip((s.name for s in chart.data.series), _colors(chart, theme)))
    bars = [s for s in chart.data.series if s.name not in chart.lines]
    n = len(bars)
    width = 0.7 / n if n > 1 else 0.62
    show_values = style.combo_value_labels(chart)
    bar_decimals = style.value_decimals(style.combo_bars(chart))
    per_category = style.category_colors(style.combo_bars(chart), theme)
    for i, s in enumerate(bars):
        pos = [p + (i - (n - 1) / 2) * width for p in positions]
        values = [v if v is not None else 0 for v in s.values]
        color = ["#" + x for x in per_category] if per_category else colors[s.name]
        label = style.legend_label(chart, s.name)
        if style.is_dashed(chart, s.name):
            drawn = ax.bar(
                pos,
                values,
                width,
                color="none",
                edgecolor=color,
                linewidth=1.8,
                label=label,
                zorder=3,
            )
        else:
            drawn = ax.bar(pos, values, width, color=color, label=label, zorder=3)
        if show_values:
            texts = [
                style.format_value(v, chart.unit, bar_decimals) if v is not None else ""
                for v in s.values
            ]
            c.value_labels += ax.bar_label(
                drawn, labels=texts, padding=3, fontsize=VALUE_PT, color="#" + theme.text
            )
    for s in chart.data.series:
        if s.name not in chart.lines:
            continue
        target = c.ax2 if s.name in chart.secondary and c.ax2 is not None else ax
        color = colors[s.name]
        emphasised = chart.highlight == s.name
        points = [(p, v) for p, v in zip(positions, s.values) if v is not None]
        xs, ys = [p for p, _ in points], [v for _, v in points]
        target.plot(
            xs,
            ys,
            color=color,
            marker="o",
            markersize=5 if emphasised else 4,
            linewidth=3.2 if emphasised else 2.2,
            zorder=4,
            label=style.legend_label(chart, s.name),
            linestyle=DASH if style.is_dashed(chart, s.name) else "-",
        )
        if xs:
            text = style.format_value(
                ys[-1], style.series_unit(chart, s.name), style.series_decimals(chart, s.name)
            )
            # Above the last point and leftwards, so it stays clear of the right axis.
            point_label: Any = target.annotate(
                text,
                (xs[-1], ys[-1]),
                xytext=(4, 7),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=VALUE_PT,
                annotation_clip=False,
                color=color if _luminance(color) < 0.55 else "#" + theme.text,
            )
            _embolden(point_label, point_label.get_color())
            c.point_labels.append(point_label)
    ax.set_xlim(-0.5, len(positions) - 0.5)


def _luminance(color: str) -> float:
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _place_line_ends(c: _Chart) -> None:
    """End labels just right of the plot, pushed apart so they never overlap; they stay
    within the plot's height so they never meet the category labels."""
    for label in c.end_labels:
        label.remove()
    c.end_labels = []
    if not c.ends:
        return
    ax, fig = c.ax, c.fig
    height_pt = ax.get_window_extent().height * 72 / fig.dpi
    lo, hi = ax.get_ylim()
    gap = VALUE_PT * 1.3
    ends = sorted(c.ends)
    wanted = [(y - lo) / (hi - lo) * height_pt for y, *_ in ends]  # points above the bottom
    placed: list[float] = []
    for w in wanted:
        placed.append(max(w, gap / 2) if not placed else max(w, placed[-1] + gap))
    overshoot = placed[-1] - (height_pt - gap / 2)
    if overshoot > 0:
        placed = [p - overshoot for p in placed]
    _, right = ax.get_xlim()
    for (y, x, text, color, emphasised), w, target in zip(ends, wanted, placed):
        dx = (right - x) / (right - ax.get_xlim()[0]) * ax.get_window_extent().width * 72 / fig.dpi
        label = ax.annotate(
            text,
            (x, y),
            xytext=(dx + 6, target - w),
            textcoords="offset points",
            va="center",
            fontsize=VALUE_PT,
            annotation_clip=False,
            color=color if _luminance(color) < 0.55 else "#" + c.theme.text,
        )
        if emphasised:
            _embolden(label, color)
        c.end_labels.append(label)


def _style_axes(c: _Chart) -> None:
    chart, theme, ax = c.chart, c.theme, c.ax
    horizontal = c.horizontal
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(
        axis="x" if horizontal else "y", color="#" + tint(theme.text, 0.88), linewidth=0.8, zorder=0
    )
    ax.set_axisbelow(True)
    ax.tick_params(length=0, labelsize=LABEL_PT, pad=TICK_PAD_PT)
    (ax.xaxis if horizontal else ax.yaxis).set_tick_params(pad=TICK_PAD_PT)
    (ax.yaxis if horizontal else ax.xaxis).set_tick_params(pad=CATEGORY_PAD_PT)
    (ax.spines["bottom"] if horizontal else ax.spines["left"]).set_visible(False)
    axis = c.axis
    ticks = axis.ticks()
    labels = [style.format_value(t, chart.unit, axis.decimals) for t in ticks]
    if horizontal:
        ax.set_xlim(axis.lo, axis.hi)
        ax.set_xticks(ticks, labels)
    else:
        ax.set_ylim(axis.lo, axis.hi)
        ax.set_yticks(ticks, labels)
    if axis.lo < 0 < axis.hi:  # the zero line, where the category axis crosses natively
        (ax.axvline if horizontal else ax.axhline)(
            0, color="#" + theme.rule, linewidth=0.8, zorder=2
        )
    if chart.unit and chart.unit != "%":
        c.unit_label = (ax.set_xlabel if horizontal else ax.set_ylabel)(  # type: ignore[assignment]
            f"（{chart.unit}）", fontsize=LABEL_PT, color="#" + theme.muted
        )
    if c.ax2 is not None:
        _style_right_axis(c)
    if style.has_legend(chart):
        c.legend = _legend(c, len(chart.data.series))


def _style_right_axis(c: _Chart) -> None:
    """A combo's right-hand axis: its own range and format, on the left axis' gridlines."""
    ax2, axis, chart, theme = c.ax2, c.axis2, c.chart, c.theme
    assert ax2 is not None and axis is not None  # only called with a right-hand axis
    for side in ("top", "left", "bottom"):
        ax2.spines[side].set_visible(False)
    ax2.spines["right"].set_visible(False)
    ax2.tick_params(length=0, labelsize=LABEL_PT, pad=TICK_PAD_PT)
    ticks = axis.ticks()
    ax2.set_ylim(axis.lo, axis.hi)
    ax2.set_yticks(ticks, [style.format_value(t, chart.unit2, axis.decimals) for t in ticks])
    ax2.grid(False)
    if chart.unit2 and chart.unit2 != "%":
        c.unit_label2 = ax2.set_ylabel(  # type: ignore[assignment]
            f"（{chart.unit2}）", fontsize=LABEL_PT, color="#" + theme.muted, rotation=90
        )


def _legend(c: _Chart, columns: int):
    """The legend above the plot, starting at the picture's left edge (under the title)."""
    anchor = blended_transform_factory(
        c.fig.transFigure,
        c.ax.transAxes + ScaledTranslation(0, c.legend_lift, c.fig.dpi_scale_trans),
    )
    pad = PAD_PT / 72 / c.chart.width
    handles, labels = c.ax.get_legend_handles_labels()
    if c.ax2 is not None:  # the right-hand axis' lines join the one legend
        more = c.ax2.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    if c.chart.kind == "combo":  # in the order of the series, as a native chart lists them
        order = [style.legend_label(c.chart, s.name) for s in c.chart.data.series]
        pairs = sorted(zip(handles, labels), key=lambda hl: order.index(hl[1]))
        handles, labels = [h for h, _ in pairs], [label for _, label in pairs]
    return c.ax.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(pad, 1.0),
        bbox_transform=anchor,
        ncol=columns,
        frameon=False,
        fontsize=LABEL_PT,
        handlelength=1.2,
        borderaxespad=0.8,
        borderpad=0,
        columnspacing=1.2,
    )


def _category_ticks(c: _Chart, labels: style.CategoryLabels) -> None:
    positions = [float(i) for i in labels.shown]
    texts = [labels.texts[i] for i in labels.shown]
    if c.horizontal:
        c.ax.set_yticks(positions, texts)
        ticks = c.ax.get_yticklabels()
    else:
        c.ax.set_xticks(positions, texts)
        ticks = c.ax.get_xticklabels()
    for label in ticks:
        label.set_linespacing(1.1)
    if c.chart.highlight in c.chart.data.categories:
        index = c.chart.data.categories.index(c.chart.highlight)
        for i, label in zip(labels.shown, ticks):
            if i == index:
                label.set_color("#" + c.theme.accent)
                _embolden(label, "#" + c.theme.accent)


# ------------------------------------------------------------------ pie and donut

PIE_LABEL_GAP_IN = 0.3  # between the pie's edge and its column of labels
PIE_LABEL_SPACE_IN = 0.06  # between two labels one above the other
PIE_LINESPACING = 1.15
PIE_LABEL_SHARE = 0.26  # a slice's label takes at most this share of the picture's width


def _pie_figure(chart: PlannedChart, theme: Theme) -> Figure:
    """Slices clockwise from 12 o'clock, labelled in a column on each side with leader
    lines, the labels pushed apart so none overlaps; the highlight pulled out.

    Labels are decided first (long names wrap; a crowded side sets name and share on one
    line, then leaves its smallest slices unlabelled), then the pie takes the room left."""
    c = _Chart(chart, theme)
    fig, ax = c.fig, c.ax
    width, height = chart.width, chart.height
    ax.set_position((0, 0, 1, 1))  # data coordinates are inches: circles stay round
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    values = [v or 0.0 for v in chart.data.series[0].values]
    total = sum(values) or 1.0
    colors = ["#" + x for x in style.slice_colors(chart, theme)]
    texts = style.pie_labels(chart)
    pad = PAD_PT / 72
    labels = [
        ax.text(
            0,
            0,
            t,
            fontsize=VALUE_PT,
            linespacing=PIE_LINESPACING,
            va="center",
            color="#" + theme.text,
        )
        for t in texts
    ]

    def size(i: int) -> tuple[float, float]:
        box = _extent(labels[i])
        return box.width / fig.dpi, box.height / fig.dpi

    room = width * PIE_LABEL_SHARE / (VALUE_PT / 72) * 0.95
    for label, text in zip(labels, texts):
        if size(labels.index(label))[0] > width * PIE_LABEL_SHARE:  # long names wrap
            name, share = text.rsplit("\n", 1)
            label.set_text(style.wrap_label(name, room, 2) + "\n" + share)
    # Each slice's angles, and the side its label goes to.
    slices = []  # (start, sweep, mid angle in radians, side)
    start = float(style.PIE_START_DEGREES)
    for value in values:
        sweep = value / total * 360
        mid = math.radians(start - sweep / 2)
        slices.append((start, sweep, mid, "right" if math.cos(mid) >= -1e-9 else "left"))
        start -= sweep
    columns = {
        side: [i for i, sl in enumerate(slices) if sl[3] == side] for side in ("right", "left")
    }
    for column in columns.values():
        if _column_height([size(i)[1] for i in column]) > height - 2 * pad:
            for i in column:  # crowded: the share goes on the name's last line
                text = labels[i].get_text()
                head, _, share = text.rpartition("\n")
                labels[i].set_text(f"{head} {share}")
        while column and _column_height([size(i)[1] for i in column]) > height - 2 * pad:
            smallest = min(column, key=lambda i: values[i])  # still crowded: the smallest
            labels[smallest].set_visible(False)  # slice goes unlabelled
            column.remove(smallest)
    widest = max((size(i)[0] for column in columns.values() for i in column), default=0.0)
    explode = style.PIE_EXPLODE if chart.highlight in chart.data.categories else 0.0
    radius = min(
        (height / 2 - pad) / (1 + explode),
        (width / 2 - pad - widest - PIE_LABEL_GAP_IN) / (1 + explode),
    )
    radius = max(radius, min(width, height) * 0.15)
    cx, cy = width / 2, height / 2
    edges = []
    for i, (begin, sweep, mid, _) in enumerate(slices):
        out = radius * explode if chart.data.categories[i] == chart.highlight else 0.0
        ox, oy = cx + out * math.cos(mid), cy + out * math.sin(mid)
        ax.add_patch(
            Wedge(
                (ox, oy),
                radius,
                begin - sweep,
                begin,
                facecolor=colors[i],
                edgecolor="#" + theme.background,
                linewidth=1.5,
                width=radius * (1 - style.DONUT_HOLE) if chart.kind == "donut" else None,
            )
        )
        edges.append((ox + radius * math.cos(mid), oy + radius * math.sin(mid)))
    for side, column in columns.items():
        order = sorted(column, key=lambda i: -math.sin(slices[i][2]))
        ys = _stack_labels(
            [cy + (radius + 0.12) * math.sin(slices[i][2]) for i in order],
            [size(i)[1] for i in order],
            pad,
            height - pad,
        )
        x = cx + (radius * (1 + explode) + PIE_LABEL_GAP_IN) * (1 if side == "right" else -1)
        for i, y in zip(order, ys):
            label = labels[i]
            label.set_position((x, y))
            label.set_horizontalalignment("left" if side == "right" else "right")
            if chart.data.categories[i] == chart.highlight:
                label.set_color("#" + theme.accent)
                _embolden(label, "#" + theme.accent)
            ex, ey = edges[i]
            end = x - 0.06 if side == "right" else x + 0.06
            elbow = end - (0.12 if side == "right" else -0.12)
            ax.plot(
                [ex, elbow, end],
                [ey, y, y],
                color="#" + theme.muted,
                linewidth=0.8,
                solid_capstyle="butt",
            )
    c.pie_labels = labels
    return fig


def _column_height(heights: list[float]) -> float:
    return sum(heights) + PIE_LABEL_SPACE_IN * max(len(heights) - 1, 0)


def _stack_labels(
    wanted: list[float], heights: list[float], low: float, high: float
) -> list[float]:
    """Label centres, top first, as near their wanted heights as they can be without
    overlapping, all between ``low`` and ``high``."""
    placed: list[float] = []
    for i, (y, h) in enumerate(zip(wanted, heights)):
        top = (
            high - h / 2
            if not placed
            else (placed[-1] - (heights[i - 1] + h) / 2 - PIE_LABEL_SPACE_IN)
        )
        placed.append(min(y, top))
    if placed and placed[-1] - heights[-1] / 2 < low:  # ran out at the bottom: push up
        placed[-1] = low + heights[-1] / 2
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = max(
                placed[i], placed[i + 1] + (heights[i] + heights[i + 1]) / 2 + PIE_LABEL_SPACE_IN
            )
    return placed


# ------------------------------------------------------------------ layout


def _extent(text: Text) -> Bbox:
    return text.get_window_extent(text.figure.canvas.get_renderer())  # type: ignore[attr-defined]


def _texts(fig: Figure) -> list[tuple[str, Text]]:
    """Every text that shows, with its role."""
    c: _Chart = fig.yamldeck  # type: ignore[attr-defined]
    if c.chart.kind in style.PIE_KINDS:
        return [("label", t) for t in c.pie_labels if t.get_visible() and t.get_text().strip()]
    ax = c.ax
    value_ticks = ax.get_xticklabels() if c.horizontal else ax.get_yticklabels()
    if c.ax2 is not None:
        value_ticks = value_ticks + c.ax2.get_yticklabels()
    category_ticks = ax.get_yticklabels() if c.horizontal else ax.get_xticklabels()
    found = [("tick", t) for t in value_ticks] + [("category", t) for t in category_ticks]
    found += [("value", t) for t in c.value_labels] + [("end", t) for t in c.end_labels]
    if c.legend is not None:
        found += [("legend", t) for t in c.legend.get_texts()]
    if c.unit_label is not None:
        found.append(("axis", c.unit_label))
    if c.unit_label2 is not None:
        found.append(("axis", c.unit_label2))
    found += [("end", t) for t in c.point_labels]
    return [(role, t) for role, t in found if t.get_visible() and t.get_text().strip()]


def _measurer(c: _Chart):
    """Inches a category label takes along its axis, measured with the real font."""
    renderer = c.fig.canvas.get_renderer()  # type: ignore[attr-defined]
    like = (c.ax.get_yticklabels() if c.horizontal else c.ax.get_xticklabels())[0]

    def extent(text: str) -> float:
        probe = Text(
            0, 0, text, fontproperties=like.get_fontproperties(), linespacing=1.1, figure=c.fig
        )
        box = probe.get_window_extent(renderer)
        size = box.height if c.horizontal else box.width
        gap = 0.04 if c.horizontal else style.LABEL_GAP_IN
        return size / c.fig.dpi + gap

    return extent


def _category_axis_in(c: _Chart) -> float:
    box = c.ax.get_window_extent()
    return (box.height if c.horizontal else box.width) / c.fig.dpi


def _layout(c: _Chart) -> bool:
    """Place the plot area so that every text fits inside the picture, by measuring.

    Texts outside the plot keep their distance to it when it moves, so a few rounds settle.
    A legend wider than the room beside it loses columns until it fits. True when it
    settled: the figure is as last drawn, so its measured extents still hold.
    """
    fig, ax = c.fig, c.ax
    width, height = fig.bbox.width, fig.bbox.height
    pad = PAD_PT * fig.dpi / 72
    for _ in range(LAYOUT_ROUNDS):
        _place_line_ends(c)
        fig.draw_without_rendering()
        boxes = [_extent(t) for _, t in _texts(fig)]
        plot = ax.get_window_extent()
        union = Bbox.union([plot] + boxes)
        if c.legend is not None:
            legend = c.legend.get_window_extent()
            if legend.width > width - 2 * pad and c.legend._ncols > 1:
                c.legend.remove()
                c.legend = _legend(c, c.legend._ncols - 1)
                continue
        left = pad + (plot.x0 - union.x0)
        right = width - pad - (union.x1 - plot.x1)
        bottom = pad + (plot.y0 - union.y0)
        top = height - pad - (union.y1 - plot.y1)
        right, top = max(right, left + 10), max(top, bottom + 10)
        moved = max(
            abs(left - plot.x0), abs(right - plot.x1), abs(bottom - plot.y0), abs(top - plot.y1)
        )
        if moved < 0.25:
            return True
        ax.set_position(
            [left / width, bottom / height, (right - left) / width, (top - bottom) / height]  # type: ignore[arg-type]
        )
    _place_line_ends(c)
    return False


def _overlap(a: Bbox, b: Bbox, allowance: float = 1.0) -> bool:
    return (
        min(a.x1, b.x1) - max(a.x0, b.x0) > allowance
        and min(a.y1, b.y1) - max(a.y0, b.y0) > allowance
    )


def _resolve_collisions(c: _Chart, drawn: bool = False) -> None:
    """Drop what still collides, least important first: value labels, then every other tick
    label of the value axis. Category labels were thinned on measured widths already.
    ``drawn``: the figure is as last drawn (the layout settled), so measure it as it is."""
    fig = c.fig
    for _ in range(4):
        if not drawn:
            fig.draw_without_rendering()
        drawn = False
        texts = _texts(fig)
        boxes = [(role, t, _extent(t)) for role, t in texts]
        pairs = [
            ((role, t), (role2, t2))
            for i, (role, t, a) in enumerate(boxes)
            for role2, t2, b in boxes[i + 1 :]
            if _overlap(a, b)
        ]
        clash = {role for pair in pairs for role, _ in pair}
        if not clash:
            return
        # A value tick at the end of its axis on a category label (the corner where the
        # two axes meet): that tick goes, whichever of the others are shown.
        corner = [
            t
            for pair in pairs
            if {role for role, _ in pair} == {"tick", "category"}
            for role, t in pair
            if role == "tick"
        ]
        if "value" in clash and any(v.get_visible() for v in c.value_labels):
            for label in c.value_labels:
                label.set_visible(False)
        elif "end" in clash and any(v.get_visible() for v in c.point_labels):
            for label in c.point_labels:  # a combo's line labels go next
                label.set_visible(False)
        elif {"legend", "category"} <= clash and c.legend is not None:
            # A wrapped name beside the top bar reaches above the plot: lift the legend.
            top = max(b.y1 for role, _, b in boxes if role == "category")
            c.legend_lift += max(top - c.ax.get_window_extent().y1, 0) / fig.dpi + 0.04
            columns = c.legend._ncols
            c.legend.remove()
            c.legend = _legend(c, columns)
        elif corner:
            for t in corner:
                t.set_visible(False)
        elif "tick" in clash:
            ticks = c.ax.get_xticklabels() if c.horizontal else c.ax.get_yticklabels()
            shown = [t for t in ticks if t.get_visible()]
            if len(shown) <= 2:
                return
            for t in shown[1::2]:
                t.set_visible(False)
        else:
            return
        drawn = _layout(c)
