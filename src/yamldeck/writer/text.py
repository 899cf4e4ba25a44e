"""Text in DrawingML the way Japanese decks need it.

Every run gets ``lang``/``altLang`` and all three font slots (latin, ea, cs) in schema order,
so PowerPoint applies kinsoku and draws kana and kanji in the East Asian font; every paragraph
gets explicit line spacing in points and Japanese line-breaking flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from lxml import etree
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches

from ..deck import Para, Run, parse_inline
from ..layout import BULLET_LEVELS, Box
from ..theme import Theme


def emu(inches: float) -> Emu:
    return Emu(int(round(inches * 914400)))


@dataclass(frozen=True)
class Style:
    """How a block of text looks; sizes in points, colours as RRGGBB."""

    size: float
    color: str
    bold: bool = False
    align: str = "l"  # l, ctr, r
    line: float = 1.2  # line height as a multiple of the size, written in points
    space_before: float = 0.0
    template: bool = False  # a template's placeholder: only the size (if any) is ours

    @property
    def inherited(self) -> bool:
        """Size 0: text in a template's placeholder keeps the template's own look."""
        return self.size <= 0


#: For placeholders of a corporate template: only language, fonts and bold are written.
TEMPLATE_STYLE = Style(0, "", template=True)


def rpr_xml(
    tag: str, theme: Theme, style: Style, bold: bool | None = None, color: str | None = None
) -> str:
    b = style.bold if bold is None else bold
    latin, ea = quoteattr(theme.latin), quoteattr(theme.east_asian)
    size = "" if style.inherited else f'sz="{int(round(style.size * 100))}" '
    bold_attr = f'b="{1 if b else 0}" ' if b or not style.inherited else ""
    fill_color = color or style.color
    fill = f'<a:solidFill><a:srgbClr val="{fill_color}"/></a:solidFill>' if fill_color else ""
    return (
        f'<a:{tag} {nsdecls("a")} lang="{theme.lang}" altLang="en-US" {size}{bold_attr}'
        f'dirty="0">{fill}'
        f"<a:latin typeface={latin}/><a:ea typeface={ea}/><a:cs typeface={latin}/>"
        f"</a:{tag}>"
    )


_BULLET_CHARS = {0: "■", 1: "–"}


def ppr_xml(
    style: Style, *, level: int = 0, bullet: bool = False, bullet_color: str | None = None
) -> str:
    if style.inherited or style.template:  # the template decides spacing and bullets
        return f'<a:pPr {nsdecls("a")} lvl="{level}" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"/>'
    line_pts = int(round(style.size * style.line * 100))
    attrs = f'algn="{style.align}" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"'
    children = f'<a:lnSpc><a:spcPts val="{line_pts}"/></a:lnSpc>'
    children += f'<a:spcBef><a:spcPts val="{int(style.space_before * 100)}"/></a:spcBef>'
    if bullet:
        mar_in = BULLET_LEVELS[min(level, 1)][0]
        indent = int(Inches(0.32 if level == 0 else mar_in - BULLET_LEVELS[0][0] - 0.14))
        mar = int(Inches(mar_in))
        attrs += f' marL="{mar}" indent="{-indent}" lvl="{level}"'
        size_pct = 70000 if level == 0 else 100000
        children += (
            f'<a:buClr><a:srgbClr val="{bullet_color or style.color}"/></a:buClr>'
            f'<a:buSzPct val="{size_pct}"/><a:buFont typeface="Arial"/>'
            f'<a:buChar char="{_BULLET_CHARS.get(level, "–")}"/>'
        )
    else:
        attrs += ' marL="0" indent="0"'
        children += "<a:buNone/>"
    return f"<a:pPr {nsdecls('a')} {attrs}>{children}</a:pPr>"


def fill_paragraph(
    p,
    runs: tuple[Run, ...],
    theme: Theme,
    style: Style,
    *,
    level: int = 0,
    bullet: bool = False,
    bullet_color: str | None = None,
    color: str | None = None,
) -> None:
    """Replace a paragraph's content with styled runs (python-pptx paragraph proxy)."""
    el = p._p
    for child in list(el):
        el.remove(child)
    el.append(parse_xml(ppr_xml(style, level=level, bullet=bullet, bullet_color=bullet_color)))
    for run in runs:
        rpr = rpr_xml("rPr", theme, style, bold=style.bold or run.bold, color=color)
        for i, piece in enumerate(run.text.split("\n")):
            if i:  # a line break inside the paragraph
                br = etree.SubElement(el, qn("a:br"))
                br.append(parse_xml(rpr))
            r = etree.SubElement(el, qn("a:r"))
            r.append(parse_xml(rpr))
            etree.SubElement(r, qn("a:t")).text = piece
    el.append(parse_xml(rpr_xml("endParaRPr", theme, style, color=color)))


def set_frame(
    tf,
    *,
    anchor: str = "t",
    inset: tuple[float, float, float, float] = (0.1, 0.05, 0.1, 0.05),
    wrap: bool = True,
) -> None:
    """Body properties: insets, anchor, wrapping, and no autofit (sizes are explicit)."""
    body = tf._txBody.bodyPr
    left, top, right, bottom = inset
    body.set("lIns", str(int(emu(left))))
    body.set("tIns", str(int(emu(top))))
    body.set("rIns", str(int(emu(right))))
    body.set("bIns", str(int(emu(bottom))))
    body.set("anchor", anchor)
    body.set("wrap", "square" if wrap else "none")
    body.set("rtlCol", "0")
    for child in list(body):
        body.remove(child)
    body.append(parse_xml(f"<a:noAutofit {nsdecls('a')}/>"))


def write_paras(tf, paras: list[tuple[tuple[Run, ...], dict]], theme: Theme, style: Style) -> None:
    """Write paragraphs into a text frame; each item is (runs, options for fill_paragraph)."""
    txbody = tf._txBody
    for p in txbody.findall(qn("a:p"))[1:]:
        txbody.remove(p)
    first = True
    for runs, opts in paras:
        p = tf.paragraphs[0] if first else tf.add_paragraph()
        first = False
        para_style = opts.pop("style", style)
        fill_paragraph(p, runs, theme, para_style, **opts)


def add_text(
    shapes,
    box: Box,
    paras,
    theme: Theme,
    style: Style,
    *,
    anchor: str = "t",
    inset=(0.1, 0.05, 0.1, 0.05),
    name: str | None = None,
):
    """A text box at ``box`` holding ``paras`` (list of (runs, options)) or one string."""
    shape = shapes.add_textbox(emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    if name:
        shape.name = name
    tf = shape.text_frame
    set_frame(tf, anchor=anchor, inset=inset)
    if isinstance(paras, str):
        paras = [((Run(paras),), {})]
    write_paras(tf, paras, theme, style)
    return shape


def bullet_paras(
    paras: tuple[Para, ...], theme: Theme, size: float, sub_size: float | None = None
) -> list:
    """Two-level bullets: squares in the primary colour, dashes for the second level.

    A lone bullet is a message, not a list, and is set without a marker.
    """
    out = []
    lone = len(paras) == 1
    for i, para in enumerate(paras):
        level = min(para.level, 1)
        _, smaller, line, before = BULLET_LEVELS[level]
        s = (sub_size or size - smaller) if level else size
        style = Style(s, theme.text, line=line, space_before=0 if i == 0 else s * before)
        out.append(
            (
                para.runs,
                {
                    "style": style,
                    "bullet": not lone,
                    "level": level,
                    "bullet_color": theme.muted if level else theme.primary,
                },
            )
        )
    return out


def notes_paras(text: str) -> list[tuple[tuple[Run, ...], dict]]:
    """Speaker notes, one paragraph a line; ``**bold**`` becomes bold runs there too."""
    return [(parse_inline(line), {}) for line in text.strip().splitlines() or [""]]


def field_xml(theme: Theme, style: Style, number: int) -> str:
    """A slide-number field: PowerPoint renumbers it when slides move."""
    return (
        f'<a:fld {nsdecls("a")} id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="slidenum">'
        + rpr_xml("rPr", theme, style)
        + f"<a:t>{number}</a:t></a:fld>"
    )
