"""KPI cards and callout slides (issue 14), built through the real build and reopened."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from pptx.util import Emu

from conftest import build
from templategen import make_dark, make_four_by_three

# The issue's forms, verbatim.
ISSUE = textwrap.dedent("""\
    title: 月次経営会議
    sections:
      - title: 今月の状況
        slides:
          - title: 主要KPI
            kpis:                   # 1–6 big numbers in a grid
              - label: 売上高
                value: 1,134        # shown as written
                unit: 百万円
                vs_plan: -1.4%      # ▲/▼ with colour: up good by default
                vs_last_year: +7.2%
                note: 計画比 98.6%
              - {label: 営業利益率, value: 8.1, unit: "%", vs_plan: +0.3pt, good: up}
              - {label: 不良率, value: 0.8, unit: "%", vs_last_year: -0.2pt, good: down}
          - title: 本日の決裁事項
            callout: B社向け追加投資 3.2億円の承認          # a boxed statement above the bullets
            bullets: [投資回収 2.5 年, 代替案との比較は別紙]
    """)

GREEN = "2E7D32"


def named(slide, prefix: str) -> list:
    return [sh for sh in slide.shapes if sh.name.startswith(prefix)]


def one(slide, name: str):
    (shape,) = [sh for sh in slide.shapes if sh.name == name]
    return shape


def color(shape, para: int = 0) -> str:
    return str(shape.text_frame.paragraphs[para].runs[0].font.color.rgb)


def size(shape) -> float:
    return shape.text_frame.paragraphs[0].runs[0].font.size.pt


def write(tmp_path: Path, text: str, template: Path | None = None) -> Path:
    head = f"template: {template.name}\n" if template else ""
    (tmp_path / "deck.yaml").write_text(head + text, encoding="utf-8")
    return tmp_path / "deck.yaml"


def test_kpis_as_in_the_issue(tmp_path: Path):
    deck = build(write(tmp_path, ISSUE), tmp_path / "out.pptx")
    slide = deck.slides[2]  # title, section divider, KPIs
    assert [one(slide, f"KPI Value {i}").text_frame.text for i in (1, 2, 3)] == [
        "1,134",
        "8.1",
        "0.8",
    ]
    assert [one(slide, f"KPI Label {i}").text_frame.text for i in (1, 2, 3)] == [
        "売上高",
        "営業利益率",
        "不良率",
    ]
    assert one(slide, "KPI Unit 1").text_frame.text == "百万円"
    assert one(slide, "KPI Note 1").text_frame.text == "計画比 98.6%"
    deltas = one(slide, "KPI Deltas 1")
    assert [p.text for p in deltas.text_frame.paragraphs] == ["計画比 ▼1.4%", "前年比 ▲7.2%"]
    # Below plan is bad (the accent), above last year good (green).
    assert color(deltas, 0) == "C00000" and color(deltas, 1) == GREEN
    assert one(slide, "KPI Deltas 2").text_frame.text == "計画比 ▲0.3pt"
    assert color(one(slide, "KPI Deltas 2")) == GREEN
    # good: down: a falling defect rate is good.
    assert one(slide, "KPI Deltas 3").text_frame.text == "前年比 ▼0.2pt"
    assert color(one(slide, "KPI Deltas 3")) == GREEN
    # Three cards in one row, equal, the same value size on each.
    cards = named(slide, "KPI Card")
    assert (
        len(cards) == 3 and len({c.top for c in cards}) == 1 and len({c.width for c in cards}) == 1
    )
    assert cards[0].left < cards[1].left < cards[2].left
    assert len({size(one(slide, f"KPI Value {i}")) for i in (1, 2, 3)}) == 1
    assert size(one(slide, "KPI Value 1")) > 2 * size(one(slide, "KPI Unit 1"))
    for i in (1, 2, 3):
        value, card = one(slide, f"KPI Value {i}"), cards[i - 1]
        assert value.text_frame.paragraphs[0].runs[0].font.bold
        assert card.left <= value.left and value.left + value.width <= card.left + card.width


def grid(n: int, values: list[str] | None = None) -> str:
    values = values or [str(10 * (i + 1)) for i in range(n)]
    items = "\n".join(f"      - {{label: 指標{i}, value: '{v}'}}" for i, v in enumerate(values))
    return f"title: 会議\nslides:\n  - title: KPI\n    kpis:\n{items}\n"


@pytest.mark.parametrize(("n", "rows"), [(1, [1]), (4, [2, 2]), (5, [3, 2]), (6, [3, 3])])
def test_kpi_grid(tmp_path: Path, n: int, rows: list[int]):
    deck = build(write(tmp_path, grid(n)), tmp_path / "out.pptx")
    cards = named(deck.slides[1], "KPI Card")
    tops = sorted({c.top for c in cards})
    assert [sum(c.top == t for c in cards) for t in tops] == rows
    if n == 5:  # the short last row is centred under the first
        first = [c for c in cards if c.top == tops[0]]
        last = [c for c in cards if c.top == tops[1]]
        mid = lambda cs: (min(c.left for c in cs) + max(c.left + c.width for c in cs)) / 2  # noqa: E731
        assert abs(mid(first) - mid(last)) < Emu(12700)


def test_a_long_value_shrinks_to_its_card_with_a_note(tmp_path: Path):
    from yamldeck.build import build_deck

    path = write(tmp_path, grid(3, ["1,234,567,890", "12", "3"]))
    result = build_deck(path, tmp_path / "out.pptx")
    assert result.ok
    notes = [d.message for d in result.diagnostics]
    assert any("KPI value shrunk" in m for m in notes), notes
    short = build(write(tmp_path, grid(3, ["1", "12", "3"])), tmp_path / "short.pptx")
    from pptx import Presentation

    long_size = size(one(Presentation(str(tmp_path / "out.pptx")).slides[1], "KPI Value 1"))
    assert long_size < size(one(short.slides[1], "KPI Value 1"))


def test_callout_as_in_the_issue(tmp_path: Path):
    deck = build(write(tmp_path, ISSUE), tmp_path / "out.pptx")
    slide = deck.slides[3]
    box, text, body = one(slide, "Callout Box"), one(slide, "Callout"), one(slide, "Body")
    assert box.auto_shape_type is not None and "ROUNDED_RECTANGLE" in str(box.auto_shape_type)
    assert text.text_frame.text == "B社向け追加投資 3.2億円の承認"
    assert all(r.font.bold for r in text.text_frame.paragraphs[0].runs)
    assert box.left <= text.left and text.left + text.width <= box.left + box.width
    assert [p.text for p in body.text_frame.paragraphs] == [
        "投資回収 2.5 年",
        "代替案との比較は別紙",
    ]
    assert body.top >= box.top + box.height
    assert size(text) > size(body)


def test_a_long_callout_breaks_and_shrinks(tmp_path: Path):
    long = "B社向け追加投資 3.2億円の承認と、それに伴う第2工場の生産ライン増設計画の前倒し" * 2
    text = f"title: 会議\nslides:\n  - {{title: 決裁, callout: {long}, bullets: [a]}}\n"
    deck = build(write(tmp_path, text), tmp_path / "out.pptx")
    slide = deck.slides[1]
    box, body = one(slide, "Callout Box"), one(slide, "Body")
    assert size(one(slide, "Callout")) < 32
    assert body.top >= box.top + box.height


@pytest.mark.parametrize("make", [make_dark, make_four_by_three], ids=["dark", "4:3"])
def test_on_templates(tmp_path: Path, make):
    from yamldeck.theme import contrast

    template = make(tmp_path / "corp.pptx")
    out = tmp_path / "out.pptx"
    deck = build(write(tmp_path, ISSUE, template), out)
    width = deck.slide_width
    kpis = next(s for s in deck.slides if named(s, "KPI Card"))
    cards = named(kpis, "KPI Card")
    assert all(0 <= c.left and c.left + c.width <= width for c in cards)
    panel = str(cards[0].fill.fore_color.rgb)
    for shape in named(kpis, "KPI "):
        if shape.has_text_frame and shape.text_frame.text:
            for p in shape.text_frame.paragraphs:
                assert contrast(str(p.runs[0].font.color.rgb), panel) >= 3, shape.name
    callout = next(s for s in deck.slides if named(s, "Callout"))
    box = one(callout, "Callout Box")
    assert box.left + box.width <= width
    assert contrast(color(one(callout, "Callout")), str(box.fill.fore_color.rgb)) >= 3
    from test_ooxml import VALIDATOR, validator_ready

    if (why := validator_ready()) is not None:
        pytest.skip(why)
    run = subprocess.run([str(VALIDATOR), str(out)], capture_output=True, text=True)
    assert run.returncode == 0 and " 0 violation(s)" in run.stdout, run.stdout + run.stderr
