"""What a .pptx template offers, read with the standard library alone.

Slide size, every layout with its placeholders (idx, type, name, box; boxes a layout does
not set come from its master), and the theme's colours and fonts. ``check`` uses this to
report a missing layout at the line that asked for it, ``inspect`` prints it, and the
planner sizes charts to the layout's content area, all without importing python-pptx.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from .layout import Box

NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
EMU_PER_INCH = 914400
MAX_PART_BYTES = 5_000_000


class TemplateError(Exception):
    """The file is not a readable PowerPoint template."""


@dataclass(frozen=True)
class PlaceholderInfo:
    idx: int
    type: str  # title, ctrTitle, subTitle, body, obj, pic, dt, ftr, sldNum, ...
    name: str
    box: Box | None

    @property
    def is_title(self) -> bool:
        return self.type in ("title", "ctrTitle")


@dataclass(frozen=True)
class LayoutInfo:
    name: str
    placeholders: tuple[PlaceholderInfo, ...]

    def find(self, *types: str) -> PlaceholderInfo | None:
        """The first placeholder of one of ``types``, lowest idx first."""
        found = sorted((p for p in self.placeholders if p.type in types), key=lambda p: p.idx)
        return found[0] if found else None


@dataclass(frozen=True)
class TextStyles:
    """The master's title and body text styles, for measuring text in placeholders."""

    title_size: float = 44.0
    body_sizes: tuple[float, float] = (32.0, 28.0)  # first and second level, points
    body_margins: tuple[float, float] = (0.375, 0.8125)  # left margins, inches
    line: float = 1.0  # line spacing as a fraction of single spacing
    space_before: tuple[float, float] = (0.2, 0.0)  # (fraction of size, points)


@dataclass(frozen=True)
class TemplateInfo:
    width: float  # inches
    height: float
    layouts: tuple[LayoutInfo, ...]
    colors: dict[str, str] = field(default_factory=dict)  # dk1, lt1, accent1 … → RRGGBB
    fonts: dict[str, str] = field(default_factory=dict)  # major/minor latin/ea → typeface
    text: TextStyles = field(default_factory=TextStyles)

    def layout(self, name: str) -> LayoutInfo | None:
        return next((lay for lay in self.layouts if lay.name == name), None)

    @property
    def layout_names(self) -> list[str]:
        return [lay.name for lay in self.layouts]


def read_template(path: Path) -> TemplateInfo:
    try:
        with zipfile.ZipFile(path) as zf:
            return _read(zf)
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"not a PowerPoint file ({exc})") from None
    except (KeyError, ET.ParseError, ValueError) as exc:
        raise TemplateError(f"damaged PowerPoint file ({type(exc).__name__}: {exc})") from None


def _xml(zf: zipfile.ZipFile, name: str) -> ET.Element:
    info = zf.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise ValueError(f"{name} is too large")
    return ET.fromstring(zf.read(name))


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type suffix, absolute part name)."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in zf.namelist():
        return {}
    out = {}
    for rel in _xml(zf, rels_name).findall("rel:Relationship", NS):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        full = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") \
            else target.lstrip("/")
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], full)
    return out


def _box(sp: ET.Element) -> Box | None:
    off = sp.find("p:spPr/a:xfrm/a:off", NS)
    ext = sp.find("p:spPr/a:xfrm/a:ext", NS)
    if off is None or ext is None:
        return None
    return Box(int(off.get("x", 0)) / EMU_PER_INCH, int(off.get("y", 0)) / EMU_PER_INCH,
               int(ext.get("cx", 0)) / EMU_PER_INCH, int(ext.get("cy", 0)) / EMU_PER_INCH)


def _placeholders(root: ET.Element) -> list[PlaceholderInfo]:
    out = []
    for sp in root.iterfind(".//p:sp", NS):
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is None:
            continue
        name = sp.find("p:nvSpPr/p:cNvPr", NS)
        out.append(PlaceholderInfo(
            idx=int(ph.get("idx", "0")), type=ph.get("type", "obj"),
            name=name.get("name", "") if name is not None else "", box=_box(sp)))
    return out


_MASTER_TYPE = {"ctrTitle": "title", "title": "title", "dt": "dt", "ftr": "ftr",
                "sldNum": "sldNum"}


def _read(zf: zipfile.ZipFile) -> TemplateInfo:
    pres_name = "ppt/presentation.xml"
    pres = _xml(zf, pres_name)
    size = pres.find("p:sldSz", NS)
    width = int(size.get("cx")) / EMU_PER_INCH if size is not None else 10.0
    height = int(size.get("cy")) / EMU_PER_INCH if size is not None else 7.5
    pres_rels = _rels(zf, pres_name)
    layouts: list[LayoutInfo] = []
    colors: dict[str, str] = {}
    fonts: dict[str, str] = {}
    text: TextStyles | None = None
    for master_id in pres.iterfind("p:sldMasterIdLst/p:sldMasterId", NS):
        _, master_name = pres_rels[master_id.get(f"{{{NS['r']}}}id", "")]
        master = _xml(zf, master_name)
        master_rels = _rels(zf, master_name)
        text = text or _text_styles(master)
        by_type = {p.type if p.type in _MASTER_TYPE.values() else "body": p
                   for p in _placeholders(master) if p.box is not None}
        for layout_id in master.iterfind("p:sldLayoutIdLst/p:sldLayoutId", NS):
            _, layout_name = master_rels[layout_id.get(f"{{{NS['r']}}}id", "")]
            layout = _xml(zf, layout_name)
            c_sld = layout.find("p:cSld", NS)
            name = c_sld.get("name", "") if c_sld is not None else ""
            placeholders = []
            for ph in _placeholders(layout):
                if ph.box is None:
                    inherited = by_type.get(_MASTER_TYPE.get(ph.type, "body"))
                    ph = PlaceholderInfo(ph.idx, ph.type, ph.name,
                                         inherited.box if inherited else None)
                placeholders.append(ph)
            layouts.append(LayoutInfo(name, tuple(placeholders)))
        if not colors:
            theme = next((target for kind, target in master_rels.values() if kind == "theme"),
                         None)
            if theme:
                colors, fonts = _theme(_xml(zf, theme))
    return TemplateInfo(width, height, tuple(layouts), colors, fonts, text or TextStyles())


def _text_styles(master: ET.Element) -> TextStyles:
    default = TextStyles()

    def level(style: str, n: int) -> ET.Element | None:
        return master.find(f"p:txStyles/p:{style}/a:lvl{n}pPr", NS)

    def size(el: ET.Element | None, fallback: float) -> float:
        rpr = el.find("a:defRPr", NS) if el is not None else None
        return int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else fallback

    def margin(el: ET.Element | None, fallback: float) -> float:
        return int(el.get("marL")) / EMU_PER_INCH if el is not None and el.get("marL") \
            else fallback

    title, body1, body2 = level("titleStyle", 1), level("bodyStyle", 1), level("bodyStyle", 2)
    line, before = default.line, default.space_before
    if body1 is not None:
        pct = body1.find("a:lnSpc/a:spcPct", NS)
        if pct is not None:
            line = int(pct.get("val", "100000")) / 100000
        bef_pct = body1.find("a:spcBef/a:spcPct", NS)
        bef_pts = body1.find("a:spcBef/a:spcPts", NS)
        if bef_pct is not None:
            before = (int(bef_pct.get("val", "0")) / 100000, 0.0)
        elif bef_pts is not None:
            before = (0.0, int(bef_pts.get("val", "0")) / 100)
    return TextStyles(size(title, default.title_size),
                      (size(body1, default.body_sizes[0]), size(body2, default.body_sizes[1])),
                      (margin(body1, default.body_margins[0]),
                       margin(body2, default.body_margins[1])), line, before)


def _theme(root: ET.Element) -> tuple[dict[str, str], dict[str, str]]:
    colors: dict[str, str] = {}
    scheme = root.find(".//a:clrScheme", NS)
    if scheme is not None:
        for slot in scheme:
            tag = slot.tag.rsplit("}", 1)[-1]
            rgb = slot.find("a:srgbClr", NS)
            sys_color = slot.find("a:sysClr", NS)
            if rgb is not None:
                colors[tag] = rgb.get("val", "").upper()
            elif sys_color is not None and sys_color.get("lastClr"):
                colors[tag] = sys_color.get("lastClr", "").upper()
    fonts: dict[str, str] = {}
    for group in ("major", "minor"):
        el = root.find(f".//a:fontScheme/a:{group}Font", NS)
        if el is None:
            continue
        for slot in ("latin", "ea"):
            face = el.find(f"a:{slot}", NS)
            if face is not None and face.get("typeface"):
                fonts[f"{group}_{slot}"] = face.get("typeface", "")
        jpan = next((f.get("typeface") for f in el.findall("a:font", NS)
                     if f.get("script") == "Jpan"), None)
        if jpan and f"{group}_ea" not in fonts:
            fonts[f"{group}_ea"] = jpan
    return colors, fonts
