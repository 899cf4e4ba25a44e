"""What a new user trips over: install, schemas for every file kind, preview, watch, cuts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO
from yamldeck.cli import main

OUTLINE = """\
title: 月次レビュー
sections:
  - title: 概況
    slides:
      - {title: ハイライト, tags: [board], bullets: [売上は増加]}
      - {title: 詳細, bullets: [A社, B社]}
"""


def run(folder: Path, *args: str):
    old = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def schema(kind: str) -> dict:
    result = CliRunner().invoke(main, ["schema", kind])
    assert result.exit_code == 0
    return json.loads(result.output)


def valid(kind: str, text: str) -> bool:
    try:
        jsonschema.validate(yaml.safe_load(text), schema(kind))
        return True
    except jsonschema.ValidationError:
        return False


def test_overlay_theme_and_project_files_have_schemas(tmp_path: Path):
    overlay = "subtitle: 取締役会\ntheme: {colors: {primary: '#C00000'}}\n"
    assert valid("overlay", overlay) and not valid("outline", overlay)  # no title needed
    assert not valid("overlay", "subtitel: typo\n")
    assert not valid("overlay", "sections: [{slides: [{title: a}]}]\n")  # lists: whole
    theme = "fonts: {title_size: 32}\ncolors: {accent: '#C00000'}\n"
    assert valid("theme", theme) and not valid("theme", "fonts: {title_size: 1000}\n")
    project = "decks:\n  - outline: deck.yaml\n    matrix:\n      who: [{name: board}]\n"
    assert valid("project", project) and not valid("project", "decks: []\n")
    assert not valid("project", "decks:\n  - {outlin: deck.yaml}\n")
    # The tool agrees: the overlay builds onto an outline, the project file builds.
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    (tmp_path / "board.yaml").write_text(overlay, encoding="utf-8")
    assert run(tmp_path, "check", "--with", "board.yaml").exit_code == 0
    (tmp_path / "yamldeck.yaml").write_text(project, encoding="utf-8")
    assert run(tmp_path, "check").exit_code == 0


def test_only_with_an_unknown_tag_fails(tmp_path: Path):
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    result = run(tmp_path, "build", "--only", "baord")
    assert result.exit_code == 1 and "did you mean 'board'?" in result.output
    assert not (tmp_path / "build").exists()


needs_office = pytest.mark.skipif(
    not shutil.which("soffice") or not shutil.which("pdftoppm"),
    reason="LibreOffice and poppler are not installed",
)


@needs_office
def test_preview_takes_o_and_a_pptx_and_a_cut_never_replaces_the_full_deck(tmp_path: Path):
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    assert run(tmp_path, "build").exit_code == 0
    full = (tmp_path / "build" / "deck.pptx").read_bytes()
    result = run(tmp_path, "preview", "--only", "board", "-o", "board.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "deck.pptx").read_bytes() == full
    assert (tmp_path / "build" / "deck-preview.pptx").is_file()
    pages = subprocess.run(
        ["pdfinfo", str(tmp_path / "board.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Pages:           3" in pages  # title, section divider, the board slide
    assert (tmp_path / "board-sheet.png").is_file()
    # A .pptx is previewed as it is, without building.
    mtime = (tmp_path / "build" / "deck.pptx").stat().st_mtime_ns
    result = run(tmp_path, "preview", "build/deck.pptx", "-o", "out/full.pdf")
    assert result.exit_code == 0, result.output
    assert (
        "Pages:           4"
        in subprocess.run(  # the full deck
            ["pdfinfo", str(tmp_path / "out" / "full.pdf")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert (tmp_path / "build" / "deck.pptx").stat().st_mtime_ns == mtime
    assert run(tmp_path, "preview", "-o", "deck.yaml").exit_code == 2


def test_watch_prints_each_problem_once_per_change_and_q_only_problems(tmp_path: Path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(OUTLINE, encoding="utf-8")
    log = tmp_path / "watch.log"
    with open(log, "w", encoding="utf-8") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "yamldeck", "watch", "-q"],
            cwd=tmp_path,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )

    def said() -> str:
        return log.read_text(encoding="utf-8")

    def wait(condition, limit: float = 30) -> None:
        deadline = time.monotonic() + limit
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.1)

    try:
        wait(lambda: (tmp_path / "build" / "deck.pptx").is_file())
        time.sleep(1.5)  # the watcher takes its first look after the build
        deck.write_text(OUTLINE.replace("slides:", "slidez:"), encoding="utf-8")
        wait(lambda: said().count("unknown key 'slidez'") == 1)
        os.utime(deck)  # saved again without a change
        time.sleep(2)
        deck.write_text(OUTLINE.replace("A社", "C社").replace("slides:", "slidez:"), "utf-8")
        wait(lambda: said().count("unknown key 'slidez'") == 2)
        time.sleep(1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    out = said()
    assert "wrote" not in out and "watching" not in out  # -q: problems only
    assert out.count("unknown key 'slidez'") == 2, out  # two real changes, one touch


def test_installing_leaves_no_build_tool_folders_in_build(tmp_path: Path):
    """`pip install .` as the README says must not fill build/, the decks' folder."""
    if os.environ.get("CI") is None and shutil.which("git") is None:
        pytest.skip("needs git")
    src = tmp_path / "repo"
    shutil.copytree(
        REPO,
        src,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "build",
            ".yamldeck-cache",
            "*.egg-info",
            ".setuptools-build",
            "__pycache__",
            ".hypothesis",
            ".pytest_cache",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(tmp_path / "site"),
            ".",
        ],
        cwd=src,
        check=True,
        capture_output=True,
    )
    assert not (src / "build").exists()
    assert (tmp_path / "site" / "yamldeck" / "cli.py").is_file()
