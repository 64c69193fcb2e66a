"""Do the flow's numbers add up? Each PRISMA 2020 step as an equation, checked where given.

A box the file leaves out counts as 0 where PRISMA lets it be empty (no automation tools, no
registers), as the PRISMA2020 package draws it; an equation whose result or first term is
missing is not checked. A finding sits at the result's cell and shows the sum.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings.problems import Problem
from .flow_data import Flow


@dataclass(frozen=True)
class Step:
    """``result = plus… − minus…``, checked only when ``result`` and one of ``needs_any`` are given."""

    code: str
    result: str
    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()
    needs_any: tuple[str, ...] = ()
    """At least one of these must be given (default: the first term)."""


STEPS: tuple[Step, ...] = (
    Step(
        "SYS005",
        "records_screened",
        ("database_results", "register_results"),
        ("duplicates", "excluded_automatic", "excluded_other"),
        ("database_results", "register_results"),
    ),
    Step("SYS006", "dbr_sought_reports", ("records_screened",), ("records_excluded",)),
    Step("SYS007", "dbr_assessed", ("dbr_sought_reports",), ("dbr_notretrieved_reports",)),
    Step("SYS007", "other_assessed", ("other_sought_reports",), ("other_notretrieved_reports",)),
    Step(
        "SYS008",
        "new_reports",
        ("dbr_assessed", "other_assessed"),
        ("dbr_excluded", "other_excluded"),
        ("dbr_assessed", "other_assessed"),
    ),
    Step("SYS010", "total_studies", ("previous_studies", "new_studies"), (), ("new_studies",)),
    Step("SYS010", "total_reports", ("previous_reports", "new_reports"), (), ("new_reports",)),
)
#: A list box and the count its items make up (a per-source list sums to its source's box).
SUMS = (
    ("database_specific_results", "database_results"),
    ("register_specific_results", "register_results"),
    ("dbr_excluded", "dbr_excluded"),
    ("other_excluded", "other_excluded"),
)
#: Studies and the reports of them: a study has one report or more.
STUDIES_REPORTS = (
    ("new_studies", "new_reports"),
    ("previous_studies", "previous_reports"),
    ("total_studies", "total_reports"),
)


def check(flow: Flow) -> list[Problem]:
    """Every equation of the flow that does not hold, and every list that does not sum."""
    problems = [p for step in STEPS if (p := _step(flow, step)) is not None]
    problems += _sums(flow)
    for studies, reports in STUDIES_REPORTS:
        s, r = flow.n(studies), flow.n(reports)
        if s is not None and r is not None and s > r:
            box = flow.boxes[studies]
            message = f"{studies} is {s}, more than {reports} ({r}): each study has at least one report"
            problems.append(Problem(flow.path, box.line, box.col, "SYS011", message))
    return problems


def _step(flow: Flow, step: Step) -> Problem | None:
    stated = flow.n(step.result)
    if flow.unreadable & {step.result, *step.plus, *step.minus}:
        return None  # a count that can't be read is its own finding (SYS003), not a wrong sum
    if stated is None or not any(flow.given(k) for k in step.needs_any or step.plus[:1]):
        return None
    plus = [(k, flow.n(k)) for k in step.plus if flow.given(k)]
    minus = [(k, flow.n(k)) for k in step.minus if flow.given(k)]
    made = sum(n or 0 for _k, n in plus) - sum(n or 0 for _k, n in minus)
    if made == stated:
        return None
    shown = " + ".join(f"{n} ({k})" for k, n in plus) + "".join(f" \u2212 {n} ({k})" for k, n in minus)
    box = flow.boxes[step.result]
    message = f"{step.result} is {stated}, but {shown} = {made}"
    return Problem(flow.path, box.line, box.col, step.code, message)


def _sums(flow: Flow) -> list[Problem]:
    problems = []
    for listed, total in SUMS:
        box, target = flow.boxes.get(listed), flow.boxes.get(total)
        if box is None or not box.items or target is None or target.n is None:
            continue
        if listed == total and not box.stated:  # the count is the items' sum: nothing to check
            continue
        made = sum(i.n for i in box.items)
        if made != target.n:
            shown = " + ".join(f"{i.n} ({i.name})" for i in box.items)
            what = "reasons" if "excluded" in listed else "sources"
            message = f"{total} is {target.n}, but its {what} make {shown} = {made}"
            problems.append(Problem(flow.path, box.line, box.col, "SYS009", message))
    return problems
