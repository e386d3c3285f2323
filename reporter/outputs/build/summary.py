"""The Excel summary tables (xlsxwriter): every text from a submission is written as text."""

from __future__ import annotations

import shutil
from itertools import zip_longest
from pathlib import Path
from typing import Any

import xlsxwriter

from reporter.core import era
from reporter.intake.read import UnreadableError, read_tables
from reporter.outputs.build.context import Context
from reporter.outputs.xlsx import A3, INTEGER_FORMAT, Formats, is_number, open_workbook, row_height, table

FIGURES_LONG_SHEET = "年度別実績（集計用）"


def write_summary(ctx: Context, target: Path) -> None:
    book = open_workbook(target)
    _cover(book, ctx)
    _projects(book, ctx)
    _by_project(book, ctx)
    _policies(book, ctx)
    _departments(book, ctx)
    if ctx["axes"]:
        _axes(book, ctx)
    _targets(book, ctx)
    _collaboration(book, ctx)
    _partners(book, ctx)
    _costs(book, ctx)
    _figures(book, ctx)
    _figures_long(book, ctx)
    if ctx["previous"]:
        _previous(book, ctx)
    if ctx["period"]:
        _period(book, ctx)
    if ctx["ratings"]["enabled"]:
        _ratings(book, ctx)
        _indicators(book, ctx)
    _status(book, ctx)
    book.close()


RATINGS_SHEET = "施策の評価"
OPINION = "審議会等の意見"


def read_opinions(path: Path) -> dict[str, str]:
    """The review committee's comments the office typed into the summary's 施策の評価 sheet, by
    policy code, so a rebuild carries them into the new summary and the report. A summary that
    cannot be read is kept beside as 「…（前回）.xlsx」 rather than overwritten."""
    if not path.is_file():
        return {}
    try:
        table_ = read_tables(path).get(RATINGS_SHEET, [])
    except UnreadableError:
        shutil.copy2(path, path.with_name(f"{path.stem}（前回）{path.suffix}"))
        return {}
    if not table_:
        return {}
    header = [str(h or "").strip() for h in table_[0]]
    if "コード" not in header or OPINION not in header:
        return {}
    code, opinion = header.index("コード"), header.index(OPINION)
    found = {}
    for row in table_[1:]:
        if len(row) > max(code, opinion) and row[opinion] not in (None, ""):
            found[str(row[code]).strip()] = str(row[opinion]).strip()  # strip() takes the indent 「　」 too
    return found


def _ratings(book: xlsxwriter.Workbook, ctx: Context) -> None:
    """Rating counts at every level of the tree, each policy's rating, and a column for the
    committee's comments (read back by the next build)."""
    r = ctx["ratings"]
    ws = book.add_worksheet(RATINGS_SHEET)
    rows: list[list[Any]] = [["　" * p["depth"] + p["code"], p["level"], p["name"], *p["cells"], p["rating"],
                              p["opinion"]] for p in r["policies"]]
    rows.append(["総計", "", "", *r["totals"]["cells"], r["totals"]["rating"] or "－", ""])
    table(book, ws, 0, ("コード", "階層", "名称", *r["labels"], "施策の評価", OPINION), rows,
          (12, 12, 44, *(6 for _ in r["labels"]), 10, 60))
    top = len(rows) + 3
    ws.write_string(top - 1, 0, f"評価の基準（{r['name']}）", book.add_format({"bold": True}))
    for n, line in enumerate(r["lines"]):
        ws.write_string(top + n, 0, line)


def _indicators(book: xlsxwriter.Workbook, ctx: Context) -> None:
    r = ctx["ratings"]
    ws = book.add_worksheet("指標")
    rows = [[i["policy_code"], i["id"], i["name"], i["department"], i["unit"], i["baseline_text"], *i["cells"],
             i["target_text"], i["goal_text"], i["achievement"], i["label"], i["basis"], i["explanation"],
             i["rationale"], i["note"]]
            for i in r["indicators"]]
    table(book, ws, 0, ("施策", "指標ID", "指標名", "報告担当", "単位", "基準値（年度）", *r["years"], "目標値（年度）",
                        "比べた目標値", "達成率（％）", "評価", "評価の根拠", "説明", "目標設定の考え方", "備考"), rows,
          (8, 7, 36, 14, 6, 16, *(10 for _ in r["years"]), 16, 12, 10, 6, 14, 40, 40, 40))


def _projects(book: xlsxwriter.Workbook, ctx: Context) -> None:
    ws = book.add_worksheet("事業一覧")
    rows = []
    for p in ctx["policies"]:
        for s in p["entries"]:
            figures = "\n".join(f"{f['label']}：{' / '.join(v or '－' for v in f['cells'])}"
                                + (f"（合計 {f['total']}）" if f["total"] else "") for f in s["figures"])
            rows.append([s["policy_code"], s["number"], s["project_id"], s["project_name"], s["department"],
                         s["overview"], s["targets_text"], s["status"], s["settled"], s["budget"], s["results"],
                         figures, s["contribution_year"], s["contribution_period"], s["challenges"],
                         s["collab_internal_text"], s["collab_community_text"], s["partners_done_text"],
                         s["partners_wanted_text"], s["partner_names_text"], s["collab_detail"], s["file"], s["sheet"]])
    unit = ctx["plan"]["unit"]
    table(book, ws, 0, ("施策", "No.", "事業ID", "事業名", "担当課", "概要", "対象者", "実施状況",
                        f"決算額（{unit}）", f"次年度予算額（{unit}）", "事業実績", "年度別実績",
                        "貢献できたこと", "計画期間を通して貢献できたこと", "課題と今後の方向性", "連携（庁内）",
                        "連携（担い手）", "連携できた相手", "連携したかったができなかった相手", "連携相手の名称",
                        "具体的な連携の状況", "ファイル", "シート"),
          rows, (6, 4, 7, 30, 20, 40, 16, 50, 12, 12, 50, 30, 50, 50, 50, 14, 14, 24, 24, 20, 50, 30, 9), paper=A3)


def _by_project(book: xlsxwriter.Workbook, ctx: Context) -> None:
    ws = book.add_worksheet("事業別")
    unit = ctx["plan"]["unit"]
    # 「、」, not 「・」: the plan's names use 「・」 themselves
    rows = [[p["project_id"], p["name"], "、".join(p["policies"]), p["sheets"], p["departments_text"],
             p["settled"], p["budget"]] for p in ctx["projects"]]
    table(book, ws, 0, ("事業ID", "事業名", "施策", "シート数", "担当課（回答した課）", f"決算額（{unit}）",
                        f"次年度予算額（{unit}）"), rows, (8, 44, 12, 8, 50, 14, 14))


def _policies(book: xlsxwriter.Workbook, ctx: Context) -> None:
    ws = book.add_worksheet("施策別")
    unit = ctx["plan"]["unit"]
    rows: list[list[Any]] = [["　" * p["depth"] + p["code"], p["level"], p["name"], p["projects"], p["sheets"],
                              p["own"]["settled"], p["own"]["budget"], p["settled"], p["budget"]]
                             for p in ctx["policies"]]
    t = ctx["totals"]
    rows.append(["総計", "", "（複数施策の事業は1回）", t["projects"], t["sheets"], None, None,
                 t["settled"], t["budget"]])
    table(book, ws, 0, ("コード", "階層", "名称", "事業数", "シート数", f"決算額（この施策，{unit}）",
                        f"予算額（この施策，{unit}）", f"決算額（下位を含む，{unit}）",
                        f"予算額（下位を含む，{unit}）"),
          rows, (12, 12, 44, 8, 8, 16, 16, 16, 16))
    chart = book.add_chart({"type": "bar"})
    n = len(ctx["policies"])
    for col, name in ((7, "決算額"), (8, "次年度予算額")):
        chart.add_series({"name": name, "categories": ["施策別", 1, 2, n, 2], "values": ["施策別", 1, col, n, col]})
    chart.set_title({"name": f"施策別の事業費（{unit}）"})
    chart.set_y_axis({"reverse": True})
    chart.set_size({"width": 720, "height": 60 + 36 * n})
    ws.insert_chart(n + 4, 2, chart)


def _departments(book: xlsxwriter.Workbook, ctx: Context) -> None:
    ws = book.add_worksheet("担当課別")
    unit = ctx["plan"]["unit"]
    rows = [[d["department"], d["projects"], d["sheets"], d["settled"], d["budget"]] for d in ctx["departments"]]
    table(book, ws, 0, ("担当課", "事業数", "シート数", f"決算額（{unit}）", f"次年度予算額（{unit}）"), rows,
          (34, 8, 8, 16, 16))


def _axes(book: xlsxwriter.Workbook, ctx: Context) -> None:
    """Every classification axis: per value its projects, sheets and amounts (a project once
    under each of its values), and the total (each project once: the grand total)."""
    ws = book.add_worksheet("分類別")
    unit = ctx["plan"]["unit"]
    rows: list[list[object]] = []
    for axis in ctx["axes"]:
        kind = "個別計画" if axis["sub_plan"] else "分類"
        rows.extend([axis["name"], kind, v["value"], v["projects"], v["sheets"], v["settled"], v["budget"],
                     v["ratings_text"]] for v in axis["values"])
        t = axis["total"]
        rows.append([axis["name"], kind, "合計（各事業1回）", t["projects"], t["sheets"], t["settled"], t["budget"],
                     ""])
    table(book, ws, 0, ("分類軸", "区分", "値", "事業数", "シート数", f"決算額（{unit}）", f"次年度予算額（{unit}）",
                        "事業の自己評価（シート数）"), rows, (20, 10, 34, 8, 8, 16, 16, 24))


def _targets(book: xlsxwriter.Workbook, ctx: Context) -> None:
    ws = book.add_worksheet("対象者別")
    rows = [[t["label"], t["sheets"], t["share"]] for t in ctx["targets"]]
    table(book, ws, 0, ("対象者", "シート数", "割合"), rows, (24, 10, 10), percent=(2,))
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"name": "シート数", "categories": ["対象者別", 1, 0, len(rows), 0],
                      "values": ["対象者別", 1, 1, len(rows), 1], "data_labels": {"value": True}})
    chart.set_title({"name": "事業の対象者"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    ws.insert_chart(1, 4, chart)


def _collaboration(book: xlsxwriter.Workbook, ctx: Context) -> None:
    ws = book.add_worksheet("連携状況")
    rows = [[c["scale"], c["label"], c["sheets"], c["share"]] for c in ctx["collaboration"]]
    table(book, ws, 0, ("設問", "回答", "シート数", "割合"), rows, (36, 20, 10, 10), percent=(3,))
    scales = list(dict.fromkeys(c["scale"] for c in ctx["collaboration"]))
    labels = list(dict.fromkeys(c["label"] for c in ctx["collaboration"]))
    top = len(rows) + 3  # a small pivot (設問 × 回答) that the chart reads
    ws.write_string(top, 0, "設問 × 回答（シート数）", book.add_format({"bold": True}))
    number = book.add_format({"num_format": INTEGER_FORMAT})
    for c, label in enumerate(labels, start=1):
        ws.write_string(top + 1, c, label)
    for r, scale in enumerate(scales, start=top + 2):
        ws.write_string(r, 0, scale)
        for c, label in enumerate(labels, start=1):
            ws.write_number(r, c, next(x["sheets"] for x in ctx["collaboration"]
                                       if x["scale"] == scale and x["label"] == label), number)
    chart = book.add_chart({"type": "bar", "subtype": "percent_stacked"})
    for c in range(1, len(labels) + 1):
        chart.add_series({"name": ["連携状況", top + 1, c],
                          "categories": ["連携状況", top + 2, 0, top + 1 + len(scales), 0],
                          "values": ["連携状況", top + 2, c, top + 1 + len(scales), c]})
    chart.set_title({"name": "連携状況（シート数の割合）"})
    chart.set_y_axis({"reverse": True})
    ws.insert_chart(top + len(scales) + 3, 0, chart, {"x_scale": 1.6})


PARTNER_WIDTH = 11  # the columns of the 連携相手 pivots


def _partners(book: xlsxwriter.Workbook, ctx: Context) -> None:
    ws = book.add_worksheet("連携相手")
    rows = ctx.get("partners", [])
    policies = list(dict.fromkeys(r["policy_code"] for r in rows))
    labels = list(dict.fromkeys(r["label"] for r in rows))
    head = book.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True, "valign": "top"})
    number = Formats(book).integer
    ws.write_string(0, 0, "連携できた相手（シート数）：施策 × 連携相手", book.add_format({"bold": True}))
    for block, key, top in (("連携できた", "done", 1), ("連携したかったができなかった", "wanted", len(policies) + 4)):
        ws.write_string(top - 1 if top > 1 else 0, 0, f"{block}相手（シート数）：施策 × 連携相手",
                        book.add_format({"bold": True}))
        ws.write_string(top, 0, "施策", head)
        for c, label in enumerate(labels, start=1):
            ws.write_string(top, c, label, head)
        for r, code in enumerate(policies, start=top + 1):
            ws.write_string(r, 0, code)
            for c, label in enumerate(labels, start=1):
                value = next(x[key] for x in rows if x["policy_code"] == code and x["label"] == label)
                ws.write_number(r, c, value, number)
        ws.conditional_format(top + 1, 1, top + len(policies), len(labels),
                              {"type": "2_color_scale", "min_color": "#FFFFFF",
                               "max_color": "#2E75B6" if key == "done" else "#F4B183"})
        ws.set_row(top, row_height((label, PARTNER_WIDTH) for label in labels))
    ws.set_column(0, 0, 10)
    ws.set_column(1, len(labels), PARTNER_WIDTH)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _costs(book: xlsxwriter.Workbook, ctx: Context) -> None:
    ws = book.add_worksheet("事業費")
    unit = ctx["plan"]["unit"]
    shared = {(s["project_id"], s["department"], s["policy_code"]): g["names"]
              for g in ctx["shared_budgets"] for s in g["sheets"]}
    rows = []
    for p in ctx["policies"]:
        for s in p["entries"]:
            note = shared.get((s["project_id"], s["department"], s["policy_code"]), "")
            rows.append([s["policy_code"], s["number"], s["project_name"], s["department"], s["settled"], s["budget"],
                         f"同額のシートあり（二重計上の可能性）：{note}" if note else ""])
    table(book, ws, 0, ("施策", "No.", "事業名", "担当課", f"決算額（{unit}）", f"次年度予算額（{unit}）", "注意"),
          rows, (6, 4, 36, 24, 14, 14, 60))
    n = len(rows)
    bold = book.add_format({"bold": True, "num_format": INTEGER_FORMAT, "top": 1})
    ws.write_string(n + 1, 3, "合計（施策の重複を除く）", book.add_format({"bold": True, "top": 1}))
    ws.write_number(n + 1, 4, ctx["totals"]["settled"], bold)
    ws.write_number(n + 1, 5, ctx["totals"]["budget"], bold)
    ws.write_string(n + 2, 3, "うち同額のため二重計上の可能性")
    number = book.add_format({"num_format": INTEGER_FORMAT})
    ws.write_number(n + 2, 4, ctx["totals"]["possible_double_count_settled"], number)
    ws.write_number(n + 2, 5, ctx["totals"]["possible_double_count_budget"], number)


def _cover(book: xlsxwriter.Workbook, ctx: Context) -> None:
    """What the workbook is, for which year, as of when, and whether every sheet is in (速報)."""
    ws = book.add_worksheet("表紙")
    plan, c = ctx["plan"], ctx["counts"]
    ws.set_column(0, 0, 90)
    ws.write_string(0, 0, f"{plan['name']}　{plan['fiscal_year_label']} 進行管理 集計表",
                    book.add_format({"bold": True, "font_size": 14}))
    ws.write_string(1, 0, f"{plan['city']}　{ctx['generated']}作成")
    if ctx["provisional"]:
        ws.write_string(3, 0, f"【速報】自己評価シート {c['expected']} 枚のうち {c['not_included']} 枚は"
                              f"まだ集計に含まれていません（未提出 {c['missing']} 枚、確認中 {c['excluded']} 枚）。",
                        book.add_format({"bold": True, "font_color": "#9C0006", "text_wrap": True}))
        ws.set_row(3, 32)
    else:
        ws.write_string(3, 0, f"自己評価シート {c['expected']} 枚をすべて集計しました。")
    ws.write_string(5, 0, f"金額の単位：{plan['unit']}。"
                          "各シートの内容は「事業一覧」、施策ごとの集計は「施策別」にあります。")


def _status(book: xlsxwriter.Workbook, ctx: Context) -> None:
    ws = book.add_worksheet("提出状況")
    c = ctx["counts"]
    rows: list[list[Any]] = [
        ["計画マスタ上のシート", c["expected"]], ["提出あり", c["submitted"]], ["未提出", c["missing"]],
        ["集計に使ったシート", c["included"]], ["誤りのため集計から除外", c["excluded"]],
        ["重複のため使わなかったシート", c["superseded"]], ["使用できなかったファイル", c["unusable_files"]]]
    table(book, ws, 0, ("項目", "件数"), rows, (34, 10))
    missing = [[m["department"], m["policy_code"], m["number"], m["project_name"], "未提出"] for m in ctx["missing"]]
    excluded = [[x["department"], x["policy_code"], x["number"], x["project_name"], x["reasons_text"]]
                for x in ctx["excluded"]]
    top = len(rows) + 3
    ws.write_string(top - 1, 0, "未提出・除外したシート", book.add_format({"bold": True}))
    table(book, ws, top, ("担当課", "施策", "No.", "事業名", "理由"), missing + excluded, (34, 10, 6, 40, 70))


def _figures(book: xlsxwriter.Workbook, ctx: Context) -> None:
    """The yearly figures, one row per item of a sheet and one column per plan year (numbers
    stay numbers), with the change from the year before the one under review."""
    ws = book.add_worksheet("年度別実績")
    years = ctx["plan"]["years"]
    index = ctx["plan"]["year_index"]
    rows = []
    for p in ctx["policies"]:
        for s in p["entries"]:
            for f in s["figures"]:
                values = list(f["values"]) + [None] * (len(years) - len(f["values"]))
                now, before = values[index], values[index - 1] if index > 0 else None
                change = now - before if isinstance(now, float) and isinstance(before, float) else None
                rows.append([s["policy_code"], s["number"], s["project_id"], s["project_name"], s["department"],
                             f["label"], *values, f["total_value"], change])
    table(book, ws, 0, ("施策", "No.", "事業ID", "事業名", "担当課", "項目（単位）", *years, "合計",
                        "前年度からの増減"), rows, (6, 4, 7, 30, 22, 30, *(9 for _ in years), 10, 10))


def _figures_long(book: xlsxwriter.Workbook, ctx: Context) -> None:
    """The yearly figures as a long table for filters and pivot tables: one row per sheet,
    item and plan year, the value a number (a cell holding text keeps it in 記載 instead)."""
    ws = book.add_worksheet(FIGURES_LONG_SHEET)
    table(book, ws, 0, ("施策", "No.", "事業ID", "事業名", "担当課", "項目", "年度", "値", "記載（数値以外）"),
          figure_rows(ctx), (6, 4, 7, 40, 24, 34, 12, 10, 16))


def figure_rows(ctx: Context) -> list[list[Any]]:
    """The long table's rows. Plan years are consecutive from the first: ``years[i]`` is the
    fiscal year ``fiscal_year - year_index + i``."""
    plan = ctx["plan"]
    first = plan["fiscal_year"] - plan["year_index"]
    labels = [era.long(first + i) for i in range(len(plan["years"]))]
    rows: list[list[Any]] = []
    for p in ctx["policies"]:
        for s in p["entries"]:
            head = [s["policy_code"], s["number"], s["project_id"], s["project_name"], s["department"]]
            for f in s["figures"]:
                for label, value, cell in zip_longest(labels, f["values"][:len(labels)], f["cells"][:len(labels)]):
                    number = value if is_number(value) else None
                    rows.append([*head, f["label"], label, number, "" if number is not None else cell or ""])
    return rows


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _previous(book: xlsxwriter.Workbook, ctx: Context) -> None:
    """This year against the previous year held, per tree level and per project."""
    ws = book.add_worksheet("前年度比較")
    unit, label = ctx["plan"]["unit"], ctx["previous"]["label"]
    headers = ("コード", "名称", f"{label}決算額（{unit}）", f"決算額（{unit}）", "増減",
               f"{label}予算額（{unit}）", f"予算額（{unit}）", "増減")
    rows: list[list[Any]] = []
    for p in ctx["policies"]:
        before = p["previous"] or {"settled": None, "budget": None}
        rows.append(["　" * p["depth"] + p["code"], p["name"], before["settled"], p["settled"],
                     _change(p["settled"], before["settled"]), before["budget"], p["budget"],
                     _change(p["budget"], before["budget"])])
    t, prev = ctx["totals"], ctx["previous"]
    rows.append(["総計", "（複数施策の事業は1回）", prev["settled"], t["settled"],
                 _change(t["settled"], prev["settled"]), prev["budget"], t["budget"],
                 _change(t["budget"], prev["budget"])])
    table(book, ws, 0, headers, rows, (12, 44, 16, 16, 12, 16, 16, 12))
    top = len(rows) + 3
    ws.write_string(top - 1, 0, "事業別", book.add_format({"bold": True}))
    projects = []
    for p in ctx["projects"]:
        before = p["previous"] or {"settled": None, "budget": None}
        projects.append([p["project_id"], p["name"] + ("" if p["previous"] else "（今年度から）"), before["settled"],
                         p["settled"], _change(p["settled"], before["settled"]), before["budget"], p["budget"],
                         _change(p["budget"], before["budget"])])
    for e in ctx["ended_projects"]:
        projects.append([e["project_id"], f"{e['name']}（終了）", e["settled"], None, None, e["budget"], None, None])
    table(book, ws, top, ("事業ID", *headers[1:]), projects, (12, 44, 16, 16, 12, 16, 16, 12))


def _period(book: xlsxwriter.Workbook, ctx: Context) -> None:
    """The plan's last year: every plan year side by side (settled amounts)."""
    ws = book.add_worksheet("計画期間")
    period, unit = ctx["period"], ctx["plan"]["unit"]
    years = [f"{y}（{unit}）" for y in period["years"]]
    rows: list[list[Any]] = [["　" * p["depth"] + p["code"], p["name"], *p["values"]] for p in period["policies"]]
    rows.append(["総計", "", *period["total_values"]])
    table(book, ws, 0, ("コード", "名称", *years), rows, (12, 44, *(13 for _ in years)))
    top = len(rows) + 3
    ws.write_string(top - 1, 0, "事業別（「記録なし」は履歴にない年度、空欄はその年度に報告がないこと）",
                    book.add_format({"bold": True}))
    projects = [[p["project_id"], p["name"], *p["values"]] for p in period["projects"]]
    table(book, ws, top, ("事業ID", "事業名", *years), projects, (12, 44, *(13 for _ in years)))
