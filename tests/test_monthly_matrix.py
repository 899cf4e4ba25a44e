"""The monthly example (examples/monthly) on every shared template, in both chart modes.

Issue 14's "done when": the example that uses every form of the issue builds on each real
template in shared/templates (given the way a user gives one: the file copied beside the
outline and ``--set template=FILE``) with pictures and with ``--charts native``, with no
error or warning, 0 OOXML violations and, rendered through LibreOffice, no word outside its
shape; on the built-in theme too. The ten decks are built once per module (one chart
cache), then validated in one validator run and rendered in one LibreOffice run, which keeps
this file at ~35 s.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from conftest import REPO
from test_ooxml import TEMPLATES, _violations, validate, validator_ready
from yamldeck.cli import main

MONTHLY = REPO / "examples" / "monthly"
REAL = sorted(p.name for p in TEMPLATES.glob("*.p[po]tx")) if TEMPLATES.is_dir() else []
BUILT_IN = "built-in"  # no template: yamldeck's own theme
MODES = ("image", "native")
CASES = [(t, m) for t in [BUILT_IN, *REAL] for m in MODES]
soffice = shutil.which("soffice") or shutil.which("libreoffice")

#: The slides of the example, in order: the agenda opens each section (no dividers).
TITLES = [
    "2026年3月度 月次経営報告",
    "本日の内容",
    "主要KPI（3月）",
    "売上と利益率",
    "計画との差",
    "営業利益率は 8% 台を維持",
    "費用の内訳",
    "費用構成（概算）",
    "本日の内容",
    "案件の状況",
    "主要案件の一覧",
    "優先度",
    "リスクと対応",
    "本日の内容",
    "来期ロードマップ",
    "現場の様子",
    "本日の決裁事項",
]
PAGE = re.compile(r"（(\d+)/(\d+)）$|（続き）$")


@dataclass
class Built:
    pptx: Path
    output: str
    exit_code: int


def stem(template: str, mode: str) -> str:
    return f"{Path(template).stem}-{mode}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str], Built]:
    """Every (template, mode) built through the CLI into its own copy of the example."""
    root = tmp_path_factory.mktemp("monthly")
    cache = root / "cache"  # one chart cache: a chart drawn once serves every template
    out: dict[tuple[str, str], Built] = {}
    for template, mode in CASES:
        folder = root / stem(template, mode)
        shutil.copytree(MONTHLY, folder)
        pptx = root / f"{stem(template, mode)}.pptx"
        given = []
        if template != BUILT_IN:
            shutil.copy(TEMPLATES / template, folder / template)
            given = ["--set", f"template={template}"]
        result = CliRunner().invoke(
            main,
            [
                "build",
                str(folder / "deck.yaml"),
                "-o",
                str(pptx),
                *given,
                "--charts",
                mode,
                "--cache",
                str(cache),
                "--strict",
            ],
        )
        out[(template, mode)] = Built(pptx, result.output, result.exit_code)
    return out


@pytest.fixture(scope="module")
def validated(built, tmp_path_factory) -> dict[str, list[str]]:
    """Deck stem → its OOXML violations, from one validator run over every deck."""
    reason = validator_ready()
    if reason:
        pytest.skip(reason)
    decks = [b.pptx for b in built.values() if b.exit_code == 0]
    found = validate(decks, tmp_path_factory.mktemp("report") / "report.json")
    return {name: _violations(findings) for name, findings in found.items()}


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory) -> Path:
    """The folder of the PDFs LibreOffice made of every deck, in one run."""
    folder = tmp_path_factory.mktemp("pdf")
    decks = [str(b.pptx) for b in built.values() if b.exit_code == 0]
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *decks,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return folder


def title_of(slide) -> str:
    title = slide.shapes.title
    assert title is not None, [s.name for s in slide.shapes]
    return title.text_frame.text.replace("\v", " ").replace("\n", " ")


def texts(slide) -> dict[str, str]:
    return {s.name: s.text_frame.text for s in slide.shapes if s.has_text_frame}


def slide_titled(prs, title: str):
    for slide in prs.slides:
        if slide.shapes.title is not None and title_of(slide) == title:
            return slide
    raise AssertionError(f"no slide titled {title!r}")


@pytest.mark.parametrize(("template", "mode"), CASES)
def test_monthly_example_builds_on_every_template(built, template, mode):
    case = built[(template, mode)]
    assert case.exit_code == 0, case.output  # --strict: no error and no warning
    prs = Presentation(str(case.pptx))
    titles = [title_of(s) for s in prs.slides]
    # A long table may take more than one slide on a small template; nothing else moves.
    pages = [t for t in titles if PAGE.search(t)]
    assert all(t.startswith("主要案件の一覧") for t in pages), pages
    merged = [PAGE.sub("", t) for t in titles]
    merged = [t for i, t in enumerate(merged) if i == 0 or t != merged[i - 1]]
    assert merged == TITLES
    assert len(prs.slides) == len(TITLES) + max(len(pages) - 1, 0)

    kpi = texts(slide_titled(prs, "主要KPI（3月）"))
    assert [kpi[f"KPI Value {i}"] for i in (1, 2, 3)] == ["1,134", "8.1", "0.8"]
    assert kpi["KPI Deltas 1"] == "計画比 ▼1.4%\n前年比 ▲7.2%"
    assert kpi["KPI Deltas 3"] == "前年比 ▼0.2pt"
    assert kpi["KPI Note 1"] == "計画比 98.6%"

    charts = {title_of(s): sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart}
    chart_slides = ["売上と利益率", "計画との差", "営業利益率は 8% 台を維持", "費用の内訳"]
    chart_slides.append("費用構成（概算）")
    if mode == "native":
        assert sorted(charts) == sorted(chart_slides)
        assert charts["費用の内訳"].chart_type == XL_CHART_TYPE.DOUGHNUT
        assert charts["費用構成（概算）"].chart_type == XL_CHART_TYPE.PIE
        combo = charts["売上と利益率"]
        assert [p.__class__.__name__ for p in combo.plots] == ["BarPlot", "LinePlot"]
        assert len(combo._chartSpace.findall(".//{*}valAx")) == 2  # the secondary axis
    else:
        assert charts == {}
        for title in chart_slides:
            pictures = [
                sh
                for sh in slide_titled(prs, title).shapes
                if sh.shape_type == MSO_SHAPE_TYPE.PICTURE
            ]
            assert pictures, title
            assert all(p._element.nvPicPr.cNvPr.get("descr") for p in pictures), title


@pytest.mark.parametrize(("template", "mode"), CASES)
def test_monthly_example_has_no_ooxml_violation(built, validated, template, mode):
    assert built[(template, mode)].exit_code == 0
    assert validated[stem(template, mode)] == []


@pytest.mark.skipif(soffice is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize(("template", "mode"), CASES)
def test_monthly_example_words_stay_in_their_boxes(built, rendered, template, mode):
    from test_overflow import words_outside_shapes

    case = built[(template, mode)]
    assert case.exit_code == 0
    assert words_outside_shapes(case.pptx, rendered / f"{case.pptx.stem}.pdf") == []
