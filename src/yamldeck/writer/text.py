"""Text in DrawingML the way Japanese decks need it.

Every run gets ``lang``/``altLang`` and all three font slots (latin, ea, cs) in schema order,
so PowerPoint applies kinsoku and draws kana and kanji in the East Asian font; every paragraph
gets explicit line spacing in points and Japanese line-breaking flags.
"""

from __future__ import annotations

from lxml import etree
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Inches

from ..shapes import Paragraph, TextFrame, emu
from ..theme import Theme
from .xmlesc import quoteattr


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


# ------------------------------------------------------------------ planned paragraphs


def _rpr(tag: str, theme: Theme, p: Paragraph, bold: bool) -> str:
    latin, ea = quoteattr(theme.latin), quoteattr(theme.east_asian)
    size = f'sz="{int(round(p.size * 100))}" ' if p.own_size else ""
    bold_attr = f'b="{1 if bold else 0}" ' if bold or p.own_size else ""
    fill = f'<a:solidFill><a:srgbClr val="{p.color}"/></a:solidFill>' if p.color else ""
    return (
        f'<a:{tag} {nsdecls("a")} lang="{theme.lang}" altLang="en-US" {size}{bold_attr}'
        f'dirty="0">{fill}'
        f"<a:latin typeface={latin}/><a:ea typeface={ea}/><a:cs typeface={latin}/>"
        f"</a:{tag}>"
    )


def _ppr(p: Paragraph) -> str:
    flags = 'eaLnBrk="1" latinLnBrk="0" hangingPunct="1"'
    if p.template:  # the template decides spacing, alignment and bullets
        return f'<a:pPr {nsdecls("a")} lvl="{p.level}" {flags}/>'
    attrs = f'algn="{p.align}" {flags}'
    children = f'<a:lnSpc><a:spcPts val="{int(round(p.size * p.line * 100))}"/></a:lnSpc>'
    children += f'<a:spcBef><a:spcPts val="{int(p.space_before * 100)}"/></a:spcBef>'
    if p.bullet:
        attrs += (
            f' marL="{int(Inches(p.indent))}" indent="{-int(Inches(p.bullet_hang))}"'
            f' lvl="{p.level}"'
        )
        children += (
            f'<a:buClr><a:srgbClr val="{p.bullet_color or p.color}"/></a:buClr>'
            f'<a:buSzPct val="{70000 if p.level == 0 else 100000}"/>'
            f'<a:buFont typeface="Arial"/><a:buChar char="{p.bullet}"/>'
        )
    else:
        attrs += ' marL="0" indent="0"'
        children += "<a:buNone/>"
    return f"<a:pPr {nsdecls('a')} {attrs}>{children}</a:pPr>"


def write_paragraph(el, p: Paragraph, theme: Theme) -> None:
    """Fill an a:p element with a planned paragraph; "\n" in a run is a line break."""
    for child in list(el):
        el.remove(child)
    el.append(parse_xml(_ppr(p)))
    for run in p.runs:
        rpr = _rpr("rPr", theme, p, p.bold or run.bold)
        if run.slide_number:
            el.append(
                parse_xml(
                    f'<a:fld {nsdecls("a")} id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" '
                    f'type="slidenum">{rpr}<a:t>{run.text}</a:t></a:fld>'
                )
            )
            continue
        for i, piece in enumerate(run.text.split("\n")):
            if i:
                br = etree.SubElement(el, qn("a:br"))
                br.append(parse_xml(rpr))
            r = etree.SubElement(el, qn("a:r"))
            r.append(parse_xml(rpr))
            etree.SubElement(r, qn("a:t")).text = piece
    el.append(parse_xml(_rpr("endParaRPr", theme, p, p.bold)))


def write_frame(tf, paras: tuple[Paragraph, ...], theme: Theme) -> None:
    """Replace a text frame's paragraphs with planned ones."""
    txbody = tf._txBody
    for old in txbody.findall(qn("a:p"))[1:]:
        txbody.remove(old)
    first = True
    for p in paras:
        target = tf.paragraphs[0] if first else tf.add_paragraph()
        first = False
        write_paragraph(target._p, p, theme)


def frame_props(tf, frame: TextFrame) -> None:
    set_frame(tf, anchor=frame.anchor, inset=frame.inset)
