"""Regenerate the issue-code table in README.md from reporter/catalogue.py.

Run: python tools/codes_table.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reporter.core.catalogue import CATALOGUE  # noqa: E402

START, END = "<!-- codes:start -->", "<!-- codes:end -->"


def table() -> str:
    lines = ["| コード | 重大度 | メッセージ（日本語。{…} には値が入ります） |", "|---|---|---|"]
    for code, spec in CATALOGUE.items():
        lines.append(f"| `{code}` | {spec.severity.label} | {spec.template.replace('|', '｜')} |")
    return "\n".join(lines)


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = re.sub(re.escape(START) + ".*?" + re.escape(END), f"{START}\n{table()}\n{END}", text, flags=re.S)
    readme.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
