"""Cut an outline for one meeting with --only/--skip tags (pure; the agenda follows).

A slide's tags are its own plus its section's. ``--skip TAG`` drops every slide or section
carrying TAG; ``--only TAG`` keeps just the slides carrying one of the TAGs. A section left
without slides loses its divider and its agenda line. The title slide always stays. An
``--only`` tag that no slide has, or a cut that leaves only the title slide, is an error:
a one-slide deck in front of a meeting is worse than no deck.
"""

from __future__ import annotations

import dataclasses

from .errors import Diagnostic, Pos, did_you_mean, error, warning
from .outline import Outline, SlideSpec


def _tags(slide: SlideSpec, section_tags: tuple[str, ...] = ()) -> set[str]:
    return set(slide.tags) | set(section_tags)


def all_tags(outline: Outline) -> set[str]:
    tags: set[str] = set()
    for section in outline.sections or ():
        tags |= set(section.tags)
        for slide in section.slides:
            tags |= set(slide.tags)
    for slide in outline.slides or ():
        tags |= set(slide.tags)
    return tags


def cut_outline(
    outline: Outline, only: tuple[str, ...] = (), skip: tuple[str, ...] = ()
) -> tuple[Outline, list[Diagnostic]]:
    if not only and not skip:
        return outline, []
    problems = []
    known = all_tags(outline)
    for option, tags in (("--only", only), ("--skip", skip)):
        for tag in tags:
            if tag not in known:
                hint = did_you_mean(tag, sorted(known)) or (
                    "tags in this outline: " + ", ".join(sorted(known))
                    if known
                    else "add `tags: [...]` to slides or sections"
                )
                # --only with a tag no slide has would silently make a title-only deck.
                report = error if option == "--only" else warning
                shown = tag if len(tag) <= 60 else tag[:59] + "…"
                problems.append(
                    report(Pos(f"{option} {shown}"), "", f"no slide is tagged '{shown}'", hint)
                )

    def keep(tags: set[str]) -> bool:
        if tags & set(skip):
            return False
        return not only or bool(tags & set(only))

    if outline.sections is not None:
        sections = []
        for section in outline.sections:
            slides = tuple(s for s in section.slides if keep(_tags(s, section.tags)))
            if slides and not set(section.tags) & set(skip):
                sections.append(dataclasses.replace(section, slides=slides))
        cut = dataclasses.replace(outline, sections=tuple(sections))
        left = sum(len(s.slides) for s in sections)
    else:
        slides = tuple(s for s in outline.slides or () if keep(_tags(s)))
        cut = dataclasses.replace(outline, slides=slides)
        left = len(slides)
    if left == 0:
        problems.append(
            error(
                outline.pos,
                "",
                "the cut leaves no slides but the title slide",
                "check the tags given to --only and --skip",
            )
        )
    return cut, problems
