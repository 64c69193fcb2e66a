"""Property-based tests: any input gives output or findings, never an exception."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.core.bibliography import loader as bib
from litreview.core.bibliography.bibtex_values import resolve
from litreview.core.bibliography.latex_text import to_unicode
from litreview.core.citations.syntax import Citation, Malformed, find_in_text
from litreview.core.source.scanner import scan

MARKDOWNISH = st.text(alphabet=string.printable + "éü–@[];-`<>{}\\!|#*_~", max_size=400)
KEY = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_]{0,12}(?:[:./-][A-Za-z0-9]{1,5})?", fullmatch=True)


@given(MARKDOWNISH)
def test_finder_never_crashes_and_spans_are_in_bounds(text: str) -> None:
    for found in find_in_text(text):
        assert isinstance(found, Citation | Malformed)
        assert 0 <= found.start < found.end <= len(text)


@given(MARKDOWNISH)
def test_scanner_never_crashes_and_positions_point_at_the_source(text: str) -> None:
    result = scan(text, "page.md")
    lines = text.split("\n")
    for found in result.found:
        assert 1 <= found.line <= len(lines)
        assert text[found.citation.start] in "[@"
        assert lines[found.line - 1][found.col - 1] in "[@"
    for problem in result.problems:
        assert problem.code == "CIT003" and 1 <= problem.line <= len(lines)


@given(st.lists(KEY, min_size=1, max_size=4), st.text(alphabet=string.ascii_letters + " ", max_size=30))
def test_every_written_group_is_found_with_its_keys(keys: list[str], before: str) -> None:
    text = f"{before} [" + "; ".join(f"@{k}" for k in keys) + "] after"
    [found] = [f for f in find_in_text(text) if isinstance(f, Citation)]
    assert list(found.keys) == keys


@given(st.text(max_size=200))
def test_latex_decoding_never_crashes(value: str) -> None:
    assert isinstance(to_unicode(value), str)


@given(st.text(max_size=200), st.dictionaries(st.text(min_size=1, max_size=5), st.text(max_size=10)))
def test_value_resolution_never_crashes(raw: str, macros: dict[str, str]) -> None:
    assert isinstance(resolve(raw, macros).value, str)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=string.printable + 'éü@{}"#=,', max_size=300))
def test_bibtex_loader_returns_entries_or_problems(tmp_path: Path, text: str) -> None:
    path = tmp_path / "any.bib"
    path.write_text(text, encoding="utf-8")
    result = bib.load([path], display_root=tmp_path)
    for ref in result.references.values():
        assert isinstance(ref.text, dict) and isinstance(ref.people, dict)
    for problem in result.problems:
        assert problem.line >= 0


NAME_TEXT = st.text(alphabet=string.ascii_letters + " ,.-'\tandAND", max_size=80)


@given(NAME_TEXT)
def test_fast_name_split_agrees_with_bibtexparser(value: str) -> None:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    from litreview.core.bibliography.names import split_names

    assert split_names(value) == split_multiple_persons_names(value)


YAMLISH = st.text(alphabet=string.printable + "éü–:-[]{}'\"!&*|>%@`", max_size=200)


@given(YAMLISH, st.booleans())
def test_front_matter_gives_data_or_findings(body: str, section: bool) -> None:
    from litreview.core.source import frontmatter

    text = f"---\n{body}\n---\n\n# Page\n"
    fm = frontmatter.parse(text, "p.md")
    problems = fm.problems or frontmatter.validate(fm, "p.md", section)
    lines = text.count("\n") + 1
    for problem in problems:
        assert problem.code in {"FM001", "FM002", "FM003", "FM004"}
        assert 1 <= problem.line <= lines


@given(MARKDOWNISH)
def test_outline_never_crashes_and_positions_are_in_the_source(text: str) -> None:
    from markdown.extensions.toc import slugify, unique

    from litreview.core.source.outlines import SlugRules, outline

    page = outline(text, "p.md")
    lines = text.split("\n")
    for item in [*page.headings, *page.links]:
        assert 1 <= item.line <= len(lines) and 1 <= item.col <= len(lines[item.line - 1]) + 1
    page.anchors(SlugRules(slugify, unique))


FIELD_VALUE = st.text(alphabet=string.ascii_letters + string.digits + " -–.,:/{}\\'", max_size=30)


@given(
    st.dictionaries(
        st.sampled_from(["author", "title", "year", "date", "pages", "doi", "journal"]), FIELD_VALUE
    )
)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
def test_bibliography_checks_never_crash(tmp_path: Path, fields: dict[str, str]) -> None:
    from litreview.core.bibliography import quality as bibcheck

    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    path = tmp_path / "r.bib"
    path.write_text(f"@article{{a,\n{body}}}\n@article{{b,\n{body}}}\n", encoding="utf-8")
    loaded = bib.load([path])
    for problem in bibcheck.check(loaded, cited={"a"}):
        assert problem.code.startswith("BIB") and problem.line >= 1


ENTRY_FIELDS = st.dictionaries(
    st.sampled_from(["author", "title", "year", "pages", "doi", "note", "journal", "Editor"]),
    st.text(alphabet=string.ascii_letters + string.digits + " -.,:éü{}\\\"'", max_size=25),
    max_size=5,
)


@given(st.lists(st.tuples(KEY, ENTRY_FIELDS), max_size=4), st.booleans())
@settings(max_examples=80)
def test_bib_formatter_is_idempotent_or_refuses(
    entries: list[tuple[str, dict[str, str]]], quoted: bool
) -> None:
    from litreview.core.tools.fmt import format_bib

    body = ""
    for key, fields in entries:
        values = "".join(
            f"  {name} = " + (f'"{value}"' if quoted else f"{{{value}}}") + ",\n"
            for name, value in fields.items()
        )
        body += f"% about {key}\n@article{{{key},\n{values}}}\n\n"
    once = format_bib(body, "r.bib")
    if once.problems:
        assert once.text == body  # refused: nothing rewritten
        return
    twice = format_bib(once.text, "r.bib")
    assert twice.text == once.text and not twice.changed and not twice.reordered
