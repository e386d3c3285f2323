"""LibreOffice headless: converting documents (PDF for the report, re-saving in tests)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("soffice", "libreoffice")
# Writer's PDF export with tagged PDF (structure for screen readers) switched on.
TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


class OfficeMissingError(Exception):
    """LibreOffice is not installed; the message is plain Japanese."""


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
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", target_format, "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=timeout,
        )
    produced = outdir / f"{source.stem}.{target_format.split(':')[0]}"
    if not produced.exists():
        raise RuntimeError(f"LibreOffice did not produce {produced}")
    return produced
