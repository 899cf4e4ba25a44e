"""Write a planned deck as .pptx bytes (the only package that imports python-pptx)."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import os
import sys
import threading
import types
from collections.abc import Callable, Collection
from typing import Any

_DEFERRING = threading.Lock()


class _Deferred(types.ModuleType):
    """Stands in sys.modules for a module until one of its names is used or set, then
    imports it (once, whichever thread comes first) and hands that over."""

    def _real(self) -> types.ModuleType:
        name = self.__name__
        with _DEFERRING:
            if sys.modules.get(name) is self:
                del sys.modules[name]
        return importlib.import_module(name)  # the import lock makes others wait

    def __getattr__(self, attr: str) -> object:  # called only for names it does not have
        return getattr(self._real(), attr)

    def __setattr__(self, attr: str, value: object) -> None:
        if attr.startswith("__") and attr.endswith("__"):  # its own: __spec__ when made
            super().__setattr__(attr, value)
        else:  # PIL.Image.MAX_IMAGE_PIXELS = …: on the module itself
            setattr(self._real(), attr, value)


def _defer(name: str) -> None:
    """Let ``import name`` succeed without running the module; it is imported for real at
    the first use of one of its names.

    importlib's LazyLoader cannot do this: the import statement itself reads the module's
    ``__spec__``, which makes LazyLoader run it at once."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    stand_in = _Deferred(name)
    stand_in.__spec__ = spec
    sys.modules[name] = stand_in
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, stand_in)


# python-pptx imports xml.sax.saxutils for one escape function, and saxutils imports
# urllib.request (for the URL opener of its XML readers), which imports http.client,
# email, ssl and socket: 19 ms of a 0.35 s rebuild, for a module no build uses. And it
# imports PIL's Image and ImageFont (9 ms) for what only a new picture needs (its size):
# a rebuild that copies its pictures from the last output never uses them.
for _name in ("urllib.request", "PIL.Image", "PIL.ImageFont"):
    _defer(_name)

from ..deck import Deck  # noqa: E402
from ..stamps import file_hash  # noqa: E402
from . import pptxfast, replay  # noqa: E402
from .package import finish_package  # noqa: E402
from .reproducible import normalize_zip  # noqa: E402
from .slides import PageWriter  # noqa: E402
from .template import (  # noqa: E402
    base_presentation,
    new_presentation,
    open_template,
    read_template,
)

# What prepare() opened for the next write_pptx: template path ("" for none) →
# (the template file's digest, what read_template or base_presentation gave).
_PREPARED: dict[str, tuple[str, Any]] = {}


def prepare(template: str | None, accepted: Collection[str] = ()) -> None:
    """Open the package the next deck is likely written on (the template its last build
    used, or the built-in base) while its plan is made elsewhere; write_pptx takes it if
    the deck turns out to use that template, with the same bytes. A template is opened
    only if it is a regular file whose SHA-256 is one of ``accepted`` (the inputs the last
    build checked): this runs before the deck is checked. Never fails."""
    from ..stamps import regular_file, sha256

    _PREPARED.clear()
    pptxfast.install()
    try:
        if template:
            if not regular_file(template):
                return
            with open(template, "rb") as handle:
                data = handle.read()
            digest = sha256(len(data))
            digest.update(data)
            if digest.hexdigest() not in accepted:
                return  # changed since it was checked: write_pptx opens it after the check
            _PREPARED[template] = (digest.hexdigest(), read_template(template, data))
        else:
            _PREPARED[""] = ("", base_presentation())
    except Exception:  # only a head start: write_pptx opens it again, and reports
        _PREPARED.clear()


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
    ready = _PREPARED.pop(deck.design.template or "", None)
    _PREPARED.clear()
    if deck.design.template:
        template_digest = file_hash(deck.design.template) or ""  # a slide differs by it
        opened = ready[1] if ready is not None and ready[0] == template_digest else None
        prs, left_out = open_template(deck.design.template, deck.theme, opened)
        if notes is not None:
            notes.extend(left_out)
    else:
        prs = new_presentation(deck.theme, ready[1] if ready is not None else None)
    writer = PageWriter(prs, deck.theme, images)
    base = (deck.theme, deck.design.template, template_digest)
    written_slides = []
    # id of a page's key (each kept alive in ``keys``) → its stable digest, made once
    digests: dict[int, str] = {}

    def digest(key: tuple) -> str:
        found = digests.get(id(key))
        if found is None:
            found = digests[id(key)] = replay.stable_digest(key)
        return found

    keys = []
    for page in deck.pages:
        key = replay.page_key(base, page, images)
        keys.append(key)
        written = replay.recall(key, previous, digest)
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
    parts = pptxfast.package_parts(prs)
    pictures = finish() if finish else None
    real = {c: pictures.get(b, b) for c, b in images.items()} if pictures else images
    if len(set(real.values())) < len(set(images.values())):
        # A chart drawn alike another (same data under two names; or one from the cache)
        # got its own stand-in, hence two pictures where writing the real ones makes one
        # shared picture: write again with the real pictures, so that the file is the one
        # a build in one go writes.
        return write_pptx(deck, real, None, None, previous, record)
    data = normalize_zip(
        parts,
        pictures,
        stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        previous.earlier if previous is not None and previous.same_zlib else None,
    )
    if record is not None:  # keyed by the real pictures, not their stand-ins
        for (page, slide_part, notes_part), key in zip(written_slides, keys):
            if real is not images:  # new keys: not in the memo (their ids may repeat)
                key = replay.page_key(base, page, real)
                found = replay.stable_digest(key) if key is not None else None
            else:
                found = digest(key) if key is not None else None
            if found is not None:
                record.append([found, slide_part, notes_part])
    return data
