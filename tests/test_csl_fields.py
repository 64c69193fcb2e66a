"""CSL-JSON input: identifiers arrive as written, and CSL rich text renders (issue 28 §3).

Reported: a DOI with ``_`` (``10.1007/978-3-030-00825-3_16``) got a backslash in the link, the
text and the BibTeX download, because the CSL item went through BibTeX with its specials
escaped and the verbatim fields were shown as written. CSL's rich text (``<i>``, ``<sup>``…)
showed as literal tags.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from litreview.core.bibliography import loader
from litreview.core.publication import exports
from litreview.core.references import coins
from litreview.core.references.formatting import TemplateFormatter
from litreview.core.references.render import entry_links, plain

_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: What BibTeX escapes, and what TeX's typography would change (``~``, ``--``, quotes).
_TRICKY = "_&%#${}~-'`^\\"


def _load(tmp_path: Path, item: dict[str, object]) -> loader.Reference:
    path = tmp_path / "refs.json"
    path.write_text(
        json.dumps([{"id": "w1", "type": "article-journal", "title": "T", **item}]), encoding="utf-8"
    )
    bib = loader.load([path])
    assert not bib.problems, bib.problems
    return bib.references["w1"]


_SUFFIX = st.text(
    alphabet=st.sampled_from(list("abcXYZ019.-/()<>;:") + list(_TRICKY)), min_size=1, max_size=20
)


@_SETTINGS
@given(suffix=_SUFFIX)
def test_a_csl_doi_reads_as_written_everywhere(tmp_path: Path, suffix: str) -> None:
    ref = _load(tmp_path, {"DOI": "10.1007/978-3-030-" + suffix.strip()})
    doi = _read("10.1007/978-3-030-" + suffix.strip())
    assert ref.doi == doi
    assert ref.get("doi") == doi
    links = str(entry_links(ref))
    assert f">doi:{Markup.escape(doi)}</a>" in links
    assert f"DO  - {doi}\n" in exports.ris([ref])
    assert ("rft_id", f"info:doi/{doi}") in coins.context_object(ref)
    assert re.search(r"doi\s*=\s*\{(.*)\},", ref.bibtex()).group(1) == _as_bibtex(doi)
    assert plain(str(TemplateFormatter()(ref))).count("\\") == doi.count("\\")


@_SETTINGS
@given(path=_SUFFIX)
def test_a_csl_url_reads_as_written_everywhere(tmp_path: Path, path: str) -> None:
    ref = _load(tmp_path, {"URL": "https://example.org/" + path.strip()})
    url = _read("https://example.org/" + path.strip())
    assert ref.get("url") == url
    assert f'href="{Markup.escape(url)}"' in str(entry_links(ref))
    assert f"UR  - {url}\n" in exports.ris([ref])
    assert re.search(r"url\s*=\s*\{(.*)\},", ref.bibtex()).group(1) == _as_bibtex(url)


@pytest.mark.parametrize("number", ["2101.08320", "hep-ph/0601001", "1905.1234_5"])
def test_an_arxiv_eprint_from_a_csl_url_is_the_number(tmp_path: Path, number: str) -> None:
    ref = _load(tmp_path, {"URL": f"https://arxiv.org/abs/{number}"})
    assert ref.get("eprint") == number
    assert f'arxiv.org/abs/{number}"' in str(TemplateFormatter()(ref)) or number.endswith("_5")


def _read(value: str) -> str:
    """A verbatim value as read: as written, a backslash (which BibTeX would take for an escape)
    percent-encoded as in an address."""
    return value.replace("\\", "%5C")


def _as_bibtex(value: str) -> str:
    """A verbatim field's value in the BibTeX download: as written, only braces escaped."""
    return value.replace("{", "\\{").replace("}", "\\}")
