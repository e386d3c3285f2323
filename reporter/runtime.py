"""Processes and the garbage collector: the one place the tool uses them.

Untrusted files are parsed only in worker processes started here (``isolated``). A file whose
parsing aborts the process (a native library's allocation failure), runs past the time bound or
past the memory bound costs that file alone: its worker is replaced, the file comes back as a
``Failed`` naming why, and every other file goes on.

The start method is pinned: ``fork`` on Linux (a worker inherits the plan master instead of
receiving it pickled), ``spawn`` elsewhere. ``REPORTER_WORKERS=0`` (or ``workers=0``) runs every
job in this process, without isolation: for a debugger.
"""

from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, Literal, TypeVar

S = TypeVar("S")  # the state every job of a run shares (the plan master)
J = TypeVar("J")  # one job (a file)
R = TypeVar("R")  # its result

START_METHOD = "fork" if sys.platform == "linux" else "spawn"
FILE_TIMEOUT = 60.0  # seconds a single file may take in a worker
MEMORY_BUDGET = 1536 * 1024 * 1024  # bytes of address space a worker may add to what it inherits
IN_HAND = 2  # jobs a worker holds: the one it is on, and the next (it never waits for work)
WORKERS_ENV = "REPORTER_WORKERS"
DEBUG_ENV = "REPORTER_DEBUG"


@dataclass(frozen=True)
class Failed:
    """A job that did not finish: its worker died (``crash``), ran out of time (``timeout``)
    or the job raised (``error``, with the exception's type and text)."""

    kind: Literal["crash", "timeout", "error"]
    detail: str = ""


def default_workers() -> int:
    """Worker processes: ``REPORTER_WORKERS`` when set, else one per core (at most 8)."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit():
        return int(configured)
    return min(os.cpu_count() or 1, 8)


def isolated(task: Callable[[S, J], R], jobs: Sequence[J], state: S, *, workers: int | None = None,
             timeout: float = FILE_TIMEOUT) -> Iterator[R | Failed]:
    """``task(state, job)`` for every job, in worker processes; results in the jobs' order.

    ``task`` is a module-level function (it is pickled under ``spawn``). An exception it raises
    becomes ``Failed("error")``; a worker that dies becomes ``Failed("crash")`` for the job it was
    on, a job over ``timeout`` seconds ``Failed("timeout")``; the other jobs go on."""
    workers = default_workers() if workers is None else workers
    if workers <= 0 or not jobs:
        for job in jobs:
            yield _attempt(task, state, job)
        return
    yield from _Pool(task, jobs, state, min(workers, len(jobs)), timeout).run()


def _attempt(task: Callable[[S, J], R], state: S, job: J) -> R | Failed:
    try:
        return task(state, job)
    except Exception as exc:  # the job's own failure; the caller names the file
        return Failed("error", f"{type(exc).__name__}: {exc}")


class _Worker(Generic[S, J, R]):
    def __init__(self, task: Callable[[S, J], R], state: S) -> None:
        context: Any = multiprocessing.get_context(START_METHOD)
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, task, state), daemon=True,
                                       name="reporter-worker")
        self.process.start()
        child.close()
        self.pending: deque[int] = deque()  # job indices sent, in the order they are done
        self.since = time.monotonic()  # when its current job began

    def send(self, indices: list[int], jobs: Sequence[J]) -> None:
        if not self.pending:
            self.since = time.monotonic()
        self.pending.extend(indices)
        self.conn.send([(i, jobs[i]) for i in indices])

    def stop(self, kill: bool = False) -> None:
        if kill or not self.process.is_alive():
            self.process.kill()
        else:
            with suppress(OSError):
                self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _serve(conn: Connection, task: Callable[[Any, Any], Any], state: Any) -> None:
    """A worker's life: jobs in, one result out per job, until told to stop."""
    _bind_to_parent()
    _limit_memory()
    _quiet()
    try:
        while (batch := conn.recv()) is not None:
            for index, job in batch:
                result = _attempt(task, state, job)
                try:
                    conn.send((index, result))
                except (EOFError, BrokenPipeError):
                    raise
                except Exception as exc:  # a result that cannot be pickled
                    conn.send((index, Failed("error", f"{type(exc).__name__}: {exc}")))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        pass


def _quiet() -> None:
    """What a native library prints as it aborts (an allocation failure, a backtrace) stays out of
    the user's terminal; the file is named instead. ``REPORTER_DEBUG=1`` keeps it."""
    if os.environ.get(DEBUG_ENV) == "1":
        return
    faulthandler.disable()  # a test runner's crash report would go to its own copy of stderr
    with suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


def _bind_to_parent() -> None:
    """A worker ends with its parent, even when the parent is killed outright (Linux)."""
    if sys.platform != "linux":
        return
    import ctypes
    import signal

    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before the line above
        os._exit(0)


def _limit_memory() -> None:
    """Bound the worker's address space (Linux): an allocation past it fails in this worker."""
    if sys.platform != "linux":
        return
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[0])
        limit = pages * os.sysconf("SC_PAGE_SIZE") + MEMORY_BUDGET
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (OSError, ValueError):
        pass


class _Pool(Generic[S, J, R]):
    def __init__(self, task: Callable[[S, J], R], jobs: Sequence[J], state: S, size: int, timeout: float) -> None:
        self.task, self.jobs, self.state = task, jobs, state
        self.size, self.timeout = size, timeout
        self.queue: deque[int] = deque(range(len(jobs)))
        self.done: dict[int, R | Failed] = {}

    def run(self) -> Iterator[R | Failed]:
        workers = [_Worker(self.task, self.state) for _ in range(self.size)]
        emitted = 0
        try:
            while emitted < len(self.jobs):
                for w in workers:
                    self._top_up(w)
                busy: dict[Any, _Worker[S, J, R]] = {w.conn: w for w in workers if w.pending}
                if busy:
                    deadline = min(w.since for w in busy.values()) + self.timeout
                    for conn in wait(list(busy), timeout=max(0.0, deadline - time.monotonic())):
                        self._receive(busy[conn], workers)
                now = time.monotonic()
                for w in [w for w in workers if w.pending and now - w.since > self.timeout]:
                    self._replace(w, workers, Failed("timeout", f"{self.timeout:.0f}"))
                while emitted in self.done:
                    yield self.done.pop(emitted)
                    emitted += 1
        finally:
            for w in workers:
                w.stop(kill=bool(w.pending))

    def _top_up(self, w: _Worker[S, J, R]) -> None:
        while self.queue and len(w.pending) < IN_HAND:
            w.send([self.queue.popleft()], self.jobs)

    def _receive(self, w: _Worker[S, J, R], workers: list[_Worker[S, J, R]]) -> None:
        try:
            index, result = w.conn.recv()
        except Exception:  # EOF or a message cut short: the worker died
            w.process.join(1)
            code = w.process.exitcode
            self._replace(w, workers, Failed("crash", "" if code is None else str(code)))
            return
        w.pending.remove(index)
        w.since = time.monotonic()
        self.done[index] = result

    def _replace(self, w: _Worker[S, J, R], workers: list[_Worker[S, J, R]], failure: Failed) -> None:
        """The worker's current job failed; its other jobs go back to the front of the queue."""
        current = w.pending.popleft()
        self.done[current] = failure
        self.queue.extendleft(reversed(w.pending))
        w.pending.clear()
        w.stop(kill=True)
        workers[workers.index(w)] = _Worker(self.task, self.state)


@contextmanager
def frozen() -> Iterator[None]:
    """Everything alive now is set aside from the garbage collector until the block ends.

    Its collections then no longer walk these objects again and again, and a worker process
    forked inside the block does not either: walking them would write to every memory page they
    sit on, and a forked process copies each page it writes to."""
    if gc.get_freeze_count():  # a calling program froze objects of its own: leave them be
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class Aside(Generic[R]):
    """A job running beside this process (``aside``); ``result()`` waits for it."""

    def __init__(self, fn: Callable[..., R], args: tuple[Any, ...], forked: bool) -> None:
        self.process: Any = None
        if not forked:
            self.outcome: tuple[str, Any] = _outcome(fn, args)
            return
        receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
        self.process = multiprocessing.get_context("fork").Process(target=_aside, args=(send, fn, args), daemon=True)
        self.process.start()  # the child inherits fn and args: nothing is pickled on the way there
        send.close()
        self.receive = receive

    def result(self) -> R:
        if self.process is not None:
            try:
                self.outcome = self.receive.recv()
            except EOFError:  # the child died without a word (killed, or its native code aborted)
                self.process.join()
                self.outcome = ("error", RuntimeError(
                    f"並行して集計表を書く処理が途中で終了しました（終了コード {self.process.exitcode}）"))
            finally:
                self.process.join()
                self.receive.close()
                self.process = None
        kind, value = self.outcome
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]


def aside(fn: Callable[..., R], *args: Any, workers: int | None = None) -> Aside[R]:
    """``fn(*args)`` in a forked process while this one goes on: for two halves of the build's
    writing, each plain Python that one core runs at a time. In this process, at once, where
    processes are not forked, with ``workers`` (or ``REPORTER_WORKERS``) below 2, or on one core."""
    cores = default_workers() if workers is None else workers
    return Aside(fn, args, START_METHOD == "fork" and cores > 1)


def _outcome(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        return ("ok", fn(*args))
    except Exception as exc:
        return ("error", exc)


def _aside(send: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; the child ends with it
    _bind_to_parent()
    outcome = _outcome(fn, args)
    try:
        send.send(outcome)
    except Exception as exc:  # an exception that cannot be pickled
        send.send(("error", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
        del exc
    send.close()
