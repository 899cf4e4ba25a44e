"""Turn python-pptx's 4:3 default template into the deck's 16:9 base with our theme.

The built-in template's layouts are 4:3 and its theme names no East Asian font. We widen
every master and layout shape to 16:9, write the theme's colours and fonts (including
``a:ea`` and the Jpan script font) into the slide and notes themes, and make Japanese the
default language, so text typed later in PowerPoint comes out right too.
"""

from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu

from ..templates import TemplateError
from ..theme import Theme, tint
from .sanitize import clean_template

WIDE = Emu(12192000)  # 13.333 in
HIGH = Emu(6858000)  # 7.5 in


def new_presentation(theme: Theme, base=None):
    """The built-in base with ``theme``; ``base``: one from base_presentation (unused)."""
    prs = base if base is not None else base_presentation()
    _apply_theme_part(prs.slide_master.part.part_related_by(RT.THEME), theme)
    _apply_theme_part(prs.notes_master.part.part_related_by(RT.THEME), theme)
    _japanese_defaults(prs, theme)
    return prs


def base_presentation():
    """python-pptx's default presentation widened to 16:9, before any theme."""
    prs = Presentation()
    old_width = prs.slide_width
    prs.slide_width, prs.slide_height = WIDE, HIGH
    scale = WIDE / old_width
    for part_el in [prs.slide_master._element, *(lay._element for lay in prs.slide_layouts)]:
        _widen(part_el, scale)
    return prs


def open_template(path: str, theme: Theme, opened: tuple | None = None) -> tuple:
    """A company template with its own slides, code and outside links removed; and notes.

    The notes tell the user what was left out (see ``sanitize``). A .potx, .pptm or .potm
    (even one renamed .pptx) is opened as the plain presentation it describes.
    ``opened``: what read_template gave for it (unused).
    """
    prs, notes = opened if opened is not None else read_template(path)
    for master in prs.slide_masters:
        _apply_theme_part(master.part.part_related_by(RT.THEME), theme, template=True)
    _japanese_defaults(prs, theme)
    return prs, notes


def read_template(path: str, data: bytes | None = None) -> tuple:
    """The template at ``path`` (of bytes ``data`` when given) opened and cleaned, before
    any theme: (presentation, notes)."""
    try:
        if data is None:
            with open(path, "rb") as fh:
                data = fh.read()
        clean, notes = clean_template(data)
        prs = Presentation(io.BytesIO(clean))
    except Exception as exc:  # python-pptx's and zipfile's many ways of refusing a file
        raise TemplateError(f"python-pptx cannot open it ({type(exc).__name__}: {exc})") from None
    return prs, notes


def find_layout(prs, name: str):
    for master in prs.slide_masters:
        found = master.slide_layouts.get_by_name(name)
        if found is not None:
            return found
    raise KeyError(name)  # names were checked against the template before planning


def _widen(root, scale: float) -> None:
    for xfrm in root.iter(qn("a:xfrm")):
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        if off is not None:
            off.set("x", str(int(int(off.get("x")) * scale)))
        if ext is not None:
            ext.set("cx", str(int(int(ext.get("cx")) * scale)))


def _apply_theme_part(part, theme: Theme, template: bool = False) -> None:
    """Write colours and fonts into a theme part, whether python-pptx parsed it or not.

    For a company template (whose colours are the theme's defaults) the slots we have no
    value for, dk2 and lt2, are left as the template has them.
    """
    element = getattr(part, "_element", None)
    root = element if element is not None else etree.fromstring(part.blob)
    _apply_theme_xml(root, theme, template)
    if element is None:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _apply_theme_xml(root, theme: Theme, template: bool = False) -> None:
    scheme = root.find(f".//{qn('a:clrScheme')}")
    if scheme is not None:
        scheme.set("name", "yamldeck")
        palette = list(theme.palette)
        colors = {
            "dk1": theme.text,
            "lt1": theme.background,
            "dk2": theme.primary,
            "lt2": tint(theme.primary, 0.9),
            "accent1": theme.primary,
            "accent2": theme.accent,
        }
        for i in range(3, 7):
            if i - 1 < len(palette):
                colors[f"accent{i}"] = palette[i - 1]
        if template:
            del colors["dk2"], colors["lt2"]
        for name, value in colors.items():
            slot = scheme.find(qn(f"a:{name}"))
            if slot is None:
                continue
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, qn("a:srgbClr")).set("val", value)
    fonts = root.find(f".//{qn('a:fontScheme')}")
    if fonts is None:
        return
    fonts.set("name", "yamldeck")
    for group in ("a:majorFont", "a:minorFont"):
        el = fonts.find(qn(group))
        if el is None:
            continue
        for slot, value in (
            ("a:latin", theme.latin),
            ("a:ea", theme.east_asian),
            ("a:cs", theme.latin),
        ):
            node = el.find(qn(slot))
            if node is not None:
                node.set("typeface", value)
        for script in el.findall(qn("a:font")):
            if script.get("script") == "Jpan":
                script.set("typeface", theme.east_asian)


def _japanese_defaults(prs, theme: Theme) -> None:
    """Default run language ja-JP and Japanese line breaking everywhere text styles live."""
    roots = [prs.part._element, prs.slide_master._element, prs.notes_master._element]
    for root in roots:
        for tag in ("a:defRPr", "a:endParaRPr", "a:rPr"):
            for el in root.iter(qn(tag)):
                el.set("lang", theme.lang)
                el.set("altLang", "en-US")
        for lvl in range(1, 10):
            for ppr in root.iter(qn(f"a:lvl{lvl}pPr")):
                ppr.set("eaLnBrk", "1")
                ppr.set("latinLnBrk", "0")
                ppr.set("hangingPunct", "1")
