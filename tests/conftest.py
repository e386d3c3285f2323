"""Shared fixtures: a small but complete plan master, written as a real workbook."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from demo.build_demo import write_master  # noqa: E402

TEMPLATE = ROOT / "templates" / "様式.xlsx"

SMALL_MASTER: dict[str, list[list[object]]] = {
    "計画": [["項目", "値"], ["計画名", "第１期テスト市地域福祉計画"], ["市区町村名", "テスト市"],
           ["計画開始年度", "平成28年度"], ["計画終了年度", 2020], ["評価年度", "R2"],
           ["金額単位", "千円"]],
    "施策体系": [["コード", "名称", "親コード", "階層名"],
             ["1", "ともに支え合う地域づくり", "", "基本目標"],
             ["1-1", "担い手の育成", "1", "施策の方向"],
             ["1-1-1", "地域の防災力向上", "1-1", "重点施策"],
             ["2", "安心して暮らせる仕組み", "", "基本目標"],
             ["2-1", "相談支援体制の充実", "2", "施策の方向"]],
    # P01 sits under two policies and is answered once under each (Sendai's 地域防災リーダー).
    "事業": [["事業ID", "事業名", "概要", "シートの単位"],
           ["P01", "地域防災リーダー養成事業", "講習会を実施する。", "施策ごと"],
           ["P02", "見守り活動支援", "町内会の見守りを支援する。", ""],
           ["P03", "相談窓口の運営", "=HYPERLINK(\"http://example.com\") & <b>相談</b>", ""]],
    "事業配置": [["事業ID", "施策コード", "番号"],
             ["P01", "1-1-1", 1], ["P02", "1-1", 1], ["P01", "2-1", 2], ["P03", "2-1", 1]],
    "担当課": [["事業ID", "担当課名"],
            ["P01", "危機管理局減災推進課"], ["P02", "健康福祉局社会課"],
            ["P02", "社会福祉協議会"], ["P03", "健康福祉局社会課"]],
    "選択肢": [["種類", "番号", "表示名", "名称を記入"],
            ["対象者", 1, "高齢者", ""], ["対象者", 2, "障害者", ""], ["対象者", 3, "その他", "○"],
            ["連携評価", 1, "できた", ""], ["連携評価", 2, "できなかった", ""],
            ["連携評価", 3, "どちらともいえない", ""], ["連携評価", 4, "必要なかった", ""],
            ["連携相手", 1, "ＮＰＯ", ""], ["連携相手", 2, "相談機関", "○"],
            ["連携相手", 3, "町内会", ""], ["連携相手", 4, "市の関係部局", "○"]],
}

MasterFactory = Callable[..., Path]


@pytest.fixture(autouse=True)
def _working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own working folder: what the commands write by default beside
    the working folder (the history database) never lands in the repository."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def small_master() -> dict[str, list[list[object]]]:
    """A fresh, editable copy of the small master's rows."""
    return copy.deepcopy(SMALL_MASTER)


@pytest.fixture
def make_master(tmp_path: Path) -> MasterFactory:
    """Write master rows (default: the small master) as a real workbook and return its path."""

    def make(tables: dict[str, list[list[object]]] | None = None,
             name: str = "計画マスタ.xlsx") -> Path:
        return write_master(tables if tables is not None else SMALL_MASTER, tmp_path / name)

    return make
