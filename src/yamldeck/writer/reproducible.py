"""Make a saved .pptx byte-for-byte reproducible (python-pptx #702).

python-pptx stamps every zip entry with the current time. We rewrite the archive with a fixed
timestamp, fixed permissions and a fixed entry order ([Content_Types].xml first).
"""

from __future__ import annotations

import io
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def normalize_zip(data: bytes, replace: dict[bytes, bytes] | None = None) -> bytes:
    """The package with fixed times, order and attributes, each entry compressed once.

    ``replace`` maps an entry's content to what it should hold instead: chart pictures
    drawn on another core while the slides were written take the place of their
    stand-ins here, so the file is byte for byte what a build in one go writes.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
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
            dst.writestr(info, content, compresslevel=6)
    return out.getvalue()
