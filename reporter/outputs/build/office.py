"""LibreOffice headless: converting documents (PDF for the report, re-saving in tests).

Each conversion runs LibreOffice in a session of its own with a private profile folder named
after this process (``reporter-lo-<pid>-…``). If this process is killed outright, nothing is
left for long: the next run's ``sweep`` ends the LibreOffice processes of a profile whose owner
no longer runs and removes the folder.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

from reporter import places
from reporter.errors import OfficeMissingError

CANDIDATES = ("soffice", "libreoffice")
# Writer's PDF export with tagged PDF (structure for screen readers) switched on.
TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
PROFILE_PREFIX = "reporter-lo-"  # not reporter-<digits>-: places.sweep_temporary leaves it to ``sweep``
_PROFILE = re.compile(rf"^{PROFILE_PREFIX}(\d+)-")


def find_soffice() -> str:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise OfficeMissingError(
        "LibreOffice が見つかりません。PDF を作るには LibreOffice をインストールしてください"
        "（Windows は公式サイトから、Debian/Ubuntu は apt-get install libreoffice-writer-nogui）。")


def convert(source: Path, target_format: str, outdir: Path, timeout: float = 180) -> Path:
    """Convert ``source`` with LibreOffice into ``outdir``; returns the new file's path.

    ``target_format`` is what --convert-to takes, e.g. 'pdf' or 'xlsx:Calc MS Excel 2007 XML'.
    A private user profile keeps parallel runs from blocking each other.
    """
    soffice = find_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    sweep()
    with tempfile.TemporaryDirectory(prefix=f"{PROFILE_PREFIX}{os.getpid()}-") as profile:
        args = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                "--convert-to", target_format, "--outdir", str(outdir), str(source)]
        posix = sys.platform != "win32"
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=posix)
        try:
            out, err = process.communicate(timeout=timeout)
        except BaseException:  # the time bound, Ctrl-C: LibreOffice and its children go too
            _end_group(process.pid, posix)  # before the leader is reaped, its number is still ours
            process.kill()
            process.wait()
            raise
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, args, out, err)
    produced = outdir / f"{source.stem}.{target_format.split(':')[0]}"
    if not produced.exists():
        raise RuntimeError(f"LibreOffice did not produce {produced}")
    return produced


def _end_group(group: int, posix: bool) -> None:
    if posix:
        with suppress(OSError):
            os.killpg(group, signal.SIGKILL)


def _processes_of(profile: Path) -> list[int]:
    """The processes started with ``profile`` (LibreOffice's launcher and the office itself
    carry it on their command line). Only Linux tells; elsewhere the processes are left be."""
    uri = profile.as_uri().encode()
    found = []
    with suppress(OSError):
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with suppress(OSError):
                    if uri in (entry / "cmdline").read_bytes():
                        found.append(int(entry.name))
    return found


def sweep(root: Path | None = None) -> list[Path]:
    """End the LibreOffice processes and remove the profile folders of conversions whose owner
    (a reporter process) no longer runs. Returns the folders removed."""
    root = root or Path(tempfile.gettempdir())
    removed = []
    with suppress(OSError):
        for folder in root.iterdir():
            m = _PROFILE.match(folder.name)
            if m is None or not folder.is_dir() or places.alive(int(m.group(1))):
                continue
            for pid in _processes_of(folder):
                with suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
