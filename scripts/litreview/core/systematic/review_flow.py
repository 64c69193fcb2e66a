"""The review's flow as the build and ``litreview check`` both read it: the data, its findings,
and which pages ask for the diagram. One function each, called by every adapter alike."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..findings.problems import Problem
from . import flow_checks, flow_data, page_slots
from .flow_data import Flow


def load(path: Path, display: str) -> tuple[Flow, list[Problem]]:
    """The flow in ``path`` and every finding about it: the file's form, then its arithmetic."""
    flow, problems = flow_data.read(path, display)
    return flow, problems + flow_checks.check(flow)


def slot_places(markdown: str) -> list[tuple[int, int]]:
    """Where a page's Markdown asks for the diagram (line, column), code blocks aside."""
    return page_slots.places(markdown).get("prisma", [])


def slot_problems(
    texts: Mapping[str, str], displays: Mapping[str, str], configured: bool, config: str, config_line: int
) -> list[Problem]:
    """SYS012: a page asks for the diagram and no ``prisma`` file is set, or the file is set
    and no page asks for it (the diagram would be drawn nowhere)."""
    places = {src: slot_places(text) for src, text in texts.items()}
    if configured:
        if any(places.values()):
            return []
        message = (
            "'prisma' is set but no page holds <div data-lr-slot=\"prisma\"></div>: "
            "the diagram is shown nowhere"
        )
        return [Problem(config, config_line, 1 if config_line else 0, "SYS012", message)]
    message = (
        "this page asks for the PRISMA flow diagram, but no 'prisma' file is set in the litreview options"
    )
    return [
        Problem(displays.get(src, src), line, col, "SYS012", message)
        for src, found in places.items()
        for line, col in found
    ]


_HEADLINE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("records identified", ("database_results", "register_results")),
    ("records screened", ("records_screened",)),
    ("reports assessed", ("dbr_assessed", "other_assessed")),
)
"""The counts a reader of a living review follows between releases, each the sum of its boxes."""


def headline(flow: Flow) -> tuple[tuple[str, int], ...]:
    """The flow's headline counts (label, n), included studies first; a count it lacks is left out."""
    out = []
    included = flow_data.included_studies(flow)
    if included is not None:
        out.append(("Included studies", included))
    for label, keys in _HEADLINE:
        given = [n for key in keys if (n := flow.n(key)) is not None]
        if given:
            out.append((label, sum(given)))
    return tuple(out)


Count = tuple[str, int | None, int | None]
"""A headline count that changed: its label, before, after (None: the flow did not give it)."""


def changed(before: tuple[tuple[str, int], ...], after: tuple[tuple[str, int], ...]) -> list[Count]:
    """The headline counts that differ between two releases, in the headline's order."""
    old, new = dict(before), dict(after)
    labels = [label for label, _n in after] + [label for label, _n in before if label not in new]
    return [(label, old.get(label), new.get(label)) for label in labels if old.get(label) != new.get(label)]


def said(count: Count) -> str:
    """``Included studies 11 → 14``, as What's new, the feed and ``litreview diff`` say it."""
    label, before, after = count
    return f"{label} {'(none)' if before is None else before} → {'(none)' if after is None else after}"
