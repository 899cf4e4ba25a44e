"""The presentation model and the pure planner that derives it from an outline.

``plan_deck`` decides what is on each slide: the title slide, the agenda, section
dividers, numbering, inline markup, chart data after transforms and chart box sizes. It does
no I/O, so everything here is tested without files.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date as Date
from typing import TYPE_CHECKING

from . import layout
from .chartdata import ChartData, series_named, transform
from .chartstyle import describe_combo, format_value, pie_shares, value_decimals
from .design import Design
from .errors import Pos
from .fit import AUTOSPACE_EM, autospaces
from .measure import text_em
from .theme import Theme, resolve_theme

if TYPE_CHECKING:
    from .outline import Bullet, ChartSpec, Outline, SlideSpec
    from .shapes import Page


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def parse_inline(text: str) -> tuple[Run, ...]:
    """Split ``**bold**`` markup into runs; an unclosed ``**`` stays literal."""
    runs: list[Run] = []
    last = 0
    for m in _BOLD.finditer(text):
        if m.start() > last:
            runs.append(Run(text[last : m.start()]))
        runs.append(Run(m.group(1), True))
        last = m.end()
    if last < len(text):
        runs.append(Run(text[last:]))
    return tuple(runs) or (Run(""),)


def plain(text: str) -> str:
    """The text without its ``**`` markers: for text that is set in bold anyway (titles,
    headings, step labels, table headers) and for alt text."""
    return "".join(r.text for r in parse_inline(text))


def quote_runs(quote: str) -> tuple[Run, ...]:
    """A quotation as it is set, in 「」 unless it brings its own quotation marks."""
    runs = parse_inline(quote)
    if plain(quote).startswith(("「", "“", '"')):
        return runs
    return (Run("「"), *runs, Run("」"))


def footer_runs(footer: str | None, section: str | None) -> tuple[Run, ...]:
    """The footer line as it is set: the deck's footer, then the section, each with its
    ``**bold**`` runs."""
    runs: list[Run] = []
    for part in (footer, section):
        if part:
            runs.extend(((Run("　｜　"),) if runs else ()) + parse_inline(part))
    return tuple(runs)


def bullets_to_paras(bullets: tuple[Bullet, ...]) -> tuple[Para, ...]:
    paras: list[Para] = []
    for b in bullets:
        paras.append(Para(parse_inline(b.text), 0))
        paras.extend(Para(parse_inline(c), 1) for c in b.children)
    return tuple(paras)


@dataclass(frozen=True)
class PlannedChart:
    id: str
    kind: str
    title: str | None
    data: ChartData
    unit: str | None
    highlight: str | None
    source: str | None
    note: str | None
    width: float  # inches: the picture is rendered at exactly this size
    height: float
    alt_text: str = ""
    decimals: int | None = None  # None: whole numbers bare, others with one decimal
    render: str = "image"  # image: a matplotlib picture; native: an editable chart
    # combo: series drawn as lines (the rest are bars) and those on the right-hand axis
    lines: tuple[str, ...] = ()
    secondary: tuple[str, ...] = ()
    unit2: str | None = None  # the right-hand axis' unit
    dashed: tuple[str, ...] = ()  # series drawn dashed (lines) or as outlines (bars)
    # (background, text, muted) the chart is drawn in on its slide; () = the theme's own
    ink: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slide:
    """Fields every slide has; subclasses add what their kind shows."""

    number: int
    title: str
    notes: str | None = None
    footer: str | None = None  # footer and section keep their **bold** markup (footer_runs)
    section: str | None = None
    show_number: bool = True
    layout: str = "Title Only"  # the layout's name in the template (or the built-in one)
    source: Pos | None = None  # where the outline defines this slide
    path: str = ""  # e.g. sections[1].slides[2]
    title_size: float = 0  # set by the fitter; 0 means the theme's size
    title_lines: tuple[str, ...] = ()  # the title broken between phrases, when it needs lines
    sizes: tuple[tuple[str, float], ...] = ()  # fitted sizes of the slide's small boxes

    kind = "slide"

    def size_of(self, box: str, default: float) -> float:
        return dict(self.sizes).get(box, default)


@dataclass(frozen=True)
class TitleSlide(Slide):
    # Subtitle, author and date keep their **bold** markup: the writer sets the runs.
    subtitle: str | None = None
    author: str | None = None
    date: str | None = None
    kind = "title"


@dataclass(frozen=True)
class AgendaSlide(Slide):
    items: tuple[str, ...] = ()  # section titles with their **bold** markup (not set bold)
    current: int = 0  # a repeated agenda: the section (from 1) it opens, marked; 0 none
    kind = "agenda"


@dataclass(frozen=True)
class SectionSlide(Slide):
    index: int = 0
    kind = "section"


@dataclass(frozen=True)
class BulletsSlide(Slide):
    paras: tuple[Para, ...] = ()
    size: float = 0  # body size after fitting; 0 means the theme's
    kind = "bullets"


@dataclass(frozen=True)
class CompactTable:
    """A small table on a chart slide: right of the chart, or below it when too wide."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # inches, summing to the table's area width
    numeric: tuple[bool, ...]
    size: float
    below: bool  # under the chart (full width) instead of beside it
    row_heights: tuple[float, ...] = ()  # set by the fitter
    aligns: tuple[str, ...] = ()
    cell_colors: tuple[tuple[tuple[str, str], ...], ...] = ()


@dataclass(frozen=True)
class ChartSlide(Slide):
    chart: PlannedChart | None = None
    paras: tuple[Para, ...] = ()
    size: float = 0  # takeaways size after fitting
    table: CompactTable | None = None  # `chart:` with `table:`
    kind = "chart"


@dataclass(frozen=True)
class TableSlide(Slide):
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()  # inches, summing to the content width
    numeric: tuple[bool, ...] = ()  # right-align columns of numbers
    size: float = 18  # points, for every cell
    row_heights: tuple[float, ...] = ()  # inches, header first; set by the fitter
    aligns: tuple[str, ...] = ()  # "l"/"r"/"ctr" per column from `align:` (else numeric)
    # per column: (cell text, colour name or RRGGBB) pairs from `colors:`
    cell_colors: tuple[tuple[tuple[str, str], ...], ...] = ()
    paras: tuple[Para, ...] = ()  # takeaways in a panel beside the table (first page)
    takeaways_size: float = 0  # set by the fitter
    panel_h: float = 0  # inches, the takeaways panel's height; set by the fitter
    kind = "table"


@dataclass(frozen=True)
class Column:
    heading: str | None
    paras: tuple[Para, ...]


@dataclass(frozen=True)
class ColumnsSlide(Slide):
    columns: tuple[Column, ...] = ()
    size: float = 0
    kind = "columns"


@dataclass(frozen=True)
class QuoteSlide(Slide):
    quote: str = ""
    by: str | None = None
    size: float = 0
    kind = "quote"


@dataclass(frozen=True)
class ImageSlide(Slide):
    image: str = ""  # absolute path, resolved by the planner from the outline's folder
    caption: str | None = None
    caption_size: float = 0
    kind = "image"


@dataclass(frozen=True)
class FlowStep:
    label: str
    details: tuple[Para, ...]  # bullets under the chevron, markup parsed


@dataclass(frozen=True)
class FlowSlide(Slide):
    steps: tuple[FlowStep, ...] = ()
    paras: tuple[Para, ...] = ()
    size: float = 0  # step details
    body_size: float = 0
    labels: tuple[str, ...] = ()  # step labels, with a line break where one was needed
    kind = "flow"


@dataclass(frozen=True)
class TimelineBar:
    """A bar (``start`` < ``end``) or a milestone (``milestone``), in months since year 0."""

    label: str
    lane: int  # index into TimelineSlide.lanes
    start: float
    end: float
    milestone: bool = False


@dataclass(frozen=True)
class TimelineSlide(Slide):
    first: int = 0  # first month shown (months since year 0)
    months: int = 1  # months shown
    bars: tuple[TimelineBar, ...] = ()  # grouped by lane, in the outline's order within a lane
    lanes: tuple[str, ...] = ()  # lane labels ("" for the default lane); () without lanes
    today: float | None = None
    kind = "timeline"


def plan_timeline(common: dict, spec) -> TimelineSlide:
    """Range, lanes and bars of a timeline (dates checked by outline.check_timeline)."""
    items = [i for i in spec.items if i.on is not None or (i.start and i.end)]
    starts = [(i.on or i.start).index for i in items]
    ends = [(i.on or i.end).index for i in items]
    first = spec.start.index if spec.start else min(starts, default=0)
    last = spec.end.index if spec.end else max(ends, default=first)
    if spec.today is not None and not spec.start and not spec.end:
        first, last = min(first, spec.today.index), max(last, spec.today.index)
    last = max(last, first)
    lo, hi = float(first), float(last + 1)
    named = [i.lane for i in items if i.lane]
    lanes: list[str] = []
    if named:
        if any(not i.lane for i in items):
            lanes.append("")
        for name in named:
            if name not in lanes:
                lanes.append(name)
    bars = []
    for lane_index, lane in enumerate(lanes or [""]):
        for item in items:
            if (item.lane or "") != lane:
                continue
            if item.on is not None:
                at = item.on.start() if item.on.day else item.on.index + 0.5
                if lo <= at <= hi:
                    bars.append(TimelineBar(plain(item.label), lane_index, at, at, True))
                continue
            start, end = max(item.start.start(), lo), min(item.end.end(), hi)
            if start < end:
                bars.append(TimelineBar(plain(item.label), lane_index, start, end))
    today = None
    if spec.today is not None:
        at = spec.today.start() if spec.today.day else spec.today.index + 0.5
        today = at if lo <= at <= hi else None
    return TimelineSlide(
        **common,
        first=first,
        months=last - first + 1,
        bars=tuple(bars),
        lanes=tuple(lanes),
        today=today,
    )


@dataclass(frozen=True)
class MatrixSlide(Slide):
    x: tuple[str, ...] = ()  # [low, high], left to right
    y: tuple[str, ...] = ()  # [low, high], bottom to top
    quadrants: tuple[Column, ...] = ()  # top-left, top-right, bottom-left, bottom-right
    kind = "matrix"


@dataclass(frozen=True)
class ImagesSlide(Slide):
    images: tuple[str, ...] = ()  # absolute paths
    captions: tuple[str, ...] = ()  # one per image, or ()
    kind = "images"


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str  # as written
    unit: str | None = None
    # (caption, change as written, direction: 1 up, -1 down, 0 flat, good: True/False/None)
    deltas: tuple[tuple[str, str, int, bool | None], ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class KpisSlide(Slide):
    kpis: tuple[Kpi, ...] = ()
    value_size: float = 0  # the big numbers, fitted so the longest fits its card
    kind = "kpis"


@dataclass(frozen=True)
class CalloutSlide(Slide):
    text: str = ""
    paras: tuple[Para, ...] = ()
    size: float = 0  # the statement, fitted
    body_size: float = 0  # the bullets below it, fitted
    lines: int = 1  # lines the statement takes at ``size``
    kind = "callout"


def kpi_delta(caption: str, text: str, good: str) -> tuple[str, str, int, bool | None]:
    """A comparison as shown: its direction and whether that direction is good."""
    from .schema import parse_number

    bare = text.replace("pt", "").replace("%", "").replace("−", "-").replace("＋", "+")
    number = parse_number(bare) or 0.0
    direction = 1 if number > 0 else -1 if number < 0 else 0
    ok = None if direction == 0 else (direction > 0) == (good == "up")
    return caption, text, direction, ok


@dataclass(frozen=True)
class Deck:
    title: str
    author: str | None
    date: Date | None
    theme: Theme
    slides: tuple[Slide, ...] = field(default=())
    design: Design = field(default_factory=Design)
    pages: tuple[Page, ...] = ()  # the slides as positioned shapes, set by the fitter


def display_date(text: str | None) -> str | None:
    """Show ISO dates the Japanese way (2025-09-25 → 2025年9月25日); other text as written."""
    parsed = parse_iso_date(text)
    if parsed is None:
        return text
    return f"{parsed.year}年{parsed.month}月{parsed.day}日"


def parse_iso_date(text: str | None) -> Date | None:
    if text is None:
        return None
    try:
        return Date.fromisoformat(text.strip())
    except ValueError:
        return None


def chart_box(content: layout.Box, with_bullets: bool, has_title: bool) -> layout.Box:
    """Where a chart picture goes; the picture is rendered at exactly this size."""
    box = content
    if with_bullets:
        box, _ = box.split_h(0.64)
    if has_title:
        box = box.below(0.45)
    return layout.Box(box.x, box.y, box.w, box.h - layout.SOURCE_H)


def plan_chart(
    spec: ChartSpec,
    data: ChartData,
    with_bullets: bool,
    content: layout.Box = layout.CONTENT,
    render: str | None = None,
) -> PlannedChart:
    box = chart_box(content, with_bullets, spec.title is not None)
    chart = PlannedChart(
        id=spec.id,
        kind=spec.kind,
        title=plain(spec.title) if spec.title else spec.title,
        data=transform(spec, data),
        unit=spec.unit,
        highlight=spec.highlight,
        source=spec.source,
        note=spec.note,
        width=round(box.w, 3),
        height=round(box.h, 3),
        decimals=0 if spec.rebase is not None else None,  # an index reads best whole
        render=render or spec.render or "image",
        **_series_roles(spec, data),
    )
    return dataclasses.replace(chart, alt_text=describe_chart(chart))


def _series_roles(spec: ChartSpec, data: ChartData) -> dict:
    """Which series are lines, on the right-hand axis, dashed: by their names in the data."""
    names = tuple(s.name for s in data.series)

    def named(wanted: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(n for n in (series_named(names, w) for w in wanted) if n is not None)

    if spec.kind == "combo":
        return {
            "lines": named(spec.lines),
            "secondary": named(spec.secondary),
            "unit2": spec.unit2,
            "dashed": named(spec.dashed),
        }
    return {"dashed": named(spec.dashed)}


def describe_chart(chart: PlannedChart, top: int = 3) -> str:
    """Alt text from the data: title, then the largest values (or each series' last value)."""
    kinds = {
        "bar": "棒グラフ",
        "barh": "横棒グラフ",
        "line": "折れ線グラフ",
        "stacked_bar": "積み上げ棒グラフ",
        "combo": "複合グラフ",
        "pie": "円グラフ",
        "donut": "ドーナツグラフ",
    }
    unit = chart.unit or ""
    decimals = value_decimals(chart)  # as the chart's own labels show them

    def shown(v):
        return format_value(v, chart.unit, decimals) + ("" if unit == "%" else unit)

    parts = [f"{kinds[chart.kind]}: {chart.title or chart.id}"]
    cats, series = chart.data.categories, chart.data.series
    if chart.kind == "combo":
        parts.extend(describe_combo(chart))
    elif chart.kind in ("pie", "donut"):
        largest = sorted(pie_shares(chart), key=lambda share: -share[1])[:top]
        parts.extend(f"{c} {p}" + ("" if unit == "%" else f"（{shown(v)}）") for c, v, p in largest)
    elif chart.kind == "line":
        for s in series:
            last = next(
                ((c, v) for c, v in zip(reversed(cats), reversed(s.values)) if v is not None), None
            )
            if last:
                parts.append(f"{s.name} {last[0]}: {shown(last[1])}")
    else:
        totals = [sum(s.values[i] or 0 for s in series) for i in range(len(cats))]
        order = sorted(range(len(cats)), key=lambda i: -totals[i])[:top]
        parts.extend(f"{cats[i]} {shown(totals[i])}" for i in order)
    if chart.source:
        parts.append(plain(chart.source))
    return "。".join(parts[:1]) + "。" + "、".join(parts[1:])


def table_font_size(n_rows: int) -> float:
    """Body size for a table of ``n_rows`` rows including the header."""
    return 18 if n_rows <= 8 else 16 if n_rows <= 11 else 14 if n_rows <= 14 else 12


def cell_em(text: str) -> float:
    """A cell's text in ems as ``text_em`` estimates it, plus LibreOffice's Asian/Latin spaces
    (``fit.AUTOSPACE_EM``), so a column sized to 「2026年12月」 holds it on one line."""
    gaps, _ = autospaces(text)
    return text_em(text) + gaps * AUTOSPACE_EM


def column_widths(
    header: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    total: float,
    size: float,
    cell_margin: float = 0.12,
) -> tuple[float, ...]:
    """Widths that suit the content, in inches summing to ``total``.

    Each column's natural width is its longest text on one line. If all fit, the spare room
    goes to the columns in proportion; if not, columns narrower than an equal share keep
    their natural width and the long ones share what is left, so only long text wraps.
    """
    pad = 2 * cell_margin + 0.1
    natural = [
        max(cell_em(plain(text)) for text in (head, *(r[c] for r in rows))) * size / 72 + pad
        for c, head in enumerate(header)
    ]
    if sum(natural) <= total:
        # Spare room goes to the text columns; an index or number column stays snug.
        wide = [n > 1.5 for n in natural]
        if not any(wide):
            wide = [True] * len(natural)
        spare = total - sum(natural)
        wide_total = sum(n for n, w in zip(natural, wide) if w)
        return tuple(
            round(n + (spare * n / wide_total if w else 0), 4) for n, w in zip(natural, wide)
        )
    share = total / len(natural)
    short = [n if n <= share else None for n in natural]
    rest = total - sum(n for n in short if n is not None)
    long_total = sum(n for n, s in zip(natural, short) if s is None)
    return tuple(
        round(s if s is not None else n / long_total * rest, 4) for n, s in zip(natural, short)
    )


def is_numeric_column(rows: tuple[tuple[str, ...], ...], column: int) -> bool:
    from .schema import parse_number

    cells = [plain(r[column]) for r in rows if r[column].strip()]
    return bool(cells) and all(parse_number(c.rstrip("%")) is not None for c in cells)


_ALIGN = {"left": "l", "right": "r", "center": "ctr"}
#: Starting size of a table beside or below a chart (the fitter shrinks it to 10 pt).
COMPACT_TABLE_SIZE = 14


def table_row_estimate(size: float) -> float:
    """Height of a one-line table row at ``size`` (as fitplan.row_height measures it)."""
    return size * 1.2 / 72 + 2 * layout.CELL_MARGIN_Y + 0.08


def _chart_table_slide(spec, outline, data, common, content, charts) -> ChartSlide:
    """A chart with a compact table: beside it when the table's natural width fits the
    right-hand 36 %, else below it across the whole width (the chart gets shorter)."""
    assert spec.chart is not None and spec.table is not None
    header = tuple(plain(h) for h in spec.table.header)
    rows = tuple(r.cells for r in spec.table.rows)
    size = COMPACT_TABLE_SIZE
    pad = 2 * 0.12 + 0.1  # as column_widths
    natural = sum(
        max(cell_em(plain(t)) for t in (head, *(r[c] for r in rows))) * size / 72 + pad
        for c, head in enumerate(header)
    )
    side = layout.chart_side(content)[1]
    below = natural > side.w
    if below:
        table_h = (len(rows) + 1) * table_row_estimate(size) + 0.2
        # The chart keeps at least half the area; the fitter shrinks a taller table.
        table_h = min(table_h, content.h / 2)
        chart_area = layout.Box(content.x, content.y, content.w, content.h - table_h)
        chart = plan_chart(outline.charts[spec.chart], data[spec.chart], False, chart_area, charts)
        widths = column_widths(header, rows, content.w, size)
    else:
        chart = plan_chart(outline.charts[spec.chart], data[spec.chart], True, content, charts)
        widths = column_widths(header, rows, side.w, size)
    table = CompactTable(
        header=header,
        rows=rows,
        widths=widths,
        numeric=tuple(is_numeric_column(rows, c) for c in range(len(header))),
        size=size,
        below=below,
        **_table_styles(spec.table, header),
    )
    return ChartSlide(**common, chart=chart, table=table)


def _table_styles(table, header: tuple[str, ...]) -> dict:
    """`align:` and `colors:` of a table, per column (validated by the outline)."""
    out: dict = {}
    if table.align is not None:
        out["aligns"] = tuple(_ALIGN[a] for a in table.align)
    if table.colors:
        by_column = {entry.column: entry.colors for entry in table.colors}
        out["cell_colors"] = tuple(by_column.get(h, ()) for h in header)
    return out


def _content_slide(
    spec: SlideSpec,
    outline: Outline,
    data: dict[str, ChartData],
    common: dict,
    design: Design,
    charts: str | None = None,
) -> Slide:
    paras = bullets_to_paras(spec.bullets)
    kind = spec.content_keys[0] if spec.content_keys else "bullets"
    common = dict(common, layout=design.layout_for(kind, spec.layout))
    content = design.frame(common["layout"], kind).content
    if spec.chart is not None and spec.table is not None:
        return _chart_table_slide(spec, outline, data, common, content, charts)
    if spec.chart is not None:
        chart = plan_chart(
            outline.charts[spec.chart], data[spec.chart], bool(paras), content, charts
        )
        return ChartSlide(**common, chart=chart, paras=paras)
    if spec.table is not None:
        # Header cells are bold anyway; body cells keep their markup, parsed into runs by
        # the fitter and the writer alike (cell_runs).
        header = tuple(plain(h) for h in spec.table.header)
        rows = tuple(r.cells for r in spec.table.rows)
        size = table_font_size(len(rows) + 1)
        # With takeaways the table takes the left of the area, as a chart does.
        area = layout.chart_side(content)[0] if paras else content
        return TableSlide(
            **common,
            header=header,
            rows=rows,
            size=size,
            widths=column_widths(header, rows, area.w, size),
            paras=paras,
            numeric=tuple(is_numeric_column(rows, c) for c in range(len(header))),
            **_table_styles(spec.table, header),
        )
    if spec.columns is not None:
        cols = tuple(
            Column(plain(c.heading) if c.heading else c.heading, bullets_to_paras(c.bullets))
            for c in spec.columns
        )
        return ColumnsSlide(**common, columns=cols)
    if spec.quote is not None:
        return QuoteSlide(**common, quote=spec.quote, by=spec.by)
    if spec.image is not None:
        image = str((outline.base_dir / spec.image).resolve())
        return ImageSlide(**common, image=image, caption=spec.caption)
    if spec.kpis is not None:
        kpis = tuple(
            Kpi(
                plain(k.label),
                k.value,
                k.unit,
                tuple(
                    kpi_delta(caption, text, k.good)
                    for caption, text in (("計画比", k.vs_plan), ("前年比", k.vs_last_year))
                    if text is not None
                ),
                k.note,
            )
            for k in spec.kpis
        )
        return KpisSlide(**common, kpis=kpis)
    if spec.callout is not None:
        return CalloutSlide(**common, text=spec.callout, paras=paras)
    if spec.flow is not None:
        steps = tuple(
            FlowStep(plain(b.text), tuple(Para(parse_inline(d)) for d in b.children))
            for b in spec.flow
        )
        return FlowSlide(**common, steps=steps, paras=paras)
    if spec.timeline is not None:
        return plan_timeline(common, spec.timeline)
    if spec.images is not None:
        return ImagesSlide(
            **common,
            images=tuple(str((outline.base_dir / i).resolve()) for i in spec.images),
            captions=spec.captions or (),
        )
    if spec.matrix is not None:
        quadrants = tuple(
            Column(plain(q.heading) if q.heading else q.heading, bullets_to_paras(q.bullets))
            for q in spec.matrix.quadrants
        )
        return MatrixSlide(
            **common,
            x=tuple(plain(t) for t in spec.matrix.x),
            y=tuple(plain(t) for t in spec.matrix.y),
            quadrants=quadrants,
        )
    return BulletsSlide(**common, paras=paras)


def plan_deck(
    outline: Outline,
    data: dict[str, ChartData],
    design: Design | None = None,
    theme: Theme | None = None,
    charts: str | None = None,
) -> Deck:
    """Turn a validated outline and its loaded data into the slides to write.

    ``charts`` ("image" or "native") overrides every chart's own ``render:``.
    """
    design = design or Design()
    theme = theme or resolve_theme(outline.theme, base_dir=outline.base_dir)
    numbers = theme.slide_numbers
    slides: list[Slide] = [
        TitleSlide(
            number=1,
            title=plain(outline.title),
            notes=outline.notes,
            show_number=False,
            subtitle=outline.subtitle,
            author=outline.author,
            date=display_date(outline.date),
            layout=design.layout_for("title"),
            source=outline.where.get("title", outline.pos),
            path="title",
        )
    ]
    footer = outline.footer if outline.footer is not None else theme.footer
    from .outline import AgendaSpec  # the outline's classes: not for a process only writing

    agenda = outline.agenda
    repeat = isinstance(agenda, AgendaSpec) and agenda.repeat
    if isinstance(agenda, AgendaSpec):
        agenda = agenda.title or True
    agenda_title = plain(agenda) if isinstance(agenda, str) else "アジェンダ"
    # With repeat, the agenda before the first section (marking it) is the opening agenda:
    # an unmarked one just before it would show the same list twice in a row.
    if outline.sections and agenda is not False and not repeat:  # a cut may leave none
        slides.append(
            AgendaSlide(
                number=len(slides) + 1,
                title=agenda_title,
                footer=footer,
                show_number=numbers,
                layout=design.layout_for("agenda"),
                source=outline.where.get("agenda"),
                path="agenda",
                items=tuple(s.title for s in outline.sections),
            )
        )
    if outline.sections is not None:
        for index, section in enumerate(outline.sections, start=1):
            if repeat:
                slides.append(
                    AgendaSlide(
                        number=len(slides) + 1,
                        title=agenda_title,
                        footer=footer,
                        section=section.title,
                        show_number=numbers,
                        layout=design.layout_for("agenda"),
                        source=section.pos,
                        path=f"sections[{index - 1}]",
                        notes=None if outline.dividers else section.notes,
                        items=tuple(s.title for s in outline.sections),
                        current=index,
                    )
                )
            if outline.dividers:
                slides.append(
                    SectionSlide(
                        number=len(slides) + 1,
                        title=plain(section.title),
                        notes=section.notes,
                        index=index,
                        section=section.title,
                        show_number=numbers,
                        layout=design.layout_for("section", section.layout),
                        source=section.pos,
                        path=f"sections[{index - 1}]",
                    )
                )
            for j, spec in enumerate(section.slides):
                common = dict(
                    number=len(slides) + 1,
                    title=plain(spec.title or section.title),
                    notes=spec.notes,
                    footer=footer,
                    section=section.title,
                    show_number=numbers,
                    source=spec.pos,
                    path=f"sections[{index - 1}].slides[{j}]",
                )
                slides.append(_content_slide(spec, outline, data, common, design, charts))
    else:
        for j, spec in enumerate(outline.slides or ()):
            common = dict(
                number=len(slides) + 1,
                title=plain(spec.title or ""),
                notes=spec.notes,
                footer=footer,
                show_number=numbers,
                source=spec.pos,
                path=f"slides[{j}]",
            )
            slides.append(_content_slide(spec, outline, data, common, design, charts))
    return Deck(
        title=plain(outline.title),
        author=plain(outline.author) if outline.author else outline.author,
        date=parse_iso_date(outline.date),
        theme=theme,
        slides=tuple(slides),
        design=design,
    )
