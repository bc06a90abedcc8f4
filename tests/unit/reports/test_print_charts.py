"""Print charts: JPEG pictures on white, drawn in worker processes while WeasyPrint reads
the pack, kept by their figures for the next pack, drawn in-process when asked."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from cypp.reports import charts, pdf, print_charts
from cypp.reports.charts import has_chart, print_key, print_svg
from cypp.reports.model import BoardPack
from cypp.reports.pictures import print_picture


@pytest.fixture(autouse=True)
def cold() -> None:
    charts.forget_drawn_charts()


def test_a_print_picture_is_jpeg_on_white_at_twice_the_size(pack: BoardPack) -> None:
    line = next(m for m in pack.measures() if has_chart(m))
    picture = Image.open(io.BytesIO(print_picture(print_svg(line))))
    assert picture.format == "JPEG" and picture.mode == "RGB"
    assert picture.width > 2 * 480
    assert min(picture.getpixel((2, 2))) > 245  # type: ignore[arg-type]


def test_pictures_come_from_the_workers_and_are_kept(pack: BoardPack) -> None:
    first = print_charts.PrintCharts(pack.measures())
    charted = [m for m in pack.measures() if has_chart(m)]
    assert set(first.tags) == {m.id for m in charted}
    keys = {re.search(r'src="cypp-chart:(\w+)"', tag).group(1) for tag in first.tags.values()}  # type: ignore[union-attr]
    assert len(first._jobs) == len(keys) > 1
    pictures = {key: first.picture(key) for key in keys}
    assert all(p[:3] == b"\xff\xd8\xff" for p in pictures.values())
    again = print_charts.PrintCharts(pack.measures())
    assert again._jobs == {}
    assert {key: again.picture(key) for key in keys} == pictures
    line = charted[0]
    assert print_key(print_svg(line)) in first.tags[line.id]


def test_without_workers_pictures_are_drawn_here(
    pack: BoardPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(print_charts.WORKERS_ENV, "0")
    monkeypatch.setattr(print_charts, "_POOL", None)
    drawn = print_charts.PrintCharts(pack.measures())
    assert drawn._jobs == {}
    key = next(iter(drawn._svgs))
    assert drawn.picture(key)[:3] == b"\xff\xd8\xff"


def test_the_pdf_holds_one_jpeg_per_chart(pack: BoardPack) -> None:
    document = pdf.render_pdf(pack)
    assert document.count(b"/DCTDecode") == sum(1 for m in pack.measures() if has_chart(m))


def test_charts_prepared_ahead_are_used_by_the_next_pack(pack: BoardPack) -> None:
    print_charts.prepare_print_charts(pack.measures())
    drawing = dict(print_charts._DRAWING)
    later = print_charts.PrintCharts(pack.measures())
    assert later._jobs and all(later._jobs[k] == drawing[k] for k in later._jobs)
    for key in later._svgs:
        later.picture(key)
    assert all(charts.printed_picture(key) for key in later._svgs)


def test_a_placeholder_has_the_pictures_size_and_names_its_chart(pack: BoardPack) -> None:
    pictures = print_charts.PrintCharts(pack.measures())
    key = next(iter(pictures._svgs))
    placeholder, picture = pictures.placeholder(key), pictures.picture(key)
    assert Image.open(io.BytesIO(placeholder)).size == Image.open(io.BytesIO(picture)).size
    assert print_charts.placeholder_chart(placeholder) == key
    assert print_charts.placeholder_chart(picture) is None
    assert print_charts.placeholder_chart(b"") is None


def test_pages_are_laid_out_while_the_pictures_are_drawn(
    pack: BoardPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No picture is ready when WeasyPrint asks for it: placeholders stand in during layout,
    and the PDF holds the real pictures."""
    monkeypatch.setattr(print_charts.PrintCharts, "ready", lambda self, key: None)
    document = pdf.render_pdf(pack)
    keys = [print_key(print_svg(m)) for m in pack.measures() if has_chart(m)]
    drawn = [charts.printed_picture(key) for key in keys]
    assert all(picture is not None and picture in document for picture in drawn)
    assert b"cypp-chart:" not in document
    assert document.count(b"/DCTDecode") == len(keys)


def test_workers_give_way_to_the_process_laying_out_pages() -> None:
    import os

    from cypp.reports.pictures import WORKER_NICENESS

    pool = print_charts._pool()
    assert pool is not None
    worker = pool.submit(os.nice, 0).result(timeout=60)
    assert worker == min(os.nice(0) + WORKER_NICENESS, 19)
