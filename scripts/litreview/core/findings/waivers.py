"""Waivers: a finding a team has looked at and accepts, for one entry or one page.

In a .bib file, a comment line ``% litreview: ignore BIB013 BIB016`` just above an entry
waives those codes for that entry; in a page's front matter, ``litreview: {ignore: [MD003]}``
waives them for that page. Waived findings leave the output and the exit status but are
counted in the summary, so a waiver is never silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .problems import Problem

BIB_WAIVER = re.compile(r"%\s*litreview:\s*ignore\s+([A-Z]+\d{3}(?:[\s,]+[A-Z]+\d{3})*)", re.I)


@dataclass(frozen=True)
class Waiver:
    """Codes waived in ``path`` from line ``first`` to ``last`` (0, 0: the whole file)."""

    path: str
    first: int
    last: int
    codes: frozenset[str]

    def covers(self, problem: Problem) -> bool:
        """Does this waiver silence ``problem`` (same file, a listed code)?"""
        if problem.path != self.path or problem.code not in self.codes:
            return False
        return self.first == 0 or self.first <= problem.line <= self.last


def codes_in_comment(text: str) -> frozenset[str]:
    """The codes the ``% litreview: ignore …`` lines of a comment name, every one of them (a
    comment block may hold several lines; none for any other comment)."""
    return frozenset(
        c.upper()
        for found in BIB_WAIVER.finditer(text)
        for c in re.findall(r"[A-Za-z]+\d{3}", found.group(1))
    )


def page_waiver(path: str, front_matter: Mapping[str, object]) -> Waiver | None:
    """A page's `litreview: {ignore: [...]}` front matter, as a waiver over the page."""
    options = front_matter.get("litreview")
    codes = options.get("ignore") if isinstance(options, dict) else None
    if not isinstance(codes, list) or not codes:
        return None
    return Waiver(path, 0, 0, frozenset(str(c).upper() for c in codes))


def split(problems: Iterable[Problem], waivers: Iterable[Waiver]) -> tuple[list[Problem], list[Problem]]:
    """(kept, waived)."""
    by_path: dict[str, list[Waiver]] = {}
    for waiver in waivers:
        by_path.setdefault(waiver.path, []).append(waiver)
    kept, waived = [], []
    for problem in problems:
        if any(w.covers(problem) for w in by_path.get(problem.path, ())):
            waived.append(problem)
        else:
            kept.append(problem)
    return kept, waived
