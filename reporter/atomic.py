"""The one way to write a file: a temporary file beside the target, then an atomic replace."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

_UMASK = os.umask(0o022)  # read once, at import (os.umask can only be read by setting it)
os.umask(_UMASK)


class OutputLockedError(OSError):
    """The target exists but cannot be replaced (for example, it is open in Excel)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"cannot replace {path}")
        self.path = path

    def __reduce__(self) -> tuple[type[OutputLockedError], tuple[Path]]:  # crosses back from a worker
        return type(self), (self.path,)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target`` in one step.

    If the body fails, the temporary file is removed and ``target`` is left as it was.
    """
    with _temporary(target) as tmp:
        yield tmp
        try:
            os.replace(tmp, target)
        except OSError as exc:  # open in Excel/Word on Windows, a folder in the way, read-only
            raise OutputLockedError(target) from exc


@contextmanager
def atomic_paths(*targets: Path) -> Iterator[tuple[Path, ...]]:
    """Temporary paths for several outputs that belong together: nothing is replaced unless the
    body succeeds and every target can be replaced (none is a folder or held open)."""
    with ExitStack() as stack:
        temps = tuple(stack.enter_context(_temporary(t)) for t in targets)
        yield temps
        for target in targets:
            if not _replaceable(target):
                raise OutputLockedError(target)
        for tmp, target in zip(temps, targets, strict=True):
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise OutputLockedError(target) from exc


@contextmanager
def _temporary(target: Path) -> Iterator[Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    # mkstemp makes the file private (0600); the output gets the mode a new file would have,
    # or the mode of the file it replaces.
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, _mode_for(target))
    try:
        yield tmp
    finally:
        if tmp.exists():
            tmp.unlink()


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_UMASK


def _replaceable(target: Path) -> bool:
    """False for a folder in the way or a file another program holds (Excel on Windows)."""
    if target.is_dir():
        return False
    if not target.exists():
        return True
    try:
        with target.open("r+b"):
            return True
    except OSError:
        return False


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
