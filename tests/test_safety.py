"""Nothing the user owns is lost, the cache never serves something wrong, the environment's
problems are reported as such, and no number can hang a build. Real CLI runs on real files."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from conftest import make_image
from yamldeck.cli import main

OUTLINE = """\
title: 月次レビュー
charts:
  sales:
    kind: bar
    data: data/sales.csv
    x: month
    y: 売上
slides:
  - title: ハイライト
    bullets: [売上は増加]
  - title: 売上
    chart: sales
  - title: 工場
    image: images/plant.png
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sales.csv").write_text("month,売上\n10月,38\n11月,41\n", "utf-8")
    make_image(tmp_path / "images" / "plant.png")
    return tmp_path


def run(project: Path, *args: str):
    old = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with its SHA-256, to prove nothing was touched."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def chart_picture(deck: Path) -> bytes:
    slide = Presentation(str(deck)).slides[2]
    return next(s for s in slide.shapes if s.shape_type == 13).image.blob


# ------------------------------------------------------------------ nothing user-owned lost


@pytest.mark.parametrize("folder", [".", "data", "images"])
def test_clean_refuses_a_folder_yamldeck_did_not_make(project: Path, folder: str):
    before = tree(project)
    result = run(project, "clean", "--cache", folder)
    assert result.exit_code == 1
    assert "not a yamldeck cache" in result.output and "nothing was deleted" in result.output
    assert tree(project) == before


def test_clean_deletes_the_cache_it_made_and_only_it(project: Path):
    assert run(project, "build").exit_code == 0
    cache = project / ".yamldeck-cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f")
    (cache / "mine.txt").write_text("a note the user left here", encoding="utf-8")
    result = run(project, "clean")
    assert result.exit_code == 0, result.output
    assert (cache / "mine.txt").read_text(encoding="utf-8") == "a note the user left here"
    assert not (cache / "charts").exists() and not (cache / "stamps").exists()
    assert (project / "deck.yaml").is_file() and (project / "build" / "deck.pptx").is_file()


def test_clean_refuses_a_file(project: Path):
    result = run(project, "clean", "--cache", "deck.yaml")
    assert result.exit_code == 2 and "is a file" in result.output
    assert (project / "deck.yaml").read_text(encoding="utf-8") == OUTLINE


@pytest.mark.parametrize("target", ["deck.yaml", "data/sales.csv", "images/plant.png"])
def test_output_may_not_be_an_input(project: Path, target: str):
    before = tree(project)
    result = run(project, "build", "-o", target)
    assert result.exit_code == 1
    assert "does not end in .pptx" in result.output or "inputs" in result.output
    assert tree(project) == before


def test_output_may_not_be_the_template(project: Path):
    from conftest import make_template

    make_template(project / "corp.pptx")
    (project / "deck.yaml").write_text("template: corp.pptx\n" + OUTLINE, encoding="utf-8")
    before = tree(project)
    result = run(project, "build", "-o", "corp.pptx")
    assert result.exit_code == 1 and "one of this build's inputs" in result.output
    assert tree(project) == before


def test_output_never_replaces_a_file_yamldeck_did_not_write(project: Path):
    (project / "build").mkdir()
    mine = project / "build" / "deck.pptx"
    Presentation().save(str(mine))  # a deck saved by another program
    notes = project / "notes.pptx"
    notes.write_bytes(b"my notes, not a deck")
    before = tree(project)
    for args in (["build"], ["build", "-o", "notes.pptx"], ["build", "--force"]):
        result = run(project, *args)
        assert result.exit_code == 1, result.output
        assert "not a deck yamldeck wrote" in result.output
    assert tree(project) == before
    mine.unlink()
    assert run(project, "build").exit_code == 0
    assert run(project, "build", "--force").exit_code == 0  # its own deck: replaced


PROJECT = """\
decks:
  - outline: deck.yaml
    output: {output}
    matrix:
      who:
        - {{name: {name}}}
"""


@pytest.mark.parametrize(
    "output,name,message",
    [
        ("build/{stem}-{who}.pptx", "../../x", "may not be used in a file name"),
        ("../../evil.pptx", "a", "leaves the project's folder"),
        ("/tmp/evil-{who}.pptx", "a", "leaves the project's folder"),
        ("build/{stem:>999999999}.pptx", "a", "only plain {name} fields"),
        ("build/{stem!r}.pptx", "a", "only plain {name} fields"),
        ("build/{who.__class__}.pptx", "a", "unknown field"),
        ("build/{month}.pptx", "a", "unknown field '{month}'"),
    ],
)
def test_project_outputs_stay_in_the_project(project: Path, output: str, name: str, message: str):
    sub = project / "p"
    sub.mkdir()
    (sub / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    (sub / "data").mkdir()
    (sub / "data" / "sales.csv").write_text("month,売上\n10月,38\n", "utf-8")
    make_image(sub / "images" / "plant.png")
    (sub / "yamldeck.yaml").write_text(PROJECT.format(output=output, name=name), "utf-8")
    started = time.monotonic()
    result = run(sub, "build", "-q")
    assert time.monotonic() - started < 20
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert "yamldeck.yaml:" in result.output  # at its line
    assert not (sub / "build").exists() and not list(project.glob("*.pptx"))


def test_project_outline_stays_in_the_project(project: Path):
    sub = project / "p"
    sub.mkdir()
    (sub / "yamldeck.yaml").write_text("decks:\n  - outline: ../deck.yaml\n", "utf-8")
    result = run(sub, "build")
    assert result.exit_code == 1 and "leaves the project's folder" in result.output
    assert "yamldeck.yaml:2:" in result.output


def test_manifest_never_replaces_a_user_file(project: Path):
    (project / "package.json").write_text('{"name": "mine"}', encoding="utf-8")
    for target in ("package.json", "deck.yaml"):
        result = run(project, "build", "--manifest", target)
        assert result.exit_code == 2, result.output
    assert (project / "package.json").read_text(encoding="utf-8") == '{"name": "mine"}'
    assert run(project, "build", "--manifest", "build/m.json").exit_code == 0
    assert run(project, "build", "--manifest", "build/m.json").exit_code == 0  # ours: replaced


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize(
    "setting,message",
    [
        ("theme.fonts.title_size=1000", "expected a number from 8 to 96, found 1000"),
        ("theme.fonts.title_size=1e300", "from 8 to 96"),
        ("theme.fonts.body_size=nan", "expected a number"),
        ("theme.fonts.min_body_size=1e9", "from 8 to 60"),
        ("theme.logo={image: images/plant.png, width: 1000000}", "from 0.2 to 4"),
    ],
)
def test_numbers_out_of_range_are_refused_at_once(project: Path, setting: str, message: str):
    started = time.monotonic()
    result = run(project, "build", "--set", setting)
    assert time.monotonic() - started < 20
    assert result.exit_code == 1 and message in result.output, result.output
    assert not (project / "build").exists()


def test_a_megabyte_bullet_is_refused_at_its_line(project: Path):
    text = OUTLINE.replace("[売上は増加]", "[" + "あ" * 300_000 + "]")
    (project / "deck.yaml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = run(project, "check")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert (
        "deck.yaml:10:15: error: slides[0].bullets[0]: text is 300,000 characters" in result.output
    )


@pytest.mark.parametrize("epoch", ["-5", "1e9", "99999999999999999999", "12", "abc"])
def test_source_date_epoch_out_of_range_is_an_error(
    project: Path, epoch: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run(project, "build")
    assert result.exit_code == 1 and "SOURCE_DATE_EPOCH" in result.output, result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ cache integrity


def test_damaged_or_swapped_chart_cache_entries_are_redrawn(project: Path):
    (project / "deck.yaml").write_text(
        OUTLINE.replace(
            "  - title: 工場", "  - title: 比較\n    chart: other\n  - title: 工場"
        ).replace(
            "charts:\n", "charts:\n  other: {kind: line, data: data/sales.csv, x: month, y: 売上}\n"
        ),
        encoding="utf-8",
    )
    assert run(project, "build", "-o", "build/first.pptx").exit_code == 0
    good = chart_picture(project / "build" / "first.pptx")
    entries = sorted((project / ".yamldeck-cache" / "charts").iterdir())
    assert len(entries) == 2
    a, b = (e.read_bytes() for e in entries)
    entries[0].write_bytes(b)  # swapped
    entries[1].write_bytes(a[: len(a) // 2])  # truncated
    result = run(project, "build", "-v", "-o", "build/second.pptx")
    assert "charts 2 drawn, 0 cached" in result.output, result.output
    assert chart_picture(project / "build" / "second.pptx") == good
    result = run(project, "build", "-v", "-o", "build/third.pptx")
    assert "charts 0 drawn, 2 cached" in result.output, result.output


def test_force_redraws_charts(project: Path):
    assert run(project, "build").exit_code == 0
    result = run(project, "build", "--force", "-v")
    assert "charts 1 drawn, 0 cached" in result.output, result.output


def test_a_file_saved_during_the_build_makes_the_next_build_rebuild(project: Path):
    """The stamp holds the hash of the bytes read, not of the file after the build."""
    from yamldeck import build as build_module
    from yamldeck.build import BuildOptions, build_deck
    from yamldeck.cache import BuildCache

    csv = project / "data" / "sales.csv"
    real_write = build_module.write_atomic

    def save_while_writing(target: Path, data: bytes) -> None:
        csv.write_text("month,売上\n10月,99\n11月,98\n", "utf-8")  # the user saves now
        real_write(target, data)

    cache = BuildCache(project / ".cache")
    output = project / "build" / "deck.pptx"
    build_module.write_atomic = save_while_writing
    try:
        first = build_deck(project / "deck.yaml", output, options=BuildOptions(), cache=cache)
    finally:
        build_module.write_atomic = real_write
    assert first.status == "built"
    again = build_deck(project / "deck.yaml", output, options=BuildOptions(), cache=cache)
    assert again.status == "built"  # not "skipped" over a deck drawn from the old data
    assert (
        build_deck(project / "deck.yaml", output, options=BuildOptions(), cache=cache).status
        == "skipped"
    )


def test_cache_folder_that_is_a_file_is_a_clear_error(project: Path):
    (project / "cachefile").write_text("x", encoding="utf-8")
    result = run(project, "build", "--cache", "cachefile")
    assert result.exit_code == 2 and "is a file" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert (project / "cachefile").read_text(encoding="utf-8") == "x"


def test_cache_in_a_user_folder_is_refused(project: Path):
    before = tree(project)
    result = run(project, "build", "--cache", "data")
    assert result.exit_code == 1 and "not a yamldeck cache" in result.output
    assert tree(project) == before


def test_unwritable_cache_entries_do_not_fail_the_build(project: Path):
    """As root, permissions cannot be taken away: a file where a cache folder belongs
    fails every chart write the same way a read-only folder does."""
    cache = project / ".yamldeck-cache"
    assert run(project, "build").exit_code == 0
    for entry in (cache / "charts").iterdir():
        entry.unlink()
    (cache / "charts").rmdir()
    (cache / "charts").write_text("in the way", encoding="utf-8")
    result = run(project, "build", "--force")
    assert result.exit_code == 0, result.output
    assert "note: cache not written" in result.output and "wrote" in result.output


def test_damaged_stamps_rebuild(project: Path):
    assert run(project, "build").exit_code == 0
    for stamp in (project / ".yamldeck-cache" / "stamps").iterdir():
        stamp.write_bytes(b"\x00garbage{")
    result = run(project, "build")
    assert result.exit_code == 0 and "wrote" in result.output


# --------------------------------------------------------------- environment problems


def test_output_folder_missing_is_one_line(project: Path, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("other") / "no" / "such" / "x.pptx"
    result = run(project, "build", "-o", str(elsewhere))
    assert result.exit_code == 1
    assert "folder does not exist" in result.output and "Traceback" not in result.output
    assert "yamldeck bug" not in result.output


def test_output_name_too_long_is_one_line(project: Path):
    result = run(project, "build", "-o", "x" * 300 + ".pptx")
    assert result.exit_code == 1
    assert "file name too long" in result.output and "yamldeck bug" not in result.output


def test_output_where_a_folder_is_a_file(project: Path):
    result = run(project, "build", "-o", "deck.yaml/x.pptx")
    assert result.exit_code == 1, result.output
    assert "not a folder" in result.output and "yamldeck bug" not in result.output


def test_full_disk_is_reported_as_such(project: Path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    from yamldeck.outputs import environment_error

    try:
        with open("/dev/full", "wb") as handle:
            handle.write(b"x" * 100_000)
            handle.flush()
    except OSError as exc:
        line = environment_error(exc, project / "build" / "deck.pptx").format()
    assert "no space left on the device" in line and "\n" not in line


# ------------------------------------------------------------------- kill -9 mid-build


def test_kill_during_a_build_leaves_the_old_output_and_the_next_build_correct(project: Path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    cmd = [sys.executable, "-m", "yamldeck", "build", "-j", "1"]
    subprocess.run([*cmd], cwd=project, env=env, check=True, capture_output=True)
    output = project / "build" / "deck.pptx"
    old = output.read_bytes()
    (project / "data" / "sales.csv").write_text("month,売上\n10月,50\n11月,60\n", "utf-8")
    clean = project / "clean"
    clean.mkdir()
    subprocess.run(
        [
            *cmd,
            str(project / "deck.yaml"),
            "-o",
            str(clean / "deck.pptx"),
            "--cache",
            str(clean / "cache"),
        ],
        cwd=clean,
        env=env,
        check=True,
        capture_output=True,
    )
    expected = (clean / "deck.pptx").read_bytes()
    for delay in (0.05, 0.3, 0.6, 0.9, 1.2, 1.6, 2.2):
        proc = subprocess.Popen(
            cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = output.read_bytes()
        assert now in (old, expected)  # never half a file
        zipfile.ZipFile(output).testzip()
    subprocess.run(cmd, cwd=project, env=env, check=True, capture_output=True)
    assert output.read_bytes() == expected


def test_manifest_that_cannot_be_written_is_one_line(project: Path):
    result = run(project, "build", "--manifest", "deck.yaml/m.json")
    assert result.exit_code == 1, result.output
    assert "cannot write" in result.output and "not a folder" in result.output
    assert "Traceback" not in result.output and "yamldeck bug" not in result.output
    assert (project / "build" / "deck.pptx").is_file()  # the decks were still built
