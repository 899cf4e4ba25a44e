"""Broken and hostile templates, made from python-pptx's default template (no binary fixtures).

``BROKEN`` maps a name to a change of the package's parts; ``write_bad_templates`` writes
each as ``NAME.pptx`` (the golden corpus under tests/bad/ uses them). The bombs are real:
their zip entries and PNG data inflate to what their headers say.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

PRES = "ppt/presentation.xml"
MASTER = "ppt/slideMasters/slideMaster1.xml"
LAYOUT = "ppt/slideLayouts/slideLayout2.xml"  # Title and Content
CONTENT_TYPES = "[Content_Types].xml"

Parts = dict[str, bytes]
Mutation = Callable[[Parts], None]


@cache
def base_template() -> bytes:
    from pptx import Presentation

    out = io.BytesIO()
    Presentation().save(out)
    return out.getvalue()


def parts_of(data: bytes) -> Parts:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def pack(parts: Parts, raw: dict[str, tuple[bytes, int, int]] | None = None) -> bytes:
    """A zip of ``parts`` (deflated; pictures stored, as PowerPoint does), plus ``raw``
    entries given as already-deflated data with their CRC and inflated size, written by hand
    so a bomb needs no inflating here."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data, zipfile.ZIP_STORED if name.endswith(".png")
                        else zipfile.ZIP_DEFLATED)
    if not raw:
        return out.getvalue()
    return _append_raw(out.getvalue(), raw)


def _append_raw(data: bytes, raw: dict[str, tuple[bytes, int, int]]) -> bytes:
    end = data.rfind(b"PK\x05\x06")
    count, cd_size, cd_offset = struct.unpack("<HII", data[end + 10: end + 20])
    body, directory = bytearray(data[:cd_offset]), bytearray(data[cd_offset: cd_offset + cd_size])
    for name, (deflated, crc, size) in raw.items():
        encoded = name.encode()
        offset = len(body)
        body += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(deflated),
                            size, len(encoded), 0) + encoded + deflated
        directory += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc,
                                 len(deflated), size, len(encoded), 0, 0, 0, 0, 0,
                                 offset) + encoded
        count += 1
    return bytes(body + directory + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count,
                                                len(directory), len(body), 0))


def zeros_deflated(n: int) -> bytes:
    """Raw deflate data for ``n`` zero bytes, built from one compressed 16 MiB block."""
    chunk = 1 << 24
    full, rest = divmod(n, chunk)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = co.compress(bytes(chunk)) + co.flush(zlib.Z_FULL_FLUSH)
    tail = b""
    if rest:
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        tail = co.compress(bytes(rest)) + co.flush(zlib.Z_FULL_FLUSH)
    return piece * full + tail + b"\x03\x00"  # a final, empty fixed-Huffman block


def png_bomb(width: int, height: int) -> bytes:
    """A valid all-black RGBA PNG: small on disk, ``width × height × 4`` bytes decoded."""
    raw = height * (1 + 4 * width)
    idat = b"\x78\xda" + zeros_deflated(raw) + struct.pack(">I", ((raw % 65521) << 16) | 1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6,
                                                            0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def with_picture(png: bytes) -> Parts:
    """The base template with ``png`` as a picture its master uses."""
    parts = parts_of(base_template())
    parts["ppt/media/image1.png"] = png
    rels = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", (
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/image" Target="../media/image1.png"/></Relationships>'))
    parts[CONTENT_TYPES] = parts[CONTENT_TYPES].replace(
        b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
    return parts


def template_with(mutation: Mutation) -> bytes:
    parts = parts_of(base_template())
    mutation(parts)
    return pack(parts)


def sub(part: str, pattern: str, repl: str, count: int = 1) -> Mutation:
    def mutate(parts: Parts) -> None:
        text = parts[part].decode("utf-8")
        assert re.search(pattern, text, flags=re.DOTALL), (part, pattern)
        parts[part] = re.sub(pattern, repl, text, count=count, flags=re.DOTALL).encode("utf-8")
    return mutate


def drop(part: str) -> Mutation:
    def mutate(parts: Parts) -> None:
        del parts[part]
    return mutate


def put(part: str, data: bytes) -> Mutation:
    def mutate(parts: Parts) -> None:
        parts[part] = data
    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(parts: Parts) -> None:
        for m in mutations:
            m(parts)
    return mutate


LAUGHS = ('<!DOCTYPE p:presentation [<!ENTITY a "lollollollollollollollollollol">'
          + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
                    for a, b in zip("abcdefgh", "bcdefghi")) + "]>")

#: name → mutation of the default template; each must be refused at the template: line.
BROKEN: dict[str, Mutation] = {
    "no_cy": sub(PRES, r' cy="\d+"', ""),
    "no_cx": sub(PRES, r'(<p:sldSz) cx="\d+"', r"\1"),
    "zero_size": sub(PRES, r'<p:sldSz cx="\d+" cy="\d+"', '<p:sldSz cx="0" cy="0"'),
    "negative_size": sub(PRES, r'<p:sldSz cx="\d+"', '<p:sldSz cx="-9144000"'),
    "huge_size": sub(PRES, r'<p:sldSz cx="\d+"', '<p:sldSz cx="99999999999999"'),
    "tiny_slide": sub(PRES, r'<p:sldSz cx="\d+" cy="\d+"', '<p:sldSz cx="914400" cy="914400"'),
    "undefined_prefix": sub(PRES, r"<p:notesSz", "<foo:bar/><p:notesSz"),
    "garbage_part": put(LAYOUT, b"\x00\xff\xfe garbage \x13"),
    "no_presentation": drop(PRES),
    "no_package_rels": drop("_rels/.rels"),
    "no_content_types": drop(CONTENT_TYPES),
    "no_presentation_rels": drop("ppt/_rels/presentation.xml.rels"),
    "missing_layout": drop(LAYOUT),
    "doctype": sub(PRES, r"^<\?xml[^>]*\?>",
                   '<?xml version="1.0"?><!DOCTYPE p:presentation SYSTEM "x.dtd">'),
    "billion_laughs": sub(PRES, r"^(<\?xml[^>]*\?>)(.*?)(<p:notesSz)",
                          r"\1" + LAUGHS + r"\2<p:custDataLst>&i;</p:custDataLst>\3"),
    "no_sptree": sub(LAYOUT, r"<p:spTree>.*</p:spTree>", ""),
    "idx_not_a_number": sub(LAYOUT, r'idx="1"', 'idx="one"'),
    "idx_too_big": sub(LAYOUT, r'idx="1"', 'idx="99999999999999999999"'),
    "placeholder_type": sub(LAYOUT, r'type="title"', 'type="heading"'),
    "off_without_x": sub(MASTER, r'(<p:ph type="title"/>.*?<a:off) x="\d+"', r"\1"),
    "negative_extent": sub(MASTER, r'(<p:ph type="title"/>.*?<a:ext) cx="\d+"', r'\1 cx="-5"'),
    "huge_title_size": sub(MASTER, r'sz="4400"', 'sz="99999999"'),
    "line_spacing": sub(MASTER, r"(<p:bodyStyle><a:lvl1pPr[^>]*>)",
                        r'\1<a:lnSpc><a:spcPct val="999999999"/></a:lnSpc>'),
    "master_without_id": sub(PRES, r' r:id="rId1"', ""),
    # Found by the template fuzz (tests/test_fuzz.py): each crashed the writer before.
    "master_without_theme": sub("ppt/slideMasters/_rels/slideMaster1.xml.rels",
                                r'<Relationship Id="rId12"[^>]*/>', ""),
    "master_content_type": sub(CONTENT_TYPES, r'(PartName="/ppt/slideMasters/slideMaster1.xml"'
                               r') ContentType="[^"]*"', r'\1 ContentType="application/xml"'),
    "placeholder_without_cnvpr": sub(LAYOUT, r'<p:cNvPr id="2" name="Title 1"/>', ""),
    "unknown_encoding": sub(PRES, r"encoding='UTF-8'", "encoding='UTF-99'"),
    "core_properties_namespace": sub("docProps/core.xml", r'xmlns:cp="[^"]*"', 'xmlns:cp="x"'),
    "theme_relationship_type": sub("ppt/slideMasters/_rels/slideMaster1.xml.rels",
                                   r"2006/relationships/theme", "2006/rrId99lationships/theme"),
    "two_themes": sub("ppt/slideMasters/_rels/slideMaster1.xml.rels", r"</Relationships>",
                      '<Relationship Id="rId13" Type="http://schemas.openxmlformats.org/'
                      'officeDocument/2006/relationships/theme" Target="../theme/theme1.xml"/>'
                      "</Relationships>"),
    "drawingml_namespace": sub(LAYOUT, r'xmlns:a="http://', 'xmlns:a="ttp://'),
    "dangling_slide": sub(PRES, r"(</p:sldMasterIdLst>)",
                          r'\1<p:sldIdLst><p:sldId id="256" r:id="rId99"/></p:sldIdLst>'),
}


def write_bad_templates(folder: Path) -> None:
    """Every BROKEN template as folder/NAME.pptx, and the bombs (see bombs())."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, mutation in BROKEN.items():
        (folder / f"{name}.pptx").write_bytes(template_with(mutation))
    for name, data in bombs().items():
        (folder / f"{name}.pptx").write_bytes(data)


@cache
def bombs() -> dict[str, bytes]:
    """Templates of about 1.6 MB that inflate to 1.5 GiB: a zip entry, a PNG's pixels."""
    size = 3 << 29  # 1.5 GiB
    part_bomb = pack(parts_of(base_template()),
                     {"ppt/media/image9.bmp": (zeros_deflated(size), 0, size)})
    picture_bomb = pack(with_picture(png_bomb(20_000, 20_000)))
    return {"zip_bomb": part_bomb, "picture_bomb": picture_bomb}
