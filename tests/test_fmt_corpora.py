"""`litreview fmt` keeps every field of real bibliographies (issue 11): byte for byte where the field
is verbatim (url, doi, eprint, file…), and as the same text with the same paragraphs elsewhere."""

from __future__ import annotations

import re

import pytest
from bibtexparser import model
from bibtexparser.entrypoint import parse_string

from corpora import IRIDIA, IRIDIA_ORDER, corpus, deep_review_bibtex
from litreview.core.bibliography.bibtex_values import VERBATIM, field_name, strip_delimiters
from litreview.core.bibliography.latex_text import to_unicode
from litreview.core.tools.fmt import format_bib


def _fields(text: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for block in parse_string(text, parse_stack=[]).blocks:
        if isinstance(block, model.Entry):
            out[block.key] = {field_name(f.key)[0].lower(): str(f.value) for f in block.fields}
    return out


def _paragraphs(value: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", to_unicode(value).strip()) if p.strip()]


def _same(before: str, after: str) -> None:
    a, b = _fields(before), _fields(after)
    assert a.keys() == b.keys()
    for key, fields in a.items():
        assert fields.keys() == b[key].keys(), key
        for name, raw in fields.items():
            new = b[key][name]
            inner_old, inner_new = strip_delimiters(raw.strip()), strip_delimiters(new.strip())
            if raw.strip().isdigit():  # a bare number is the same value braced
                inner_old = raw.strip()
            if name in VERBATIM and inner_old is not None:
                assert inner_new == inner_old, (key, name)  # byte for byte
            elif inner_old is None:
                assert " ".join(new.split()) == " ".join(raw.split()), (key, name)  # a macro expression
            else:
                assert inner_new is not None
                assert len(re.findall(r"\n[ \t]*\n", inner_new)) == len(
                    re.findall(r"\n[ \t]*\n", inner_old.strip())
                )
                assert " ".join(to_unicode(inner_new).split()) == " ".join(to_unicode(inner_old).split()), (
                    key,
                    name,
                )


@pytest.mark.parametrize("name", IRIDIA_ORDER)
def test_iridia(name: str) -> None:
    text = (IRIDIA / name).read_text(encoding="utf-8")
    _same(text, format_bib(text, name).text)


def test_acc_ml_living_review() -> None:
    text = corpus("acc-ml-living-review", "livingreview.bib").read_text(encoding="utf-8")
    _same(text, format_bib(text, "livingreview.bib").text)


def test_deep_review_as_bibtex() -> None:
    text = deep_review_bibtex()
    assert len(re.findall(r"^@\w+\{", text, re.M)) == 615
    _same(text, format_bib(text, "deep-review.bib").text)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", r"http://example.org/\~nick/a%20b"),
        ("doi", r"10.1000/a\~nb"),
        ("eprint", r"hep-ph/0101001\~"),
        ("file", r":C\:\\papers\\x.pdf:PDF"),
        ("note", r"see \url{http://example.org/\~nick/}"),
        ("note", r"at \href{http://example.org/\~a}{\'Ecole}"),
    ],
)
def test_verbatim_values_are_never_decoded(field: str, value: str) -> None:
    text = f"@misc{{k,\n  title = {{T}},\n  {field} = {{{value}}},\n}}\n"
    out = format_bib(text, "x.bib").text
    url_part = re.search(r"\\(?:url|href)\{[^{}]*\}", value)
    assert (url_part.group(0) if url_part else value) in out


def test_paragraph_breaks_of_an_abstract_are_kept() -> None:
    text = "@misc{k,\n  abstract = {First   paragraph\n    goes on.\n\n    Second one.},\n}\n"
    assert "abstract = {First paragraph goes on.\n\nSecond one.}" in format_bib(text, "x.bib").text


def test_a_comment_inside_an_entry_stays_a_comment() -> None:
    text = "@misc{k,\n  author = {A, B},\n  % checked against the PDF\n  title = {T},\n}\n"
    out = format_bib(text, "x.bib").text
    assert "  % checked against the PDF\n  title  = {T},\n" in out
    assert _fields(out)["k"].keys() == {"author", "title"}
    assert format_bib(out, "x.bib").text == out


# --- a team can adopt fmt (issue 12) ---------------------------------------------------------------

HEPML = """# HEPML Papers
@article{zeta2019, title = {Z}, author = {Z, A}, journal = {J}, year = {2019}}

@article{alpha2021, title = {A}, author = {A, B}, journal = {J}, year = {2021}}

@article{mid2020, title = {M}, author = {M, C}, journal = {J}, year = {2020}}
"""


def _keys(text: str) -> list[str]:
    return re.findall(r"@article\{(\w+),", text)


def test_fmt_keeps_the_files_order_by_default() -> None:
    out = format_bib(HEPML, "x.bib").text
    assert _keys(out) == ["zeta2019", "alpha2021", "mid2020"]
    assert out.startswith("# HEPML Papers\n")


@pytest.mark.parametrize(
    ("order", "keys"),
    [("key", ["alpha2021", "mid2020", "zeta2019"]), ("year", ["zeta2019", "mid2020", "alpha2021"])],
)
def test_fmt_orders_by_key_or_year_and_the_header_stays_on_top(order: str, keys: list[str]) -> None:
    result = format_bib(HEPML, "x.bib", order)
    assert _keys(result.text) == keys
    assert result.text.startswith("# HEPML Papers\n\n@article")
    assert format_bib(result.text, "x.bib", order).text == result.text
