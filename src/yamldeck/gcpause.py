"""The cyclic garbage collector, paused while the command starts.

Before it writes, a build imports some 400 modules and plans the deck: objects that live
until the process ends. Collecting while they are made frees nothing, and on an edited
bullet it took about 35 ms of 0.35 s (114 young and 11 middle passes, and one full pass
over every function and class of python-pptx). So the command pauses the collector at
start-up (``entry.main``) and ``resume`` is called once the heavy imports are done: what
exists then is frozen (never scanned again) and collection goes on as usual, which keeps
a 10,000-slide deck within its memory (python-pptx's parts hold reference cycles; with
no collection at all that deck took 1.4 GB instead of 0.45).
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Collect as usual from now on, never scanning what exists already; a no-op unless
    pause() stopped the collector (a library caller's own gc.disable() is left alone)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
