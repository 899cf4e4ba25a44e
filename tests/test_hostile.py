"""A hostile tester's inputs, through the real CLI in tmp_path: nothing the user owns is
deleted or overwritten, nothing hangs, no traceback, wrong input is an error at its place."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from yamldeck.cli import main

OUTLINE = """\
title: 月次レビュー
charts:
  sales:
    kind: bar
    data: {month: [10月, 11月], 売上: [38, 41]}
    x: month
    y: 売上
slides:
  - title: ハイライト
    bullets: [売上は増加]
  - title: 売上
    chart: sales
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    return tmp_path


def run(folder: Path, *args: str):
    old = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in result.output + result.stderr
    return result


def tree(folder: Path) -> dict[str, str]:
    """Every file and link below ``folder``, to prove nothing was touched."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(folder))] = "-> " + os.readlink(p)
        elif p.is_file():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


# ------------------------------------------------------------------ the cache folder


def test_clean_never_empties_a_folder_another_program_tagged(project: Path):
    """cargo, borg, pip … write the same standard CACHEDIR.TAG signature line: such a folder
    is not ours, even when it happens to hold a `charts/` folder of the user's."""
    other = project / "target"
    (other / "charts" / "q1").mkdir(parents=True)
    (other / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n# created by cargo\n", encoding="utf-8")
    (other / "charts" / "q1" / "sales.csv").write_text("a,b\n", encoding="utf-8")
    (other / "charts" / "0123456789abcdef0123.png").write_bytes(b"mine")
    before = tree(project)
    result = run(project, "clean", "--cache", "target")
    assert result.exit_code == 1
    assert "another program's CACHEDIR.TAG" in result.stderr
    assert "nothing was deleted" in result.stderr
    result = run(project, "build", "--cache", "target")
    assert result.exit_code == 1 and "refusing to write into it" in result.stderr
    assert tree(project) == before


def test_clean_leaves_what_someone_put_into_the_cache(project: Path):
    assert run(project, "build").exit_code == 0
    cache = project / ".yamldeck-cache"
    (cache / "charts" / "keep").mkdir()
    (cache / "charts" / "keep" / "data.csv").write_text("x\n", encoding="utf-8")
    (cache / "charts" / "notes.txt").write_text("x\n", encoding="utf-8")
    result = run(project, "clean")
    assert result.exit_code == 0
    left = sorted(str(p.relative_to(cache)) for p in cache.rglob("*"))
    assert left == ["charts", "charts/keep", "charts/keep/data.csv", "charts/notes.txt"]
