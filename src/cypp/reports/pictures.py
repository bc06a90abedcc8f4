"""Chart pictures: an SVG chart drawn as PNG (for Word) or as a JPEG on white (for print).

resvg (through vl-convert) draws the SVG. Kept apart from :mod:`cypp.reports.charts`
so the worker processes that draw print pictures import only the rasteriser and
Pillow, and start in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
import time

import vl_convert as vlc
from PIL import Image

__all__ = [
    "JPEG_QUALITY",
    "PRINT_SCALE",
    "picture_size",
    "print_picture",
    "print_pictures",
    "start_worker",
    "svg_png",
    "watch_parent",
]

# High enough that thin lines and small labels print without visible artefacts.
JPEG_QUALITY = 92
_SIZE = re.compile(r'<svg\b[^>]*?\swidth="(?P<width>\d+)"\s+height="(?P<height>\d+)"')
#: Pixels per chart unit: a 480-unit chart is 960 pixels wide, 152 dpi across 160 mm.
PRINT_SCALE = 2.0


def svg_png(svg: str, scale: float = PRINT_SCALE) -> bytes:
    """PNG bytes of the SVG drawn at ``scale`` times its size."""
    png: bytes = vlc.svg_to_png(svg, scale=scale)
    return png


def picture_size(svg: str, scale: float = PRINT_SCALE) -> tuple[int, int]:
    """The pixel size of the SVG's picture: its own width and height (whole pixels) times
    ``scale``, known before it is drawn."""
    match = _SIZE.search(svg)
    if match is None:
        raise ValueError("the SVG has no width and height in pixels")
    return round(int(match["width"]) * scale), round(int(match["height"]) * scale)


def print_picture(svg: str, scale: float = PRINT_SCALE) -> bytes:
    """JPEG bytes of the SVG chart, on a white background.

    Drawn as PNG and encoded as JPEG by Pillow: together far cheaper than the
    rasteriser's own JPEG encoder, and a JPEG goes into a PDF as it is.
    """
    png = svg_png(svg, scale)
    with Image.open(io.BytesIO(png)) as drawn:
        picture = Image.new("RGB", drawn.size, "white")
        rgba = drawn.convert("RGBA")
        picture.paste(rgba, mask=rgba.getchannel("A"))
    size = picture_size(svg, scale)
    if picture.size != size:  # the size promised to the PDF layout beforehand
        picture = picture.resize(size)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def print_pictures(svgs: list[str]) -> list[bytes]:
    """:func:`print_picture` of each SVG: one task for a worker process, so the parent
    hands work over once rather than once per chart."""
    return [print_picture(svg) for svg in svgs]


#: How much lower a worker's scheduling priority is than its parent's.
WORKER_NICENESS = 10


def start_worker(parent: int) -> None:
    """In a worker process: give way to the parent, and leave when it is gone.

    The parent lays out pages (or answers web requests) and needs the pictures only when
    it writes the PDF, so on a busy machine its work goes first.
    """
    with contextlib.suppress(OSError, AttributeError):  # no os.nice on Windows
        os.nice(WORKER_NICENESS)
    watch_parent(parent)


def watch_parent(parent: int) -> None:
    """Leave as soon as ``parent`` is gone (a server stopped by a signal does not stop its
    workers itself)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
