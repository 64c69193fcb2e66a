"""The bibliography loader: order, macros, crossref, LaTeX, problems as data; real data at scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.core.bibliography import loader as bib
from litreview.core.bibliography.latex_text import to_unicode
from litreview.core.references.formatting import ReferenceCache, TemplateFormatter

IRIDIA = Path(__file__).resolve().parent / "fixtures" / "iridia"  # CC0; see SOURCE.md there
IRIDIA_ORDER = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]


def _load(tmp_path: Path, *texts: str) -> bib.Bibliography:
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"f{i}.bib"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return bib.load(paths, display_root=tmp_path)


LATEX = [
    ("umlaut", r"M{\"u}ller", "Müller"),
    ("umlaut-unbraced", r"\"{u}ber", "über"),
    ("acute", r"Caf\'e", "Café"),
    ("ampersand", r"Smith \& Sons", "Smith & Sons"),
    ("en-dash", "1597--1610", "1597\u20131610"),
    ("em-dash", "a---b", "a\u2014b"),
    ("protective-braces", "{DNA} repair", "DNA repair"),
    ("hungarian", r"Erd{\H{o}}s", "Erdős"),
    ("emph", r"\emph{Foo} bar", "Foo bar"),
    ("percent", r"50\% of", "50% of"),
    ("tilde", "a~b", "a\u00a0b"),
    ("plain-fast-path", "Plain text", "Plain text"),
]


@pytest.mark.parametrize(("raw", "text"), [c[1:] for c in LATEX], ids=[c[0] for c in LATEX])
def test_latex_to_unicode(raw: str, text: str) -> None:
    assert to_unicode(raw) == text


def test_macros_carry_over_between_files_in_order(tmp_path: Path) -> None:
    result = _load(
        tmp_path,
        '@string{j = "J Pain"}\n@string{a = "Doe, Jane"}\n',
        '@article{k, author = a # " and Roe, Rick", journal = j, title = {T}, year = 2020}\n',
    )
    assert result.problems == []
    ref = result.get("k")
    assert ref is not None
    assert ref.fields["journal"] == "J Pain"
    assert [p.display for p in ref.people["author"]] == ["Jane Doe", "Rick Roe"]


def test_macro_defined_later_is_undefined(tmp_path: Path) -> None:
    result = _load(tmp_path, "@article{k, journal = j, title = {T}}\n", '@string{j = "J"}\n')
    assert [(p.path, p.line, p.code) for p in result.problems] == [("f0.bib", 1, "BIB004")]


def test_crossref_fields_are_inherited(tmp_path: Path) -> None:
    result = _load(
        tmp_path,
        "@inproceedings{p, author = {A, B}, title = {Paper}, crossref = {proc}}\n"
        "@proceedings{proc, title = {Proc of X}, year = 2001, publisher = {P}}\n",
    )
    ref = result.get("p")
    assert ref is not None
    assert (ref.fields["booktitle"], ref.fields["year"], ref.fields["publisher"]) == (
        "Proc of X",
        "2001",
        "P",
    )


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("@article{a, title={x}}\n\n@article{a, title={y}}\n", "BIB005", 3),
        ("@article{a, title={x}, title={y}}\n", "BIB006", 1),
        ("\n\n@article{a, title={x}, crossref={nope}}\n", "BIB010", 3),
        ("@article{a, journal = undefinedmacro}\n", "BIB004", 1),
        ("\n@article{broken, title = {unclosed}\n@article{b, title={ok}}\n", "BIB003", 2),
    ],
    ids=["duplicate-key", "duplicate-field", "unresolved-crossref", "undefined-macro", "parse-failure"],
)
def test_problems_are_reported_at_their_one_based_line(
    tmp_path: Path, text: str, code: str, line: int
) -> None:
    result = _load(tmp_path, text)
    assert (code, line) in [(p.code, p.line) for p in result.problems]


def test_non_utf8_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "latin1.bib"
    path.write_bytes("@article{a, title = {Caf\u00e9}}\n".encode("latin-1"))
    result = bib.load([path], display_root=tmp_path)
    assert [(p.code, p.line) for p in result.problems] == [("BIB002", 1)]
    assert "a" in result


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    result = bib.load([tmp_path / "nope.bib"], display_root=tmp_path)
    assert [p.code for p in result.problems] == ["BIB001"]


def test_names_split_with_particles_and_suffixes(tmp_path: Path) -> None:
    result = _load(
        tmp_path,
        "@article{a, author = {van der Putten, Michael R. W. T. M. and "
        "De Andr{\\'e}s, Xavier G. and King, Jr, Martin and Ludwig van Beethoven}}\n",
    )
    ref = result.get("a")
    assert ref is not None
    people = ref.people["author"]
    assert [(p.given, p.family, p.suffix) for p in people] == [
        ("Michael R. W. T. M.", "van der Putten", ""),
        ("Xavier G.", "De Andrés", ""),
        ("Martin", "King", "Jr"),
        ("Ludwig", "van Beethoven", ""),
    ]


def test_iridia_loads_in_order_and_every_entry_formats() -> None:
    result = bib.load([IRIDIA / name for name in IRIDIA_ORDER], display_root=IRIDIA)
    assert len(result) == 3305
    assert [p for p in result.problems if p.code in ("BIB003", "BIB004")] == []
    formatter = TemplateFormatter()
    cache = ReferenceCache()
    for ref in result.references.values():
        html = cache.format(ref, formatter)
        assert "could not format" not in html, ref.key
        assert html.strip()
    assert cache.misses == 3305
    for ref in result.references.values():  # a second pass is all cache hits
        cache.format(ref, formatter)
    assert cache.misses == 3305


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        ("-{}-", "--"),
        ("-{-}", "--"),  # found by hypothesis: a CSL nocase span after a hyphen
        ("{-}-", "--"),
        ("-{--}", "-\u2013"),
        ("a--b", "a\u2013b"),
        ("`{`}x", "\u2018\u2018x"),
    ],
)
def test_a_group_edge_breaks_a_tex_ligature(tex: str, text: str) -> None:
    """TeX forms no ligature across a group's edge, so neither does the decoder."""
    assert to_unicode(tex) == text
