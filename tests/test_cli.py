"""The command line: outputs, exit codes, and what it leaves on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation

from yamldeck.cli import main

MINIMAL = "title: 資料\nslides:\n  - title: 一枚目\n    bullets: [本文]\n"


def run(args: list[str], cwd: Path):
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_build_without_arguments_builds_deck_yaml_into_build(example_project: Path):
    result = run(["build"], example_project)
    assert result.exit_code == 0, result.output
    out = example_project / "build" / "deck.pptx"
    assert "wrote build/deck.pptx (12 slides)" in result.output
    assert len(Presentation(str(out)).slides) == 12


def test_build_several_decks_names_outputs_by_stem(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run(["build", "a.yaml", "b.yaml"], tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "a.pptx").is_file() and (tmp_path / "build" / "b.pptx").is_file()


def test_output_option_for_one_deck(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run(["build", "a.yaml", "-o", "out/custom.pptx"], tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "out" / "custom.pptx").is_file()


def test_output_option_with_two_decks_is_a_usage_error(tmp_path: Path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(MINIMAL, encoding="utf-8")
    result = run(["build", "a.yaml", "b.yaml", "-o", "x.pptx"], tmp_path)
    assert result.exit_code == 2
    assert "-o/--output takes a single DECK" in result.output
    assert not (tmp_path / "x.pptx").exists()


def test_missing_deck_is_a_usage_error(tmp_path: Path):
    assert run(["build", "nope.yaml"], tmp_path).exit_code == 2
    assert run(["build"], tmp_path).exit_code == 2


def test_bad_outline_exits_1_with_position_and_writes_nothing(tmp_path: Path):
    (tmp_path / "deck.yaml").write_text(
        "title: T\nslides:\n  - title: a\n    bulets: [x]\n", encoding="utf-8"
    )
    result = run(["build"], tmp_path)
    assert result.exit_code == 1
    assert "deck.yaml:4:5: error: slides[0]: unknown key 'bulets'" in result.output
    assert "did you mean 'bullets'?" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "build").exists()


def test_failed_build_leaves_existing_output_untouched(tmp_path: Path):
    (tmp_path / "deck.yaml").write_text(MINIMAL, encoding="utf-8")
    assert run(["build"], tmp_path).exit_code == 0
    out = tmp_path / "build" / "deck.pptx"
    before = out.read_bytes()
    (tmp_path / "deck.yaml").write_text(MINIMAL + "  - chart: missing\n", encoding="utf-8")
    result = run(["build"], tmp_path)
    assert result.exit_code == 1
    assert "unknown chart 'missing'" in result.output
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["deck.pptx"]  # no temp files left


def test_check_validates_without_writing(example_project: Path):
    result = run(["check"], example_project)
    assert result.exit_code == 0
    assert "deck.yaml: ok (12 slides)" in result.output
    assert not (example_project / "build").exists()


def test_check_reports_warnings_and_strict_fails_with_3(tmp_path: Path):
    (tmp_path / "deck.yaml").write_text(
        MINIMAL + "charts:\n  unused: {kind: bar, data: {a: [x], b: [1]}, x: a, y: b}\n",
        encoding="utf-8",
    )
    result = run(["check"], tmp_path)
    assert result.exit_code == 0
    assert "warning: charts.unused: chart 'unused' is never shown" in result.output
    assert run(["check", "--strict"], tmp_path).exit_code == 3
    assert run(["build", "--strict"], tmp_path).exit_code == 3
    assert not (tmp_path / "build").exists()


def test_help_and_check_import_neither_matplotlib_nor_pptx(example_project: Path):
    code = (
        "import sys\n"
        "from yamldeck.cli import main\n"
        "for args in (['--help'], ['check', 'deck.yaml']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = sorted(m for m in ('matplotlib', 'pptx') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=example_project,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
