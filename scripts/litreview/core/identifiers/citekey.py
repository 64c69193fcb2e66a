"""Citation keys that are persistent identifiers (``doi:``, ``pmid:``, ``arxiv:``…), in one form.

A work cited as ``[@doi:10.1038/NATURE14539]`` on one page and ``[@doi:10.1038/nature14539]``
on another is one work. Each identifier key is rewritten to its standard form the way
Manubot's citekey module writes it (deep-review's ``citations.tsv`` is the test's oracle):
DOIs lower-cased and without ``https://doi.org/``, PMCIDs as ``pmc:PMC…``, arXiv ids with
their version kept and without ``arXiv:`` or the abs URL, ISBNs as their digits.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: The prefixes that make a key an identifier, as Manubot and the issue name them.
PREFIXES = ("doi", "pmid", "pmcid", "pmc", "arxiv", "isbn", "url")
_KEY = re.compile(r"(?i)(doi|pmid|pmcid|pmc|arxiv|isbn|url):(.+)")
_DOI_URL = re.compile(r"(?i)^(?:https?://)?(?:dx\.)?doi\.org/|^doi:")
_ARXIV_URL = re.compile(r"(?i)^(?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/|^arxiv:")
_ARXIV = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")


class Identifier(NamedTuple):
    """A standard identifier: its prefix and accession, written ``prefix:accession``."""

    prefix: str
    accession: str

    def __str__(self) -> str:
        """``doi:10.1038/nature14539``: the form citations and the lock file use."""
        return f"{self.prefix}:{self.accession}"


def parse(key: str) -> Identifier | None:
    """The standard identifier a citation key names, or None for an ordinary key (or a
    malformed identifier: ``doi:`` not starting with ``10.``, a PMID that isn't digits)."""
    m = _KEY.fullmatch(key.strip())
    if m is None:
        return None
    prefix, accession = m.group(1).lower(), m.group(2).strip()
    if prefix == "doi":
        accession = _DOI_URL.sub("", accession).lower()
        return Identifier("doi", accession) if accession.startswith("10.") and "/" in accession else None
    if prefix == "pmid":
        return Identifier("pmid", accession) if accession.isdigit() else None
    if prefix in ("pmcid", "pmc"):
        digits = accession.upper().removeprefix("PMC")
        return Identifier("pmc", "PMC" + digits) if digits.isdigit() else None
    if prefix == "arxiv":
        accession = _ARXIV_URL.sub("", accession)
        return Identifier("arxiv", accession) if _ARXIV.fullmatch(accession) else None
    if prefix == "isbn":
        digits = re.sub(r"[\s-]", "", accession).upper()
        return Identifier("isbn", digits) if re.fullmatch(r"\d{9}[\dX]|\d{13}", digits) else None
    return Identifier("url", accession) if re.match(r"(?i)https?://\S+$", accession) else None


def standard(key: str) -> str:
    """The key as it is looked up: an identifier in its standard form, any other key as written."""
    found = parse(key)
    return str(found) if found is not None else key


def looks_like_identifier(key: str) -> bool:
    """A key written with an identifier's prefix (well-formed or not)."""
    return _KEY.fullmatch(key.strip()) is not None


_RESOLVER = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.I)


def bare_doi(value: str) -> str:
    """A DOI as a field may give it (``https://doi.org/10.1/x``, ``doi:10.1/x``) without the
    resolver: ``10.1/x``."""
    return _RESOLVER.sub("", value.strip())
