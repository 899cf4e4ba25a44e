"""A template's colour modifiers are applied as LibreOffice and PowerPoint apply them.

rstudio-template's background is dk2 (#44546A) with tint 95 % and satMod 170 %; LibreOffice
renders it #516481. Read with a lightness-only tint and no satMod it was #4B5C74, so every
chart picture on that template (drawn on the background yamldeck read) showed as a darker
box on the slide.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from click.testing import CliRunner

from test_ooxml import TEMPLATES
from yamldeck.cli import main
from yamldeck.templates import _modified

A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def clr(*mods: tuple[str, int]) -> ET.Element:
    el = ET.Element(f"{{{A}}}schemeClr", val="phClr")
    for tag, val in mods:
        ET.SubElement(el, f"{{{A}}}{tag}", val=str(val))
    return el


def close(a: str, b: str) -> bool:
    return all(abs(int(a[i : i + 2], 16) - int(b[i : i + 2], 16)) <= 1 for i in (0, 2, 4))


def test_tint_and_saturation_as_rendered():
    assert close(_modified("44546A", clr(("tint", 95000), ("satMod", 170000))), "516481")
    # tint and shade mix with white and black in linear RGB: 50 % is lighter than halfway
    assert _modified("000000", clr(("tint", 50000))) == "BCBCBC"
    assert _modified("FFFFFF", clr(("shade", 50000))) == "BCBCBC"
    # lumMod/lumOff (Office's "lighter 40 %") keep working on lightness
    assert _modified("4472C4", clr(("lumMod", 60000), ("lumOff", 40000))) == "8FAADC"
    assert _modified("4472C4", clr()) == "4472C4"


def test_the_rstudio_template_background_is_read_as_rendered():
    template = TEMPLATES / "rstudio-template.potx"
    if not template.exists():  # the shared templates: only the unit check above
        return
    shown = CliRunner().invoke(main, ["inspect", str(template)]).output
    backgrounds = {
        line.split("background #")[1][:6] for line in shown.splitlines() if "background #" in line
    }
    assert len(backgrounds) == 1 and close(backgrounds.pop(), "516481"), shown


def test_text_reads_on_a_mid_dark_slide_and_on_its_panels():
    """rstudio-template's slate (#516482): black text reached 4.5:1 on the lighter panels
    but only 3.5:1 on the slide itself, where chart texts and captions sit. Text and muted
    text must read on both (or be the better of white and black where nothing does)."""
    from yamldeck.theme import LARGE_CONTRAST, Theme, contrast, ink_for, is_dark, readable

    worst = []
    for r in range(0, 256, 17):
        for g in range(0, 256, 17):
            for b in range(0, 256, 51):
                bg = f"{r:02X}{g:02X}{b:02X}"
                if bg == Theme().background:
                    continue  # the built-in look keeps the theme's own colours
                ink = ink_for(Theme(), bg)
                for color in (ink.text, ink.muted):
                    low = min(contrast(color, bg), contrast(color, ink.panel))
                    best = max(
                        min(contrast(t, bg), contrast(t, ink.panel)) for t in ("FFFFFF", "000000")
                    )
                    if low < 4.5 and low < best - 1e-9:
                        worst.append((bg, color, round(low, 2)))
    assert worst == []
    ink = ink_for(Theme(), "516482")
    assert contrast(ink.text, "516482") >= 4.5 and contrast(ink.text, ink.panel) >= 4.5
    # Cards and panels on a dark slide stay dark, so what is drawn on them (KPI values,
    # takeaways) is light like the rest of the slide, not dark navy on a lighter card.
    for bg in ("516482", "4B5C74", "2E4057", "1F1F1F", "002B5C"):
        ink = ink_for(Theme(), bg)
        assert is_dark(ink.panel) and ink.panel != bg, bg
        assert not is_dark(readable(Theme().primary, ink.panel, LARGE_CONTRAST)), bg
