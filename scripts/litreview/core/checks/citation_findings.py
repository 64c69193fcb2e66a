"""A page's citation findings as both ``litreview check`` and the build report them: malformed
citations, unknown keys, and (in the build) citations found but never rendered.

Kept apart from :mod:`.project_check` so a build loads only what it uses of the check.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..bibliography import loader as bib
from ..citations.cite_records import PageCitations
from ..citations.syntax import Citation, find_in_text
from ..citations.unknown_keys import key_problem, unknown_key_problems
from ..findings.problems import Problem
from ..source.read import scan_page

if TYPE_CHECKING:
    from ..crosslinks.taxonomy import Taxonomy


def citation_problems(
    src: str, text: str, display: str, bibliography: bib.Bibliography, rendered: PageCitations | None = None
) -> list[Problem]:
    """A page's malformed citations and unknown keys, where the check finds them; with the
    citations the build ``rendered``, also each citation found but never rendered (CIT007).

    Markdown keeps no positions, and matching its citations to the scanner's can't be trusted
    (a footnote comes last in the document but may come first in the source), so both report
    what the scanner found, and the build compares the two per key.
    """
    page, problems = scan_page(src, text, display)
    problems += unknown_key_problems([page], bibliography)
    if rendered is not None:
        problems += lost_citations(page, rendered)
    return problems


def lost_citations(found: PageCitations, rendered: PageCitations) -> list[Problem]:
    """The invariant "every citation found is rendered or reported": a key the finder found
    more often than the page rendered it is lost, at its last citations' places."""
    left = Counter(k for r in rendered.records for k in r.citation.keys)
    lost: list[Problem] = []
    for record in found.in_order():
        for key in record.citation.keys:
            if left[key] > 0:
                left[key] -= 1
                continue
            message = (
                f"citation of '{key}' was found here (as pandoc reads the page) but the page never "
                "rendered it: write it in plain Markdown text, outside links and code"
            )
            lost.append(Problem(found.path, record.line, record.col, "CIT007", message))
    return lost


def description_citations(
    taxonomy: Taxonomy, bibliography: bib.Bibliography, cited: set[str] | None = None
) -> list[Problem]:
    """Concept descriptions cite like pages do: unknown keys are findings, known ones count as cited."""
    problems = []
    for concept in taxonomy.concepts.values():
        for item in find_in_text(concept.description):
            if not isinstance(item, Citation):
                continue
            for key in item.keys:
                if cited is not None:
                    cited.add(key)
                problem = key_problem(key, taxonomy.path, concept.description_line, 1, bibliography)
                if problem is not None:
                    problems.append(problem)
    return problems
