"""Golden corpus: every outline under tests/bad/ goes through the CLI.

Each ``NAME.yaml`` has a ``NAME.expected``: the command line, the exit code, and the exact
text on stderr. Every case also asserts that no output file appears. Broken templates are
made at test time (tests/template_mutations.py) into templates/NAME.pptx. Set
YAMLDECK_REGEN=1 to rewrite the .expected files from the current output (then review them).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from template_mutations import write_bad_templates
from yamldeck.cli import main

CORPUS = Path(__file__).parent / "bad"
CASES = sorted(p.stem for p in CORPUS.glob("*.yaml"))
#: Rules whose failure is a warning: they fail only under --strict.
STRICT = {"unused_chart", "unknown_font", "yaml_hash_cut", "combo_unit2", "timeline_outside"}


def command(name: str) -> list[str]:
    return ["build", "--strict", f"{name}.yaml"] if name in STRICT else ["build", f"{name}.yaml"]


@pytest.fixture(scope="module")
def bad_templates(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("templates")
    write_bad_templates(folder)
    return folder


@pytest.mark.parametrize("name", CASES)
def test_bad_outline(name: str, tmp_path: Path, monkeypatch, bad_templates: Path):
    work = tmp_path / "project"
    shutil.copytree(CORPUS, work)
    shutil.copytree(bad_templates, work / "templates", dirs_exist_ok=True)
    monkeypatch.chdir(work)
    args = command(name)
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    actual = f"$ yamldeck {' '.join(args)}\nexit {result.exit_code}\n{result.stderr}"
    expected_file = CORPUS / f"{name}.expected"
    if os.environ.get("YAMLDECK_REGEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")
    assert result.exit_code in (1, 3)
    assert "Traceback" not in result.output + result.stderr
    assert not (work / "build").exists()
    assert not (work / "pwned.txt").exists()


def test_every_case_has_an_expectation():
    assert sorted(p.stem for p in CORPUS.glob("*.expected")) == CASES
