"""Every exception the command line may catch, in one place; each carries a plain Japanese
message for the office (``str(exc)``) unless it says otherwise."""

from __future__ import annotations

from pathlib import Path


class UsageError(Exception):
    """Something the office gave cannot be used (exit 2, nothing written)."""


class FormTemplateError(UsageError):
    """The form template (様式.xlsx) cannot be used."""


class ReportTemplateError(UsageError):
    """The Word template cannot be used. ``kind`` says which way, for programs and tests:
    missing, undefined-name, syntax, malformed."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class PlaceError(UsageError):
    """An output would overwrite or land inside an input."""


class OutputLockedError(OSError):
    """The target exists but cannot be replaced (for example, it is open in Excel)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"cannot replace {path}")
        self.path = path

    def __reduce__(self) -> tuple[type[OutputLockedError], tuple[Path]]:  # crosses back from a worker
        return type(self), (self.path,)


class OfficeMissingError(Exception):
    """LibreOffice is not installed (the PDF is skipped, the rest is made)."""


class HistoryError(UsageError):
    """The history database cannot be used for this plan or year (exit 2), or is damaged
    (``damaged``: exit 3). The file is left as it was."""

    def __init__(self, message: str, damaged: bool = False) -> None:
        super().__init__(message)
        self.damaged = damaged


class HistoryLockedError(Exception):
    """Another process is writing the history database (exit 3); nothing was recorded."""
