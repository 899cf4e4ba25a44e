"""The README's promises: its test command is what CI runs, and its outline example builds."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO, SALES_CSV, build, make_image


def blocks(lang: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def test_ci_runs_the_readme_test_command():
    test_command = blocks("sh")[1].strip()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == test_command
    assert "pytest" in test_command and "[test]" in test_command


def test_readme_build_command_builds_deck_yaml():
    assert blocks("sh")[0].strip().endswith("yamldeck build")


def test_readme_outline_example_builds(tmp_path: Path):
    outline = next(b for b in blocks("yaml") if "sections:" in b)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sales.csv").write_text(SALES_CSV, encoding="utf-8")
    make_image(tmp_path / "images" / "plant.png")
    (tmp_path / "deck.yaml").write_text(outline, encoding="utf-8")
    deck = build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    assert len(deck.slides) == 10  # title, agenda, divider, seven slides
