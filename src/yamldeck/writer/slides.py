"""One short function per slide kind: place the planned content on the 16:9 grid."""

from __future__ import annotations

import copy
import io

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Pt

from .. import layout
from ..deck import (
    AgendaSlide,
    BulletsSlide,
    ChartSlide,
    ColumnsSlide,
    Deck,
    FlowSlide,
    ImageSlide,
    QuoteSlide,
    Run,
    SectionSlide,
    Slide,
    TableSlide,
    TitleSlide,
    footer_runs,
    parse_inline,
    plain,
    quote_runs,
)
from ..layout import Box
from ..theme import Theme, tint
from ..design import Frame
from .native import add_native_chart
from .template import find_layout
from .text import (
    TEMPLATE_STYLE,
    Style,
    add_text,
    bullet_paras,
    emu,
    field_xml,
    notes_paras,
    set_frame,
    write_paras,
)

CELL_MARGIN_X = layout.CELL_MARGIN_X


class SlideWriter:
    """Writes planned slides into the built-in 16:9 base or a company template.

    With a template, titles and bullets go into the layout's own placeholders and keep the
    template's look; footers and slide numbers are the layout's placeholders, cloned onto the
    slide (python-pptx never copies them, #658); nothing of the built-in decoration is drawn.
    """

    def __init__(self, prs, deck: Deck, images: dict):
        self.prs = prs
        self.deck = deck
        self.theme: Theme = deck.theme
        self.images = images
        self.templated = deck.design.template is not None

    # ------------------------------------------------------------------ common parts

    def frame(self, planned: Slide) -> Frame:
        return self.deck.design.frame(planned.layout)

    def content_box(self, planned: Slide) -> Box:
        return self.frame(planned).content

    def new_slide(self, planned: Slide):
        slide = self.prs.slides.add_slide(find_layout(self.prs, planned.layout))
        if (not self.templated and self.theme.background != "FFFFFF"
                and planned.kind != "section"):
            self.background(slide, self.theme.background)
        return slide

    def background(self, slide, color: str) -> None:
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(color)

    def keep_placeholders(self, slide, keep: set[int]) -> None:
        """Unused placeholders would show 「クリックしてテキストを入力」 in edit view."""
        for ph in list(slide.placeholders):
            if ph.placeholder_format.idx not in keep:
                ph._element.getparent().remove(ph._element)

    @staticmethod
    def placeholder(slide, *types):
        """The slide's placeholder of one of ``types``, lowest idx first (never by position)."""
        found = sorted((ph for ph in slide.placeholders if ph.placeholder_format.type in types),
                       key=lambda ph: ph.placeholder_format.idx)
        return found[0] if found else None

    def title(self, slide, text: str, box: Box, style: Style, anchor: str = "b") -> None:
        shape = slide.shapes.title
        if shape is None:  # a layout without a title placeholder: a text box in its place
            add_text(slide.shapes, box, text, self.theme,
                     Style(self.theme.title_size, self.theme.primary, bold=True, line=1.1),
                     anchor=anchor, name="Title")
            return
        if self.templated:
            keep = style if style.template else TEMPLATE_STYLE
            write_paras(shape.text_frame, [((Run(text),), {})], self.theme, keep)
            return
        shape.left, shape.top = emu(box.x), emu(box.y)
        shape.width, shape.height = emu(box.w), emu(box.h)
        set_frame(shape.text_frame, anchor=anchor, inset=(0.0, 0.02, 0.0, 0.02))
        write_paras(shape.text_frame, [((Run(text),), {})], self.theme, style)

    def rect(self, slide, box: Box, color: str, shape_type=MSO_SHAPE.RECTANGLE, name=None):
        shape = slide.shapes.add_shape(shape_type, emu(box.x), emu(box.y), emu(box.w),
                                       emu(box.h))
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(color)
        shape.line.fill.background()
        _drop_style(shape)
        if name:
            shape.name = name
        return shape

    def hline(self, slide, x: float, y: float, w: float, color: str, weight: float = 0.75):
        line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, emu(x), emu(y), emu(x + w),
                                          emu(y))
        line.line.color.rgb = RGBColor.from_string(color)
        line.line.width = Pt(weight)
        _drop_style(line)
        return line

    def content_frame(self, slide, planned: Slide, keep: set[int] = frozenset()) -> None:
        """Title, footer, slide number and logo: the same on every content slide."""
        t = self.theme
        title = self.frame(planned).title or layout.TITLE
        self.keep_placeholders(slide, {0, *keep})
        if not self.templated and t.logo and t.logo_corner.startswith("top"):
            room = t.logo_width + 0.3
            title = Box(title.x + (room if t.logo_corner == "top-left" else 0), title.y,
                        title.w - room, title.h)
        text = "\n".join(planned.title_lines) if planned.title_lines else planned.title
        if self.templated:  # the template's title style, at the fitted size if it had to shrink
            style = Style(planned.title_size, "", template=True)
        else:
            style = Style(planned.title_size or t.title_size, t.primary, bold=True, line=1.1)
        self.title(slide, text, title, style)
        if self.templated:
            self.template_footer(slide, planned)
        else:
            self.rect(slide, layout.TITLE_RULE, t.accent, name="Title Rule")
            self.footer(slide, planned)
        self.logo(slide)

    def logo(self, slide) -> None:
        t = self.theme
        if not t.logo:
            return
        from PIL import Image

        with Image.open(t.logo) as im:
            ratio = im.size[1] / im.size[0]
        w, h = t.logo_width, t.logo_width * ratio
        width, height = self.deck.design.width, self.deck.design.height
        x = 0.3 if t.logo_corner.endswith("left") else width - 0.3 - w
        y = 0.3 if t.logo_corner.startswith("top") else height - 0.55 - h
        pic = slide.shapes.add_picture(t.logo, emu(x), emu(y), emu(w), emu(h))
        pic.name = "Logo"
        pic._element.nvPicPr.cNvPr.set("descr", "ロゴ")

    def footer(self, slide, planned: Slide) -> None:
        t = self.theme
        self.hline(slide, layout.MARGIN_X, layout.FOOTER_LINE_Y, layout.CONTENT_W, t.rule)
        style = Style(10, t.muted, line=1.0)
        runs = footer_runs(planned.footer, planned.section)
        left = layout.FOOTER.x + (t.logo_width + 0.3 if t.logo and t.logo_corner ==
                                  "bottom-left" else 0)
        if runs:
            add_text(slide.shapes, Box(left, layout.FOOTER.y, layout.FOOTER.w - 2.8,
                                       layout.FOOTER.h),
                     [(runs, {})], t, style, anchor="ctr", inset=(0, 0, 0, 0),
                     name="Footer")
        if planned.show_number:
            right = t.logo_width + 0.3 if t.logo and t.logo_corner == "bottom-right" else 0
            box = Box(layout.FOOTER.x + layout.FOOTER.w - 1.0 - right, layout.FOOTER.y, 1.0,
                      layout.FOOTER.h)
            shape = add_text(slide.shapes, box, [((Run(""),), {})], t,
                             Style(10, t.muted, align="r", line=1.0), anchor="ctr",
                             inset=(0, 0, 0, 0), name="Slide Number")
            self.number_field(shape, planned.number, Style(10, t.muted))

    def number_field(self, shape, number: int, style: Style) -> None:
        p = shape.text_frame.paragraphs[0]._p
        for r in p.findall(qn("a:r")) + p.findall(qn("a:fld")):
            p.remove(r)
        p.insert(1, parse_xml(field_xml(self.theme, style, number)))

    def template_footer(self, slide, planned: Slide) -> None:
        """The layout's own footer and slide-number placeholders, filled."""
        runs = footer_runs(planned.footer, planned.section)
        if runs:
            shape = self.clone_placeholder(slide, PP_PLACEHOLDER.FOOTER)
            if shape is not None:
                write_paras(shape.text_frame, [(runs, {})], self.theme, TEMPLATE_STYLE)
        if planned.show_number:
            shape = self.clone_placeholder(slide, PP_PLACEHOLDER.SLIDE_NUMBER)
            if shape is not None:
                write_paras(shape.text_frame, [((Run(""),), {})], self.theme, TEMPLATE_STYLE)
                self.number_field(shape, planned.number, TEMPLATE_STYLE)

    @staticmethod
    def clone_placeholder(slide, ph_type):
        source = next((ph for ph in slide.slide_layout.placeholders
                       if ph.placeholder_format.type == ph_type), None)
        if source is None:
            return None
        el = copy.deepcopy(source._element)
        el.nvSpPr.cNvPr.id = slide.shapes._next_shape_id
        for ext in el.nvSpPr.cNvPr.findall(qn("a:extLst")):  # the layout's a16:creationId
            el.nvSpPr.cNvPr.remove(ext)
        slide.shapes._spTree.insert_element_before(el, "p:extLst")
        return next(sh for sh in slide.shapes if sh._element is el)

    def notes(self, slide, planned: Slide) -> None:
        if not planned.notes:
            return
        tf = slide.notes_slide.notes_text_frame
        if tf is None:  # unusual notes masters have no body placeholder (python-pptx #983)
            return
        write_paras(tf, notes_paras(planned.notes), self.theme, Style(12, self.theme.text))

    # ------------------------------------------------------------------ slide kinds

    def write(self, planned: Slide) -> None:
        slide = self.new_slide(planned)
        getattr(self, f"slide_{planned.kind}")(slide, planned)
        self.notes(slide, planned)

    def slide_title(self, slide, s: TitleSlide) -> None:
        if self.templated:
            return self.template_title_slide(slide, s)
        t = self.theme
        self.keep_placeholders(slide, {0, 1})
        self.rect(slide, Box(0, 0, 0.32, layout.SLIDE_H), t.primary, name="Band")
        self.rect(slide, Box(0.32, 0, 0.08, layout.SLIDE_H), t.accent, name="Band Accent")
        size = s.title_size or 40
        text = "\n".join(s.title_lines) if s.title_lines else s.title
        self.title(slide, text, Box(1.1, 1.2, 11.4, 2.6),
                   Style(size, t.primary, bold=True, line=1.15), anchor="b")
        self.rect(slide, Box(1.1, 4.0, 1.6, 0.07), t.accent, name="Title Rule")
        sub = slide.placeholders[1]
        if s.subtitle:
            sub.left, sub.top, sub.width, sub.height = emu(1.1), emu(4.25), emu(11.4), emu(0.9)
            set_frame(sub.text_frame, anchor="t", inset=(0, 0.02, 0, 0.02))
            write_paras(sub.text_frame, [(parse_inline(s.subtitle), {})], t,
                        Style(24, t.text, line=1.2))
        else:
            sub._element.getparent().remove(sub._element)
        lines = [(parse_inline(s.author), {"style": Style(20, t.text, bold=True, line=1.3)})] \
            if s.author else []
        if s.date:
            lines.append((parse_inline(s.date), {"style": Style(16, t.muted, line=1.3)}))
        if lines:
            add_text(slide.shapes, Box(1.1, 5.45, 11.4, 1.1), lines, t, Style(16, t.text),
                     inset=(0, 0, 0, 0), name="Byline")
        if t.logo:
            self.logo(slide)

    def template_title_slide(self, slide, s: TitleSlide) -> None:
        sub = self.placeholder(slide, PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
        keep = {0} | ({sub.placeholder_format.idx} if sub is not None else set())
        title_ph = self.placeholder(slide, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)
        if title_ph is not None:
            keep.add(title_ph.placeholder_format.idx)
        self.keep_placeholders(slide, keep)
        frame = self.frame(s)
        self.title(slide, s.title, frame.title or layout.TITLE, TEMPLATE_STYLE)
        lines = [text for text in (s.subtitle, s.author, s.date) if text]
        if sub is not None and lines:
            write_paras(sub.text_frame, [(parse_inline(text), {}) for text in lines],
                        self.theme, TEMPLATE_STYLE)
        elif sub is not None:
            sub._element.getparent().remove(sub._element)
        elif lines:
            box = frame.content
            add_text(slide.shapes, Box(box.x, box.y + box.h * 0.55, box.w, box.h * 0.4),
                     [(parse_inline(text), {}) for text in lines], self.theme,
                     Style(20, self.theme.text), name="Byline")

    def slide_agenda(self, slide, s: AgendaSlide) -> None:
        t = self.theme
        if self.fill_body(slide, s, [(parse_inline(item), {"level": 0}) for item in s.items]):
            return
        self.content_frame(slide, s)
        content = self.content_box(s)
        n = len(s.items)
        cols = 1 if n <= 7 else 2
        per_col = max(1, -(-n // cols))
        row_h = min(0.68, content.h / per_col)
        for c, col in enumerate(content.columns(cols, gap=0.5)):
            for r in range(per_col):
                i = c * per_col + r
                if i >= n:
                    break
                y = col.y + r * row_h
                num = self.rect(slide, Box(col.x, y + 0.07, 0.6, row_h - 0.14), t.primary,
                                name=f"Agenda Number {i + 1}")
                set_frame(num.text_frame, anchor="ctr", inset=(0, 0, 0, 0))
                write_paras(num.text_frame, [((Run(f"{i + 1:02d}"),), {})], t,
                            Style(18, "FFFFFF", bold=True, align="ctr", line=1.0))
                item_size = s.size_of("item", 22)
                add_text(slide.shapes, Box(col.x + 0.8, y, col.w - 0.8, row_h),
                         [(parse_inline(s.items[i]), {})], t,
                         Style(item_size, t.text, line=1.1), anchor="ctr",
                         name=f"Agenda Item {i + 1}")
                if r < per_col - 1 and i < n - 1:
                    self.hline(slide, col.x + 0.8, y + row_h, col.w - 0.8, tint(t.text, 0.88))

    def slide_section(self, slide, s: SectionSlide) -> None:
        t = self.theme
        if self.templated:
            self.keep_placeholders(slide, {0})
            self.title(slide, s.title, self.frame(s).title or layout.TITLE, TEMPLATE_STYLE)
            return
        self.background(slide, t.primary)
        self.keep_placeholders(slide, {0})
        add_text(slide.shapes, Box(1.1, 1.5, 4.0, 1.5), f"{s.index:02d}", t,
                 Style(72, tint(t.primary, 0.45), bold=True, line=1.0), anchor="b",
                 inset=(0, 0, 0, 0), name="Section Number")
        self.rect(slide, Box(1.1, 3.2, 1.6, 0.07), t.accent, name="Section Rule")
        size = s.title_size or 36
        text = "\n".join(s.title_lines) if s.title_lines else s.title
        self.title(slide, text, Box(1.1, 3.45, 11.2, 1.6),
                   Style(size, "FFFFFF", bold=True, line=1.15), anchor="t")
        if s.show_number:
            box = Box(layout.FOOTER.x + layout.FOOTER.w - 1.0, layout.FOOTER.y, 1.0,
                      layout.FOOTER.h)
            add_text(slide.shapes, box, str(s.number), t,
                     Style(10, tint(t.primary, 0.5), align="r", line=1.0), anchor="ctr",
                     inset=(0, 0, 0, 0), name="Slide Number")

    def slide_bullets(self, slide, s: BulletsSlide) -> None:
        if self.fill_body(slide, s, [(p.runs, {"level": p.level}) for p in s.paras]):
            return
        self.content_frame(slide, s)
        body = s.size or self.theme.body_size
        add_text(slide.shapes, self.content_box(s), bullet_paras(s.paras, self.theme, body),
                 self.theme, Style(body, self.theme.text), name="Body")

    def fill_body(self, slide, s: Slide, paras: list) -> bool:
        """With a template whose layout has a body placeholder, bullets go into it."""
        idx = self.frame(s).body_idx
        if not self.templated or idx is None:
            return False
        body = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == idx), None)
        if body is None:
            return False
        self.content_frame(slide, s, keep={idx})
        body.name = "Body"
        size = getattr(s, "size", 0)
        styles = [TEMPLATE_STYLE, TEMPLATE_STYLE]
        text = self.deck.design.text
        if size and text is not None:  # fitted smaller than the template's own sizes
            delta = text.body_sizes[0] - text.body_sizes[1]
            styles = [Style(size, "", template=True), Style(size - delta, "", template=True)]
        write_paras(body.text_frame, [(runs, dict(opts, style=styles[min(opts["level"], 1)]))
                                      for runs, opts in paras], self.theme, TEMPLATE_STYLE)
        return True

    def slide_chart(self, slide, s: ChartSlide) -> None:
        t = self.theme
        self.content_frame(slide, s)
        chart = s.chart
        assert chart is not None
        box = self.content_box(s)
        if s.paras:
            box, side, text_box = layout.chart_side(box)
            self.rect(slide, side, t.light, name="Takeaways Panel")
            size = s.size or layout.takeaways_size(t.body_size)
            add_text(slide.shapes, text_box, bullet_paras(s.paras, t, size), t,
                     Style(size, t.text), name="Takeaways")
        if chart.title:
            size = s.size_of("chart_title", 16)
            add_text(slide.shapes, box.top(0.45), chart.title, t,
                     Style(size, t.text, bold=True, line=1.1), anchor="t", inset=(0, 0, 0, 0),
                     name="Chart Title")
            box = box.below(0.45)
        if chart.render == "native":
            add_native_chart(slide, chart, box, t)
        else:
            picture = slide.shapes.add_picture(io.BytesIO(self.images[chart]), emu(box.x),
                                               emu(box.y), emu(chart.width), emu(chart.height))
            picture.name = f"Chart {chart.id}"
            picture._element.nvPicPr.cNvPr.set("descr", chart.alt_text)
        source_runs = []
        if chart.source:
            source_runs.extend(parse_inline(chart.source))
        if chart.note:
            source_runs.append(Run(("　※ " if chart.source else "※ ") + plain(chart.note),
                                   bold=True))
        if source_runs:
            src_box = Box(box.x, box.y + chart.height + 0.05, box.w, layout.SOURCE_H - 0.05)
            size = s.size_of("source", 11)
            add_text(slide.shapes, src_box, [(tuple(source_runs), {})], t,
                     Style(size, t.muted, line=1.15), inset=(0, 0, 0, 0), name="Chart Source")

    def slide_table(self, slide, s: TableSlide) -> None:
        t = self.theme
        self.content_frame(slide, s)
        n_rows, n_cols = len(s.rows) + 1, len(s.header)
        size = s.size
        heights = s.row_heights  # measured by the fitter, header first
        box = self.content_box(s)
        frame = slide.shapes.add_table(n_rows, n_cols, emu(box.x), emu(box.y), emu(box.w),
                                       emu(sum(heights)))
        frame.name = "Table"
        table = frame.table
        tbl_pr = table._tbl.tblPr
        tbl_pr.set("firstRow", "1")
        tbl_pr.set("bandRow", "0")
        style_id = tbl_pr.find(qn("a:tableStyleId"))
        if style_id is None:
            style_id = parse_xml(f'<a:tableStyleId {nsdecls("a")}/>')
            tbl_pr.append(style_id)
        style_id.text = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # No Style, No Grid
        for c, w in enumerate(s.widths):
            table.columns[c].width = emu(w)
        for r, h in enumerate(heights):
            table.rows[r].height = emu(h)
        for r in range(n_rows):
            header = r == 0
            values = s.header if header else s.rows[r - 1]
            fill = t.primary if header else ("FFFFFF" if r % 2 else t.light)
            for c in range(n_cols):
                cell = table.cell(r, c)
                align = "r" if s.numeric[c] else "l"
                style = Style(size, "FFFFFF" if header else t.text, bold=header,
                              align=align, line=1.2)
                write_paras(cell.text_frame, [(parse_inline(values[c]), {})], t, style)
                _style_cell(cell, fill, t.rule if not header else t.primary)

    def slide_columns(self, slide, s: ColumnsSlide) -> None:
        t = self.theme
        self.content_frame(slide, s)
        n = len(s.columns)
        size = s.size or layout.columns_size(t.body_size, n)
        content = self.content_box(s)
        headed = any(c.heading for c in s.columns)
        boxes = layout.column_boxes(content, n, headed)
        head_h = layout.COLUMN_HEAD_H if headed else 0.0
        text_w = layout.inner(boxes[0][1]).w
        needed = max(_bullets_height(c.paras, size, text_w) for c in s.columns)
        panel_h = min(max(needed + 0.5, 2.2), content.h - head_h)
        for i, (col, (box, _)) in enumerate(zip(s.columns, boxes)):
            if col.heading:
                head = self.rect(slide, box.top(head_h), t.primary, name=f"Column Heading {i + 1}")
                set_frame(head.text_frame, anchor="ctr", inset=(0.15, 0.03, 0.15, 0.03))
                head_size = s.size_of("heading", size + 2)
                write_paras(head.text_frame, [((Run(col.heading),), {})], t,
                            Style(head_size, "FFFFFF", bold=True, align="ctr", line=1.1))
            panel = Box(box.x, box.y + head_h, box.w, panel_h)
            self.rect(slide, panel, t.light, name=f"Column Panel {i + 1}")
            add_text(slide.shapes, Box(panel.x + 0.12, panel.y + 0.2, panel.w - 0.24,
                                       panel.h - 0.3),
                     bullet_paras(col.paras, t, size), t, Style(size, t.text),
                     name=f"Column {i + 1}")

    def slide_quote(self, slide, s: QuoteSlide) -> None:
        t = self.theme
        self.content_frame(slide, s)
        box = self.content_box(s)
        self.rect(slide, Box(box.x + 0.4, box.y + 0.5, 0.1, box.h - 1.4), t.accent,
                  name="Quote Bar")
        add_text(slide.shapes, layout.quote_box(box), [(quote_runs(s.quote), {})], t,
                 Style(s.size or layout.QUOTE_SIZE, t.primary, bold=True, line=1.35),
                 anchor="ctr",
                 name="Quote")
        if s.by:
            add_text(slide.shapes, Box(box.x + 0.8, box.y + box.h - 1.1, box.w - 1.6, 0.6),
                     [(parse_inline(f"— {s.by}"), {})], t,
                     Style(18, t.muted, align="r", line=1.2), anchor="t",
                     name="Quote By")

    def slide_image(self, slide, s: ImageSlide) -> None:
        from PIL import Image

        t = self.theme
        self.content_frame(slide, s)
        box = self.content_box(s)
        if s.caption:
            box = Box(box.x, box.y, box.w, box.h - 0.5)
        with Image.open(s.image) as im:
            px_w, px_h = im.size
        scale = min(box.w / px_w, box.h / px_h)
        w, h = px_w * scale, px_h * scale
        x, y = box.x + (box.w - w) / 2, box.y + (box.h - h) / 2
        pic = slide.shapes.add_picture(s.image, emu(x), emu(y), emu(w), emu(h))
        pic.name = "Image"
        pic._element.nvPicPr.cNvPr.set("descr", plain(s.caption or s.title))
        if s.caption:
            add_text(slide.shapes, layout.caption_box(self.content_box(s)),
                     [(parse_inline(s.caption), {})], t,
                     Style(s.caption_size or 14, t.muted, align="ctr", line=1.2),
                     name="Caption")

    def slide_flow(self, slide, s: FlowSlide) -> None:
        t = self.theme
        self.content_frame(slide, s)
        n = len(s.steps)
        has_details = any(step.details for step in s.steps)
        steps, details, body = layout.flow_boxes(self.content_box(s), n, has_details,
                                                 bool(s.paras))
        size = layout.flow_label_size(n)
        for i, (step, box, detail_box) in enumerate(zip(s.steps, steps, details)):
            kind = MSO_SHAPE.PENTAGON if i == 0 else MSO_SHAPE.CHEVRON
            color = t.accent if i == n - 1 else tint(t.primary, 0.55 * (n - 1 - i) / max(1, n - 1))
            shape = self.rect(slide, box, color, kind, name=f"Flow Step {i + 1}")
            shape.adjustments[0] = 0.28
            # The chevron's own geometry keeps text off its points; add only a small inset.
            set_frame(shape.text_frame, anchor="ctr", inset=(0.04, 0.04, 0.04, 0.04))
            label = s.labels[i] if s.labels else step.label
            label_size = s.size_of(f"label{i}", size)
            write_paras(shape.text_frame, [((Run(label),), {})], t,
                        Style(label_size, "FFFFFF", bold=True, align="ctr", line=1.1))
            if has_details and step.details:
                detail_size = s.size or size - 2
                add_text(slide.shapes, detail_box,
                         bullet_paras(step.details, t, detail_size), t,
                         Style(detail_size, t.text), name=f"Flow Details {i + 1}")
        if s.paras and body is not None:
            area = Box(body.x - 0.2, body.y - 0.12, body.w + 0.4, body.h + 0.2)
            self.rect(slide, area, t.light, name="Flow Panel")
            body_size = s.body_size or layout.takeaways_size(t.body_size)
            add_text(slide.shapes, body, bullet_paras(s.paras, t, body_size), t,
                     Style(body_size, t.text), anchor="ctr", name="Flow Body")


def _drop_style(shape) -> None:
    """Remove the theme style reference: its effect style adds shadows in some viewers.

    Fill and line are set explicitly, so nothing else depends on it.
    """
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _bullets_height(paras, size: float, width: float) -> float:
    """Height in inches of bullets written by ``bullet_paras``, measured as the fitter does."""
    from ..fit import default_metrics, height_of
    from ..fitplan import bullet_blocks

    return height_of(bullet_blocks(paras, size), width, default_metrics())[0]


def _style_cell(cell, fill: str, rule: str) -> None:
    """Cell fill and a bottom rule, written in schema order (borders, then fill)."""
    tc = cell._tc
    tc_pr = tc.get_or_add_tcPr()
    for child in list(tc_pr):
        tc_pr.remove(child)
    tc_pr.set("marL", str(int(emu(CELL_MARGIN_X))))
    tc_pr.set("marR", str(int(emu(CELL_MARGIN_X))))
    tc_pr.set("marT", str(int(emu(0.05))))
    tc_pr.set("marB", str(int(emu(0.05))))
    tc_pr.set("anchor", "ctr")
    for side, show in (("lnL", False), ("lnR", False), ("lnT", False), ("lnB", True)):
        if show:
            tc_pr.append(parse_xml(
                f'<a:{side} {nsdecls("a")} w="9525"><a:solidFill><a:srgbClr val="{rule}"/>'
                f"</a:solidFill></a:{side}>"))
        else:
            tc_pr.append(parse_xml(f'<a:{side} {nsdecls("a")} w="0"><a:noFill/></a:{side}>'))
    tc_pr.append(parse_xml(f'<a:solidFill {nsdecls("a")}><a:srgbClr val="{fill}"/></a:solidFill>'))
