"""The README's generated tables: issue codes (from the catalogue), the plan master's sheets and
columns (from its schema) and the package layout (one line per module, from its docstring).
`python tools/readme.py` rewrites them; tests/test_docs.py fails while README.md differs."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reporter.core import schema  # noqa: E402
from reporter.core.catalogue import CATALOGUE  # noqa: E402

README = ROOT / "README.md"


def codes_table() -> str:
    lines = ["| コード | 重大度 | メッセージ（日本語。{…} には値が入ります） |", "|---|---|---|"]
    for code, spec in CATALOGUE.items():
        lines.append(f"| `{code}` | {spec.severity.label} | {spec.template.replace('|', '｜')} |")
    return "\n".join(lines)


def master_table() -> str:
    """The plan master's sheets and columns, from the schema the loader reads by."""
    lines = ["| シート | 列（項目） | 内容 |", "|---|---|---|"]
    for sheet in schema.SHEETS:
        items = schema.SETTINGS if sheet.name == schema.PLAN else sheet.columns
        names = "・".join(f"{c.name}{'' if c.required else '（任意）'}" for c in items)
        lines.append(f"| {sheet.name}{'（任意）' if sheet.optional else ''} | {names} | {sheet.explanation} |")
    return "\n".join(lines)


def presets_table() -> str:
    """The rating presets that ship, each grade and how it is reached (from reporter/core/presets.py)."""
    from reporter.core import presets, rating

    lines = ["| プリセット | 方式 | 評価（上から順に） | 施策の評価 | 定性の指標 |", "|---|---|---|---|---|"]
    for name, rule in presets.PRESETS.items():
        grades = []
        for g in rule.grades:
            when = g.condition or (f"{g.bound:g}%以上" if g.bound is not None else "それ未満")
            grades.append(f"{g.label}＝{g.meaning}（{when}）")
        qualitative = "、".join(f"{k}→{v}" for k, v in rule.qualitative.items())
        method = rule.method.value
        if rule.method is rating.Method.BASELINE:
            method += f"（許容幅 ±{rule.tolerance:g}%）"
        lines.append(f"| {name} | {method} "
                     f"| {'、'.join(grades)} | {rule.rollup.value} | {qualitative} |")
    return "\n".join(lines)


def summary(path: Path) -> str:
    """A module's job in one line: the first paragraph of its docstring."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return " ".join(doc.split("\n\n")[0].split()).replace("|", "\\|")


def layout_table() -> str:
    lines = ["| module | job |", "|---|---|"]
    for path in sorted((ROOT / "reporter").rglob("*.py"), key=lambda p: (p.parent.as_posix(), p.name != "__init__.py",
                                                                            p.name)):
        shown = path.parent if path.name == "__init__.py" else path
        name = f"{shown.relative_to(ROOT).as_posix()}{'/' if path.name == '__init__.py' else ''}"
        lines.append(f"| `{name}` | {summary(path)} |")
    return "\n".join(lines)


def render(text: str) -> str:
    for key, table in (("codes", codes_table()), ("layout", layout_table()), ("master", master_table()),
                       ("presets", presets_table())):
        start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
        block = f"{start}\n{table}\n{end}"
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _, b=block: b, text, flags=re.S)
    return text


def main() -> None:
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
