"""A designer's eye on short content (issue 14): short bullet lists are set larger and
spaced out so they do not leave the lower half of the slide empty; panels beside charts are
as tall as their text. Built through the real build and reopened with python-pptx."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import build
from templategen import make_dark, make_four_by_three

EMU = 914400
BODY = 24  # the built-in theme's body size

DECK = textwrap.dedent("""\
    title: 余白の確認
    slides:
      - title: 短い箇条書き
        bullets: [売上は前年比 +7%, 利益率は 8% 台, 在庫は適正]
      - title: 長い箇条書き
        bullets:
          - 国家戦略・政策・資金・技術を一体で動かす体制が整い、地方政府も追随している
          - グリーンエネルギーを起点に、素材・半導体・チップまでを押さえる戦略が鮮明に
          - その上で AI・EV・ロボットを展開し、応用市場を一気に広げる構えを見せている
          - 「川上から川下へ」まで一貫した構造が、各地の産業集積で見えてきた
          - 日本企業にとっては協業と競争の両面で、向き合い方を決める局面にある
          - 部材と装置では日本の強みが残り、相互依存の関係はしばらく続く見通し
      - title: グラフと要点
        chart: sales
        bullets: [海外が成長を牽引, 国内は横ばい]
      - title: グラフと長い要点
        chart: sales
        bullets:
          - 海外は 3 か月連続で前年を上回り、特にアジアの新規顧客が牽引した
          - 国内は価格改定の効果で横ばいを維持したが、数量は前年を下回った
          - 来期は海外比率を 30% まで高め、為替の影響を抑える施策を並行して進める
      - title: 決裁
        callout: 追加投資 3.2億円の承認
        bullets: [投資回収 2.5 年, 代替案は別紙]
    charts:
      sales:
        kind: line
        data: {月: [1月, 2月, 3月], 売上: [100, 110, 120]}
        x: 月
        y: 売上
        title: 売上の推移
    """)


def named(slide, name: str):
    (shape,) = [sh for sh in slide.shapes if sh.name == name]
    return shape


def run_size(para) -> float:
    return para.runs[0].font.size.pt


def space_before(para) -> float:
    return int(para._p.pPr.find("{*}spcBef/{*}spcPts").get("val")) / 100


def text_height(shape) -> float:
    """Inches the paragraphs of a written text box take, as the fitter measures them."""
    from yamldeck.fit import default_metrics, wrap

    m = default_metrics()
    total = 0.0
    for i, p in enumerate(shape.text_frame.paragraphs):
        size = run_size(p)
        indent = int(p._p.pPr.get("marL") or 0) / EMU
        width = (shape.width / EMU - 0.2 - indent) * 72
        chars = [(c, bool(r.font.bold)) for r in p.runs for c in r.text.replace("\v", "\n")]
        lines = len(wrap(chars, size, width, m))
        line = int(p._p.pPr.find("{*}lnSpc/{*}spcPts").get("val")) / 100
        total += lines * line + (space_before(p) if i else 0)
    return total / 72


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    folder = tmp_path_factory.mktemp("balance")
    (folder / "deck.yaml").write_text(DECK, encoding="utf-8")
    return build(folder / "deck.yaml", folder / "out.pptx")


def test_a_short_list_is_set_larger_and_spaced_to_fill_its_area(deck):
    from yamldeck.fitplan import SHORT_LIST_FILL, SHORT_LIST_GAP, SHORT_LIST_GROW

    body = named(deck.slides[1], "Body")
    paras = body.text_frame.paragraphs
    size = run_size(paras[0])
    assert BODY < size <= BODY * SHORT_LIST_GROW
    assert all(run_size(p) == size for p in paras)
    # more space between the bullets than a list of normal length has, within the limit
    normal = size * 0.6
    assert all(normal < space_before(p) <= normal + SHORT_LIST_GAP * size for p in paras[1:])
    # the block fills about its share of the area, never more than the area
    area = body.height / EMU - 0.1
    assert SHORT_LIST_FILL * area * 0.9 <= text_height(body) <= area


def test_a_list_that_fills_its_area_keeps_the_body_size(deck):
    body = named(deck.slides[2], "Body")
    paras = body.text_frame.paragraphs
    assert [run_size(p) for p in paras] == [BODY] * len(paras)
    assert all(space_before(p) == pytest.approx(BODY * 0.6, abs=0.01) for p in paras[1:])


def test_a_panel_beside_a_chart_is_as_tall_as_its_text(deck):
    short, long = deck.slides[3], deck.slides[4]
    panel, text = named(short, "Takeaways Panel"), named(short, "Takeaways")
    title = named(short, "Chart Title")
    # top-aligned with the chart's area (its title), not stretched to the bottom
    assert panel.top == title.top
    chart = named(short, "Chart sales")
    assert panel.height < 0.5 * (chart.top + chart.height - title.top)
    # the text inside the panel, and the text fits its box
    assert panel.top < text.top and text.top + text.height < panel.top + panel.height
    assert text_height(text) <= text.height / EMU - 0.1 + 1e-6
    # short takeaways are set larger than the takeaways size (body - 2)
    assert run_size(text.text_frame.paragraphs[0]) > BODY - 2
    # more text, a taller panel
    assert named(long, "Takeaways Panel").height > panel.height


def test_bullets_under_a_callout_grow_but_stay_below_the_statement(deck):
    slide = deck.slides[5]
    statement = run_size(named(slide, "Callout").text_frame.paragraphs[0])
    body = named(slide, "Body")
    sizes = [run_size(p) for p in body.text_frame.paragraphs]
    from yamldeck.fitplan import CALLOUT_BODY_STEP

    assert BODY < sizes[0] <= statement - CALLOUT_BODY_STEP
    assert text_height(body) <= body.height / EMU - 0.1


@pytest.mark.parametrize("make", [make_dark, make_four_by_three], ids=["dark", "4:3"])
def test_short_lists_on_templates(tmp_path: Path, make):
    from yamldeck.fitplan import SHORT_LIST_GROW

    make(tmp_path / "corp.pptx")
    (tmp_path / "deck.yaml").write_text("template: corp.pptx\n" + DECK, encoding="utf-8")
    prs = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    style = prs.slide_master.element.find(f".//{{*}}bodyStyle/{ns}lvl1pPr/{ns}defRPr")
    template_size = int(style.get("sz")) / 100
    # the template's body placeholder keeps the template's sizes: a short list is not grown
    body = named(prs.slides[1], "Body")
    assert body.is_placeholder
    assert body.text_frame.paragraphs[0].runs[0].font.size is None
    long = named(prs.slides[2], "Body").text_frame.paragraphs[0].runs[0].font.size
    assert long is None or long.pt <= template_size
    # our own boxes on the template follow the rule: bullets under a callout grow
    callout = named(prs.slides[5], "Body").text_frame.paragraphs[0]
    assert BODY < run_size(callout) <= BODY * SHORT_LIST_GROW
    # panels beside charts sized to their text on any slide size
    panel = named(prs.slides[3], "Takeaways Panel")
    assert panel.height < named(prs.slides[4], "Takeaways Panel").height


def test_kpi_values_are_sized_by_their_measured_width(tmp_path: Path):
    """The size that fits every value is chosen by measuring each one as set: 「9,999.9%」
    is wider than 「12,345.6」 though both have eight characters."""
    from yamldeck.fit import default_metrics, line_width

    values = ["12,345.6", "9,999.9%", "¥12.3億", "1", "2", "3"]
    items = "\n".join(f"      - {{label: 指標{i}, value: '{v}'}}" for i, v in enumerate(values))
    (tmp_path / "deck.yaml").write_text(
        f"title: 会議\nslides:\n  - title: KPI\n    kpis:\n{items}\n", encoding="utf-8"
    )
    prs = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    boxes = [named(prs.slides[1], f"KPI Value {i}") for i in range(1, 7)]
    sizes = {run_size(b.text_frame.paragraphs[0]) for b in boxes}
    assert len(sizes) == 1  # one size on every card, so they compare
    (size,) = sizes
    m = default_metrics()
    width = boxes[0].width / EMU * 72 - 0.1 * 72  # the box less its insets
    widths = [line_width([(c, True) for c in v], size, m) for v in values]
    assert max(widths) <= width
    assert [b.text_frame.text for b in boxes] == values
    # as large as it goes: the widest value would not fit one step larger
    assert max(line_width([(c, True) for c in v], size + 2, m) for v in values) > width


def test_timeline_labels_go_inside_a_bar_only_when_their_measured_width_fits(tmp_path: Path):
    """「MOM Upgrade」 is wider than eleven characters at 0.6 em: bars just wider than that
    estimate put the label beside the bar, not wrapped inside it."""
    from yamldeck.place import TIMELINE_LABEL_PAD, TIMELINE_LABEL_SIZE, text_width

    # One year over the whole width: bars from about 1.6 to 2.0 inches long.
    items = "\n".join(
        f"          - {{label: MOM Upgrade, from: 2026-01-01, to: 2026-02-{day:02d}}}"
        for day in range(17, 29, 2)
    )
    (tmp_path / "deck.yaml").write_text(
        "title: 計画\nslides:\n  - title: ロードマップ\n    timeline:\n"
        f"        from: 2026-01\n        to: 2026-12\n        items:\n{items}\n",
        encoding="utf-8",
    )
    prs = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    slide = prs.slides[1]
    bars = sorted(
        (
            sh
            for sh in slide.shapes
            if sh.name.startswith("Timeline Bar") and "Label" not in sh.name
        ),
        key=lambda sh: sh.width,
    )
    assert len(bars) == 6
    inside = [bool(b.text_frame.text) for b in bars]
    assert True in inside and False in inside  # the range straddles the label's width
    for bar, has in zip(bars, inside):
        size = run_size(bar.text_frame.paragraphs[0]) if has else TIMELINE_LABEL_SIZE
        fits = text_width("MOM Upgrade", size, True) + TIMELINE_LABEL_PAD <= bar.width / EMU
        assert has == fits, (bar.name, bar.width / EMU)


FILLER = "今期は原材料費の高騰と物流の停滞が続いたが、現場の改善活動により生産性が大きく向上し"
LONG_BULLETS = [
    "国家戦略・政策・資金・技術を一体で動かす体制が整い、地方政府も追随している",
    "グリーンエネルギーを起点に、素材・半導体・チップまでを押さえる戦略が鮮明に",
    "その上で AI・EV・ロボットを展開し、応用市場を一気に広げる構えを見せている",
    "日本企業にとっては協業と競争の両面で、向き合い方を決める局面にある",
]


def test_opening_brackets_stay_in_line(tmp_path: Path):
    from yamldeck.fit import default_metrics, wrap

    m = default_metrics()
    width = (12.133 - 0.2 - 0.32) * 72  # the body box less insets and the bullet indent
    # a paragraph whose second line would start with 「 at the body size
    candidates = [FILLER[:n] + "「重要」と述べた" for n in range(10, len(FILLER))]
    wrapped = next(
        t
        for t in candidates
        if [ln[:1] for ln in wrap([(c, False) for c in t], BODY, width, m)] == ["今", "「"]
    )
    bullets = [
        "「川上から川下へ」まで一貫した構造",
        "自社の技術を見極める",
        wrapped,
        *LONG_BULLETS[:2],
    ]
    items = "\n".join(f"      - {b}" for b in bullets)
    (tmp_path / "deck.yaml").write_text(
        f"title: 括弧\nslides:\n  - title: 要点\n    bullets:\n{items}\n", encoding="utf-8"
    )
    prs = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    body = named(prs.slides[1], "Body")
    paras = body.text_frame.paragraphs
    assert run_size(paras[0]) == BODY  # a full list: the body size, as measured above
    ppr = [p._p.pPr for p in paras]
    marl = [int(x.get("marL")) for x in ppr]
    bullet_x = [int(x.get("marL")) + int(x.get("indent")) for x in ppr]
    # the one-line bullet that opens with 「 hangs it half an em left; its bullet stays put
    assert marl[1] - marl[0] == round(BODY / 2 / 72 * EMU)
    assert bullet_x[0] == bullet_x[1]
    # the wrapped one breaks before the character ahead of 「, so no line starts with it
    text = paras[2].text
    assert text.replace("\v", "") == wrapped
    head, tail = text.split("\v")
    assert tail.startswith(wrapped[len(head)]) and tail[1] == "「"
    lines = wrap([(c, False) for c in text.replace("\v", "\n")], BODY, width, m)
    assert len(lines) == 2 and not lines[1].startswith("「")
    assert marl[2] == marl[1]  # two lines: no hang
