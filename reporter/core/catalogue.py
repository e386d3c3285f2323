"""The catalogue of issue codes: default severity, Japanese message template, description.

Codes are stable ASCII, ``level.kebab-name``; tests and filters use codes, never message text.
Messages say what is wrong and how to fix it, in the label the reader sees; the location goes
in its own columns. Every code is listed in the README (tests/test_docs.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "エラー", "warning": "警告", "info": "お知らせ"}[self.value]


@dataclass(frozen=True)
class CodeSpec:
    severity: Severity
    template: str  # Japanese, with {placeholders}
    description: str  # one line, English, for maintainers


ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: dict[str, CodeSpec] = {
    # --- the plan master (the office's own workbook) ---
    "master.unreadable": CodeSpec(
        ERR,
        "計画マスタを開けませんでした（{reason}）。Excel で開けるか、ファイル名と場所を確認してください。",
        "The plan master file cannot be opened.",
    ),
    "master.missing-sheet": CodeSpec(
        ERR,
        "シート「{sheet}」がありません。テンプレートと同じ名前のシートを用意してください。",
        "A required sheet of the plan master is missing.",
    ),
    "master.missing-column": CodeSpec(
        ERR,
        "見出し「{column}」の列がありません。1行目に見出しを入れてください。",
        "A required column heading is missing.",
    ),
    "master.missing-setting": CodeSpec(
        ERR,
        "項目「{key}」が入力されていません。A列に項目名、B列に値を入力してください。",
        "A required plan setting is missing.",
    ),
    "master.empty-value": CodeSpec(
        ERR,
        "「{column}」が空欄です。値を入力してください。",
        "A required value is empty.",
    ),
    "master.bad-value": CodeSpec(
        ERR,
        "「{column}」の値「{value}」を読み取れません。{hint}",
        "A value has the wrong form (year, number, yes/no).",
    ),
    "master.duplicate-id": CodeSpec(
        ERR,
        "「{column}」の「{value}」が重複しています（{first_row}行目と同じ）。"
        "重複しない値に直してください。",
        "An identifier appears twice.",
    ),
    "master.unknown-parent": CodeSpec(
        ERR,
        "親コード「{value}」が施策体系にありません。施策体系のコードを入力するか、"
        "最上位なら空欄にしてください。",
        "A policy's parent code is not in the policy tree.",
    ),
    "master.cycle": CodeSpec(
        ERR,
        "施策体系が循環しています（{path}）。親コードを直してください。",
        "The policy tree has a cycle.",
    ),
    "master.unknown-policy": CodeSpec(
        ERR,
        "施策コード「{value}」が施策体系にありません。施策体系にあるコードを入力してください。",
        "A project placement names a policy code that is not in the tree.",
    ),
    "master.unknown-project": CodeSpec(
        ERR,
        "事業ID「{value}」が事業シートにありません。事業シートにある事業IDを入力してください。",
        "A placement or department row names an unknown project ID.",
    ),
    "master.project-unplaced": CodeSpec(
        ERR,
        "事業「{value}」がどの施策にも位置づけられていません。事業配置シートに行を追加してください。",
        "A project belongs to no policy.",
    ),
    "master.project-without-department": CodeSpec(
        ERR,
        "事業「{value}」に担当課がありません。担当課シートに行を追加してください。",
        "A project has no reporting department.",
    ),
    "master.year-outside-plan": CodeSpec(
        ERR,
        "評価年度 {year} が計画期間（{first}～{last}）の外です。評価年度か計画期間を直してください。",
        "The fiscal year under review is outside the plan period.",
    ),
    "master.bad-period": CodeSpec(
        ERR,
        "計画期間の開始年度（{first}）が終了年度（{last}）より後です。年度を直してください。",
        "The plan period is reversed.",
    ),
    "master.empty-list": CodeSpec(
        ERR,
        "選択肢「{kind}」が1件もありません。選択肢シートに行を追加してください。",
        "A choice list the form needs is empty.",
    ),
    "master.too-many-choices": CodeSpec(
        ERR,
        "選択肢「{kind}」が{count}件ありますが、自己評価シートの欄は{slots}件までです。"
        "{slots}件以内にまとめてください（まとめられない場合は開発者に相談してください）。",
        "A choice list is longer than the form's slots (the form would drop the rest).",
    ),
    "master.too-many-years": CodeSpec(
        ERR,
        "計画期間が{count}年度ありますが、自己評価シートの年度別実績の列は{slots}年度分までです。"
        "計画開始年度・計画終了年度を確かめてください。",
        "The plan period is longer than the form's yearly columns.",
    ),
    "master.unknown-column": CodeSpec(
        WARN,
        "「{column}」はこのツールが使わない列（項目）のため、読み飛ばしました。名前の誤りでないか確認してください。",
        "A column (or plan setting) of the master that the tool does not read.",
    ),
    "master.unknown-sheet": CodeSpec(
        WARN,
        "シート「{sheet}」はこのツールが使わないシートのため、読み飛ばしました。名前の誤りでないか確認してください。",
        "A sheet of the master that the tool does not read.",
    ),
    "master.unknown-department": CodeSpec(
        ERR,
        "報告担当「{value}」が「担当課」シートにありません。担当課名と同じ名前を入力してください（その課の様式に指標が載ります）。",
        "An indicator's reporting department is not a department of the plan.",
    ),
    "master.rule-unusable": CodeSpec(
        ERR,
        "指標「{id}」は評価基準を当てはめられません（{reason}）。{hint}",
        "The rating rule cannot be applied to an indicator (no baseline, no target, a zero span).",
    ),
    "master.bad-bands": CodeSpec(
        ERR,
        "評価「{label}」の区分を使えません：{reason}。",
        "The rating scale's bands overlap, leave a gap or do not fit the method.",
    ),
    "master.unknown-axis": CodeSpec(
        ERR,
        "分類の軸「{value}」は「分類軸」シートにありません（ある軸：{axes}）。軸名を直すか、「分類軸」シートに追加してください。",
        "A project's classification names an axis the 分類軸 sheet does not declare.",
    ),
    "master.unknown-axis-value": CodeSpec(
        ERR,
        "「{value}」は分類軸「{axis}」の値にありません（ある値：{values}）。値を直すか、「分類軸」シートに追加してください。",
        "A project's classification value is not declared for its axis.",
    ),
    "master.mixed-axis-kind": CodeSpec(
        ERR,
        "分類軸「{axis}」の区分が {first_row} 行目と違います。個別計画の軸は、すべての行の区分を「個別計画」にしてください。",
        "An axis is marked as a sub-plan on some rows only.",
    ),
    "master.unknown-level": CodeSpec(
        ERR,
        "グラフの階層「{value}」は施策体系にありません（ある階層名：{levels}）。階層名か、1 から数えた階層の番号を入力してください。",
        "The chart level names no level of the tree.",
    ),
    "file.not-workbook": CodeSpec(
        ERR, "Excel ブック（.xlsx）ではないため読み取れません。配布した自己評価シート（.xlsx）に記入して送り直してください。",
        "The file is not a workbook (by content, whatever its extension)."),
    "file.empty": CodeSpec(
        ERR, "ファイルが空（0 バイト）です。保存し直して送り直してください。",
        "The file has no bytes."),
    "file.encrypted": CodeSpec(
        ERR, "パスワードが設定されているため読み取れません。パスワードを解除して保存し直し、送り直してください。",
        "A password-protected (encrypted) workbook."),
    "file.old-format": CodeSpec(
        ERR, "古い Excel 形式（.xls）のため読み取れません。Excel で開き、［名前を付けて保存］で"
        "「Excel ブック (*.xlsx)」を選んで保存し直し、送り直してください。",
        "An Excel 97-2003 .xls file."),
    "file.ods-format": CodeSpec(
        ERR, "OpenDocument 形式（.ods）のため読み取れません。「Excel 2007-365 (.xlsx)」形式で保存し直し、送り直してください。",
        "An OpenDocument spreadsheet."),
    "file.damaged": CodeSpec(
        ERR, "ファイルが壊れているため読み取れません（{reason}）。元のファイルを Excel で開けるか確かめ、保存し直して送り直してください。",
        "The workbook cannot be parsed."),
    "file.unsafe": CodeSpec(
        ERR, "安全のため読み込みを中止しました（{reason}）。配布した様式に記入し直して送り直してください。",
        "The container breaks a safety limit (size, member count, ratio, used range) or its XML "
        "cannot be parsed safely (a DTD, an unreadable encoding, broken structure)."),
    "file.reader-crashed": CodeSpec(
        ERR, "読み込みの途中で処理が異常終了しました（ファイルの内容が原因と考えられます）。"
        "Excel で開いて［名前を付けて保存］で保存し直し、送り直してください。",
        "Reading the file killed its worker process (a native library aborted or ran out of memory)."),
    "file.too-slow": CodeSpec(
        ERR, "読み込みに {seconds} 秒以上かかるため中止しました。Excel で開いて［名前を付けて保存］で保存し直し、送り直してください。",
        "Reading the file took longer than the time bound per file."),
    "file.internal-error": CodeSpec(
        ERR, "点検の途中で予期しないエラーが起きたため、このファイルは点検できませんでした（{detail}）。"
        "お手数ですが、このファイルを添えて開発者に連絡してください。",
        "The checks raised an unexpected exception on this file (a bug); the batch went on."),
    "file.feedback-failed": CodeSpec(
        WARN, "このファイルの確認結果のブック（色とコメント付きの写し）を作れませんでした（{reason}）。"
        "点検は済んでいます。確認結果はテキスト（.txt）で伝えてください。",
        "The marked feedback copy of a checked file could not be written; the text feedback was."),
    "file.not-a-form": CodeSpec(
        ERR, "配布した自己評価シートではありません（様式の識別情報がありません）。配布した様式に記入して送り直してください。",
        "A workbook without our hidden identity (a foreign or home-made form)."),
    # --- the form's identity ---
    "form.wrong-plan": CodeSpec(
        ERR, "別の計画「{found}」の様式です。「{expected}」の様式に記入して送り直してください。",
        "The form was made for another plan."),
    "form.wrong-year": CodeSpec(
        ERR, "{found}の様式です（今回は{expected}）。前年度の様式を使っていないか確認し、今年度の様式に記入して送り直してください。",
        "The form was made for another fiscal year (for example last year's)."),
    "form.old-version": CodeSpec(
        ERR, "古い版の様式（版 {found}）です。今回配布した様式（版 {expected}）に記入して送り直してください。",
        "The form was made by another version of the form layout."),
    "form.unknown-department": CodeSpec(
        ERR, "担当課「{value}」は計画マスタにありません。配布した様式かどうか確認してください。",
        "The form's department is not in the master."),
    "form.unknown-project": CodeSpec(
        ERR, "このシートの事業（事業ID {project_id}、施策 {policy_code}）は計画マスタにありません。"
        "今年度配布した様式に記入して送り直してください。",
        "A sheet's (project, policy, department) is not expected by the master."),
    "form.no-sheets": CodeSpec(
        ERR, "自己評価シートが1枚もありません。シートを削除していないか確認し、配布した様式に記入して送り直してください。",
        "The workbook has the identity but no form sheet."),
    "form.sheet-missing": CodeSpec(
        ERR, "配布したシート「{sheet_name}」（{project}）がありません。削除していないか確認し、シートを戻して送り直してください。",
        "A sheet listed in the identity is not in the workbook."),
    "form.sheet-renamed": CodeSpec(
        INFO, "シート名が「{original}」から変わっていますが、内容から同じシートと判断して読み取りました。",
        "A sheet was renamed; recognised by its pre-filled cells."),
    "form.sheet-copied": CodeSpec(
        ERR, "配布していないシートです（シートのコピーと思われます）。1つの事業は配布したシート1枚に記入し、このシートは削除してください。",
        "A form sheet that is not in the identity (a copy)."),
    "form.layout-changed": CodeSpec(
        ERR, "様式の行・列が変更されています（行の挿入・削除など）。配布した様式に記入し直して送り直してください。",
        "The layout fingerprint differs: rows or cells were inserted, deleted or moved."),
    "form.department-mismatch": CodeSpec(
        ERR, "担当課名が「{found}」に変わっています（配布時は「{expected}」）。他課の様式を使っていないか確認してください。",
        "The department on the sheet differs from the form's identity."),
    "form.prefilled-changed": CodeSpec(
        WARN, "記入済みの「{label}」が「{found}」に変わっています（配布時は「{expected}」）。変更が必要な場合は企画担当にご連絡ください。",
        "A pre-filled value was edited."),
    # --- cells ---
    "cell.required": CodeSpec(
        ERR, "未記入です。記入してください。", "A required field is empty."),
    "cell.not-a-number": CodeSpec(
        ERR, "「{value}」は数値として読み取れません。千円単位の数値（例：1546）を入力してください。",
        "An amount that is not a number."),
    "cell.negative": CodeSpec(
        ERR, "金額がマイナス（{value}）です。0 以上の千円単位の数値を入力してください。",
        "A negative amount."),
    "cell.none-word": CodeSpec(
        WARN, "金額欄に「{value}」と書かれています。事業費がない場合は 0 を、未定の場合は見込み額を千円単位で入力してください。",
        "「－」「なし」「未定」 where a number belongs."),
    "cell.unit-yen": CodeSpec(
        WARN, "「{value}」は円単位で書かれているため、{converted} 千円として読み取りました。千円単位で入力し直してください。",
        "An amount written in 円 where 千円 is asked (converted)."),
    "cell.unit-suspect": CodeSpec(
        WARN, "金額 {value} 千円は、円単位で入力された可能性があります（1000 倍の誤り）。千円単位か確認してください。",
        "An amount so large it looks like 円 typed into a 千円 cell."),
    "cell.bad-choice": CodeSpec(
        ERR, "「{value}」は選択肢にありません。セルの一覧（{choices}）から選んでください。",
        "A value outside the master's list for a dropdown."),
    "cell.bad-check": CodeSpec(
        ERR, "「{value}」はチェック欄の値として読み取れません。当てはまる場合は「■」、当てはまらない場合は「□」を選んでください。",
        "A checkbox cell with an unrecognised mark."),
    "cell.unknown-partner": CodeSpec(
        ERR, "「{value}」は連携相手の番号として読み取れません（{detail}）。一覧の番号（例：①⑧⑫）か「なし」を記入してください。",
        "A partner notation with numbers outside the list or unreadable parts."),
    "cell.too-long-for-box": CodeSpec(
        WARN, "{length} 文字あり、印刷すると枠（約 {capacity} 文字）に収まりません。要点を絞るか、行の高さを広げてください。",
        "A text longer than its printed box."),
    "cell.too-long": CodeSpec(
        ERR, "{length:,} 文字（Excel の数え方で {units:,} 文字）あり、Excel の1セルの上限（32,767 文字）を超えています。"
        "文章を短くしてください。",
        "A text over Excel's cell limit, counted as Excel counts (UTF-16 units: an emoji is two)."),
    "cell.control-characters": CodeSpec(
        INFO, "表示できない制御文字が {count} 個（{codes}）あったため、取り除いて読み取りました。"
        "内容が正しいか確認してください。",
        "Control characters were dropped from a text as it was read."),
    "cell.formula-not-calculated": CodeSpec(
        ERR, "数式が入っていますが、計算結果が保存されていません。Excel で開いて保存し直すか、数式ではなく値を入力してください。",
        "A formula whose result was never calculated."),
    "cell.formula-stale": CodeSpec(
        ERR, "数式が入っていますが、ブックが「開くときに再計算する」状態で保存されているため、"
        "保存されている計算結果「{value}」は正しいとは限りません。Excel で開いて保存し直すか、数式ではなく値を入力してください。",
        "A formula's cached result in a workbook flagged to recalculate on load (fullCalcOnLoad)."),
    "cell.formula": CodeSpec(
        INFO, "数式が入っています。計算結果「{value}」を読み取りました。", "A formula with a cached result."),
    # --- across the fields of one sheet ---
    "cross.other-without-text": CodeSpec(
        ERR, "「{label}」に■がありますが、内容が書かれていません。「その他の内容」に記入してください。",
        "その他 ticked without its text."),
    "cross.text-without-other": CodeSpec(
        WARN, "「その他の内容」が書かれていますが、「{label}」に■がありません。■を付けるか、内容を消してください。",
        "その他 text without the tick."),
    "cross.partner-without-name": CodeSpec(
        WARN, "連携相手に「{partner}」が選ばれていますが、名称が書かれていません。「{label}」に名称を記入してください。",
        "A partner that carries a name (⑤, ⑫) chosen without the name."),
    "cross.name-without-partner": CodeSpec(
        WARN, "「{label}」が書かれていますが、連携相手に「{partner}」が選ばれていません。番号を加えるか、名称を消してください。",
        "A partner name without the partner chosen."),
    "cross.done-without-partner": CodeSpec(
        WARN, "連携状況が「できた」ですが、連携できた相手が「{value}」です。連携した相手の番号を記入してください。",
        "「できた」 with no partner listed."),
    "cross.partner-both": CodeSpec(
        WARN, "「{partners}」が「連携できた相手」と「連携したかったができなかった相手」の両方にあります。どちらかにしてください。",
        "One partner both done and wanted."),
    "cross.none-with-numbers": CodeSpec(
        ERR, "「なし」と番号（{numbers}）が両方書かれています。どちらかにしてください。",
        "「なし」 beside partner numbers."),
    "cross.budget-band": CodeSpec(
        WARN, "次年度予算額 {budget} 千円と今年度決算額 {settled} 千円の開きが大きくなっています（{detail}。確認の目安は {low}～{high} 倍）。金額に誤りがないか確認してください。",
        "Next year's budget outside the master's band around this year's settlement (as a ratio)."),
    "cross.figure-total": CodeSpec(
        WARN, "年度別実績「{label}」の合計 {total} が各年度の合計 {sum} と合いません。確認してください。",
        "A yearly figures row whose total differs from the sum of its years."),
    # --- across the batch ---
    "batch.duplicate-submission": CodeSpec(
        WARN, "同じシートが2回提出されています（「{newer}」と「{older}」）。新しい「{newer}」を使い、「{older}」は使いません。",
        "The same (project, policy, department) sent twice: the newest wins."),
    "batch.shared-amount": CodeSpec(
        INFO, "決算額・予算額（{settled} 千円／{budget} 千円）が他の事業のシート（{others}）と同じです。"
        "同じ予算を複数の事業で計上している可能性があります。そのとおりであれば、集計で二重に数えないよう事務局にお知らせください。",
        "The same amount pair in sheets of different projects: a possible shared budget."),
    "batch.multi-policy-project": CodeSpec(
        INFO, "この事業は複数の施策（{policies}）に位置づけられています。事業費は総計では1回だけ数えます。",
        "The same project reported under several policies."),
    "batch.amounts-differ": CodeSpec(
        WARN, "同じ事業のシートで決算額・予算額が違います（{sheets}）。集計では各シートの額の和（決算額 {settled}、予算額 {budget}）を使います。"
        "施策ごとに分けて記入した場合はこのままで構いません。同じ額を記入するはずだった場合は、そろえて提出し直してください。",
        "One department's sheets of one project (one per placement) disagree on the amounts; the totals use their sum."),
    "batch.missing": CodeSpec(
        WARN, "「{project}」（施策 {policy_code}）の自己評価シートが提出されていません。提出を依頼してください。",
        "A (project, policy, department) of the master with no sheet."),
    # --- against what earlier years reported (the history) ---
    "history.figure-changed": CodeSpec(
        WARN, "「{label}」の{year}の実績「{value}」が、前年度までの報告値「{reported}」と異なります。"
        "訂正の場合はこのままで構いません（企画担当課へお知らせください）。誤りの場合は「{reported}」に戻してください。",
        "An earlier year's figure differs from the value the history holds for it."),

    # --- indicators and ratings (the 指標 sheet and the project self-rating) ---
    "indicator.missing-actual": CodeSpec(
        ERR,
        "指標「{name}」の{year}の実績が入力されていません。{how}",
        "An indicator's actual for the year is empty and no reason is chosen.",
    ),
    "indicator.not-number": CodeSpec(
        ERR,
        "指標「{name}」の実績「{value}」は数値として読み取れません。{unit}の数を数値だけで入力してください（例：85）。"
        "測れない場合は「実績がない場合」欄で理由を選んでください。",
        "A numeric indicator's actual is text.",
    ),
    "indicator.wrong-unit": CodeSpec(
        ERR,
        "指標「{name}」の実績「{value}」の単位「{written}」が、この指標の単位「{unit}」と違います。"
        "{unit}で数えた数値を入力してください。",
        "An actual is written with a unit other than the indicator's.",
    ),
    "indicator.bad-choice": CodeSpec(
        ERR,
        "指標「{name}」は数で測らない目標の指標です。実績は {choices} から選んでください（入力された値：「{value}」）。",
        "A qualitative indicator's actual is not one of its choices.",
    ),
    "indicator.value-and-reason": CodeSpec(
        WARN,
        "指標「{name}」に実績と「実績がない場合」の理由（{reason}）の両方が入力されています。実績を使いました。"
        "理由が不要なら消してください。",
        "Both an actual and a reason for no actual are given.",
    ),
    "indicator.outlier": CodeSpec(
        WARN,
        "指標「{name}」の実績 {value} は、これまでの値（{earlier}）から大きく外れています。"
        "桁や単位の誤りがないか確認してください。正しい場合は説明欄に理由を記入してください。",
        "An actual is far outside the run of the baseline and earlier years.",
    ),
    "indicator.sheet-missing": CodeSpec(
        ERR,
        "シート「{sheet}」（指標の実績）がありません。配布した様式の「{sheet}」シートに記入して送り直してください。",
        "The department's workbook lacks its indicator sheet.",
    ),
    "indicator.unknown": CodeSpec(
        WARN,
        "指標ID「{value}」は計画マスタにないか、この課の報告する指標ではないため、読み飛ばしました。"
        "配布した様式の行を変えていないか確認してください。",
        "A row of the indicator sheet names an indicator the master does not give this department.",
    ),
    "rating.outside-scale": CodeSpec(
        ERR,
        "事業の自己評価「{value}」は評価の記号（{labels}）にありません。一覧から選んでください。",
        "A project's self-rating is not a label of the scale.",
    ),
    "rating.missing": CodeSpec(
        ERR,
        "事業の自己評価が選ばれていません。{labels} から選び、その理由を記入してください。",
        "A project's self-rating is empty while the master asks for one.",
    ),
    "rating.missing-reason": CodeSpec(
        WARN,
        "事業の自己評価の理由が空欄です。その評価とした理由を記入してください。",
        "A self-rating without its reason.",
    ),
}
