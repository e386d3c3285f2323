"""Setting the live objects aside from the garbage collector, and putting them back."""

from __future__ import annotations

import gc

from reporter import runtime


def test_objects_are_frozen_inside_the_block_and_released_after() -> None:
    assert gc.get_freeze_count() == 0
    with runtime.frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_a_callers_own_freeze_is_left_alone() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with runtime.frozen():
            pass
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()
