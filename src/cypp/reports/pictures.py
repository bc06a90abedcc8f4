"""Chart pictures for print: a Vega-Lite specification drawn as a JPEG on white.

Kept apart from :mod:`cypp.reports.charts` so the worker processes that draw them
import only the chart engine and Pillow, and start in a fraction of a second.
"""

from __future__ import annotations

import io
import os
import threading
import time

import vl_convert as vlc
from PIL import Image

__all__ = ["JPEG_QUALITY", "PRINT_SCALE", "print_picture", "print_pictures", "watch_parent"]

# High enough that thin lines and small labels print without visible artefacts.
JPEG_QUALITY = 92
#: Pixels per chart unit: a 480-unit chart is 960 pixels wide, 152 dpi across 160 mm.
PRINT_SCALE = 2.0


def print_picture(spec: str, scale: float = PRINT_SCALE) -> bytes:
    """JPEG bytes of the chart whose Vega-Lite specification (JSON text) is ``spec``.

    Drawn as PNG by vl-convert and encoded as JPEG by Pillow on a white background:
    together a third cheaper than vl-convert's own JPEG encoder.
    """
    png = vlc.vegalite_to_png(spec, scale=scale)
    with Image.open(io.BytesIO(png)) as drawn:
        picture = Image.new("RGB", drawn.size, "white")
        rgba = drawn.convert("RGBA")
        picture.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def print_pictures(specs: list[str]) -> list[bytes]:
    """:func:`print_picture` of each spec: one task for a worker process, so the parent
    hands work over once rather than once per chart."""
    return [print_picture(spec) for spec in specs]


def watch_parent(parent: int) -> None:
    """In a worker process: leave as soon as ``parent`` is gone (a server stopped by a
    signal does not stop its workers itself)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
