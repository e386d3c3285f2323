"""LibreOffice headless: the report's PDF, and converting documents (re-saving in tests).

Each run of LibreOffice is in a session of its own with a private profile folder named after
this process (``reporter-lo-<pid>-…``). If this process is killed outright, nothing is left for
long: the next run's ``sweep`` ends the LibreOffice processes of a profile whose owner no longer
runs and removes the folder.

The PDF is made in one run: a small Basic macro (``pdf.xba``) opens the report, brings its table
of contents up to date (headings and page numbers, as Word does on opening) and exports a
tagged PDF. A macro can only live in a profile LibreOffice has already set up, so one set-up
profile is kept in the user's own cache folder and copied for each run. Fonts the report names
but this machine lacks (Windows' Japanese fonts) are mapped to the IPAex fonts for LibreOffice
alone: looking for each character in fonts that do not have it took half the time.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import suppress
from importlib import resources
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
    outdir.mkdir(parents=True, exist_ok=True)
    with _profile() as profile:
        _run([f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to",
              target_format, "--outdir", str(outdir), str(source)], timeout)
    produced = outdir / f"{source.stem}.{target_format.split(':')[0]}"
    if not produced.exists():
        raise RuntimeError(f"LibreOffice did not produce {produced}")
    return produced


def report_pdf(source: Path, timeout: float = 180) -> bytes:
    """The report's tagged PDF, its table of contents brought up to date, in one LibreOffice run."""
    return report_pdfs([source], timeout)[0]


def report_pdfs(sources: list[Path], timeout: float = 180) -> list[bytes]:
    """Each document's tagged PDF (PDF/UA), its table of contents brought up to date, all in one
    LibreOffice run (on copies under plain names: the macro's arguments are quoted strings)."""
    for attempt in range(2):
        with _profile(_macro_profile(rebuild=attempt > 0)) as profile:
            pairs = [(profile / f"report{n}.docx", profile / f"report{n}.pdf") for n in range(len(sources))]
            for source, (work, _) in zip(sources, pairs, strict=True):
                shutil.copyfile(source, work)
            argument = "|".join(f"{work}|{pdf}" for work, pdf in pairs)
            _run([f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--invisible",
                  f'macro:///{MACRO_LIBRARY}.Pdf.ExportAll("{argument}")'], timeout, fonts=profile)
            if all(pdf.exists() for _, pdf in pairs):
                return [pdf.read_bytes() for _, pdf in pairs]
    raise RuntimeError("LibreOffice did not produce the PDF")


def _run(args: list[str], timeout: float, fonts: Path | None = None) -> None:
    soffice = find_soffice()
    posix = sys.platform != "win32"
    env = dict(os.environ)
    if fonts is not None and posix:
        env["FONTCONFIG_FILE"] = str(_font_aliases(fonts))
    process = subprocess.Popen([soffice, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=posix, env=env)
    try:
        out, err = process.communicate(timeout=timeout)
    except BaseException:  # the time bound, Ctrl-C: LibreOffice and its children go too
        _end_group(process.pid, posix)  # before the leader is reaped, its number is still ours
        process.kill()
        process.wait()
        raise
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, [soffice, *args], out, err)


class _profile:
    """A private profile folder for one run: empty, or a copy of ``template``."""

    def __init__(self, template: Path | None = None) -> None:
        self.template = template
        self.folder: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        sweep()
        self.folder = tempfile.TemporaryDirectory(prefix=f"{PROFILE_PREFIX}{os.getpid()}-")
        path = Path(self.folder.name)
        if self.template is not None:
            shutil.copytree(self.template, path, dirs_exist_ok=True)
        return path

    def __exit__(self, *exc: object) -> None:
        assert self.folder is not None
        self.folder.cleanup()


MACRO_LIBRARY = "ReporterPdf"
# Windows' Japanese fonts a template may name, and the IPAex font of the same kind.
FONT_ALIASES = {
    "IPAexGothic": ("游ゴシック", "游ゴシック体", "Yu Gothic", "Yu Gothic UI", "ＭＳ ゴシック", "MS Gothic",
                    "ＭＳ Ｐゴシック", "MS PGothic", "メイリオ", "Meiryo", "BIZ UDゴシック", "BIZ UDPゴシック"),
    "IPAexMincho": ("游明朝", "游明朝体", "Yu Mincho", "ＭＳ 明朝", "MS Mincho", "ＭＳ Ｐ明朝", "MS PMincho",
                    "BIZ UD明朝"),
}


def _font_aliases(folder: Path) -> Path:
    aliases = "".join(f'<alias binding="strong"><family>{name}</family><prefer><family>{ipa}</family></prefer></alias>'
                      for ipa, names in FONT_ALIASES.items() for name in names)
    path = folder / "fonts.conf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"{aliases}</fontconfig>", encoding="utf-8")
    return path


def _macro_profile(rebuild: bool = False) -> Path:
    """A profile LibreOffice has set up, holding the PDF macro; made once per LibreOffice, in the
    user's own cache folder (a profile holds code LibreOffice runs: never a shared folder)."""
    soffice = find_soffice()
    key = hashlib.sha256(f"{Path(soffice).resolve()}:{_MACRO_VERSION}".encode()).hexdigest()[:12]
    folder = _cache() / f"libreoffice-{key}"
    library = folder / "user" / "basic" / MACRO_LIBRARY
    if library.is_dir() and not rebuild:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    with _profile() as fresh:
        _run([f"-env:UserInstallation={fresh.as_uri()}", "--headless", "--norestore", "--terminate_after_init"], 120)
        basic = fresh / "user" / "basic"
        (basic / MACRO_LIBRARY).mkdir(parents=True, exist_ok=True)
        (basic / MACRO_LIBRARY / "script.xlb").write_text(_LIBRARY, encoding="utf-8")
        (basic / MACRO_LIBRARY / "Pdf.xba").write_text(
            resources.files("reporter").joinpath("data", "pdf.xba").read_text(encoding="utf-8"), encoding="utf-8")
        index = basic / "script.xlc"
        text = index.read_text(encoding="utf-8")
        entry = (f'<library:library library:name="{MACRO_LIBRARY}" xlink:href="$(USER)/basic/{MACRO_LIBRARY}/'
                 'script.xlb/" xlink:type="simple" library:link="false"/>')
        index.write_text(text.replace("</library:libraries>", entry + "</library:libraries>"), encoding="utf-8")
        staging = folder.with_name(f"{folder.name}.{os.getpid()}")
        shutil.copytree(fresh, staging, dirs_exist_ok=True)
        with suppress(OSError):
            os.replace(staging, folder)  # another run may have made it meanwhile: theirs is as good
        shutil.rmtree(staging, ignore_errors=True)
    return folder


_MACRO_VERSION = "2"  # bump when pdf.xba changes: the cached profile is made anew
_LIBRARY = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="{MACRO_LIBRARY}" \
library:readonly="false" library:passwordprotected="false"><library:element library:name="Pdf"/></library:library>
"""


def _cache() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "reporter"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


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
