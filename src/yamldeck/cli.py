"""The `yamldeck` command: a thin layer that prints results and picks exit codes.

Exit codes: 0 built or valid; 1 an outline or its data is wrong; 2 usage error;
3 only warnings, with --strict. Heavy libraries are imported by the build stage only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_INVALID = 1
EXIT_STRICT = 3


def _decks(decks: tuple[str, ...]) -> list[Path]:
    if decks:
        return [Path(d) for d in decks]
    default = Path("deck.yaml")
    if not default.is_file():
        raise click.UsageError("no DECK given and no deck.yaml in this folder")
    return [default]


def _report(result) -> None:
    for diagnostic in result.diagnostics:
        click.echo(diagnostic.format(), err=True)


def _exit_code(results, strict: bool) -> int:
    if any(not r.ok for r in results):
        return EXIT_INVALID
    if strict and any(r.warnings for r in results):
        return EXIT_STRICT
    return 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="yamldeck")
def main() -> None:
    """Compile YAML outlines into designed 16:9 PowerPoint decks."""


def variant_options(func):
    """--set, --with, --only and --skip: one meeting's variant of an outline."""
    options = [
        click.option("--set", "sets", multiple=True, metavar="PATH=VALUE",
                     help="Set a value by dotted path, e.g. --set date=2025-10-02."),
        click.option("--with", "overlays", multiple=True, metavar="OVERLAY.yaml",
                     type=click.Path(exists=True, dir_okay=False),
                     help="Deep-merge an overlay file onto the outline (repeatable)."),
        click.option("--only", multiple=True, metavar="TAG",
                     help="Keep only slides tagged TAG (repeatable)."),
        click.option("--skip", multiple=True, metavar="TAG",
                     help="Drop slides and sections tagged TAG (repeatable)."),
        click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 3)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _options(sets, overlays, only, skip):
    from .build import BuildOptions

    return BuildOptions(overlays=tuple(Path(o) for o in overlays), sets=tuple(sets),
                        only=tuple(only), skip=tuple(skip))


@main.command()
@click.argument("decks", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Output file (only with a single DECK).")
@variant_options
def build(decks: tuple[str, ...], output: str | None, strict: bool, sets, overlays, only,
          skip) -> None:
    """Build DECK(s) (default ./deck.yaml) into build/<name>.pptx."""
    from .build import build_deck, check_deck

    paths = _decks(decks)
    if output and len(paths) > 1:
        raise click.UsageError("-o/--output takes a single DECK")
    options = _options(sets, overlays, only, skip)
    results = []
    for path in paths:
        target = Path(output) if output else Path("build") / f"{path.stem}.pptx"
        if strict:
            checked = check_deck(path, str(path), options)
            if checked.ok and checked.warnings:
                _report(checked)
                results.append(checked)
                continue
        result = build_deck(path, target, str(path), options)
        _report(result)
        if result.output is not None and result.deck is not None:
            click.echo(f"wrote {result.output} ({len(result.deck.slides)} slides)")
        results.append(result)
    sys.exit(_exit_code(results, strict))


@main.command()
@click.argument("decks", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@variant_options
def check(decks: tuple[str, ...], strict: bool, sets, overlays, only, skip) -> None:
    """Validate and plan DECK(s) without writing anything."""
    from .build import check_deck

    options = _options(sets, overlays, only, skip)
    results = []
    for path in _decks(decks):
        result = check_deck(path, str(path), options)
        _report(result)
        if result.ok and result.deck is not None:
            if strict and result.warnings:
                click.echo(f"{path}: {len(result.warnings)} warning(s), failing under --strict")
            else:
                click.echo(f"{path}: ok ({len(result.deck.slides)} slides)")
        results.append(result)
    sys.exit(_exit_code(results, strict))


@main.command()
@click.argument("template", type=click.Path(exists=True, dir_okay=False))
def inspect(template: str) -> None:
    """List a template's layouts and placeholders, for writing `layouts:`."""
    from .templates import TemplateError, read_template

    try:
        info = read_template(Path(template))
    except TemplateError as exc:
        click.echo(f"{template}: error: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"{template}: {info.width:.2f} × {info.height:.2f} in, "
               f"{len(info.layouts)} layouts")
    for lay in info.layouts:
        click.echo(f"\n{lay.name}")
        for ph in sorted(lay.placeholders, key=lambda p: p.idx):
            where = (f"at {ph.box.x:.2f}, {ph.box.y:.2f} in, {ph.box.w:.2f} × {ph.box.h:.2f} in"
                     if ph.box else "position inherited")
            click.echo(f"  idx {ph.idx:<3} {ph.type:<9} {ph.name:<28} {where}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
def new(directory: str) -> None:
    """Create a small project in DIRECTORY that builds as it is."""
    from .scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(Path(directory))
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: cd {directory} && yamldeck build")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the outline format (for editors)."""
    import json

    from .outline import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))
