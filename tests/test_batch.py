"""Batches and incremental builds: content hashes decide, workers share one cache."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from conftest import REPO, make_image, make_template
from yamldeck.build import BuildOptions, Task
from yamldeck.cli import main
from yamldeck.watch import watch

OUTLINE = """\
title: 月次レビュー
theme: theme.yaml
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
    (tmp_path / "theme.yaml").write_text('colors: {primary: "#1F4E79"}\n', encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sales.csv").write_text("month,売上\n10月,38\n11月,41\n", "utf-8")
    make_image(tmp_path / "images" / "plant.png")
    (tmp_path / "board.yaml").write_text("subtitle: 取締役会\n", encoding="utf-8")
    return tmp_path


def run(project: Path, *args: str):
    old = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result


def manifest(project: Path, *args: str) -> dict:
    result = run(project, "build", "--manifest", "m.json", *args)
    assert result.exit_code in (0, 1), result.output + result.stderr
    return json.loads((project / "m.json").read_text(encoding="utf-8"))


def status(project: Path, *args: str) -> str:
    return manifest(project, *args)["decks"][0]["status"]


def test_unchanged_deck_is_skipped_and_output_untouched(project: Path):
    assert status(project) == "built"
    out = project / "build" / "deck.pptx"
    before = out.stat().st_mtime_ns
    result = run(project, "build")
    assert "up to date: build/deck.pptx" in result.output
    assert out.stat().st_mtime_ns == before


@pytest.mark.parametrize(
    "change",
    [
        "outline",
        "csv",
        "image",
        "theme",
        "overlay",
        "template",
        "option",
        "version",
        "output",
        "force",
    ],
)
def test_each_kind_of_input_change_rebuilds(project: Path, change: str):
    args = ["--with", "board.yaml"]
    if change == "template":
        make_template(project / "corp.pptx")
        text = (project / "deck.yaml").read_text(encoding="utf-8")
        (project / "deck.yaml").write_text("template: corp.pptx\n" + text, encoding="utf-8")
    assert status(project, *args) == "built"
    assert status(project, *args) == "skipped"
    if change == "outline":
        path = project / "deck.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("増加", "微増"), "utf-8")
    elif change == "csv":
        (project / "data" / "sales.csv").write_text("month,売上\n10月,38\n11月,45\n", "utf-8")
    elif change == "image":
        make_image(project / "images" / "plant.png", (900, 400))
    elif change == "theme":
        (project / "theme.yaml").write_text('colors: {primary: "#C00000"}\n', encoding="utf-8")
    elif change == "overlay":
        (project / "board.yaml").write_text("subtitle: 経営会議\n", encoding="utf-8")
    elif change == "template":
        from pptx import Presentation as Open

        prs = Open(str(project / "corp.pptx"))
        prs.slide_layouts[0].name = "Title Slide"
        prs.save(str(project / "corp.pptx"))
    elif change == "option":
        args = [*args, "--set", "subtitle=別の会議"]
    elif change == "version":
        stamp = next((project / ".yamldeck-cache" / "stamps").glob("*.json"))
        data = json.loads(stamp.read_text(encoding="utf-8"))
        data["versions"] = data["versions"].replace("yamldeck=", "yamldeck=0.0.0-old-")
        stamp.write_text(json.dumps(data), encoding="utf-8")
    elif change == "output":
        (project / "build" / "deck.pptx").unlink()
    elif change == "force":
        args = [*args, "--force"]
    assert status(project, *args) == "built"


def test_touching_a_file_without_changing_it_rebuilds_nothing(project: Path):
    assert status(project) == "built"
    os.utime(project / "data" / "sales.csv", (1, 1))
    assert status(project) == "skipped"


def test_text_edit_reuses_cached_charts(project: Path):
    first = manifest(project)["decks"][0]
    assert first["charts"] == {"rendered": 1, "cached": 0}
    path = project / "deck.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("増加", "微増"), "utf-8")
    second = manifest(project)["decks"][0]
    assert second["status"] == "built"
    assert second["charts"] == {"rendered": 0, "cached": 1}


def test_manifest_records_inputs_hashes_status_and_timings(project: Path):
    data = manifest(project, "--with", "board.yaml")
    [deck] = data["decks"]
    assert deck["status"] == "built" and deck["slides"] == 4
    assert deck["output"] == "build/deck.pptx"
    csv = str((project / "data" / "sales.csv").resolve())
    expected = hashlib.sha256((project / "data" / "sales.csv").read_bytes()).hexdigest()
    assert deck["inputs"][csv] == expected
    assert set(deck["inputs"]) == {
        str((project / p).resolve())
        for p in ("deck.yaml", "theme.yaml", "board.yaml", "data/sales.csv", "images/plant.png")
    }
    assert deck["options"]["overlays"] == [str((project / "board.yaml").resolve())]
    assert deck["timings"]["total"] > 0 and deck["warnings"] == [] and deck["errors"] == []


def test_batch_of_folder_glob_and_project_keeps_going_past_a_failure(project: Path):
    decks = project / "decks"
    decks.mkdir()
    for name in ("a", "b", "c"):
        (decks / f"{name}.yaml").write_text(f"title: {name}\nslides: [{{title: x}}]\n", "utf-8")
    (decks / "broken.yaml").write_text(
        "title: broken\nslides: [{title: x, chart: none}]\n", "utf-8"
    )
    (decks / "overlay.yaml").write_text("subtitle: not an outline\n", encoding="utf-8")
    result = run(project, "build", "-j", "2", "decks", "--manifest", "m.json")
    assert result.exit_code == 1
    assert "unknown chart 'none'" in result.stderr
    assert "4 decks: 3 built, 0 up to date, 1 failed" in result.output
    statuses = {
        Path(d["source"]).name: d["status"]
        for d in json.loads((project / "m.json").read_text(encoding="utf-8"))["decks"]
    }
    assert statuses == {
        "a.yaml": "built",
        "b.yaml": "built",
        "broken.yaml": "failed",
        "c.yaml": "built",
    }
    assert run(project, "build", "decks/[ab].yaml").output.count("up to date: ") == 2


def test_project_file_fans_out_a_matrix_of_variants(project: Path):
    (project / "yamldeck.yaml").write_text(
        "decks:\n"
        "  - outline: deck.yaml\n"
        "    output: out/{stem}-{audience}-{client}.pptx\n"
        "    matrix:\n"
        "      audience:\n"
        "        - {name: board, with: [board.yaml]}\n"
        "        - {name: full}\n"
        "      client:\n"
        "        - {name: a, set: {footer: A社向け}}\n"
        "        - {name: b, set: {footer: B社向け}}\n",
        encoding="utf-8",
    )
    result = run(project, "build", "-j", "2")
    assert result.exit_code == 0, result.stderr
    outputs = sorted(p.name for p in (project / "out").iterdir())
    assert outputs == [
        "deck-board-a.pptx",
        "deck-board-b.pptx",
        "deck-full-a.pptx",
        "deck-full-b.pptx",
    ]
    prs = Presentation(str(project / "out" / "deck-board-b.pptx"))
    assert "取締役会" in [sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame]
    footer = [sh.text_frame.text for sh in prs.slides[1].shapes if sh.name == "Footer"]
    assert footer == ["B社向け"]


def test_project_file_errors_have_positions(project: Path):
    (project / "yamldeck.yaml").write_text("decks:\n  - outlin: deck.yaml\n", "utf-8")
    result = run(project, "build")
    assert result.exit_code == 1
    assert "yamldeck.yaml:2:5: error: decks[0]: unknown key 'outlin'" in result.stderr


def test_clean_empties_the_cache(project: Path):
    run(project, "build")
    assert (project / ".yamldeck-cache").is_dir()
    result = run(project, "clean")
    # one stamp, one chart, the widths and line breaks measured, the versions
    assert "removed 5 cached files" in result.output
    assert not (project / ".yamldeck-cache").exists()
    assert status(project) == "built"


def _sha_of_fresh_build(out: Path, cache: Path) -> str:
    env = dict(os.environ, PYTHONHASHSEED="random")
    shutil.rmtree(cache, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "yamldeck",
            "build",
            str(REPO / "deck.yaml"),
            "-o",
            str(out),
            "--cache",
            str(cache),
            "-q",
        ],
        check=True,
        env=env,
        cwd=out.parent,
    )
    return hashlib.sha256(out.read_bytes()).hexdigest()


def test_repo_deck_is_byte_identical_across_processes_with_the_cache_emptied(tmp_path: Path):
    first = _sha_of_fresh_build(tmp_path / "a.pptx", tmp_path / "cache")
    second = _sha_of_fresh_build(tmp_path / "b.pptx", tmp_path / "cache")
    assert first == second


def test_no_op_rebuild_imports_neither_matplotlib_nor_pptx(project: Path):
    assert run(project, "build").exit_code == 0
    code = (
        "import sys\nfrom yamldeck.cli import main\ntry:\n    main(['build'])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print('HEAVY', sorted(m for m in ('matplotlib', 'pptx') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True
    )
    assert "up to date" in out.stdout and "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_watch_rebuilds_on_change_and_survives_errors(project: Path):
    seen: list[str] = []
    stop = threading.Event()
    task = Task(project / "deck.yaml", project / "build" / "deck.pptx", BuildOptions(), "deck")
    thread = threading.Thread(
        target=watch,
        args=([task], project / ".cache", lambda r: seen.append(r.status), stop.is_set),
        kwargs={"interval": 0.05, "debounce": 0.05},
    )
    thread.start()
    try:

        def wait_for(count: int) -> None:
            deadline = time.monotonic() + 30
            while len(seen) < count and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(seen) >= count, seen

        wait_for(1)
        path = project / "deck.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("slides:", "slidez:"), "utf-8")
        wait_for(2)
        path.write_text(OUTLINE.replace("増加", "微増"), encoding="utf-8")
        wait_for(3)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert seen[:3] == ["built", "failed", "built"]
