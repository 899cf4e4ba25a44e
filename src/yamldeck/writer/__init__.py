"""Write a planned deck as .pptx bytes (the only package that imports python-pptx)."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable

from ..deck import Deck
from ..stamps import file_hash
from . import pptxfast, replay
from .package import finish_package
from .reproducible import normalize_zip
from .slides import PageWriter
from .template import new_presentation, open_template


def deck_timestamp(deck: Deck) -> dt.datetime:
    """Core-property time: SOURCE_DATE_EPOCH if set, else the deck's date, else a fixed day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    if deck.date is not None:
        return dt.datetime(deck.date.year, deck.date.month, deck.date.day)
    return dt.datetime(2000, 1, 1)


def write_pptx(
    deck: Deck,
    images: dict,
    notes: list[str] | None = None,
    finish: Callable[[], dict[bytes, bytes]] | None = None,
    previous: replay.Previous | None = None,
    record: list | None = None,
) -> bytes:
    """Render every slide, then return reproducible .pptx bytes (nothing touches the disk).

    What the template had but the deck leaves out (macros, links to outside files) is
    appended to ``notes`` for the user. ``finish``, called once the package is saved,
    maps stand-in pictures to the real ones (charts drawn meanwhile on another core).
    Slides equal to ones of ``previous`` (the last build's output) are taken from it;
    ``record`` receives [digest, slide part, notes part] of each slide for the stamp.
    """
    pptxfast.install()
    template_digest = ""
    if deck.design.template:
        prs, left_out = open_template(deck.design.template, deck.theme)
        template_digest = file_hash(deck.design.template) or ""  # a slide differs by it
        if notes is not None:
            notes.extend(left_out)
    else:
        prs = new_presentation(deck.theme)
    writer = PageWriter(prs, deck.theme, images)
    base = (deck.theme, deck.design.template, template_digest)
    written_slides = []
    for page in deck.pages:
        key = replay.page_key(base, page, images)
        written = replay.recall(key, previous)
        if written is not None:  # the same slide was written before
            slide = replay.replay(prs, page, written, images)
        else:
            # The slide written, not prs.slides[-1]: that lists every slide id (quadratic).
            slide = writer.write(page)
            pptxfast.freeze(slide)
            replay.keep(key, slide)
        if record is not None:  # names only: a slide object holds its whole XML tree
            written_slides.append((page, *replay.names(slide)))
    props = prs.core_properties
    stamp = deck_timestamp(deck)
    props.title = deck.title
    props.author = deck.author or ""
    props.last_modified_by = "yamldeck"
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.language = deck.theme.lang
    finish_package(prs, [slide.title for slide in deck.slides])
    buffer = io.BytesIO()
    prs.save(buffer)
    pictures = finish() if finish else None
    real = {c: pictures.get(b, b) for c, b in images.items()} if pictures else images
    if len(set(real.values())) < len(set(images.values())):
        # A chart drawn alike another (same data under two names; or one from the cache)
        # got its own stand-in, hence two pictures where writing the real ones makes one
        # shared picture: write again with the real pictures, so that the file is the one
        # a build in one go writes.
        return write_pptx(deck, real, None, None, previous, record)
    data = normalize_zip(buffer.getvalue(), pictures, stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if record is not None:  # keyed by the real pictures, not their stand-ins
        for page, slide_part, notes_part in written_slides:
            key = replay.page_key(base, page, real)
            if key is not None:
                record.append([replay.stable_digest(key), slide_part, notes_part])
    return data
