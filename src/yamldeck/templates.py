"""What a .pptx template offers, read with the standard library alone.

Slide size, every layout with its placeholders (idx, type, name, box; boxes a layout does
not set come from its master), and the theme's colours and fonts. ``check`` uses this to
report a missing layout at the line that asked for it, ``inspect`` prints it, and the
planner sizes charts to the layout's content area, all without importing python-pptx.

A template is untrusted input, and the writer later opens it with python-pptx, which reads
every part of the zip into memory and parses its XML. So this reader refuses, before
anything else touches the file, whatever python-pptx would choke on or blow up on: zip
bombs (size, part count and compression-ratio limits, judged from the zip directory before
anything is inflated), picture bombs (pixel counts read from image headers), XML with a
DOCTYPE (entity expansion), missing or dangling parts, and numbers outside what the file
format allows (slide size, placeholder positions, text sizes).
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from .layout import Box

NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
EMU_PER_INCH = 914400

# Limits on a template (README, "Limits on input files"). Templates saved by PowerPoint
# are far below each: the four real ones in the team folder are 19–48 KB with 23–49 parts,
# at most 200 KB inflated and compressed at most 9.4 to 1.
#: The .pptx/.potx file on disk.
MAX_TEMPLATE_BYTES = 100_000_000
#: Entries in the zip; python-pptx reads every one into memory.
MAX_TEMPLATE_PARTS = 5_000
#: All parts together once inflated (python-pptx holds them all in memory at once).
MAX_UNPACKED_BYTES = 200_000_000
#: Any one part once inflated (a large photo is a few MB; 50 MB is a poster-sized TIFF).
MAX_PART_BYTES = 50_000_000
#: Any one XML part: every one is parsed, here and by python-pptx.
MAX_XML_BYTES = 10_000_000
#: All the XML parts python-pptx parses, together (a tree takes several times its text).
MAX_XML_TOTAL_BYTES = 50_000_000
#: Inflated ÷ compressed size of a part larger than RATIO_FLOOR_BYTES. XML compresses
#: 5–20 to 1 and pictures hardly at all; a zip bomb is 1000 to 1.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 1_000_000
#: Pixels of any picture in the template, from its header: the limit images in an outline
#: have (outline.MAX_IMAGE_PIXELS), since the picture ends up in the deck the same way.
MAX_MEDIA_PIXELS = 40_000_000
#: Slide width and height in EMU: the range the file format allows (1 to 56 in).
SLIDE_EMU = (914_400, 51_206_400)
#: The smallest slide yamldeck lays out (inches): a 16:9 slide 4 in wide. Real templates are
#: 10 in wide or more; below this, text at the smallest sizes no longer fits at all.
MIN_SLIDE_INCHES = (4.0, 2.25)
#: Text sizes the file format allows, in 1/100 pt (1 to 4000 pt); outside it is damage.
TEXT_SIZE_RANGE = (100, 400_000)
#: Template text sizes above this many points are measured as this size: nothing larger
#: fits on a slide, and the fitter steps down from it one point at a time.
MAX_TEXT_PT = 400.0
COORD_LIMIT = 27_273_042_316_900  # ST_Coordinate: the largest position the format allows

_PML = "application/vnd.openxmlformats-officedocument."
#: What python-pptx needs each part the writer uses to be: content type and root element.
_P = "{" + NS["p"] + "}"
#: Relationship types as python-pptx looks them up: whole, so a changed prefix is no match.
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
_PART_KINDS = {
    "slide master": (_PML + "presentationml.slideMaster+xml", _P + "sldMaster"),
    "layout": (_PML + "presentationml.slideLayout+xml", _P + "sldLayout"),
    "slide": (_PML + "presentationml.slide+xml", _P + "sld"),
    "notes master": (_PML + "presentationml.notesMaster+xml", _P + "notesMaster"),
    "theme": (_PML + "theme+xml", None),  # the writer edits it as plain XML
    "core properties": (
        "application/vnd.openxmlformats-package.core-properties+xml",
        "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}coreProperties",
    ),
}
PLACEHOLDER_TYPES = frozenset(
    (
        "title",
        "body",
        "ctrTitle",
        "subTitle",
        "dt",
        "sldNum",
        "ftr",
        "hdr",
        "obj",
        "chart",
        "tbl",
        "clipArt",
        "dgm",
        "media",
        "sldImg",
        "pic",
    )
)
#: Main-part content types python-pptx opens (a .potx is re-typed by the writer first).
PRESENTATION_TYPES = frozenset(
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    )
)
TEMPLATE_TYPES = frozenset(
    (
        "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
        "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
    )
)


class TemplateError(Exception):
    """The file is not a readable PowerPoint template."""


class _Damaged(Exception):
    """Something inside the package is missing or malformed (the message names the part)."""


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
    master: int = 0  # which slide master (0 first) and which of its layouts
    index: int = 0
    title_size: float | None = None  # the title's size: layout's lstStyle, master's, titleStyle
    body_sizes: tuple[float, float] | None = None  # the body's first and second level
    background: str | None = None  # RRGGBB the slide shows (gradients averaged), if known
    footer_zone: Box | None = None  # the master's date/footer/number placeholders together
    subtitle_size: float | None = None
    footer_size: float | None = None

    @property
    def key(self) -> tuple[int, int]:
        return (self.master, self.index)

    @property
    def is_cover(self) -> bool:
        """A cover layout (centre title or subtitle): only for the title slide."""
        return any(p.type in ("ctrTitle", "subTitle") for p in self.placeholders)

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

    masters: int = 1

    def layout(self, name: str) -> LayoutInfo | None:
        """The first layout of that name (the first master's, when two masters share it)."""
        return next((lay for lay in self.layouts if lay.name == name), None)

    @property
    def layout_names(self) -> list[str]:
        return list(dict.fromkeys(lay.name for lay in self.layouts))


def read_template(path: Path) -> TemplateInfo:
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateError(
                f"the file is {size:,} bytes; a template may have at most {MAX_TEMPLATE_BYTES:,}"
            )
        _check_entry_count(path)
        with zipfile.ZipFile(path) as zf:
            _check_sizes(zf)
            # The writer turns a template (.potx, .potm, or one renamed) into a presentation
            # package before python-pptx opens it, so both main content types are fine.
            return _Package(zf, potx=True).read()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise TemplateError(f"not a PowerPoint file ({exc})") from None
    except _Damaged as exc:
        raise TemplateError(f"damaged PowerPoint file: {exc}") from None
    except (RuntimeError, ValueError, zlib.error) as exc:  # e.g. an encrypted or odd zip
        raise TemplateError(f"not a PowerPoint file ({type(exc).__name__}: {exc})") from None


# ---------------------------------------------------------------------------- the zip


def _check_entry_count(path: Path) -> None:
    """Refuse a zip with too many entries from its end record, before zipfile lists them all."""
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 65_557))  # the end record and the longest comment
        tail_start = f.tell()
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return  # not a zip: zipfile says so
        (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
        if entries == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
            (offset,) = struct.unpack("<Q", tail[at - 12 : at - 4])  # the ZIP64 end record
            if offset < tail_start + at:
                f.seek(offset)
                record = f.read(40)
                if record[:4] == b"PK\x06\x06" and len(record) == 40:
                    (entries,) = struct.unpack("<Q", record[32:40])
    if entries > MAX_TEMPLATE_PARTS:
        raise TemplateError(
            f"it holds {entries:,} parts; a template may have at most {MAX_TEMPLATE_PARTS:,}"
        )


def _check_sizes(zf: zipfile.ZipFile) -> None:
    """Judge every part by the sizes in the zip directory, before inflating anything.

    Reading a part never yields more than its listed size (zipfile stops there and checks
    the CRC), so these sizes bound what python-pptx reads later too.
    """
    infos = zf.infolist()
    if len(infos) > MAX_TEMPLATE_PARTS:
        raise TemplateError(
            f"it holds {len(infos):,} parts; a template may have at most {MAX_TEMPLATE_PARTS:,}"
        )
    total = 0
    for info in infos:
        name, inflated = info.filename, info.file_size
        if inflated > MAX_PART_BYTES:
            raise TemplateError(
                f"part {name} inflates to {inflated:,} bytes; a template "
                f"part may have at most {MAX_PART_BYTES:,}"
            )
        if inflated > RATIO_FLOOR_BYTES and inflated > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            ratio = inflated / max(info.compress_size, 1)
            raise TemplateError(
                f"part {name} is compressed {ratio:,.0f} to 1 (a zip bomb?); "
                f"a template part may be compressed at most "
                f"{MAX_COMPRESSION_RATIO} to 1"
            )
        total += inflated
    if total > MAX_UNPACKED_BYTES:
        raise TemplateError(
            f"its parts inflate to {total:,} bytes; a template may have at "
            f"most {MAX_UNPACKED_BYTES:,}"
        )


class _RootReached(Exception):
    pass


def _root_reached(*_args) -> None:
    raise _RootReached


def _doctype(*_args) -> None:
    raise _Damaged("a DOCTYPE declaration (refused: its entities could expand without limit)")


def parse_xml(data: bytes, name: str) -> ET.Element:
    """Parse one XML part, refusing any DOCTYPE before an entity can be declared or expanded.

    Expat expands internal entities (a billion laughs), and entities can only be declared in
    a DOCTYPE, which can only come before the root element: so the prolog is scanned first,
    stopping at the root, and only a document without one is parsed into a tree.
    """
    from xml.parsers import expat

    scan = expat.ParserCreate()
    scan.StartDoctypeDeclHandler = _doctype
    scan.StartElementHandler = _root_reached
    try:
        scan.Parse(data, True)
    except _RootReached:
        pass
    except _Damaged as exc:
        raise _Damaged(f"{name} has {exc}") from None
    except (expat.ExpatError, LookupError, ValueError) as exc:  # LookupError: encoding="…"
        raise _Damaged(f"{name} is not well-formed XML ({exc})") from None
    try:
        return ET.fromstring(data)
    except (ET.ParseError, LookupError, ValueError) as exc:
        raise _Damaged(f"{name} is not well-formed XML ({exc})") from None


# ------------------------------------------------------------------------- pictures


def picture_size(head: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) from the first bytes of a PNG, GIF, BMP, EMF or JPEG.

    JPEG sizes sit after its metadata segments; pass enough bytes (see _jpeg_size).
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR" and len(head) >= 24:
        w, h = struct.unpack(">II", head[16:24])
        return "PNG", w, h
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        w, h = struct.unpack("<HH", head[6:10])
        return "GIF", w, h
    if head[:2] == b"BM" and len(head) >= 26:
        (header,) = struct.unpack("<I", head[14:18])
        if header == 12:
            w, h = struct.unpack("<HH", head[18:22])
        else:
            w, h = struct.unpack("<ii", head[18:26])
        return "BMP", abs(w), abs(h)
    if head[:4] == b"\x01\x00\x00\x00" and head[40:44] == b" EMF" and len(head) >= 24:
        left, top, right, bottom = struct.unpack("<iiii", head[8:24])  # device units
        return "EMF", abs(right - left) + 1, abs(bottom - top) + 1
    if head[:2] == b"\xff\xd8":
        return _jpeg_size(head)
    return None


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[str, int, int] | None:
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker in _SOF:
            h, w = struct.unpack(">HH", data[at + 5 : at + 9])
            return "JPEG", w, h
        if marker in (0x01, *range(0xD0, 0xD8)):
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return None


#: Bytes read from each non-XML part to find a picture's size (JPEG metadata comes first).
PICTURE_HEAD_BYTES = 256 * 1024


# ------------------------------------------------------------------------ the package


def _posint(raw: str | None) -> int | None:
    if raw is None or not re.fullmatch(r"\s*[-+]?[0-9]{1,20}\s*", raw):
        return None
    return int(raw)


class _Package:
    """The parts python-pptx loads (everything reachable from the package relationships)."""

    def __init__(self, zf: zipfile.ZipFile, potx: bool):
        self.zf = zf
        self.potx = potx
        self.names = set(zf.namelist())
        self.trees: dict[str, ET.Element] = {}
        self.parsed: set[str] = set()  # every part parsed (only the ones used are kept)

    # -- reading parts

    def xml(self, name: str) -> ET.Element:
        if name not in self.trees:
            if name not in self.names:
                raise _Damaged(f"part {name} is missing")
            self.trees[name] = self.parse(name)
        return self.trees[name]

    def parse(self, name: str) -> ET.Element:
        if self.zf.getinfo(name).file_size > MAX_XML_BYTES:
            raise _Damaged(f"part {name} is larger than {MAX_XML_BYTES:,} bytes")
        self.parsed.add(name)
        return parse_xml(self.zf.read(name), name)

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, part name), for a part ('' = the package)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        out = {}
        for rel in self.xml(rels_name).findall("rel:Relationship", NS):
            rid, kind, target = rel.get("Id"), rel.get("Type"), rel.get("Target")
            if rid is None or kind is None or target is None:
                missing = "Id" if rid is None else "Type" if kind is None else "Target"
                raise _Damaged(f"{rels_name} has a relationship without {missing}")
            if rel.get("TargetMode") == "External":
                continue
            full = posixpath.normpath(posixpath.join("/" + folder, target)).lstrip("/")
            out[rid] = (kind, full)
        return out

    def related(
        self, part: str, rels: dict[str, tuple[str, str]], rid: str | None, what: str
    ) -> str:
        if rid is None:
            raise _Damaged(f"{part} lists a {what} without its relationship id")
        if rid not in rels:
            raise _Damaged(f"{part} lists a {what} ({rid}) that its relationships do not name")
        target = rels[rid][1]
        if target not in self.names:
            raise _Damaged(f"{part} names {what} {target}, which is missing")
        self.expect(target, what)
        return target

    def expect(self, name: str, what: str) -> None:
        """python-pptx picks a part's class by content type, and its XML's by root tag."""
        kind, root = _PART_KINDS[what]
        if self.content_type(name) != kind:
            raise _Damaged(
                f"{name} is not a {what} part: its content type is {self.content_type(name)[:80]}"
            )
        if root is not None and self.xml(name).tag != root:
            raise _Damaged(f"{name} is not a {what} part: its root is <{self.xml(name).tag[:80]}>")

    # -- the whole package, as python-pptx walks it

    def read(self) -> TemplateInfo:
        types = self.xml_or_missing("[Content_Types].xml")
        overrides, defaults = {}, {}
        for el in types.findall("ct:Override", NS):
            if el.get("PartName") is None or el.get("ContentType") is None:
                raise _Damaged(
                    "[Content_Types].xml has an Override without PartName or ContentType"
                )
            overrides[el.get("PartName", "").lower()] = el.get("ContentType", "")
        for el in types.findall("ct:Default", NS):
            if el.get("Extension") is None or el.get("ContentType") is None:
                raise _Damaged("[Content_Types].xml has a Default without Extension or ContentType")
            defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")

        def content_type(name: str) -> str:
            uri = "/" + name.lower()  # python-pptx looks both up regardless of case
            if uri in overrides:
                return overrides[uri]
            ext = posixpath.splitext(uri)[1][1:]
            if ext in defaults:
                return defaults[ext]
            raise _Damaged(f"[Content_Types].xml gives no content type for {name}")

        self.content_type = content_type

        seen: set[str] = set()
        todo, main = [""], None
        while todo:
            part = todo.pop()
            if part in seen:
                continue
            seen.add(part)
            todo.extend(target for _, target in self.rels(part).values())
        main = self.one("", _RT + "officeDocument", "presentation part")
        if main is None:
            raise _Damaged("it has no presentation part (_rels/.rels names none)")
        xml_parts = [
            name
            for name in sorted(seen - {""})  # python-pptx skips missing ones
            if name in self.names and content_type(name).endswith("xml")
        ]
        total = sum(self.zf.getinfo(name).file_size for name in xml_parts)
        if total > MAX_XML_TOTAL_BYTES:
            raise TemplateError(
                f"its XML parts hold {total:,} bytes; a template may have at "
                f"most {MAX_XML_TOTAL_BYTES:,}"
            )
        for name in xml_parts:
            if name not in self.parsed:
                self.parse(name)  # well-formed and without a DOCTYPE, as python-pptx needs
        main_type = content_type(main)
        if main_type not in PRESENTATION_TYPES | (TEMPLATE_TYPES if self.potx else set()):
            if main_type in TEMPLATE_TYPES:
                raise _Damaged(
                    "it is a template (.potx) saved under another name; rename it to .potx"
                )
            raise _Damaged(f"its main part {main} is a {main_type}, not a presentation")
        core = self.one("", _CORE_PROPERTIES, "core properties part")
        if core is not None:
            self.expect(core, "core properties")  # the writer sets title and dates
        notes = self.one(main, _RT + "notesMaster", "notes master")
        if notes is not None:
            self.expect(notes, "notes master")  # speaker notes are made from it
            _shape_tree(self.xml(notes), notes)
            _placeholders(self.xml(notes), notes)
        self.check_pictures()
        return self.presentation(main)

    def one(self, part: str, kind: str, what: str) -> str | None:
        """The part that ``part`` relates to by relationship type ``kind``, if any.

        python-pptx looks these up by type among relationships whose target exists, and
        fails on two.
        """
        found = [t for k, t in self.rels(part).values() if k == kind and t in self.names]
        if len(found) > 1:
            raise _Damaged(
                f"{part or 'the package'} has {len(found)} relationships to its "
                f"{what}; there must be one"
            )
        return found[0] if found else None

    def xml_or_missing(self, name: str) -> ET.Element:
        if name not in self.names:
            raise _Damaged(f"part {name} is missing")
        return self.xml(name)

    def check_pictures(self) -> None:
        """Refuse pictures with too many pixels, from their headers; read every other part
        through, so a corrupt one (bad CRC) is found here and not in the writer."""
        for info in self.zf.infolist():
            if info.filename in self.parsed or info.is_dir():
                continue
            with self.zf.open(info) as stream:
                head = stream.read(PICTURE_HEAD_BYTES)
                while stream.read(1 << 20):
                    pass
            found = picture_size(head)
            if found and found[1] * found[2] > MAX_MEDIA_PIXELS:
                fmt, w, h = found
                raise TemplateError(
                    f"picture {info.filename} is {w:,}×{h:,} pixels ({fmt}), more than "
                    f"{MAX_MEDIA_PIXELS // 1_000_000} million"
                )

    # -- the presentation, its masters and layouts

    def presentation(self, name: str) -> TemplateInfo:
        pres = self.xml(name)
        if pres.tag != f"{{{NS['p']}}}presentation":
            raise _Damaged(f"{name} is not a presentation (its root is {_tag(pres)})")
        size = pres.find("p:sldSz", NS)
        if size is None:
            raise _Damaged(f"{name} has no slide size (p:sldSz)")
        width, height = (
            _number(size, attr, name, *SLIDE_EMU, unit="EMU (1 to 56 in)") / EMU_PER_INCH
            for attr in ("cx", "cy")
        )
        if width < MIN_SLIDE_INCHES[0] or height < MIN_SLIDE_INCHES[1]:
            raise TemplateError(
                f"its slides are {width:.2f} × {height:.2f} in; yamldeck lays out "
                f"slides of at least {MIN_SLIDE_INCHES[0]:g} × "
                f"{MIN_SLIDE_INCHES[1]:g} in"
            )
        rels = self.rels(name)
        layouts: list[LayoutInfo] = []
        colors: dict[str, str] = {}
        fonts: dict[str, str] = {}
        text: TextStyles | None = None
        for slide_id in pres.iterfind("p:sldIdLst/p:sldId", NS):
            # The writer drops the template's own slides through these ids.
            _number(slide_id, "id", name, 256, 2_147_483_647)
            self.related(name, rels, slide_id.get(f"{{{NS['r']}}}id"), "slide")
        master_ids = pres.findall("p:sldMasterIdLst/p:sldMasterId", NS)
        if not master_ids:
            raise _Damaged(f"{name} lists no slide master")
        for m, master_id in enumerate(master_ids):
            master_name = self.related(
                name, rels, master_id.get(f"{{{NS['r']}}}id"), "slide master"
            )
            master = self.xml(master_name)
            _shape_tree(master, master_name)
            master_rels = self.rels(master_name)
            theme = self.one(master_name, _RT + "theme", "theme")
            if theme is None:
                raise _Damaged(f"{master_name} has no theme")
            self.expect(theme, "theme")
            text = text or _text_styles(master, master_name)
            by_type = {
                p.type if p.type in _MASTER_TYPE.values() else "body": p
                for p in _placeholders(master, master_name)
                if p.box is not None
            }
            theme_root = self.xml(theme)
            scheme, _ = _theme(theme_root)
            colour_map = _clr_map(master)
            master_text = _text_styles(master, master_name)
            master_bg = _background(master, scheme, colour_map, theme_root)
            zone = _union([p.box for t, p in by_type.items() if t in ("dt", "ftr", "sldNum")])
            for i, layout_id in enumerate(master.iterfind("p:sldLayoutIdLst/p:sldLayoutId", NS)):
                layout_name = self.related(
                    master_name, master_rels, layout_id.get(f"{{{NS['r']}}}id"), "layout"
                )
                layout = self.xml(layout_name)
                c_sld = _shape_tree(layout, layout_name)
                placeholders = []
                for ph in _placeholders(layout, layout_name):
                    if ph.box is None:
                        inherited = by_type.get(_MASTER_TYPE.get(ph.type, "body"))
                        ph = PlaceholderInfo(
                            ph.idx, ph.type, ph.name, inherited.box if inherited else None
                        )
                    box = _clip(ph.box, width, height) if ph.box is not None else None
                    placeholders.append(PlaceholderInfo(ph.idx, ph.type, ph.name, box))
                title_ph = next((p for p in placeholders if p.is_title), None)
                body_ph = next(
                    (
                        p
                        for p in sorted(placeholders, key=lambda p: p.idx)
                        if p.type in ("body", "obj")
                    ),
                    None,
                )
                layouts.append(
                    LayoutInfo(
                        c_sld.get("name", ""),
                        tuple(placeholders),
                        m,
                        i,
                        _own_size(layout, master, title_ph, "title", 1, layout_name)
                        or master_text.title_size,
                        (
                            _own_size(layout, master, body_ph, "body", 1, layout_name)
                            or master_text.body_sizes[0],
                            _own_size(layout, master, body_ph, "body", 2, layout_name)
                            or master_text.body_sizes[1],
                        )
                        if body_ph
                        else None,
                        _background(layout, scheme, colour_map, theme_root) or master_bg,
                        _clip(zone, width, height) if zone else None,
                        _own_size(
                            layout,
                            master,
                            next((p for p in placeholders if p.type == "subTitle"), None),
                            "body",
                            1,
                            layout_name,
                        )
                        or master_text.body_sizes[0],
                        _own_size(
                            layout,
                            master,
                            next((p for p in placeholders if p.type == "ftr"), None),
                            "ftr",
                            1,
                            layout_name,
                        ),
                    )
                )
            if not colors:
                colors, fonts = _theme(self.xml(theme))
        return TemplateInfo(
            width, height, tuple(layouts), colors, fonts, text or TextStyles(), len(master_ids)
        )


def _tag(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def _number(
    el: ET.Element,
    attr: str,
    part: str,
    lo: int,
    hi: int,
    default: int | None = None,
    unit: str = "",
) -> int:
    """An integer attribute the file format bounds to lo..hi; missing means ``default``."""
    raw = el.get(attr)
    if raw is None:
        if default is not None:
            return default
        raise _Damaged(f"{part}: <{_tag(el)}> has no {attr}")
    value = _posint(raw)
    if value is None:
        raise _Damaged(f'{part}: <{_tag(el)} {attr}="{raw[:40]}"> is not a whole number')
    if not lo <= value <= hi:
        raise _Damaged(
            f'{part}: <{_tag(el)} {attr}="{raw[:40]}"> is outside '
            f"{lo:,}..{hi:,}{' ' + unit if unit else ''}"
        )
    return value


def _percent(el: ET.Element, part: str, lo: int, hi: int) -> float:
    """A DrawingML percentage (val="150000" or "150%") as a fraction."""
    raw = el.get("val", "")
    if re.fullmatch(r"\s*-?[0-9]{1,7}(\.[0-9]{1,6})?%\s*", raw):
        value = float(raw.strip()[:-1]) * 1000
        if not lo <= value <= hi:
            raise _Damaged(
                f'{part}: <{_tag(el)} val="{raw}"> is outside {lo // 1000}%..{hi // 1000}%'
            )
        return value / 100_000
    return _number(el, "val", part, lo, hi) / 100_000


def _shape_tree(root: ET.Element, part: str) -> ET.Element:
    """A master or layout's p:cSld, which must hold a p:spTree (python-pptx needs both)."""
    c_sld = root.find("p:cSld", NS)
    if c_sld is None or c_sld.find("p:spTree", NS) is None:
        raise _Damaged(f"{part} has no shape tree (p:cSld/p:spTree)")
    for body in root.iter(f"{{{NS['p']}}}txBody"):
        # The writer copies footers out of these; the format requires both children.
        if body.find("a:bodyPr", NS) is None or body.find("a:p", NS) is None:
            raise _Damaged(f"{part} has a text body without a:bodyPr or a:p")
    return c_sld


def _box(sp: ET.Element, part: str) -> Box | None:
    off = sp.find("p:spPr/a:xfrm/a:off", NS)
    ext = sp.find("p:spPr/a:xfrm/a:ext", NS)
    if off is None or ext is None:
        return None
    x, y = (_number(off, a, part, -COORD_LIMIT, COORD_LIMIT) for a in ("x", "y"))
    w, h = (_number(ext, a, part, 0, COORD_LIMIT) for a in ("cx", "cy"))
    return Box(x / EMU_PER_INCH, y / EMU_PER_INCH, w / EMU_PER_INCH, h / EMU_PER_INCH)


def _clip(box: Box, width: float, height: float) -> Box:
    """The part of ``box`` on the slide: content is never planned off it."""
    x0, y0 = min(max(box.x, 0.0), width), min(max(box.y, 0.0), height)
    x1, y1 = min(max(box.x + box.w, 0.0), width), min(max(box.y + box.h, 0.0), height)
    return (
        box
        if (x0, y0, x1 - x0, y1 - y0) == (box.x, box.y, box.w, box.h)
        else Box(x0, y0, x1 - x0, y1 - y0)
    )


def _placeholders(root: ET.Element, part: str) -> list[PlaceholderInfo]:
    out = []
    for sp in root.iterfind(".//p:sp", NS):
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is None:
            continue
        kind = ph.get("type", "obj")
        if kind not in PLACEHOLDER_TYPES:
            raise _Damaged(f'{part}: placeholder type "{kind[:40]}" is not one PowerPoint knows')
        for attr, allowed in (("orient", ("horz", "vert")), ("sz", ("full", "half", "quarter"))):
            if ph.get(attr, allowed[0]) not in allowed:
                raise _Damaged(
                    f'{part}: placeholder {attr}="{ph.get(attr, "")[:40]}" is '
                    f"not one of {', '.join(allowed)}"
                )
        c_nv_pr = sp.find("p:nvSpPr/p:cNvPr", NS)
        if c_nv_pr is None or sp.find("p:nvSpPr/p:cNvSpPr", NS) is None:
            raise _Damaged(f"{part}: a placeholder has no p:cNvPr or p:cNvSpPr")
        _number(c_nv_pr, "id", part, 0, 4_294_967_295)
        if c_nv_pr.get("name") is None:
            raise _Damaged(f"{part}: <cNvPr> has no name")
        out.append(
            PlaceholderInfo(
                idx=_number(ph, "idx", part, 0, 4_294_967_295, default=0),
                type=kind,
                name=c_nv_pr.get("name", ""),
                box=_box(sp, part),
            )
        )
    return out


_MASTER_TYPE = {"ctrTitle": "title", "title": "title", "dt": "dt", "ftr": "ftr", "sldNum": "sldNum"}


def _text_styles(master: ET.Element, part: str) -> TextStyles:
    """Sizes, margins and spacing from the master's text styles.

    Values outside what the file format allows are damage; sizes above MAX_TEXT_PT are
    measured as MAX_TEXT_PT.
    """
    default = TextStyles()

    def level(style: str, n: int) -> ET.Element | None:
        return master.find(f"p:txStyles/p:{style}/a:lvl{n}pPr", NS)

    def size(el: ET.Element | None, fallback: float) -> float:
        rpr = el.find("a:defRPr", NS) if el is not None else None
        if rpr is None or rpr.get("sz") is None:
            return fallback
        return min(_number(rpr, "sz", part, *TEXT_SIZE_RANGE, unit="(1/100 pt)") / 100, MAX_TEXT_PT)

    def margin(el: ET.Element | None, fallback: float) -> float:
        if el is None or el.get("marL") is None:
            return fallback
        return _number(el, "marL", part, 0, SLIDE_EMU[1], unit="EMU") / EMU_PER_INCH

    title, body1, body2 = level("titleStyle", 1), level("bodyStyle", 1), level("bodyStyle", 2)
    line, before = default.line, default.space_before
    if body1 is not None:
        pct = body1.find("a:lnSpc/a:spcPct", NS)
        if pct is not None:
            line = _percent(pct, part, 0, 13_200_000)
        bef_pct = body1.find("a:spcBef/a:spcPct", NS)
        bef_pts = body1.find("a:spcBef/a:spcPts", NS)
        if bef_pct is not None:
            before = (_percent(bef_pct, part, 0, 13_200_000), 0.0)
        elif bef_pts is not None:
            before = (0.0, _number(bef_pts, "val", part, 0, 158_400) / 100)
    return TextStyles(
        size(title, default.title_size),
        (size(body1, default.body_sizes[0]), size(body2, default.body_sizes[1])),
        (margin(body1, default.body_margins[0]), margin(body2, default.body_margins[1])),
        line,
        before,
    )


def _theme(root: ET.Element) -> tuple[dict[str, str], dict[str, str]]:
    colors: dict[str, str] = {}
    scheme = root.find(".//a:clrScheme", NS)
    if scheme is not None:
        for slot in scheme:
            tag = slot.tag.rsplit("}", 1)[-1]
            rgb = slot.find("a:srgbClr", NS)
            sys_color = slot.find("a:sysClr", NS)
            value = (
                rgb.get("val", "")
                if rgb is not None
                else (sys_color.get("lastClr", "") if sys_color is not None else "")
            )
            if re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                colors[tag] = value.upper()
    fonts: dict[str, str] = {}
    for group in ("major", "minor"):
        el = root.find(f".//a:fontScheme/a:{group}Font", NS)
        if el is None:
            continue
        for slot in ("latin", "ea"):  # type: ignore[assignment]
            face = el.find(f"a:{slot}", NS)
            if face is not None and face.get("typeface"):
                fonts[f"{group}_{slot}"] = face.get("typeface", "")
        jpan = next(
            (f.get("typeface") for f in el.findall("a:font", NS) if f.get("script") == "Jpan"), None
        )
        if jpan and f"{group}_ea" not in fonts:
            fonts[f"{group}_ea"] = jpan
    return colors, fonts


# ------------------------------------------------------------------ sizes and backgrounds


def _ph_sp(root: ET.Element, ph: PlaceholderInfo) -> ET.Element | None:
    """The p:sp of a placeholder, found by idx (or by type for the master's)."""
    for sp in root.iterfind(".//p:sp", NS):
        el = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if el is None:
            continue
        if el.get("idx", "0") == str(ph.idx) and el.get("type", "obj") == ph.type:
            return sp
    return None


def _master_sp(master: ET.Element, kind: str) -> ET.Element | None:
    for sp in master.iterfind(".//p:sp", NS):
        el = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if el is not None and _MASTER_TYPE.get(el.get("type", "obj"), "body") == kind:
            return sp
    return None


def _lst_size(sp: ET.Element | None, level: int, part: str) -> float | None:
    if sp is None:
        return None
    rpr = sp.find(f"p:txBody/a:lstStyle/a:lvl{level}pPr/a:defRPr", NS)
    if rpr is None or rpr.get("sz") is None:
        return None
    return min(_number(rpr, "sz", part, *TEXT_SIZE_RANGE, unit="(1/100 pt)") / 100, MAX_TEXT_PT)


def _own_size(
    layout: ET.Element,
    master: ET.Element,
    ph: PlaceholderInfo | None,
    kind: str,
    level: int,
    part: str,
) -> float | None:
    """A placeholder's size at ``level`` from its own list style, else the master
    placeholder's (the master's txStyles come after, from the caller)."""
    if ph is None:
        return None
    return _lst_size(_ph_sp(layout, ph), level, part) or _lst_size(
        _master_sp(master, kind), level, part
    )


def _union(boxes: list[Box | None]) -> Box | None:
    found = [b for b in boxes if b is not None and b.w > 0 and b.h > 0]
    if not found:
        return None
    x0, y0 = min(b.x for b in found), min(b.y for b in found)
    x1, y1 = max(b.x + b.w for b in found), max(b.y + b.h for b in found)
    return Box(x0, y0, x1 - x0, y1 - y0)


def _clr_map(master: ET.Element) -> dict[str, str]:
    el = master.find("p:clrMap", NS)
    base = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
    if el is not None:
        base.update({k: v for k, v in el.attrib.items() if k in base})
    return base


def _color(el: ET.Element | None, scheme: dict[str, str], colour_map: dict[str, str]) -> str | None:
    """RRGGBB of a DrawingML colour element's parent (srgbClr, schemeClr, sysClr), with
    lumMod/lumOff applied."""
    if el is None:
        return None
    for child in el:
        tag = _tag(child)
        value = None
        if tag == "srgbClr":
            value = child.get("val", "")
        elif tag == "sysClr":
            value = child.get("lastClr", "")
        elif tag == "schemeClr":
            name = child.get("val", "")
            value = scheme.get(colour_map.get(name, name), "")
        elif tag == "prstClr":
            value = {"black": "000000", "white": "FFFFFF"}.get(child.get("val", ""), "")
        if value is None:
            continue
        if not re.fullmatch(r"[0-9A-Fa-f]{6}", value or ""):
            return None
        return _modified(value.upper(), child)
    return None


def _modified(rgb: str, el: ET.Element) -> str:
    """``rgb`` with the colour's modifiers applied in order, as LibreOffice and PowerPoint
    apply them: tint and shade mix with white or black in linear RGB, lumMod/lumOff and
    satMod scale lightness and saturation (rstudio-template's background, dk2 with tint
    95 % and satMod 170 %, renders #516481, not the #4B5C74 of a lightness-only tint)."""
    import colorsys

    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    for mod in el:
        raw = _posint(mod.get("val"))
        if raw is None:
            continue
        amount = raw / 100_000
        tag = _tag(mod)
        if tag in ("tint", "shade"):
            white = 1 - amount if tag == "tint" else 0.0
            r, g, b = (_gamma(_linear(c) * amount + white) for c in (r, g, b))
        elif tag in ("lumMod", "lumOff", "satMod"):
            h, lum, sat = colorsys.rgb_to_hls(r, g, b)
            if tag == "lumMod":
                lum *= amount
            elif tag == "lumOff":
                lum += amount
            else:
                sat *= amount
            r, g, b = colorsys.hls_to_rgb(h, min(max(lum, 0.0), 1.0), min(max(sat, 0.0), 1.0))
    return "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in (r, g, b))


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _average(colors: list[str]) -> str:
    return "".join(
        f"{round(sum(int(c[i : i + 2], 16) for c in colors) / len(colors)):02X}" for i in (0, 2, 4)
    )


def _background(
    root: ET.Element, scheme: dict[str, str], colour_map: dict[str, str], theme: ET.Element
) -> str | None:
    """The colour a layout's or master's own p:bg shows, or None when it sets none."""
    bg = root.find("p:cSld/p:bg", NS)
    if bg is None:
        return None
    pr = bg.find("p:bgPr", NS)
    if pr is not None:
        solid = pr.find("a:solidFill", NS)
        if solid is not None:
            return _color(solid, scheme, colour_map)
        grad = pr.find("a:gradFill", NS)
        if grad is not None:
            stops = [_color(gs, scheme, colour_map) for gs in grad.iterfind("a:gsLst/a:gs", NS)]
            found = [c for c in stops if c]
            return _average(found) if found else None
        return None  # a picture or pattern: unknown
    ref = bg.find("p:bgRef", NS)
    if ref is not None:
        colour = _color(ref, scheme, colour_map)
        idx = _posint(ref.get("idx")) or 0
        styles = theme.findall(".//a:fmtScheme/a:bgFillStyleLst/*", NS)
        style = styles[idx - 1001] if 1001 <= idx < 1001 + len(styles) else None
        if style is not None and _tag(style) == "gradFill" and colour:
            stops = []
            for gs in style.iterfind("a:gsLst/a:gs", NS):
                clr = gs.find("a:schemeClr", NS)
                stops.append(
                    _modified(colour, clr)
                    if clr is not None
                    else (_color(gs, scheme, colour_map) or colour)
                )
            return _average(stops) if stops else colour  # type: ignore[arg-type]
        if style is not None and _tag(style) == "solidFill" and colour:
            clr = style.find("a:schemeClr", NS)
            return _modified(colour, clr) if clr is not None else colour
        return colour
    return None
