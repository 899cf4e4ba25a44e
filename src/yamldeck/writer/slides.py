"""Translate placed pages (``shapes.Page``) into python-pptx slides; decides nothing.

Every box, size and colour comes from the page. With a template, placeholders are found by
idx on the slide (footers and slide numbers are cloned from the layout, which python-pptx
never does, #658) and unused ones are removed, so none shows 「クリックしてテキストを入力」.
"""

from __future__ import annotations

import copy
import io

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from ..shapes import (
    Autoshape,
    Chart,
    Line,
    Page,
    Picture,
    Placeholder,
    Shape,
    Table,
    TextBox,
)
from ..theme import Theme
from .native import add_native_chart
from .text import frame_props, write_frame

GEOMETRY = {
    "rect": MSO_SHAPE.RECTANGLE,
    "pentagon": MSO_SHAPE.PENTAGON,
    "chevron": MSO_SHAPE.CHEVRON,
    "roundRect": MSO_SHAPE.ROUNDED_RECTANGLE,
    "diamond": MSO_SHAPE.DIAMOND,
    "rightArrow": MSO_SHAPE.RIGHT_ARROW,
    "upArrow": MSO_SHAPE.UP_ARROW,
}
#: The table style "No Style, No Grid": cells are styled one by one.
NO_GRID_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"


class PageWriter:
    """Writes placed pages into a presentation (the built-in base or a template)."""

    def __init__(self, prs, theme: Theme, images: dict):
        self.prs = prs
        self.theme = theme
        self.images = images
        self.kept: dict = {}

    def write(self, page: Page):
        """Add ``page`` as the next slide; returns the slide."""
        master, index = page.layout
        slide = self.prs.slides.add_slide(self.prs.slide_masters[master].slide_layouts[index])
        if page.background:
            fill = slide.background.fill
            fill.solid()
            fill.fore_color.rgb = RGBColor.from_string(page.background)
        keep = {sh.idx for sh in page.shapes if isinstance(sh, Placeholder) and not sh.clone}
        self.kept = {}  # idx → the slide's placeholder, found once (each lookup is a scan)
        for ph in list(slide.placeholders):
            idx = ph.placeholder_format.idx
            if idx in keep:
                self.kept.setdefault(idx, ph)
            else:
                ph._element.getparent().remove(ph._element)
        # Number the shapes added below from the largest id left, not by a search of every
        # id for each shape (python-pptx's "turbo add"): the same ids, as each new shape
        # is the largest.
        slide.shapes.turbo_add_enabled = True
        for shape in page.shapes:
            self.draw(slide, shape)
        if page.notes:
            tf = slide.notes_slide.notes_text_frame
            if tf is not None:  # unusual notes masters have no body placeholder (#983)
                write_frame(tf, page.notes, self.theme)
        return slide

    def draw(self, slide, shape: Shape) -> None:
        if isinstance(shape, Placeholder):
            self.placeholder(slide, shape)
        elif isinstance(shape, TextBox):
            b = shape.box
            box = slide.shapes.add_textbox(Emu(b.x), Emu(b.y), Emu(b.w), Emu(b.h))
            box.name = shape.name
            frame_props(box.text_frame, shape.text)
            write_frame(box.text_frame, shape.text.paras, self.theme)
        elif isinstance(shape, Autoshape):
            self.autoshape(slide, shape)
        elif isinstance(shape, Line):
            b = shape.box
            line = slide.shapes.add_connector(
                MSO_CONNECTOR.STRAIGHT, Emu(b.x), Emu(b.y), Emu(b.x + b.w), Emu(b.y + b.h)
            )
            line.line.color.rgb = RGBColor.from_string(shape.color)
            line.line.width = Pt(shape.weight)
            line.name = shape.name
            _drop_style(line)
        elif isinstance(shape, Picture):
            b = shape.box
            source = shape.path if shape.chart is None else io.BytesIO(self.images[shape.chart])
            pic = slide.shapes.add_picture(source, Emu(b.x), Emu(b.y), Emu(b.w), Emu(b.h))
            pic.name = shape.name
            pic._element.nvPicPr.cNvPr.set("descr", shape.descr)
        elif isinstance(shape, Table):
            self.table(slide, shape)
        elif isinstance(shape, Chart):
            add_native_chart(slide, shape, self.theme)

    def placeholder(self, slide, shape: Placeholder) -> None:
        if shape.clone:
            ph = _clone_placeholder(slide, shape.idx)
            if ph is None:
                return
        else:
            ph = self.kept[shape.idx]
        ph.name = shape.name
        if shape.box is not None:
            b = shape.box
            ph.left, ph.top, ph.width, ph.height = Emu(b.x), Emu(b.y), Emu(b.w), Emu(b.h)
            if shape.frame is not None:
                frame_props(ph.text_frame, shape.frame)
        if shape.frame is not None:
            write_frame(ph.text_frame, shape.frame.paras, self.theme)

    def autoshape(self, slide, shape: Autoshape) -> None:
        b = shape.box
        sp = slide.shapes.add_shape(
            GEOMETRY[shape.geometry], Emu(b.x), Emu(b.y), Emu(b.w), Emu(b.h)
        )
        sp.fill.solid()
        sp.fill.fore_color.rgb = RGBColor.from_string(shape.fill)
        sp.line.fill.background()
        _drop_style(sp)
        sp.name = shape.name
        if shape.adjust is not None:
            sp.adjustments[0] = shape.adjust
        if shape.text is not None:
            frame_props(sp.text_frame, shape.text)
            write_frame(sp.text_frame, shape.text.paras, self.theme)

    def table(self, slide, shape: Table) -> None:
        b = shape.box
        frame = slide.shapes.add_table(
            len(shape.rows), len(shape.widths), Emu(b.x), Emu(b.y), Emu(b.w), Emu(b.h)
        )
        frame.name = shape.name
        table = frame.table
        tbl_pr = table._tbl.tblPr
        tbl_pr.set("firstRow", "1")
        tbl_pr.set("bandRow", "0")
        style_id = tbl_pr.find(qn("a:tableStyleId"))
        if style_id is None:
            style_id = parse_xml(f"<a:tableStyleId {nsdecls('a')}/>")
            tbl_pr.append(style_id)
        style_id.text = NO_GRID_STYLE
        for c, w in enumerate(shape.widths):
            table.columns[c].width = Emu(w)
        for r, h in enumerate(shape.heights):
            table.rows[r].height = Emu(h)
        for r, row in enumerate(shape.rows):
            for c, planned in enumerate(row):
                cell = table.cell(r, c)
                write_frame(cell.text_frame, planned.paras, self.theme)
                _style_cell(cell, planned.fill, planned.rule, planned.rule_width, shape.margins)


def _clone_placeholder(slide, idx: int):
    """A footer or slide-number placeholder of the layout, copied onto the slide."""
    source = next(
        (ph for ph in slide.slide_layout.placeholders if ph.placeholder_format.idx == idx), None
    )
    if source is None:
        return None
    el = copy.deepcopy(source._element)
    el.nvSpPr.cNvPr.id = slide.shapes._next_shape_id
    for ext in el.nvSpPr.cNvPr.findall(qn("a:extLst")):  # the layout's a16:creationId
        el.nvSpPr.cNvPr.remove(ext)
    slide.shapes._spTree.insert_element_before(el, "p:extLst")
    return next(sh for sh in slide.shapes if sh._element is el)


def _drop_style(shape) -> None:
    """Remove the theme style reference: its effect style adds shadows in some viewers.

    Fill and line are set explicitly, so nothing else depends on it.
    """
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _style_cell(cell, fill: str, rule: str, rule_width: int, margins: tuple[int, int]) -> None:
    """Cell fill and a bottom rule, written in schema order (borders, then fill)."""
    tc = cell._tc
    tc_pr = tc.get_or_add_tcPr()
    for child in list(tc_pr):
        tc_pr.remove(child)
    mar_x, mar_y = (str(m) for m in margins)
    tc_pr.set("marL", mar_x)
    tc_pr.set("marR", mar_x)
    tc_pr.set("marT", mar_y)
    tc_pr.set("marB", mar_y)
    tc_pr.set("anchor", "ctr")
    for side, show in (("lnL", False), ("lnR", False), ("lnT", False), ("lnB", True)):
        if show:
            tc_pr.append(
                parse_xml(
                    f'<a:{side} {nsdecls("a")} w="{rule_width}"><a:solidFill>'
                    f'<a:srgbClr val="{rule}"/></a:solidFill></a:{side}>'
                )
            )
        else:
            tc_pr.append(parse_xml(f'<a:{side} {nsdecls("a")} w="0"><a:noFill/></a:{side}>'))
    tc_pr.append(parse_xml(f'<a:solidFill {nsdecls("a")}><a:srgbClr val="{fill}"/></a:solidFill>'))
