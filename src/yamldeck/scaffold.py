"""`yamldeck new DIR`: a small project that builds as it is, to start from."""

from __future__ import annotations

import os
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
    """The project cannot be made here; ``environment`` when the machine said no."""

    def __init__(self, message: str, environment: bool = False):
        super().__init__(message)
        self.environment = environment


def _files(directory: Path) -> dict[Path, str]:
    import json

    from .outline import json_schema

    return {
        directory / "deck.yaml": DECK,
        directory / "data" / "sales.csv": SALES,
        directory / "README.md": README,
        directory / "yamldeck.schema.json": json.dumps(json_schema(), ensure_ascii=False, indent=2)
        + "\n",
    }


def _create(path: Path, text: str) -> None:
    """Create ``path``; never through a link, never over anything already there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def scaffold(directory: Path) -> list[Path]:
    """Write the starter files into a new or empty-enough folder.

    Nothing is written when any of the starter files (or a link of that name) is already
    there: a half-new project mixing the user's data/sales.csv with the new outline would
    build something nobody wrote. Other files in the folder (.git, notes) are left alone.
    """
    from .outputs import environment_error

    files = _files(directory)
    written: list[Path] = []
    try:
        taken = [p for p in files if os.path.lexists(p)]
        taken += [
            d
            for d in {p.parent for p in files} - {directory}
            if os.path.lexists(d) and not d.is_dir()
        ]
        if taken:
            names = ", ".join(str(p) for p in taken)
            raise ScaffoldError(
                f"{names} already exist{'s' if len(taken) == 1 else ''}; "
                "nothing was written (choose a new or empty folder)"
            )
        for folder in dict.fromkeys(p.parent for p in files):
            folder.mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            _create(path, text)
            written.append(path)
    except OSError as exc:
        for path in written:  # only files this run created (O_EXCL): leave no half project
            path.unlink(missing_ok=True)
        raise ScaffoldError(environment_error(exc, directory).message, environment=True) from None
    return written
