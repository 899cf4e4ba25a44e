"""See a deck without PowerPoint: a PDF through LibreOffice, and a PNG contact sheet.

Each conversion runs LibreOffice with a profile of its own, so several can run at once
(LibreOffice refuses a second instance on a shared profile). Outputs are written to a
temporary folder and renamed into place.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = (
    "install LibreOffice and poppler: `sudo apt-get install libreoffice-impress "
    "fonts-noto-cjk poppler-utils` (Debian/Ubuntu) or `brew install --cask "
    "libreoffice && brew install poppler` (macOS)"
)
THUMB_W = 480
THUMB_H = 270
GAP = 12
COLUMNS = 4


class PreviewError(Exception):
    pass


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise PreviewError(f"LibreOffice is not installed; {INSTALL_HINT}")
    return found


def to_pdf(pptx: Path, pdf: Path | None = None, timeout: int = 300) -> Path:
    """Convert ``pptx`` to ``pdf`` (default: beside it)."""
    target = pdf or pptx.with_suffix(".pdf")
    _may_write(target, pdf_is_ours)  # before LibreOffice's seconds, not after
    _may_write(target.with_name(f"{target.stem}-sheet.png"), png_is_ours)
    with tempfile.TemporaryDirectory(prefix="yamldeck-lo-") as tmp:
        profile = Path(tmp) / "profile"
        out = Path(tmp) / "out"
        try:
            subprocess.run(
                [
                    soffice(),
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out),
                    str(pptx.resolve()),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.CalledProcessError as exc:
            raise PreviewError(
                f"LibreOffice failed on {pptx}: {exc.stderr.decode(errors='replace').strip()}"
            ) from None
        except subprocess.TimeoutExpired:
            raise PreviewError(f"LibreOffice took more than {timeout} s on {pptx}") from None
        produced = out / f"{pptx.stem}.pdf"
        if not produced.is_file():
            raise PreviewError(
                f"LibreOffice wrote no PDF for {pptx}"
                + ("" if _is_zip(pptx) else " (it is not a .pptx file)")
            )
        _write_ours(target, mark_pdf(produced.read_bytes()), pdf_is_ours)
    return target


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


# ------------------------------------------------------------ whose PDF or PNG is this?
#
# A preview replaces an existing PDF or contact sheet only when yamldeck wrote it: the
# report.pdf a user exported from PowerPoint beside report.pptx is theirs. yamldeck's PDFs
# carry /Creator (yamldeck) in an incremental update of their document information, and
# its contact sheets a PNG text chunk Software=yamldeck.

PDF_CREATOR = b"/Creator (yamldeck)"
PNG_SOFTWARE = "yamldeck"
# Where the mark is looked for: the end of the file (the document information dictionary
# holds the title, at most 10,000 characters, hex-encoded).
MARK_TAIL_BYTES = 65_536
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_CREATOR = re.compile(rb"/Creator\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))")


def mark_pdf(data: bytes) -> bytes:
    """``data`` with an incremental update whose document information names yamldeck as
    its creator (title and dates kept). A PDF whose layout this does not know (a
    cross-reference stream) is returned as it is: it is then never replaced later."""
    end = _STARTXREF.search(data[-1024:])
    if end is None:
        return data
    prev = int(end.group(1))
    if data[prev : prev + 4] != b"xref":
        return data
    trailer_at = data.rfind(b"trailer", prev)
    trailer = data[trailer_at:] if trailer_at >= 0 else b""
    size = re.search(rb"/Size\s+(\d+)", trailer)
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", trailer)
    if size is None or root is None:
        return data
    info = b"<<>>"
    old = re.search(rb"/Info\s+(\d+)\s+(\d+)\s+R", trailer)
    if old is not None:
        found = re.search(
            rb"(?:^|[\r\n])"
            + old.group(1)
            + rb"\s+"
            + old.group(2)
            + rb"\s+obj\s*(<<.*?>>)\s*endobj",
            data,
            re.DOTALL,
        )
        if found is not None:
            info = found.group(1)
    if _CREATOR.search(info):
        info = _CREATOR.sub(lambda m: PDF_CREATOR, info, count=1)
    else:
        info = b"<<" + PDF_CREATOR + info[2:]
    number = int(size.group(1))
    ident = re.search(rb"/ID\s*\[[^\]]*\]", trailer)
    body = b"\n%d 0 obj\n%s\nendobj\n" % (number, info)
    xref_at = len(data) + len(body)
    update = (
        body
        + b"xref\n%d 1\n%010d 00000 n \n" % (number, len(data) + 1)
        + b"trailer\n<</Size %d/Root %s/Info %d 0 R/Prev %d%s>>\n"
        % (number + 1, root.group(1), number, prev, ident.group(0) if ident else b"")
        + b"startxref\n%d\n%%%%EOF\n" % xref_at
    )
    return data + update


def _tail(path: Path) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - MARK_TAIL_BYTES))
        return handle.read()


def pdf_is_ours(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(5)
        return head == b"%PDF-" and PDF_CREATOR in _tail(path)
    except OSError:
        return False


def png_is_ours(path: Path) -> bool:
    from PIL import Image

    try:
        with Image.open(path) as im:
            text = getattr(im, "text", {})  # PNG text chunks
            return im.format == "PNG" and text.get("Software") == PNG_SOFTWARE
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False


def _may_write(target: Path, ours) -> None:
    if target.is_dir():
        raise PreviewError(f"'{target}' is a folder")
    if target.exists() and not target.is_file():  # a FIFO or device: never opened
        raise PreviewError(f"'{target}' is not a regular file; refusing to write it")
    if (target.exists() or target.is_symlink()) and not ours(target):
        raise PreviewError(
            f"'{target}' exists and yamldeck did not write it; refusing to "
            "overwrite it (move it, or give -o another.pdf)"
        )


def _write_ours(target: Path, data: bytes, ours) -> None:
    """Write atomically, replacing an existing file only when yamldeck wrote it."""
    from .cache import write_atomic

    _may_write(target, ours)
    try:
        write_atomic(target, data)
    except OSError as exc:
        from .outputs import environment_error

        raise PreviewError(environment_error(exc, target).message) from None


def sheet_size(pages: int) -> tuple[int, int]:
    """Pixel size of the contact sheet for ``pages`` slides."""
    columns = min(COLUMNS, max(pages, 1))
    rows = math.ceil(pages / columns)
    return (columns * THUMB_W + (columns + 1) * GAP, rows * THUMB_H + (rows + 1) * GAP)


def contact_sheet(pdf: Path, png: Path | None = None) -> Path:
    """Every page of ``pdf`` as a 480-pixel thumbnail, four to a row, in one PNG."""
    from PIL import Image

    if not shutil.which("pdftoppm"):
        raise PreviewError(f"pdftoppm is not installed; {INSTALL_HINT}")
    target = png or pdf.with_name(f"{pdf.stem}-sheet.png")
    with tempfile.TemporaryDirectory(prefix="yamldeck-sheet-") as tmp:
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-scale-to-x",
                str(THUMB_W),
                "-scale-to-y",
                str(THUMB_H),
                str(pdf),
                str(Path(tmp) / "p"),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pages = sorted(Path(tmp).glob("p-*.png"))
        if not pages:
            raise PreviewError(f"{pdf} has no pages")
        sheet = Image.new("RGB", sheet_size(len(pages)), (128, 128, 128))
        columns = min(COLUMNS, len(pages))
        for i, page in enumerate(pages):
            with Image.open(page) as thumb:
                thumb = thumb.convert("RGB").resize((THUMB_W, THUMB_H))  # type: ignore[assignment]
                x = GAP + (i % columns) * (THUMB_W + GAP)
                y = GAP + (i // columns) * (THUMB_H + GAP)
                sheet.paste(thumb, (x, y))
        from io import BytesIO

        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Software", PNG_SOFTWARE)
        buffer = BytesIO()
        sheet.save(buffer, format="PNG", pnginfo=info)
        _write_ours(target, buffer.getvalue(), png_is_ours)
    return target
