"""Benchmark yamldeck as a user runs it: whole processes, wall time and peak memory.

    python bench/run.py [--runs 5]

Scenarios (median of --runs runs each, in a scratch copy of the repo's deck):
  1. cold build of deck.yaml (empty cache)
  2. rebuild after changing one bullet (charts cached)
  3. no-op rebuild
  4. a 50-deck batch (lecture variants: overlays, cuts, and 10 with distinct data), cold,
     at -j 1 and -j 2

Peak memory is the largest resident set of any process of the run (a batch's workers
included), read from wait4's rusage. Timing belongs here, not in the tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one whole `yamldeck` process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "yamldeck", *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"yamldeck {' '.join(args)} failed:\n{proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024


def make_project(root: Path) -> Path:
    work = root / "lecture"
    shutil.copytree(REPO / "assets", work / "assets")
    shutil.copy(REPO / "deck.yaml", work / "deck.yaml")
    return work


def make_batch(work: Path) -> None:
    """50 decks: 10 copies with their own data, and 40 overlay/cut/date variants."""
    (work / "overlays").mkdir(exist_ok=True)
    (work / "overlays" / "board.yaml").write_text(
        "subtitle: 取締役会向け要約\ntheme:\n  colors: {accent: \"#2A9D8F\"}\n", "utf-8")
    (work / "overlays" / "seminar.yaml").write_text("footer: 公開セミナー\n", "utf-8")
    lines = ["decks:"]
    for i in range(10):
        folder = work / f"data{i}"
        shutil.copytree(work / "assets", folder / "assets")
        for csv in (folder / "assets" / "data").glob("*.csv"):
            rows = csv.read_text(encoding="utf-8").splitlines()
            scaled = [rows[0]] + [",".join([r.split(",")[0]] + [
                str(round(float(v) * (1 + (i + 1) / 20), 1)) for v in r.split(",")[1:]])
                for r in rows[1:]]
            csv.write_text("\n".join(scaled) + "\n", encoding="utf-8")
        shutil.copy(work / "deck.yaml", folder / "deck.yaml")
        lines.append(f"  - {{outline: data{i}/deck.yaml, output: out/data{i}.pptx}}")
    lines += [
        "  - outline: deck.yaml",
        "    output: out/{stem}-{cut}-{audience}-{month}.pptx",
        "    matrix:",
        "      cut:",
        "        - {name: full}",
        "        - {name: short, skip: [detail]}",
        "      audience:",
        "        - {name: board, with: [overlays/board.yaml]}",
        "        - {name: seminar, with: [overlays/seminar.yaml]}",
        "      month:",
    ]
    for month in range(1, 11):
        lines.append(f"        - {{name: m{month:02d}, set: {{date: 2025-{month:02d}-25}}}}")
    (work / "yamldeck.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Tag a few sections so the short cut really drops slides.
    text = (work / "deck.yaml").read_text(encoding="utf-8")
    text = text.replace("  - title: 日中連携事例\n", "  - title: 日中連携事例\n    tags: [detail]\n")
    (work / "deck.yaml").write_text(text, encoding="utf-8")


def measure(label: str, runs: int, before, args: list[str], cwd: Path) -> dict:
    walls, peaks = [], []
    for i in range(runs):
        before(i)
        wall, peak = run(args, cwd)
        walls.append(wall)
        peaks.append(peak)
    return {"label": label, "median": statistics.median(walls), "min": min(walls),
            "max": max(walls), "peak": max(peaks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="yamldeck-bench-"))
    try:
        work = make_project(root)
        cache = work / ".yamldeck-cache"
        build = ["build", "deck.yaml", "-o", "build/deck.pptx", "-q"]

        def empty_cache(_i: int) -> None:
            shutil.rmtree(cache, ignore_errors=True)

        cold = measure("1. cold build (empty cache)", args.runs, empty_cache, build, work)

        bullet = "国家戦略・政策・資金・技術を**一体で**動かす"

        def edit_bullet(i: int) -> None:
            path = work / "deck.yaml"
            text = path.read_text(encoding="utf-8")
            for old in (bullet, bullet + "。", bullet + "！"):
                text = text.replace(f"- {old}\n", f"- {bullet + ('。' if i % 2 else '！')}\n")
            path.write_text(text, encoding="utf-8")

        run(build, work)
        edit = measure("2. one bullet changed", args.runs, edit_bullet, build, work)
        run(build, work)
        noop = measure("3. no-op rebuild", args.runs, lambda i: None, build, work)

        make_batch(work)

        def fresh_batch(_i: int) -> None:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(work / "out", ignore_errors=True)

        batch1 = measure("4. 50 decks, -j 1 (cold)", args.runs, fresh_batch,
                         ["build", "-j", "1", "-q"], work)
        batch2 = measure("4. 50 decks, -j 2 (cold)", args.runs, fresh_batch,
                         ["build", "-j", "2", "-q"], work)
        decks = len(list((work / "out").glob("*.pptx")))
    finally:
        shutil.rmtree(root, ignore_errors=True)

    targets = {
        noop["label"]: (noop["median"] <= 0.10 * cold["median"], "≤ 10 % of (1)",
                        noop["median"] / cold["median"]),
        edit["label"]: (edit["median"] <= 0.40 * cold["median"], "≤ 40 % of (1)",
                        edit["median"] / cold["median"]),
        batch2["label"]: (batch2["median"] <= 0.15 * 50 * cold["median"]
                          and batch2["median"] <= 0.6 * batch1["median"],
                          "≤ 0.15 × 50 × (1) and ≤ 0.6 × -j 1",
                          batch2["median"] / batch1["median"]),
    }
    print(f"yamldeck benchmark: {args.runs} runs each, {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}, batch of {decks} decks")
    print(f"{'scenario':<30} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MB':>8}  target")
    for row in (cold, edit, noop, batch1, batch2):
        target = targets.get(row["label"])
        verdict = ""
        if target:
            ok, text, ratio = target
            verdict = f"{text}: {ratio:.0%} {'ok' if ok else 'MISSED'}"
        print(f"{row['label']:<30} {row['median']:>9.2f} {row['min']:>7.2f} {row['max']:>7.2f} "
              f"{row['peak']:>8.0f}  {verdict}")
    budget = 0.15 * 50 * cold["median"]
    print(f"batch budget 0.15 × 50 × cold = {budget:.1f} s; peak memory per process ≤ 250 MB: "
          f"{'ok' if max(r['peak'] for r in (cold, edit, noop, batch1, batch2)) <= 250 else 'MISSED'}")


if __name__ == "__main__":
    main()
