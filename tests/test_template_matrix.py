"""The repo's deck and the README example on every kind of company template.

Each real template in shared/templates/ and each hard shape from templategen (two masters
with equal names, a single layout, three layouts, no footers, German and Portuguese names,
4:3, dark, per-layout title sizes, house names), with only ``template: FILE`` added to the
outline, must build in both chart modes with every shape on the slide, no content slide on
a cover layout, the footer on every content slide, and text that fits where it is drawn.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from conftest import EXAMPLE, REPO, SALES_CSV, make_image
from templategen import make_all

SHARED = Path(__file__).resolve().parents[2] / "shared" / "templates"
if not SHARED.is_dir():
    SHARED = REPO.parent / "shared" / "templates"
REAL = sorted(p.name for p in SHARED.glob("*.p[po]tx")) if SHARED.is_dir() else []
HARD = [
    "two_masters",
    "single_layout",
    "three_layouts",
    "no_footers",
    "german_names",
    "portuguese_names",
    "four_by_three",
    "dark",
    "title_sizes_per_layout",
    "nonstandard_names",
]
COVER = (PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE)


@pytest.fixture(scope="module")
def hard(tmp_path_factory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("hard"))


def template_path(name: str, hard: dict[str, Path]) -> Path:
    return hard[name] if name in hard else SHARED / name


def project(root: Path, which: str, template: Path) -> Path:
    """The repo deck or the README example, with only ``template:`` added."""
    if which == "repo":
        shutil.copytree(
            REPO,
            root,
            ignore=shutil.ignore_patterns(
                ".venv",
                ".git",
                "build",
                ".yamldeck-cache",
                "src",
                "tests",
                "*.pptx",
                "bench",
                ".setuptools-build",
                "*.egg-info",
            ),
        )
    else:
        root.mkdir(parents=True)
        (root / "data").mkdir()
        (root / "data" / "sales.csv").write_text(SALES_CSV, encoding="utf-8")
        make_image(root / "images" / "plant.png")
        (root / "deck.yaml").write_text(EXAMPLE, encoding="utf-8")
    shutil.copy(template, root / template.name)
    text = (root / "deck.yaml").read_text(encoding="utf-8")
    (root / "deck.yaml").write_text(f"template: {template.name}\n{text}", encoding="utf-8")
    return root / "deck.yaml"


def problems(pptx: Path, deck) -> list[str]:
    """Shapes off the slide or with negative size, content on cover layouts, missing footers."""
    from yamldeck.deck import plain

    prs = Presentation(str(pptx))
    width, height = prs.slide_width, prs.slide_height
    only_covers = all(
        any(ph.placeholder_format.type in COVER for ph in lay.placeholders)
        for m in prs.slide_masters
        for lay in m.slide_layouts
    )
    out = []
    assert len(prs.slides) == len(deck.slides)
    for n, (slide, planned) in enumerate(zip(prs.slides, deck.slides, strict=True), start=1):
        for sh in slide.shapes:
            if sh.width is None:
                continue
            if (
                sh.width < 0
                or sh.height < 0
                or sh.left < 0
                or sh.top < 0
                or sh.left + sh.width > width
                or sh.top + sh.height > height
            ):
                out.append(
                    f"slide {n}: {sh.name} at {sh.left},{sh.top} size "
                    f"{sh.width}x{sh.height} is not inside {width}x{height}"
                )
        on_cover = any(
            ph.placeholder_format.type in COVER for ph in slide.slide_layout.placeholders
        )
        if planned.kind != "title" and on_cover and not only_covers:
            out.append(f"slide {n} ({planned.kind}) is on cover layout '{slide.slide_layout.name}'")
        if planned.kind not in ("title", "section") and planned.footer:
            shown = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
            if plain(planned.footer) not in shown:
                out.append(f"slide {n} ({planned.kind}) has no footer")
    return out


CASES = [
    (t, which, mode)
    for t in REAL + HARD
    for which in ("repo", "example")
    for mode in ("image", "native")
    if not (which == "example" and mode == "native")
]


@pytest.mark.parametrize(("template", "which", "mode"), CASES)
def test_builds_on_template(template, which, mode, hard, tmp_path, chart_cache):
    from yamldeck.build import BuildOptions, build_deck

    outline = project(tmp_path / "p", which, template_path(template, hard))
    out = tmp_path / "p" / f"{mode}.pptx"
    result = build_deck(outline, out, options=BuildOptions(charts=mode), cache=chart_cache)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    assert not result.warnings, "\n".join(d.format() for d in result.warnings)
    assert problems(out, result.deck) == []
    if which == "repo" and mode == "native":
        BUILT.append(out)


BUILT: list[Path] = []


@pytest.fixture(scope="module")
def chart_cache(tmp_path_factory):
    from yamldeck.cache import BuildCache

    return BuildCache(tmp_path_factory.mktemp("cache") / ".yamldeck-cache")


VALIDATOR = REPO.parent / "shared" / "tools" / "ooxml-validate" / "validate-pptx"


def test_every_template_deck_passes_the_validator(tmp_path):
    """One validator run over the native-chart repo decks built above (the richest parts)."""
    from test_ooxml import _violations, validate, validator_ready

    reason = validator_ready()
    if reason:
        pytest.skip(reason)
    if not BUILT:
        pytest.skip("run with the matrix above")
    decks = []
    for i, deck in enumerate(BUILT):
        copy = tmp_path / f"deck{i}-{deck.parent.parent.name}.pptx"
        shutil.copy(deck, copy)
        decks.append(copy)
    found = validate(decks, tmp_path / "report.json")
    bad = {name: _violations(f) for name, f in found.items() if _violations(f)}
    assert bad == {}


soffice = shutil.which("soffice") or shutil.which("libreoffice")
#: Rendered through LibreOffice (slow): the dark, the 4:3, the one-layout and 10-inch ones.
RENDERED = ["dark", "four_by_three", "single_layout", "pandoc-reference.pptx"]


@pytest.mark.skipif(soffice is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("template", [t for t in RENDERED if t in HARD or t in REAL])
def test_rendered_words_stay_in_their_boxes(template, hard, tmp_path, chart_cache):
    from test_overflow import words_outside_shapes
    from yamldeck.build import BuildOptions, build_deck

    outline = project(tmp_path / "p", "repo", template_path(template, hard))
    out = tmp_path / "p" / "deck.pptx"
    assert build_deck(outline, out, options=BuildOptions(charts="native"), cache=chart_cache).ok
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert words_outside_shapes(out, tmp_path / "deck.pdf") == []


def test_text_drawn_on_a_dark_template_is_light_and_readable(hard, tmp_path):
    """Every text yamldeck draws itself (takeaways, captions, chart titles, source lines,
    quotes, footers) and every chart's text reaches 4.5:1 (3:1 for large text) against the
    dark slide it lands on and the panels behind it."""
    from yamldeck.build import BuildOptions, check_deck
    from yamldeck.shapes import Chart, Picture, TextBox
    from yamldeck.theme import contrast, ink_for, is_dark

    outline = project(tmp_path / "p", "repo", hard["dark"])
    for mode in ("image", "native"):
        result = check_deck(outline, options=BuildOptions(charts=mode))
        assert result.ok
        deck = result.deck
        checked = 0
        for page, slide in zip(deck.pages, deck.slides, strict=True):
            frame = deck.design.frame(slide.layout, slide.kind)
            assert frame.background and is_dark(frame.background)
            ink = ink_for(deck.theme, frame.background)
            for shape in page.shapes:
                if isinstance(shape, TextBox):
                    for p in shape.text.paras:
                        need = 3.0 if p.size >= 24 or (p.bold and p.size >= 18) else 4.5
                        worst = min(
                            contrast(p.color, frame.background), contrast(p.color, ink.panel)
                        )
                        assert worst >= need, (shape.name, p.text, p.color, worst)
                        checked += 1
                if isinstance(shape, Picture) and shape.chart is not None:
                    background, text, muted = shape.chart.ink
                    assert background == frame.background
                    assert contrast(text, background) >= 4.5
                    assert contrast(muted, background) >= 4.5
                    checked += 1
                if isinstance(shape, Chart):
                    assert contrast(shape.text_color, frame.background) >= 4.5
                    checked += 1
        assert checked > 50


def test_layouts_not_found_by_name_are_chosen_by_signature_with_a_note(hard, tmp_path):
    from yamldeck.build import check_deck

    result = check_deck(project(tmp_path / "p", "example", hard["german_names"]))
    assert result.ok
    notes = [d.message for d in result.diagnostics if d.severity.value == "note"]
    assert "title slides use layout 'Titelfolie' (chosen by its placeholders)" in notes
    assert "agenda, bullets slides use layout 'Titel und Inhalt' (chosen by its placeholders)" in (
        notes
    )
    assert "section slides use layout 'Abschnittsüberschrift' (chosen by its placeholders)" in (
        notes
    )
    assert any(
        n.startswith("table, columns, chart, image, quote, flow")  # then the newer kinds
        and " slides use layout 'Nur Titel'" in n
        for n in notes
    )
    assert any(n.startswith("replaces the template's latin Calibri → Segoe UI") for n in notes)


def test_a_name_in_two_masters_is_the_first_masters_layout(hard, tmp_path):
    from click.testing import CliRunner

    from yamldeck.build import check_deck
    from yamldeck.cli import main

    result = check_deck(project(tmp_path / "p", "repo", hard["two_masters"]))
    assert result.ok
    assert {page.layout[0] for page in result.deck.pages} == {0}
    shown = CliRunner().invoke(main, ["inspect", str(hard["two_masters"])]).output
    assert "2 masters" in shown and "== master 2" in shown
    assert "same name as in master 1: not used by name" in shown
