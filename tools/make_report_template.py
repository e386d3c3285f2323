"""Write templates/報告書.docx, the starting Word template of the annual report (docxtpl).

The office restyles it in Word (styles, fonts, cover, wording, order of blocks); the tags
{{ … }} and {%p … %} name the data (see `reporter build --dump-context`). This script is only
how the first one was made. Run: python tools/make_report_template.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reporter import starter

GOTHIC, MINCHO = "游ゴシック", "游明朝"
TARGET = Path(__file__).resolve().parents[1] / "templates" / "報告書.docx"


def set_font(style, name: str, size: float | None = None, bold: bool | None = None) -> None:  # type: ignore[no-untyped-def]
    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), name)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def field(paragraph, instruction: str, placeholder: str = "") -> None:  # type: ignore[no-untyped-def]
    """A complex field (PAGE, TOC …) that Word computes."""
    def char(kind: str) -> OxmlElement:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")
        return el

    paragraph.add_run()._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(placeholder)
    end = paragraph.add_run()
    end._r.append(char("end"))


def table(doc, rows: list[list[str]], widths_mm: list[float], header: bool = True,  # type: ignore[no-untyped-def]
          fixed: bool = True, right: tuple[int, ...] = (), size: float | None = None):
    """A table of ``rows``; the columns in ``right`` (amounts) are right-aligned below the
    header; ``size`` (points) for a table of many amount columns."""
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = not fixed
    if fixed:
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        t._tbl.tblPr.append(layout)
    for c, width in enumerate(widths_mm):
        t.columns[c].width = Mm(width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = t.cell(r, c)
            cell.width = Mm(widths_mm[c])
            cell.paragraphs[0].text = text
            if c in right and (r > 0 or not header):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if size is not None:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(size)
            if header and r == 0:
                cell.paragraphs[0].runs[0].bold = True
                shade = OxmlElement("w:shd")
                shade.set(qn("w:fill"), "D9E2F3")
                cell._tc.get_or_add_tcPr().append(shade)
    return t


def page_break(doc) -> None:  # type: ignore[no-untyped-def]
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def build() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    styles = doc.styles
    set_font(styles["Normal"], MINCHO, 10)
    for level, size in ((1, 16), (2, 13), (3, 12), (4, 11)):
        set_font(styles[f"Heading {level}"], GOTHIC, size, True)
        styles[f"Heading {level}"].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    set_font(styles["Title"], GOTHIC, 20, True)
    set_font(styles["Table Grid"], MINCHO, 9)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field(footer, "PAGE", "1")

    # --- cover ---
    for _ in range(6):
        doc.add_paragraph()
    p = doc.add_paragraph("{{ plan.name }}", style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, size in (("{{ plan.fiscal_year_label }} 進行管理報告書", 18),
                       ("（計画期間 {{ plan.period_label }}）", 12), ("", 12), ("{{ plan.city }}", 14),
                       ("{{ generated }}", 12)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size = Pt(size)
    page_break(doc)

    # --- contents: Word refreshes the field when the file is opened ---
    p = doc.add_paragraph("目次")
    p.runs[0].bold = True
    p.runs[0].font.size = Pt(14)
    field(doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', "{{ toc_placeholder }}")
    page_break(doc)

    # --- 1 summary ---
    doc.add_heading("1 評価の概要", 1)
    doc.add_paragraph(
        "計画マスタ上の自己評価シート {{ counts.expected }} 枚のうち {{ counts.submitted }} 枚が提出され、"
        "{{ counts.missing }} 枚が未提出です。提出されたシートのうち {{ counts.included }} 枚を集計し、"
        "誤りが残る {{ counts.excluded }} 枚は集計から除いています（付録を参照）。")
    doc.add_paragraph(
        "集計したシートの事業費は、{{ plan.fiscal_year_label }}決算額の合計が "
        "{{ totals.settled_text }} {{ plan.unit }}、"
        "{{ plan.next_year_label }}予算額の合計が {{ totals.budget_text }} {{ plan.unit }} です"
        "（複数の施策に位置づけられた事業は1回だけ数えています）。")
    doc.add_paragraph("{%p if shared_budgets %}")
    doc.add_paragraph(
        "次の事業は決算額・予算額の組が同じで、同じ予算を複数の事業で計上している可能性があります。"
        "単純に合計すると、決算額で最大 {{ totals.double_settled_text }} {{ plan.unit }}、予算額で最大 "
        "{{ totals.double_budget_text }} {{ plan.unit }} を二重に数えることになります。")
    doc.add_paragraph("{%p for g in shared_budgets %}")
    doc.add_paragraph("・{{ g.settled_text }}／{{ g.budget_text }} {{ plan.unit }}：{{ g.names }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("施策別の事業費", 2)
    table(doc, [["施策", "名称", "事業数", "シート数", "決算額（{{ plan.unit }}）", "次年度予算額（{{ plan.unit }}）"],
                ["{%tr for p in policies %}", "", "", "", "", ""],
                ["{{ p.code }}", "{{ p.name }}", "{{ p.projects }}", "{{ p.sheets }}", "{{ p.settled_text }}",
                 "{{ p.budget_text }}"],
                ["{%tr endfor %}", "", "", "", "", ""],
                ["合計", "", "{{ totals.projects }}", "{{ totals.sheets }}", "{{ totals.settled_text }}",
                 "{{ totals.budget_text }}"]],
          [14, 70, 14, 16, 28, 28])
    doc.add_paragraph("{{ charts.costs }}")
    # --- the year beside the years before (from the history; absent in the first year) ---
    doc.add_paragraph("{%p if previous %}")
    doc.add_heading("前年度との比較", 2)
    doc.add_paragraph(
        "{{ previous.label }}（履歴に記録された値）と比べると、決算額の合計は {{ previous.settled_text }} から "
        "{{ totals.settled_text }} {{ plan.unit }}（{{ previous.settled_change_text }}）、予算額の合計は "
        "{{ previous.budget_text }} から {{ totals.budget_text }} {{ plan.unit }}（{{ previous.budget_change_text }}）"
        "です。")
    table(doc, [["施策", "名称", "{{ previous.label }}決算額", "決算額", "増減", "{{ previous.label }}予算額", "予算額",
                 "増減"],
                ["{%tr for p in policies %}", "", "", "", "", "", "", ""],
                ["{{ p.code }}", "{{ p.name }}", "{{ p.previous.settled_text if p.previous else '－' }}",
                 "{{ p.settled_text }}", "{{ p.previous.settled_change_text if p.previous else '－' }}",
                 "{{ p.previous.budget_text if p.previous else '－' }}", "{{ p.budget_text }}",
                 "{{ p.previous.budget_change_text if p.previous else '－' }}"],
                ["{%tr endfor %}", "", "", "", "", "", "", ""],
                ["合計", "", "{{ previous.settled_text }}", "{{ totals.settled_text }}",
                 "{{ previous.settled_change_text }}", "{{ previous.budget_text }}", "{{ totals.budget_text }}",
                 "{{ previous.budget_change_text }}"]],
          [12, 36, 21, 21, 15, 21, 21, 15], right=(2, 3, 4, 5, 6, 7), size=8)
    doc.add_paragraph("金額の単位は{{ plan.unit }}。予算額は各年度に報告された次年度の予算額です。")
    doc.add_paragraph("{%p if ended_projects %}")
    doc.add_paragraph("{{ previous.label }}まで報告があり、今年度の計画マスタにない事業（終了した事業）：")
    table(doc, [["事業ID", "事業名", "担当課", "{{ previous.label }}決算額"],
                ["{%tr for e in ended_projects %}", "", "", ""],
                ["{{ e.project_id }}", "{{ e.name }}", "{{ e.department }}", "{{ e.settled_text }}"],
                ["{%tr endfor %}", "", "", ""]], [20, 80, 45, 25], right=(3,))
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if charts.trend %}")
    doc.add_heading("計画期間の決算額の推移", 2)
    doc.add_paragraph("{{ charts.trend }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("連携の状況", 2)
    doc.add_paragraph("{{ charts.collaboration }}")
    doc.add_paragraph("{{ charts.partners }}")
    doc.add_heading("事業の対象者", 2)
    doc.add_paragraph("{{ charts.targets }}")
    doc.add_paragraph("{%p if ratings.enabled %}")
    doc.add_heading("指標と施策の評価", 2)
    doc.add_paragraph(
        "計画の指標 {{ ratings.expected }} 件のうち、{{ ratings.reported }} 件の実績が報告されました。"
        "各施策（下位の施策を含む）の評価の件数と、下の評価の基準による施策の評価は次のとおりです。")
    table(doc, [["施策", "名称", "{%tc for l in ratings.labels %}", "{{ l }}", "{%tc endfor %}", "評価"],
                ["{%tr for q in ratings.policies %}", "", "", "", "", ""],
                ["{{ q.code }}", "{{ '　' * q.depth }}{{ q.name }}", "{%tc for n in q.cells %}", "{{ n }}",
                 "{%tc endfor %}", "{{ q.rating }}"],
                ["{%tr endfor %}", "", "", "", "", ""],
                ["合計", "", "{%tc for n in ratings.totals.cells %}", "{{ n }}", "{%tc endfor %}",
                 "{{ ratings.totals.rating }}"]], [16, 80, 6, 12, 6, 14], right=(3,), size=8)
    doc.add_paragraph("評価の基準（{{ ratings.name }}）")
    doc.add_paragraph("{%p for line in ratings.lines %}")
    doc.add_paragraph("・{{ line }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    page_break(doc)

    # --- 2 each policy, in tree order, with its projects laid out like the sheet ---
    doc.add_heading("2 施策ごとの取組状況", 1)
    doc.add_paragraph("{%p for p in policies %}")
    doc.add_paragraph("{%p if p.depth == 0 %}")
    doc.add_heading("{{ p.level }} {{ p.code }}　{{ p.name }}", 2)
    doc.add_paragraph("{%p else %}")
    doc.add_heading("{{ p.level }} {{ p.code }}　{{ p.name }}", 3)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if p.entries %}")
    doc.add_paragraph("事業 {{ p.own.projects }} 件、シート {{ p.own.sheets }} 枚。決算額 {{ p.settled_text }} "
                      "{{ plan.unit }}、次年度予算額 {{ p.budget_text }} {{ plan.unit }}（下位の施策を含む）。")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if p.rating and p.rating.rated %}")
    doc.add_paragraph("この施策の評価：{{ p.rating.rating }}（評価した{% if ratings.include_projects %}指標と事業"
                      "{% else %}指標{% endif %} {{ p.rating.rated }} 件の内訳：{% for l in ratings.labels %}"
                      "{{ l }} {{ p.rating.counts[l] }} 件{% if not loop.last %}、{% endif %}{% endfor %}）")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if p.rating and p.rating.opinion %}")
    doc.add_paragraph("審議会等の意見：{{ p.rating.opinion }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if p.indicators %}")
    doc.add_paragraph("指標の達成状況")
    table(doc, [["指標", "基準値（年度）", "{%tc for y in ratings.years %}", "{{ y }}", "{%tc endfor %}",
                 "目標値（年度）", "達成率", "評価"],
                ["{%tr for i in p.indicators %}", "", "", "", "", "", "", ""],
                ["{{ i.name }}（{{ i.id }}）", "{{ i.baseline_text }}", "{%tc for v in i.cells %}", "{{ v }}",
                 "{%tc endfor %}", "{{ i.target_text }}", "{{ i.achievement_text }}", "{{ i.label }}"],
                ["{%tr endfor %}", "", "", "", "", "", "", ""]], [44, 22, 6, 16, 6, 22, 14, 10],
          right=(1, 3, 5, 6), size=8)
    doc.add_paragraph("{%p for i in p.indicators %}")
    doc.add_paragraph("{%p if charts[i.chart] %}")
    doc.add_paragraph("{{ charts[i.chart] }}")
    doc.add_paragraph("図　{{ i.id }}「{{ i.name }}」の推移（灰色の点は基準値、破線は目標値）")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for s in p.entries %}")
    doc.add_heading("No.{{ s.number }}　{{ s.project_name }}（{{ s.department }}）", 4)
    labels = [
        ("担当課", "{{ s.department }}"), ("概要", "{{ s.overview }}"), ("事業の対象者", "{{ s.targets_text }}"),
        ("{{ plan.fiscal_year_label }}実施状況", "{{ s.status }}"),
        ("事業費", "{{ plan.fiscal_year_label }}決算額 {{ s.settled_text }} {{ plan.unit }}　／　"
                  "{{ plan.next_year_label }}予算額 {{ s.budget_text }} {{ plan.unit }}"
                  "{% if s.previous %}（{{ previous.label }}：決算額 {{ s.previous.settled_text }}、増減 "
                  "{{ s.previous.settled_change_text }}）{% elif s.new %}（今年度からの事業）{% endif %}"),
        ("計画期間における事業実績", "{{ s.results }}"),
        ("施策の方向に対して貢献できたこと", "{{ s.contribution_year }}"),
        ("計画期間を通して施策の方向に対して貢献できたこと", "{{ s.contribution_period }}"),
        ("課題と今後の取り組みの方向性", "{{ s.challenges }}"),
        ("市の関係部局内との組織横断的な連携", "{{ s.collab_internal_text }}"),
        ("地域保健福祉活動の担い手との連携", "{{ s.collab_community_text }}"),
        ("連携できた相手", "{{ s.partners_done_text }}"),
        ("連携したかったができなかった相手", "{{ s.partners_wanted_text }}"),
        ("連携相手の名称", "{{ s.partner_names_text }}"),
        ("具体的な連携の状況", "{{ s.collab_detail }}"),
    ]
    sheet_table = table(doc, [list(row) for row in labels], [42, 128], header=False)
    for row in sheet_table.rows:
        shade = OxmlElement("w:shd")
        shade.set(qn("w:fill"), "EDEDED")
        row.cells[0]._tc.get_or_add_tcPr().append(shade)
    doc.add_paragraph("{%p if ratings.project_rating %}")
    doc.add_paragraph("事業の自己評価：{{ s.rating or '－' }}"
                      "{% if s.rating_reason %}（{{ s.rating_reason }}）{% endif %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if s.figures %}")
    doc.add_paragraph("年度別実績")
    table(doc, [["項目", "{%tc for y in plan.years %}", "{{ y }}", "{%tc endfor %}", "合計"],
                ["{%tr for f in s.figures %}", "", "", "", ""],
                ["{{ f.label }}", "{%tc for v in f.cells %}", "{{ v }}", "{%tc endfor %}", "{{ f.total }}"],
                ["{%tr endfor %}", "", "", "", ""]], [44, 20, 20, 20, 20])
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    page_break(doc)

    # --- 3 departments and target groups ---
    doc.add_heading("3 担当課別の状況", 1)
    table(doc, [["担当課", "シート数", "決算額（{{ plan.unit }}）", "次年度予算額（{{ plan.unit }}）"],
                ["{%tr for d in departments %}", "", "", ""],
                ["{{ d.department }}", "{{ d.sheets }}", "{{ d.settled_text }}", "{{ d.budget_text }}"],
                ["{%tr endfor %}", "", "", ""]], [80, 20, 35, 35])
    doc.add_heading("事業の対象者別のシート数", 2)
    table(doc, [["対象者", "シート数", "割合"], ["{%tr for t in targets %}", "", ""],
                ["{{ t.label }}", "{{ t.sheets }}", "{{ t.share_text }}"], ["{%tr endfor %}", "", ""]],
          [80, 25, 25])
    doc.add_heading("連携状況の回答数", 2)
    table(doc, [["設問", "回答", "シート数", "割合"], ["{%tr for c in collaboration %}", "", "", ""],
                ["{{ c.scale }}", "{{ c.label }}", "{{ c.sheets }}", "{{ c.share_text }}"],
                ["{%tr endfor %}", "", "", ""]], [75, 45, 25, 25])
    page_break(doc)

    # --- the plan's last year: every year side by side ---
    doc.add_paragraph("{%p if period %}")
    doc.add_heading("4 計画期間の総括", 1)
    doc.add_paragraph(
        "計画期間（{{ plan.period_label }}）の各年度の決算額（{{ plan.unit }}）です。「記録なし」は履歴にその年度の"
        "記録がないこと、「－」はその年度に報告がないこと（事業の開始前・終了後など）を示します。")
    doc.add_heading("施策別", 2)
    table(doc, [["施策", "名称", "{%tc for y in period.years %}", "{{ y }}", "{%tc endfor %}"],
                ["{%tr for p in period.policies %}", "", "", "", ""],
                ["{{ p.code }}", "{{ p.name }}", "{%tc for v in p.cells %}", "{{ v }}", "{%tc endfor %}"],
                ["{%tr endfor %}", "", "", "", ""],
                ["合計", "", "{%tc for v in period.total %}", "{{ v }}", "{%tc endfor %}"]],
          [14, 30, 21, 21, 21], right=(3,), size=8)
    doc.add_heading("事業別", 2)
    table(doc, [["事業ID", "事業名", "{%tc for y in period.years %}", "{{ y }}", "{%tc endfor %}"],
                ["{%tr for p in period.projects %}", "", "", "", ""],
                ["{{ p.project_id }}", "{{ p.name }}", "{%tc for v in p.cells %}", "{{ v }}", "{%tc endfor %}"],
                ["{%tr endfor %}", "", "", "", ""]], [14, 30, 21, 21, 21], right=(3,), size=8)
    page_break(doc)
    doc.add_paragraph("{%p endif %}")

    # --- appendix ---
    doc.add_heading("付録 未提出・集計から除外したシート", 1)
    doc.add_heading("未提出のシート", 2)
    doc.add_paragraph("{%p if missing %}")
    table(doc, [["担当課", "施策", "No.", "事業名"], ["{%tr for m in missing %}", "", "", ""],
                ["{{ m.department }}", "{{ m.policy_code }}", "{{ m.number }}", "{{ m.project_name }}"],
                ["{%tr endfor %}", "", "", ""]], [50, 15, 12, 93])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("未提出のシートはありません。")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("誤りがあり集計から除外したシート", 2)
    doc.add_paragraph("{%p if excluded %}")
    table(doc, [["担当課", "施策・No.", "事業名", "理由"], ["{%tr for x in excluded %}", "", "", ""],
                ["{{ x.department }}", "{{ x.policy_code }} No.{{ x.number }}", "{{ x.project_name }}",
                 "{{ x.reasons_text }}"], ["{%tr endfor %}", "", "", ""]], [38, 20, 42, 70])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("誤りにより除外したシートはありません。")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("使用できなかったファイル", 2)
    doc.add_paragraph("{%p if unusable_files %}")
    table(doc, [["ファイル", "理由"], ["{%tr for f in unusable_files %}", ""],
                ["{{ f.file }}", "{{ f.reasons_text }}"], ["{%tr endfor %}", ""]], [70, 100])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("使用できなかったファイルはありません。")
    doc.add_paragraph("{%p endif %}")

    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    return doc


def main() -> None:
    build().save(TARGET)
    shutil.copyfile(TARGET, starter.packaged(starter.REPORT_TEMPLATE))  # the package ships the same
    print(TARGET)


if __name__ == "__main__":
    main()
