"""Setting the live objects aside from the garbage collector, and putting them back; a job run
beside this process."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from reporter import runtime
from reporter.errors import OutputLockedError


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


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _locked(path: str) -> None:
    raise OutputLockedError(Path(path))


def _dies() -> None:
    os._exit(7)


def test_a_job_aside_runs_in_another_process_and_returns_its_result() -> None:
    pid, value = runtime.aside(_pid_and, 21, workers=2).result()
    assert (pid != os.getpid(), value) == (True, 42)


def test_with_one_worker_the_job_runs_here() -> None:
    assert runtime.aside(_pid_and, 1, workers=1).result() == (os.getpid(), 2)


def test_a_job_asides_exception_comes_back_as_itself() -> None:
    with pytest.raises(OutputLockedError) as caught:
        runtime.aside(_locked, "/x/提出状況.xlsx", workers=2).result()
    assert caught.value.path == Path("/x/提出状況.xlsx")


def test_a_job_aside_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match="終了コード 7"):
        runtime.aside(_dies, workers=2).result()
