"""The self-evaluation sheet: its fields, labels, defined names and slots.

The single source that the form writer, the reader, the checks and the report use. Cell
addresses are not here: they belong to the template (templates/様式.xlsx), which the office may
restyle freely as long as every defined name below still exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

FORM_VERSION = "2"  # 2: twelve target-group slots (their names join the layout fingerprint)
FORM_MARKER = "reporter-self-evaluation-form"
TEMPLATE_SHEET = "様式"
IDENTITY_SHEET = "_identity"
LISTS_SHEET = "_lists"
PREVIOUS_SHEET = "前年度の回答"  # last year's answers, for reference (not read back)

TARGET_SLOTS = 12  # target-group checkboxes on the sheet
OLD_TARGET_SLOTS = 6  # what a template made before version 2 holds (enough for a plan of as many groups)
PARTNER_NAME_SLOTS = 3  # partners that carry a name (⑤ 相談機関名, ⑫ 各課公所名, …)
FIGURE_ROWS = 6  # rows of the yearly figures table
FIGURE_YEARS = 6  # year columns of the yearly figures table

CHECK_MARKS = ("■", "□")  # dropdown of every checkbox cell: ticked, not ticked

# Defined names of the lists in the hidden sheet, used by the dropdowns.
LIST_CHECK = "LIST_CHECK"
LIST_SCALE = "LIST_SCALE"
LIST_RATING = "LIST_RATING"
LIST_INDICATOR_CHOICE = "LIST_INDICATOR_CHOICE"  # 達成 / 一部達成 / 未達成
LIST_NO_VALUE = "LIST_NO_VALUE"  # 測定不能 / 終了 / 未着手

INDICATOR_SHEET = "指標"  # the department's indicators: this year's actual per row
# Headings of the 指標 sheet the reader finds its columns by.
INDICATOR_ID = "指標ID"
INDICATOR_ACTUAL = "今年度の実績"
INDICATOR_NO_VALUE = "実績がない場合"
INDICATOR_NOTE = "説明（増減の理由など）"
INDICATOR_HEADER_ROW = 3


class Kind(StrEnum):
    PREFILLED = "prefilled"  # written by the office, locked
    TEXT = "text"  # one line
    LONGTEXT = "longtext"  # a box of several lines
    AMOUNT = "amount"  # 千円
    CHECK = "check"  # ■ / □
    SCALE = "scale"  # ①できた … ④必要なかった
    RATING = "rating"  # the plan's rating scale: A / B / C …
    PARTNERS = "partners"  # 「①⑧⑫」 / 「なし」
    FIGURE = "figure"  # a cell of the yearly figures table


@dataclass(frozen=True)
class Field:
    name: str  # the defined name in the workbook
    label: str  # what the department sees (used in every message)
    kind: Kind
    prompt: str = ""  # Excel input message (title is the label)
    required: bool = False


def _prefilled(name: str, label: str) -> Field:
    return Field(name, label, Kind.PREFILLED)


PREFILLED: tuple[Field, ...] = (
    _prefilled("F_PLAN_NAME", "計画名"),
    _prefilled("F_FISCAL_YEAR", "評価年度"),
    _prefilled("F_POLICY_CODE", "施策（コード）"),
    _prefilled("F_POLICY_NAME", "施策（名称）"),
    _prefilled("F_PROJECT_NO", "1 事業名（番号）"),
    _prefilled("F_PROJECT_NAME", "1 事業名"),
    _prefilled("F_OVERVIEW", "2 概要"),
    _prefilled("F_DEPARTMENT", "3 担当課名"),
)

TARGETS: tuple[Field, ...] = tuple(
    Field(f"F_TARGET_{i}", f"4 事業の対象者（{i}番目の項目）", Kind.CHECK,
          "対象に当てはまる場合は「■」を選んでください（当てはまらない場合は「□」か空欄）。")
    for i in range(1, TARGET_SLOTS + 1)
)
TARGET_OTHER = Field(
    "F_TARGET_OTHER", "4 事業の対象者（その他の内容）", Kind.TEXT,
    "「その他」に■を付けた場合、その内容を記入してください。",
)

STATUS = Field("F_STATUS", "5 実施状況", Kind.LONGTEXT,
               "評価年度に実施した内容を具体的に記入してください。実施しなかった場合はその理由を記入してください。",
               required=True)
SETTLED = Field("F_SETTLED", "6 事業費（決算額）", Kind.AMOUNT,
                "評価年度の決算額を千円単位の数値で入力してください（例：1546）。事業費がない場合は 0。",
                required=True)
BUDGET = Field("F_BUDGET", "6 事業費（予算額）", Kind.AMOUNT,
               "次年度の予算額を千円単位の数値で入力してください（例：5686）。予算がない場合は 0。",
               required=True)
RESULTS = Field("F_RESULTS", "7 計画期間における事業実績", Kind.LONGTEXT,
                "計画期間を通した実績を記入してください。年度ごとの数値は下の表に入力してください。")

FIGURES: tuple[tuple[Field, ...], ...] = tuple(
    (
        Field(f"F_FIG_{r}_LABEL", f"7 年度別実績（{r}行目の項目）", Kind.FIGURE,
              "実績の項目名と単位を記入してください（例：講習会参加者（人））。"),
        *(
            Field(f"F_FIG_{r}_Y{c}", f"7 年度別実績（{r}行目・{c}列目の年度）", Kind.FIGURE,
                  "その年度の実績を数値で入力してください。実施がない年度は空欄。")
            for c in range(1, FIGURE_YEARS + 1)
        ),
        Field(f"F_FIG_{r}_TOTAL", f"7 年度別実績（{r}行目の合計）", Kind.FIGURE,
              "計画期間の合計を入力してください（合計しない項目は空欄）。"),
    )
    for r in range(1, FIGURE_ROWS + 1)
)

# Labels as messages name the fields: the plan's own wording (its level names, its collaboration
# questions) is on the form itself (the template and the master), so these stay general.
CONTRIB_YEAR = Field("F_CONTRIB_YEAR", "8 施策に対して貢献できたこと（評価年度）", Kind.LONGTEXT,
                     "評価年度の取り組みが施策にどう貢献したかを記入してください。",
                     required=True)
CONTRIB_PERIOD = Field("F_CONTRIB_PERIOD", "8 計画期間を通して施策に対して貢献できたこと",
                       Kind.LONGTEXT, "計画期間全体を通した貢献を記入してください。")
CHALLENGES = Field("F_CHALLENGES", "8（1）課題と今後の取り組みの方向性", Kind.LONGTEXT,
                   "課題と今後の取り組みの方向性を記入してください。", required=True)
COLLAB_INTERNAL = Field("F_COLLAB_INTERNAL", "9（1）連携状況（1つ目の設問）", Kind.SCALE,
                        "一覧から選んでください。", required=True)
COLLAB_COMMUNITY = Field("F_COLLAB_COMMUNITY", "9（1）連携状況（2つ目の設問）", Kind.SCALE,
                         "一覧から選んでください。", required=True)
PARTNERS_DONE = Field("F_PARTNERS_DONE", "9（2）連携できた相手", Kind.PARTNERS,
                      "上の一覧の番号を記入してください（例：①⑧⑫）。ない場合は「なし」。",
                      required=True)
PARTNERS_WANTED = Field("F_PARTNERS_WANTED", "9（2）連携したかったができなかった相手",
                        Kind.PARTNERS,
                        "上の一覧の番号を記入してください（例：②④）。ない場合は「なし」。",
                        required=True)
PARTNER_NAMES: tuple[Field, ...] = tuple(
    Field(f"F_PARTNER_NAME_{i}", f"9（2）連携相手の名称（{i}）", Kind.TEXT,
          "この番号を選んだ場合、相手の名称を記入してください。")
    for i in range(1, PARTNER_NAME_SLOTS + 1)
)
COLLAB_DETAIL = Field("F_COLLAB_DETAIL", "9（3）上記の理由、具体的な連携の状況", Kind.LONGTEXT,
                      "うまくいった点、工夫した点などを記入してください。", required=True)

RATING = Field("F_RATING", "10 事業の自己評価", Kind.RATING,
                "この事業の評価を一覧から選んでください（記号の意味は上の行）。")
RATING_REASON = Field("F_RATING_REASON", "10 自己評価の理由", Kind.LONGTEXT,
                      "その評価とした理由を、実績や目標に照らして記入してください。")

INPUTS: tuple[Field, ...] = (
    *TARGETS, TARGET_OTHER, STATUS, SETTLED, BUDGET, RESULTS,
    *(f for row in FIGURES for f in row),
    CONTRIB_YEAR, CONTRIB_PERIOD, CHALLENGES, COLLAB_INTERNAL, COLLAB_COMMUNITY,
    PARTNERS_DONE, PARTNERS_WANTED, *PARTNER_NAMES, COLLAB_DETAIL, RATING, RATING_REASON,
)
FIELDS: tuple[Field, ...] = (*PREFILLED, *INPUTS)
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

# Notes the form writer fills from the master, each in a row of its own that is hidden when the
# sheet has nothing to say there: the policies above the sheet's own, the other placements the
# sheet answers for, the project's classifications (分類軸).
NOTE_NAMES: tuple[str, ...] = ("L_POLICY_PATH", "L_ALSO_PLACED", "L_AXES")

# Label cells the form writer fills from the master (not read back as data).
LABEL_NAMES: tuple[str, ...] = (
    "L_POLICY_LEVEL",
    *NOTE_NAMES,
    *(f"L_TARGET_{i}" for i in range(1, TARGET_SLOTS + 1)),
    *(f"L_FIG_Y{c}" for c in range(1, FIGURE_YEARS + 1)),
    "L_SCALE_LEGEND",
    "L_PARTNER_LEGEND",
    *(f"L_PARTNER_NAME_{i}" for i in range(1, PARTNER_NAME_SLOTS + 1)),
    "L_RATING_LEGEND",
)
# Names a template made before the self-rating may lack: needed only when the master asks for it.
RATING_NAMES: tuple[str, ...] = ("F_RATING", "F_RATING_REASON", "L_RATING_LEGEND")
# Names a template made before version 2 may lack: the notes are then not shown, and a plan of more
# target groups than the template's slots is refused (writer.check_template).
LATER_NAMES: tuple[str, ...] = (
    *NOTE_NAMES,
    *(f"{prefix}_TARGET_{i}" for i in range(OLD_TARGET_SLOTS + 1, TARGET_SLOTS + 1) for prefix in ("F", "L")),
)

ALL_NAMES: tuple[str, ...] = (*(f.name for f in FIELDS), *LABEL_NAMES)
