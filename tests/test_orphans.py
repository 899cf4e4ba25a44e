"""Body lines do not end a paragraph with one or two lone characters (issue 14: 「上回/る」,
「約20/倍」) when a phrase break keeps the same number of lines."""

from __future__ import annotations

from conftest import build

LONG = "今期の営業利益は原材料費や物流費の高騰にもかかわらず前年同期比で約20倍"


def test_a_lone_last_character_moves_down_with_its_phrase(tmp_path):
    from yamldeck.fit import _phrases, default_metrics, wrap

    (tmp_path / "deck.yaml").write_text(
        # enough bullets that the list is not short (a short one is set larger)
        f"title: 孤立文字\nslides:\n  - title: 要点\n"
        f"    bullets: [{LONG}, 短い要点, 二つ目の要点, 三つ目の要点, 四つ目の要点]\n",
        encoding="utf-8",
    )
    prs = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    body = next(sh for sh in prs.slides[1].shapes if sh.name == "Body")
    para = body.text_frame.paragraphs[0]
    size = para.runs[0].font.size.pt
    indent = para._p.pPr.get("marL")
    width = (body.width - int(indent)) / 914400 * 72 - 0.2 * 72
    m = default_metrics()
    before = wrap([(c, False) for c in LONG], size, width, m)
    # the precondition: set as it was, the last line is one or two characters
    assert len(before) >= 2 and len(before[-1]) <= 2, before
    written = para.text
    assert written.replace("\v", "") == LONG
    _head, tail = written.split("\v")
    # broken at a phrase boundary, the phrase moved down whole: 「約20倍」
    assert tail in {"".join(_phrases(LONG)[i:]) for i in range(len(_phrases(LONG)))}
    assert tail == "約20倍"
    # the same number of lines, so the fit holds
    after = wrap([(c, False) for c in written.replace("\v", "\n")], size, width, m)
    assert len(after) == len(before)
    assert all(len(line) > 2 for line in after)
    # the short bullet is left alone
    assert body.text_frame.paragraphs[1].text == "短い要点"
