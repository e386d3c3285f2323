"""The one way to write a file: a temporary file beside the target, then an atomic replace."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from reporter.errors import OutputLockedError

_UMASK = os.umask(0o022)  # read once, at import (os.umask can only be read by setting it)
os.umask(_UMASK)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target`` in one step.

    If the body fails, the temporary file is removed and ``target`` is left as it was.
    """
    with atomic_paths(target) as (tmp,):
        yield tmp


@contextmanager
def atomic_paths(*targets: Path) -> Iterator[tuple[Path, ...]]:
    """Temporary paths for outputs that belong together: all are replaced, or none.

    Nothing changes unless the body succeeds. Then each existing target is first moved aside;
    if one cannot be (open in Excel or Word on Windows, a folder in the way), those moved are
    put back and nothing has changed. The new files then move in and the old ones are removed.
    """
    with ExitStack() as stack:
        temps = tuple(stack.enter_context(_temporary(t)) for t in targets)
        yield temps
        _swap_in(list(zip(temps, targets, strict=True)))


def _swap_in(pairs: list[tuple[Path, Path]]) -> None:
    aside: list[tuple[Path, Path]] = []  # (the old file moved aside, its target)
    placed: list[Path] = []
    try:
        for _, target in pairs:
            if target.is_dir():
                raise OutputLockedError(target)
            if target.exists():
                backup = target.with_name(f".tmp-{os.getpid()}-old-{secrets.token_hex(4)}-{target.name}")
                try:
                    os.replace(target, backup)
                except OSError as exc:
                    raise OutputLockedError(target) from exc
                aside.append((backup, target))
        for tmp, target in pairs:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise OutputLockedError(target) from exc
            placed.append(target)
    except BaseException:
        for target in placed:
            with suppress(OSError):
                target.unlink()
        for backup, target in reversed(aside):
            with suppress(OSError):
                os.replace(backup, target)
        raise
    for backup, _ in aside:
        with suppress(OSError):
            backup.unlink()


@contextmanager
def _temporary(target: Path) -> Iterator[Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    # The process number in the name tells a later run whether its writer still runs (places.sweep).
    fd, tmp_name = tempfile.mkstemp(prefix=f".tmp-{os.getpid()}-", suffix=target.suffix, dir=target.parent)
    # mkstemp makes the file private (0600); an output gets the mode any new file would have.
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_UMASK)
    try:
        yield tmp
    finally:
        if tmp.exists():
            tmp.unlink()


def write_with(target: Path, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp_path)`` and move the result onto ``target`` atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return target


def write_text(target: Path, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target
