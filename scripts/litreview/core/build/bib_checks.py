"""The bibliography's quality findings, made once per content.

The quality pass (:func:`~litreview.core.bibliography.quality.content_checks`: required
fields, field forms, duplicate DOIs, near-duplicate titles) reads every entry, cited or not,
and was a tenth of a warm build. What it finds depends only on the entries as loaded and on
the year, so it is kept in ``.cache/litreview/quality.json`` under the digest of those (with
litreview's version) and read back while they are unchanged; which entries are never cited
(BIB020) depends on the pages and is worked out on every build. The file is untrusted input:
findings of the wrong shape, or filed under another digest, are made again.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from ..bibliography import quality
from ..bibliography.loader import Bibliography
from ..findings.problems import Problem
from ..references.cache import DiskCache, digest, read_data
from .page_checks import problems_of, rows_of


def content_digest(bibliography: Bibliography, this_year: int) -> str:
    """What the quality pass reads: every entry as loaded, in order, and the year."""
    parts = [str(this_year).encode()]
    for ref in bibliography.references.values():
        entry = (ref.key, ref.entry_type, list(ref.fields.items()), ref.path, ref.line, ref.raw)
        parts.append(repr((entry, ref.inherited, ref.waived)).encode())
    return digest(*parts)


class BibliographyChecks:
    """The quality findings of one bibliography, read from disk or made, and saved if made."""

    def __init__(self, disk: DiskCache, bibliography: Bibliography) -> None:
        self.disk = disk
        self.path = disk.directory / "quality.json"
        self.bibliography = bibliography
        self.made = 0
        """How many times this build ran the quality pass (0 on a warm build)."""

    def problems(self, cited: Collection[str], today: datetime.date | None = None) -> list[Problem]:
        """Every bibliography finding beyond the loader's own, as :func:`quality.check` gives them."""
        this_year = (today or datetime.date.today()).year
        key = content_digest(self.bibliography, this_year)
        data = read_data(self.path)
        found = problems_of(data.get("findings")) if data is not None and data.get("digest") == key else None
        if found is None:
            found = quality.content_checks(self.bibliography, this_year)
            self.made += 1
            self.disk.write(self.path, {"digest": key, "findings": rows_of(found)})
        return found + list(quality.uncited(self.bibliography.references.values(), cited))
