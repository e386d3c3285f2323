"""The plan master's sheets, columns and settings, each with what it means: the loader reads by
it, and a new working folder's blank master explains it on its 記入方法 sheet."""

from __future__ import annotations

from dataclasses import dataclass

PLAN = "計画"
POLICIES = "施策体系"
PROJECTS = "事業"
PLACEMENTS = "事業配置"
DEPARTMENTS = "担当課"
CHOICES = "選択肢"
INDICATORS = "指標"
RULES = "評価基準"
AXES = "分類軸"
PROJECT_AXES = "事業の分類"
SUB_PLAN = "個別計画"  # the 区分 that makes an axis a sub-plan
PER_PLACEMENT = "施策ごと"  # シートの単位: one sheet per placement
PER_DEPARTMENT = "担当課ごと"  # シートの単位 (default): one sheet per project and department
LIST_QUESTIONS = "連携設問"
NODE_NOTES = ("課題認識", "対応方針", "説明")  # narrative columns of a policy node
GUIDE = "記入方法"  # explanations only; the loader passes over it

LIST_TARGETS = "対象者"
LIST_SCALE = "連携評価"
LIST_PARTNERS = "連携相手"


@dataclass(frozen=True)
class Column:
    name: str
    explanation: str
    required: bool = True


@dataclass(frozen=True)
class Sheet:
    name: str
    explanation: str
    columns: tuple[Column, ...]
    optional: bool = False  # the whole sheet may be left out

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


YEAR_FORMS = "年度は 2020、令和2年度、R2 のどれでも構いません。"

SETTINGS: tuple[Column, ...] = (
    Column("計画名", "計画の正式な名称。様式と報告書の見出しに使います。"),
    Column("市区町村名", "報告書の表紙に使います。"),
    Column("計画開始年度", f"計画期間の最初の年度。{YEAR_FORMS}"),
    Column("計画終了年度", f"計画期間の最後の年度。{YEAR_FORMS}"),
    Column("評価年度", f"今回振り返る年度（計画期間の中）。{YEAR_FORMS}"),
    Column("金額単位", "事業費の単位（既定：千円）。", required=False),
    Column("予算増減の確認幅（％）", "次年度予算が今年度決算からこの割合を超えて増減したときに知らせます（既定：100）。",
           required=False),
    Column("シートの単位", "複数の施策に位置づけた事業のシート：「担当課ごと」（既定。担当課ごとに1枚で、すべての施策に"
           "載せます）または「施策ごと」（位置づけごとに1枚）。事業ごとに「事業」シートの「シートの単位」で変えられます。",
           required=False),
    Column("グラフの階層", "報告書のグラフで比べる施策の階層（階層名、または 1 から数えた階層の番号）。"
           "既定は、施策が2つ以上ある最初の階層です。", required=False),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(PLAN, "計画全体の設定です。A列に項目名、B列に値を入力します。", (
        Column("項目", "下の項目名のとおりに入力します。"),
        Column("値", "項目ごとの値。"),
    )),
    Sheet(POLICIES, "計画の施策の体系です。階層はいくつでも構いません（基本目標 → 施策の方向 → 重点施策 など）。", (
        Column("コード", "施策を表す重ならないコード（例：1、1-1、1-1-1）。"),
        Column("名称", "施策の名称。"),
        Column("親コード", "一つ上の階層の施策のコード。最上位の施策は空欄にします。", required=False),
        Column("階層名", "その階層の呼び名（例：基本目標、施策の方向）。", required=False),
        *(Column(name, f"施策の{name}（任意）。報告書のその施策の見出しの下に載ります。", required=False)
          for name in NODE_NOTES),
    )),
    Sheet(PROJECTS, "計画に位置づけた事業の一覧です。", (
        Column("事業ID", "事業名が変わっても変えない、重ならない番号（例：P01）。年度をまたいで事業を結びつけます。"),
        Column("事業名", "事業の名称。"),
        Column("概要", "事業の概要。様式に記入済みで表示します。", required=False),
        Column("シートの単位", "複数の施策に位置づけた事業を「施策ごと」に1枚のシートで回答するときに入力します"
               "（空欄は「計画」シートの設定のとおり）。", required=False),
    )),
    Sheet(PLACEMENTS, "事業が、どの施策の何番目に位置づけられているかです。1つの事業を複数の施策に置けます。", (
        Column("事業ID", "「事業」シートの事業ID。"),
        Column("施策コード", "「施策体系」シートのコード。"),
        Column("番号", "その施策の中での事業の番号（1 以上の整数）。"),
    )),
    Sheet(DEPARTMENTS, "事業を回答する担当課です。1つの事業を複数の課が回答できます（1行に1課）。", (
        Column("事業ID", "「事業」シートの事業ID。"),
        Column("担当課名", "担当課の名称。課ごとに1つの様式ファイルを作ります。"),
    )),
    Sheet(CHOICES, f"様式の選択肢です。種類は「{LIST_TARGETS}」「{LIST_SCALE}」「{LIST_PARTNERS}」と、連携の2つの設問の"
          f"名称「{LIST_QUESTIONS}」（報告書の表とグラフの見出し。任意）です。", (
        Column("種類", f"「{LIST_TARGETS}」「{LIST_SCALE}」「{LIST_PARTNERS}」「{LIST_QUESTIONS}」のいずれか。"),
        Column("番号", "種類ごとの番号（1 以上の整数）。様式では①②…と表示します。"),
        Column("表示名", "選択肢の名称。"),
        Column("名称を記入", "○ を付けた選択肢（その他、相談機関など）には、様式に名称を書く欄ができます。", required=False),
    )),
    Sheet(INDICATORS, "計画の指標です（任意）。報告担当の課の様式に「指標」シートができ、報告書に施策ごとの指標の表と評価が載ります。", (
        Column("指標ID", "重ならない番号（例：K01）。年度をまたいで指標を結びつけます。"),
        Column("施策コード", "指標が属する施策のコード。"),
        Column("指標名", "指標の名称。"),
        Column("報告担当", "実績値を報告する課（「担当課」シートの担当課名）。その課の様式に「指標」シートができます。"),
        Column("種類", "「数値」または「定性」（全校での実施など、数で測らない目標）。空欄は数値。", required=False),
        Column("方向", "「増加」（増やすのが目標）、「減少」（減らすのが目標）、「維持」（基準値を保つ）。空欄は増加。",
               required=False),
        Column("単位", "値の単位（例：人、回、%）。数値の指標の実績はこの単位で報告されます。", required=False),
        Column("基準年度", f"基準値の年度。{YEAR_FORMS}", required=False),
        Column("基準値", "計画策定時の値（数値の指標は数値。「未実施」は 0 として計算します）。", required=False),
        Column("目標年度", "目標値の年度。", required=False),
        Column("目標値", "目標の値（数値の指標は数値。定性の指標は「全校」のような文）。", required=False),
        Column("年度別目標", "年度ごとの中間目標（任意。例：R3=9000、R4=9250）。按分の評価方式で使います。",
               required=False),
        Column("目標設定の考え方", "目標の決め方の説明。報告書に載ります。", required=False),
        Column("備考", "基準値や目標値の補足（時点、別の内訳など）。報告書に載ります。", required=False),
    ), optional=True),
    Sheet(RULES, "指標と施策の評価のしかたです（任意。ないときは「達成率4段階」）。A列に項目、B列以降に値を入力します。"
          "「プリセット」の行で用意された基準を選び、下の行でその一部を変えられます。", (
        Column("項目", "プリセット・方式・評価・許容幅（％）・測定不能・終了・未着手・定性・施策の評価・"
                       "施策の評価に事業を含める・事業の自己評価 のいずれか。"),
        Column("値", "項目の値（方式：達成率／按分達成率／基準値比較、評価：記号（A など）、定性：達成／一部達成／未達成 など）。"),
        Column("意味", "評価の記号の意味（例：目標を達成）。", required=False),
        Column("条件", "評価の区分：達成率の方式では下限（％、最後の評価は空欄）、基準値比較では 目標以上・基準超・許容幅内・"
                       "基準未満 のどれか。定性の行では対応する評価の記号。", required=False),
    ), optional=True),
)

SHEETS = (*SHEETS,
          Sheet(AXES, "施策体系とは別の、事業の分け方です（任意。支援の種類、キーワード、個別計画、SDGs など）。"
                "1行に1つの値を入力します。報告書と集計表に、分け方ごとの集計が載ります。", (
              Column("軸名", "分け方の名前（例：支援の種類）。"),
              Column("値", "その分け方の値（例：相談支援）。"),
              Column("区分", f"「{SUB_PLAN}」と入力した分け方は、値ごとに報告書の章と、"
                     "reporter build --plan で作る個別の報告書になります（軸のすべての行で同じにします）。",
                     required=False),
              Column("説明", "値の説明。報告書に載ります。", required=False),
          ), optional=True),
          Sheet(PROJECT_AXES, "事業ごとの分類です（任意）。1行に1つの値を入力します（1つの事業に同じ軸の値を"
                "いくつでも付けられます）。様式に記入済みで表示します。", (
              Column("事業ID", "「事業」シートの事業ID。"),
              Column("軸名", "「分類軸」シートの軸名。"),
              Column("値", "「分類軸」シートのその軸の値。"),
          ), optional=True))

BY_NAME = {s.name: s for s in SHEETS}
