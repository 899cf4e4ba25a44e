"""See a deck without PowerPoint: a PDF through LibreOffice, and a PNG contact sheet.

Each conversion runs LibreOffice with a profile of its own, so several can run at once
(LibreOffice refuses a second instance on a shared profile). Outputs are written to a
temporary folder and renamed into place.
"""

from __future__ import annotations

import math
import os
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
            raise PreviewError(f"LibreOffice wrote no PDF for {pptx}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), str(target.with_suffix(".pdf.tmp")))
        os.replace(target.with_suffix(".pdf.tmp"), target)
    return target


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
        partial = target.with_suffix(".png.tmp")
        sheet.save(partial, format="PNG")
        os.replace(partial, target)
    return target
