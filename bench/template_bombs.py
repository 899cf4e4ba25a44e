"""How fast hostile templates are refused: whole `yamldeck check` processes (wall time, peak
memory) and read_template alone, for a plain template and the two 1.5 GiB bombs of
tests/template_mutations.py.

    python bench/template_bombs.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from template_mutations import base_template, bombs

OUTLINE = "title: t\ntemplate: t.pptx\nslides:\n  - title: a\n    bullets: [b]\n"


def run(folder: Path) -> tuple[float, float, int]:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "yamldeck", "check", "deck.yaml"],
                            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def read_time(path: Path, runs: int) -> float:
    """In-process time of read_template alone (refusal included), median of ``runs``."""
    from yamldeck.templates import TemplateError, read_template

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            read_template(path)
        except TemplateError:
            pass
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    cases = {"plain template": base_template(), **bombs()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
        for name, data in cases.items():
            (folder / "t.pptx").write_bytes(data)
            results = [run(folder) for _ in range(runs)]
            wall = statistics.median(r[0] for r in results)
            peak = max(r[1] for r in results)
            print(f"{name:16} {len(data) / 1e6:5.2f} MB  exit {results[0][2]}  "
                  f"check {wall * 1000:6.0f} ms  peak {peak:5.0f} MB  "
                  f"read_template {read_time(folder / 't.pptx', runs) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
