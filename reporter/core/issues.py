"""Problems as values: an issue is a code, a severity, a location and a Japanese message, made through
the catalogue (``make``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reporter.core.catalogue import CATALOGUE, CodeSpec, Severity

__all__ = ["CATALOGUE", "CodeSpec", "Issue", "Location", "Severity", "errors", "make"]


@dataclass(frozen=True)
class Location:
    file: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""  # the label the reader sees, e.g. 「5 令和2年度実施状況」
    row: int | None = None
    column: str = ""

    def describe(self, with_file: bool = True) -> str:
        """Location as one Japanese phrase: 「master.xlsx」シート「事業」3行目「事業ID」列."""
        parts = []
        if self.file and with_file:
            parts.append(f"「{self.file}」")
        if self.sheet:
            parts.append(f"シート「{self.sheet}」")
        if self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column:
            parts.append(f"「{self.column}」列")
        if self.cell:
            parts.append(f"セル{self.cell}")
        if self.field:
            parts.append(f"「{self.field}」")
        return " ".join(parts)


@dataclass(frozen=True)
class Issue:
    code: str
    severity: Severity
    location: Location
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def line(self) -> str:
        where = self.location.describe()
        return f"{where}: {self.message}" if where else self.message


def make(code: str, location: Location = Location(), **params: object) -> Issue:
    """Build an issue through the catalogue; an unknown code fails at once."""
    spec = CATALOGUE[code]
    return Issue(code, spec.severity, location, spec.template.format(**params), params)


def errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]
