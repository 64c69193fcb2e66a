"""Resolve cited keys against the bibliography, with precise suggestions for unknown ones."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..bibliography.loader import Bibliography
from ..findings.problems import Problem
from ..identifiers.citekey import parse
from .cite_records import PageCitations


def suggestions(key: str, bibliography: Bibliography, limit: int = 3) -> list[str]:
    """The closest existing keys, best first (edit distance, so typos rank high)."""
    if not bibliography.references:
        return []
    from rapidfuzz import process  # only needed when something is wrong
    from rapidfuzz.distance import Levenshtein

    found = process.extract(
        key,
        list(bibliography.references),
        scorer=Levenshtein.normalized_similarity,
        limit=limit,
        score_cutoff=0.5,
    )
    return [match for match, _score, _idx in found]


#: Quarto's (``@fig-x``) and pandoc-crossref's (``@fig:x``) cross-references, not citations.
CROSS_REFERENCE = re.compile(r"(?:fig|tbl|sec|eq|lst|thm|lem|cor|prp|cnj|def|exm|exr|rem|sol)[-:][\w-]")


_KINDS = {"fig": "figure", "tbl": "table", "sec": "section", "eq": "equation", "lst": "listing"}


def key_problem(key: str, path: str, line: int, col: int, bibliography: Bibliography) -> Problem | None:
    """None for a known key; otherwise a case-mismatch (CIT002), cross-reference (CIT005) or
    unknown-key (CIT001) problem."""
    if key in bibliography.references:
        return None
    if CROSS_REFERENCE.match(key):
        kind, name = re.split(r"[-:]", key, maxsplit=1)
        word = _KINDS.get(kind, kind)
        return Problem(
            path,
            line,
            col,
            "CIT005",
            f"'@{key}' is cross-reference syntax (Quarto, pandoc-crossref), not a citation; give the "
            f"{word} an id and link to it, e.g. [the {word}](#{kind}-{name})",
        )
    same_but_case = bibliography.keys_by_casefold.get(key.casefold())
    if same_but_case:
        return Problem(
            path,
            line,
            col,
            "CIT002",
            f"citation key '{key}' differs only in case from entry '{same_but_case[0]}'; "
            "keys are case-sensitive",
        )
    if key in bibliography.unparsed:
        return Problem(
            path,
            line,
            col,
            "CIT001",
            f"citation key '{key}': its entry at {bibliography.unparsed[key]} could not be parsed (BIB003)",
        )
    if parse(key) is not None:
        return Problem(
            path,
            line,
            col,
            "CIT006",
            f"no metadata for '{key}': run `litreview fetch` to look it up and record it in the lock "
            "file (references.lock.json), or add a BibTeX entry with this key",
        )
    close = suggestions(key, bibliography)
    hint = f"; did you mean {', '.join(repr(k) for k in close)}?" if close else ""
    return Problem(path, line, col, "CIT001", f"unknown citation key '{key}'{hint}")


def unknown_key_problems(pages: Iterable[PageCitations], bibliography: Bibliography) -> list[Problem]:
    """One problem per citation of a key the bibliography does not define."""
    out: list[Problem] = []
    for page in pages:
        for rec in page.in_order():
            for key in rec.citation.keys:
                problem = key_problem(key, page.path, rec.line, rec.col, bibliography)
                if problem is not None:
                    out.append(problem)
    return out
