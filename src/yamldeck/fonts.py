"""Where the bundled Japanese font lives, found without importing matplotlib.

``matplotlib-fontja`` ships IPAexGothic; importing that package would change matplotlib's
global settings, so only its folder is looked up.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

BUNDLED_FAMILY = "IPAexGothic"


@cache
def bundled_japanese_font() -> Path:
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib-fontja is not installed; reinstall yamldeck")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise RuntimeError(f"bundled font missing: {path}")
    return path
