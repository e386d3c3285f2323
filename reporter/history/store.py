"""The history database: every year's accepted sheets of the plan, in one SQLite file.

One plan per file (the plan table says which). A year is recorded in one transaction that
first deletes that year's rows: a rebuild replaces the year, other years are never touched, and
a process killed mid-write leaves the file as it was (SQLite's journal rolls it back). Every
failure is a HistoryError with one Japanese line; the file is then unchanged.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from reporter import __version__
from reporter.core import era, rating
from reporter.core.held import HeldFigure, HeldIndicator, HeldSheet, HeldYear, History
from reporter.core.model import Master, Plan
from reporter.core.records import TEXT_FIELDS, IndicatorRecord, SheetRecord
from reporter.errors import HistoryError, HistoryLockedError
from reporter.history import schema

WAIT = 10.0  # seconds to wait for another build's write to end before giving up


def _connect(path: Path, *, write: bool) -> sqlite3.Connection:
    if not write:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=WAIT, isolation_level=None)
    else:
        conn = sqlite3.connect(path, timeout=WAIT, isolation_level=None)
    return conn


@contextmanager
def _errors(path: Path) -> Iterator[None]:
    """SQLite's failures as one Japanese line naming the file."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise HistoryLockedError(
                f"履歴ファイル「{path}」を別の処理が使っているため、使えませんでした。"
                "ほかの reporter build などが終わってから、もう一度実行してください。") from exc
        raise _damaged(path, exc) from exc
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc


def _damaged(path: Path, exc: Exception) -> HistoryError:
    return HistoryError(
        f"履歴ファイル「{path}」を読めません（壊れているか、履歴ファイルではありません：{exc}）。"
        "バックアップから戻すか、--history で別のファイルを指定してください。", damaged=True)


def _check_plan(conn: sqlite3.Connection, path: Path, plan: Plan) -> None:
    if _check_version(conn, path) == 0:
        return
    row = conn.execute("SELECT name FROM plan WHERE id = 1").fetchone()
    if row is not None and row[0] != plan.name:
        raise HistoryError(
            f"履歴ファイル「{path}」は計画「{row[0]}」のものです（計画マスタの計画名は「{plan.name}」）。"
            "計画マスタの計画名を確かめるか、--history でこの計画の履歴ファイルを指定してください。")


def _check_version(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version; HistoryError when a newer reporter wrote it."""
    found = schema.version(conn)
    if found > schema.VERSION:
        raise HistoryError(
            f"履歴ファイル「{path}」は新しい版の reporter で作られています"
            f"（形式 {found}、この版は {schema.VERSION} まで）。reporter を新しい版に更新してください。")
    return found


def check_year(plan: Plan, year: int) -> None:
    if not plan.first_year <= year <= plan.last_year:
        raise HistoryError(
            f"{era.long(year)}は計画期間（{era.long(plan.first_year)}～{era.long(plan.last_year)}）の外です。"
            "年度か計画マスタの計画期間を確かめてください。")


def check_place(path: Path) -> None:
    """Before any work: ``path`` can be a history file (not a folder, in a folder that exists)."""
    if path.is_dir():
        raise HistoryError(f"履歴ファイルの場所「{path}」はフォルダです。--history にはファイル名（例：履歴.sqlite3）を"
                           "指定してください。")
    if not path.parent.is_dir():
        raise HistoryError(f"履歴ファイル「{path}」を置くフォルダ「{path.parent}」がありません。"
                           "フォルダを作るか、--history で別の場所を指定してください。")


def verify(path: Path, plan: Plan) -> None:
    """Before any work: the file (when it exists) belongs to this plan and can be read."""
    if not path.exists():
        return
    with _errors(path):
        conn = _connect(path, write=False)
        try:
            _check_plan(conn, path, plan)
        finally:
            conn.close()


def load(path: Path, plan: Plan) -> History:
    """Everything held for ``plan``; an empty history when there is no file yet."""
    if not path.exists():
        return History(plan.name)
    with _errors(path):
        conn = _connect(path, write=False)
        try:
            _check_plan(conn, path, plan)
            found = schema.version(conn)
            if found < 1:
                return History(plan.name)  # nothing recorded in a form this version reads
            held = _indicators(conn, plan.name) if found >= 2 else ()  # version 1 held no indicators
            return History(plan.name, _years(conn, plan.name), _sheets(conn, plan.name), held)
        finally:
            conn.close()


def record(path: Path, master: Master, year: int, records: Sequence[SheetRecord], folder: Path,
           source: str, now: datetime, answers: Sequence[IndicatorRecord] = ()) -> HeldYear:
    """Replace ``year``'s rows by ``records`` (accepted sheets read from files below ``folder``)
    and ``answers`` (the indicators' actuals) in one transaction."""
    plan = master.plan
    check_year(plan, year)
    files = sorted({r.source.file for r in records} | {a.source.file for a in answers})
    hashes = [(f, _sha256(folder / f)) for f in files]
    with _errors(path):
        conn = _connect(path, write=True)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _check_plan(conn, path, plan)
                schema.migrate(conn)
                conn.execute("INSERT OR IGNORE INTO plan VALUES (1, ?, ?, ?, ?, ?)",
                             (plan.name, plan.city, plan.first_year, plan.last_year, now.isoformat()))
                _replace_year(conn, master, year, records, hashes, source, now)
                _replace_indicators(conn, master, year, answers)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back itself (a full disk)
                    conn.execute("ROLLBACK")
                raise
            held = next(y for y in _years(conn, plan.name) if y.year == year)
        finally:
            conn.close()
    return held


def summary(path: Path) -> tuple[str, tuple[HeldYear, ...]]:
    """The plan a file holds and its years (for `reporter history`)."""
    with _errors(path):
        conn = _connect(path, write=False)
        try:
            if _check_version(conn, path) == 0:
                return "", ()
            row = conn.execute("SELECT name FROM plan WHERE id = 1").fetchone()
            name = row[0] if row else ""
            return name, _years(conn, name)
        finally:
            conn.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _replace_year(conn: sqlite3.Connection, master: Master, year: int, records: Sequence[SheetRecord],
                  hashes: list[tuple[str, str]], source: str, now: datetime) -> None:
    plan = master.plan.name
    for table in ("years", "files", "sheets", "figure_rows", "figures"):
        conn.execute(f"DELETE FROM {table} WHERE plan = ? AND fiscal_year = ?", (plan, year))
    conn.execute("INSERT INTO years VALUES (?, ?, ?, ?, ?)", (plan, year, source, now.isoformat(), __version__))
    conn.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", [(plan, year, f, h) for f, h in hashes])
    years = master.plan.years
    sheets: list[tuple[object, ...]] = []
    rows: list[tuple[object, ...]] = []
    figures: list[tuple[object, ...]] = []
    for r in records:
        key = (plan, year, r.spec.project_id, r.spec.policy_code, r.spec.department)
        sheets.append((*key, r.spec.number, master.project(r.spec.project_id).name,
                       master.policy(r.spec.policy_code).name, r.source.file, r.source.sheet,
                       r.settled.value, r.budget.value, r.collab_internal, r.collab_community,
                       _json([c.label for c, t in zip(master.choices.targets, r.targets, strict=False) if t]),
                       r.target_other, _json(list(r.partners_done.numbers)), _json(list(r.partners_wanted.numbers)),
                       _json({str(k): v for k, v in r.partner_names.items()}), _json(dict(r.texts)),
                       _json(fields(r, master))))
        for figure in r.figures:
            rows.append((*key, figure.row, figure.label, *_figure(figure.total)))
            figures.extend((*key, figure.row, y, *_figure(v)) for y, v in zip(years, figure.values, strict=False)
                           if v is not None)
    conn.executemany(f"INSERT INTO sheets VALUES ({', '.join('?' * 21)})", sheets)
    conn.executemany("INSERT INTO figure_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", figures)


def _replace_indicators(conn: sqlite3.Connection, master: Master, year: int,
                        answers: Sequence[IndicatorRecord]) -> None:
    plan = master.plan.name
    conn.execute("DELETE FROM indicators WHERE plan = ? AND fiscal_year = ?", (plan, year))
    rows = []
    for a in answers:
        ind = master.indicator(a.indicator_id)
        if ind is None or master.rule is None:
            continue
        actual = a.actual
        label = rating.rate(master.rule, ind, actual, year).label
        text = actual.special.value if actual.special is not None else actual.choice
        rows.append((plan, year, ind.id, a.department, ind.name, actual.value, text, actual.explanation, label,
                     a.source.file))
    conn.executemany("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _indicators(conn: sqlite3.Connection, plan: str) -> tuple[HeldIndicator, ...]:
    return tuple(HeldIndicator(int(year), ident, value, text, explanation, label)
                 for year, ident, value, text, explanation, label in conn.execute(
                     "SELECT fiscal_year, indicator_id, value, text, explanation, label FROM indicators "
                     "WHERE plan = ? ORDER BY fiscal_year", (plan,)))


def fields(r: SheetRecord, master: Master) -> dict[str, object]:
    """Every field of a sheet as read, by defined name (normalised: the department's texts,
    the amounts as written, ■/□, choice numbers, the figures)."""
    found: dict[str, object] = {f"F_TARGET_{i}": {True: "■", False: "□"}.get(t) if t is not None else None
                                for i, t in enumerate(r.targets, start=1)}
    found["F_TARGET_OTHER"] = r.target_other
    found.update({name: r.texts[key] for key, name in TEXT_FIELDS.items()})
    found.update({"F_SETTLED": r.settled.raw, "F_BUDGET": r.budget.raw, "F_COLLAB_INTERNAL": r.collab_internal,
                  "F_COLLAB_COMMUNITY": r.collab_community, "F_PARTNERS_DONE": list(r.partners_done.numbers),
                  "F_PARTNERS_WANTED": list(r.partners_wanted.numbers)})
    named = [p.number for p in master.choices.partners if p.named]
    for i, number in enumerate(named, start=1):
        found[f"F_PARTNER_NAME_{i}"] = r.partner_names.get(number, "")
    for figure in r.figures:
        n = figure.row
        found[f"F_FIG_{n}_LABEL"] = figure.label
        found.update({f"F_FIG_{n}_Y{c}": v for c, v in enumerate(figure.values, start=1)})
        found[f"F_FIG_{n}_TOTAL"] = figure.total
    return found


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _figure(value: float | str | None) -> tuple[float | None, str | None]:
    return (value, None) if isinstance(value, float | int) else (None, value)


def _years(conn: sqlite3.Connection, plan: str) -> tuple[HeldYear, ...]:
    """Each year held, its counts and totals (a project answered under several policies counted
    once per department, as in the report)."""
    counts: dict[int, int] = {}
    pairs: dict[int, dict[tuple[str, str], tuple[float, float]]] = {}
    for year, pid, dept, settled, budget in conn.execute(
            "SELECT fiscal_year, project_id, department, settled, budget FROM sheets WHERE plan = ? "
            "ORDER BY rowid", (plan,)):
        counts[year] = counts.get(year, 0) + 1
        pairs.setdefault(year, {}).setdefault((pid, dept), (settled or 0.0, budget or 0.0))
    held = []
    for year, source, recorded in conn.execute(
            "SELECT fiscal_year, source, recorded FROM years WHERE plan = ? ORDER BY fiscal_year", (plan,)):
        mine = pairs.get(year, {})
        held.append(HeldYear(int(year), source, recorded, counts.get(year, 0), len({p for p, _ in mine}),
                             len({d for _, d in mine}), float(sum(v[0] for v in mine.values())),
                             float(sum(v[1] for v in mine.values()))))
    return tuple(held)


def _sheets(conn: sqlite3.Connection, plan: str) -> tuple[HeldSheet, ...]:
    Key = tuple[int, str, str, str]
    values: defaultdict[tuple[int, str, str, str, int], dict[int, float | str | None]] = defaultdict(dict)
    for year, pid, code, dept, row, of, value, text in conn.execute(
            "SELECT fiscal_year, project_id, policy_code, department, row, year, value, text "
            "FROM figures WHERE plan = ? ORDER BY year", (plan,)):
        values[(year, pid, code, dept, row)][of] = value if value is not None else text
    figures: defaultdict[Key, list[HeldFigure]] = defaultdict(list)
    for year, pid, code, dept, row, label, total, total_text in conn.execute(
            "SELECT fiscal_year, project_id, policy_code, department, row, label, total, total_text "
            "FROM figure_rows WHERE plan = ? ORDER BY row", (plan,)):
        figures[(year, pid, code, dept)].append(
            HeldFigure(label, values.get((year, pid, code, dept, row), {}), total if total is not None else total_text,
                       row))
    return tuple(
        HeldSheet(year, pid, code, dept, number, name, settled, budget, json.loads(texts),
                  tuple(figures.get((year, pid, code, dept), ())), internal, community, file)
        for year, pid, code, dept, number, name, file, settled, budget, internal, community, texts in conn.execute(
            "SELECT fiscal_year, project_id, policy_code, department, number, project_name, file, settled, budget, "
            "collab_internal, collab_community, texts FROM sheets WHERE plan = ? ORDER BY fiscal_year, rowid",
            (plan,)))
