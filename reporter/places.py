"""Where inputs and outputs live: outputs never on or inside an input, the mark that keeps the
tool's own outputs out of discovery, and what a killed run left behind.

Checked before any work: an output path that equals an input (the master, a template, a
submission) or lies inside the input folder is refused; the output folder may lie inside the
input folder (``reporter check .``), because it carries ``OUTPUT_MARK`` and discovery passes
over every folder that does.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path

from reporter.errors import PlaceError

OUTPUT_MARK = ".reporter-output"
MARK_TEXT = ("このフォルダは reporter の出力先です。reporter check / build は、このフォルダの中のファイルを"
             "提出されたシートとして読みません。\n"
             "This folder holds reporter's outputs; discovery of submissions passes over it.\n")
STALE_AFTER = 24 * 3600  # seconds; a temporary file this old is stale whoever made it
_TEMPORARY = re.compile(r"^\.tmp-(\d+)-(old-)?")


def ensure_apart(input_folder: Path | None, input_files: Mapping[str, Path], output_folder: Path,
                 output_files: Mapping[str, Path | None]) -> None:
    """Refuse outputs that would replace an input or be read as one next time."""
    folder = input_folder.resolve() if input_folder is not None else None
    out_folder = output_folder.resolve()
    files = {label: p.resolve() for label, p in input_files.items()}
    if folder is not None and (out_folder == folder or folder.is_relative_to(out_folder)):
        raise PlaceError(f"出力先「{output_folder}」が、届いたファイルを読むフォルダ「{input_folder}」と同じか、"
                         "それを含んでいます。出力先（--output）を別のフォルダにしてください。")
    for label, path in files.items():
        if out_folder == path:
            raise PlaceError(f"出力先「{output_folder}」が{label}「{input_files[label]}」と同じです。"
                             "出力先（--output）を別のフォルダにしてください。")
    for out_label, given in output_files.items():
        if given is None:
            continue
        target = given.resolve()
        for label, path in files.items():
            if target == path:
                raise PlaceError(f"{out_label}の書き出し先「{given}」は{label}です。上書きしないよう、"
                                 "別のファイル名を指定してください。")
        if folder is not None and target.is_relative_to(folder) and not target.is_relative_to(out_folder):
            raise PlaceError(f"{out_label}の書き出し先「{given}」が、届いたファイルを読むフォルダ「{input_folder}」"
                             "の中にあります。次回の点検で提出物として読まれないよう、別の場所を指定してください。")
        if target.is_dir():
            raise PlaceError(f"{out_label}の書き出し先「{given}」はフォルダです。ファイル名を指定してください。")


def mark_output(folder: Path) -> None:
    """Mark ``folder`` as the tool's output folder (discovery passes over it)."""
    mark = folder / OUTPUT_MARK
    if not mark.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with suppress(OSError):  # a read-only mark is no reason to stop: the outputs matter more
            mark.write_text(MARK_TEXT, encoding="utf-8")


def is_output_folder(folder: Path) -> bool:
    return (folder / OUTPUT_MARK).is_file()


def sweep(folder: Path) -> list[Path]:
    """Remove what killed runs left in ``folder`` (recursively): temporary files of a process
    that no longer runs, or older than a day. An old file that a killed run had moved aside
    and not yet replaced is put back. Returns what was removed or restored."""
    if not folder.is_dir():
        return []
    found: list[Path] = []
    for root, _, names in os.walk(folder):
        for name in names:
            m = _TEMPORARY.match(name)
            if m is None:
                continue
            path = Path(root) / name
            if not _stale(int(m.group(1)), path):
                continue
            with suppress(OSError):
                original = path.with_name(name[m.end():].split("-", 1)[-1]) if m.group(2) else None
                if original is not None and not original.exists():
                    os.replace(path, original)  # the run died between moving the old file aside and placing the new
                else:
                    path.unlink()
                found.append(path)
    return found


TEMPORARY_PREFIX = "reporter-"
_TEMPORARY_FOLDER = re.compile(rf"^{TEMPORARY_PREFIX}(\d+)-")


def temporary_prefix() -> str:
    """The prefix of a temporary folder of this process (charts, the PDF's passes): its number
    tells a later run whether it is still in use."""
    return f"{TEMPORARY_PREFIX}{os.getpid()}-"


def sweep_temporary(root: Path | None = None) -> list[Path]:
    """Remove the temporary folders of reporter processes that no longer run."""
    root = root or Path(tempfile.gettempdir())
    removed = []
    with suppress(OSError):
        for folder in root.iterdir():
            m = _TEMPORARY_FOLDER.match(folder.name)
            if m is not None and folder.is_dir() and _stale(int(m.group(1)), folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _stale(pid: int, path: Path) -> bool:
    with suppress(OSError):
        if time.time() - path.stat().st_mtime > STALE_AFTER:
            return True
    return pid != os.getpid() and not alive(pid)


def alive(pid: int) -> bool:
    """Whether a process with this number runs (on Windows, where asking could end it, it is
    taken to run: temporary files there are swept by age only)."""
    if sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
