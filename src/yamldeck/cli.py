"""The `yamldeck` command: a thin layer that prints results and picks exit codes.

Exit codes: 0 built or valid; 1 an outline or its data is wrong; 2 usage error;
3 only warnings, with --strict. Heavy libraries are imported by the build stage only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .console import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    INTERRUPTED,
    MAX_JOBS,
    Progress,
    run_builds,
)
from .console import cpus as _cpus
from .console import echo as _echo
from .console import exit_code as _exit_code
from .console import report as _report
from .console import usable_cache as _usable_cache


def _regular_files(ctx, param, value):
    """Files named on the command line must be regular files: a FIFO would block the read
    forever and a device (a link to /dev/zero) never ends."""
    import stat

    values = value if isinstance(value, tuple) else (value,)
    for item in values:
        if item is None:
            continue
        try:
            mode = os.stat(item).st_mode
        except OSError as exc:
            raise click.BadParameter(f"cannot read '{item}': {exc.strerror or exc}") from None
        if not stat.S_ISREG(mode):
            raise click.BadParameter(f"'{item}' is not a regular file")
    return value


def _decks(decks: tuple[str, ...]) -> list[Path]:
    if decks:
        return [Path(d) for d in decks]
    default = Path("deck.yaml")
    if not default.is_file():
        raise click.UsageError("no DECK given and no deck.yaml in this folder")
    return [default]


class _Group(click.Group):
    """Ctrl-C ends any command with one line and exit 130, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _echo(INTERRUPTED, err=True)
            sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="yamldeck")
def main() -> None:
    """Compile YAML outlines into designed 16:9 PowerPoint decks."""


def variant_options(func):
    """--set, --with, --only and --skip: one meeting's variant of an outline."""
    options = [
        click.option(
            "--set",
            "sets",
            multiple=True,
            metavar="PATH=VALUE",
            help="Set a value by dotted path, e.g. --set date=2025-10-02.",
        ),
        click.option(
            "--with",
            "overlays",
            multiple=True,
            metavar="OVERLAY.yaml",
            type=click.Path(exists=True, dir_okay=False),
            callback=_regular_files,
            help="Deep-merge an overlay file onto the outline (repeatable).",
        ),
        click.option(
            "--only", multiple=True, metavar="TAG", help="Keep only slides tagged TAG (repeatable)."
        ),
        click.option(
            "--skip",
            multiple=True,
            metavar="TAG",
            help="Drop slides and sections tagged TAG (repeatable).",
        ),
        click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 3)."),
        click.option(
            "--charts",
            type=click.Choice(["image", "native"]),
            default=None,
            help="Draw every chart as a picture or as an editable PowerPoint chart.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _options(sets, overlays, only, skip, charts=None):
    from .build import BuildOptions

    return BuildOptions(
        overlays=tuple(Path(o) for o in overlays),
        sets=tuple(sets),
        only=tuple(only),
        skip=tuple(skip),
        charts=charts,
    )


def _tasks(decks: tuple[str, ...], output: str | None, options, writes: bool = True) -> list:
    """Outlines, globs, folders and project files to one list of build tasks."""
    from .build import Task
    from .paths import MAX_DECKS, PROJECT_NAMES, expand

    if not decks:
        project = next((Path(n) for n in PROJECT_NAMES if Path(n).is_file()), None)
        decks = (str(project),) if project else (str(_decks(())[0]),)
    outlines, projects, problems = expand(decks)
    if problems:
        raise click.UsageError(
            "; ".join(problems[:5])
            + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        )
    if len(outlines) > MAX_DECKS:
        raise click.UsageError(
            f"{len(outlines):,} decks given; one run builds at most "
            f"{MAX_DECKS:,} (build them in several runs)"
        )
    tasks = [Task(p, Path("build") / f"{p.stem}.pptx", options, str(p)) for p in outlines]
    for project in projects:
        from .project import load_project

        found, diagnostics = load_project(project)
        for d in diagnostics:
            _echo(d.format(), err=True)
        if any(d.is_error for d in diagnostics):
            sys.exit(EXIT_INVALID)
        tasks.extend(found)
        if len(tasks) > MAX_DECKS:
            raise click.UsageError(
                f"{len(tasks):,} decks given; one run builds at most "
                f"{MAX_DECKS:,} (build them in several runs)"
            )
    tasks = _one_output_each(tasks, writes)
    if output is not None:
        if not output.strip():
            raise click.UsageError("-o/--output is empty")
        if len(tasks) != 1:
            raise click.UsageError("-o/--output takes a single DECK")
        tasks[0] = type(tasks[0])(
            tasks[0].outline, Path(output), tasks[0].options, tasks[0].display, explicit=True
        )
    return tasks


def _one_output_each(tasks: list, writes: bool) -> list:
    """The same deck named twice (a glob and its file) is built once; two different decks
    that would write one output (a/deck.yaml and b/deck.yaml) are refused: one would
    silently replace the other."""
    from .paths import real

    seen: dict = {}
    kept = []
    for task in tasks:
        try:
            key = real(task.output)
            same = (real(task.outline), task.options)
        except (OSError, RuntimeError):
            kept.append(task)
            continue
        if key in seen:
            if seen[key][0] == same:
                continue
            if not writes:  # check: nothing is written, both are checked
                kept.append(task)
                continue
            raise click.UsageError(
                f"'{seen[key][1]}' and '{task.display}' would both write "
                f"{task.output}; build them one at a time with -o, or "
                "name their outputs in a project file"
            )
        seen[key] = (same, task.display)
        kept.append(task)
    return kept


def _check_manifest(path: str, tasks) -> None:
    """Refuse, before building, a manifest path that would replace an input or a deck."""
    try:
        _check_manifest_path(path, tasks)
    except OSError as exc:
        from .outputs import environment_error

        raise click.UsageError(environment_error(exc, Path(path)).message) from None


def _check_manifest_path(path: str, tasks) -> None:
    if not path.strip():
        raise click.UsageError("--manifest is empty")
    target = Path(path)
    if target.suffix.lower() != ".json":
        raise click.UsageError(f"--manifest '{path}' does not end in .json")
    from .paths import real

    resolved = real(target)
    taken = {real(t.outline) for t in tasks} | {real(t.output) for t in tasks}
    taken |= {real(o) for t in tasks for o in t.options.overlays}
    if resolved in taken:
        raise click.UsageError(f"--manifest '{path}' is an input or output of this build")
    if resolved.is_dir():
        raise click.UsageError(f"--manifest '{path}' is a folder")
    if resolved.exists() and not resolved.is_file():
        raise click.UsageError(f"--manifest '{path}' is not a regular file")
    if resolved.exists():
        import json

        try:
            with open(resolved, "rb") as handle:
                ours = '"yamldeck"' in handle.read(200).decode("utf-8", "replace")
            ours = ours and "yamldeck" in json.loads(resolved.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            ours = False
        if not ours:
            raise click.UsageError(
                f"--manifest '{path}' exists and is not a yamldeck "
                "manifest; refusing to overwrite it"
            )


def _portable(path: Path) -> str:
    """A path as every machine running the same command in its own checkout names it."""
    import os

    try:
        return Path(
            os.path.relpath(os.path.realpath(path), os.path.realpath(Path.cwd()))
        ).as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_posix()


def _write_manifest(
    path: str,
    tasks,
    results,
    positions: list[int] | None = None,
    shard: tuple[int, int] | None = None,
    batch: str = "",
) -> None:
    import json

    from . import __version__
    from .cache import write_atomic

    decks = []
    for i, (task, result) in enumerate(zip(tasks, results)):
        decks.append(
            {
                "position": positions[i] if positions else i,
                "source": str(task.outline),
                "label": task.display,
                "output": str(task.output),
                "status": result.status,
                "slides": result.slides,
                "options": json.loads(task.options.key()),
                "inputs": result.inputs,
                "warnings": [d.format() for d in result.warnings],
                "errors": [d.format() for d in result.diagnostics if d.is_error],
                "timings": {k: round(v, 4) for k, v in result.timings.items()},
                "charts": {"rendered": result.charts_rendered, "cached": result.charts_cached},
            }
        )
    data: dict = {"yamldeck": __version__, "batch": batch}
    if shard:
        data["shard"] = {"index": shard[0], "of": shard[1]}
    data["decks"] = decks
    from .outputs import prepare_folder

    prepare_folder(Path(path), anywhere=False)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    # A file name that is not UTF-8 stays a JSON escape (\udcff), not a crash.
    write_atomic(Path(path), text.encode("utf-8", "backslashreplace"))


@main.command()
@click.argument("decks", nargs=-1)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Output file (only with a single DECK)."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, MAX_JOBS),
    default=None,
    help=f"Worker processes for a batch, 1-{MAX_JOBS} (default: the CPU count).",
)
@click.option("--force", is_flag=True, help="Rebuild even what is up to date.")
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False),
    default=".yamldeck-cache",
    show_default=True,
    help="Cache folder.",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False),
    help="Write a JSON report of every deck: inputs, hashes, status, timings.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("-v", "--verbose", is_flag=True, help="Print stage timings and cache use.")
@click.option("--pdf", is_flag=True, help="Also write a PDF beside each deck (LibreOffice).")
@click.option(
    "--shard",
    metavar="K/N",
    help="Build only the K-th of N stable parts of the batch (K from 1), to "
    "spread a batch over machines.",
)
@variant_options
def build(
    decks: tuple[str, ...],
    output: str | None,
    jobs: int | None,
    force: bool,
    cache_dir: str,
    manifest: str | None,
    quiet: bool,
    verbose: bool,
    pdf: bool,
    shard: str | None,
    strict: bool,
    sets,
    overlays,
    only,
    skip,
    charts,
) -> None:
    """Build DECK(s) into build/<name>.pptx: outlines, globs, folders or yamldeck.yaml.

    With no DECK: ./yamldeck.yaml if there is one, else ./deck.yaml. Decks whose inputs
    are unchanged are left as they are.
    """
    tasks = _tasks(decks, output, _options(sets, overlays, only, skip, charts))
    if strict:
        from dataclasses import replace

        tasks = [replace(t, options=replace(t.options, strict=True)) for t in tasks]
    from .shard import batch_id, parse_shard, shard_of

    batch = batch_id([(t.display, _portable(t.output)) for t in tasks])
    positions = list(range(len(tasks)))
    part = None
    if shard is not None:
        try:
            part = parse_shard(shard)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--shard") from None
        positions = [
            i
            for i, t in enumerate(tasks)
            if shard_of(t.display, _portable(t.output), part[1]) == part[0]
        ]
        tasks = [tasks[i] for i in positions]
    results, code = run_builds(
        tasks,
        jobs or _cpus(),
        cache_dir,
        force,
        quiet,
        verbose,
        strict,
        before=(lambda: _check_manifest(manifest, tasks)) if manifest is not None else None,
    )
    if manifest is not None:
        try:
            _write_manifest(manifest, tasks, results, positions, part, batch)
        except OSError as exc:
            from .outputs import environment_error

            _echo(environment_error(exc, Path(manifest)).format(), err=True)
            code = max(code, EXIT_INVALID)
    if pdf:
        code = max(code, _previews(results, jobs or _cpus(), sheet=False, quiet=quiet))
    sys.exit(code)


def _previews(results, jobs: int, sheet: bool, quiet: bool, pdf: Path | None = None) -> int:
    """PDF (and contact sheet) for each built or up-to-date deck, LibreOffice runs in parallel."""
    from concurrent.futures import ThreadPoolExecutor

    from .preview import PreviewError, contact_sheet, soffice, to_pdf

    try:
        soffice()
    except PreviewError as exc:
        _echo(f"error: {exc}", err=True)
        return EXIT_INVALID
    done = [r for r in results if r.output is not None and r.status in ("built", "skipped")]

    def one(result):
        made = [to_pdf(result.output, pdf)]
        if sheet:
            made.append(contact_sheet(made[0]))
        return made

    failed = 0
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for result, future in zip(done, [pool.submit(one, r) for r in done]):
            try:
                for path in future.result():
                    if not quiet:
                        _echo(f"wrote {path}")
            except PreviewError as exc:
                failed += 1
                _echo(f"{result.source}: error: {exc}", err=True)
    return EXIT_INVALID if failed else 0


@main.command("merge-manifests")
@click.argument("manifests", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The merged manifest (.json).",
)
def merge_manifests_command(manifests: tuple[str, ...], output: str) -> None:
    """Merge the --manifest files of a batch built with --shard into one."""
    import json

    from .cache import write_atomic
    from .shard import merge_manifests

    loaded = []
    for path in manifests:
        try:
            loaded.append(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            _echo(f"{path}: error: not a yamldeck manifest ({exc})", err=True)
            sys.exit(EXIT_INVALID)
    try:
        merged = merge_manifests(loaded)
    except (ValueError, KeyError, TypeError) as exc:
        _echo(f"error: cannot merge: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    if os.path.realpath(output) in {os.path.realpath(m) for m in manifests}:
        raise click.UsageError("-o must not be one of the manifests being merged")
    _check_manifest(output, [])
    write_atomic(Path(output), (json.dumps(merged, ensure_ascii=False, indent=2) + "\n").encode())
    _echo(f"wrote {output} ({len(merged['decks'])} decks)")


@main.command()
@click.argument("decks", nargs=-1)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The PDF to write (only with a single DECK); the contact sheet goes "
    "beside it as NAME-sheet.png.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, MAX_JOBS),
    default=None,
    help=f"Parallel builds and LibreOffice runs, 1-{MAX_JOBS} (default: the CPU count).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False),
    default=".yamldeck-cache",
    show_default=True,
    help="Cache folder.",
)
@variant_options
def preview(
    decks: tuple[str, ...],
    output: str | None,
    jobs: int | None,
    cache_dir: str,
    strict: bool,
    sets,
    overlays,
    only,
    skip,
    charts,
) -> None:
    """Build if needed, then render each deck to PDF and a PNG contact sheet.

    A DECK may also be a .pptx, which is previewed as it is, without building. With
    --only, --skip, --set, --with or --charts the deck is built as build/NAME-preview.pptx,
    so a cut preview never replaces the full deck.
    """
    from dataclasses import replace

    from .build import BuildResult, build_many

    pptx = [d for d in decks if d.lower().endswith(".pptx")]
    if pptx and len(pptx) != len(decks):
        raise click.UsageError("give either .pptx files or outlines, not both")
    if output is not None:
        if len(decks) > 1:
            raise click.UsageError("-o/--output takes a single DECK")
        if not output.lower().endswith(".pdf"):
            raise click.UsageError(f"-o '{output}' does not end in .pdf")
    workers = jobs or _cpus()
    if pptx:
        missing = [p for p in pptx if not Path(p).is_file()]
        if missing:
            raise click.UsageError(f"no such file: '{missing[0]}'")
        results = [BuildResult(source=p, output=Path(p), status="skipped") for p in pptx]
        code = 0
    else:
        tasks = _tasks(decks, None, _options(sets, overlays, only, skip, charts))
        if output is not None and len(tasks) != 1:
            raise click.UsageError("-o/--output takes a single DECK")
        if sets or overlays or only or skip or charts:
            tasks = [
                replace(t, output=t.output.with_name(f"{t.output.stem}-preview.pptx"))
                for t in tasks
            ]
        from .paths import real

        if output is not None and any(
            real(output) in {real(t.outline), real(t.output)} for t in tasks
        ):
            raise click.UsageError(f"-o '{output}' is an input or output of this build")
        progress = Progress(len(tasks), False, False)
        results = build_many(tasks, workers, _usable_cache(cache_dir), on_done=progress.done)
        code = _exit_code(results, strict)
    pdf = Path(output) if output else None
    sys.exit(max(code, _previews(results, workers, sheet=True, quiet=False, pdf=pdf)))


@main.command()
@click.argument("decks", nargs=-1)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False),
    default=".yamldeck-cache",
    show_default=True,
    help="Cache folder.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@variant_options
def watch(
    decks: tuple[str, ...],
    cache_dir: str,
    quiet: bool,
    strict: bool,
    sets,
    overlays,
    only,
    skip,
    charts,
) -> None:
    """Rebuild DECK(s) whenever their files change; errors are printed, not fatal.

    Each problem is printed once per change: a save that changes nothing repeats nothing.
    """
    from datetime import datetime

    from .watch import watch as run_watch

    tasks = _tasks(decks, None, _options(sets, overlays, only, skip, charts))
    progress = Progress(1, quiet, False)
    shown: dict[str, tuple[str, list[str]]] = {}

    def report(result) -> None:
        problems = [
            d.format() for d in result.diagnostics if not (quiet and d.severity.value == "note")
        ]
        key = "failed" if not result.ok else "ok"
        if shown.get(result.source) == (key, problems) and result.status == "skipped":
            return  # up to date with the same outcome as last time: say nothing again
        shown[result.source] = (key, problems)
        for line in problems:
            _echo(line, err=True)
        if not quiet:
            stamp = datetime.now().strftime("%H:%M:%S")
            _echo(f"[{stamp}] {progress.line(result)}")

    if not quiet:
        _echo(f"watching {len(tasks)} deck(s); Ctrl-C to stop")
    try:
        run_watch(tasks, _usable_cache(cache_dir), report, stop=lambda: False)
    except KeyboardInterrupt:
        if not quiet:
            _echo("stopped")


@main.command()
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False),
    default=".yamldeck-cache",
    show_default=True,
    help="Cache folder.",
)
def clean(cache_dir: str) -> None:
    """Delete the build cache (stamps and chart pictures); nothing else, ever.

    Only a folder yamldeck made (it holds a CACHEDIR.TAG file) is deleted.
    """
    from .cache import BuildCache, CacheError

    try:
        removed = BuildCache(Path(cache_dir)).clean()
    except CacheError as exc:
        _echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    except OSError as exc:
        _echo(f"error: cannot clean '{cache_dir}': {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INVALID)
    _echo(f"removed {removed} cached files from {cache_dir}")


@main.command()
@click.argument("decks", nargs=-1)
@variant_options
def check(decks: tuple[str, ...], strict: bool, sets, overlays, only, skip, charts) -> None:
    """Validate and plan DECK(s) without writing anything (same DECKs as build)."""
    from .build import check_deck

    results = []
    for task in _tasks(decks, None, _options(sets, overlays, only, skip, charts), writes=False):
        result = check_deck(task.outline, task.display, task.options)
        _report(result)
        if result.ok and result.deck is not None:
            if strict and result.warnings:
                _echo(f"{task.display}: {len(result.warnings)} warning(s), failing under --strict")
            else:
                _echo(f"{task.display}: ok ({len(result.deck.slides)} slides)")
        results.append(result)
    sys.exit(_exit_code(results, strict))


@main.command()
@click.argument("template", type=click.Path(exists=True, dir_okay=False), callback=_regular_files)
def inspect(template: str) -> None:
    """List a template's layouts and placeholders, for writing `layouts:`."""
    from .templates import TemplateError, read_template

    try:
        info = read_template(Path(template))
    except TemplateError as exc:
        _echo(f"{template}: error: cannot use '{template}': {exc}", err=True)
        sys.exit(EXIT_INVALID)
    _echo(
        f"{template}: {info.width:.2f} × {info.height:.2f} in, {info.masters} "
        f"master{'s' if info.masters > 1 else ''}, {len(info.layouts)} layouts"
    )
    first: dict[str, tuple[int, int]] = {}
    for lay in info.layouts:
        first.setdefault(lay.name, lay.key)
    for lay in info.layouts:
        if lay.index == 0:
            _echo(f"\n== master {lay.master + 1}")
        notes = []
        if lay.is_cover:
            notes.append("cover: title slide only")
        if first[lay.name] != lay.key:
            notes.append(f"same name as in master {first[lay.name][0] + 1}: not used by name")
        if lay.title_size:
            notes.append(f"title {lay.title_size:g} pt")
        if lay.background:
            notes.append(f"background #{lay.background}")
        _echo(f"\n{lay.name}" + (f"  ({'; '.join(notes)})" if notes else ""))
        for ph in sorted(lay.placeholders, key=lambda p: p.idx):
            where = (
                f"at {ph.box.x:.2f}, {ph.box.y:.2f} in, {ph.box.w:.2f} × {ph.box.h:.2f} in"
                if ph.box
                else "position inherited"
            )
            _echo(f"  idx {ph.idx:<3} {ph.type:<9} {ph.name:<28} {where}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
def new(directory: str) -> None:
    """Create a small project in DIRECTORY that builds as it is."""
    from .scaffold import ScaffoldError, scaffold

    if not directory.strip():
        raise click.UsageError("DIRECTORY is empty; give the new project's folder")
    try:
        written = scaffold(Path(directory))
    except ScaffoldError as exc:
        if not exc.environment:
            raise click.UsageError(str(exc)) from None
        _echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    for path in written:
        _echo(f"created {path}")
    _echo(f"next: cd {directory} && yamldeck build")


@main.command()
@click.argument(
    "kind", type=click.Choice(["outline", "overlay", "theme", "project"]), default="outline"
)
def schema(kind: str) -> None:
    """Print the JSON Schema of an outline (default), an overlay, a theme or a project file."""
    import json

    from .outline import json_schema

    _echo(json.dumps(json_schema(kind), ensure_ascii=False, indent=2))
