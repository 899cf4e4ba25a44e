"""Place fitted slides as positioned shapes: one short function per slide kind.

Every box comes from the frame of the layout the slide uses (the built-in grid or a
template's placeholders) and the fitted sizes on the slide; colours come from the theme,
made readable on the slide's background. The writer draws exactly these shapes, and the
fitter measures exactly these shapes (``fitplan.measure_pages``). Pure: reads nothing but
the size of image files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from . import layout
from .deck import (
    AgendaSlide,
    BulletsSlide,
    CalloutSlide,
    ChartSlide,
    ColumnsSlide,
    CompactTable,
    Deck,
    FlowSlide,
    ImageSlide,
    ImagesSlide,
    Kpi,
    KpisSlide,
    MatrixSlide,
    Para,
    QuoteSlide,
    Run,
    SectionSlide,
    Slide,
    TableSlide,
    TimelineSlide,
    TitleSlide,
    footer_runs,
    parse_inline,
    plain,
    quote_runs,
)
from .design import Frame
from .layout import BULLET_LEVELS, Box
from .measure import text_em
from .shapes import (
    Autoshape,
    Cell,
    Chart,
    Line,
    Page,
    Paragraph,
    Picture,
    Placeholder,
    Rect,
    Shape,
    Table,
    TextBox,
    TextFrame,
    TextRun,
    emu,
)
from .theme import LARGE_CONTRAST, Ink, Theme, ink_for, mix, readable, tint

WHITE = "FFFFFF"
NO_INSET = (0.0, 0.0, 0.0, 0.0)
TITLE_INSET = layout.TITLE_INSET
#: Footer and slide-number text (points), in yamldeck's own footer.
FOOTER_SIZE = 10
#: The slide number's box width (inches) at the right of the footer zone.
NUMBER_W = 1.0
#: Speaker notes.
NOTES_SIZE = 12
#: Built-in title slide and section divider geometry (inches, on the 16:9 grid).
COVER_TITLE = Box(1.1, 1.2, 11.4, 2.6)
COVER_RULE = Box(1.1, 4.0, 1.6, 0.07)
COVER_SUBTITLE = Box(1.1, 4.25, 11.4, 0.9)
COVER_BYLINE = Box(1.1, 5.45, 11.4, 1.1)
BAND_W, BAND_ACCENT_W = 0.32, 0.08
SECTION_NUMBER = Box(1.1, 1.5, 4.0, 1.5)
SECTION_RULE = Box(1.1, 3.2, 1.6, 0.07)
SECTION_TITLE = Box(1.1, 3.45, 11.2, 1.6)
SECTION_NUMBER_SIZE = 72
COVER_TITLE_SIZE, SECTION_TITLE_SIZE = 40, 36
SUBTITLE_SIZE, AUTHOR_SIZE, DATE_SIZE = 24, 20, 16
AGENDA_ITEM_SIZE, AGENDA_NUMBER_SIZE = 22, 18
CHART_TITLE_H, CHART_TITLE_SIZE, SOURCE_SIZE = 0.45, 16, 11
CAPTION_SIZE = 14
QUOTE_BY_SIZE = 18
LOGO_MARGIN = 0.3


def runs_of(runs: tuple[Run, ...]) -> tuple[TextRun, ...]:
    return tuple(TextRun(r.text, r.bold) for r in runs)


def para(runs: tuple[Run, ...] | str, size: float, color: str, **kw) -> Paragraph:
    if isinstance(runs, str):
        runs = (Run(runs),)
    return Paragraph(runs_of(runs), size, color, **kw)


def bullet_paragraphs(
    paras: tuple[Para, ...], ink: Ink, size: float, gap: float = 0.0
) -> tuple[Paragraph, ...]:
    """Two-level bullets: squares in the primary colour, dashes for the second level.

    A lone bullet is a message, not a list, and is set without a marker. ``gap`` points
    more space before each top-level bullet but the first (a short list spread out by the
    fitter, see fitplan.SHORT_LIST_GROW).
    """
    out = []
    lone = len(paras) == 1
    for i, p in enumerate(paras):
        level = min(p.level, 1)
        indent, smaller, line, before = BULLET_LEVELS[level]
        s = size - smaller if level else size
        hang = 0.32 if level == 0 else indent - BULLET_LEVELS[0][0] - 0.14
        out.append(
            Paragraph(
                runs_of(p.runs),
                s,
                ink.text,
                line=line,
                space_before=0 if i == 0 else s * before + (gap if level == 0 else 0.0),
                level=level,
                indent=0.0 if lone else indent,
                bullet="" if lone else "■–"[level],
                bullet_color=ink.muted if level else ink.primary,
                bullet_hang=hang,
            )
        )
    return tuple(out)


class Placer:
    """Turns each fitted slide into a ``Page``."""

    def __init__(self, deck: Deck):
        self.deck = deck
        self.theme: Theme = deck.theme
        self.design = deck.design
        self.templated = deck.design.template is not None

    def frame(self, s: Slide) -> Frame:
        return self.design.frame(s.layout, s.kind)

    def ink(self, s: Slide) -> Ink:
        return ink_for(self.theme, self.frame(s).background if self.templated else None)

    def page(self, s: Slide) -> Page:
        shapes = PLACERS[s.kind](self, s)
        background = None
        if not self.templated:
            if s.kind == "section":
                background = self.theme.primary
            elif self.theme.background != WHITE:
                background = self.theme.background
        notes = (
            tuple(
                para(parse_inline(line), NOTES_SIZE, self.theme.text)
                for line in (s.notes or "").strip().splitlines()
            )
            if s.notes
            else ()
        )
        return Page(s.number, s.title, self.frame(s).key, tuple(shapes), background, notes)

    # ------------------------------------------------------------------ common parts

    def title_lines(self, s: Slide) -> str:
        return "\n".join(s.title_lines) if s.title_lines else s.title

    def content_frame(self, s: Slide) -> list[Shape]:
        """Title, footer, slide number and logo: the same on every content slide."""
        t, frame, ink = self.theme, self.frame(s), self.ink(s)
        text = self.title_lines(s)
        shapes: list[Shape] = []
        if not self.templated:
            title = frame.title or layout.TITLE
            if t.logo and t.logo_corner.startswith("top"):
                room = t.logo_width + 0.3
                title = Box(
                    title.x + (room if t.logo_corner == "top-left" else 0),
                    title.y,
                    title.w - room,
                    title.h,
                )
            size = s.title_size or t.title_size
            shapes.append(
                Placeholder(
                    "Title",
                    0,
                    "title",
                    Rect.of(title),
                    TextFrame(
                        (para(text, size, t.primary, bold=True, line=1.1),), "b", TITLE_INSET
                    ),
                )
            )
            shapes.append(Autoshape("Title Rule", Rect.of(layout.TITLE_RULE), "rect", t.accent))
            shapes.extend(self.builtin_footer(s))
        else:
            shapes.append(self.template_title(s, text))
            shapes.extend(self.template_footer(s, ink))
        shapes.extend(self.logo())
        return shapes

    def template_title(self, s: Slide, text: str) -> Shape:
        """The layout's title placeholder at the template's size (smaller if it had to
        shrink), or a title drawn in its place when the layout has none."""
        frame, ink = self.frame(s), self.ink(s)
        template_size = frame.title_size or (
            self.design.text.title_size if self.design.text else self.theme.title_size
        )
        size = s.title_size or template_size
        box = frame.title or layout.TITLE
        if frame.title_idx is None:
            return TextBox(
                "Title",
                Rect.of(box),
                TextFrame(
                    (
                        para(
                            text,
                            size,
                            readable(self.theme.primary, ink.background, LARGE_CONTRAST),
                            bold=True,
                            line=1.1,
                        ),
                    ),
                    "b",
                ),
            )
        p = para(text, size, "", line=1.1, own_size=size != template_size, template=True)
        return Placeholder(
            "Title",
            frame.title_idx,
            frame.title_type,
            None,
            TextFrame((p,), "b"),
            measure_box=Rect.of(box),
        )

    def builtin_footer(self, s: Slide) -> list[Shape]:
        t = self.theme
        shapes: list[Shape] = [
            Line(
                "Footer Rule",
                Rect.of(Box(layout.MARGIN_X, layout.FOOTER_LINE_Y, layout.CONTENT_W, 0)),
                t.rule,
            )
        ]
        runs = footer_runs(s.footer, s.section)
        left = layout.FOOTER.x + (
            t.logo_width + 0.3 if t.logo and t.logo_corner == "bottom-left" else 0
        )
        footer_size = s.size_of("footer", FOOTER_SIZE)
        if runs:
            shapes.append(
                TextBox(
                    "Footer",
                    Rect.of(Box(left, layout.FOOTER.y, layout.FOOTER.w - 2.8, layout.FOOTER.h)),
                    TextFrame((para(runs, footer_size, t.muted, line=1.0),), "ctr", NO_INSET),
                )
            )
        if s.show_number:
            right = t.logo_width + 0.3 if t.logo and t.logo_corner == "bottom-right" else 0
            box = Box(
                layout.FOOTER.x + layout.FOOTER.w - NUMBER_W - right,
                layout.FOOTER.y,
                NUMBER_W,
                layout.FOOTER.h,
            )
            shapes.append(
                TextBox(
                    "Slide Number",
                    Rect.of(box),
                    TextFrame((self.number_para(s, FOOTER_SIZE, t.muted, "r"),), "ctr", NO_INSET),
                )
            )
        return shapes

    def number_para(
        self, s: Slide, size: float, color: str, align: str = "l", template: bool = False
    ) -> Paragraph:
        return Paragraph(
            (TextRun(str(s.number), slide_number=True),),
            size,
            color,
            align=align,
            line=1.0,
            own_size=not template,
            template=template,
        )

    def template_footer(self, s: Slide, ink: Ink) -> list[Shape]:
        """The layout's footer and slide-number placeholders, filled; where the layout has
        none, yamldeck's own text in the template's footer zone."""
        frame = self.frame(s)
        have = dict(frame.footers)
        zone = frame.footer_zone or Box(0, self.design.height - 0.5, self.design.width, 0.4)
        shapes: list[Shape] = []
        runs = footer_runs(s.footer, None if s.size_of("footer_only", 0) else s.section)
        size = s.size_of("footer", FOOTER_SIZE)
        boxes = dict(frame.footer_boxes)
        if runs:
            if "ftr" in have:
                shapes.append(
                    Placeholder(
                        "Footer",
                        have["ftr"],
                        "ftr",
                        None,
                        TextFrame(
                            (para(runs, frame.footer_size, "", template=True, own_size=False),),
                            measure="ftr" in boxes,
                        ),
                        clone=True,
                        measure_box=Rect.of(boxes["ftr"]) if "ftr" in boxes else None,
                    )
                )
            else:
                box = Box(zone.x, zone.y, max(zone.w - NUMBER_W - 0.2, 0.5), zone.h)
                shapes.append(
                    TextBox(
                        "Footer",
                        Rect.of(box),
                        TextFrame((para(runs, size, ink.muted, line=1.0),), "ctr", NO_INSET),
                    )
                )
        if s.show_number:
            if "sldNum" in have:
                shapes.append(
                    Placeholder(
                        "Slide Number",
                        have["sldNum"],
                        "sldNum",
                        None,
                        TextFrame(
                            (self.number_para(s, FOOTER_SIZE, "", template=True),), measure=False
                        ),
                        clone=True,
                    )
                )
            else:
                box = Box(zone.x + zone.w - NUMBER_W, zone.y, NUMBER_W, zone.h)
                shapes.append(
                    TextBox(
                        "Slide Number",
                        Rect.of(box),
                        TextFrame(
                            (self.number_para(s, FOOTER_SIZE, ink.muted, "r"),), "ctr", NO_INSET
                        ),
                    )
                )
        return shapes

    def logo(self) -> list[Shape]:
        t = self.theme
        if not t.logo:
            return []
        from PIL import Image

        with Image.open(t.logo) as im:
            ratio = im.size[1] / im.size[0]
        w, h = t.logo_width, t.logo_width * ratio
        width, height = self.design.width, self.design.height
        x = LOGO_MARGIN if t.logo_corner.endswith("left") else width - LOGO_MARGIN - w
        y = LOGO_MARGIN if t.logo_corner.startswith("top") else height - 0.55 - h
        return [Picture("Logo", Rect.of(Box(x, y, w, h)), t.logo, "ロゴ")]

    def body_placeholder(self, s: Slide, paras: tuple[Para, ...], size: float) -> Shape | None:
        """Bullets in the layout's body placeholder, measured with its text styles."""
        frame = self.frame(s)
        text = self.design.text
        if not self.templated or frame.body_idx is None or text is None:
            return None
        sizes = frame.body_sizes or text.body_sizes
        size = size or sizes[0]
        delta = sizes[0] - sizes[1]
        out = []
        for p in paras:
            level = min(p.level, 1)
            ps = size - (delta if level else 0)
            out.append(
                Paragraph(
                    runs_of(p.runs),
                    ps,
                    "",
                    line=1.2 * text.line,
                    space_before=ps * text.space_before[0] + text.space_before[1],
                    level=level,
                    indent=text.body_margins[level],
                    own_size=size != sizes[0],
                    template=True,
                )
            )
        return Placeholder(
            "Body",
            frame.body_idx,
            "body",
            None,
            TextFrame(tuple(out)),
            measure_box=Rect.of(layout.inner(frame.content)),
        )


# ---------------------------------------------------------------------- slide kinds


def place_title(p: Placer, s: TitleSlide) -> list[Shape]:
    t = p.theme
    text = p.title_lines(s)
    if p.templated:
        return place_template_title(p, s, text)
    shapes: list[Shape] = [
        Autoshape("Band", Rect.of(Box(0, 0, BAND_W, layout.SLIDE_H)), "rect", t.primary),
        Autoshape(
            "Band Accent", Rect.of(Box(BAND_W, 0, BAND_ACCENT_W, layout.SLIDE_H)), "rect", t.accent
        ),
        Placeholder(
            "Title",
            0,
            "ctrTitle",
            Rect.of(COVER_TITLE),
            TextFrame(
                (para(text, s.title_size or COVER_TITLE_SIZE, t.primary, bold=True, line=1.15),),
                "b",
                TITLE_INSET,
            ),
        ),
        Autoshape("Title Rule", Rect.of(COVER_RULE), "rect", t.accent),
    ]
    if s.subtitle:
        shapes.append(
            Placeholder(
                "Subtitle",
                1,
                "subTitle",
                Rect.of(COVER_SUBTITLE),
                TextFrame(
                    (
                        para(
                            parse_inline(s.subtitle),
                            s.size_of("subtitle", SUBTITLE_SIZE),
                            t.text,
                            line=1.2,
                        ),
                    ),
                    "t",
                    TITLE_INSET,
                ),
            )
        )
    lines = []
    if s.author:
        lines.append(para(parse_inline(s.author), AUTHOR_SIZE, t.text, bold=True, line=1.3))
    if s.date:
        lines.append(para(parse_inline(s.date), DATE_SIZE, t.muted, line=1.3))
    if lines:
        shapes.append(
            TextBox("Byline", Rect.of(COVER_BYLINE), TextFrame(tuple(lines), "t", NO_INSET))
        )
    shapes.extend(p.logo())
    return shapes


def place_template_title(p: Placer, s: TitleSlide, text: str) -> list[Shape]:
    frame, ink = p.frame(s), p.ink(s)
    shapes: list[Shape] = [p.template_title(s, text)]
    lines = [x for x in (s.subtitle, s.author, s.date) if x]
    size = s.size_of("subtitle", 0)
    if frame.subtitle_idx is not None and lines:
        own = frame.subtitle_size or SUBTITLE_SIZE
        shapes.append(
            Placeholder(
                "Subtitle",
                frame.subtitle_idx,
                "subTitle",
                None,
                TextFrame(
                    tuple(
                        para(parse_inline(x), size or own, "", own_size=bool(size), template=True)
                        for x in lines
                    ),
                    measure=frame.subtitle is not None,
                ),
                measure_box=Rect.of(frame.subtitle) if frame.subtitle else None,
            )
        )
    elif lines:
        box = subtitle_box(frame)
        shapes.append(
            TextBox(
                "Byline",
                Rect.of(box),
                TextFrame(
                    tuple(para(parse_inline(x), size or AUTHOR_SIZE, ink.text) for x in lines)
                ),
            )
        )
    return shapes


def subtitle_box(frame: Frame) -> Box:
    """Where a drawn subtitle goes on a title slide whose layout has no subtitle."""
    box = frame.content
    return Box(box.x, box.y + box.h * 0.55, box.w, box.h * 0.4)


def place_agenda(p: Placer, s: AgendaSlide) -> list[Shape]:
    ink = p.ink(s)
    body = p.body_placeholder(
        s, tuple(Para(parse_inline(i)) for i in s.items), s.size_of("body", 0)
    )
    shapes = p.content_frame(s)
    if body is not None and not s.current:  # a repeated agenda draws its own marks
        return [*shapes, body]
    content = p.frame(s).content
    n = len(s.items)
    cols = 1 if n <= 7 else 2
    per_col = max(1, -(-n // cols))
    row_h = min(0.68, content.h / per_col)
    item_size = s.size_of("item", AGENDA_ITEM_SIZE)
    number_size = s.size_of("number", AGENDA_NUMBER_SIZE)
    for c, col in enumerate(content.columns(cols, gap=0.5)):
        for r in range(per_col):
            i = c * per_col + r
            if i >= n:
                break
            y = col.y + r * row_h
            shapes.append(
                Autoshape(
                    f"Agenda Number {i + 1}",
                    Rect.of(Box(col.x, y + 0.07, 0.6, row_h - 0.14)),
                    "rect",
                    agenda_mark(p, s, i + 1),
                    TextFrame(
                        (
                            para(
                                f"{i + 1:02d}", number_size, WHITE, bold=True, align="ctr", line=1.0
                            ),
                        ),
                        "ctr",
                        NO_INSET,
                    ),
                )
            )
            shapes.append(
                TextBox(
                    f"Agenda Item {i + 1}",
                    Rect.of(Box(col.x + 0.8, y, col.w - 0.8, row_h)),
                    TextFrame(
                        (agenda_item(s, i + 1, item_size, ink),),
                        "ctr",
                    ),
                )
            )
            if r < per_col - 1 and i < n - 1:
                shapes.append(
                    Line(
                        f"Agenda Rule {i + 1}",
                        Rect.of(Box(col.x + 0.8, y + row_h, col.w - 0.8, 0)),
                        tint(ink.text, 0.88) if not p.templated else ink.grid,
                    )
                )
    return shapes


def agenda_mark(p: Placer, s: AgendaSlide, number: int) -> str:
    """The number box's fill: the accent for the section a repeated agenda opens, a muted
    tone for the others (white numbers stay readable on both)."""
    if not s.current:
        return p.theme.primary
    if number == s.current:
        return readable(p.theme.accent, WHITE, LARGE_CONTRAST)
    return readable(mix(p.theme.primary, p.ink(s).background, 0.55), WHITE, LARGE_CONTRAST)


def agenda_item(s: AgendaSlide, number: int, size: float, ink: Ink) -> Paragraph:
    """An agenda line: the current section bold, the others muted, when repeated."""
    if not s.current:
        return para(parse_inline(s.items[number - 1]), size, ink.text, line=1.1)
    if number == s.current:
        return para(plain(s.items[number - 1]), size, ink.primary, bold=True, line=1.1)
    return para(parse_inline(s.items[number - 1]), size, ink.muted, line=1.1)


def place_section(p: Placer, s: SectionSlide) -> list[Shape]:
    t = p.theme
    text = p.title_lines(s)
    if p.templated:
        return [p.template_title(s, text)]
    shapes: list[Shape] = [
        TextBox(
            "Section Number",
            Rect.of(SECTION_NUMBER),
            TextFrame(
                (
                    para(
                        f"{s.index:02d}",
                        SECTION_NUMBER_SIZE,
                        tint(t.primary, 0.45),
                        bold=True,
                        line=1.0,
                    ),
                ),
                "b",
                NO_INSET,
            ),
        ),
        Autoshape("Section Rule", Rect.of(SECTION_RULE), "rect", t.accent),
        Placeholder(
            "Title",
            0,
            "title",
            Rect.of(SECTION_TITLE),
            TextFrame(
                (para(text, s.title_size or SECTION_TITLE_SIZE, WHITE, bold=True, line=1.15),),
                "t",
                TITLE_INSET,
            ),
        ),
    ]
    if s.show_number:
        box = Box(
            layout.FOOTER.x + layout.FOOTER.w - NUMBER_W, layout.FOOTER.y, NUMBER_W, layout.FOOTER.h
        )
        shapes.append(
            TextBox(
                "Slide Number",
                Rect.of(box),
                TextFrame(
                    (para(str(s.number), FOOTER_SIZE, tint(t.primary, 0.5), align="r", line=1.0),),
                    "ctr",
                    NO_INSET,
                ),
            )
        )
    return shapes


def place_bullets(p: Placer, s: BulletsSlide) -> list[Shape]:
    shapes = p.content_frame(s)
    body = p.body_placeholder(s, s.paras, s.size)
    if body is not None:
        return [*shapes, body]
    size = s.size or p.theme.body_size
    shapes.append(
        TextBox(
            "Body",
            Rect.of(p.frame(s).content),
            TextFrame(bullet_paragraphs(s.paras, p.ink(s), size, s.size_of("gap", 0.0))),
        )
    )
    return shapes


def place_chart(p: Placer, s: ChartSlide) -> list[Shape]:
    t, ink = p.theme, p.ink(s)
    shapes = p.content_frame(s)
    chart = s.chart
    assert chart is not None
    box = p.frame(s).content
    if s.table is not None:
        table_area = chart_table_area(box, chart, s.table)
        shapes.append(table_shape(t, ink, s.table, table_area))
        if not s.table.below:
            box = layout.chart_side(box)[0]
    if s.paras:
        box, side, text_box = layout.chart_side(box)
        side, text_box = panel_boxes(side, s.size_of("panel_h", side.h))
        shapes.append(Autoshape("Takeaways Panel", Rect.of(side), "rect", ink.panel))
        size = s.size or layout.takeaways_size(t.body_size)
        shapes.append(
            TextBox(
                "Takeaways", Rect.of(text_box), TextFrame(bullet_paragraphs(s.paras, ink, size))
            )
        )
    if chart.title:
        shapes.append(
            TextBox(
                "Chart Title",
                Rect.of(box.top(CHART_TITLE_H)),
                TextFrame(
                    (
                        para(
                            chart.title,
                            s.size_of("chart_title", CHART_TITLE_SIZE),
                            ink.text,
                            bold=True,
                            line=1.1,
                        ),
                    ),
                    "t",
                    NO_INSET,
                ),
            )
        )
        box = box.below(CHART_TITLE_H)
    area = Rect(emu(box.x), emu(box.y), emu(chart.width), emu(chart.height))
    if p.templated:
        chart = dataclasses.replace(chart, ink=(ink.background, ink.text, ink.muted))
    if chart.render == "native":
        shapes.append(Chart(f"Chart {chart.id}", area, chart, ink.text, ink.muted, ink.grid))
    else:
        shapes.append(Picture(f"Chart {chart.id}", area, "", chart.alt_text, chart))
    runs = list(parse_inline(chart.source)) if chart.source else []
    if chart.note:
        runs.append(Run(("　※ " if chart.source else "※ ") + plain(chart.note), bold=True))
    if runs:
        src = Box(box.x, box.y + chart.height + 0.05, box.w, layout.SOURCE_H - 0.05)
        shapes.append(
            TextBox(
                "Chart Source",
                Rect.of(src),
                TextFrame(
                    (para(tuple(runs), s.size_of("source", SOURCE_SIZE), ink.muted, line=1.15),),
                    "t",
                    NO_INSET,
                ),
            )
        )
    return shapes


def panel_boxes(side: Box, height: float) -> tuple[Box, Box]:
    """(panel, text box) of a takeaways panel ``height`` inches tall at the top of ``side``
    (the fitter sizes it to its text)."""
    panel = side.top(min(height, side.h))
    return panel, Box(panel.x + 0.15, panel.y + 0.2, panel.w - 0.3, panel.h - 0.4)


def table_color(theme: Theme, name: str) -> str:
    """A `colors:` value as RRGGBB: a theme colour, a palette position or hex itself."""
    if name in ("primary", "accent", "text", "muted"):
        return getattr(theme, name)
    if name.startswith("palette"):
        return theme.palette[(int(name[7:]) - 1) % len(theme.palette)]
    return name


def chart_table_area(content: Box, chart, table: CompactTable) -> Box:
    """Where the table of a chart slide goes: the right-hand 36 % of the area, or what the
    chart (title, picture, source line) leaves below it."""
    if not table.below:
        return layout.chart_side(content)[1]
    used = (CHART_TITLE_H if chart.title else 0) + chart.height + layout.SOURCE_H + 0.1
    return Box(content.x, content.y + used, content.w, content.h - used)


def table_shape(t: Theme, ink: Ink, s: TableSlide | CompactTable, box: Box) -> Table:
    """A table at the top left of ``box``: header in the primary colour, banded rows,
    `align:` and `colors:` applied."""
    rows = []
    for r, values in enumerate((s.header, *s.rows)):
        header = r == 0
        fill = t.primary if header else (ink.background if r % 2 else ink.panel)
        cells = []
        for c, value in enumerate(values):
            align = s.aligns[c] if s.aligns else "r" if s.numeric[c] else "l"
            color = None if header else table_cell_color(t, ink, s, c, value)
            cells.append(
                Cell(
                    (
                        para(
                            parse_inline(value),
                            s.size,
                            WHITE if header else color or ink.text,
                            bold=header or color is not None,
                            align=align,
                            line=1.2,
                        ),
                    ),
                    fill,
                    t.primary if header else ink.rule,
                )
            )
        rows.append(tuple(cells))
    heights = tuple(emu(h) for h in s.row_heights)
    widths = tuple(emu(w) for w in s.widths)
    return Table(
        "Table",
        Rect(emu(box.x), emu(box.y), sum(widths), sum(heights)),
        widths,
        heights,
        tuple(rows),
        (emu(layout.CELL_MARGIN_X), emu(layout.CELL_MARGIN_Y)),
    )


def table_cell_color(theme: Theme, ink: Ink, s: TableSlide | CompactTable, column: int, value: str):
    """The colour `colors:` gives this cell's text, made readable (WCAG 4.5:1) on both row
    bands, so that one status has one colour down the table; None when the cell has no
    colour of its own."""
    if not s.cell_colors:
        return None
    text = plain(value).strip()
    for cell, name in s.cell_colors[column]:
        if cell == text:
            return readable(readable(table_color(theme, name), ink.background), ink.panel)
    return None


def place_table(p: Placer, s: TableSlide) -> list[Shape]:
    t, ink = p.theme, p.ink(s)
    shapes = p.content_frame(s)
    box = p.frame(s).content
    if s.paras:
        box, side, _ = layout.chart_side(box)
        side = side.top(s.panel_h or side.h)  # sized to its content by the fitter
        text_box = Box(side.x + 0.15, side.y + 0.2, side.w - 0.3, side.h - 0.4)
        shapes.append(Autoshape("Takeaways Panel", Rect.of(side), "rect", ink.panel))
        size = s.takeaways_size or layout.takeaways_size(t.body_size)
        shapes.append(
            TextBox(
                "Takeaways", Rect.of(text_box), TextFrame(bullet_paragraphs(s.paras, ink, size))
            )
        )
    shapes.append(table_shape(t, ink, s, box))
    return shapes


def place_columns(p: Placer, s: ColumnsSlide) -> list[Shape]:
    t, ink = p.theme, p.ink(s)
    shapes = p.content_frame(s)
    n = len(s.columns)
    size = s.size or layout.columns_size(t.body_size, n)
    content = p.frame(s).content
    headed = any(c.heading for c in s.columns)
    boxes = layout.column_boxes(content, n, headed)
    head_h = layout.COLUMN_HEAD_H if headed else 0.0
    panel_h = s.size_of("panel", content.h - head_h)
    for i, (col, (box, _)) in enumerate(zip(s.columns, boxes, strict=True)):
        if col.heading:
            shapes.append(
                Autoshape(
                    f"Column Heading {i + 1}",
                    Rect.of(box.top(head_h)),
                    "rect",
                    t.primary,
                    TextFrame(
                        (
                            para(
                                col.heading,
                                s.size_of("heading", size + 2),
                                WHITE,
                                bold=True,
                                align="ctr",
                                line=1.1,
                            ),
                        ),
                        "ctr",
                        (0.15, 0.03, 0.15, 0.03),
                    ),
                )
            )
        panel = Box(box.x, box.y + head_h, box.w, panel_h)
        shapes.append(Autoshape(f"Column Panel {i + 1}", Rect.of(panel), "rect", ink.panel))
        shapes.append(
            TextBox(
                f"Column {i + 1}",
                Rect.of(layout.column_text(panel)),
                TextFrame(bullet_paragraphs(col.paras, ink, size)),
            )
        )
    return shapes


def place_quote(p: Placer, s: QuoteSlide) -> list[Shape]:
    t, ink = p.theme, p.ink(s)
    shapes = p.content_frame(s)
    box = p.frame(s).content
    shapes.append(
        Autoshape(
            "Quote Bar",
            Rect.of(Box(box.x + 0.4, box.y + 0.5, 0.1, max(box.h - 1.4, 0.1))),
            "rect",
            t.accent,
        )
    )
    shapes.append(
        TextBox(
            "Quote",
            Rect.of(layout.quote_box(box)),
            TextFrame(
                (
                    para(
                        quote_runs(s.quote),
                        s.size or layout.QUOTE_SIZE,
                        ink.primary,
                        bold=True,
                        line=1.35,
                    ),
                ),
                "ctr",
            ),
        )
    )
    if s.by:
        shapes.append(
            TextBox(
                "Quote By",
                Rect.of(layout.quote_by_box(box)),
                TextFrame(
                    (
                        para(
                            parse_inline(f"— {s.by}"),
                            s.size_of("by", QUOTE_BY_SIZE),
                            ink.muted,
                            align="r",
                            line=1.2,
                        ),
                    ),
                    "t",
                ),
            )
        )
    return shapes


def image_size(path: str) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as im:
        return im.size


def place_image(p: Placer, s: ImageSlide) -> list[Shape]:
    ink = p.ink(s)
    shapes = p.content_frame(s)
    content = p.frame(s).content
    box = Box(content.x, content.y, content.w, content.h - 0.5) if s.caption else content
    px_w, px_h = image_size(s.image)
    scale = min(box.w / px_w, box.h / px_h)
    w, h = px_w * scale, px_h * scale
    x, y = box.x + (box.w - w) / 2, box.y + (box.h - h) / 2
    shapes.append(Picture("Image", Rect.of(Box(x, y, w, h)), s.image, plain(s.caption or s.title)))
    if s.caption:
        shapes.append(
            TextBox(
                "Caption",
                Rect.of(layout.caption_box(content)),
                TextFrame(
                    (
                        para(
                            parse_inline(s.caption),
                            s.caption_size or CAPTION_SIZE,
                            ink.muted,
                            align="ctr",
                            line=1.2,
                        ),
                    )
                ),
            )
        )
    return shapes


def place_flow(p: Placer, s: FlowSlide) -> list[Shape]:
    t, ink = p.theme, p.ink(s)
    shapes = p.content_frame(s)
    n = len(s.steps)
    has_details = any(step.details for step in s.steps)
    steps, details, body = layout.flow_boxes(p.frame(s).content, n, has_details, bool(s.paras))
    size = layout.flow_label_size(n)
    for i, (step, box, detail_box) in enumerate(zip(s.steps, steps, details, strict=True)):
        color = t.accent if i == n - 1 else tint(t.primary, 0.55 * (n - 1 - i) / max(1, n - 1))
        label = s.labels[i] if s.labels else step.label
        shapes.append(
            Autoshape(
                f"Flow Step {i + 1}",
                Rect.of(box),
                "pentagon" if i == 0 else "chevron",
                color,
                TextFrame(
                    (
                        para(
                            label,
                            s.size_of(f"label{i}", size),
                            WHITE,
                            bold=True,
                            align="ctr",
                            line=1.1,
                        ),
                    ),
                    "ctr",
                    (0.04, 0.04, 0.04, 0.04),
                ),
                adjust=0.28,
            )
        )
        if has_details and step.details:
            detail_size = s.size or size - 2
            shapes.append(
                TextBox(
                    f"Flow Details {i + 1}",
                    Rect.of(detail_box),
                    TextFrame(bullet_paragraphs(step.details, ink, detail_size)),
                )
            )
    if s.paras and body is not None:
        area = Box(body.x - 0.2, body.y - 0.12, body.w + 0.4, body.h + 0.2)
        shapes.append(Autoshape("Flow Panel", Rect.of(area), "rect", ink.panel))
        body_size = s.body_size or layout.takeaways_size(t.body_size)
        shapes.append(
            TextBox(
                "Flow Body",
                Rect.of(body),
                TextFrame(bullet_paragraphs(s.paras, ink, body_size), "ctr"),
            )
        )
    return shapes


#: Timeline geometry (inches) and sizes (points).
TIMELINE_HEADER_H = 0.45
TIMELINE_ROW_MAX = 0.95
TIMELINE_LABEL_SIZE, TIMELINE_TICK_SIZE, TIMELINE_LANE_SIZE = 14, 12, 14
TIMELINE_LANE_W = (0.9, 2.2)  # lane label column, min and max
TIMELINE_TODAY = "今日"
#: A bar's label goes inside it when its measured width plus this (inches) fits the bar.
TIMELINE_LABEL_PAD = 0.25


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Inches ``text`` takes on one line at ``size`` points, measured with the fitter's font
    metrics (the space between Japanese and Latin text included)."""
    from .fit import default_metrics, line_width

    return line_width([(c, bold) for c in text], size, default_metrics()) / 72


def month_label(index: int, with_year: bool) -> str:
    year, month = divmod(index, 12)
    return f"{year}年{month + 1}月" if with_year else f"{month + 1}月"


def month_ticks(first: int, months: int, month_w: float, size: float) -> list[tuple[int, str]]:
    """(month offset, label) of the month labels that fit, first and last kept.

    A label shows its year at the start and at the first label of each new year.
    """

    def width(label: str) -> float:
        return text_width(label, size) + 0.3

    widest = max(width(month_label(first + i, True)) for i in range(months))
    step = next((k for k in (1, 2, 3, 6, 12) if k * month_w >= widest), 12)
    out: list[tuple[int, str]] = []
    year = None
    for i in range(months):
        if i and i != months - 1 and (first + i) % step:
            continue
        y = (first + i) // 12
        label = month_label(first + i, y != year)
        if out and (i - out[-1][0]) * month_w < width(out[-1][1]):
            if i != months - 1:
                continue  # too close to the label before it
            while len(out) > 1 and (i - out[-1][0]) * month_w < width(out[-1][1]):
                out.pop()
            if (i - out[-1][0]) * month_w < width(out[-1][1]):
                continue  # one month shown: the first label is enough
            label = month_label(first + i, y != (first + out[-1][0]) // 12)
        out.append((i, label))
        year = y
    return out


def place_timeline(p: Placer, s: TimelineSlide) -> list[Shape]:
    """Month ticks on top, one row per item grouped in lanes, bars, diamonds and today."""
    t, ink = p.theme, p.ink(s)
    shapes = p.content_frame(s)
    c = p.frame(s).content
    lane_w = 0.0
    if s.lanes:
        lane_w = max(text_width(name, TIMELINE_LANE_SIZE, True) + 0.3 for name in s.lanes)
        lane_w = min(max(lane_w, TIMELINE_LANE_W[0]), TIMELINE_LANE_W[1], c.w / 4)
    x0, w = c.x + lane_w, c.w - lane_w
    month_w = w / s.months
    rows = max(1, len(s.bars))
    gaps = max(0, len(s.lanes) - 1) * 0.12
    row_h = min(TIMELINE_ROW_MAX, (c.h - TIMELINE_HEADER_H - gaps) / rows)
    size = max(9.0, min(TIMELINE_LABEL_SIZE, row_h * 72 * 0.5))
    y_top = c.y + TIMELINE_HEADER_H
    height = rows * row_h + gaps

    def x_of(month: float) -> float:
        return x0 + (month - s.first) * month_w

    # Month grid and labels.
    tick = min(TIMELINE_TICK_SIZE, size)
    for i in range(s.months + 1):
        shapes.append(
            Line(
                f"Timeline Grid {i + 1}",
                Rect.of(Box(x0 + i * month_w, y_top, 0, height)),
                ink.grid,
                0.5,
            )
        )
    for i, label in month_ticks(s.first, s.months, month_w, tick):
        width = text_width(label, tick) + 0.25
        last = i == s.months - 1 and i > 0
        bx = x0 + w - width if last else x0 + i * month_w  # the last label ends at the edge
        shapes.append(
            TextBox(
                f"Timeline Month {i + 1}",
                Rect.of(Box(bx, c.y, width, TIMELINE_HEADER_H)),
                TextFrame(
                    (para(label, tick, ink.muted, align="r" if last else "l"),),
                    "b",
                    (0.03, 0.02, 0.03, 0.04),
                ),
            )
        )
    shapes.append(Line("Timeline Axis", Rect.of(Box(x0, y_top, w, 0)), ink.rule, 1.0))
    # Rows.
    y = y_top
    lane = -1
    bar_fill = ink.primary
    mark_fill = readable(t.accent, ink.background, LARGE_CONTRAST)
    behind = len(shapes)  # the today line goes here: under the bars and their labels
    for n, bar in enumerate(s.bars):
        if bar.lane != lane:
            if lane >= 0:
                y += 0.12
                shapes.append(
                    Line(
                        f"Timeline Lane Rule {bar.lane}",
                        Rect.of(Box(c.x, y - 0.06, c.w, 0)),
                        ink.rule,
                        0.75,
                    )
                )
            lane = bar.lane
            count = sum(1 for b in s.bars if b.lane == lane)
            if s.lanes and s.lanes[lane]:
                shapes.append(
                    TextBox(
                        f"Timeline Lane {lane + 1}",
                        Rect.of(Box(c.x, y, lane_w - 0.1, count * row_h)),
                        TextFrame(
                            (
                                para(
                                    s.lanes[lane],
                                    min(TIMELINE_LANE_SIZE, size),
                                    ink.primary,
                                    bold=True,
                                    line=1.1,
                                ),
                            ),
                            "ctr",
                            (0.0, 0.0, 0.05, 0.0),
                        ),
                    )
                )
        bar_h = min(row_h * 0.68, 0.5)
        by = y + (row_h - bar_h) / 2
        label_w = text_width(bar.label, size, True) + TIMELINE_LABEL_PAD
        name = f"Timeline {'Milestone' if bar.milestone else 'Bar'} {n + 1}"
        if bar.milestone:
            d = min(bar_h, 0.32)
            cx = x_of(bar.start)
            shapes.append(
                Autoshape(
                    name, Rect.of(Box(cx - d / 2, y + (row_h - d) / 2, d, d)), "diamond", mark_fill
                )
            )
            left, right = cx - d / 2 - 0.04, cx + d / 2 + 0.04
        else:
            bx, bw = x_of(bar.start), (bar.end - bar.start) * month_w
            inside = label_w <= bw
            fill_text = readable(WHITE, bar_fill)
            shapes.append(
                Autoshape(
                    name,
                    Rect.of(Box(bx, by, bw, bar_h)),
                    "roundRect",
                    bar_fill,
                    TextFrame(
                        (para(bar.label, size, fill_text, bold=True, align="ctr", line=1.0),),
                        "ctr",
                        (0.04, 0.0, 0.04, 0.0),
                    )
                    if inside
                    else None,
                    adjust=0.3,
                )
            )
            if inside:
                y += row_h
                continue
            left, right = bx - 0.04, bx + bw + 0.04
        # The label beside: right of the shape if it has room there, else left of it.
        if x0 + w - right >= label_w or right - x0 > x0 + w - left:
            box, align = Box(right, y, min(label_w + 0.3, c.x + c.w - right), row_h), "l"
        else:
            box, align = Box(max(c.x, left - label_w - 0.3), y, 0, row_h), "r"
            box = Box(box.x, y, left - box.x, row_h)
        shapes.append(
            TextBox(
                f"{name} Label",
                Rect.of(box),
                TextFrame(
                    (para(bar.label, size, ink.text, align=align, line=1.0),),
                    "ctr",
                    (0.04, 0.0, 0.04, 0.0),
                ),
            )
        )
        y += row_h
    if s.today is not None:
        tx = x_of(s.today)
        shapes.insert(
            behind,
            Line(
                "Timeline Today", Rect.of(Box(tx, y_top - 0.05, 0, height + 0.05)), mark_fill, 2.0
            ),
        )
        tw = text_width(TIMELINE_TODAY, tick, True) + 0.2
        shapes.append(
            TextBox(
                "Timeline Today Label",
                Rect.of(Box(tx - tw / 2, y_top + height + 0.02, tw, 0.32)),
                TextFrame(
                    (para(TIMELINE_TODAY, tick, mark_fill, bold=True, align="ctr"),),
                    "t",
                    (0.0, 0.0, 0.0, 0.0),
                ),
            )
        )
    return shapes


#: Matrix geometry (inches): gap between quadrants, heading band, axis arrow thickness.
MATRIX_GAP, MATRIX_HEADING_H, MATRIX_ARROW = 0.12, 0.55, 0.16
MATRIX_AXIS_LABEL_SIZE = 14
MATRIX_LABEL_W = (0.9, 2.0)


def place_matrix(p: Placer, s: MatrixSlide) -> list[Shape]:
    """Four panels; the y axis (low at the bottom) at the left, the x axis along the bottom."""
    t, ink = p.theme, p.ink(s)
    shapes = p.content_frame(s)
    c = p.frame(s).content
    axis = MATRIX_AXIS_LABEL_SIZE
    label_w = max(text_em(label) * axis / 72 * 1.15 + 0.3 for label in s.y)
    label_w = min(max(label_w, MATRIX_LABEL_W[0]), MATRIX_LABEL_W[1], c.w / 5)
    arrow_x = c.x + label_w + 0.05
    gx = arrow_x + MATRIX_ARROW + 0.15
    gw = c.x + c.w - gx
    bottom_h = MATRIX_ARROW + 0.15 + axis / 72 * 1.6
    gh = c.h - bottom_h
    qw, qh = (gw - MATRIX_GAP) / 2, (gh - MATRIX_GAP) / 2
    accent = readable(t.accent, ink.background, LARGE_CONTRAST)
    heading_size = layout.takeaways_size(t.body_size)
    body_size = heading_size - 2
    names = ("Top Left", "Top Right", "Bottom Left", "Bottom Right")
    for q, (quadrant, name) in enumerate(zip(s.quadrants, names, strict=True)):
        x = gx + (q % 2) * (qw + MATRIX_GAP)
        y = c.y + (q // 2) * (qh + MATRIX_GAP)
        strong = q == 1
        shapes.append(
            Autoshape(
                f"Matrix {name}",
                Rect.of(Box(x, y, qw, qh)),
                "rect",
                (mix(ink.panel, t.accent, 0.14) if strong else ink.panel),
            )
        )
        shapes.append(
            Autoshape(
                f"Matrix {name} Band",
                Rect.of(Box(x, y, qw, 0.07)),
                "rect",
                accent if strong else ink.primary,
            )
        )
        top = y + 0.12
        if quadrant.heading:
            shapes.append(
                TextBox(
                    f"Matrix {name} Heading",
                    Rect.of(Box(x + 0.1, top, qw - 0.2, MATRIX_HEADING_H)),
                    TextFrame(
                        (
                            para(
                                parse_inline(quadrant.heading),
                                heading_size,
                                accent if strong else ink.primary,
                                bold=True,
                                line=1.1,
                            ),
                        ),
                        "ctr",
                    ),
                )
            )
            top += MATRIX_HEADING_H
        if quadrant.paras:
            shapes.append(
                TextBox(
                    f"Matrix {name} Bullets",
                    Rect.of(Box(x + 0.1, top + 0.05, qw - 0.2, y + qh - top - 0.15)),
                    TextFrame(bullet_paragraphs(quadrant.paras, ink, body_size)),
                )
            )
    # The y axis: an arrow up the left side, low at the bottom, high at the top.
    shapes.append(
        Autoshape(
            "Matrix Y Arrow", Rect.of(Box(arrow_x, c.y, MATRIX_ARROW, gh)), "upArrow", ink.muted
        )
    )
    for i, label in enumerate(s.y):  # [low, high]
        row_y = c.y + (1 - i) * (qh + MATRIX_GAP)
        shapes.append(
            TextBox(
                f"Matrix Y {'High' if i else 'Low'}",
                Rect.of(Box(c.x, row_y, label_w, qh)),
                TextFrame(
                    (para(label, axis, ink.text, bold=True, align="r", line=1.1),),
                    "ctr",
                    (0.0, 0.0, 0.08, 0.0),
                ),
            )
        )
    # The x axis: an arrow along the bottom, low at the left, high at the right.
    ay = c.y + gh + 0.08
    shapes.append(
        Autoshape("Matrix X Arrow", Rect.of(Box(gx, ay, gw, MATRIX_ARROW)), "rightArrow", ink.muted)
    )
    for i, label in enumerate(s.x):
        shapes.append(
            TextBox(
                f"Matrix X {'High' if i else 'Low'}",
                Rect.of(
                    Box(
                        gx + i * (qw + MATRIX_GAP),
                        ay + MATRIX_ARROW + 0.02,
                        qw,
                        c.y + c.h - ay - MATRIX_ARROW - 0.02,
                    )
                ),
                TextFrame(
                    (para(label, axis, ink.text, bold=True, align="ctr", line=1.1),),
                    "t",
                    (0.05, 0.02, 0.05, 0.0),
                ),
            )
        )
    return shapes


#: Pictures side by side: gap between cells and caption band (inches).
IMAGES_GAP, IMAGES_CAPTION_H = 0.3, 0.5


def place_images(p: Placer, s: ImagesSlide) -> list[Shape]:
    """2-3 pictures side by side, 4 in a 2×2 grid, each fitted to its cell, captions under."""
    ink = p.ink(s)
    shapes = p.content_frame(s)
    c = p.frame(s).content
    n = len(s.images)
    cols, rows = (2, 2) if n == 4 else (n, 1)
    cw = (c.w - (cols - 1) * IMAGES_GAP) / cols
    ch = (c.h - (rows - 1) * IMAGES_GAP) / rows
    cap_h = IMAGES_CAPTION_H if s.captions else 0.0
    sizes = []
    for image in s.images:
        px_w, px_h = image_size(image)
        scale = min(cw / px_w, (ch - cap_h) / px_h)
        sizes.append((px_w * scale, px_h * scale))
    for i, image in enumerate(s.images):
        x = c.x + (i % cols) * (cw + IMAGES_GAP)
        y = c.y + (i // cols) * (ch + IMAGES_GAP)
        w, h = sizes[i]
        # Pictures of a row are centred on one band, their captions on one line under it.
        tallest = max(sz[1] for k, sz in enumerate(sizes) if k // cols == i // cols)
        band = y + (ch - cap_h - tallest) / 2
        top = band + (tallest - h) / 2
        caption = s.captions[i] if s.captions else ""
        descr = plain(caption) if caption else f"{plain(s.title)} ({i + 1}/{n})"
        shapes.append(
            Picture(f"Image {i + 1}", Rect.of(Box(x + (cw - w) / 2, top, w, h)), image, descr)
        )
        if caption:
            shapes.append(
                TextBox(
                    f"Caption {i + 1}",
                    Rect.of(Box(x, band + tallest + 0.05, cw, cap_h - 0.05)),
                    TextFrame(
                        (
                            para(
                                parse_inline(caption),
                                CAPTION_SIZE,
                                ink.muted,
                                align="ctr",
                                line=1.15,
                            ),
                        ),
                    ),
                )
            )
    return shapes


# ---------------------------------------------------------------------------- kpis

KPI_GAP = 0.3  # inches between cards
KPI_BAR = 0.08  # the primary-coloured bar on top of each card
KPI_LABEL_SIZE = 18
KPI_UNIT_SIZE = 16
KPI_DELTA_SIZE = 16
KPI_NOTE_SIZE = 13
KPI_PAD = 0.2  # inches inside a card
#: Green for a change in the good direction (made readable on the card).
KPI_GOOD = "2E7D32"
KPI_LINE = 1.2
KPI_INSET = (0.05, 0.01, 0.05, 0.01)  # the cards' text boxes: tight, the card pads them


def kpi_grid(n: int) -> tuple[int, int]:
    """(columns, rows): 1-3 in one row, 4 as 2x2, 5-6 three per row."""
    cols = n if n <= 3 else 2 if n == 4 else 3
    return cols, -(-n // cols)


def kpi_cards(content: Box, n: int) -> list[Box]:
    """The cards of ``n`` KPIs, filling the content area row by row; a short last row is
    centred."""
    cols, rows = kpi_grid(n)
    gap = min(KPI_GAP, content.w * 0.03)
    w = (content.w - gap * (cols - 1)) / cols
    h = (content.h - gap * (rows - 1)) / rows
    boxes = []
    for i in range(n):
        row, col = divmod(i, cols)
        in_row = min(cols, n - row * cols)
        left = content.x + (content.w - in_row * w - (in_row - 1) * gap) / 2
        boxes.append(Box(left + col * (w + gap), content.y + row * (h + gap), w, h))
    return boxes


def kpi_text_width(card: Box) -> float:
    """Inches the value may take in a card (the text box's insets included)."""
    return card.w - 2 * KPI_PAD - KPI_INSET[0] - KPI_INSET[2]


def kpi_delta_color(ok: bool | None, theme: Theme, ink: Ink, panel: str) -> str:
    if ok is None:
        return ink.muted
    return readable(KPI_GOOD if ok else theme.accent, panel, LARGE_CONTRAST)


def _line_h(size: float, lines: int = 1) -> float:
    return size * KPI_LINE * lines / 72 + 2 * KPI_INSET[1] + 0.02  # insets and some air


def kpi_stack(k: Kpi, value_size: float) -> list[tuple[str, float]]:
    """The parts of a card top to bottom with their heights (inches)."""
    parts = [("Label", _line_h(KPI_LABEL_SIZE)), ("Value", _line_h(value_size))]
    if k.unit:
        parts.append(("Unit", _line_h(KPI_UNIT_SIZE)))
    if k.deltas:
        parts.append(("Deltas", _line_h(KPI_DELTA_SIZE, len(k.deltas)) + 0.06))
    if k.note:
        parts.append(("Note", _line_h(KPI_NOTE_SIZE)))
    return parts


def place_kpis(p: Placer, s: KpisSlide) -> list[Shape]:
    """Big numbers in cards: label, value (as written), unit, ▲▼ comparisons, note."""
    t, ink = p.theme, p.ink(s)
    shapes = p.content_frame(s)
    panel = ink.panel
    text = readable(ink.text, panel)
    muted = readable(ink.muted, panel)
    value_color = readable(ink.primary, panel, LARGE_CONTRAST)
    size = s.value_size or 48
    for i, (k, card) in enumerate(zip(s.kpis, kpi_cards(p.frame(s).content, len(s.kpis))), 1):
        shapes.append(Autoshape(f"KPI Card {i}", Rect.of(card), "rect", panel))
        shapes.append(
            Autoshape(
                f"KPI Bar {i}", Rect.of(Box(card.x, card.y, card.w, KPI_BAR)), "rect", t.primary
            )
        )
        stack = kpi_stack(k, size)
        total = sum(h for _, h in stack)
        y = card.y + KPI_BAR + max(0.0, (card.h - KPI_BAR - total) / 2)
        x, w = card.x + KPI_PAD, card.w - 2 * KPI_PAD
        for part, h in stack:
            paras: tuple[Paragraph, ...]
            if part == "Label":
                paras = (para(plain(k.label), KPI_LABEL_SIZE, text, bold=True, align="ctr"),)
            elif part == "Value":
                paras = (para(k.value, size, value_color, bold=True, align="ctr", line=KPI_LINE),)
            elif part == "Unit":
                paras = (para(parse_inline(k.unit or ""), KPI_UNIT_SIZE, muted, align="ctr"),)
            elif part == "Deltas":
                paras = tuple(
                    para(
                        (
                            Run(f"{caption} "),
                            Run(f"{'▲▼'[d < 0] if d else '±'}{_unsigned(v)}", True),
                        ),
                        KPI_DELTA_SIZE,
                        kpi_delta_color(ok, t, ink, panel),
                        align="ctr",
                        line=KPI_LINE,
                    )
                    for caption, v, d, ok in k.deltas
                )
            else:
                paras = (para(parse_inline(k.note or ""), KPI_NOTE_SIZE, muted, align="ctr"),)
            shapes.append(
                TextBox(
                    f"KPI {part} {i}", Rect.of(Box(x, y, w, h)), TextFrame(paras, "ctr", KPI_INSET)
                )
            )
            y += h
    return shapes


def _unsigned(change: str) -> str:
    """``-1.4%`` → ``1.4%``: the arrow shows the sign."""
    return change.lstrip("+-−＋")


# ---------------------------------------------------------------------------- callout

CALLOUT_SIZE = 32  # the statement's largest size (points)
CALLOUT_FLOOR = 20
CALLOUT_MAX_LINES = 3
CALLOUT_PAD = 0.3  # inches inside the box, left and right
CALLOUT_LINE = 1.25
CALLOUT_GAP = 0.35  # inches between the box and the bullets


def callout_boxes(content: Box, size: float, lines: int) -> tuple[Box, Box, Box]:
    """(the box, the statement's text box inside it, the bullets' area below)."""
    h = lines * size * CALLOUT_LINE / 72 + 0.1 + 2 * 0.22
    box = Box(content.x, content.y + 0.1, content.w, min(h, content.h * 0.6))
    text = Box(box.x + CALLOUT_PAD, box.y, box.w - 2 * CALLOUT_PAD, box.h)
    below = box.y + box.h + CALLOUT_GAP
    body = Box(content.x, below, content.w, max(content.y + content.h - below, 0.1))
    return box, text, body


def place_callout(p: Placer, s: CalloutSlide) -> list[Shape]:
    """A statement in bold in a rounded box, the bullets below it."""
    t, ink = p.theme, p.ink(s)
    shapes = p.content_frame(s)
    size = s.size or CALLOUT_SIZE
    box, text_box, body = callout_boxes(p.frame(s).content, size, s.lines)
    shapes.append(Autoshape("Callout Box", Rect.of(box), "roundRect", ink.panel, adjust=0.12))
    shapes.append(
        Autoshape(
            "Callout Bar",
            Rect.of(Box(box.x, box.y + 0.15, 0.09, max(box.h - 0.3, 0.05))),
            "rect",
            readable(t.accent, ink.panel, LARGE_CONTRAST),
        )
    )
    color = readable(ink.primary, ink.panel, LARGE_CONTRAST)
    shapes.append(
        TextBox(
            "Callout",
            Rect.of(text_box),
            TextFrame(
                (para(parse_inline(s.text), size, color, bold=True, line=CALLOUT_LINE),), "ctr"
            ),
        )
    )
    if s.paras:
        body_size = s.body_size or t.body_size
        paras = bullet_paragraphs(s.paras, ink, body_size, s.size_of("gap", 0.0))
        shapes.append(TextBox("Body", Rect.of(body), TextFrame(paras)))
    return shapes


PLACERS: dict[str, Callable] = {
    "images": place_images,
    "matrix": place_matrix,
    "timeline": place_timeline,
    "callout": place_callout,
    "kpis": place_kpis,
    "title": place_title,
    "agenda": place_agenda,
    "section": place_section,
    "bullets": place_bullets,
    "chart": place_chart,
    "table": place_table,
    "columns": place_columns,
    "quote": place_quote,
    "image": place_image,
    "flow": place_flow,
}


def place_deck(deck: Deck) -> tuple[Page, ...]:
    placer = Placer(deck)
    return tuple(placer.page(s) for s in deck.slides)


def replace_size(frame: TextFrame, delta: float) -> TextFrame:
    """Every paragraph ``delta`` points smaller (sizes then written explicitly)."""
    return dataclasses.replace(
        frame,
        paras=tuple(
            dataclasses.replace(q, size=q.size - delta, own_size=True) for q in frame.paras
        ),
    )
