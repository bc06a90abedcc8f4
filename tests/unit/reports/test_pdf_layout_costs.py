"""What the PDF renderer changes around WeasyPrint to make a large pack cheaper."""

from __future__ import annotations

import gc
import threading

import pydyf

from cypp.reports import pdf


def test_full_collections_wait_while_packs_are_made_and_come_back_after() -> None:
    usual = gc.get_threshold()
    inner_started, outer_may_end = threading.Event(), threading.Event()

    def another_pack() -> None:
        with pdf._few_full_collections():
            inner_started.set()
            outer_may_end.wait(5)

    with pdf._few_full_collections():
        assert gc.get_threshold()[:2] == usual[:2]
        assert gc.get_threshold()[2] >= pdf._GC_RENDER_OLDEST
        other = threading.Thread(target=another_pack)
        other.start()
        assert inner_started.wait(5)
    # The other pack is still being made: full collections still wait.
    assert gc.get_threshold()[2] >= pdf._GC_RENDER_OLDEST
    outer_may_end.set()
    other.join(5)
    assert gc.get_threshold() == usual


def test_thresholds_come_back_when_a_pack_fails() -> None:
    usual = gc.get_threshold()
    try:
        with pdf._few_full_collections():
            raise ValueError("broken pack")
    except ValueError:
        pass
    assert gc.get_threshold() == usual


def test_page_references_follow_the_pages_added() -> None:
    document = pydyf.PDF()
    assert document.page_references == ()
    for count in range(1, 4):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
        expected = pdf._PAGE_REFERENCES.__get__(document)
        assert len(expected) == count
        assert document.page_references == expected
        assert document.page_references is document.page_references
