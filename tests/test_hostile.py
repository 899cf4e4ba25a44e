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
        f"{type(result.exception).__name__}: {result.exception}"
    )
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
        "Signature: 8a477f597d28d172789f06886806bc55\n# created by cargo\n", encoding="utf-8"
    )
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


# ------------------------------------------------------------------ project files


def project_file(folder: Path, text: str) -> None:
    (folder / "yamldeck.yaml").write_text(text, encoding="utf-8")


def test_a_matrix_of_a_million_decks_is_refused_before_it_is_expanded(project: Path):
    axes = "".join(
        f"      a{i}: [" + ", ".join(f"{{name: v{j}}}" for j in range(10)) + "]\n" for i in range(6)
    )
    project_file(project, "decks:\n  - outline: deck.yaml\n    matrix:\n" + axes)
    started = time.perf_counter()
    result = run(project, "check")
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1
    assert (
        "yamldeck.yaml:4:7: error: decks[0].matrix: the matrix makes "
        "10 × 10 × 10 × 10 × 10 × 10 decks; a batch holds at most 5,000 decks" in result.stderr
    )


@pytest.mark.parametrize("axis", ["stem", "a b", "''", "'{x}'", "'0'"])
def test_a_matrix_axis_must_be_a_plain_name(project: Path, axis: str):
    project_file(
        project,
        f"decks:\n  - outline: deck.yaml\n    matrix:\n      {axis}: [{{name: a}}, {{name: b}}]\n",
    )
    result = run(project, "build")
    assert result.exit_code == 1
    shown = axis.strip("'")
    assert "yamldeck.yaml:4:" in result.stderr
    assert f"decks[0].matrix: matrix axis '{shown}'" in result.stderr
    assert not (project / "build").exists()


def test_a_project_output_must_be_a_pptx_and_overlays_stay_inside(project: Path):
    (project / "sub").mkdir()
    (project / "sub" / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    (project / "board.yaml").write_text("subtitle: 取締役会\n", encoding="utf-8")
    project_file(
        project / "sub",
        "decks:\n"
        "  - {outline: deck.yaml, output: build/deck.pdf}\n"
        "  - {outline: deck.yaml, with: [../board.yaml]}\n",
    )
    result = run(project / "sub", "check")
    assert result.exit_code == 1
    assert (
        "yamldeck.yaml:2:34: error: decks[0].output: output 'build/deck.pdf' does not end in .pptx"
    ) in result.stderr
    assert (
        "yamldeck.yaml:3:32: error: decks[1].with: '../board.yaml' leaves the project's folder"
    ) in result.stderr


# ------------------------------------------------------------------ the command line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize(
    "args",
    [
        ["check", "pipe.yaml"],
        ["check", "deck.yaml", "--with", "pipe.yaml"],
        ["inspect", "pipe.yaml"],
        ["check", "yamldeck.yml"],
        ["check", "."],
    ],
)
def test_a_fifo_is_refused_not_read_forever(project: Path, args: list[str]):
    os.mkfifo(project / "pipe.yaml")
    os.mkfifo(project / "yamldeck.yml")
    started = time.perf_counter()
    result = run(project, *args)
    assert time.perf_counter() - started < 5
    if args == ["check", "."]:  # the folder's real outline is checked, the FIFO skipped
        assert result.exit_code == 0 and "deck.yaml: ok" in result.output
    else:
        assert result.exit_code == 2
        assert "is not a regular file" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        (["build", "-o", ""], "-o/--output is empty"),
        (["build", "-j", "0"], "0 is not in the range 1<=x<=64"),
        (["build", "-j", "100000"], "100000 is not in the range 1<=x<=64"),
        (["preview", "-j", "65"], "65 is not in the range 1<=x<=64"),
        (["build", "--manifest", ""], "--manifest is empty"),
        (["build", "--manifest", "m" * 300 + ".json"], "file name too long"),
    ],
)
def test_numbers_and_names_on_the_command_line_have_ranges(project: Path, args, message):
    result = run(project, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (project / "build").exists()


@pytest.mark.parametrize(
    "option,message",
    [
        ("slides[99999999999].title=x", "slides[99999999999]: no item 99999999999 here"),
        ("=x", "'' is not a path like theme.colors.primary"),
        ("a..b=1", "'a..b' is not a path like theme.colors.primary"),
        ("theme=[1,2]", "theme: expected theme settings or a theme file, found a list"),
        ("a." * 5000 + "b=1", "error: the path has more than 64 steps"),
        ("slides=" + "[" * 100 + "]" * 100, "error: nesting deeper than 64 levels"),
        ("title=" + "x" * 20_000, "title: text is 20,000 characters long, more than 10,000"),
    ],
)
def test_odd_set_options_are_errors_that_name_them_briefly(project: Path, option, message):
    started = time.perf_counter()
    result = run(project, "build", "--set", option)
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1
    assert message in result.stderr
    assert all(len(line) < 400 for line in result.stderr.splitlines())
    assert not (project / "build").exists()


# ------------------------------------------------------------------ yamldeck new


def test_new_writes_nothing_into_a_folder_holding_one_of_its_files(tmp_path: Path):
    (tmp_path / "meeting" / "data").mkdir(parents=True)
    (tmp_path / "meeting" / "data" / "sales.csv").write_text("month,売上\n4月,1\n", "utf-8")
    before = tree(tmp_path)
    result = run(tmp_path, "new", "meeting")
    assert result.exit_code == 2
    assert "meeting/data/sales.csv already exists; nothing was written" in result.stderr
    assert tree(tmp_path) == before


def test_new_never_writes_through_a_link(tmp_path: Path):
    (tmp_path / "meeting").mkdir()
    (tmp_path / "meeting" / "README.md").symlink_to(tmp_path / "elsewhere.md")  # dangling
    result = run(tmp_path, "new", "meeting")
    assert result.exit_code == 2 and "README.md already exists" in result.stderr
    assert not (tmp_path / "elsewhere.md").exists()


@pytest.mark.parametrize(
    "directory,code,message",
    [
        ("", 2, "DIRECTORY is empty"),
        ("afile/sub", 1, "error: cannot write 'afile/sub': it is a file, not a folder"),
        ("n" * 300, 1, "file name too long"),
        ("meeting", 2, "meeting/data already exists; nothing was written"),
    ],
)
def test_new_where_no_project_can_be_made_is_a_one_line_error(
    tmp_path: Path, directory, code, message
):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    (tmp_path / "meeting").mkdir()
    (tmp_path / "meeting" / "data").write_text("a file where a folder goes", "utf-8")
    before = tree(tmp_path)
    result = run(tmp_path, "new", directory)
    assert result.exit_code == code
    assert message in result.stderr
    assert tree(tmp_path) == before


def test_new_beside_other_files_of_a_fresh_repository(tmp_path: Path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    result = run(tmp_path, "new", "repo")
    assert result.exit_code == 0
    assert run(tmp_path / "repo", "build").exit_code == 0
    assert (tmp_path / "repo" / "build" / "deck.pptx").is_file()


# ------------------------------------------------------------------ where outputs go


def test_an_outline_with_a_255_byte_output_name_builds(tmp_path: Path):
    name = "a" * 250
    (tmp_path / f"{name}.yaml").write_text(OUTLINE, encoding="utf-8")
    result = run(tmp_path, "build", f"{name}.yaml")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "build" / f"{name}.pptx").is_file()
    assert [p.name for p in (tmp_path / "build").iterdir()] == [f"{name}.pptx"]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_a_folder_where_no_file_can_be_made_is_named_with_the_output(project: Path):
    result = run(project, "build", "-o", "/proc/x.pptx")
    assert result.exit_code == 1
    assert (
        "/proc/x.pptx: error: cannot write '/proc/x.pptx': no file can be created in that folder"
    ) in result.stderr


# ------------------------------------------------------------------ Ctrl-C


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT")
def test_ctrl_c_stops_a_batch_at_once_and_leaves_no_half_written_deck(tmp_path: Path):
    for i in range(400):
        (tmp_path / f"d{i:03}.yaml").write_text(
            f"title: 会議 {i}\nslides:\n  - {{title: 要点, bullets: [売上は増加]}}\n", "utf-8"
        )
    process = subprocess.Popen(
        [sys.executable, "-m", "yamldeck", "build", "*.yaml", "-j", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(2.5)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
    stopped = time.perf_counter()
    _, err = process.communicate(timeout=30)
    assert time.perf_counter() - stopped < 10
    assert process.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    assert err.decode().strip().endswith("no deck was left half-written")
    built = sorted((tmp_path / "build").glob("*"))
    assert 0 < len(built) < 400  # interrupted in the middle, not after the end
    assert all(p.suffix == ".pptx" and not p.name.startswith(".") for p in built)
    import zipfile

    for deck in built:
        assert zipfile.ZipFile(deck).testzip() is None
    left = [p for p in (tmp_path / ".yamldeck-cache").rglob("*") if p.name.endswith(".tmp")]
    assert left == []


# ------------------------------------------------------------------ previews


needs_office = pytest.mark.skipif(
    not (__import__("shutil").which("soffice") and __import__("shutil").which("pdftoppm")),
    reason="needs LibreOffice and poppler",
)


@needs_office
@pytest.mark.parametrize("mine", ["report.pdf", "report-sheet.png"])
def test_preview_never_replaces_a_pdf_or_sheet_the_user_has(project: Path, mine: str):
    """report.pdf beside report.pptx is most often the user's own export from PowerPoint."""
    assert run(project, "build", "-o", "report.pptx").exit_code == 0
    (project / mine).write_bytes(
        b"%PDF-1.4 exported from PowerPoint"
        if mine.endswith("pdf")
        else b"\x89PNG\r\n\x1a\n not ours"
    )
    (project / "kept.pdf").write_bytes(b"%PDF-1.4 mine")
    before = tree(project)
    started = time.perf_counter()
    result = run(project, "preview", "report.pptx")
    assert time.perf_counter() - started < 5  # refused before LibreOffice runs
    assert result.exit_code == 1
    assert f"'{mine}' exists and yamldeck did not write it; refusing to overwrite it" in (
        result.stderr
    )
    result = run(project, "preview", "deck.yaml", "-o", "kept.pdf")
    assert result.exit_code == 1 and "'kept.pdf' exists and yamldeck did not" in result.stderr
    assert {k: v for k, v in tree(project).items() if not k.startswith((".", "build"))} == {
        k: v for k, v in before.items() if not k.startswith((".", "build"))
    }


@needs_office
def test_preview_replaces_the_pdf_and_sheet_it_wrote(project: Path):
    assert run(project, "build", "-o", "report.pptx").exit_code == 0
    for _ in range(2):
        result = run(project, "preview", "report.pptx")
        assert result.exit_code == 0, result.stderr
    info = subprocess.run(
        ["pdfinfo", str(project / "report.pdf")], capture_output=True, text=True, check=True
    )
    assert "Creator:         yamldeck" in info.stdout and "Pages:           3" in info.stdout
    assert "rror" not in info.stderr
    from PIL import Image

    with Image.open(project / "report-sheet.png") as sheet:
        assert sheet.text["Software"] == "yamldeck"


# ------------------------------------------------------------------ --with files


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "board.yaml:1:1: error: the overlay is empty"),
        (b"# subtitle: commented out\n", "board.yaml:1:1: error: the overlay is empty"),
        (
            "subtitle: 取締役会\n".encode("utf-16"),
            "board.yaml:1:1: error: file is UTF-16, not UTF-8",
        ),
        (b"- a\n- b\n", "board.yaml:1:1: error: an overlay must be a mapping of outline keys"),
        (b"x" * 2_000_001, "board.yaml: error: file is larger than 2,000,000 bytes"),
    ],
)
def test_an_overlay_that_changes_nothing_or_cannot_be_read_is_an_error(
    project: Path, content, message
):
    (project / "board.yaml").write_bytes(content)
    result = run(project, "build", "--with", "board.yaml")
    assert result.exit_code == 1
    assert message in result.stderr
    assert not (project / "build").exists()


def test_a_folder_given_to_with_is_a_usage_error(project: Path):
    (project / "overlays").mkdir()
    result = run(project, "build", "--with", "overlays")
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_set_can_name_a_theme_file_like_the_outline_can(project: Path):
    from pptx import Presentation

    (project / "themes").mkdir()
    theme = project / "themes" / "corp.yaml"
    theme.write_text("footer: 株式会社サンプル\n", encoding="utf-8")
    result = run(project, "build", "--set", "theme=themes/corp.yaml")
    assert result.exit_code == 0, result.stderr

    def footers() -> set[str]:
        deck = Presentation(str(project / "build" / "deck.pptx"))
        return {s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame}

    assert "株式会社サンプル" in footers()
    theme.write_text("footer: 株式会社ひな形\n", encoding="utf-8")  # an input: rebuilt
    assert run(project, "build", "--set", "theme=themes/corp.yaml").exit_code == 0
    assert "株式会社ひな形" in footers()
    result = run(project, "build", "--set", "theme=../corp.yaml")
    assert result.exit_code == 1
    assert "theme: path '../corp.yaml' leaves the outline's folder" in result.stderr


def test_two_outlines_that_would_write_one_deck_are_refused(project: Path):
    for folder, title in (("a", "東日本"), ("b", "西日本")):
        (project / folder).mkdir()
        (project / folder / "deck.yaml").write_text(
            OUTLINE.replace("月次レビュー", title), encoding="utf-8"
        )
    result = run(project, "build", "a/deck.yaml", "b/deck.yaml", "-j", "2")
    assert result.exit_code == 2
    assert "'a/deck.yaml' and 'b/deck.yaml' would both write build/deck.pptx" in result.stderr
    assert not (project / "build").exists()
    result = run(project, "check", "a/deck.yaml", "b/deck.yaml")  # nothing written: fine
    assert result.exit_code == 0 and result.output.count(": ok") == 2
    result = run(project, "build", "a/*.yaml", "a/deck.yaml", "./a/deck.yaml")
    assert result.exit_code == 0 and result.output.count("wrote build/deck.pptx") == 1


def test_a_project_set_that_cannot_be_read_is_reported_in_the_project_file(project: Path):
    project_file(project, 'decks:\n  - outline: deck.yaml\n    set: {"a..b": 2}\n')
    result = run(project, "build")
    assert result.exit_code == 1
    assert (
        "yamldeck.yaml:3:10: error: decks[0].set: 'a..b' is not a path like theme.colors.primary"
    ) in result.stderr
    assert not (project / "build").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_data_file_replaced_by_a_fifo_after_a_build_does_not_hang_the_next(tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "deck.yaml").write_text(
        "title: T\ncharts:\n  s: {kind: bar, data: data/s.csv, x: a, y: b}\n"
        "slides: [{title: a, chart: s}]\n",
        encoding="utf-8",
    )
    (tmp_path / "data" / "s.csv").write_text("a,b\nx,1\n", encoding="utf-8")
    assert run(tmp_path, "build").exit_code == 0
    (tmp_path / "data" / "s.csv").unlink()
    os.mkfifo(tmp_path / "data" / "s.csv")  # the up-to-date check hashed it: blocked
    started = time.perf_counter()
    result = run(tmp_path, "build")
    assert time.perf_counter() - started < 10
    assert result.exit_code == 1
    assert (
        "deck.yaml:3:24: error: charts.s.data: 'data/s.csv' is not a regular file" in result.stderr
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize(
    "args,message",
    [
        (["build", "-o", "pipe.pptx"], "output 'pipe.pptx' is not a regular file"),
        (["build", "-o", "zero.pptx"], "output 'zero.pptx' is not a regular file"),
        (["build", "--manifest", "pipe.json"], "--manifest 'pipe.json' is not a regular file"),
    ],
)
def test_an_output_that_is_a_fifo_or_device_is_refused_not_opened(project: Path, args, message):
    os.mkfifo(project / "pipe.pptx")
    os.mkfifo(project / "pipe.json")
    (project / "zero.pptx").symlink_to("/dev/zero")
    started = time.perf_counter()
    result = run(project, *args)
    assert time.perf_counter() - started < 10
    assert result.exit_code in (1, 2)
    assert message in result.stderr


def test_an_outline_whose_file_name_is_not_utf8_builds(tmp_path: Path):
    """A CP932 name from a Windows zip, unpacked on Linux: 売上.yaml as bytes."""
    name = "売上".encode("cp932") + b".yaml"
    try:
        with open(os.path.join(os.fsencode(tmp_path), name), "wb") as handle:
            handle.write(OUTLINE.encode("utf-8"))
    except OSError:
        pytest.skip("the file system wants UTF-8 names")
    arg = os.fsdecode(name)
    result = run(tmp_path, "build", arg, "--manifest", "m.json")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "build" / (os.fsdecode(name)[:-5] + ".pptx")).is_file()
    import json

    assert json.loads((tmp_path / "m.json").read_text("utf-8"))["decks"][0]["status"] == "built"
    assert "up to date" in run(tmp_path, "build", arg).output


def test_a_file_named_like_a_pattern_is_that_file(project: Path):
    (project / "deck[1].yaml").write_text(OUTLINE, encoding="utf-8")
    (project / "deck1.yaml").write_text(OUTLINE.replace("月次レビュー", "別の会議"), "utf-8")
    result = run(project, "check", "deck[1].yaml")
    assert result.exit_code == 0
    assert result.output == "deck[1].yaml: ok (3 slides)\n"
    result = run(project, "check", "deck[0-9].yaml")  # no such file: a pattern
    assert result.output == "deck1.yaml: ok (3 slides)\n"


@pytest.mark.parametrize("key", ["image", "theme"])
def test_a_link_loop_is_an_error_at_its_line_not_a_traceback(tmp_path: Path, key: str):
    (tmp_path / "a.png").symlink_to("b.png")
    (tmp_path / "b.png").symlink_to("a.png")
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    name = "a.png" if key == "image" else "loop.yaml"
    line = (
        "slides: [{title: a, image: a.png}]\n"
        if key == "image"
        else "theme: loop.yaml\nslides: [{title: a, bullets: [b]}]\n"
    )
    (tmp_path / "deck.yaml").write_text("title: T\n" + line, encoding="utf-8")
    for command in ("check", "build"):
        result = run(tmp_path, command)
        assert result.exit_code == 1
        assert f"'{name}' is a link that leads nowhere (broken, or a loop)" in result.stderr
    (tmp_path / "out.pptx").symlink_to("out.pptx")
    (tmp_path / "deck.yaml").write_text(
        "title: T\nslides: [{title: a, bullets: [b]}]\n", encoding="utf-8"
    )
    result = run(tmp_path, "build", "-o", "out.pptx")  # a link to nowhere: replaced
    assert result.exit_code == 0 and (tmp_path / "out.pptx").is_file()
