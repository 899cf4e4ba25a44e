"""Benchmark yamldeck as a user runs it: whole processes, wall time and peak memory.

    python bench/run.py [--runs 5] [--quick] [--json OUT] [--baseline REV | --no-baseline]

Every figure of issue 15, as ratios measured in this one run (so machine load and drift
mostly cancel), each with the median, min and max of --runs runs and the pass/fail of its
target. Each scenario works in a scratch copy of the repo's deck and runs the `yamldeck`
console script beside sys.executable, as a user does:

  1. cold build of deck.yaml (empty cache, no output), interleaved with the cold build of
     the baseline release (a git worktree of --baseline in its own venv): ≤ 0.6 × baseline
  2. one edited bullet (charts cached): ≤ 0.3 × cold
  3. no-op rebuild: ≤ 0.03 × cold
  4. 50 lecture variants, cold, at -j 2 (and -j 1 for reference), interleaved with pandoc
     converting the equivalent markdown fifty times one after another and two at a time:
     ≤ pandoc one after another; aim ≤ pandoc two at a time
  5. peak memory of the batch: ≤ 250 MB in any one process
  6. scaling: 100, 1,000 and 10,000 slides (--quick skips 10,000): time per slide at 1,000
     ≤ 1.5 × at 100 (start-up, measured on a 2-slide deck, subtracted); 10,000 slides in
     < 60 s and < 500 MB
  7. `yamldeck watch`: an edited bullet is rebuilt ≤ 0.3 s after the watcher notices it

Timing belongs here, not in the tests.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BASELINE = "108f8b3"  # the last release
VENV_CACHE = Path.home() / ".cache" / "yamldeck-bench"

PEAK_POLL_S = 0.02  # how often the process tree's memory is sampled
WATCH_POLL_S = 0.005  # how often the watch scenario looks at the output file
WATCH_TIMEOUT_S = 120.0
SCALE_SIZES = (100, 1_000)  # deck slides, title slide included
SCALE_BIG = 10_000  # MAX_SLIDES: the largest deck yamldeck builds
SCALE_STARTUP = 2  # the smallest deck: title slide + one slide

BULLET = "国家戦略・政策・資金・技術を**一体で**動かす"  # a bullet of deck.yaml we edit


# -- running and measuring one process -------------------------------------------------------

@dataclass
class Sample:
    wall: float  # seconds from start to the process being reaped
    peak_mb: float  # the largest peak resident set of any ONE process of the run
    processes: int  # how many processes were seen (the command and its descendants)


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None  # gone, or a zombie (its memory is released)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


class TreePeak(threading.Thread):
    """Samples VmHWM (the kernel's high-water mark of the resident set) of a process and all
    its descendants every PEAK_POLL_S seconds, keeping the largest value per process.

    Why not just os.wait4: its ru_maxrss is the largest of the child itself and of the
    descendants *it* waited for (RUSAGE_CHILDREN semantics, a max, not a sum). A batch's
    workers are children of the yamldeck process, not of this script; they are counted by
    wait4 only if yamldeck reaps them before it exits, and a process that ends with os._exit
    may not. So we take max(wait4's ru_maxrss, the polled VmHWM of every process seen).
    VmHWM is monotonic, so a late sample loses at most the growth of the last PEAK_POLL_S.
    A forked worker's VmHWM includes the pages it still shares with its parent: it is what
    that one process had resident, not what it added to the machine."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peaks: dict[int, int] = {}
        self.done = threading.Event()

    def sample(self) -> None:
        # Processes seen before stay sampled: when their parent exits they are reparented
        # and no longer appear under the root.
        todo, seen = [self.root, *self.peaks], set()
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            hwm = _vm_hwm_kb(pid)
            if hwm is not None:
                self.peaks[pid] = max(hwm, self.peaks.get(pid, 0))
            todo += _children(pid)

    def run(self) -> None:
        while not self.done.wait(PEAK_POLL_S):
            self.sample()


def run_measured(cmd: list[str], cwd: Path, what: str, tree: bool = True) -> Sample:
    """Run one whole process; its wall time and the largest peak RSS of any of its processes.

    Raises SystemExit with the command's stderr if it fails."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        poller = TreePeak(proc.pid) if tree else None
        if poller:
            poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak_kb, count = usage.ru_maxrss, 1
        if poller:
            poller.done.set()
            poller.join()
            peak_kb = max([peak_kb, *poller.peaks.values()])
            count = max(1, len(poller.peaks))
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                             f"{err.read().decode(errors='replace')}")
    return Sample(wall, peak_kb / 1024, count)


def yamldeck_script(python: str | Path) -> Path:
    """The `yamldeck` console script of the venv `python` belongs to (not resolved: a venv's
    python is a symlink to the base interpreter)."""
    script = Path(python).parent / "yamldeck"
    if not script.exists():
        raise SystemExit(f"no yamldeck script beside {python}: run this with the venv's python "
                         "after `pip install -e .`")
    return script


# -- rows, targets and the table ------------------------------------------------------------

@dataclass
class Row:
    label: str
    walls: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)

    def add(self, sample: Sample) -> Sample:
        self.walls.append(sample.wall)
        self.peaks.append(sample.peak_mb)
        return sample

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak(self) -> float:
        return max(self.peaks) if self.peaks else float("nan")

    def check(self, target: str, ratio: float, limit: float, shown: str | None = None,
              aim: bool = False, strict: bool = False) -> None:
        """Record a target: ok when ratio ≤ limit (< when strict); `shown` replaces the ratio
        in the table, e.g. for an absolute limit in seconds or MB."""
        ok = ratio < limit if strict else ratio <= limit
        self.checks.append({"target": target, "ratio": ratio, "limit": limit, "ok": ok,
                            "aim": aim, "shown": shown or f"{ratio:.2f}"})


def print_table(rows: list[Row]) -> None:
    head = (f"{'scenario':<38} {'median':>7} {'min':>7} {'max':>7} {'peak MB':>8}  "
            f"{'target':<32} {'ratio':>14}  ok")
    print(head)
    print("-" * len(head))
    for row in rows:
        if row.walls:
            figures = (f"{row.median:>7.3f} {min(row.walls):>7.3f} {max(row.walls):>7.3f} "
                       f"{row.peak:>8.0f}")
        else:
            figures = f"{'–':>7} {'–':>7} {'–':>7} {row.peak:>8.0f}"
        checks = row.checks or [None]
        for i, check in enumerate(checks):
            left = f"{row.label:<38} {figures}" if i == 0 else " " * (39 + len(figures))
            if check is None:
                print(left)
                continue
            verdict = "ok" if check["ok"] else "MISSED"
            if check["aim"]:
                verdict += " (aim)"
            print(f"{left}  {check['target']:<32} {check['shown']:>14}  {verdict}")


# -- scratch projects -----------------------------------------------------------------------

def make_project(root: Path, name: str) -> Path:
    work = root / name
    shutil.copytree(REPO / "assets", work / "assets")
    shutil.copy(REPO / "deck.yaml", work / "deck.yaml")
    return work


# The batch's variants; the pandoc markdown below differs in the same ways.
DATA_COPIES = 10
CUTS = {"full": [], "short": ["detail"]}
AUDIENCES = {"board": {"subtitle": "取締役会向け要約"}, "seminar": {"footer": "公開セミナー"}}
MONTHS = [f"2025-{m:02d}-25" for m in range(1, 11)]
DETAIL_SECTION = "日中連携事例"  # tagged `detail`, so the short cut drops it


def make_batch(work: Path) -> None:
    """50 decks: 10 copies with their own data, and 40 overlay/cut/date variants."""
    (work / "overlays").mkdir(exist_ok=True)
    (work / "overlays" / "board.yaml").write_text(
        f"subtitle: {AUDIENCES['board']['subtitle']}\n"
        "theme:\n  colors: {accent: \"#2A9D8F\"}\n", "utf-8")
    (work / "overlays" / "seminar.yaml").write_text(
        f"footer: {AUDIENCES['seminar']['footer']}\n", "utf-8")
    lines = ["decks:"]
    for i in range(DATA_COPIES):
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
    lines += ["  - outline: deck.yaml",
              "    output: out/{stem}-{cut}-{audience}-{month}.pptx",
              "    matrix:",
              "      cut:"]
    for cut, skip in CUTS.items():
        lines.append(f"        - {{name: {cut}, skip: [{', '.join(skip)}]}}" if skip
                     else f"        - {{name: {cut}}}")
    lines.append("      audience:")
    for audience in AUDIENCES:
        lines.append(f"        - {{name: {audience}, with: [overlays/{audience}.yaml]}}")
    lines.append("      month:")
    for date in MONTHS:
        lines.append(f"        - {{name: m{date[5:7]}, set: {{date: {date}}}}}")
    (work / "yamldeck.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = (work / "deck.yaml").read_text(encoding="utf-8")
    text = text.replace(f"  - title: {DETAIL_SECTION}\n",
                        f"  - title: {DETAIL_SECTION}\n    tags: [detail]\n")
    (work / "deck.yaml").write_text(text, encoding="utf-8")


def edit_bullet(deck: Path, i: int) -> None:
    """Change one bullet's text: always to something other than what it is now, since a
    save that changes nothing rebuilds nothing (watch and the cache compare contents)."""
    before = deck.read_text(encoding="utf-8")
    for ending in ("。" if i % 2 else "！", "！" if i % 2 else "。"):
        text = before
        for old in (BULLET, BULLET + "。", BULLET + "！"):
            text = text.replace(f"- {old}\n", f"- {BULLET + ending}\n")
        if text != before:
            break
    deck.write_text(text, encoding="utf-8")


def empty(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


# -- 1–3: cold, edit, no-op, against the baseline release ------------------------------------

def setup_baseline(rev: str, root: Path) -> tuple[Path, Path] | str:
    """A git worktree of `rev` in `root` and the `yamldeck` script of its own venv.

    The venv is kept in ~/.cache/yamldeck-bench/COMMIT so later runs only re-point its
    editable install at this run's worktree (no dependency is installed again). Returns
    (worktree, script), or why the baseline cannot be set up."""
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify",
                                 f"{rev}^{{commit}}"], capture_output=True, text=True,
                                check=True).stdout.strip()
        worktree = root / f"baseline-{commit[:12]}"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q",
                        str(worktree), commit], capture_output=True, text=True, check=True)
        venv = VENV_CACHE / commit[:12] / "venv"
        ready = venv.parent / "ready"
        if not ready.exists():
            print(f"setting up the baseline venv in {venv} (once)…", flush=True)
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                           capture_output=True, text=True)
            subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-e",
                            str(worktree)], check=True, capture_output=True, text=True)
            ready.write_text(commit + "\n", encoding="utf-8")
        else:
            subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                            "--no-deps", "-e", str(worktree)], check=True,
                           capture_output=True, text=True)
        return worktree, yamldeck_script(venv / "bin" / "python")
    except subprocess.CalledProcessError as exc:
        return f"`{' '.join(map(str, exc.cmd))}` failed: {(exc.stderr or '').strip()[-400:]}"
    except (OSError, SystemExit) as exc:
        return str(exc)


def remove_worktree(worktree: Path) -> None:
    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)],
                   check=False, capture_output=True)


def bench_single(root: Path, script: Path, runs: int, baseline: Path | None) -> list[Row]:
    """Rows 1–3, one round at a time: baseline cold, ours cold, ours edit, ours no-op."""
    ours = make_project(root, "single")
    theirs = make_project(root, "single-baseline") if baseline else None
    build = ["build", "deck.yaml", "-q"]
    base_row = Row("1. cold build, baseline")
    cold = Row("1. cold build (empty cache)")
    edit = Row("2. one bullet edited")
    noop = Row("3. no-op rebuild")
    for i in range(runs):
        if theirs:
            empty(theirs / ".yamldeck-cache", theirs / "build")
            base_row.add(run_measured([str(baseline), *build], theirs, "baseline cold build"))
        empty(ours / ".yamldeck-cache", ours / "build")
        cold.add(run_measured([str(script), *build], ours, "cold build"))
        edit_bullet(ours / "deck.yaml", i)
        edit.add(run_measured([str(script), *build], ours, "edited build"))
        noop.add(run_measured([str(script), *build], ours, "no-op build"))
    if theirs:
        cold.check("≤ 0.6 × baseline cold", cold.median / base_row.median, 0.6)
    edit.check("≤ 0.3 × cold", edit.median / cold.median, 0.3)
    noop.check("≤ 0.03 × cold", noop.median / cold.median, 0.03)
    return ([base_row] if theirs else []) + [cold, edit, noop]


# -- 4–5: the batch against pandoc ----------------------------------------------------------

def _markdown_bullets(items: list, depth: int = 0) -> list[str]:
    lines = []
    for item in items:
        if isinstance(item, dict):  # `text: [sub-bullets]`
            for text, subs in item.items():
                lines.append(f"{'    ' * depth}- {text}")
                lines += _markdown_bullets(subs if isinstance(subs, list) else [subs], depth + 1)
        else:
            lines.append(f"{'    ' * depth}- {item}")
    return lines


def _cell(value) -> str:
    return str(value).replace("|", "\\|")


def _notes(text) -> list[str]:
    return ["", "::: notes", str(text).strip(), ":::"] if text else []


def slide_markdown(slide: dict, charts: dict, pictures: dict[str, str]) -> list[str]:
    """One `##` slide: bullets (columns and flows as bullets with sub-bullets), a pipe table,
    a chart or image as ![](), a quote, and speaker notes."""
    lines = ["", f"## {slide['title']}", ""]
    if "chart" in slide:
        name = slide["chart"]
        lines.append(f"![{charts[name].get('title', name)}]({pictures[name]})")
        lines.append("")
    if "image" in slide:
        lines += [f"![{slide.get('caption', '')}]({slide['image']})", ""]
    if "quote" in slide:
        lines += [f"> {slide['quote']}", ">", f"> — {slide.get('by', '')}", ""]
    if "table" in slide:
        table = slide["table"]
        lines.append("| " + " | ".join(_cell(h) for h in table["header"]) + " |")
        lines.append("|" + "---|" * len(table["header"]))
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table["rows"]]
        lines.append("")
    if "columns" in slide:
        lines += _markdown_bullets([{c["heading"]: c["bullets"]} for c in slide["columns"]])
    if "flow" in slide:
        lines += _markdown_bullets(slide["flow"])
    if "bullets" in slide:
        lines += _markdown_bullets(slide["bullets"])
    return lines + _notes(slide.get("notes"))


def deck_markdown(outline: dict, pictures: dict[str, str], skip: list[str],
                  changes: dict[str, str]) -> str:
    """Pandoc markdown of an outline: a title block, the agenda, `#` sections, `##` slides.
    `changes` overrides title-block fields (subtitle, footer, date) as our overlays do; the
    pptx writer ignores `footer`, which is kept so the variants differ as ours do."""
    meta = {k: str(outline[k]) for k in ("title", "subtitle", "author", "date", "footer")
            if k in outline}
    meta.update(changes)
    lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()),
             "---"]
    charts = outline.get("charts", {})
    sections = [s for s in outline.get("sections", [])
                if not set(s.get("tags", [])) & set(skip)]
    if sections and outline.get("agenda") is not False:
        agenda = outline.get("agenda")
        lines += ["", f"## {agenda if isinstance(agenda, str) else 'アジェンダ'}", ""]
        lines += [f"- {s['title']}" for s in sections]
    for section in sections:
        lines += ["", f"# {section['title']}"] + _notes(section.get("notes"))
        for slide in section["slides"]:
            lines += slide_markdown(slide, charts, pictures)
    for slide in outline.get("slides", []):
        lines += slide_markdown(slide, charts, pictures)
    return "\n".join(lines) + "\n"


def chart_pictures(deck: Path, outline: dict, folder: Path) -> dict[str, str]:
    """The chart pictures yamldeck drew, saved as PNG files for pandoc: the k-th slide with a
    picture holds the k-th chart of the outline."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    blobs = [shape.image.blob for slide in Presentation(str(deck)).slides
             for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    names = [s["chart"] for sec in outline.get("sections", []) for s in sec["slides"]
             if "chart" in s]
    folder.mkdir(parents=True, exist_ok=True)
    pictures = {}
    for k, name in enumerate(names):
        (folder / f"{name}.png").write_bytes(blobs[k % len(blobs)])
        pictures[name] = f"{folder.name}/{name}.png"
    return pictures


def make_pandoc_project(root: Path, built_deck: Path) -> list[Path]:
    """Fifty markdown files, differing like the batch's decks."""
    folder = root / "pandoc"
    folder.mkdir()
    outline = yaml.safe_load((REPO / "deck.yaml").read_text(encoding="utf-8"))
    for section in outline.get("sections", []):
        if section["title"] == DETAIL_SECTION:
            section["tags"] = ["detail"]
    pictures = chart_pictures(built_deck, outline, folder / "charts")
    variants = [(f"data{i}", [], {}) for i in range(DATA_COPIES)]
    variants += [(f"deck-{cut}-{audience}-m{date[5:7]}", skip, {**changes, "date": date})
                 for cut, skip in CUTS.items() for audience, changes in AUDIENCES.items()
                 for date in MONTHS]
    files = []
    for name, skip, changes in variants:
        path = folder / f"{name}.md"
        path.write_text(deck_markdown(outline, pictures, skip, changes), encoding="utf-8")
        files.append(path)
    return files


# Sections carry speaker notes, which would make pandoc take `#` as the slide level; say it.
PANDOC_OPTIONS = ["--slide-level=2"]


def run_pandoc(files: list[Path], parallel: int) -> Sample:
    """Convert every file with its own `pandoc X.md -o X.pptx`, `parallel` at a time."""
    for md in files:
        empty(md.with_suffix(".pptx"))

    def one(md: Path) -> Sample:
        return run_measured(["pandoc", md.name, "-o", md.with_suffix(".pptx").name,
                             *PANDOC_OPTIONS], md.parent, "pandoc", tree=False)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        samples = list(pool.map(one, files))
    return Sample(time.perf_counter() - start, max(s.peak_mb for s in samples), len(samples))


def bench_batch(root: Path, script: Path, runs: int, single_deck: Path) -> list[Row]:
    """Rows 4–5: rounds of yamldeck -j 1, -j 2, pandoc one after another, two at a time."""
    work = make_project(root, "batch")
    make_batch(work)
    pandoc = shutil.which("pandoc")
    files = make_pandoc_project(root, single_deck) if pandoc else []
    j1 = Row("4. 50 decks, -j 1 (cold)")
    j2 = Row("4. 50 decks, -j 2 (cold)")
    seq = Row("4. pandoc ×50, one after another")
    two = Row("4. pandoc ×50, two at a time")
    decks = 0
    for _ in range(runs):
        for row, jobs in ((j1, "1"), (j2, "2")):
            empty(work / ".yamldeck-cache", work / "out")
            row.add(run_measured([str(script), "build", "-j", jobs, "-q"], work, "batch"))
            decks = len(list((work / "out").glob("*.pptx")))
        if pandoc:
            seq.add(run_pandoc(files, 1))
            two.add(run_pandoc(files, 2))
    if decks != 50:
        raise SystemExit(f"the batch built {decks} decks, not 50")
    rows = [j1, j2]
    if pandoc:
        print(f"pandoc's decks have {slide_count(files[0].with_suffix('.pptx'))} slides, "
              f"yamldeck's {slide_count(work / 'out' / 'data0.pptx')} (full cut)")
        j2.check("≤ pandoc one after another", j2.median / seq.median, 1.0)
        j2.check("≤ pandoc two at a time", j2.median / two.median, 1.0, aim=True)
        rows += [seq, two]
    else:
        print("pandoc is not on PATH: the pandoc rows are skipped")
    memory = Row("5. peak RSS, any one batch process")
    memory.peaks = j1.peaks + j2.peaks
    memory.check("≤ 250 MB per process", memory.peak, 250, shown=f"{memory.peak:.0f} MB")
    return rows + [memory]


# -- 6: scaling -----------------------------------------------------------------------------

def scale_outline(slides: int) -> str:
    """A deck of `slides` slides: the title slide and slides-1 slides of a title, two bullets
    and notes (the smallest outline has one slide: an outline needs at least one)."""
    lines = ["title: 拡張性の測定", "slides:"]
    for n in range(1, slides):
        lines += [f"  - title: スライド {n}",
                  f"    bullets: [売上は前年比 {n % 17 + 1}% 増, 主な要因は海外案件 {n}]",
                  f"    notes: このスライド {n} では要点を二つ述べる。"]
    return "\n".join(lines) + "\n"


def slide_count(deck: Path) -> int:
    import zipfile

    with zipfile.ZipFile(deck) as z:
        return sum(1 for n in z.namelist()
                   if n.startswith("ppt/slides/slide") and n.endswith(".xml"))


def bench_scaling(root: Path, script: Path, runs: int, big: bool) -> list[Row]:
    """Row 6: cold builds of generated decks, interleaved by size; one run of the 10,000."""
    work = root / "scale"
    work.mkdir()
    sizes = (SCALE_STARTUP, *SCALE_SIZES)
    rows = {n: Row(f"6. {n:,} slides" + (" (start-up)" if n == SCALE_STARTUP else ""))
            for n in sizes}
    for n in sizes + ((SCALE_BIG,) if big else ()):
        (work / f"s{n}.yaml").write_text(scale_outline(n), encoding="utf-8")

    def build(n: int) -> Sample:
        empty(work / ".yamldeck-cache", work / "build" / f"s{n}.pptx")
        sample = run_measured([str(script), "build", f"s{n}.yaml", "-q"], work, f"{n} slides")
        if slide_count(work / "build" / f"s{n}.pptx") != n:
            raise SystemExit(f"the {n}-slide deck does not have {n} slides")
        return sample

    for _ in range(runs):
        for n in sizes:
            rows[n].add(build(n))
    startup = rows[SCALE_STARTUP].median

    def per_slide(n: int) -> float:  # seconds per slide beyond the start-up deck
        return (rows[n].median - startup) / (n - SCALE_STARTUP)

    small, large = SCALE_SIZES
    ratio = per_slide(large) / per_slide(small) if per_slide(small) > 0 else float("inf")
    rows[large].check(f"s/slide ≤ 1.5 × at {small:,}", ratio, 1.5,
                      shown=f"{ratio:.2f} ({per_slide(large) * 1e3:.1f}/"
                            f"{per_slide(small) * 1e3:.1f} ms)")
    out = list(rows.values())
    if big:
        row = Row(f"6. {SCALE_BIG:,} slides (1 run)")
        row.add(build(SCALE_BIG))
        row.check("< 60 s", row.median, 60, shown=f"{row.median:.1f} s", strict=True)
        row.check("< 500 MB", row.peak, 500, shown=f"{row.peak:.0f} MB", strict=True)
        out.append(row)
    return out


# -- 7: watch -------------------------------------------------------------------------------

def watch_timing() -> tuple[float | None, float | None]:
    """The watcher's poll interval and debounce: the defaults of watch() in watch.py."""
    tree = ast.parse((REPO / "src" / "yamldeck" / "watch.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "watch":
            args = node.args.args[-len(node.args.defaults):] if node.args.defaults else []
            values = {a.arg: ast.literal_eval(d) for a, d in zip(args, node.args.defaults)
                      if isinstance(d, ast.Constant)}
            return values.get("interval"), values.get("debounce")
    return None, None


class Lines(threading.Thread):
    """Reads a process's stdout, keeping each line's arrival time."""

    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.times: list[float] = []
        self.text: list[str] = []

    def run(self) -> None:
        for line in self.stream:
            self.times.append(time.time())
            self.text.append(line.decode(errors="replace").rstrip())


def _output_id(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
        return st.st_ino, st.st_mtime_ns
    except OSError:
        return None


def _wait(condition, what: str) -> None:
    deadline = time.monotonic() + WATCH_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"watch: timed out waiting for {what}")
        time.sleep(WATCH_POLL_S)


def bench_watch(root: Path, script: Path, runs: int) -> list[Row]:
    """Row 7: save an edited bullet while `yamldeck watch` runs; time the output's replacement.

    "After noticed" subtracts the wait for the watcher's next poll: it polls every
    `interval` s after its last printed line, so the poll that sees the save is estimated as
    the first of (time of that line + k × interval) after the save's mtime (a few ms of
    error). It includes the watcher's debounce."""
    interval, debounce = watch_timing()
    work = make_project(root, "watch")
    output = work / "build" / "deck.pptx"
    proc = subprocess.Popen([str(script), "watch", "deck.yaml"], cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    lines = Lines(proc.stdout)
    lines.start()
    peak = TreePeak(proc.pid)
    peak.start()
    total = Row("7. watch: save → output replaced")
    noticed = Row("7. watch: noticed → output replaced")
    try:
        _wait(lambda: any(t.startswith("[") for t in lines.text) and output.exists(),
              "the first build")
        for i in range(runs):
            time.sleep(random.uniform(0.1, 0.1 + (interval or 0.4)))  # any phase of a poll
            before, printed = _output_id(output), len(lines.times)
            edit_bullet(work / "deck.yaml", i)
            saved = (work / "deck.yaml").stat().st_mtime_ns / 1e9
            _wait(lambda before=before: _output_id(output) != before, "the rebuilt output")
            replaced = time.time()
            _wait(lambda printed=printed: len(lines.times) > printed, "the rebuild's report line")
            total.walls.append(replaced - saved)
            if interval:
                poll = lines.times[printed - 1]
                while poll < saved:
                    poll += interval
                noticed.walls.append(replaced - poll)
    finally:
        peak.done.set()
        peak.join()
        proc.terminate()
        proc.wait(10)
    peak_mb = max(peak.peaks.values(), default=0) / 1024
    total.peaks = noticed.peaks = [peak_mb]
    print(f"watch.py polls every {interval} s and debounces {debounce} s; 'noticed' is the "
          f"poll that saw the save (estimated), so 'noticed → replaced' includes the debounce")
    if not noticed.walls:
        return [total]
    noticed.check("≤ 0.3 s after noticed", noticed.median, 0.3,
                  shown=f"{noticed.median:.3f} s")
    return [total, noticed]


# -- main -----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="runs of each scenario (default 5; 3 with "
                        "--quick)")
    parser.add_argument("--quick", action="store_true", help="3 runs, no 10,000-slide deck")
    parser.add_argument("--json", metavar="OUT", type=Path, help="save the raw figures")
    parser.add_argument("--baseline", metavar="REV", default=DEFAULT_BASELINE,
                        help=f"release to compare the cold build with (default {DEFAULT_BASELINE})")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline row")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    script = yamldeck_script(sys.executable)
    load_start = os.getloadavg()
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="yamldeck-bench-"))
    worktree = None
    try:
        baseline = None
        if not args.no_baseline:
            found = setup_baseline(args.baseline, root)
            if isinstance(found, str):
                print(f"baseline {args.baseline} skipped: {found}")
            else:
                worktree, baseline = found
        rows = bench_single(root, script, runs, baseline)
        rows += bench_batch(root, script, runs, root / "single" / "build" / "deck.pptx")
        rows += bench_scaling(root, script, runs, big=not args.quick)
        rows += bench_watch(root, script, runs)
    finally:
        if worktree:
            remove_worktree(worktree)
        shutil.rmtree(root, ignore_errors=True)
    load_end = os.getloadavg()
    print(f"\nyamldeck benchmark: {runs} runs each, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, baseline {'none' if not baseline else args.baseline}; "
          f"load average {load_start[0]:.2f} at the start, {load_end[0]:.2f} at the end; "
          f"{time.perf_counter() - started:.0f} s in all")
    print("times in seconds; peak MB = the largest peak RSS of any one process of a run; "
          "ratio = median ÷ median of the same run\n")
    print_table(rows)
    checks = [c for r in rows for c in r.checks if not c["aim"]]
    print(f"\n{sum(c['ok'] for c in checks)} of {len(checks)} targets met")
    if args.json:
        args.json.write_text(json.dumps({
            "runs": runs, "cpus": os.cpu_count(), "python": platform.python_version(),
            "baseline": args.baseline if baseline else None,
            "load_start": load_start, "load_end": load_end,
            "rows": [asdict(r) for r in rows]}, indent=2, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
