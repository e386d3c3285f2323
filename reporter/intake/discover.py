"""Which files below the input folder are submissions: every regular file, whatever its name,
except lock and system files, the excluded inputs (the master, a template) and the tool's own
output folders."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from reporter import places

SYSTEM_FILES = {"thumbs.db", "desktop.ini"}


def is_lock_or_system(path: Path) -> bool:
    """Excel (~$…) and LibreOffice (.~lock…#) lock files, dotfiles and OS thumbnails."""
    name = path.name
    return (name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))
            or name.startswith(".") or name.lower() in SYSTEM_FILES)


def discover(folder: Path, exclude: set[Path], outputs: Path | None = None) -> tuple[list[Path], list[Path]]:
    """(files to read, lock/system files passed over) below ``folder``, whatever their names.

    Folders holding the tool's own outputs are passed over: ``outputs`` and every folder that
    carries the output mark (a feedback copy carries a form's identity and is newer than the
    submission it copies)."""
    skip = {_file_id(p) for p in exclude} - {None}
    output_id = _folder_id(outputs) if outputs is not None else None
    files: list[Path] = []
    passed: list[Path] = []
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        dirs[:] = [d for d in dirs if not _output_folder(here / d, output_id)]
        for name in names:
            path = here / name
            found = _file_id(path)  # one stat a path: regular file or not, and which one
            if found is None or found in skip or name == places.OUTPUT_MARK:
                continue
            (passed if is_lock_or_system(path) else files).append(path)
    return sorted(files), sorted(passed)


def _output_folder(folder: Path, output_id: tuple[int, int] | None) -> bool:
    return places.is_output_folder(folder) or (output_id is not None and _folder_id(folder) == output_id)


def _folder_id(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _file_id(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a regular file (the same file under any name); None for anything else."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None
