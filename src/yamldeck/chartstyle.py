"""What a chart shows, decided once for the picture and the native renderer alike.

The value axis (range, step, decimals), the decimals of value labels, whether value labels
are shown, and which category labels are shown (thinned, wrapped or shortened) are pure
functions of the planned chart and its size. ``charts`` (matplotlib) and ``writer.native``
(python-pptx) both follow them, so a picture and an editable chart of the same spec agree.

Text widths here are estimates (``measure.text_em``: full-width 1 em, others 0.6 em, which
is wider than the digits of the fonts charts use), which is what the native chart goes by;
the picture renderer passes its measured plot size and text widths to ``category_labels``
and drops value labels or every other tick label if measured text still collides.
This module imports neither matplotlib nor python-pptx.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .measure import text_em
from .theme import tint

LABEL_PT = 13  # tick labels, legend, axis title
VALUE_PT = 12  # value labels and line-end labels
MAX_DECIMALS = 6  # no label ever shows more decimals than this
MAX_VALUE_LABELS = 16  # bars (categories × series) beyond which value labels are left off
LINE_ZERO_RATIO = 0.5  # a line chart's axis starts at 0 when its nearest value to 0 is closer
MIN_TICK_GAP_IN = 0.45  # vertical value axis: at least this far between ticks (inches)
MAX_TICKS = 10  # steps along a value axis, at most
LABEL_GAP_IN = 0.12  # air between two labels side by side (inches)
LINE_HEIGHT = 1.3  # a label line's height in em
END_LABEL_MAX_SHARE = 0.35  # line-end labels wider than this share of the chart: a legend
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)


@dataclass(frozen=True)
class ValueAxis:
    """The value axis from ``lo`` to ``hi`` in steps of ``step``; ticks show ``decimals``."""

    lo: float
    hi: float
    step: float
    decimals: int

    def ticks(self) -> list[float]:
        count = round((self.hi - self.lo) / self.step)
        return [round(self.lo + i * self.step, self.decimals + 2) for i in range(count + 1)]


def series_colors(chart, theme) -> list[str]:
    """One RGB hex colour per series; a highlighted series takes the accent and the others,
    in palette order, go quiet."""
    names = [s.name for s in chart.data.series]
    palette = list(theme.palette)
    if chart.highlight not in names:
        return [palette[i % len(palette)] for i in range(len(names))]
    others = iter(palette * len(names))
    return [theme.accent if n == chart.highlight else tint(next(others), 0.15) for n in names]


def category_colors(chart, theme) -> list[str] | None:
    """Per-category colours of a one-series bar chart with a highlighted category, else None."""
    if len(chart.data.series) != 1 or chart.highlight not in chart.data.categories:
        return None
    quiet = tint(theme.palette[0], 0.45)
    return [theme.accent if c == chart.highlight else quiet for c in chart.data.categories]


def format_value(value: float, unit: str | None, decimals: int) -> str:
    """Thousands separators, fixed decimals and a % sign for percentages: 1,234.5 / 12.50%.

    Halves round away from zero, as Excel's number formats do (1,200.5 → 1,201).
    """
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.0"
    text = f"{rounded:,.{decimals}f}"
    return text + "%" if unit == "%" else text


def excel_format(unit: str | None, decimals: int) -> str:
    """The Excel number format that shows what ``format_value`` shows."""
    base = "#,##0" + ("." + "0" * decimals if decimals else "")
    return base + '"%"' if unit == "%" else base


def _values(chart) -> list[float]:
    return [v for s in chart.data.series for v in s.values if v is not None]


def stack_extents(chart) -> list[tuple[float, float]]:
    """Per category, the bottom and top of a stacked bar: negatives stack down from 0."""
    out = []
    for i in range(len(chart.data.categories)):
        values = [s.values[i] or 0.0 for s in chart.data.series]
        out.append((sum(v for v in values if v < 0), sum(v for v in values if v > 0)))
    return out


def stack_totals(chart) -> list[float]:
    return [sum(s.values[i] or 0.0 for s in chart.data.series)
            for i in range(len(chart.data.categories))]


def labelled_values(chart) -> list[float]:
    """The numbers value labels show: the bars, the stack totals, or each line's last value."""
    if chart.kind == "stacked_bar":
        return stack_totals(chart)
    if chart.kind == "line":
        return [next(v for v in reversed(s.values) if v is not None)
                for s in chart.data.series if any(v is not None for v in s.values)]
    return _values(chart)


def end_label_texts(chart) -> list[str]:
    """Each line's end label: its last value, after its name when there are several lines."""
    decimals = value_decimals(chart)
    named = len(chart.data.series) > 1
    out = []
    for s in chart.data.series:
        last = next((v for v in reversed(s.values) if v is not None), None)
        if last is not None:
            value = format_value(last, chart.unit, decimals)
            out.append(f"{s.name}  {value}" if named else value)
    return out


def names_at_line_ends(chart) -> bool:
    """Several lines are named at their ends, unless the names are too long: then a legend."""
    if len(chart.data.series) < 2:
        return False
    longest = max((text_em(t) for t in end_label_texts(chart)), default=0) * VALUE_PT / 72
    return longest <= chart.width * END_LABEL_MAX_SHARE


def has_legend(chart) -> bool:
    return len(chart.data.series) > 1 and (chart.kind != "line" or not names_at_line_ends(chart))


def _exact_decimals(value: float) -> int:
    """Decimals the value was written with (0.125 → 3), at most MAX_DECIMALS."""
    for d in range(MAX_DECIMALS + 1):
        if abs(round(value, d) - value) <= 1e-9 * max(1.0, abs(value)):
            return d
    return MAX_DECIMALS


def value_decimals(chart) -> int:
    """Decimals for value labels: the data's own, up to 4 significant digits of the largest,
    but always enough that different values read differently.

    A planned ``decimals`` (an index reads best whole) wins.
    """
    if chart.decimals is not None:
        return chart.decimals
    values = _values(chart) + labelled_values(chart)
    if not values:
        return 0
    written = max(_exact_decimals(v) for v in values)
    largest = max(abs(v) for v in values)
    significant = 3 - math.floor(math.log10(largest)) if largest > 0 else 0
    decimals = max(0, min(written, significant))
    distinct = sorted(set(values))
    while decimals < written and len({round(v, decimals) for v in distinct}) < len(distinct):
        decimals += 1
    return decimals


def _step_decimals(step: float) -> int:
    for d in range(MAX_DECIMALS + 1):
        if abs(round(step, d) - step) <= 1e-9 * step:
            return d
    return MAX_DECIMALS


def _nice_steps(span: float):
    """Candidate tick steps from fine to coarse: 1, 2, 2.5, 5 × 10^k."""
    exponent = math.floor(math.log10(span)) - 2
    while True:
        for base in NICE_STEPS:
            yield base * 10.0**exponent
        exponent += 1


def value_extent(chart) -> tuple[float, float]:
    """Lowest and highest value drawn (stack bottoms and tops for stacked bars)."""
    if chart.kind == "stacked_bar":
        extents = stack_extents(chart)
        return (min((lo for lo, _ in extents), default=0.0),
                max((hi for _, hi in extents), default=0.0))
    values = _values(chart)
    return (min(values), max(values)) if values else (0.0, 0.0)


def plot_size(chart) -> tuple[float, float]:
    """A first estimate of the plot area's width and height in inches (before labels)."""
    legend = 0.45 if len(chart.data.series) > 1 else 0.0
    side = 1.2
    if chart.kind == "barh":
        names = max((text_em(c) for c in chart.data.categories), default=0) * LABEL_PT / 72
        side = min(names, max(chart.width * 0.3, 1.0)) + 0.4
    return max(chart.width - side, 1.0), max(chart.height - 0.8 - legend, 0.8)


def shows_value_labels(chart) -> bool:
    """Bars and stacks get value labels when there are few and each fits its slot."""
    if chart.kind == "line":
        return True  # each line's last value, at its end
    n_series = 1 if chart.kind == "stacked_bar" else len(chart.data.series)
    n_cats = len(chart.data.categories)
    if n_cats * n_series > MAX_VALUE_LABELS:
        return False
    decimals = value_decimals(chart)
    widest = max((text_em(format_value(v, chart.unit, decimals)) * VALUE_PT / 72
                  for v in labelled_values(chart)), default=0.0)
    width, height = plot_size(chart)
    if chart.kind == "barh":
        slot = height / (n_cats * n_series)
        return slot >= VALUE_PT * LINE_HEIGHT / 72
    slot = width / (n_cats * n_series)
    return widest + 0.04 <= slot


def _label_room(chart, decimals: int) -> float:
    """Inches a value label takes along the value axis beyond its bar's end."""
    if chart.kind == "line" or not shows_value_labels(chart):
        return 0.0
    if chart.kind == "barh":
        widest = max(text_em(format_value(v, chart.unit, decimals))
                     for v in labelled_values(chart))
        return widest * VALUE_PT / 72 + 0.12
    return VALUE_PT * LINE_HEIGHT / 72 + 0.08


def value_axis(chart) -> ValueAxis:
    """The value axis both renderers draw.

    Bars always start at 0. A line starts at 0 when its values are all on one side of 0
    and the one nearest 0 is less than LINE_ZERO_RATIO of the farthest; otherwise it spans
    the data with a little air, so a margin of 6.8–10.3 % is not flattened. The step is the
    finest of 1, 2, 2.5, 5 × 10^k whose ticks are at least MIN_TICK_GAP_IN apart (for a
    horizontal axis, far enough apart for their labels), and the range ends on ticks with
    room for value labels.
    """
    lo, hi = value_extent(chart)
    bars = chart.kind != "line"
    zero = (bars or (lo >= 0 and lo < hi * LINE_ZERO_RATIO)
            or (hi <= 0 and hi > lo * LINE_ZERO_RATIO))
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = hi - lo
    if span <= 0:
        span = abs(hi) or 1.0
        lo, hi = (lo - span / 2, hi + span / 2) if not bars else (min(lo, 0.0), max(hi, 0.0))
        if lo == hi:
            hi = lo + 1.0
        span = hi - lo
    width, height = plot_size(chart)
    length = width if chart.kind == "barh" else height
    decimals = value_decimals(chart)
    room = _label_room(chart, decimals)
    # Value labels sit beyond a bar's end: widen the range by their share of the axis.
    share = min(room / length, 0.4)
    pad = span * share / (1 - share)
    if not bars:
        pad = span * 0.04
    top = hi + (pad if hi > 0 or not zero else 0.0)  # an axis pinned at 0 ends there
    bottom = lo - (pad if lo < 0 or not zero else 0.0)
    for step in _nice_steps(top - bottom):
        first, last = math.floor(bottom / step + 1e-9), math.ceil(top / step - 1e-9)
        count = last - first
        if count == 0:
            continue
        tick_decimals = _step_decimals(step)
        if chart.kind == "barh":
            widest = max(text_em(format_value(k * step, chart.unit, tick_decimals))
                         for k in (first, last))
            gap = widest * LABEL_PT / 72 + 2 * LABEL_GAP_IN
        else:
            gap = MIN_TICK_GAP_IN
        if (length / count >= gap and count <= MAX_TICKS) or count <= 1:
            return ValueAxis(round(first * step, tick_decimals + 2),
                             round(last * step, tick_decimals + 2), step, tick_decimals)
    raise AssertionError("unreachable: the steps grow without bound")


def _cut(text: str, max_em: float) -> str:
    """The text shortened with … to at most ``max_em``."""
    if text_em(text) <= max_em:
        return text
    while text and text_em(text + "…") > max_em:
        text = text[:-1]
    return text + "…"


NO_LINE_START = "、。，．・：；！？）」』】〕〉》ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ%）)]}"


NO_LINE_END = "（「『【〔〈《([{"


def _tokens(text: str) -> list[str]:
    """Units a label may break between: each full-width character, each Latin word."""
    out: list[str] = []
    for ch in text:
        wide = text_em(ch) == 1.0
        if out and not wide and ch != " " and text_em(out[-1][-1]) != 1.0 and out[-1] != " ":
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap_label(text: str, max_em: float, max_lines: int) -> str:
    """Break a label into at most ``max_lines`` lines of ``max_em``; the last is shortened
    with … when the text does not fit. Punctuation never starts a line (kinsoku)."""
    if text_em(text) <= max_em or max_lines <= 1:
        return _cut(text, max_em)
    lines: list[str] = []
    line = ""
    tokens = _tokens(text)
    for i, token in enumerate(tokens):
        if line and text_em(line + token) > max_em and token[0] not in NO_LINE_START:
            carried = ""
            while len(line) > 1 and line[-1] in NO_LINE_END:
                line, carried = line[:-1], line[-1] + carried
            lines.append(line.rstrip())
            line = carried + token.lstrip()
            if len(lines) == max_lines - 1:
                line += "".join(tokens[i + 1:])
                break
        else:
            line += token
    lines.append(_cut(line.strip(), max_em))
    return "\n".join(lines)


def _lines_em(text: str) -> float:
    return max(text_em(line) for line in text.split("\n"))


def _spread(n: int, step: int) -> tuple[tuple[int, ...], bool]:
    """Every ``step``-th index from the first, always ending on the last; and whether they
    are evenly spaced.

    A slightly larger step that lands on the last index exactly is preferred, so the
    labels stay evenly spaced.
    """
    if n <= 1 or step <= 1:
        return tuple(range(n)), True
    for s in range(step, step + max(1, step // 2) + 1):
        if (n - 1) % s == 0:
            return tuple(range(0, n, s)), True
    shown = list(range(0, n, step))
    if shown[-1] != n - 1:
        if n - 1 - shown[-1] < step and len(shown) > 1:
            shown.pop()
        shown.append(n - 1)
    return tuple(shown), False


MAX_BAR_LABEL_LINES = 3  # a bar's category name wraps into at most this many lines
MAX_BARH_LABEL_LINES = 2
MIN_WRAP_EM = 3.0  # slots narrower than this thin their labels instead of wrapping them
BARH_LABEL_SHARE = 0.3  # a horizontal bar's name takes at most this share of the chart width


@dataclass(frozen=True)
class CategoryLabels:
    """The text under (or beside) each category; ``shown`` are the indices that carry one.

    ``step`` is the thinning (1: every label); ``even`` tells whether the shown labels are
    exactly ``step`` apart (a native chart's tick-label skip can only express that).
    """

    texts: tuple[str, ...]
    shown: tuple[int, ...]
    step: int
    even: bool = True


def category_labels(chart, axis_in: float | None = None, extent=None) -> CategoryLabels:
    """Which category labels show, and how, so that none overlaps its neighbour.

    Along a horizontal axis: all of them when they fit side by side; a bar chart's names
    next wrap into up to three lines (shortened with … beyond); a line chart's time axis,
    or bars too narrow to wrap into, show every n-th label, always the first and the last.
    Along the vertical axis of a horizontal bar chart names wrap into two lines within 30 %
    of the width, then thin by their height. ``extent`` measures a label along the axis in
    inches (default: an estimate from ``text_em``).
    """
    cats = list(chart.data.categories)
    n = len(cats)
    width, height = plot_size(chart)
    horizontal = chart.kind != "barh"
    if axis_in is None:
        axis_in = width if horizontal else height
    em_in = LABEL_PT / 72
    if extent is None:
        if horizontal:
            def extent(t):
                return _lines_em(t) * em_in + LABEL_GAP_IN
        else:
            def extent(t):
                return (t.count("\n") + 1) * em_in * LINE_HEIGHT
    slot = axis_in / max(n, 1)
    if horizontal:
        # First and last must fit side by side even on a narrow chart.
        texts = [_cut(c, max(axis_in / 2 - LABEL_GAP_IN, 0.3) / em_in) for c in cats]
        widest = max((extent(t) for t in texts), default=0.0)
        room = (slot - LABEL_GAP_IN) / em_in * 0.95
        if widest > slot and chart.kind != "line" and room >= MIN_WRAP_EM:
            wrapped = [wrap_label(c, room, MAX_BAR_LABEL_LINES) for c in cats]
            if max(extent(t) for t in wrapped) <= slot:
                return CategoryLabels(tuple(wrapped), tuple(range(n)), 1)
    else:
        room = max(chart.width * BARH_LABEL_SHARE, 1.0) / em_in
        texts = [wrap_label(c, room, MAX_BARH_LABEL_LINES) for c in cats]
        widest = max((extent(t) for t in texts), default=0.0)
    step = max(1, math.ceil(widest / slot - 1e-9)) if slot > 0 else n
    shown, even = _spread(n, step)
    return CategoryLabels(tuple(texts), shown, shown[1] - shown[0] if len(shown) > 1 else 1,
                          even)
