"""The plan master as plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol, TypeVar

from reporter.core import era
from reporter.core.rating import Indicator, RatingRule


@dataclass(frozen=True)
class Plan:
    name: str
    city: str
    first_year: int
    last_year: int
    fiscal_year: int  # the fiscal year under review
    unit: str = "千円"
    budget_band: float = 100.0  # % the budget may exceed the settlement (and its inverse below)
    chart_level: int | None = None  # the tree depth the charts compare (None: the first with two nodes)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    @property
    def fiscal_year_label(self) -> str:
        return era.long(self.fiscal_year)


@dataclass(frozen=True)
class PolicyNode:
    code: str
    name: str
    parent: str | None
    level: str  # 基本目標 / 施策の方向 / 重点施策 ...
    depth: int = 0
    notes: tuple[tuple[str, str], ...] = ()  # (heading, text): 課題認識, 対応方針, 説明 as the master gives them


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    overview: str
    per_placement: bool = False  # one sheet per placement; else one per department whatever its placements
    axes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (axis, its values for this project)

    def values_of(self, axis: str) -> tuple[str, ...]:
        return next((values for name, values in self.axes if name == axis), ())


@dataclass(frozen=True)
class AxisValue:
    name: str
    description: str = ""


@dataclass(frozen=True)
class Axis:
    """A second way to group the same projects (支援の種類, キーワード, SDGs …); a sub-plan's axis
    (個別計画) gives each of its values a chapter and a report of its own."""

    name: str
    sub_plan: bool
    values: tuple[AxisValue, ...]


@dataclass(frozen=True)
class Placement:
    """A project sits under a policy with a number inside it (a project may sit under several)."""

    project_id: str
    policy_code: str
    number: int


@dataclass(frozen=True)
class Choice:
    number: int
    label: str
    named: bool = False  # carries a free-text name: その他（…）, ⑤相談機関（名称）


@dataclass(frozen=True)
class ChoiceLists:
    targets: tuple[Choice, ...]
    scale: tuple[Choice, ...]
    partners: tuple[Choice, ...]
    questions: tuple[Choice, ...] = ()  # the collaboration questions' labels (連携設問), in the form's order


@dataclass(frozen=True)
class SheetSpec:
    """One self-evaluation sheet: a project reported by one department, under its first policy;
    ``also`` holds the project's other placements this sheet answers for (empty when the master
    asks for one sheet per placement). A sheet is known by its first placement: ``also`` takes
    no part in equality."""

    project_id: str
    policy_code: str
    number: int
    department: str
    also: tuple[tuple[str, int], ...] = field(default=(), compare=False)  # (policy code, number)

    @property
    def placements(self) -> tuple[tuple[str, int], ...]:
        return ((self.policy_code, self.number), *self.also)

    @property
    def sheet_name(self) -> str:
        return f"{self.policy_code}_{self.number:02d}"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.project_id, self.policy_code, self.department)


@dataclass(frozen=True)
class Master:
    plan: Plan
    policies: tuple[PolicyNode, ...]  # tree order (depth first, rows in sheet order)
    projects: tuple[Project, ...]
    placements: tuple[Placement, ...]
    assignments: tuple[tuple[str, str], ...]  # (project_id, department)
    choices: ChoiceLists
    indicators: tuple[Indicator, ...] = ()
    rule: RatingRule | None = None  # how indicators and policies are rated (None: no indicators)
    axes: tuple[Axis, ...] = ()

    # Derived indexes, computed once: a frozen dataclass keeps them in its own __dict__.
    @cached_property
    def _policy_index(self) -> dict[str, PolicyNode]:
        return {p.code: p for p in self.policies}

    @cached_property
    def _project_index(self) -> dict[str, Project]:
        return {p.id: p for p in self.projects}

    @cached_property
    def _sheets(self) -> tuple[SheetSpec, ...]:
        order = {p.code: i for i, p in enumerate(self.policies)}
        departments: dict[str, list[str]] = {}
        for pid, dept in self.assignments:
            departments.setdefault(pid, []).append(dept)
        placed: dict[str, list[Placement]] = {}
        for pl in sorted(self.placements, key=lambda pl: (order[pl.policy_code], pl.number)):
            placed.setdefault(pl.project_id, []).append(pl)
        specs: list[SheetSpec] = []
        for pid, where in placed.items():
            for dept in departments.get(pid, ()):
                if self.project(pid).per_placement:
                    specs.extend(SheetSpec(pid, pl.policy_code, pl.number, dept) for pl in where)
                else:  # one sheet per department, under the first placement, answering for all
                    first, *rest = where
                    specs.append(SheetSpec(pid, first.policy_code, first.number, dept,
                                           tuple((pl.policy_code, pl.number) for pl in rest)))
        return tuple(sorted(specs, key=lambda s: (order[s.policy_code], s.number)))

    @cached_property
    def _by_department(self) -> dict[str, tuple[SheetSpec, ...]]:
        return _by_department(self._sheets)

    def indexed(self) -> Master:
        """This master with every derived index built: worker processes forked after this share
        them instead of each building its own."""
        for name, attribute in vars(Master).items():
            if isinstance(attribute, cached_property):
                getattr(self, name)
        return self

    @cached_property
    def subtrees(self) -> dict[str, tuple[str, ...]]:
        """Each policy's code with the codes of every policy below it, in tree order."""
        children: dict[str, list[str]] = {}
        for p in self.policies:
            if p.parent:
                children.setdefault(p.parent, []).append(p.code)

        def below(code: str) -> tuple[str, ...]:
            return (code, *(c for child in children.get(code, []) for c in below(child)))

        return {p.code: below(p.code) for p in self.policies}

    def policy(self, code: str) -> PolicyNode:
        return self._policy_index[code]

    def path(self, code: str) -> tuple[PolicyNode, ...]:
        """The policy and every policy above it, from the top."""
        chain: list[PolicyNode] = []
        node: PolicyNode | None = self._policy_index[code]
        while node is not None:
            chain.append(node)
            node = self._policy_index.get(node.parent) if node.parent else None
        return tuple(reversed(chain))

    def axis(self, name: str) -> Axis | None:
        return next((a for a in self.axes if a.name == name), None)

    @cached_property
    def chart_depth(self) -> int:
        """The tree depth the charts compare: the master's setting, else the first level with two
        nodes or more (a plan under one root compares the level below it)."""
        if self.plan.chart_level is not None:
            return self.plan.chart_level
        counts: dict[int, int] = {}
        for p in self.policies:
            counts[p.depth] = counts.get(p.depth, 0) + 1
        return next((d for d in sorted(counts) if counts[d] >= 2), 0)

    def project(self, project_id: str) -> Project:
        return self._project_index[project_id]

    @cached_property
    def departments(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d for _, d in self.assignments))

    @cached_property
    def _indicators_by_department(self) -> dict[str, tuple[Indicator, ...]]:
        return _by_department(self.indicators)

    def indicators_of(self, department: str) -> tuple[Indicator, ...]:
        """The indicators ``department`` reports, in the master's order."""
        return self._indicators_by_department.get(department, ())

    @cached_property
    def _indicator_index(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self._indicator_index.get(indicator_id)

    @property
    def project_rating(self) -> bool:
        return self.rule is not None and self.rule.project_rating

    def sheets(self) -> tuple[SheetSpec, ...]:
        """Every expected sheet, in policy tree order, then number, then department."""
        return self._sheets

    def sheets_of(self, department: str) -> tuple[SheetSpec, ...]:
        return self._by_department.get(department, ())

    @cached_property
    def _sheet_index(self) -> dict[SheetSpec, SheetSpec]:
        return {s: s for s in self._sheets}

    def expects(self, spec: SheetSpec) -> bool:
        """Whether the master asks for this sheet."""
        return spec in self._sheet_index

    def spec(self, spec: SheetSpec) -> SheetSpec | None:
        """The master's own spec equal to ``spec`` (with the placements it answers for)."""
        return self._sheet_index.get(spec)


class _OfDepartment(Protocol):
    @property
    def department(self) -> str: ...


_T = TypeVar("_T", bound=_OfDepartment)


def _by_department(items: tuple[_T, ...]) -> dict[str, tuple[_T, ...]]:
    """``items`` grouped by their department, each group in the master's order."""
    grouped: dict[str, list[_T]] = {}
    for item in items:
        grouped.setdefault(item.department, []).append(item)
    return {d: tuple(v) for d, v in grouped.items()}
