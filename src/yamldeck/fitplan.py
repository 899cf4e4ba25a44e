"""Make every planned box fit: shrink in 1 pt steps to a floor, then split or paginate.

A pass over the planned deck (pure, given font metrics). Bullet slides that do not fit at
the floor continue on 「…（続き）」 slides, split between top-level bullets; tables repeat
their header on each page, titled (1/2), (2/2). Every bullet and row appears once, in
order. Each box that was shrunk or split is reported as a note; what still cannot fit, as
a warning with the numbers.
"""

from __future__ import annotations

import dataclasses
import math

from . import layout
from .deck import (
    AgendaSlide,
    BulletsSlide,
    CalloutSlide,
    ChartSlide,
    ColumnsSlide,
    Deck,
    FlowSlide,
    ImageSlide,
    KpisSlide,
    Para,
    QuoteSlide,
    Run,
    Slide,
    TableSlide,
    TitleSlide,
    footer_runs,
    parse_inline,
    plain,
    quote_runs,
)
from .errors import Diagnostic, Pos, Severity
from .fit import (
    BRACKET_HANG,
    OPENING,
    Metrics,
    TextBlock,
    bracket_break,
    height_of,
    line_width,
    orphan_break,
    phrase_lines,
    wrap,
)
from .layout import BULLET_LEVELS, Box
from .measure import break_label
from .place import (
    CALLOUT_FLOOR,
    CALLOUT_MAX_LINES,
    CALLOUT_SIZE,
    KPI_BAR,
    callout_boxes,
    chart_table_area,
    kpi_cards,
    kpi_stack,
    kpi_text_width,
    place_deck,
    replace_size,
)
from .shapes import (
    EMU_PER_INCH,
    Autoshape,
    Page,
    Placeholder,
    Rect,
    TextBox,
    TextFrame,
    text_frames,
)

TITLE_LINE = 1.1
TABLE_FLOOR = 12
#: A table beside or below a chart may go this small before it is reported.
COMPACT_TABLE_FLOOR = 10
#: A KPI value's largest size by the number of KPIs on the slide (points) …
KPI_VALUE_SIZES = (80, 66, 60, 54, 48, 48)
#: … and its smallest: below this a number is no longer "big".
KPI_VALUE_FLOOR = 24


#: A short list, whose text fills less than SHORT_LIST_FILL of its area at its fitted size,
#: is set larger: at most SHORT_LIST_GROW times that size, never onto more lines and never
#: past the fill share; then (in a body area, not in a panel sized to its text) the space
#: between its top-level bullets grows, at most SHORT_LIST_GAP times the size, until the
#: text fills that share. The list stays top-aligned under the title.
SHORT_LIST_GROW = 1.3
SHORT_LIST_FILL = 0.65
SHORT_LIST_GAP = 1.0
#: A takeaways panel beside a chart is as tall as its text plus this (inches): the text
#: box's padding (0.2 + 0.2) and insets (0.05 + 0.05) and a little air.
PANEL_PAD = 0.6
#: Bullets under a callout grow to at most this many points below the statement.
CALLOUT_BODY_STEP = 4


def bullet_blocks(paras: tuple[Para, ...], size: float, gap: float = 0.0) -> list[TextBlock]:
    """The paragraphs as the writer sets them (see place.bullet_paragraphs); ``gap`` points
    more space before each top-level bullet but the first."""
    lone = len(paras) == 1
    blocks = []
    for i, para in enumerate(paras):
        indent, smaller, line, before = BULLET_LEVELS[min(para.level, 1)]
        s = size - smaller
        extra = gap if i and para.level == 0 else 0.0
        blocks.append(TextBlock.of(para.runs, s, line, 0.0 if lone else indent, s * before + extra))
    return blocks


def template_bullet_blocks(paras: tuple[Para, ...], size: float, text) -> list[TextBlock]:
    """Paragraphs in a template's body placeholder, set by its master's body style."""
    delta = text.body_sizes[0] - text.body_sizes[1]
    blocks = []
    for para in paras:
        level = min(para.level, 1)
        s = size - (delta if level else 0)
        before = s * text.space_before[0] + text.space_before[1]
        blocks.append(TextBlock.of(para.runs, s, 1.2 * text.line, text.body_margins[level], before))
    return blocks


def row_height(
    cells: tuple[str, ...], widths: tuple[float, ...], size: float, bold: bool, metrics: Metrics
) -> float:
    """Tall enough for the most-wrapped cell, plus the cell margins (inches)."""
    lines = 1
    for text, w in zip(cells, widths):
        block = TextBlock.of(parse_inline(text), size, 1.2, bold=bold)
        lines = max(lines, height_of([block], w - 2 * layout.CELL_MARGIN_X, metrics)[1])
    return lines * size * 1.2 / 72 + 2 * layout.CELL_MARGIN_Y + 0.08


class Fitter:
    def __init__(self, deck: Deck, metrics: Metrics):
        self.deck = deck
        self.theme = deck.theme
        self.metrics = metrics
        self.templated = deck.design.template is not None
        self.diagnostics: list[Diagnostic] = []

    # ------------------------------------------------------------------ reporting

    def report(self, slide: Slide, severity: Severity, message: str) -> None:
        pos = slide.source or Pos("(deck)")
        self.diagnostics.append(
            Diagnostic(
                Pos(pos.file, pos.line),
                f"slide {slide.number} 「{slide.title}」: {message}",
                slide.path,
                "",
                severity,
            )
        )

    def shrink(
        self, slide: Slide, what: str, make, box: Box, start: float, floor: float
    ) -> tuple[float, bool]:
        """Largest size from ``start`` down to ``floor`` at which the blocks fit ``box``."""
        size = start
        while True:
            height, _ = height_of(make(size), box.w, self.metrics)
            if height <= box.h + 1e-6:
                if size < start:
                    self.report(
                        slide, Severity.NOTE, f"{what} shrunk from {start:g} to {size:g} pt to fit"
                    )
                return size, True
            if size - 1 < floor:
                break
            size -= 1
        blocks = make(floor)
        _, needed = height_of(blocks, box.w, self.metrics)
        line_pt = max(b.size * b.line for b in blocks) if blocks else floor
        holds = max(0, math.floor(box.h * 72 / line_pt))
        self.report(
            slide,
            Severity.WARNING,
            f"{what} needs {needed} lines, box holds {holds} at {floor:g} pt",
        )
        return floor, False

    def grow_short(
        self,
        paras: tuple[Para, ...],
        size: float,
        box: Box,
        spread: bool = True,
        most: float = math.inf,
        fill: float = SHORT_LIST_FILL,
    ) -> tuple[float, float]:
        """(size, gap) for a list fitted at ``size`` in ``box``: larger (never above
        ``most``) and, with ``spread``, with more space between its bullets when its text
        fills less than ``fill`` of the box (see SHORT_LIST_GROW); ``(size, 0)`` when it
        already fills its share. A panel sized to its text passes ``fill=1``."""
        target = fill * box.h

        def measure(z: float, gap: float = 0.0) -> tuple[float, int]:
            return height_of(bullet_blocks(paras, z, gap), box.w, self.metrics)

        height, lines = measure(size)
        if not paras or height >= target:
            return size, 0.0
        best = size
        for z in range(int(size) + 1, math.floor(min(size * SHORT_LIST_GROW, most)) + 1):
            got, count = measure(z)
            if count != lines or got > target + 1e-6:
                break
            best = float(z)
        gaps = sum(1 for i, p in enumerate(paras) if i and p.level == 0)
        if not spread or not gaps:
            return best, 0.0
        room = (target - measure(best)[0]) * 72 / gaps
        gap = float(math.floor(min(SHORT_LIST_GAP * best, max(0.0, room))))
        return best, gap

    # ------------------------------------------------------------------ small boxes

    def line_size(
        self,
        slide: Slide,
        what: str,
        text: str | tuple[Run, ...],
        width: float,
        sizes: tuple[float, ...],
        max_lines: int = 1,
        bold: bool = True,
    ) -> float:
        """The first of ``sizes`` at which ``text`` (a string, or runs as the writer sets
        them) takes at most ``max_lines`` lines."""
        runs = (Run(text),) if isinstance(text, str) else text
        chars = [(c, bold or run.bold) for run in runs for c in run.text]
        for size in sizes:
            lines = len(wrap(chars, size, width * 72, self.metrics))
            if lines <= max_lines:
                if size < sizes[0]:
                    self.report(
                        slide,
                        Severity.NOTE,
                        f"{what} shrunk from {sizes[0]:g} to {size:g} pt to fit",
                    )
                return size
        self.report(
            slide,
            Severity.WARNING,
            f"{what} needs {lines} lines, box holds {max_lines} at {sizes[-1]:g} pt",
        )
        return sizes[-1]

    def phrase_title(
        self, slide: Slide, width: float, one_line: tuple[float, ...], two_lines: tuple[float, ...]
    ) -> Slide:
        """A big title on one line if it fits, else on two, broken between phrases."""
        size, lines, ok = self._title_lines(
            slide.title, width, one_line, two_lines, lambda lines, _size: len(lines) <= 2
        )
        if not ok:
            self.report(
                slide,
                Severity.WARNING,
                f"title needs {len(lines)} lines, box holds 2 at {size:g} pt",
            )
        if size < one_line[0]:
            self.report(slide, Severity.NOTE, f"title shrunk from {one_line[0]:g} to {size:g} pt")
        return dataclasses.replace(slide, title_size=size, title_lines=tuple(lines))

    def _title_lines(self, title: str, width: float, one_line, more_lines, fits):
        """(size, lines, fitted): one line as large as it fits, else lines broken between
        phrases at the largest of ``more_lines`` for which ``fits(lines, size)``."""
        for size in one_line:
            if len(phrase_lines(title, size, width, metrics=self.metrics)) == 1:
                return size, [title], True
        for size in more_lines:
            lines = phrase_lines(title, size, width, metrics=self.metrics)
            if fits(lines, size):
                return size, lines, True
        return size, lines, False

    def fit_small_boxes(self, slide: Slide) -> Slide:
        """Title-slide and section titles, agenda lines, chart titles and source lines,
        column headings and flow labels (geometry as in writer/slides.py)."""
        frame = self.deck.design.frame(slide.layout, slide.kind)
        content = frame.content
        if self.templated and slide.kind in ("title", "section"):
            return slide
        sizes: dict[str, float] = {}
        boxes = dict(frame.footer_boxes)
        if self.templated and slide.footer and slide.section and "ftr" in boxes:
            # A footer placeholder too small for the footer and the section name shows the
            # footer alone, at the template's size.
            box = layout.inner(boxes["ftr"])
            block = TextBlock.of(footer_runs(slide.footer, slide.section), frame.footer_size, 1.2)
            if height_of([block], box.w, self.metrics)[0] > box.h + 1e-6:
                sizes["footer_only"] = 1
                self.report(
                    slide,
                    Severity.NOTE,
                    "the footer placeholder holds the footer without the section name",
                )
        if isinstance(slide, TitleSlide):
            return self.phrase_title(slide, 11.4, (40, 38, 36, 34, 32), tuple(range(36, 19, -2)))
        if slide.kind == "section":
            return self.phrase_title(slide, 11.2, (36, 34, 32), tuple(range(36, 23, -2)))
        if isinstance(slide, AgendaSlide):
            n = len(slide.items)
            cols = 1 if n <= 7 else 2
            per_col = max(1, -(-n // cols))
            row_h = min(0.68, content.h / per_col)
            width = content.columns(cols, gap=0.5)[0].w - 1.0
            lines = max(1, int(row_h * 72 // (22 * 1.1)))
            sizes["item"] = min(
                self.line_size(
                    slide,
                    f"agenda line 「{plain(item)}」",
                    parse_inline(item),
                    width,
                    tuple(range(22, 13, -1)),
                    lines,
                    bold=False,
                )
                for item in slide.items
            )
        if isinstance(slide, ChartSlide) and slide.chart is not None:
            beside = slide.paras or (slide.table is not None and not slide.table.below)
            area = layout.chart_side(content)[0] if beside else content
            chart = slide.chart
            if chart.title:
                sizes["chart_title"] = self.line_size(
                    slide, "chart title", chart.title, area.w, (16, 15, 14, 13, 12)
                )
            source = plain(chart.source or "") + (f"　※ {plain(chart.note)}" if chart.note else "")
            if source:
                sizes["source"] = self.line_size(
                    slide, "source line", source, area.w, (11, 10, 9), 2
                )
        if isinstance(slide, ColumnsSlide):
            n = len(slide.columns)
            size = slide.size or layout.columns_size(self.theme.body_size, n)
            headed = any(c.heading for c in slide.columns)
            head_h = layout.COLUMN_HEAD_H if headed else 0.0
            text_w = layout.inner(layout.column_boxes(content, n, headed)[0][1]).w
            needed = max(
                height_of(bullet_blocks(c.paras, size), text_w, self.metrics)[0]
                for c in slide.columns
            )
            # Panels as tall as the tallest column's text, with air; never past the area.
            sizes["panel"] = min(max(needed + 0.5, 2.2), content.h - head_h)
            boxes = layout.column_boxes(content, len(slide.columns), True)  # type: ignore[assignment]
            top = int(slide.size or self.theme.body_size) + 2
            heads = [c.heading for c in slide.columns if c.heading]
            if heads:
                sizes["heading"] = min(
                    self.line_size(
                        slide,
                        f"column heading 「{h}」",
                        h,
                        boxes[0][0].w - 0.3,  # type: ignore[index]
                        tuple(range(top, 11, -1)),
                    )
                    for h in heads
                )
        if isinstance(slide, FlowSlide):
            n = len(slide.steps)
            base = layout.flow_label_size(n)
            steps, _, _ = layout.flow_boxes(content, n, False, False)
            width = steps[0].w - 2 * 0.28 * layout.CHEVRON_H - 0.15
            labels = []
            for i, step in enumerate(slide.steps):
                label = step.label
                one = (base, base - 1, base - 2)
                if any(
                    len(wrap([(c, True) for c in label], s, width * 72, self.metrics)) == 1
                    for s in one
                ):
                    size = self.line_size(slide, f"step 「{label}」", label, width, one)
                else:
                    label = break_label(label)
                    size = self.line_size(
                        slide,
                        f"step 「{step.label}」",
                        label,
                        width,
                        tuple(range(base, base - 7, -1)),
                        2,
                    )
                labels.append(label)
                sizes[f"label{i}"] = size
            slide = dataclasses.replace(slide, labels=tuple(labels))
        if not sizes:
            return slide
        return dataclasses.replace(slide, sizes=(*slide.sizes, *sizes.items()))

    # ------------------------------------------------------------------ titles

    def fit_title(self, slide: Slide) -> Slide:
        t = self.theme
        frame = self.deck.design.frame(slide.layout, slide.kind)
        if self.templated:
            text = self.deck.design.text
            if frame.title is None or text is None:
                return slide
            box = layout.inner(frame.title, layout.INSET)
            # The layout's own title size; never larger, smaller only when it must.
            start = frame.title_size or text.title_size
            fitted = self._fit_title(slide, box, start, min(t.min_title_size, start))
            if fitted.title_size == start:
                fitted = dataclasses.replace(fitted, title_size=0)
            if len(fitted.title_lines) == 1:
                fitted = dataclasses.replace(fitted, title_lines=())
            return fitted
        if isinstance(slide, TitleSlide) or slide.kind == "section":
            return slide
        box = layout.inner(frame.title or layout.TITLE, layout.TITLE_INSET)
        if t.logo and t.logo_corner.startswith("top"):
            box = Box(box.x, box.y, box.w - t.logo_width - 0.3, box.h)
        return self._fit_title(slide, box, t.title_size, min(t.min_title_size, t.title_size))

    def _fit_title(self, slide: Slide, box: Box, start: float, floor: float) -> Slide:
        sizes = [start - i for i in range(int(start - floor) + 1)]
        # A template's title keeps its size on two lines before it gets smaller on one.
        one_line = sizes[:1] if self.templated else sizes
        size, lines, ok = self._title_lines(
            slide.title,
            box.w,
            one_line,
            sizes,
            lambda lines, size: len(lines) * size * TITLE_LINE <= box.h * 72 + 1e-6,
        )
        if not ok:
            holds = math.floor(box.h * 72 / (size * TITLE_LINE))
            self.report(
                slide,
                Severity.WARNING,
                f"title needs {len(lines)} lines, box holds {holds} at {size:g} pt",
            )
        if size < start:
            self.report(slide, Severity.NOTE, f"title shrunk from {start:g} to {size:g} pt")
        return dataclasses.replace(slide, title_size=size, title_lines=tuple(lines))

    # ------------------------------------------------------------------ bodies

    def fit(self, slide: Slide) -> list[Slide]:
        content = self.deck.design.frame(slide.layout, slide.kind).content
        t = self.theme
        floor = t.min_body_size
        if isinstance(slide, BulletsSlide):
            text = self.deck.design.text
            if (
                self.templated
                and self.deck.design.frame(slide.layout, slide.kind).body_idx is not None
            ):
                if text is None:
                    return [slide]
                fitted = self.fit_bullets(
                    slide,
                    layout.inner(content),
                    text.body_sizes[0],
                    lambda paras, size: template_bullet_blocks(paras, size, text),
                )
                # Text that fits at the template's own size keeps the template's sizes.
                return [
                    dataclasses.replace(s, size=0) if s.size == text.body_sizes[0] else s  # type: ignore[attr-defined,call-arg]
                    for s in fitted
                ]
            fitted = self.fit_bullets(
                slide, layout.inner(content), self.theme.body_size, bullet_blocks
            )
            return self.grow_bullets(fitted, layout.inner(content))
        if isinstance(slide, ChartSlide) and slide.table is not None:
            return [self.fit_chart_table(slide, content)]
        if isinstance(slide, ChartSlide) and slide.paras:
            box = layout.inner(layout.chart_side(content)[2])
            start = layout.takeaways_size(t.body_size)
            size, _ = self.shrink(
                slide,
                "takeaways",
                lambda s: bullet_blocks(slide.paras, s),
                box,
                start,
                min(floor, start),
            )
            return [self.chart_panel(dataclasses.replace(slide, size=size), box)]
        if isinstance(slide, ColumnsSlide):
            n = len(slide.columns)
            start = layout.columns_size(t.body_size, n)
            headed = any(c.heading for c in slide.columns)
            boxes = layout.column_boxes(content, n, headed)
            size = start
            for col, (_, text_box) in zip(slide.columns, boxes):
                got, _ = self.shrink(
                    slide,
                    f"column 「{col.heading or ''}」",
                    lambda s, c=col: bullet_blocks(c.paras, s),
                    layout.inner(text_box),
                    start,
                    min(floor, start),
                )
                size = min(size, got)
            return [dataclasses.replace(slide, size=size)]
        if isinstance(slide, QuoteSlide):
            box = layout.inner(layout.quote_box(content))
            size, _ = self.shrink(
                slide,
                "quote",
                lambda s: [TextBlock.of(quote_runs(slide.quote), s, 1.35, bold=True)],
                box,
                layout.QUOTE_SIZE,
                min(floor, layout.QUOTE_SIZE),
            )
            return [dataclasses.replace(slide, size=size)]
        if isinstance(slide, FlowSlide):
            return [self.fit_flow(slide, content)]
        if isinstance(slide, KpisSlide):
            return [self.fit_kpis(slide, content)]
        if isinstance(slide, CalloutSlide):
            return [self.fit_callout(slide, content)]
        if isinstance(slide, ImageSlide) and slide.caption:
            box = layout.inner(layout.caption_box(content))
            size, _ = self.shrink(
                slide,
                "caption",
                lambda s: [TextBlock.of(parse_inline(slide.caption or ""), s, 1.2)],
                box,
                14,
                10,
            )
            return [dataclasses.replace(slide, caption_size=size)]
        if isinstance(slide, TableSlide):
            return self.fit_table(slide, content)
        return [slide]

    def grow_bullets(self, fitted: list[Slide], box: Box) -> list[Slide]:
        """A bullet slide that is not split, set larger and spaced out when it is short."""
        if len(fitted) != 1 or not isinstance(fitted[0], BulletsSlide):
            return fitted
        slide = fitted[0]
        size, gap = self.grow_short(slide.paras, slide.size or self.theme.body_size, box)
        sizes = (*slide.sizes, ("gap", gap)) if gap else slide.sizes
        return [dataclasses.replace(slide, size=size, sizes=sizes)]

    def chart_panel(self, slide: ChartSlide, box: Box) -> ChartSlide:
        """Takeaways beside a chart: larger when short, in a panel as tall as their text
        (top-aligned with the chart's area), never taller than the area."""
        size, _ = self.grow_short(slide.paras, slide.size, box, spread=False, fill=1.0)
        needed, _ = height_of(bullet_blocks(slide.paras, size), box.w, self.metrics)
        side = layout.chart_side(self.deck.design.frame(slide.layout, slide.kind).content)[1]
        panel_h = min(side.h, needed + PANEL_PAD)
        return dataclasses.replace(slide, size=size, sizes=(*slide.sizes, ("panel_h", panel_h)))

    def fit_kpis(self, slide: KpisSlide, content: Box) -> KpisSlide:
        """The largest value size at which every value fits its card on one line and every
        card's stack fits its height (the same size on every card, so they compare)."""
        cards = kpi_cards(content, len(slide.kpis))
        start = KPI_VALUE_SIZES[min(len(slide.kpis), len(KPI_VALUE_SIZES)) - 1]
        sizes = tuple(float(x) for x in range(start, KPI_VALUE_FLOOR - 1, -2))
        card = cards[0]
        tall = [
            z
            for z in sizes
            if all(
                sum(h for _, h in kpi_stack(k, z)) <= card.h - KPI_BAR + 1e-6 for k in slide.kpis
            )
        ] or [sizes[-1]]
        size = self.kpi_value_size(slide, kpi_text_width(card), tuple(tall))
        return dataclasses.replace(slide, value_size=size)

    def kpi_value_size(self, slide: KpisSlide, width: float, sizes: tuple[float, ...]) -> float:
        """The first of ``sizes`` at which every value, measured as set (bold, with the
        space between Japanese and Latin text), fits ``width`` inches on one line."""

        def widest(z: float) -> float:
            return max(
                line_width([(c, True) for c in k.value], z, self.metrics) for k in slide.kpis
            )

        for z in sizes:
            if widest(z) <= width * 72 + 1e-6:
                if z < sizes[0]:
                    self.report(
                        slide,
                        Severity.NOTE,
                        f"KPI value shrunk from {sizes[0]:g} to {z:g} pt to fit",
                    )
                return z
        self.report(
            slide,
            Severity.WARNING,
            f"a KPI value needs {widest(sizes[-1]) / 72:.2f} in, its card holds {width:.2f} in "
            f"at {sizes[-1]:g} pt",
        )
        return sizes[-1]

    def fit_callout(self, slide: CalloutSlide, content: Box) -> CalloutSlide:
        """The statement as large as it fits in at most CALLOUT_MAX_LINES lines, then the
        bullets in what is left below it."""
        _, text_box, _ = callout_boxes(content, CALLOUT_SIZE, 1)
        width = text_box.w - 0.2
        chars = [(c, True) for r in parse_inline(slide.text) for c in r.text]
        sizes = tuple(float(x) for x in range(CALLOUT_SIZE, CALLOUT_FLOOR - 1, -2))

        def lines_at(z: float) -> int:
            return len(wrap(chars, z, width * 72, self.metrics))

        # One line if it holds at no less than 8 pt under the largest size, else as large
        # as it goes on two lines, then on three.
        size = sizes[-1]
        lines = lines_at(size)
        for want, floor in ((1, CALLOUT_SIZE - 8), (2, CALLOUT_FLOOR), (3, CALLOUT_FLOOR)):
            got = next((z for z in sizes if z >= floor and lines_at(z) <= want), None)
            if got is not None and want <= CALLOUT_MAX_LINES:
                size, lines = got, lines_at(got)
                break
        else:
            self.report(
                slide,
                Severity.WARNING,
                f"callout needs {lines} lines, its box holds {CALLOUT_MAX_LINES} at {size:g} pt",
            )
        if size < CALLOUT_SIZE:
            self.report(slide, Severity.NOTE, f"callout shrunk from {CALLOUT_SIZE} to {size:g} pt")
        slide = dataclasses.replace(slide, size=size, lines=lines)
        if not slide.paras:
            return slide
        _, _, body = callout_boxes(content, size, lines)
        start = self.theme.body_size
        body_size, _ = self.shrink(
            slide,
            "bullets",
            lambda z: bullet_blocks(slide.paras, z),
            layout.inner(body),
            start,
            min(self.theme.min_body_size, start),
        )
        # Clearly smaller than the statement above it, so the hierarchy reads.
        grown, gap = self.grow_short(
            slide.paras, body_size, layout.inner(body), most=size - CALLOUT_BODY_STEP
        )
        spaced = (*slide.sizes, ("gap", gap)) if gap else slide.sizes
        return dataclasses.replace(slide, body_size=grown, sizes=spaced)

    def fit_flow(self, slide: FlowSlide, content: Box) -> FlowSlide:
        has_details = any(step.details for step in slide.steps)
        _, details, body = layout.flow_boxes(
            content, len(slide.steps), has_details, bool(slide.paras)
        )
        start = layout.flow_label_size(len(slide.steps))
        size = start - 2
        for step, box in zip(slide.steps, details):
            if step.details:
                got, _ = self.shrink(
                    slide,
                    f"details of 「{step.label}」",
                    lambda s, p=step.details: bullet_blocks(p, s),
                    layout.inner(box),
                    start - 2,
                    10,
                )
                size = min(size, got)  # type: ignore[assignment]
        body_size = layout.takeaways_size(self.theme.body_size)
        if body is not None:
            body_size, _ = self.shrink(
                slide,
                "body",
                lambda s: bullet_blocks(slide.paras, s),
                layout.inner(body),
                body_size,
                min(self.theme.min_body_size, body_size),
            )
        return dataclasses.replace(slide, size=size, body_size=body_size)

    def fit_bullets(self, slide: BulletsSlide, box: Box, start: float, blocks) -> list[Slide]:
        floor = min(self.theme.min_body_size, start)

        def fits(paras: tuple[Para, ...], size: float) -> bool:
            return height_of(blocks(paras, size), box.w, self.metrics)[0] <= box.h + 1e-6

        for size in range(int(start), int(floor) - 1, -1):
            if fits(slide.paras, size):
                if size < start:
                    self.report(
                        slide, Severity.NOTE, f"body shrunk from {start:g} to {size:g} pt to fit"
                    )
                return [dataclasses.replace(slide, size=size)]
        groups: list[tuple[Para, ...]] = []
        for para in slide.paras:
            if para.level == 0 or not groups:
                groups.append((para,))
            else:
                groups[-1] += (para,)
        chunks: list[tuple[Para, ...]] = []
        for group in groups:
            if chunks and fits(chunks[-1] + group, floor):
                chunks[-1] += group
            else:
                chunks.append(group)
        size = min(  # type: ignore[assignment]
            next((s for s in range(int(start), int(floor) - 1, -1) if fits(c, s)), floor)
            for c in chunks
        )
        for chunk in chunks:
            if not fits(chunk, floor):
                _, needed = height_of(blocks(chunk, floor), box.w, self.metrics)
                holds = math.floor(box.h * 72 / (floor * BULLET_LEVELS[0][2]))
                self.report(
                    slide,
                    Severity.WARNING,
                    f"body needs {needed} lines, box holds {holds} at {floor:g} pt",
                )
        if len(chunks) > 1:
            self.report(
                slide, Severity.NOTE, f"body split onto {len(chunks)} slides at {size:g} pt"
            )
        return [
            dataclasses.replace(
                slide,
                paras=chunk,
                size=size,
                title=slide.title if i == 0 else f"{slide.title}（続き）",
                notes=slide.notes if i == 0 else None,
            )
            for i, chunk in enumerate(chunks)
        ]

    def fit_chart_table(self, slide: ChartSlide, content: Box) -> ChartSlide:
        """The compact table of a chart slide, shrunk until it fits its area (no pages:
        a chart's table is a summary; one that cannot fit is reported)."""
        table, chart = slide.table, slide.chart
        assert table is not None and chart is not None
        area = chart_table_area(content, chart, table)
        size = start = table.size
        while True:
            heights = [row_height(table.header, table.widths, size, True, self.metrics)] + [
                row_height(r, table.widths, size, False, self.metrics) for r in table.rows
            ]
            if sum(heights) <= area.h + 1e-6 or size - 1 < COMPACT_TABLE_FLOOR:
                break
            size -= 1
        if sum(heights) > area.h + 1e-6:
            self.report(
                slide,
                Severity.WARNING,
                f"the table beside the chart needs {sum(heights):.2f} in, "
                f"its area holds {area.h:.2f} in at {size:g} pt",
            )
        elif size < start:
            self.report(slide, Severity.NOTE, f"table shrunk from {start:g} to {size:g} pt")
        fitted = dataclasses.replace(table, size=size, row_heights=tuple(heights))
        return dataclasses.replace(slide, table=fitted)

    def fit_table(self, slide: TableSlide, content: Box) -> list[Slide]:
        if slide.paras:
            # Takeaways in a panel on the right, fitted like a chart's; the table on the left.
            start = layout.takeaways_size(self.theme.body_size)
            got, _ = self.shrink(
                slide,
                "takeaways",
                lambda s: bullet_blocks(slide.paras, s),
                layout.inner(layout.chart_side(content)[2]),
                start,
                min(self.theme.min_body_size, start),
            )
            area, side, text_box = layout.chart_side(content)
            fitted = self.fit_table(dataclasses.replace(slide, paras=()), area)
            first = fitted[0]
            assert isinstance(first, TableSlide)
            # Short takeaways set larger, in a panel sized to them (see grow_short).
            got, _ = self.grow_short(
                slide.paras, got, layout.inner(text_box), spread=False, fill=1.0
            )
            needed = height_of(
                bullet_blocks(slide.paras, got), layout.inner(text_box).w, self.metrics
            )[0]
            # The panel as tall as the table or its text, whichever is taller, with air.
            panel_h = min(side.h, max(sum(first.row_heights), needed + 0.6))
            fitted[0] = dataclasses.replace(
                first, paras=slide.paras, takeaways_size=got, panel_h=panel_h
            )
            return fitted
        m = self.metrics
        start = slide.size
        size = start
        while True:
            heights = [row_height(slide.header, slide.widths, size, True, m)] + [
                row_height(r, slide.widths, size, False, m) for r in slide.rows
            ]
            if sum(heights) <= content.h + 1e-6 or size - 1 < TABLE_FLOOR:
                break
            size -= 1
        if sum(heights) <= content.h + 1e-6:
            if size < start:
                self.report(slide, Severity.NOTE, f"table shrunk from {start:g} to {size:g} pt")
            roomy = [max(h, size * 2.3 / 72) for h in heights]  # air where the slide has room
            if sum(roomy) <= content.h:
                heights = roomy
            return [dataclasses.replace(slide, size=size, row_heights=tuple(heights))]
        # Paginate at a readable size rather than the floor, with pages about equally full.
        size = max(self.theme.min_body_size, TABLE_FLOOR)
        heights = [row_height(slide.header, slide.widths, size, True, m)] + [
            row_height(r, slide.widths, size, False, m) for r in slide.rows
        ]
        per_page = 0
        used = heights[0]
        for h in heights[1:]:
            if used + h > content.h + 1e-6:
                break
            used, per_page = used + h, per_page + 1
        count = math.ceil(len(slide.rows) / max(per_page, 1))
        target = math.ceil(len(slide.rows) / count)
        pages: list[list[int]] = [[]]
        used = heights[0]
        for i, h in enumerate(heights[1:]):
            if pages[-1] and (used + h > content.h + 1e-6 or len(pages[-1]) >= target):
                pages.append([])
                used = heights[0]
            pages[-1].append(i)
            used += h
            if used > content.h + 1e-6:
                self.report(
                    slide,
                    Severity.WARNING,
                    f"table row {i + 1} is taller than the slide at {size:g} pt",
                )
        self.report(
            slide,
            Severity.NOTE,
            f"table of {len(slide.rows)} rows paginated onto {len(pages)} slides at {size:g} pt",
        )
        out = []
        for n, rows in enumerate(pages, start=1):
            out.append(
                dataclasses.replace(
                    slide,
                    rows=tuple(slide.rows[i] for i in rows),
                    size=size,
                    row_heights=(heights[0], *(heights[i + 1] for i in rows)),
                    title=f"{slide.title}（{n}/{len(pages)}）",
                    notes=slide.notes if n == 1 else None,
                )
            )
        return out  # type: ignore[return-value]


def fit_deck(deck: Deck, metrics: Metrics) -> tuple[Deck, list[Diagnostic]]:
    """Fit every slide, split what must be split, and renumber."""
    fitter = Fitter(deck, metrics)
    slides: list[Slide] = []
    for slide in deck.slides:
        # Number first, so notes name the slide as it will be in the deck.
        for part in fitter.fit(dataclasses.replace(slide, number=len(slides) + 1)):
            slides.append(part)
    renumbered = [dataclasses.replace(s, number=i) for i, s in enumerate(slides, start=1)]
    titled = [fitter.fit_small_boxes(fitter.fit_title(s)) for s in renumbered]
    fitted = dataclasses.replace(deck, slides=tuple(titled))
    pages = tuple(
        measure_page(page, slide, fitter)
        for page, slide in zip(place_deck(fitted), titled, strict=True)
    )
    return dataclasses.replace(fitted, pages=pages), fitter.diagnostics


# ---------------------------------------------------------------------- placed shapes

#: No text the last pass shrinks goes below this size (points).
SHAPE_FLOOR = 8.0


def frame_blocks(frame: TextFrame, delta: float = 0.0) -> list[TextBlock]:
    """A planned frame's paragraphs as the measurer sees them (``delta`` points smaller)."""
    return [
        TextBlock(
            tuple((ch, p.bold or r.bold) for r in p.runs for ch in r.text),
            p.size - delta,
            p.line,
            p.indent,
            p.space_before * (1 - delta / p.size),
        )
        for p in frame.paras
    ]


def frame_fits(
    frame: TextFrame, box: Rect, metrics: Metrics, delta: float = 0.0
) -> tuple[bool, float, float]:
    """(fits, needed, available) heights in inches of ``frame`` set in ``box``."""
    left, top, right, bottom = frame.inset
    width = box.w / EMU_PER_INCH - left - right
    height = box.h / EMU_PER_INCH - top - bottom
    needed, _ = height_of(frame_blocks(frame, delta), width, metrics)
    return needed <= height + 1e-6, needed, height


def without_orphans(shape, metrics: Metrics):
    """A text box or shape whose paragraphs end in one or two lone characters (「上回/る」)
    gets a line break at the last phrase boundary before them instead (same line count,
    so the fit holds). Template placeholders and tables are left as they are."""
    if not isinstance(shape, TextBox | Autoshape) or shape.text is None:
        return shape
    frame = shape.text
    if not frame.measure:
        return shape
    left, _, right, _ = frame.inset
    width_in = shape.box.w / EMU_PER_INCH - left - right
    paras = []
    changed = False
    for p in frame.paras:
        chars = [(ch, p.bold or r.bold) for r in p.runs for ch in r.text]
        at = None
        if not any(r.slide_number for r in p.runs):
            at = orphan_break(chars, p.size, (width_in - p.indent) * 72, metrics)
        if at is None:
            paras.append(p)
            continue
        runs, seen = [], 0
        for r in p.runs:
            if seen <= at < seen + len(r.text) or (at == seen + len(r.text) and r is p.runs[-1]):
                cut = at - seen
                r = dataclasses.replace(r, text=r.text[:cut] + "\n" + r.text[cut:])
                at = -1
            seen += len(r.text)
            runs.append(r)
        paras.append(dataclasses.replace(p, runs=tuple(runs)))
        changed = True
    if not changed:
        return shape
    return dataclasses.replace(shape, text=dataclasses.replace(frame, paras=tuple(paras)))


def _break_before(p, at: int):
    """Paragraph ``p`` with a line break inserted before character ``at`` of its text."""
    runs, seen = [], 0
    for r in p.runs:
        if 0 <= at - seen < len(r.text):
            cut = at - seen
            r = dataclasses.replace(r, text=r.text[:cut] + "\n" + r.text[cut:])
            at = -1
        seen += len(r.text)
        runs.append(r)
    return dataclasses.replace(p, runs=tuple(runs))


def aligned_brackets(shape, metrics: Metrics):
    """Opening brackets (「『（【…) kept in line with the text around them, in yamldeck's own
    text boxes: a wrapped line never starts with one (the character before it goes down
    with it, by a line break, when the line count stays the same), and a one-line bullet
    that starts with one hangs it half an em left, so its text lines up with the bullets
    above and below (the bullet itself stays put)."""
    if not isinstance(shape, TextBox | Autoshape) or shape.text is None:
        return shape
    frame = shape.text
    if not frame.measure:
        return shape
    left, _, right, _ = frame.inset
    width_in = shape.box.w / EMU_PER_INCH - left - right
    paras = []
    for p in frame.paras:
        if p.template or any(r.slide_number for r in p.runs):
            paras.append(p)
            continue
        width = (width_in - p.indent) * 72
        chars = [(ch, p.bold or r.bold) for r in p.runs for ch in r.text]
        at = bracket_break(chars, p.size, width, metrics)
        if at is not None:
            p = _break_before(p, at)
            chars = chars[:at] + [("\n", False)] + chars[at:]
        if p.bullet and p.text[:1] in OPENING and len(wrap(chars, p.size, width, metrics)) == 1:
            hang = BRACKET_HANG * p.size / 72
            p = dataclasses.replace(p, indent=p.indent - hang, bullet_hang=p.bullet_hang - hang)
        paras.append(p)
    if tuple(paras) == frame.paras:
        return shape
    return dataclasses.replace(shape, text=dataclasses.replace(frame, paras=tuple(paras)))


def measure_page(page: Page, slide: Slide, fitter: Fitter) -> Page:
    """Measure every text shape of a placed page in its own box; shrink what overflows.

    The semantic fit above already chose sizes, so this changes only boxes that it does not
    model (footers, bylines, small labels); each change is a note, what still does not fit
    is a warning.
    """
    shapes = []
    for shape in page.shapes:
        shape = without_orphans(shape, fitter.metrics)
        shape = aligned_brackets(shape, fitter.metrics)
        for box, frame in text_frames(shape):
            if not frame.measure or not frame.paras:
                continue
            ok, needed, height = frame_fits(frame, box, fitter.metrics)
            if ok:
                continue
            smallest = min(p.size for p in frame.paras)
            delta = 1.0
            while (
                smallest - delta >= SHAPE_FLOOR
                and not frame_fits(frame, box, fitter.metrics, delta)[0]
            ):
                delta += 1.0
            delta = min(delta, smallest - SHAPE_FLOOR)
            fits = frame_fits(frame, box, fitter.metrics, delta)[0]
            if delta > 0:
                frame = replace_size(frame, delta)
                shape = (
                    dataclasses.replace(shape, frame=frame)
                    if isinstance(shape, Placeholder)
                    else dataclasses.replace(shape, text=frame)  # type: ignore[arg-type]
                )  # type: ignore[call-arg]
            if fits:
                fitter.report(
                    slide,
                    Severity.NOTE,
                    f"{shape.name.lower()} shrunk by {delta:g} pt to fit its box",
                )
            else:
                fitter.report(
                    slide,
                    Severity.WARNING,
                    f"{shape.name.lower()} needs {needed:.2f} in, its box holds {height:.2f} in",
                )
        shapes.append(shape)
    return dataclasses.replace(page, shapes=tuple(shapes))
