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


@main.command()
@click.argument("decks", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Output file (only with a single DECK).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 3).")
def build(decks: tuple[str, ...], output: str | None, strict: bool) -> None:
    """Build DECK(s) (default ./deck.yaml) into build/<name>.pptx."""
    from .build import build_deck

    paths = _decks(decks)
    if output and len(paths) > 1:
        raise click.UsageError("-o/--output takes a single DECK")
    results = []
    for path in paths:
        target = Path(output) if output else Path("build") / f"{path.stem}.pptx"
        if strict:
            from .build import check_deck

            checked = check_deck(path, str(path))
            if checked.ok and checked.warnings:
                _report(checked)
                results.append(checked)
                continue
        result = build_deck(path, target, str(path))
        _report(result)
        if result.output is not None and result.deck is not None:
            click.echo(f"wrote {result.output} ({len(result.deck.slides)} slides)")
        results.append(result)
    sys.exit(_exit_code(results, strict))


@main.command()
@click.argument("decks", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 3).")
def check(decks: tuple[str, ...], strict: bool) -> None:
    """Validate and plan DECK(s) without writing anything."""
    from .build import check_deck

    results = []
    for path in _decks(decks):
        result = check_deck(path, str(path))
        _report(result)
        if result.ok and result.deck is not None:
            if strict and result.warnings:
                click.echo(f"{path}: {len(result.warnings)} warning(s), failing under --strict")
            else:
                click.echo(f"{path}: ok ({len(result.deck.slides)} slides)")
        results.append(result)
    sys.exit(_exit_code(results, strict))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the outline format (for editors)."""
    import json

    from .outline import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))
