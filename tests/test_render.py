"""Render the repo's deck through LibreOffice, where it is installed (CI installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, build

soffice = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(soffice is None, reason="LibreOffice is not installed")
def test_repo_deck_renders_one_page_per_slide(tmp_path: Path):
    deck = build(REPO / "deck.yaml", tmp_path / "deck.pptx")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "deck.pptx"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )
    assert pages == len(deck.slides)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', bbox)
    width, height = float(page.group(1)), float(page.group(2))
    words = re.findall(
        r'xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">'
        r"([^<]*)<",
        bbox,
    )
    assert len(words) > 300
    off_slide = [
        w[4]
        for w in words
        if float(w[0]) < 0 or float(w[1]) < 0 or float(w[2]) > width or float(w[3]) > height
    ]
    assert off_slide == []
    names = fonts.stdout.lower()
    assert "cjkjp" in names  # Japanese glyph forms, never the Chinese fallback
    assert "cjksc" not in names and "cjktc" not in names
