"""The history database's schema: a version in SQLite's user_version and the migrations that
bring any earlier version up to it, one step at a time, each in the transaction that opens it.

A migration is appended, never edited: a database written by an earlier release goes through
every step after its own version.
"""

from __future__ import annotations

import sqlite3

# Version 1: the first schema. Every table is keyed by the plan's name and the fiscal year the
# rows report on; sheets by project ID, policy and department.
V1: tuple[str, ...] = (
    """
CREATE TABLE plan (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL,
    created TEXT NOT NULL
)
""",
    """
CREATE TABLE years (
    plan TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    source TEXT NOT NULL,            -- build / import
    recorded TEXT NOT NULL,          -- ISO 8601
    tool TEXT NOT NULL,              -- the version of reporter that wrote the rows
    PRIMARY KEY (plan, fiscal_year)
)
""",
    """
CREATE TABLE files (
    plan TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    file TEXT NOT NULL,              -- relative to the folder that was read
    sha256 TEXT NOT NULL,
    PRIMARY KEY (plan, fiscal_year, file)
)
""",
    """
CREATE TABLE sheets (
    plan TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    project_id TEXT NOT NULL,
    policy_code TEXT NOT NULL,
    department TEXT NOT NULL,
    number INTEGER NOT NULL,
    project_name TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    file TEXT NOT NULL,
    sheet TEXT NOT NULL,
    settled REAL,
    budget REAL,
    collab_internal INTEGER,
    collab_community INTEGER,
    targets TEXT NOT NULL,           -- JSON: the target groups ticked (labels)
    target_other TEXT NOT NULL,
    partners_done TEXT NOT NULL,     -- JSON: partner numbers
    partners_wanted TEXT NOT NULL,
    partner_names TEXT NOT NULL,     -- JSON: number -> name
    texts TEXT NOT NULL,             -- JSON: status, results, challenges …
    fields TEXT NOT NULL,            -- JSON: every field as read, by defined name
    PRIMARY KEY (plan, fiscal_year, project_id, policy_code, department)
)
""",
    """
CREATE TABLE figure_rows (
    plan TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    project_id TEXT NOT NULL,
    policy_code TEXT NOT NULL,
    department TEXT NOT NULL,
    row INTEGER NOT NULL,
    label TEXT NOT NULL,
    total REAL,
    total_text TEXT,
    PRIMARY KEY (plan, fiscal_year, project_id, policy_code, department, row)
)
""",
    """
CREATE TABLE figures (
    plan TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    project_id TEXT NOT NULL,
    policy_code TEXT NOT NULL,
    department TEXT NOT NULL,
    row INTEGER NOT NULL,
    year INTEGER NOT NULL,           -- the year of the figure (the table covers the plan period)
    value REAL,
    text TEXT,                       -- a figure written as text (「実施なし」)
    PRIMARY KEY (plan, fiscal_year, project_id, policy_code, department, row, year)
)
""",
)

# Version 2: each year's indicator actuals (the 指標 sheets), with the rating they were given.
V2: tuple[str, ...] = (
    """
CREATE TABLE indicators (
    plan TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    indicator_id TEXT NOT NULL,
    department TEXT NOT NULL,
    name TEXT NOT NULL,              -- as the master named it that year
    value REAL,                      -- a numeric actual
    text TEXT NOT NULL,              -- a qualitative choice (達成 …) or the code for no value (測定不能 …)
    explanation TEXT NOT NULL,
    label TEXT NOT NULL,             -- the rating given that year ('' when none)
    file TEXT NOT NULL,
    PRIMARY KEY (plan, fiscal_year, indicator_id)
)
""",
)

# MIGRATIONS[n] brings version n to n + 1, one statement at a time (no splitting of SQL text:
# a later trigger or default may hold a semicolon).
MIGRATIONS: tuple[tuple[str, ...], ...] = (V1, V2)
VERSION = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to VERSION inside the caller's transaction; the version it had."""
    found = version(conn)
    for step in range(found, VERSION):
        for statement in MIGRATIONS[step]:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {step + 1}")
    return found
