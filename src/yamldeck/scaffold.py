"""`yamldeck new DIR`: a small project that builds as it is, to start from."""

from __future__ import annotations

from pathlib import Path

DECK = """\
# yaml-language-server: $schema=./yamldeck.schema.json
# ビルド: yamldeck build   → build/deck.pptx
title: 月次レビュー
subtitle: 定例会議資料
author: 経営企画部
date: 2026-01-15
footer: 社外秘
agenda: true

charts:
  sales:
    kind: bar
    data: data/sales.csv
    x: month
    y: 売上
    unit: 億円
    highlight: 2025-12
    title: 月別売上（億円）
    source: "出典: 社内データ"

sections:
  - title: 概況
    slides:
      - title: ハイライト
        bullets:
          - 売上は **前月比 +8%**
          - 主な要因:
              - 新製品の立ち上がり
              - 年末需要
        notes: 最初に結論を述べる。
      - title: 月別売上
        chart: sales
        bullets: [12月が過去最高]
  - title: 詳細
    tags: [full]          # yamldeck build --skip full で短縮版になる
    slides:
      - title: 主要案件
        table:
          header: [案件, 状況, 金額（億円）]
          rows:
            - [A社 基盤更新, 受注, 12.5]
            - [B社 新工場, 提案中, 30]
"""

SALES = """\
month,売上
2025-10,38
2025-11,41
2025-12,47
"""

README = """\
# 月次レビュー

yamldeck のプロジェクトです。

    yamldeck build                  # build/deck.pptx を作る
    yamldeck build --skip full      # 「詳細」を除いた短縮版
    yamldeck check                  # 書かずに検査だけ
    yamldeck schema > yamldeck.schema.json   # VS Code で補完とエラー表示
"""


class ScaffoldError(Exception):
    pass


def scaffold(directory: Path) -> list[Path]:
    """Write the starter files; refuse to overwrite an existing outline."""
    deck = directory / "deck.yaml"
    if deck.exists():
        raise ScaffoldError(f"{deck} already exists; choose an empty folder")
    files = {deck: DECK, directory / "data" / "sales.csv": SALES, directory / "README.md": README}
    written = []
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    schema = directory / "yamldeck.schema.json"
    if not schema.exists():
        import json

        from .outline import json_schema

        schema.write_text(
            json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(schema)
    return written
