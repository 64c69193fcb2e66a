"""CSL-JSON and CSL-YAML bibliographies, read directly as pandoc reads them (issue 14).

Manubot's references.json (the deep-review corpus: 615 works fetched from Crossref, DataCite,
PubMed, arXiv and the web) is the real material; see ../shared/corpora/deep-review/SOURCE.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import build_in_process
from litreview.core.bibliography import cslfile
from litreview.core.bibliography import loader as bib

DEEP = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "deep-review" / "references.json"


@pytest.fixture(scope="module")
def deep() -> list[dict[str, object]]:
    if not DEEP.is_file():
        pytest.skip("the deep-review corpus is not beside the repository (../shared/corpora)")
    items: list[dict[str, object]] = json.loads(DEEP.read_text(encoding="utf-8"))
    return items


def test_every_work_of_a_manubot_review_is_read(deep: list[dict[str, object]]) -> None:
    loaded = bib.load([DEEP])
    assert [p for p in loaded.problems if p.code == "BIB003"] == []
    assert len(loaded.references) == len(deep) == 615
    by_type = {}
    for ref in loaded.references.values():
        by_type[ref.entry_type] = by_type.get(ref.entry_type, 0) + 1
    assert by_type["article"] == 425 and by_type["techreport"] == 139 and by_type["misc"] == 25


def _as_text(title: str) -> str:
    """CSL rich text as plain text (deep-review holds <i> twice and <sup>2</sup> once): the tags
    go, a superscript number reads as one."""
    title = re.sub(
        r"<sup>(\d+)</sup>", lambda m: m.group(1).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")), title
    )
    return re.sub(r"</?i>", "", title)


def test_fields_say_what_the_csl_item_says(deep: list[dict[str, object]]) -> None:
    loaded = bib.load([DEEP])
    names_differ = []
    for item in deep:
        ref = loaded.references[str(item["id"])]
        assert ref.text.get("title", "") == _as_text(" ".join(str(item.get("title", "")).split())), item["id"]
        year = item.get("issued", {}).get("date-parts", [[None]])[0][0]  # type: ignore[union-attr]
        if year:
            assert ref.get("year") == str(year)
        if item.get("DOI"):
            assert ref.get("doi") == item["DOI"]
        authors = [a for a in item.get("author", []) if a]  # type: ignore[union-attr]
        wanted = [
            " ".join(str(a.get(k)) for k in ("non-dropping-particle", "family") if a.get(k))
            or a.get("literal")
            for a in authors
        ]
        if [p.family or p.literal for p in ref.people.get("author", [])] != wanted:
            names_differ.append(item["id"])
    # One work has Crossref's debris of an HTML entity for a name ("&#xDA", no given name),
    # which BibTeX's name rules read as "xDA"; every other name of the 615 works reads back.
    assert len(names_differ) <= 1, names_differ
    hogwild = loaded.references["3qm8sXnB"]
    assert hogwild.get("eprint") == "1106.5730" and hogwild.get("archiveprefix") == "arXiv"


def test_a_csl_item_line_is_where_findings_point(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(
        '[\n  {\n    "id": "a2020",\n    "type": "article-journal",\n    "title": "A"\n  },\n'
        '  {\n    "id": "has space",\n    "title": "B"\n  }\n]\n',
        encoding="utf-8",
    )
    loaded = bib.load([path], display_root=tmp_path)
    assert loaded.references["a2020"].line == 3
    assert [p.format() for p in loaded.problems if p.code == "BIB003"] == [
        "refs.json:8:1: error[BIB003] CSL item with no usable id ('has space'): it is left out"
    ]


def test_ids_bibtex_cannot_hold_are_kept(tmp_path: Path) -> None:
    """Manubot keys works by identifier: a URL with ``?id=``, a DOI with parentheses (issue 14:
    11 of deep-review's works were left out)."""
    ids = ["url:https://openreview.net/forum?id=HkwoSDPgg", "doi:10.1016/S0167-9473(99)00098-5", "a#b%c"]
    items = [
        {"id": i, "type": "webpage", "title": f"T{n}", "issued": {"date-parts": [[2020]]}}
        for n, i in enumerate(ids)
    ]
    items.append({"id": ids[0], "title": "again"})
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(items, indent=1), encoding="utf-8")
    loaded = bib.load([path], display_root=tmp_path)
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if '"id"' in line]
    ids[1] = ids[1].lower()  # an identifier key, in its standard form (issue 15)
    assert list(loaded.references) == ids
    assert [loaded.references[i].key for i in ids] == ids
    assert loaded.references[ids[1]].get("title") == "T1" and loaded.references[ids[1]].line == lines[1]
    assert [p.format() for p in loaded.problems] == [
        f"refs.json:{lines[3]}:1: error[BIB005] duplicate entry key '{ids[0]}'"
    ]


def test_csl_yaml_as_pandoc_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text(
        "references:\n- id: smith2020\n  type: book\n  title: 'Pain: 100% of it, $5 & {more}'\n"
        "  author:\n  - family: Gogh\n    given: Vincent\n    non-dropping-particle: van\n"
        "  issued:\n    date-parts:\n    - [2020, 3]\n  publisher: Press\n",
        encoding="utf-8",
    )
    ref = bib.load([path]).references["smith2020"]
    assert ref.entry_type == "book" and ref.get("year") == "2020" and ref.get("publisher") == "Press"
    assert ref.text["title"] == "Pain: 100% of it, $5 & {more}"
    assert [(p.given, p.family) for p in ref.people["author"]] == [("Vincent", "van Gogh")]


def test_a_site_cites_works_from_csl_json(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "docs").mkdir(parents=True)
    (project / "refs.json").write_text(
        json.dumps([{"id": "w1", "type": "article-journal", "title": "Deep pain", "container-title": "J Pain",
                     "author": [{"family": "Lee", "given": "Ann"}], "issued": {"date-parts": [[2021]]},
                     "volume": "3", "page": "1-9", "DOI": "10.1000/x1"}]),
        encoding="utf-8",
    )  # fmt: skip
    (project / "docs" / "index.md").write_text("# Home\n\nA claim [@w1].\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: mkdocs\nplugins:\n  - litreview:\n      bibliography: refs.json\n"
        "nav:\n  - Home: index.md\n  - References: references.md\n",
        encoding="utf-8",
    )
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "references" / "index.html").read_text(encoding="utf-8")
    assert 'id="ref-w1"' in html and "Deep pain" in html and "J Pain" in html and "1–9" in html


@given(st.text(max_size=60))
def test_any_title_reads_back_as_written(title: str) -> None:
    items = [{"id": "k", "type": "book", "title": title}]
    converted = cslfile.to_bibtex(items, "refs.json", [1])
    from bibtexparser.entrypoint import parse_string

    library = parse_string(converted.text)
    assert len(library.entries) == 1 and not library.failed_blocks


def test_fmt_leaves_a_csl_file_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from litreview.cli import main

    project = tmp_path / "p"
    (project / "docs").mkdir(parents=True)
    refs = project / "refs.json"
    refs.write_text('[{"id": "w1", "type": "book", "title": "T"}]', encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Home\n\nA claim [@w1].\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - litreview:\n      bibliography: refs.json\n", encoding="utf-8"
    )
    assert main(["fmt", "-f", str(project / "mkdocs.yml")]) == 0
    assert "CSL, not BibTeX: left as it is" in capsys.readouterr().err
    assert refs.read_text(encoding="utf-8") == '[{"id": "w1", "type": "book", "title": "T"}]'
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 0
