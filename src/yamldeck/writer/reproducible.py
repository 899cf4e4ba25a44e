"""Make a saved .pptx byte-for-byte reproducible (python-pptx #702).

python-pptx stamps every zip entry with the current time. We rewrite the archive with a fixed
timestamp, fixed permissions and a fixed entry order ([Content_Types].xml first). The
workbook embedded in each native chart (written by xlsxwriter) records the time it was
made in its core properties: that becomes the deck's own time.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 6  # zlib's level for every entry (python-pptx's and zipfile's default)


_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")
_WORKBOOK = re.compile(r"ppt/embeddings/[^/]+\.xlsx")


def _fixed_workbook(data: bytes, created: str) -> bytes:
    """An embedded workbook with ``created`` as its creation and modification time."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in src.namelist():
                content = src.read(name)
                if name == "docProps/core.xml":
                    content = _W3CDTF.sub(rb"\g<1>" + created.encode() + rb"\g<2>", content)
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0o644 << 16
                dst.writestr(info, content, compresslevel=COMPRESS_LEVEL)
        return out.getvalue()
    except zipfile.BadZipFile:
        return data  # not ours to repair


def normalize_zip(
    parts: dict[str, bytes],
    replace: dict[bytes, bytes] | None = None,
    created: str = "2000-01-01T00:00:00Z",
    earlier: Earlier | None = None,
) -> bytes:
    """The package of ``parts`` (member name → bytes) with fixed times, order and
    attributes, each entry compressed once.

    ``replace`` maps an entry's content to what it should hold instead: chart pictures
    drawn on another core while the slides were written take the place of their
    stand-ins here, so the file is byte for byte what a build in one go writes.
    ``created`` (W3CDTF) is the time given to embedded chart workbooks. ``earlier``, a
    package this function wrote with the same zlib: an entry it holds with the same bytes
    is copied from it compressed, not compressed again (most of an edited deck: layouts,
    masters, pictures and every slide not edited).
    """
    ordered = ["[Content_Types].xml"] + sorted(n for n in parts if n != "[Content_Types].xml")
    entries = []
    for name in ordered:
        content = parts[name]
        if replace and content in replace:
            content = replace[content]
        elif _WORKBOOK.fullmatch(name):
            content = _fixed_workbook(content, created)
        entries.append((name, content))
    return write_zip(entries, earlier)


class Earlier:
    """The deflated entries of a package, found from its central directory; each entry's
    bytes inflated at most once."""

    def __init__(self, package: bytes):
        self.package = package
        self._entries: dict[str, tuple[int, int, bytes]] | None = None
        self._inflated: dict[str, bytes | None] = {}

    def entries(self) -> dict[str, tuple[int, int, bytes]]:
        """Name → (CRC, size, compressed bytes); empty for a file that is not a plain zip."""
        if self._entries is None:
            self._entries = _deflated_entries(self.package)
        return self._entries

    def content(self, name: str) -> bytes | None:
        if name not in self._inflated:
            entry = self.entries().get(name)
            try:
                self._inflated[name] = zlib.decompress(entry[2], -15) if entry else None
            except zlib.error:
                self._inflated[name] = None
        return self._inflated[name]


# The zip records as zipfile writes them for a ZipInfo with FIXED_TIME, create_system 0,
# mode 644 and ZIP_DEFLATED at COMPRESS_LEVEL into a seekable file (no data descriptor):
# write_zip gives the same bytes (tests/test_reproducible.py compares them), but can take
# an entry's compressed bytes from an earlier package instead of compressing it again.
_VERSION = 20  # zipfile's DEFAULT_VERSION: deflate
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOS_DATE = (FIXED_TIME[0] - 1980) << 9 | FIXED_TIME[1] << 5 | FIXED_TIME[2]
_DOS_TIME = FIXED_TIME[3] << 11 | FIXED_TIME[4] << 5 | FIXED_TIME[5] // 2
_MODE = 0o644 << 16
#: Beyond these a package needs zip64 records: zipfile writes it (entries, bytes).
_MAX_ENTRIES = 0xFFFF
_MAX_BYTES = 0x7FFFFFFF  # zipfile's ZIP64_LIMIT: an entry or the whole archive


def write_zip(entries: list[tuple[str, bytes]], earlier: Earlier | None = None) -> bytes:
    """A zip of ``entries`` in order, taking from ``earlier`` the compressed bytes of an
    entry it holds under the same name with the same content."""
    total = sum(len(content) for _, content in entries)
    if len(entries) >= _MAX_ENTRIES or total * 1.05 >= _MAX_BYTES:
        return _write_zipfile(entries)
    known = earlier.entries() if earlier is not None else {}
    out = io.BytesIO()
    central = []
    for name, content in entries:
        crc = zlib.crc32(content)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        found = known.get(name)
        if (
            found is not None
            and found[:2] == (crc, len(content))
            and earlier is not None
            and earlier.content(name) == content
        ):
            packed = found[2]
        else:
            compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
            packed = compressor.compress(content) + compressor.flush()
        # The fields the local header and the central directory share, in the same order:
        # flags, method, time, date, CRC, compressed size, size, name length.
        sizes = (len(packed), len(content), len(encoded))
        shared = (flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, crc, *sizes)
        offset = out.tell()
        out.write(_LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *shared, 0))  # no extra field
        out.write(encoded)
        out.write(packed)
        # made by, needed, then after the shared fields: extra, comment, disk, attributes
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02", _VERSION, 0, _VERSION, 0, *shared, 0, 0, 0, 0, _MODE, offset
            )
            + encoded
        )
    start = out.tell()
    if start >= _MAX_BYTES:
        return _write_zipfile(entries)
    for record in central:
        out.write(record)
    size = out.tell() - start
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), size, start, 0))
    return out.getvalue()


def _write_zipfile(entries: list[tuple[str, bytes]]) -> bytes:
    """The same archive written by zipfile, which adds zip64 records where needed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = _MODE
            dst.writestr(info, content, compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


def _deflated_entries(package: bytes) -> dict[str, tuple[int, int, bytes]]:
    found: dict[str, tuple[int, int, bytes]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as src:
            infos = src.infolist()
        for info in infos:
            if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & ~0x800:
                continue
            at = info.header_offset
            head = package[at : at + 30]
            if len(head) < 30 or head[:4] != b"PK\x03\x04":
                continue
            name_len, extra_len = struct.unpack("<2H", head[26:30])
            start = at + 30 + name_len + extra_len
            packed = package[start : start + info.compress_size]
            if len(packed) == info.compress_size:
                found[info.filename] = (info.CRC, info.file_size, packed)
    except (zipfile.BadZipFile, ValueError, struct.error, OSError):
        return {}
    return found
