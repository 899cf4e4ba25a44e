"""Draw planned charts as PNG pictures with matplotlib (the only module that imports it).

A chart is rendered at exactly the size of the box it fills on the slide, so a 12 pt label is
12 pt in the deck. Text uses the bundled IPAexGothic, pinned by file, so Japanese never turns
into tofu and the pixels do not depend on the machine's fonts.
"""

from __future__ import annotations

import io
import math
from functools import cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager, patheffects  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .data import format_number  # noqa: E402
from .deck import PlannedChart  # noqa: E402
from .fonts import BUNDLED_FAMILY, bundled_japanese_font  # noqa: E402
from .measure import text_em  # noqa: E402
from .theme import Theme, tint  # noqa: E402

DPI = 200
LABEL_PT = 13
VALUE_PT = 12


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
        font_manager.findfont(font_manager.FontProperties(family=family),
                              fallback_to_default=False)
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


def render_chart(chart: PlannedChart, theme: Theme) -> bytes:
    """Draw one chart as PNG bytes; identical inputs give identical bytes."""
    with matplotlib.rc_context(_rc(theme)):
        fig = Figure(figsize=(chart.width, chart.height), dpi=DPI,
                     facecolor="#" + theme.background)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_facecolor("#" + theme.background)
        after_layout = _DRAW[chart.kind](ax, chart, theme)
        _style_axes(ax, chart, theme)
        fig.tight_layout(pad=0.4)
        if after_layout is not None:
            after_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None},
                    facecolor=fig.get_facecolor())
    return out.getvalue()


def _colors(chart: PlannedChart, theme: Theme) -> list[str]:
    """One colour per series; a highlighted series takes the accent, the rest go quiet."""
    names = [s.name for s in chart.data.series]
    palette = ["#" + c for c in theme.palette]
    colors = [palette[i % len(palette)] for i in range(len(names))]
    if chart.highlight in names:
        others = iter(palette)
        colors = ["#" + theme.accent if n == chart.highlight else tint(next(others)[1:], 0.15)
                  for n in names]
        colors = [c if c.startswith("#") else "#" + c for c in colors]
    return colors


def _bar_colors(chart: PlannedChart, theme: Theme, base: str) -> list[str]:
    """Per-category colours for a one-series bar chart: the highlight in the accent colour."""
    if chart.highlight in chart.data.categories:
        return ["#" + theme.accent if c == chart.highlight else "#" + tint(base, 0.45)
                for c in chart.data.categories]
    return ["#" + base] * len(chart.data.categories)


def _draw_bar(ax, chart: PlannedChart, theme: Theme, horizontal: bool = False) -> None:
    cats = list(chart.data.categories)
    series = chart.data.series
    n = len(series)
    width = 0.7 / n if n > 1 else 0.62
    positions = list(range(len(cats)))
    decimals = chart.decimals
    colors = _colors(chart, theme)
    for i, s in enumerate(series):
        offset = (i - (n - 1) / 2) * width
        pos = [p + offset for p in positions]
        values = [v if v is not None else 0 for v in s.values]
        color = _bar_colors(chart, theme, theme.palette[0]) if n == 1 else colors[i]
        draw = ax.barh if horizontal else ax.bar
        bars = draw(pos, values, width, color=color, label=s.name, zorder=3)
        if len(cats) * n <= 16:
            labels = [format_number(v, chart.unit, decimals) if v is not None else ""
                      for v in s.values]
            ax.bar_label(bars, labels=labels, padding=3, fontsize=VALUE_PT,
                         color="#" + theme.text)
    if horizontal:
        ax.set_yticks(positions, cats)
        ax.invert_yaxis()
        ax.margins(x=0.12)
    else:
        _category_ticks(ax, positions, cats, chart.width)
        ax.margins(y=0.12)
    _emphasise_tick(ax, chart, theme, horizontal)


def _draw_barh(ax, chart: PlannedChart, theme: Theme) -> None:
    _draw_bar(ax, chart, theme, horizontal=True)


def _draw_stacked(ax, chart: PlannedChart, theme: Theme) -> None:
    cats = list(chart.data.categories)
    positions = list(range(len(cats)))
    bottoms = [0.0] * len(cats)
    palette = ["#" + c for c in theme.palette]
    for i, s in enumerate(chart.data.series):
        values = [v or 0.0 for v in s.values]
        ax.bar(positions, values, 0.6, bottom=bottoms, color=palette[i % len(palette)],
               label=s.name, zorder=3, edgecolor="#" + theme.background, linewidth=0.8)
        bottoms = [b + v for b, v in zip(bottoms, values)]
    decimals = chart.decimals
    for p, total in zip(positions, bottoms):
        label = ax.annotate(format_number(total, chart.unit, decimals), (p, total),
                            xytext=(0, 4), textcoords="offset points", ha="center",
                            va="bottom", fontsize=VALUE_PT, color="#" + theme.text)
        _embolden(label, "#" + theme.text)
    _category_ticks(ax, positions, cats, chart.width)
    ax.margins(y=0.1)
    _emphasise_tick(ax, chart, theme, False)


def _draw_line(ax, chart: PlannedChart, theme: Theme) -> None:
    """Lines labelled at their ends with name and last value, so no legend is needed."""
    cats = list(chart.data.categories)
    positions = list(range(len(cats)))
    colors = _colors(chart, theme)
    ends = []
    for s, color in zip(chart.data.series, colors):
        emphasised = chart.highlight == s.name
        points = [(p, v) for p, v in zip(positions, s.values) if v is not None]
        xs, ys = [p for p, _ in points], [v for _, v in points]
        ax.plot(xs, ys, color=color, marker="o", markersize=5 if emphasised else 4,
                linewidth=3.2 if emphasised else 2.2, label=s.name, zorder=4 if emphasised else 3)
        if xs:
            text = format_number(ys[-1], chart.unit, chart.decimals)
            if len(chart.data.series) > 1:
                text = f"{s.name}  {text}"
            ends.append((ys[-1], xs[-1], text, color, emphasised))
    _category_ticks(ax, positions, cats, chart.width, thin=True)
    ax.margins(x=0.04, y=0.08)
    return lambda: _label_line_ends(ax, ends, theme.text)  # needs the final axes size


def _luminance(color: str) -> float:
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _label_line_ends(ax, ends: list, text_color: str) -> None:
    """End labels pushed apart vertically so they never overlap; the x range grows to fit."""
    fig = ax.figure
    fig.canvas.draw()  # settle the layout so axis sizes are known
    bbox = ax.get_window_extent()
    width_in, height_in = bbox.width / fig.dpi, bbox.height / fig.dpi
    lo, hi = ax.get_ylim()
    gap = (hi - lo) * (VALUE_PT * 1.25 / 72) / height_in
    placed: list[float] = []
    for y, *_ in sorted(ends):
        target = y if not placed else max(y, placed[-1] + gap)
        placed.append(target)
    overshoot = placed[-1] - (hi - gap / 2) if placed else 0
    if overshoot > 0:
        placed = [p - overshoot for p in placed]
    longest = max((text_em(e[2]) for e in ends), default=0)
    left, right = ax.get_xlim()
    label_in = longest * VALUE_PT / 72 + 0.15
    ax.set_xlim(left, right + (right - left) * label_in / max(width_in - label_in, 0.5))
    for (y, x, text, color, emphasised), target in zip(sorted(ends), placed):
        label = ax.annotate(text, (x, y), xytext=(8, 0), textcoords="offset points",
                            va="center", fontsize=VALUE_PT, annotation_clip=False,
                            color=color if _luminance(color) < 0.55 else "#" + text_color)
        label.xyann = (8, (target - y) / (hi - lo) * height_in * 72)
        if emphasised:
            _embolden(label, color)


def _emphasise_tick(ax, chart: PlannedChart, theme: Theme, horizontal: bool) -> None:
    if chart.highlight not in chart.data.categories:
        return
    labels = ax.get_yticklabels() if horizontal else ax.get_xticklabels()
    for label in labels:
        if label.get_text() == chart.highlight:
            label.set_color("#" + theme.accent)
            _embolden(label, "#" + theme.accent)


def _style_axes(ax, chart: PlannedChart, theme: Theme) -> None:
    horizontal = chart.kind == "barh"
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    value_axis = ax.xaxis if horizontal else ax.yaxis
    ax.grid(axis="x" if horizontal else "y", color="#" + tint(theme.text, 0.88), linewidth=0.8,
            zorder=0)
    ax.set_axisbelow(True)
    ax.tick_params(length=0, labelsize=LABEL_PT, pad=6)
    (ax.spines["bottom"] if horizontal else ax.spines["left"]).set_visible(False)
    formatter = FuncFormatter(lambda v, _pos: format_number(v, chart.unit))
    value_axis.set_major_formatter(formatter)
    if chart.unit and chart.unit != "%":
        (ax.set_xlabel if horizontal else ax.set_ylabel)(
            f"（{chart.unit}）", fontsize=LABEL_PT, color="#" + theme.muted)
    if len(chart.data.series) > 1 and chart.kind != "line":
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0),
                  ncol=_legend_columns([s.name for s in chart.data.series], chart.width),
                  frameon=False, fontsize=LABEL_PT, handlelength=1.2, borderaxespad=0.3)


def _label_width(text: str) -> float:
    """Inches a tick or legend label takes at LABEL_PT, with a little air."""
    return text_em(text) * LABEL_PT / 72 + 0.12


def _legend_columns(names: list[str], width: float) -> int:
    """As many legend entries per row as fit the axes' width.

    Each entry adds its handle, the pad after it and the column spacing: about 4 em.
    """
    room, used, columns = width - 1.0, 0.0, 0
    for name in names:
        used += _label_width(name) + 4.0 * LABEL_PT / 72
        if used > room and columns:
            break
        columns += 1
    return max(1, columns)


def _category_ticks(ax, positions: list[int], cats: list[str], width: float,
                    thin: bool = False) -> None:
    """Category labels that never overlap: every n-th label on a line chart's time axis,
    otherwise all of them, turned 45° when they do not fit side by side."""
    axis = max(width - 1.0, 1.0)
    widest = max((_label_width(c) for c in cats), default=0.0)
    per_label = axis / max(len(cats), 1)
    if widest <= per_label:
        ax.set_xticks(positions, cats)
    elif thin:
        step = math.ceil(widest / per_label)
        ax.set_xticks(positions[::step], cats[::step])
    else:
        ax.set_xticks(positions, cats, rotation=45, ha="right", rotation_mode="anchor")


_DRAW = {"bar": _draw_bar, "barh": _draw_barh, "line": _draw_line, "stacked_bar": _draw_stacked}
