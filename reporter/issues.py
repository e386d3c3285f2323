"""Problems as values: severities, locations, the catalogue of codes and their Japanese messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "エラー", "warning": "警告", "info": "お知らせ"}[self.value]


@dataclass(frozen=True)
class Location:
    file: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""  # the label the reader sees, e.g. 「5 令和2年度実施状況」
    row: int | None = None
    column: str = ""

    def describe(self) -> str:
        """Location as one Japanese phrase: 「master.xlsx」シート「事業」3行目「事業ID」列."""
        parts = []
        if self.file:
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
            parts.append(f"（{self.field}）")
        return " ".join(parts)


@dataclass(frozen=True)
class CodeSpec:
    severity: Severity
    template: str  # Japanese, with {placeholders}
    description: str  # one line, English, for maintainers


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


CATALOGUE: dict[str, CodeSpec] = {
    # --- the plan master (the office's own workbook) ---
    "master.unreadable": CodeSpec(
        Severity.ERROR,
        "計画マスタを開けませんでした（{reason}）。Excel で開けるか、ファイル名と場所を確認してください。",
        "The plan master file cannot be opened.",
    ),
    "master.missing-sheet": CodeSpec(
        Severity.ERROR,
        "シート「{sheet}」がありません。テンプレートと同じ名前のシートを用意してください。",
        "A required sheet of the plan master is missing.",
    ),
    "master.missing-column": CodeSpec(
        Severity.ERROR,
        "見出し「{column}」の列がありません。1行目に見出しを入れてください。",
        "A required column heading is missing.",
    ),
    "master.missing-setting": CodeSpec(
        Severity.ERROR,
        "項目「{key}」が入力されていません。A列に項目名、B列に値を入力してください。",
        "A required plan setting is missing.",
    ),
    "master.empty-value": CodeSpec(
        Severity.ERROR,
        "「{column}」が空欄です。値を入力してください。",
        "A required value is empty.",
    ),
    "master.bad-value": CodeSpec(
        Severity.ERROR,
        "「{column}」の値「{value}」を読み取れません。{hint}",
        "A value has the wrong form (year, number, yes/no).",
    ),
    "master.duplicate-id": CodeSpec(
        Severity.ERROR,
        "「{column}」の「{value}」が重複しています（{first_row}行目と同じ）。"
        "重複しない値に直してください。",
        "An identifier appears twice.",
    ),
    "master.unknown-parent": CodeSpec(
        Severity.ERROR,
        "親コード「{value}」が施策体系にありません。施策体系のコードを入力するか、"
        "最上位なら空欄にしてください。",
        "A policy's parent code is not in the policy tree.",
    ),
    "master.cycle": CodeSpec(
        Severity.ERROR,
        "施策体系が循環しています（{path}）。親コードを直してください。",
        "The policy tree has a cycle.",
    ),
    "master.unknown-policy": CodeSpec(
        Severity.ERROR,
        "施策コード「{value}」が施策体系にありません。施策体系にあるコードを入力してください。",
        "A project placement names a policy code that is not in the tree.",
    ),
    "master.unknown-project": CodeSpec(
        Severity.ERROR,
        "事業ID「{value}」が事業シートにありません。事業シートにある事業IDを入力してください。",
        "A placement or department row names an unknown project ID.",
    ),
    "master.project-unplaced": CodeSpec(
        Severity.ERROR,
        "事業「{value}」がどの施策にも位置づけられていません。事業配置シートに行を追加してください。",
        "A project belongs to no policy.",
    ),
    "master.project-without-department": CodeSpec(
        Severity.ERROR,
        "事業「{value}」に担当課がありません。担当課シートに行を追加してください。",
        "A project has no reporting department.",
    ),
    "master.year-outside-plan": CodeSpec(
        Severity.ERROR,
        "評価年度 {year} が計画期間（{first}～{last}）の外です。評価年度か計画期間を直してください。",
        "The fiscal year under review is outside the plan period.",
    ),
    "master.bad-period": CodeSpec(
        Severity.ERROR,
        "計画期間の開始年度（{first}）が終了年度（{last}）より後です。年度を直してください。",
        "The plan period is reversed.",
    ),
    "master.empty-list": CodeSpec(
        Severity.ERROR,
        "選択肢「{kind}」が1件もありません。選択肢シートに行を追加してください。",
        "A choice list the form needs is empty.",
    ),
    "master.too-many-choices": CodeSpec(
        Severity.ERROR,
        "選択肢「{kind}」が{count}件あり、様式の欄（{slots}件）に収まりません。"
        "件数を減らすか、様式テンプレートに欄を追加してください。",
        "The form template has fewer slots than the master's list.",
    ),
    "master.too-many-years": CodeSpec(
        Severity.ERROR,
        "計画期間が{count}年度あり、様式の年度別実績の列（{slots}列）に収まりません。",
        "The plan period is longer than the template's yearly columns.",
    ),
}


def make(code: str, location: Location = Location(), **params: object) -> Issue:
    """Build an issue through the catalogue; an unknown code fails at once."""
    spec = CATALOGUE[code]
    return Issue(code, spec.severity, location, spec.template.format(**params), params)


def errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]
