"""Write templates/報告書.docx and 点検報告.docx, the starting Word templates of the annual report's
two editions (docxtpl): the public report (公表用) and the office's internal check report.

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
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reporter import starter

GOTHIC, MINCHO = "游ゴシック", "游明朝"
TARGET = Path(__file__).resolve().parents[1] / "templates" / "報告書.docx"
CHECK_TARGET = TARGET.with_name("点検報告.docx")


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
    if header:  # a header row: marked for screen readers (TH in the PDF) and repeated on each page
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        t.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in t.rows:  # a row never splits across pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return t


def caption(doc, text: str) -> None:  # type: ignore[no-untyped-def]
    """The heading of a table or chart (Word's Caption style, kept with what follows)."""
    p = doc.add_paragraph(text, style="Caption")
    p.paragraph_format.keep_with_next = True


def leveled(doc, text: str, level: str, levels: range = range(2, 10)) -> None:  # type: ignore[no-untyped-def]
    """A heading whose level comes from the data (``level``: a context expression), so that
    levels follow the tree's depth without jumps."""
    for n in levels:
        doc.add_paragraph(f"{{%p {'if' if n == levels.start else 'elif'} {level} == {n} %}}")
        doc.add_heading(text, n)
    doc.add_paragraph("{%p endif %}")


def chart(doc, name: str, title: str) -> None:  # type: ignore[no-untyped-def]
    """A chart under its own heading; nothing where there is nothing to draw."""
    doc.add_paragraph(f"{{%p if charts.{name} %}}")
    caption(doc, title)
    doc.add_paragraph(f"{{{{ charts.{name} }}}}")
    doc.add_paragraph("{%p endif %}")


def chapter(doc, text: str) -> None:  # type: ignore[no-untyped-def]
    """A chapter's heading, starting a new page. The break belongs to the heading (not to an
    empty paragraph with a break, which leaves a blank page when the page before is full)."""
    doc.add_heading(text, 1).paragraph_format.page_break_before = True


def base() -> Document:
    """An A4 document with the report's styles, Japanese as its language, and a page number in
    the footer of every page but the cover."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    styles = doc.styles
    set_font(styles["Normal"], MINCHO, 10)
    for level, size in ((1, 16), (2, 13), (3, 12), (4, 11), (5, 10.5), (6, 10), (7, 10), (8, 10), (9, 10)):
        set_font(styles[f"Heading {level}"], GOTHIC, size, True)
        styles[f"Heading {level}"].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        styles[f"Heading {level}"].font.italic = False
    set_font(styles["Title"], GOTHIC, 20, True)
    set_font(styles["Caption"], GOTHIC, 9.5, True)
    styles["Caption"].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    set_font(styles["Table Grid"], MINCHO, 9)
    section.different_first_page_header_footer = True  # the cover carries no page number
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field(footer, "PAGE", "1")
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    return doc


def cover(doc, subtitle: str) -> None:  # type: ignore[no-untyped-def]
    """The plan's name broken at sensible points (plan.title_lines), the year, the city and the
    date in era years; 速報 while sheets are missing."""
    for _ in range(5):
        doc.add_paragraph()
    doc.add_paragraph("{%p for line in plan.title_lines %}")
    p = doc.add_paragraph("{{ line }}", style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if provisional %}")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("【速報】")
    run.font.size, run.bold = Pt(16), True
    doc.add_paragraph("{%p endif %}")
    for text, size in ((subtitle, 18), ("（計画期間 {{ plan.period_label }}）", 12), ("", 12), ("{{ plan.city }}", 14),
                       ("{{ generated }}", 12)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size = Pt(size)


def contents(doc, levels: str) -> None:  # type: ignore[no-untyped-def]
    """The contents: a field Word refreshes on opening (LibreOffice when making the PDF)."""
    p = doc.add_paragraph("目次")
    p.paragraph_format.page_break_before = True
    p.runs[0].bold = True
    p.runs[0].font.size = Pt(14)
    field(doc.add_paragraph(), f'TOC \\o "{levels}" \\h \\z \\u', "{{ toc_placeholder }}")


def build() -> Document:
    """The public edition (公表用): what a citizen should read. The office's checking notes are
    in the internal check report (build_check)."""
    doc = base()
    cover(doc, "{{ plan.fiscal_year_label }} 進行管理報告書")
    contents(doc, "1-9")

    # --- 1 summary ---
    chapter(doc, "評価の概要")
    doc.add_paragraph(
        "計画に位置づけた事業について、担当課による自己評価シート {{ counts.expected }} 枚のうち "
        "{{ counts.included }} 枚を集計しました。")
    doc.add_paragraph("{%p if provisional %}")
    doc.add_paragraph(
        "【速報】{{ counts.not_included }} 枚はまだ集計に含まれていません（未提出 {{ counts.missing }} 枚、"
        "確認中 {{ counts.excluded }} 枚）。すべてのシートがそろった時点で確定版を作成します。該当する施策には"
        "その件数を示しています。")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph(
        "集計したシートの事業費は、{{ plan.fiscal_year_label }}決算額の合計が "
        "{{ totals.settled_text }} {{ plan.unit }}、"
        "{{ plan.next_year_label }}予算額の合計が {{ totals.budget_text }} {{ plan.unit }}です"
        "（複数の施策に位置づけられた事業は1回だけ数えています）。")
    doc.add_paragraph("{%p if amounts_differ %}")
    doc.add_paragraph("次の事業は、同じ担当課の施策ごとのシートで事業費が異なるため、合計には各シートの額の和を"
                      "使いました：{% for d in amounts_differ %}「{{ d.project_name }}」（{{ d.department }}、"
                      "{{ d.sheets_text }}、和 {{ d.settled_text }}／{{ d.budget_text }}）"
                      "{% if not loop.last %}、{% endif %}{% endfor %}。")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("施策別の事業費", 2)
    caption(doc, "表　施策別の事業数と事業費")
    table(doc, [["施策", "名称", "事業数", "シート数", "決算額（{{ plan.unit }}）", "次年度予算額（{{ plan.unit }}）"],
                ["{%tr for p in policies %}", "", "", "", "", ""],
                ["{{ p.code }}", "{{ '　' * p.depth }}{{ p.name }}", "{{ p.projects }}", "{{ p.sheets }}",
                 "{{ p.settled_text }}", "{{ p.budget_text }}"],
                ["{%tr endfor %}", "", "", "", "", ""],
                ["合計", "", "{{ totals.projects }}", "{{ totals.sheets }}", "{{ totals.settled_text }}",
                 "{{ totals.budget_text }}"]],
          [14, 58, 15, 19, 32, 32], right=(2, 3, 4, 5))
    doc.add_paragraph("{%p if totals.policy_projects_sum > totals.projects %}")
    doc.add_paragraph(
        "事業数・シート数は施策ごとに数えています。{{ totals.multi_placed }} 件の事業は複数の施策に位置づけられて"
        "いるため、各施策の事業数の和（{{ totals.policy_projects_sum }}）は合計の事業数（{{ totals.projects }}）"
        "より多くなります。事業費は合計では1回だけ数えています。")
    doc.add_paragraph("{%p endif %}")
    chart(doc, "costs", "図　施策別の事業費（決算額と次年度予算額）")
    # --- the year beside the years before (from the history; absent in the first year) ---
    doc.add_paragraph("{%p if previous %}")
    doc.add_heading("前年度との比較", 2)
    doc.add_paragraph(
        "{{ previous.label }}（履歴に記録された値）と比べると、決算額の合計は {{ previous.settled_text }} から "
        "{{ totals.settled_text }} {{ plan.unit }}（{{ previous.settled_change_text }}）、予算額の合計は "
        "{{ previous.budget_text }} から {{ totals.budget_text }} {{ plan.unit }}（{{ previous.budget_change_text }}）"
        "です。")
    caption(doc, "表　施策別の事業費の前年度との比較（{{ plan.unit }}）")
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
    caption(doc, "表　{{ previous.label }}まで報告があり、今年度の計画にない事業（終了した事業）")
    table(doc, [["事業ID", "事業名", "担当課", "{{ previous.label }}決算額"],
                ["{%tr for e in ended_projects %}", "", "", ""],
                ["{{ e.project_id }}", "{{ e.name }}", "{{ e.department }}", "{{ e.settled_text }}"],
                ["{%tr endfor %}", "", "", ""]], [20, 80, 45, 25], right=(3,))
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if charts.trend %}")
    doc.add_heading("計画期間の決算額の推移", 2)
    chart(doc, "trend", "図　計画期間の決算額の推移")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("連携の状況", 2)
    chart(doc, "collaboration", "図　連携の状況（回答したシート数）")
    chart(doc, "partners", "図　連携した相手・連携したかった相手（シート数）")
    doc.add_heading("事業の対象者", 2)
    chart(doc, "targets", "図　事業の対象者（対象に含めたシート数）")
    doc.add_paragraph("{%p if ratings.enabled %}")
    doc.add_heading("指標と施策の評価", 2)
    doc.add_paragraph(
        "計画の指標 {{ ratings.expected }} 件のうち、{{ ratings.reported }} 件の実績が報告されました。"
        "各施策（下位の施策を含む）の評価の件数と、下の評価の基準による施策の評価は次のとおりです。")
    caption(doc, "表　施策ごとの評価の件数と施策の評価")
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

    # --- 2 each policy, in tree order, with its projects laid out like the sheet ---
    chapter(doc, "施策ごとの取組状況")
    doc.add_paragraph("{%p for p in policies %}")
    leveled(doc, "{{ p.level }} {{ p.code }}　{{ p.name }}", "p.heading")
    doc.add_paragraph("{%p if p.missing or p.pending %}")
    doc.add_paragraph("【速報】この施策のシートのうち{% if p.missing %}未提出 {{ p.missing }} 件{% endif %}"
                      "{% if p.missing and p.pending %}、{% endif %}{% if p.pending %}確認中 {{ p.pending }} 件"
                      "{% endif %}は、まだ集計に含まれていません。")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for n in p.notes %}")
    doc.add_paragraph("【{{ n.heading }}】{{ n.text }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if p.sheets %}")
    doc.add_paragraph("事業 {{ p.projects }} 件、シート {{ p.sheets }} 枚。決算額 {{ p.settled_text }} "
                      "{{ plan.unit }}、次年度予算額 {{ p.budget_text }} {{ plan.unit }}"
                      "{% if p.has_children %}（下位の施策を含む）{% endif %}。")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("この施策の事業の報告は、まだ集計に含まれていません。")
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
    caption(doc, "表　{{ p.code }} の指標の達成状況")
    table(doc, [["指標", "基準値（年度）", "{%tc for y in ratings.years %}", "{{ y }}", "{%tc endfor %}",
                 "目標値（年度）", "達成率", "評価"],
                ["{%tr for i in p.indicators %}", "", "", "", "", "", "", ""],
                ["{{ i.id }}　{{ i.name }}", "{{ i.baseline_text }}", "{%tc for v in i.cells %}", "{{ v }}",
                 "{%tc endfor %}", "{{ i.target_text }}", "{{ i.achievement_text }}", "{{ i.label }}"],
                ["{%tr endfor %}", "", "", "", "", "", "", ""]], [40, 28, 6, 16, 6, 24, 14, 10],
          right=(1, 3, 5, 6), size=8)
    doc.add_paragraph("{%p for i in p.indicators %}")
    doc.add_paragraph("{%p if charts[i.chart] %}")
    caption(doc, "図　{{ i.id }}「{{ i.name }}」の推移（灰色の四角は基準値、破線は目標値）")
    doc.add_paragraph("{{ charts[i.chart] }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for s in p.entries %}")
    leveled(doc, "No.{{ s.number }}　{{ s.project_name }}（{{ s.department }}）", "p.heading + 1", range(3, 10))
    labels = [
        ("担当課", "{{ s.department }}"), ("概要", "{{ s.overview or '－' }}"),
        ("事業の対象者", "{{ s.targets_text }}"),
        ("{{ plan.fiscal_year_label }}実施状況", "{{ s.status or '－' }}"),
        ("事業費", "{{ plan.fiscal_year_label }}決算額 {{ s.settled_text }} {{ plan.unit }}　／　"
                  "{{ plan.next_year_label }}予算額 {{ s.budget_text }} {{ plan.unit }}"
                  "{% if s.previous %}（{{ previous.label }}：決算額 {{ s.previous.settled_text }}、増減 "
                  "{{ s.previous.settled_change_text }}）{% elif s.new %}（今年度からの事業）{% endif %}"),
        ("計画期間における事業実績", "{{ s.results or '－' }}"),
        ("施策に対して貢献できたこと", "{{ s.contribution_year or '－' }}"),
        ("計画期間を通して施策に対して貢献できたこと", "{{ s.contribution_period or '－' }}"),
        ("課題と今後の取り組みの方向性", "{{ s.challenges or '－' }}"),
        ("{{ questions[0] }}", "{{ s.collab_internal_text }}"),
        ("{{ questions[1] }}", "{{ s.collab_community_text }}"),
        ("連携できた相手", "{{ s.partners_done_text }}"),
        ("連携したかったができなかった相手", "{{ s.partners_wanted_text }}"),
        ("連携相手の名称", "{{ s.partner_names_text or '－' }}"),
        ("具体的な連携の状況", "{{ s.collab_detail or '－' }}"),
    ]
    sheet_table = table(doc, [list(row) for row in labels], [42, 128], header=False)
    for row in sheet_table.rows:
        shade = OxmlElement("w:shd")
        shade.set(qn("w:fill"), "EDEDED")
        row.cells[0]._tc.get_or_add_tcPr().append(shade)
    doc.add_paragraph("{%p if s.also %}")
    doc.add_paragraph("この事業は {{ s.also | join('、') }} にも位置づけられています（同じシートの内容です）。")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if ratings.project_rating %}")
    doc.add_paragraph("事業の自己評価：{{ s.rating or '－' }}"
                      "{% if s.rating_reason %}（{{ s.rating_reason }}）{% endif %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if s.figures %}")
    caption(doc, "表　年度別実績（No.{{ s.number }}）")
    table(doc, [["項目", "{%tc for y in plan.years %}", "{{ y }}", "{%tc endfor %}", "合計"],
                ["{%tr for f in s.figures %}", "", "", "", ""],
                ["{{ f.label }}", "{%tc for v in f.cells %}", "{{ v }}", "{%tc endfor %}", "{{ f.total }}"],
                ["{%tr endfor %}", "", "", "", ""]], [44, 20, 20, 20, 20], right=(2, 4))
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")

    # --- 3 departments and target groups ---
    chapter(doc, "担当課別の状況")
    caption(doc, "表　担当課別のシート数と事業費")
    table(doc, [["担当課", "シート数", "決算額（{{ plan.unit }}）", "次年度予算額（{{ plan.unit }}）"],
                ["{%tr for d in departments %}", "", "", ""],
                ["{{ d.department }}", "{{ d.sheets }}", "{{ d.settled_text }}", "{{ d.budget_text }}"],
                ["{%tr endfor %}", "", "", ""]], [80, 20, 35, 35], right=(1, 2, 3))
    doc.add_heading("事業の対象者別のシート数", 2)
    caption(doc, "表　事業の対象者別のシート数")
    table(doc, [["対象者", "シート数", "割合"], ["{%tr for t in targets %}", "", ""],
                ["{{ t.label }}", "{{ t.sheets }}", "{{ t.share_text }}"], ["{%tr endfor %}", "", ""]],
          [80, 25, 25], right=(1, 2))
    doc.add_paragraph("対象者は1枚のシートで複数選べるため、シート数の和は集計したシートの枚数"
                      "（{{ counts.included }} 枚）より多くなることがあります。"
                      "割合は集計したシートの枚数に対する割合です。")
    doc.add_heading("連携状況の回答数", 2)
    caption(doc, "表　連携状況の回答数")
    table(doc, [["設問", "回答", "シート数", "割合"], ["{%tr for c in collaboration %}", "", "", ""],
                ["{{ c.scale }}", "{{ c.label }}", "{{ c.sheets }}", "{{ c.share_text }}"],
                ["{%tr endfor %}", "", "", ""]], [75, 45, 25, 25], right=(2, 3))

    # --- classification axes: every axis cross-tabulated, a project once under each value ---
    doc.add_paragraph("{%p if axes %}")
    chapter(doc, "分類別の状況")
    doc.add_paragraph("施策体系とは別の分け方で、事業を集計しました。複数の値を持つ事業は値ごとに数えるため、各値の和は"
                      "合計より多くなることがあります。合計は各事業を1回だけ数えたものです。")
    doc.add_paragraph("{%p for a in axes %}")
    doc.add_heading("{{ a.name }}{% if a.sub_plan and '個別計画' not in a.name %}（個別計画）{% endif %}", 2)
    caption(doc, "表　{{ a.name }}別の事業数と事業費")
    table(doc, [["{{ a.name }}", "事業数", "シート数", "決算額（{{ plan.unit }}）", "次年度予算額（{{ plan.unit }}）"],
                ["{%tr for v in a['values'] %}", "", "", "", ""],
                ["{{ v.value }}", "{{ v.projects }}", "{{ v.sheets }}", "{{ v.settled_text }}", "{{ v.budget_text }}"],
                ["{%tr endfor %}", "", "", "", ""],
                ["合計", "{{ a.total.projects }}", "{{ a.total.sheets }}", "{{ a.total.settled_text }}",
                 "{{ a.total.budget_text }}"]], [66, 18, 20, 33, 33], right=(1, 2, 3, 4))
    doc.add_paragraph("{%p if ratings.project_rating %}")
    doc.add_paragraph("事業の自己評価（シート数）：{% for v in a['values'] %}{{ v.value }}（{{ v.ratings_text }}）"
                      "{% if not loop.last %}、{% endif %}{% endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    # --- each sub-plan (an axis marked 個別計画): a chapter of its own ---
    doc.add_paragraph("{%p for sp in sub_plans %}")
    chapter(doc, "{{ sp.name }}")
    doc.add_paragraph("{%p if sp.description %}")
    doc.add_paragraph("{{ sp.description }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ sp.axis }}「{{ sp.name }}」に位置づけた事業 {{ sp.projects }} 件、"
                      "シート {{ sp.sheets }} 枚。決算額 {{ sp.settled_text }} {{ plan.unit }}、"
                      "次年度予算額 {{ sp.budget_text }} {{ plan.unit }}。")
    doc.add_paragraph("{%p if sp.entries %}")
    caption(doc, "表　{{ sp.name }}の事業")
    table(doc, [["施策・No.", "事業名", "担当課", "決算額", "次年度予算額"],
                ["{%tr for e in sp.entries %}", "", "", "", ""],
                ["{{ e.policy_code }} No.{{ e.number }}", "{{ e.project_name }}", "{{ e.department }}",
                 "{{ e.settled_text }}", "{{ e.budget_text }}"],
                ["{%tr endfor %}", "", "", "", ""]], [22, 62, 38, 24, 24], right=(3, 4))
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")

    # --- the plan's last year: every year side by side ---
    doc.add_paragraph("{%p if period %}")
    chapter(doc, "計画期間の総括")
    doc.add_paragraph(
        "計画期間（{{ plan.period_label }}）の各年度の決算額（{{ plan.unit }}）です。「記録なし」は履歴にその年度の"
        "記録がないこと、「－」はその年度に報告がないこと（事業の開始前・終了後など）を示します。")
    doc.add_heading("施策別", 2)
    caption(doc, "表　施策別の各年度の決算額（{{ plan.unit }}）")
    table(doc, [["施策", "名称", "{%tc for y in period.years %}", "{{ y }}", "{%tc endfor %}"],
                ["{%tr for p in period.policies %}", "", "", "", ""],
                ["{{ p.code }}", "{{ p.name }}", "{%tc for v in p.cells %}", "{{ v }}", "{%tc endfor %}"],
                ["{%tr endfor %}", "", "", "", ""],
                ["合計", "", "{%tc for v in period.total %}", "{{ v }}", "{%tc endfor %}"]],
          [14, 30, 21, 21, 21], right=(3,), size=8)
    doc.add_heading("事業別", 2)
    caption(doc, "表　事業別の各年度の決算額（{{ plan.unit }}）")
    table(doc, [["事業ID", "事業名", "{%tc for y in period.years %}", "{{ y }}", "{%tc endfor %}"],
                ["{%tr for p in period.projects %}", "", "", "", ""],
                ["{{ p.project_id }}", "{{ p.name }}", "{%tc for v in p.cells %}", "{{ v }}", "{%tc endfor %}"],
                ["{%tr endfor %}", "", "", "", ""]], [14, 30, 21, 21, 21], right=(3,), size=8)
    doc.add_paragraph("{%p endif %}")
    return doc


def build_check() -> Document:
    """The internal check report (点検報告, for the office): the counts that must reconcile, the
    sheets missing, excluded and set aside, files that could not be used, amounts that may be
    counted twice. Not for publication."""
    doc = base()
    cover(doc, "{{ plan.fiscal_year_label }} 自己評価シート点検報告（内部資料）")
    chapter(doc, "1 提出と集計の状況")
    doc.add_paragraph("{{ generated }}時点の点検結果です。この資料は公表用の報告書には含まれません。")
    caption(doc, "表　シートの件数（計画上のシート＝提出あり＋未提出、提出あり＝集計対象＋除外）")
    table(doc, [["区分", "件数"],
                ["計画上のシート", "{{ counts.expected }}"], ["提出あり", "{{ counts.submitted }}"],
                ["未提出", "{{ counts.missing }}"], ["集計対象（エラーなし）", "{{ counts.included }}"],
                ["要修正（集計から除外）", "{{ counts.excluded }}"], ["重複のため不使用", "{{ counts.superseded }}"],
                ["読み込んだファイル", "{{ counts.files }}"], ["使用できないファイル", "{{ counts.unusable_files }}"],
                ["エラー", "{{ counts.errors }}"], ["警告", "{{ counts.warnings }}"],
                ["お知らせ", "{{ counts.infos }}"]],
          [90, 30], right=(1,))
    doc.add_heading("2 未提出のシート", 1)
    doc.add_paragraph("{%p if missing %}")
    caption(doc, "表　未提出のシート")
    table(doc, [["担当課", "施策", "No.", "事業名"], ["{%tr for m in missing %}", "", "", ""],
                ["{{ m.department }}", "{{ m.policy_code }}", "{{ m.number }}", "{{ m.project_name }}"],
                ["{%tr endfor %}", "", "", ""]], [50, 15, 12, 93], right=(2,))
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("未提出のシートはありません。")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("3 誤りがあり集計から除外したシート", 1)
    doc.add_paragraph("{%p if excluded %}")
    caption(doc, "表　誤りがあり集計から除外したシート")
    table(doc, [["担当課", "施策・No.", "事業名", "理由"], ["{%tr for x in excluded %}", "", "", ""],
                ["{{ x.department }}", "{{ x.policy_code }} No.{{ x.number }}", "{{ x.project_name }}",
                 "{{ x.reasons_text }}"], ["{%tr endfor %}", "", "", ""]], [38, 20, 42, 70])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("誤りにより除外したシートはありません。")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("4 使用できなかったファイル", 1)
    doc.add_paragraph("{%p if unusable_files %}")
    caption(doc, "表　使用できなかったファイル")
    table(doc, [["ファイル", "理由"], ["{%tr for f in unusable_files %}", ""],
                ["{{ f.file }}", "{{ f.reasons_text }}"], ["{%tr endfor %}", ""]], [70, 100])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("使用できなかったファイルはありません。")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("5 二重に数えている可能性のある事業費", 1)
    doc.add_paragraph("{%p if shared_budgets %}")
    doc.add_paragraph(
        "次の事業は決算額・予算額の組が同じで、同じ予算を複数の事業で計上している可能性があります。"
        "単純に合計すると、決算額で最大 {{ totals.double_settled_text }} {{ plan.unit }}、予算額で最大 "
        "{{ totals.double_budget_text }} {{ plan.unit }}を二重に数えることになります。担当課に確認してください。")
    caption(doc, "表　決算額・予算額の組が同じ事業（{{ plan.unit }}）")
    table(doc, [["決算額", "予算額", "事業"], ["{%tr for g in shared_budgets %}", "", ""],
                ["{{ g.settled_text }}", "{{ g.budget_text }}", "{{ g.names }}"], ["{%tr endfor %}", "", ""]],
          [25, 25, 120], right=(0, 1))
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("決算額・予算額の組が同じ事業はありません。")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("6 シートによって事業費が異なる事業", 1)
    doc.add_paragraph("{%p if amounts_differ %}")
    doc.add_paragraph("同じ担当課が施策ごとのシートで回答した事業で、事業費がシートによって異なるものです。"
                      "合計には各シートの額の和を使いました。分けて記入したのでなければ担当課に確認してください。")
    caption(doc, "表　シートによって事業費が異なる事業（{{ plan.unit }}）")
    table(doc, [["事業", "担当課", "各シートの決算額／予算額", "合計に使った額"],
                ["{%tr for d in amounts_differ %}", "", "", ""],
                ["{{ d.project_name }}", "{{ d.department }}", "{{ d.sheets_text }}",
                 "{{ d.settled_text }}／{{ d.budget_text }}"], ["{%tr endfor %}", "", "", ""]], [45, 35, 60, 30])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("シートによって事業費が異なる事業はありません。")
    doc.add_paragraph("{%p endif %}")
    return doc


def main() -> None:
    for make, target, name in ((build, TARGET, starter.REPORT_TEMPLATE),
                               (build_check, CHECK_TARGET, starter.CHECK_TEMPLATE)):
        make().save(target)
        shutil.copyfile(target, starter.packaged(name))  # the package ships the same
        print(target)


if __name__ == "__main__":
    main()
