"""The build as named stages: load → check data → plan → render charts → write.

``check_deck`` runs the stages that need neither matplotlib nor python-pptx; ``build_deck``
adds rendering and writing and imports those libraries only then, and only when the cache
says the output is out of date. ``build_many`` runs a batch on worker processes.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import BuildCache, Stamp, chart_key, write_atomic
from .errors import Diagnostic, Pos, Severity, error
from .outputs import check_output, environment_error, prepare_folder
from .paths import real
from .stamps import (
    MAX_EPOCH,
    MIN_EPOCH,
    file_hash,
    library_versions,
    options_key,
    regular_file,
    source_date_epoch_problem,
)

if TYPE_CHECKING:
    from .background import Drawer
    from .deck import Deck

# The planner, the loader and their dataclasses are imported inside the functions that use
# them: deciding that a deck is up to date needs none of them, and must stay instant.


@dataclass
class BuildResult:
    source: str
    output: Path | None = None
    deck: Deck | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    status: str = "failed"  # checked | built | skipped | failed
    slides: int = 0
    inputs: dict[str, str] = field(default_factory=dict)  # path → sha256
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds
    charts_rendered: int = 0
    charts_cached: int = 0
    chart_keys: list[str] = field(default_factory=list)  # cache keys of the deck's charts
    # What planning measured anew (character widths, line breaks), kept in the cache once
    # the deck is written: (metrics identity, widths or None, line-break rows or None).
    measured: tuple | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed" and not any(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


@dataclass(frozen=True)
class BuildOptions:
    """How one build departs from the outline as written (one meeting's variant)."""

    overlays: tuple[Path, ...] = ()
    sets: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    strict: bool = False  # warnings hold the output back (exit 3)
    charts: str | None = None  # "image" or "native" for every chart; None: each chart's own

    def key(self) -> str:
        """Everything besides input files that changes the output bytes."""
        return options_key(
            self.charts,
            tuple(str(real(p)) for p in self.overlays),
            self.sets,
            self.only,
            self.skip,
        )


def check_deck(
    path: Path, display: str | None = None, options: BuildOptions = BuildOptions()
) -> BuildResult:
    """Load, validate and plan one outline without writing anything."""
    from .cut import cut_outline
    from .data import load_chart_data
    from .deck import plan_deck
    from .design import resolve_design
    from .outline import input_files, load_outline
    from .theme import resolve_theme, template_overrides, theme_from_template, theme_warnings

    started = time.perf_counter()
    result = BuildResult(source=display or str(path))
    from .reads import forget_all, recorded

    forget_all()
    epoch = source_date_epoch_problem()
    if epoch:
        result.diagnostics.append(
            error(
                Pos("SOURCE_DATE_EPOCH"),
                "",
                epoch,
                "unset it, or give whole seconds since 1970 "
                f"between {MIN_EPOCH} (1980) and {MAX_EPOCH} (2099)",
            )
        )
        return result
    outline, problems = load_outline(path, result.source, options.overlays, options.sets)
    result.diagnostics.extend(problems)
    if outline is None:
        return result
    # Hash every input now, before data, images and the template are read: the stamp then
    # holds what this build read (YAML files exactly as read), so a file saved while the
    # build runs makes the next build rebuild instead of calling a stale deck up to date.
    result.inputs = {}
    for p in input_files(outline):
        key = str(p)
        result.inputs[key] = recorded(str(real(p))) or file_hash(p) or ""
    result.diagnostics.extend(theme_warnings(outline.theme))
    data, problems = load_chart_data(outline)
    result.diagnostics.extend(problems)
    info, template = None, None
    if outline.template is not None and not any(d.is_error for d in result.diagnostics):
        from .templates import TemplateError, read_template  # zipfile, ElementTree: 11 ms

        template = str(real(outline.base_dir / outline.template))
        try:
            info = read_template(Path(template))
        except TemplateError as exc:
            result.diagnostics.append(
                error(
                    outline.where["template"],
                    "template",
                    f"cannot use '{outline.template}': {exc}",
                    _template_hint(str(exc)),
                )
            )
    if any(d.is_error for d in result.diagnostics):
        return result
    design, problems = resolve_design(outline, info, template)
    result.diagnostics.extend(problems)
    cut, problems = cut_outline(outline, options.only, options.skip)
    result.diagnostics.extend(problems)
    if any(d.is_error for d in result.diagnostics):
        return result
    declared = (
        (2 if cut.agenda else 1)
        + sum(1 + len(s.slides) for s in cut.sections or ())
        + len(cut.slides or ())
    )
    if declared > MAX_SLIDES:  # said before fitting, which only adds slides
        result.diagnostics.append(
            error(
                Pos(result.source),
                "",
                f"the outline has {declared:,} slides, more than {MAX_SLIDES:,}",
                "split it into several decks (a project file can build them together)",
            )
        )
        return result
    base = theme_from_template(info) if info else None
    theme = resolve_theme(outline.theme, base, outline.base_dir)
    if base is not None:
        replaced = template_overrides(base, theme)
        if replaced:
            result.diagnostics.append(
                Diagnostic(
                    outline.where.get("theme", outline.pos),
                    "replaces the template's " + ", ".join(replaced),
                    "theme",
                    "leave these keys out to keep the template's own fonts and colours",
                    Severity.NOTE,
                )
            )
    from .fit import default_metrics
    from .fitplan import fit_deck

    deck, problems = fit_deck(
        plan_deck(cut, data, design, theme, options.charts), default_metrics()
    )
    result.diagnostics.extend(problems)
    if len(deck.slides) > MAX_SLIDES:
        result.diagnostics.append(
            error(
                Pos(result.source),
                "",
                f"the deck has {len(deck.slides):,} slides, more than {MAX_SLIDES:,}",
                "split it into several decks (a project file can build them together)",
            )
        )
        return result
    result.deck = deck
    result.slides = len(result.deck.slides)
    result.status = "checked"
    result.timings["check"] = time.perf_counter() - started
    return result


def _template_hint(reason: str) -> str:
    if any(
        word in reason
        for word in ("larger than", "more than", "at most", "inflates", "compress", "pixels")
    ):
        return (
            "make the template smaller: in PowerPoint, File → Compress Pictures, and "
            "remove unused layouts and media"
        )
    return "open it in PowerPoint and save it again as .pptx (or .potx)"


# Writing is linear (writer/pptxfast.py), about 4 ms a slide; a deck larger than this is
# better split into several (README "Limits").
MAX_SLIDES = 10_000


class PendingCharts:
    """Charts drawn in the background: stand-ins now, the real pictures at save time."""

    def __init__(
        self,
        drawing,
        charts: list,
        stand_ins: list[bytes],
        deck: Deck,
        cache: BuildCache | None,
        keys: dict,
        result: BuildResult,
    ):
        self.drawing, self.charts, self.stand_ins = drawing, charts, stand_ins
        self.deck, self.cache, self.keys, self.result = deck, cache, keys, result

    def finish(self) -> dict[bytes, bytes]:
        """Stand-in bytes → picture bytes; draws here whatever the child could not."""
        pictures = self.drawing.result()
        if pictures is None:
            pictures = [
                _draw(c, self.deck, self.cache, self.keys[c], self.result) for c in self.charts
            ]
        else:
            for chart, png in zip(self.charts, pictures):
                self.result.charts_rendered += 1
                if self.cache:
                    self.cache.put_chart(self.keys[chart], png)
                    self.cache.release_chart(self.keys[chart])
        return dict(zip(self.stand_ins, pictures))

    def abandon(self) -> None:
        self.drawing.abandon()
        if self.cache:
            for chart in self.charts:
                self.cache.release_chart(self.keys[chart])


def render_charts(
    deck: Deck,
    cache: BuildCache | None,
    result: BuildResult,
    force: float = 0.0,
    drawer: Drawer | None = None,
    background: bool = False,
) -> tuple[dict, PendingCharts | None]:
    """Each planned chart's PNG, drawn once per batch whatever the number of workers.

    A chart in the cache is used as it is (with ``force``, the start time of a --force
    batch, only if drawn during this batch). One that is not is claimed first: a worker
    draws the charts it claimed, then waits for those another worker is drawing. With a
    ``drawer`` (a forked child, already importing matplotlib), the charts this build must
    draw are drawn there while the slides are written: they get stand-ins here, and the
    PendingCharts swaps them. A drawer with nothing to draw is sent away; with
    ``background`` and no drawer, one is started here if there is something to draw.
    """
    from .shapes import Picture

    images: dict = {}
    wanted = []
    for page in deck.pages:  # the charts as placed, in the colours of their slides
        for shape in page.shapes:
            if isinstance(shape, Picture) and shape.chart is not None and shape.chart not in wanted:
                wanted.append(shape.chart)
    keys = {chart: chart_key(chart, deck.theme) for chart in wanted}
    result.chart_keys = list(keys.values())
    mine, waiting = [], []
    for chart in wanted:
        png = cache.get_chart(keys[chart], force) if cache else None
        if png is not None:
            result.charts_cached += 1
            images[chart] = png
        elif cache is None or cache.claim_chart(keys[chart]):
            mine.append(chart)
        else:
            waiting.append(chart)
    pending = None
    if mine and drawer is None and background:
        from .background import can_fork, start_drawer

        drawer = start_drawer() if can_fork() else None
    if mine and drawer is not None:
        from .background import stand_in

        stand_ins = [stand_in(i) for i in range(len(mine))]
        pending = PendingCharts(
            drawer.draw(mine, deck.theme), mine, stand_ins, deck, cache, keys, result
        )
        images.update(zip(mine, stand_ins))
        mine = []
    elif drawer is not None:
        drawer.abandon()  # nothing to draw: every chart was cached (or there is none)
    for chart in mine:
        images[chart] = _draw(chart, deck, cache, keys[chart], result)
    for chart in waiting:
        png = cache.wait_chart(keys[chart], force) if cache else None
        if png is not None:
            result.charts_cached += 1
            images[chart] = png
        else:
            images[chart] = _draw(chart, deck, cache, keys[chart], result)
    return images, pending


def _draw(chart, deck: Deck, cache: BuildCache | None, key: str, result: BuildResult) -> bytes:
    from .charts import render_chart

    try:
        png = render_chart(chart, deck.theme)
        result.charts_rendered += 1
        if cache:
            cache.put_chart(key, png)
    finally:
        if cache:
            cache.release_chart(key)
    return png


def build_deck(
    path: Path,
    output: Path,
    display: str | None = None,
    options: BuildOptions = BuildOptions(),
    cache: BuildCache | None = None,
    force: bool | float = False,
    explicit: bool = False,
    background: bool = False,
) -> BuildResult:
    """Build one outline into ``output``; on any error the existing output is left untouched.

    With a cache, an output whose inputs are unchanged is left as it is (status "skipped").
    ``explicit``: the user typed the output path (``-o``), so its folder must exist unless it
    lies below the current folder. ``background``: draw charts on another core (a forked
    child) while the slides are written; only when no other worker uses that core.
    """
    started = time.perf_counter()
    if cache is not None and not force:
        stamp = cache.up_to_date(output, options.key())
        if stamp is not None:
            return BuildResult(
                source=display or str(path),
                output=output,
                status="skipped",
                slides=stamp.slides,
                inputs=stamp.inputs,
                diagnostics=[_diagnostic(d) for d in stamp.warnings],  # type: ignore[arg-type]
                timings={"total": time.perf_counter() - started},
            )
    drawer = None
    last = cache.read_stamp(output) if cache is not None else None
    if background and _charts_to_draw(cache, last):
        from .background import can_fork, start_drawer

        if can_fork():  # matplotlib is imported there while the deck is loaded and planned
            drawer = start_drawer()
    beside = background and drawer is None and _plan_beside(last)
    try:
        return _build_checked(
            path, output, display, options, cache, force, explicit, drawer, background, beside, last
        )
    finally:
        if drawer is not None:
            drawer.abandon()  # a no-op once its pictures were taken


def _charts_to_draw(cache: BuildCache | None, last: Stamp | None) -> bool:
    """Whether this build will likely draw charts, so that a drawer should start at once.

    The last build of the output recorded its charts: when their entries are all still
    there (an edited bullet), starting matplotlib at once would only take a core from the
    build. A drawer is still started after planning if a chart turns out to be missing.
    """
    if cache is None:
        return True
    return last is None or not cache.has_charts(last.charts)


#: The largest deck whose plan is made in a forked child while this process imports the
#: writer: pickling the plan back costs about 0.1 ms a slide, the overlap saves some 50 ms.
MAX_BESIDE_SLIDES = 300


def _plan_beside(last: Stamp | None) -> bool:
    """Whether to plan the deck in a forked child while this process imports python-pptx
    and the writer: a deck built before (an edit; a cold build forks a chart drawer
    instead), not too large, in a process that has not imported the writer yet."""
    if last is None or last.slides > MAX_BESIDE_SLIDES or "yamldeck.writer" in sys.modules:
        return False
    from .background import can_fork

    return can_fork()


def _check(
    path: Path,
    display: str | None,
    options: BuildOptions,
    cache: BuildCache | None,
    output: Path | None = None,
) -> BuildResult:
    """check_deck with what the cache kept of the last build's measuring; what this one
    measured anew is in the result, for _keep."""
    metrics = _learn(cache, output)
    result = check_deck(path, display, options)
    result.measured = _measured(cache, output, metrics)
    return result


def _check_beside(
    path: Path,
    display: str | None,
    options: BuildOptions,
    cache: BuildCache | None,
    output: Path,
    meanwhile: Callable[[], None],
) -> BuildResult | None:
    """check_deck run in a forked child while this process imports the writer and runs
    ``meanwhile``; None when the child could not be forked or failed (the caller then
    checks here)."""
    from .background import start_beside

    pending = start_beside(lambda: _check(path, display, options, cache, output))
    if pending is None:
        return None
    try:
        from . import writer  # noqa: F401  # the import the child's planning overlaps

        meanwhile()
    except BaseException:  # Ctrl-C, or a bug: the child must not outlive the build
        pending.abandon()
        raise
    return pending.result()


def _previous(last: Stamp | None, output: Path):
    """The output the last build wrote (``last`` its stamp), to take its unchanged slides
    from, if it is still exactly that file (its bytes match the stamp's hash) and the stamp
    lists its slides."""
    if last is None or not last.pages or not regular_file(output):
        return None  # (a FIFO put in its place would block the read)
    try:
        package = output.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(package).hexdigest() != last.output_hash:
        return None  # changed since (opened and saved elsewhere): write every slide
    from .writer.replay import Previous

    return Previous(package, last.pages, last.versions == library_versions())


def _learn(cache: BuildCache | None, output: Path | None):
    """The process's font metrics, given the widths the cache kept (read once per
    process) and the line breaks of the last build of ``output``."""
    from .fit import default_metrics, forget_used, learn_wraps

    metrics = default_metrics()
    if cache is not None and not metrics.known():
        metrics.learn(cache.read_widths(metrics.identity()))
    forget_used()
    if cache is not None and output is not None:
        learn_wraps(cache.read_wraps(output, metrics.identity()), metrics)
    return metrics


def _measured(cache: BuildCache | None, output: Path | None, metrics) -> tuple | None:
    """What this build measured that the cache does not hold yet (see BuildResult)."""
    from .fit import used_wraps

    if cache is None or output is None:
        return None
    # Measured anew, or known in this process (a watch, a batch worker) but not in this
    # cache (a new one, or cleaned since). Line breaks depend on the same identity as the
    # widths: the code that makes them, the libraries and the fonts.
    identity = metrics.identity()
    fresh = metrics.measured or not cache.widths_path(identity).exists()
    widths = metrics.known() if fresh else None
    rows = used_wraps(metrics, always=not cache.wraps_path(output).exists())
    if widths is None and rows is None:
        return None
    return identity, widths, rows


def _keep(cache: BuildCache, output: Path, measured: tuple | None) -> None:
    """Keep what planning measured anew, for the next build (after the deck is written:
    a build that fails or is refused writes nothing into the cache)."""
    if measured is None:
        return
    identity, widths, rows = measured
    if widths is not None:
        cache.write_widths(identity, widths)
        from .fit import default_metrics

        default_metrics().measured = 0  # kept (when planned in this process)
    if rows is not None:
        cache.write_wraps(output, identity, rows)


def _build_checked(
    path: Path,
    output: Path,
    display: str | None,
    options: BuildOptions,
    cache: BuildCache | None,
    force: bool | float,
    explicit: bool,
    drawer: Drawer | None,
    background: bool,
    beside: bool = False,
    last: Stamp | None = None,
) -> BuildResult:
    """``last``: the stamp of the output's last build (build_deck read it)."""
    started = time.perf_counter()
    previous: list = []  # the last output, read while the child plans

    def read_previous() -> None:
        from .writer import prepare

        if last is not None:  # the package it starts from: the template as last checked
            prepare(last.template or None, set(last.inputs.values()))
        previous.append(_previous(last, output) if not force else None)
        if previous[0] is not None:
            previous[0].preload()

    result = _check_beside(path, display, options, cache, output, read_previous) if beside else None
    if result is None:
        result = _check(path, display, options, cache, output)
    if not result.ok or result.deck is None:
        result.status = "failed"
        return result
    if options.strict and result.warnings:
        result.status = "strict"
        return result
    refusal = check_output(output, [Path(p) for p in result.inputs])
    if refusal:
        result.diagnostics.append(refusal)
        result.status = "failed"
        return result
    from .gcpause import resume
    from .templates import TemplateError
    from .writer import write_pptx

    resume()

    mark = time.perf_counter()
    since = (force if isinstance(force, float) else time.time()) if force else 0.0
    images, pending = render_charts(result.deck, cache, result, since, drawer, background)
    result.timings["charts"] = time.perf_counter() - mark
    mark = time.perf_counter()
    left_out: list[str] = []  # what the template had that the deck leaves out
    pages: list[list] = []  # each slide's digest and parts, for the next build
    try:
        data = write_pptx(
            result.deck,
            images,
            left_out,
            pending.finish if pending else None,
            previous[0] if previous else _previous(last, output) if not force else None,
            pages,
        )
    except TemplateError as exc:
        result.diagnostics.append(
            error(
                Pos(result.deck.design.template or ""),
                "template",
                f"cannot use this template: {exc}",
                "open it in PowerPoint and save it again as .pptx",
            )
        )
        result.status = "failed"
        return result
    finally:
        if pending is not None:
            pending.abandon()  # a no-op once its pictures were taken
    result.diagnostics.extend(
        Diagnostic(Pos(result.deck.design.template or ""), note, "template", severity=Severity.NOTE)
        for note in left_out
    )
    try:
        prepare_folder(output, anywhere=not explicit)
        write_atomic(output, data)  # a temporary file in the same folder, then a rename
    except OSError as exc:
        result.diagnostics.append(environment_error(exc, output))
        result.status = "failed"
        return result
    result.timings["write"] = time.perf_counter() - mark
    if cache is not None:
        cache.write_stamp(
            output,
            Stamp(
                output=str(output),
                output_hash=hashlib.sha256(data).hexdigest(),
                inputs=result.inputs,
                options=options.key(),
                versions=library_versions(),
                slides=result.slides,
                warnings=[asdict(d) for d in result.warnings],  # type: ignore[misc]
                charts=result.chart_keys,
                pages=pages,
                template=result.deck.design.template or "",
            ),
        )
        _keep(cache, output, result.measured)
        result.diagnostics.extend(
            Diagnostic(Pos(str(cache.root)), p, severity=Severity.NOTE) for p in cache.problems
        )
    result.measured = None
    result.output = output
    result.status = "built"
    result.timings["total"] = time.perf_counter() - started
    return result


def _diagnostic(data: dict) -> Diagnostic:
    return Diagnostic.from_dict(data)


# ---------------------------------------------------------------------------- batches


@dataclass(frozen=True)
class Task:
    """One deck of a batch: an outline, its variant options and where it goes."""

    outline: Path
    output: Path
    options: BuildOptions = BuildOptions()
    display: str = ""
    explicit: bool = False  # the output path was typed by the user (-o)


def _stop(signum, frame) -> None:
    """SIGTERM in a worker (the batch was interrupted): remove the temporary file of a write
    in progress and exit at once. Nothing is raised, so no library code can swallow it and
    carry on, and no worker prints a traceback."""
    from .cache import forget_temporaries

    forget_temporaries()
    os._exit(130)


def _worker_init() -> None:
    import signal

    # Ctrl-C reaches the whole process group: the parent alone decides, and stops the
    # workers with SIGTERM (no traceback from each of them, no deck started after it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)


def _run_task(
    task: Task, cache_dir: Path | None, force: bool | float, background: bool = False
) -> BuildResult:
    cache = BuildCache(cache_dir) if cache_dir is not None else None
    try:
        result = build_deck(
            task.outline,
            task.output,
            task.display or str(task.outline),
            task.options,
            cache,
            force,
            task.explicit,
            background,
        )
    except OSError as exc:  # the machine's problem (disk, permissions), not a yamldeck bug
        result = BuildResult(source=task.display or str(task.outline))
        result.diagnostics.append(environment_error(exc, task.output, "access"))
    except MemoryError:
        result = BuildResult(source=task.display or str(task.outline))
        result.diagnostics.append(error(Pos(result.source), "", "out of memory"))
    except Exception as exc:  # a bug; report it against this deck, keep the batch going
        import traceback

        result = BuildResult(source=task.display or str(task.outline))
        result.diagnostics.append(
            error(
                Pos(result.source),
                "",
                f"internal error: {type(exc).__name__}: {exc}",
                "this is a yamldeck bug; please report it with the outline\n"
                + traceback.format_exc(),
            )
        )
    return replace(result, deck=None)  # the planned deck stays in the worker


def build_many(
    tasks: list[Task],
    jobs: int,
    cache_dir: Path | None,
    force: bool = False,
    on_done: Callable[[BuildResult, int, int], None] | None = None,
    on_start: Callable[[Task], None] | None = None,
) -> list[BuildResult]:
    """Build every task, on ``jobs`` worker processes; results come back in task order.

    With ``force``, every deck is rebuilt and every chart drawn again, once for the batch.
    """
    forced: bool | float = time.time() if force else False
    results: list[BuildResult | None] = [None] * len(tasks)
    done = 0
    if jobs <= 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            if on_start:
                on_start(task)
            results[i] = _run_task(task, cache_dir, forced, background=True)
            done += 1
            if on_done:
                on_done(results[i], done, len(tasks))  # type: ignore[arg-type]
        return [r for r in results if r is not None]
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_worker_init)
    try:
        futures = {
            pool.submit(_run_task, task, cache_dir, forced): i for i, task in enumerate(tasks)
        }
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except BrokenProcessPool:  # a worker was killed (out of memory, kill -9)
                broken = BuildResult(source=tasks[i].display or str(tasks[i].outline))
                results[i] = broken
                broken.diagnostics.append(
                    error(
                        Pos(broken.source),
                        "",
                        "the worker process building this deck "
                        "ended abruptly (out of memory, or killed); nothing was written for it",
                    )
                )
            done += 1
            if on_done:
                on_done(results[i], done, len(tasks))  # type: ignore[arg-type]
    except BaseException:  # Ctrl-C (or a crash): start no further deck, stop the workers
        _stop_workers(pool)
        raise
    pool.shutdown()
    return [r for r in results if r is not None]


def _stop_workers(pool) -> None:
    """Cancel what has not started and end the workers; each removes its temporary file."""
    # The executor offers no way to stop running calls; its worker list is the way in.
    running = getattr(pool, "_processes", None)
    processes = list(running.values()) if isinstance(running, dict) else []
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    for process in processes:
        try:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
        except (OSError, ValueError, AttributeError, AssertionError):
            pass
