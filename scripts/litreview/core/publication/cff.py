"""``CITATION.cff`` (GitHub's "Cite this repository") kept in step with ``publication:``.

Both state the review's record; when they disagree, a citation copied from GitHub and one
copied from the site name different works. The check compares the fields both hold (the
``preferred-citation``, or the file's own fields without one): title and authors always, and
journal, volume, first page, year (or ``date-released``) and DOI where the file gives them.
Each difference is a PUB002 finding at its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..files import yamlsafe
from ..findings.problems import Problem
from .settings import Publication

FILE = "CITATION.cff"


def _line(text: str, key: str, after: int = 0) -> int:
    for number, line in enumerate(text.splitlines()[after:], after + 1):
        if line.strip().startswith(f"{key}:") or line.strip().startswith(f"- {key}:"):
            return number
    return 1


def _authors(value: Any) -> list[str]:
    out = []
    for person in value if isinstance(value, list) else []:
        if isinstance(person, dict):
            name = " ".join(str(person.get(k) or "") for k in ("given-names", "family-names")).strip()
            out.append(name or str(person.get("name") or ""))
    return out


def problems(root: Path, pub: Publication | None) -> list[Problem]:
    """How ``CITATION.cff`` beside mkdocs.yml disagrees with ``publication:`` (nothing if one is absent)."""
    path = root / FILE
    if pub is None or not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
        node = yamlsafe.compose(text)
        data = yamlsafe.construct(node) if node is not None else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        return [Problem(FILE, 1, 1, "PUB002", f"cannot read {FILE}: {exc}")]
    if not isinstance(data, dict):
        return [Problem(FILE, 1, 1, "PUB002", f"{FILE} is not a mapping")]
    cited = data.get("preferred-citation")
    record = cited if isinstance(cited, dict) else data
    start = _line(text, "preferred-citation") if isinstance(cited, dict) else 0
    expected = {
        "title": pub.title,
        "authors": [a.display for a in pub.authors],
        "journal": pub.journal,
        "volume": pub.volume,
        "start": pub.first_page,
        "year": pub.year,
        "doi": pub.doi,
    }
    out = []
    for key, wanted in expected.items():
        given = _authors(record.get(key)) if key == "authors" else str(record.get(key) or "").strip()
        if key == "year" and not given:
            given = str(record.get("date-released") or "")[:4]
        # the CFF may leave a field out (a DOI, the pages); one it gives must agree
        if wanted and given != wanted and (given or key in ("title", "authors")):
            shown = ", ".join(given) if isinstance(given, list) else given
            want = ", ".join(wanted) if isinstance(wanted, list) else wanted
            message = f"{key}: {shown or '(none)'!r} here, {want!r} in mkdocs.yml's publication:"
            out.append(Problem(FILE, _line(text, key, start), 1, "PUB002", message))
    return out
