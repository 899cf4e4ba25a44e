"""The hard shapes of company PowerPoint templates, made at test time (no binary fixtures).

Each ``make_X(path) -> path`` writes one template that stresses one thing real company
templates do (see shared/knowledge/real-templates.md): two masters with the same layout
names, a single "DEFAULT" layout with the design on sample slides, only three layouts, no
footer placeholders, German or Portuguese layout names, 4:3, dark backgrounds with the
theme's dark and light colours swapped, a title size per layout, Japanese house names.

All are made from python-pptx's default template (Office theme, 11 English layouts, 4:3):
its API where it has one, and its parts and relationships where it has none (a second
master is new ``SlideMasterPart``/``SlideLayoutPart`` objects related by hand, so python-pptx
writes their relationships and content types). The zip is then written again with fixed
timestamps and a docProps/app.xml that describes the file, so every output is byte-for-byte
deterministic and passes the OOXML validator. Each takes well under a second.
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.parts.slide import SlideLayoutPart, SlideMasterPart
from pptx.util import Emu, Inches, Pt

EMU = 914400  # per inch
WIDE = (Emu(12192000), Emu(6858000))  # 13.333 × 7.5 in, PowerPoint 2013+'s 16:9
STANDARD = (Emu(9144000), Emu(6858000))  # 10 × 7.5 in, 4:3
FIRST_MASTER_ID = 2147483648  # sldMasterId/sldLayoutId values start here (ECMA-376 19.2.1.27)
PRESENTATION_MAIN = ("application/vnd.openxmlformats-officedocument.presentationml."
                     "presentation.main+xml")
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
RECT = MSO_SHAPE.RECTANGLE

#: Office's layout names in python-pptx's default order, and their German and Portuguese
#: (Brazil) names as PowerPoint writes them.
OFFICE_NAMES = ("Title Slide", "Title and Content", "Section Header", "Two Content",
                "Comparison", "Title Only", "Blank", "Content with Caption",
                "Picture with Caption", "Title and Vertical Text", "Vertical Title and Text")
GERMAN_NAMES = ("Titelfolie", "Titel und Inhalt", "Abschnittsüberschrift", "Zwei Inhalte",
                "Vergleich", "Nur Titel", "Leer", "Inhalt mit Überschrift",
                "Bild mit Überschrift", "Titel und vertikaler Text",
                "Vertikaler Titel und Text")
PORTUGUESE_NAMES = ("Slide de Título", "Título e Conteúdo", "Cabeçalho da Seção",
                    "Duas Partes de Conteúdo", "Comparação", "Somente Título", "Em branco",
                    "Conteúdo com Legenda", "Imagem com Legenda", "Título e Texto Vertical",
                    "Título Vertical e Texto")
#: House names of a Japanese company template, each on an ordinary Office layout.
JAPANESE_HOUSE_NAMES = {"Title Slide": "表紙", "Section Header": "中表紙",
                        "Title Only": "セクショントップ", "Title and Content": "本文"}
FOOTER_TYPES = ("dt", "ftr", "sldNum")

# two_masters: the second master's title box and size (the first keeps the Office ones:
# 44 pt, centred, 0.3 in from the top, 1.25 in high).
SECOND_TITLE_BOX = (Inches(0.5), Inches(0.35), Inches(12.33), Inches(0.8))
SECOND_BODY_BOX = (Inches(0.5), Inches(1.5), Inches(12.33), Inches(5.2))
SECOND_TITLE_PT = 28
# dark: the master's background, the theme's swapped text/background colours, and the
# overrides of two layouts.
DARK_BG = "1E2A38"
DARK_LT2 = "16202B"  # bg2, used by the Title Slide's bgRef
DARK_GRADIENT = ("0B1320", "24364D")  # Section Header
LIGHT_TEXT = "F2F2F2"  # dk1 after the swap: tx1 maps to it
LIGHT_TEXT2 = "C9D3DE"  # dk2 after the swap
# title_sizes_per_layout: master 44 pt; these layouts set their own title size.
MASTER_TITLE_PT = 44
LAYOUT_TITLE_PT = {"Title and Content": 20, "Two Content": 20, "Title Only": 36}
SMALL_TITLE_BOX = (Inches(0.5), Inches(0.25), Inches(12.33), Inches(0.6))
SMALL_TITLE_BODY = (Inches(0.5), Inches(1.05), Inches(12.33), Inches(5.6))


# ---------------------------------------------------------------------------- the generators
def make_two_masters(path: Path) -> Path:
    """A .potx with two slide masters whose layouts have the same five names.

    Master 1 is Office's ("Title Slide", "Title and Content", "Section Header", "Title Only",
    "Blank"); master 2 ("Design B") has copies of the same five layouts under the same names,
    but its title box is at 0.35 in, 0.8 in high, 28 pt and left-aligned (master 1: 0.3 in,
    1.25 in, 44 pt, centred), its body starts at 1.5 in, and an accent rule sits under the
    title. Layouts whose placeholders have no ``a:xfrm`` inherit these boxes from their own
    master, so "Title and Content" has two different title boxes. Registered as PowerPoint
    does: sldMasterIdLst, one theme per master, every layout related to its own master and
    listed in its sldLayoutIdLst, ids ≥ 2147483648 unique across masters and layouts.
    Stresses: layout lookup by a name that is not unique, the box of the layout actually
    used, a template whose main part has the .potx content type.
    """
    prs = _new(*WIDE)
    _keep_layouts(prs, {n: n for n in ("Title Slide", "Title and Content", "Section Header",
                                       "Title Only", "Blank")})
    master2 = _copy_master(prs, prs.slide_master, "Design B")
    root = master2._element
    _set_box(_placeholder(root, "title"), *SECOND_TITLE_BOX)
    _set_box(_placeholder(root, "body"), *SECOND_BODY_BOX)
    title1 = root.xpath("p:txStyles/p:titleStyle/a:lvl1pPr")[0]
    title1.set("algn", "l")
    title1.find(qn("a:defRPr")).set("sz", str(SECOND_TITLE_PT * 100))
    title1.find(qn("a:defRPr")).set("b", "1")
    _add_rect(root, "Accent Rule", Inches(0.5), Inches(1.2), Inches(12.33), Inches(0.06),
              scheme="accent2")
    return _save(prs, path, template=True)


def make_single_layout(path: Path) -> Path:
    """One master with one layout, "DEFAULT" (a title and a body placeholder, nothing else),
    and the company design drawn on two sample slides: a navy cover with a red band and the
    company name, and a content slide with a navy header band, a logo text and a footer
    rule. The layout itself is plain, so the design lives only on the template's own slides.
    Stresses: no cover/section/title-only layout to choose from, no footer placeholders, and
    template slides that carry the look (a generator that drops them loses the design).
    """
    prs = _new(*WIDE)
    _keep_layouts(prs, {"Title and Content": "DEFAULT"})
    layout = prs.slide_layouts[0]
    _drop_placeholders(layout._element, FOOTER_TYPES)
    body = layout._element.xpath(".//p:sp/p:nvSpPr/p:nvPr/p:ph[@idx='1']")[0]
    body.set("type", "body")
    navy, red = RGBColor(0x1F, 0x3A, 0x5F), RGBColor(0xC0, 0x00, 0x00)
    width, height = prs.slide_width, prs.slide_height

    cover = prs.slides.add_slide(layout)
    band = cover.shapes.add_shape(RECT, 0, Inches(5.2), width, Inches(0.25))
    _send_to_back(_fill(band, red))
    _send_to_back(_fill(cover.shapes.add_shape(RECT, 0, 0, width, height), navy))
    for ph, box in ((cover.shapes.title, (Inches(0.8), Inches(2.4), Inches(11.7), Inches(1.4))),
                    (cover.placeholders[1], (Inches(0.8), Inches(5.6), Inches(11.7), Inches(1)))):
        ph.left, ph.top, ph.width, ph.height = box
    cover.shapes.title.text = "ACME 株式会社"
    cover.shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(255, 255, 255)
    sub = cover.placeholders[1]
    sub.text = "表紙の見本（会社のデザインはこのスライドにだけあります）"
    sub.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(255, 255, 255)

    content = prs.slides.add_slide(layout)
    _send_to_back(_fill(content.shapes.add_shape(RECT, 0, 0, width, Inches(1.55)), navy))
    _fill(content.shapes.add_shape(RECT, 0, Inches(6.95), width, Inches(0.04)), red)
    logo = content.shapes.add_textbox(Inches(11.3), Inches(6.98), Inches(1.8), Inches(0.45))
    logo.text_frame.text = "ACME"
    logo.text_frame.paragraphs[0].runs[0].font.bold = True
    logo.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
    logo.text_frame.paragraphs[0].runs[0].font.color.rgb = red
    content.shapes.title.text = "本文スライドの見本"
    content.shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb = \
        RGBColor(255, 255, 255)
    content.placeholders[1].text = "本文はこの枠に書きます"
    return _save(prs, path)


def make_three_layouts(path: Path) -> Path:
    """Only "Title Slide", "Title and Content" and "Section Header": no "Title Only", no
    "Blank", no two-column layout. Stresses: charts, tables, flows and quotes that a
    generator would put on "Title Only" need another home."""
    prs = _new(*WIDE)
    _keep_layouts(prs, {n: n for n in ("Title Slide", "Title and Content", "Section Header")})
    return _save(prs, path)


def make_no_footers(path: Path) -> Path:
    """All eleven Office layouts, but no date, footer or slide-number placeholder anywhere:
    neither on a layout nor on the master. Stresses: a footer text and slide numbers that
    have no placeholder to go into."""
    prs = _new(*WIDE)
    for root in _design_roots(prs):
        _drop_placeholders(root, FOOTER_TYPES)
        for hf in root.xpath("p:hf"):
            hf.getparent().remove(hf)
    return _save(prs, path)


def make_german_names(path: Path) -> Path:
    """Office's eleven layouts under the names German PowerPoint gives them ("Titelfolie",
    "Titel und Inhalt", "Abschnittsüberschrift", "Nur Titel", "Leer", …). Stresses: layout
    lookup that only knows English and Japanese names; non-ASCII names (ü)."""
    prs = _new(*WIDE)
    _keep_layouts(prs, dict(zip(OFFICE_NAMES, GERMAN_NAMES, strict=True)))
    return _save(prs, path)


def make_portuguese_names(path: Path) -> Path:
    """Office's eleven layouts under Brazilian Portuguese names ("Slide de Título", "Título e
    Conteúdo", "Cabeçalho da Seção", "Somente Título", "Em branco", …). Stresses: layout
    lookup by name; accented names (í, ç, ã) that also exist decomposed in some tools."""
    prs = _new(*WIDE)
    _keep_layouts(prs, dict(zip(OFFICE_NAMES, PORTUGUESE_NAMES, strict=True)))
    return _save(prs, path)


def make_four_by_three(path: Path) -> Path:
    """10 × 7.5 in (4:3, ``type="screen4x3"``) with Office's placeholders sized for it (title
    9 in wide, body 9 × 4.95 in). Stresses: geometry computed for a 13.33 in slide (wide
    tables, side-by-side charts, footers at the right) running off a 10 in one."""
    prs = _new(*STANDARD)
    return _save(prs, path)


def make_dark(path: Path) -> Path:
    """Every layout on a dark background, light text through the theme.

    The master's ``p:bg`` is a solid #1E2A38; "Section Header" overrides it with a dark
    vertical gradient and "Title Slide" with ``p:bgRef idx=1001`` to ``bg2`` (the theme's
    lt2, #16202B). The theme's dk1/lt1 (and dk2/lt2) are swapped, so ``tx1`` (every default
    text) is light #F2F2F2 and ``bg1`` is dark. Stresses: text and chart colours hard-coded
    dark (or written from a light theme over the template's), rules and table fills that
    assume white, and theme-colour rewriting that puts dark text back on a dark slide.
    """
    prs = _new(*WIDE)
    _set_theme_colors(prs.slide_master, {"dk1": LIGHT_TEXT, "lt1": DARK_BG,
                                         "dk2": LIGHT_TEXT2, "lt2": DARK_LT2})
    _set_background(prs.slide_master._element,
                    f'<p:bgPr><a:solidFill><a:srgbClr val="{DARK_BG}"/></a:solidFill>'
                    "<a:effectLst/></p:bgPr>")
    by_name = {lay.name: lay for lay in prs.slide_layouts}
    top, bottom = DARK_GRADIENT
    _set_background(by_name["Section Header"]._element,
                    '<p:bgPr><a:gradFill rotWithShape="1"><a:gsLst>'
                    f'<a:gs pos="0"><a:srgbClr val="{top}"/></a:gs>'
                    f'<a:gs pos="100000"><a:srgbClr val="{bottom}"/></a:gs></a:gsLst>'
                    '<a:lin ang="5400000" scaled="0"/></a:gradFill><a:effectLst/></p:bgPr>')
    _set_background(by_name["Title Slide"]._element,
                    '<p:bgRef idx="1001"><a:schemeClr val="bg2"/></p:bgRef>')
    return _save(prs, path)


def make_title_sizes_per_layout(path: Path) -> Path:
    """The master's title style is 44 pt; "Title and Content" and "Two Content" set 20 pt in
    their title placeholder's ``a:lstStyle`` (in a 0.6 in high title bar at the top, with the
    body moved up under it) and "Title Only" sets 36 pt. Stresses: measuring titles with the
    master's size only (a 20 pt title measured at 44 pt "overflows" its 0.6 in bar), and
    enlarging titles the layout set smaller."""
    prs = _new(*WIDE)
    master = prs.slide_master._element
    master.xpath("p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr")[0].set(
        "sz", str(MASTER_TITLE_PT * 100))
    for layout in prs.slide_layouts:
        size = LAYOUT_TITLE_PT.get(layout.name)
        if size is None:
            continue
        title = _placeholder(layout._element, "title")
        lst = title.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}")
        for child in list(lst):
            lst.remove(child)
        lst.append(parse_xml(f'<a:lvl1pPr {nsdecls("a")} algn="l">'
                             f'<a:defRPr sz="{size * 100}" b="1"/></a:lvl1pPr>'))
        if size < 30:
            _set_box(title, *SMALL_TITLE_BOX)
            if layout.name == "Title and Content":
                _set_box(_placeholder(layout._element, "obj"), *SMALL_TITLE_BODY)
            else:  # Two Content: both columns move up under the small title bar
                for ph in layout._element.xpath(".//p:sp[p:nvSpPr/p:nvPr/p:ph[@idx='1' or "
                                                "@idx='2']]"):
                    off, ext = _xfrm(ph)
                    ext.set("cy", str(int(ext.get("cy")) + int(off.get("y"))
                                      - SMALL_TITLE_BODY[1]))
                    off.set("y", str(SMALL_TITLE_BODY[1]))
    return _save(prs, path)


def make_nonstandard_names(path: Path) -> Path:
    """Four layouts with a Japanese company's house names and ordinary placeholders: 表紙
    (cover: ctrTitle + subTitle), 中表紙 (section divider), セクショントップ (title only) and
    本文 (title + content). None is an Office name in any language. Stresses: default
    layout lookup finding nothing; which layout a generator falls back to for a cover,
    a section, a chart and bullets."""
    prs = _new(*WIDE)
    _keep_layouts(prs, JAPANESE_HOUSE_NAMES)
    return _save(prs, path)


#: name → (generator, file suffix it is meant to have)
GENERATORS = {
    "two_masters": (make_two_masters, ".potx"),
    "single_layout": (make_single_layout, ".pptx"),
    "three_layouts": (make_three_layouts, ".pptx"),
    "no_footers": (make_no_footers, ".pptx"),
    "german_names": (make_german_names, ".pptx"),
    "portuguese_names": (make_portuguese_names, ".pptx"),
    "four_by_three": (make_four_by_three, ".pptx"),
    "dark": (make_dark, ".pptx"),
    "title_sizes_per_layout": (make_title_sizes_per_layout, ".pptx"),
    "nonstandard_names": (make_nonstandard_names, ".pptx"),
}


def make_all(folder: Path) -> dict[str, Path]:
    """Every template into ``folder`` as NAME.pptx (NAME.potx where meant); name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: make(folder / f"{name}{suffix}") for name, (make, suffix) in
            GENERATORS.items()}


# ---------------------------------------------------------------------------- building blocks
def _new(width: int, height: int):
    """python-pptx's default template at ``width × height``, every master and layout box
    scaled to it (sldSz type: screen4x3 for 4:3, none for other sizes, as PowerPoint)."""
    prs = Presentation()
    sx, sy = width / prs.slide_width, height / prs.slide_height
    prs.slide_width, prs.slide_height = Emu(width), Emu(height)
    size = prs.part._element.find(qn("p:sldSz"))
    if abs(width / height - 4 / 3) > 0.01:
        size.attrib.pop("type", None)
    for root in _design_roots(prs):
        for xfrm in root.iter(qn("a:xfrm")):
            off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
            if off is not None:
                off.set("x", str(round(int(off.get("x")) * sx)))
                off.set("y", str(round(int(off.get("y")) * sy)))
            if ext is not None:
                ext.set("cx", str(round(int(ext.get("cx")) * sx)))
                ext.set("cy", str(round(int(ext.get("cy")) * sy)))
    return prs


def _design_roots(prs) -> list:
    return [el for master in prs.slide_masters
            for el in (master._element, *(lay._element for lay in master.slide_layouts))]


def _keep_layouts(prs, names: dict[str, str]) -> None:
    """Keep the first master's layouts named in ``names`` (renamed to its values), in the
    default order; remove the others from the package."""
    for layout in list(prs.slide_layouts):
        if layout.name in names:
            layout._element.cSld.set("name", names[layout.name])
        else:
            prs.slide_layouts.remove(layout)


def _placeholder(root, ph_type: str):
    """The first placeholder ``p:sp`` of ``ph_type`` (obj = a ph without a type)."""
    test = "not(@type)" if ph_type == "obj" else f"@type='{ph_type}'"
    return root.xpath(f"p:cSld/p:spTree/p:sp[p:nvSpPr/p:nvPr/p:ph[{test}]]")[0]


def _drop_placeholders(root, types) -> None:
    for sp in root.xpath("p:cSld/p:spTree/p:sp[p:nvSpPr/p:nvPr/p:ph]"):
        if sp.xpath("p:nvSpPr/p:nvPr/p:ph")[0].get("type") in types:
            sp.getparent().remove(sp)


def _xfrm(sp):
    xfrm = sp.xpath("p:spPr/a:xfrm")
    if not xfrm:
        sp_pr = sp.find(qn("p:spPr"))
        xfrm = [parse_xml(f'<a:xfrm {nsdecls("a")}><a:off x="0" y="0"/>'
                          '<a:ext cx="0" cy="0"/></a:xfrm>')]
        sp_pr.insert(0, xfrm[0])
    return xfrm[0].find(qn("a:off")), xfrm[0].find(qn("a:ext"))


def _set_box(sp, x: int, y: int, cx: int, cy: int) -> None:
    off, ext = _xfrm(sp)
    off.set("x", str(int(x)))
    off.set("y", str(int(y)))
    ext.set("cx", str(int(cx)))
    ext.set("cy", str(int(cy)))


def _add_rect(root, name: str, x: int, y: int, cx: int, cy: int, scheme: str) -> None:
    """A filled rectangle drawn on a master or layout, behind its placeholders."""
    tree = root.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
    next_id = max(int(el.get("id")) for el in tree.iter(qn("p:cNvPr"))) + 1
    tree.insert(2, parse_xml(
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="{next_id}" name="{name}"/>'
        '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>'
        f'<a:xfrm><a:off x="{int(x)}" y="{int(y)}"/><a:ext cx="{int(cx)}" cy="{int(cy)}"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:schemeClr val="{scheme}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        "</p:spPr></p:sp>"))


def _fill(shape, rgb: RGBColor):
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb
    shape.line.fill.background()
    return shape


def _send_to_back(shape) -> None:
    tree = shape._element.getparent()
    tree.remove(shape._element)
    tree.insert(2, shape._element)  # after nvGrpSpPr and grpSpPr


def _set_background(root, inner: str) -> None:
    """Replace the ``p:bg`` of a master's or layout's ``p:cSld`` with ``<p:bg>inner</p:bg>``."""
    c_sld = root.find(qn("p:cSld"))
    for old in c_sld.findall(qn("p:bg")):
        c_sld.remove(old)
    c_sld.insert(0, parse_xml(f'<p:bg {nsdecls("p", "a")}>{inner}</p:bg>'))


def _theme_part(master):
    return master.part.part_related_by(RT.THEME)


def _set_theme_colors(master, colors: dict[str, str]) -> None:
    from lxml import etree

    part = _theme_part(master)
    root = etree.fromstring(part.blob)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    for slot_name, value in colors.items():
        slot = scheme.find(qn(f"a:{slot_name}"))
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr")).set("val", value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _copy_master(prs, master, theme_name: str):
    """A second master with copies of ``master``'s layouts (same names) and of its theme
    (named ``theme_name``), registered in the presentation; the new master's part."""
    from lxml import etree

    package = prs.part.package
    pres = prs.part._element
    ids = [int(v) for v in pres.xpath("p:sldMasterIdLst/p:sldMasterId/@id")]
    for each in prs.slide_masters:
        ids += [int(v) for v in each._element.xpath("p:sldLayoutIdLst/p:sldLayoutId/@id")]
    next_id = max([FIRST_MASTER_ID - 1, *ids]) + 1

    element = copy.deepcopy(master._element)
    for entry in element.xpath("p:sldLayoutIdLst/p:sldLayoutId"):
        entry.getparent().remove(entry)
    _renumber_creation_id(element, next_id)
    new = SlideMasterPart(package.next_partname("/ppt/slideMasters/slideMaster%d.xml"),
                          CT.PML_SLIDE_MASTER, package, element)
    r_id = prs.part.relate_to(new, RT.SLIDE_MASTER)
    pres.find(qn("p:sldMasterIdLst")).append(parse_xml(
        f'<p:sldMasterId {nsdecls("p", "r")} id="{next_id}" r:id="{r_id}"/>'))
    next_id += 1

    theme_root = etree.fromstring(_theme_part(master).blob)
    theme_root.set("name", theme_name)
    theme = Part(package.next_partname("/ppt/theme/theme%d.xml"), CT.OFC_THEME, package,
                 etree.tostring(theme_root, xml_declaration=True, encoding="UTF-8",
                                standalone=True))
    new.relate_to(theme, RT.THEME)

    layout_list = element.find(qn("p:sldLayoutIdLst"))
    for layout in master.slide_layouts:
        layout_el = copy.deepcopy(layout._element)
        _renumber_creation_id(layout_el, next_id)
        part = SlideLayoutPart(package.next_partname("/ppt/slideLayouts/slideLayout%d.xml"),
                               CT.PML_SLIDE_LAYOUT, package, layout_el)
        part.relate_to(new, RT.SLIDE_MASTER)
        r_id = new.relate_to(part, RT.SLIDE_LAYOUT)
        layout_list.append(parse_xml(
            f'<p:sldLayoutId {nsdecls("p", "r")} id="{next_id}" r:id="{r_id}"/>'))
        next_id += 1
    return new.slide_master


def _renumber_creation_id(root, salt: int) -> None:
    for el in root.iter("{http://schemas.microsoft.com/office/powerpoint/2010/main}creationId"):
        el.set("val", str((int(el.get("val")) + salt) % 2**32))


# ---------------------------------------------------------------------------- writing the file
def _save(prs, path: Path, template: bool = False) -> Path:
    """Write ``prs`` to ``path``: fixed zip timestamps, an app.xml describing the file, and
    the .potx main content type when ``template``."""
    buf = io.BytesIO()
    prs.save(buf)
    with zipfile.ZipFile(buf) as zin:
        parts = {info.filename: zin.read(info.filename) for info in zin.infolist()}
    parts["docProps/app.xml"] = _app_xml(prs)
    if template:
        types = parts["[Content_Types].xml"]
        assert PRESENTATION_MAIN.encode() in types
        parts["[Content_Types].xml"] = types.replace(PRESENTATION_MAIN.encode(),
                                                     TEMPLATE_MAIN.encode())
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    return path


def _app_xml(prs) -> bytes:
    """docProps/app.xml as PowerPoint writes it for this file: format, slide count, one
    theme per master and the slide titles."""
    from lxml import etree

    themes = [etree.fromstring(_theme_part(m).blob).get("name", "") for m in prs.slide_masters]
    titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]
    ratio = prs.slide_width / prs.slide_height
    fmt = ("On-screen Show (4:3)" if abs(ratio - 4 / 3) < 0.01 else
           "Widescreen" if abs(ratio - 16 / 9) < 0.01 else "Custom")
    names = "".join(f"<vt:lpstr>{escape(t)}</vt:lpstr>" for t in [*themes, *titles])
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes"><TotalTime>0</TotalTime><Words>0</Words>'
        "<Application>Microsoft Office PowerPoint</Application>"
        f"<PresentationFormat>{fmt}</PresentationFormat><Paragraphs>0</Paragraphs>"
        f"<Slides>{len(titles)}</Slides><Notes>0</Notes><HiddenSlides>0</HiddenSlides>"
        "<MMClips>0</MMClips><ScaleCrop>false</ScaleCrop><HeadingPairs>"
        '<vt:vector size="4" baseType="variant"><vt:variant><vt:lpstr>Theme</vt:lpstr>'
        f"</vt:variant><vt:variant><vt:i4>{len(themes)}</vt:i4></vt:variant><vt:variant>"
        "<vt:lpstr>Slide Titles</vt:lpstr></vt:variant><vt:variant>"
        f"<vt:i4>{len(titles)}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="{len(themes) + len(titles)}" baseType="lpstr">'
        f"{names}</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "<AppVersion>16.0000</AppVersion></Properties>").encode()


# ---------------------------------------------------------------------------- looking at them
def open_template(path: Path):
    """``path`` opened with python-pptx, a .potx too (main content type switched in memory,
    as yamldeck's writer does)."""
    data = Path(path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        parts = {info.filename: zin.read(info.filename) for info in zin.infolist()}
    types = parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = types.replace(TEMPLATE_MAIN.encode(),
                                                 PRESENTATION_MAIN.encode())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for name, blob in parts.items():
            zout.writestr(name, blob)
    return Presentation(buf)


def sample_deck(template: Path, out: Path) -> Path:
    """A .pptx with the template's own slides plus one slide per layout of every master, each
    placeholder filled with its layout's name and type, to render and look at."""
    prs = open_template(template)
    for m, master in enumerate(prs.slide_masters, 1):
        for layout in master.slide_layouts:
            slide = prs.slides.add_slide(layout)
            for ph in slide.placeholders:
                kind = ph.placeholder_format.type
                ph.text = (f"{layout.name}（master {m}）" if ph == slide.shapes.title else
                           f"{kind.name.lower()} idx {ph.placeholder_format.idx}: "
                           "本文テキスト Body text")
    prs.save(str(out))
    return out
