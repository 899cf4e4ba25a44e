"""Make a saved .pptx byte-for-byte reproducible (python-pptx #702).

python-pptx stamps every zip entry with the current time. We rewrite the archive with a fixed
timestamp, fixed permissions and a fixed entry order ([Content_Types].xml first). The
workbook embedded in each native chart (written by xlsxwriter) records the time it was
made in its core properties: that becomes the deck's own time.
"""

from __future__ import annotations

import io
import re
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


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
                dst.writestr(info, content, compresslevel=6)
        return out.getvalue()
    except zipfile.BadZipFile:
        return data  # not ours to repair


def normalize_zip(
    data: bytes,
    replace: dict[bytes, bytes] | None = None,
    created: str = "2000-01-01T00:00:00Z",
) -> bytes:
    """The package with fixed times, order and attributes, each entry compressed once.

    ``replace`` maps an entry's content to what it should hold instead: chart pictures
    drawn on another core while the slides were written take the place of their
    stand-ins here, so the file is byte for byte what a build in one go writes.
    ``created`` (W3CDTF) is the time given to embedded chart workbooks.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    # Each name once: a template whose root relationships lost the core properties gets a
    # new docProps/core.xml from python-pptx beside its own; the zip would hold the name
    # twice (PowerPoint repairs such a file). Reading a name gives the last one, ours.
    names = set(src.namelist())
    ordered = ["[Content_Types].xml"] + sorted(n for n in names if n != "[Content_Types].xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            content = src.read(name)
            if replace and content in replace:
                content = replace[content]
            elif _WORKBOOK.fullmatch(name):
                content = _fixed_workbook(content, created)
            dst.writestr(info, content, compresslevel=6)
    return out.getvalue()
