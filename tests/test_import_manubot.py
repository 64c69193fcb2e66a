"""`litreview import` of a Manubot review (issue 14), on deep-review and on small made-up ones.

Reported: a Manubot review needed hand-written conversion scripts. After import,
`litreview check` must report unknown keys only where the source's own bibliography lacks them.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_in_process, tree_digest
from corpora import corpus
from litreview.cli import main
from litreview.core.identifiers.citekey import standard
from litreview.core.importers.manubot import read_manubot
from litreview.core.source.scanner import scan

CROSSREF = re.compile(r"(fig|tbl|eq|sec)[:-]")


def _import(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["import", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def deep_review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """deep-review with the two figures its chapters show (the corpus holds no images)."""
    source = tmp_path_factory.mktemp("src") / "deep-review"
    shutil.copytree(corpus("deep-review"), source)
    (source / "content" / "images").mkdir()
    for name in ("petting-zoo.svg", "biotm.png"):
        (source / "content" / "images" / name).write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    return source


def _works_cited(pages: dict[str, str], work_of: dict[str, str]) -> Counter[str]:
    cited: Counter[str] = Counter()
    for name, text in pages.items():
        for found in scan(text, name).found:
            for key in found.citation.keys:
                if not CROSSREF.match(key):
                    cited[work_of.get(key, "unknown:" + key)] += 1
    return cited


def test_deep_review_imports_with_every_citation_kept(
    deep_review: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_digest(deep_review)
    out_dir = tmp_path / "out"
    status, out, err = _import(capsys, str(deep_review), "-o", str(out_dir))
    assert status == 0, err
    assert tree_digest(deep_review) == before, "import changed its source"
    assert "imported a Manubot review" in out
    assert "response-to-reviewers.md:1:1: warning[IMP002] not a chapter" in err

    # The same works, as often, chapter by chapter: source keys through citations.tsv,
    # output keys through the new references.json (the same items, in the same order).
    with (deep_review / "citations.tsv").open(encoding="utf-8") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    # the finder gives identifiers in their standard form (doi:10.1007/BF02478259 is
    # doi:10.1007/bf02478259), as litreview looks them up
    work_of = {standard(r["input_id"]): r["short_id"] for r in rows}
    old_items = json.loads((deep_review / "references.json").read_text(encoding="utf-8"))
    new_items = json.loads((out_dir / "references.json").read_text(encoding="utf-8"))
    new_work_of = {new["id"]: old["id"] for old, new in zip(old_items, new_items, strict=True)}
    assert len(new_work_of) == 615
    for chapter in sorted((deep_review / "content").glob("0[2-8]*.md")):
        name = re.sub(r"^[0-9]+\.", "", chapter.name)
        source = _works_cited({chapter.name: chapter.read_text(encoding="utf-8")}, work_of)
        imported = _works_cited({name: (out_dir / "content" / name).read_text(encoding="utf-8")}, new_work_of)
        assert imported == source, name
        assert not any(k.startswith("unknown:") for k in source), name

    # aliases resolved, identifiers kept, a URL with '=' cited in braces
    categorize = (out_dir / "content" / "categorize.md").read_text(encoding="utf-8")
    assert "@tag:" not in categorize and "[@doi:10.1038/nature14539]" in (
        out_dir / "content" / "intro.md"
    ).read_text(encoding="utf-8")
    assert "@{url:https://dl.acm.org/citation.cfm?id=3061018}" in categorize
    intro = (out_dir / "content" / "intro.md").read_text(encoding="utf-8")
    assert intro.startswith("# Introduction to deep learning\n")
    assert "[Figure 1](#fig:nn-petting-zoo)" in intro and "[Table 1](#tbl:glossary)" in intro
    assert '<figure markdown="span" id="fig:nn-petting-zoo" class="white">' in intro
    methods = (out_dir / "content" / "methods.md").read_text(encoding="utf-8")
    assert "{%" not in methods and "Drafted one or more subsections: Joshua J. Levy" in methods

    monkeypatch.chdir(out_dir)
    assert main(["check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    errors = [f for f in findings if f["severity"] == "error"]
    # the only errors: works whose metadata, as Manubot fetched it, lacks a required field
    assert {f["code"] for f in errors} == {"BIB013"}
    for f in errors:
        item = next(i for i in new_items if f"'{i['id']}'" in f["message"])
        assert "title" not in item or "container-title" not in item or "publisher" not in item


def test_deep_review_builds_strictly(
    deep_review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    assert _import(capsys, str(deep_review), "-o", str(out_dir))[0] == 0
    config = out_dir / "mkdocs.yml"
    # the four works Manubot fetched without a title, journal or institution stay findings
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      bibliography: references.json\n",
            "      bibliography: references.json\n      validation: {BIB013: warn}\n",
        ),
        encoding="utf-8",
    )
    build_in_process(config, tmp_path / "site")
    intro = (tmp_path / "site" / "intro" / "index.html").read_text(encoding="utf-8")
    assert 'id="fig:nn-petting-zoo"' in intro and 'href="#fig:nn-petting-zoo"' in intro
    assert "Opportunities and obstacles" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def _manubot(tmp_path: Path, chapters: dict[str, str], metadata: str = "title: A review\n") -> Path:
    source = tmp_path / "src"
    (source / "content").mkdir(parents=True)
    (source / "content" / "metadata.yaml").write_text(metadata, encoding="utf-8")
    for name, text in chapters.items():
        (source / "content" / name).write_text(text, encoding="utf-8")
    return source


def test_an_undefined_alias_is_reported_where_it_is_cited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _manubot(
        tmp_path,
        {
            "01.intro.md": "## Intro\n\nKnown [@tag:a], unknown\n[@tag:nope].\n",
            "90.back-matter.md": '## References\n\n<div id="refs"></div>\n\n[@tag:a]: doi:10.1/x\n',
        },
    )
    status, _, err = _import(capsys, str(source), "-o", str(tmp_path / "out"))
    assert status == 0
    assert "content/01.intro.md:4:1: warning[IMP002] alias @tag:nope is defined nowhere" in err
    page = (tmp_path / "out" / "content" / "intro.md").read_text(encoding="utf-8")
    assert page == "# Intro\n\nKnown [@doi:10.1/x], unknown\n[@tag:nope].\n"
    assert not (tmp_path / "out" / "content" / "back-matter.md").exists()


def test_the_abstract_is_reported_at_its_own_lines(tmp_path: Path) -> None:
    source = _manubot(tmp_path, {"01.abstract.md": "## Abstract\n\nSee\n[@tag:gone].\n", "02.a.md": "## A\n"})
    result = read_manubot(source, tmp_path)
    assert [f.format() for f in result.findings if "alias" in f.message] == [
        "src/content/01.abstract.md:4:1: warning[IMP002] alias @tag:gone is defined nowhere "
        "(no '[@tag:gone]: …' line); kept as written"
    ]
    assert result.pages["index.md"].endswith("## Abstract\n\nSee\n[@tag:gone].\n")


def test_an_unreadable_table_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _manubot(tmp_path, {"01.a.md": "## A\n"})
    (source / "references.json").write_text("[]", encoding="utf-8")
    (source / "citations.tsv").write_bytes(b"input_id\tshort_id\n\xff\xfe\n")
    assert main(["import", str(source), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "citations.tsv:0:0: error[IMP001] cannot read:" in err and "Traceback" not in err


def test_refusals_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _import(capsys, str(tmp_path / "missing"), "-o", str(tmp_path / "out"))
    assert status == 2 and "error[IMP001] no such file or folder" in err
    source = _manubot(tmp_path, {"01.a.md": "## A\n"}, metadata="title: [unclosed\n")
    status, _, err = _import(capsys, str(source), "-o", str(tmp_path / "out"))
    assert status == 2 and "metadata.yaml:2:1: error[IMP001] metadata is not valid YAML" in err
    assert not (tmp_path / "out").exists()
    (source / "content" / "metadata.yaml").write_text("title: Fine\n", encoding="utf-8")
    (tmp_path / "out" / "content").mkdir(parents=True)
    (tmp_path / "out" / "content" / "index.md").write_text("mine\n", encoding="utf-8")
    status, _, err = _import(capsys, str(source), "-o", str(tmp_path / "out"))
    assert status == 2 and "index.md:0:0: error[IMP001] already exists; import never overwrites" in err
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["content", "index.md"]
    assert "Traceback" not in err


def test_a_broken_template_is_kept_and_reported(tmp_path: Path) -> None:
    source = _manubot(tmp_path, {"01.a.md": "## A\n\nBy {{ authors[0].name }}.\n\n{% for x in %}\n"})
    result = read_manubot(source, tmp_path)
    kept = [f for f in result.findings if "Jinja2 template kept as text" in f.message]
    assert [(f.code, f.path, f.line) for f in kept] == [("IMP002", "src/content/01.a.md", 5)]
    assert result.pages["a.md"].endswith("{% for x in %}\n")


def test_templates_cannot_reach_python(tmp_path: Path) -> None:
    source = _manubot(tmp_path, {"01.a.md": "## A\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n"})
    result = read_manubot(source, tmp_path)
    assert "object" not in result.pages["a.md"]
    # refused before anything is evaluated, not stopped by the sandbox on the way
    assert any("kept as text: call is not evaluated" in f.message for f in result.findings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('#@[]{}();:-_ \nab1!()"`<>%')), max_size=300))
def test_any_chapter_imports_or_reports(tmp_path: Path, text: str) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        source = _manubot(Path(folder), {"01.x.md": text, "02.y.md": "## Y\n\n" + text})
        result = read_manubot(source, Path(folder))
    assert "index.md" in result.pages


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("[" * 100_000 + "]" * 100_000, ":1:", id="nesting-bomb"),
        pytest.param('[{"id": "a", "title": ' + "[" * 70 + "]" * 70 + "}]", ":1:", id="deep-field"),
    ],
)
def test_a_deeply_nested_references_json_is_refused_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: str
) -> None:
    """An imported source's references.json is untrusted: nesting past the JSON readers' bound
    (core/files/jsonfile.py) is a refusal at its place, not a RecursionError."""
    source = _manubot(tmp_path, {"01.a.md": "## A\n"})
    (source / "references.json").write_text(text, encoding="utf-8")
    status, _, err = _import(capsys, str(source), "-o", str(tmp_path / "out"))
    assert status == 2, err
    assert f"references.json{where}" in err and "error[IMP001]" in err and "nested deeper" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "metadata",
    [
        pytest.param(
            "title: A\npandoc:\n  citekey-aliases:\n    a: doi:10.1/x\n    tag:b: pmid:123\n", id="pandoc"
        ),
        pytest.param("title: A\ncitekey-aliases:\n  a: doi:10.1/x\n  tag:b: pmid:123\n", id="top-level"),
    ],
)
def test_metadata_citekey_aliases_are_aliases(tmp_path: Path, metadata: str) -> None:
    """Manubot's alias map in metadata.yaml (``pandoc: citekey-aliases:``) resolves like a
    ``[@tag:x]: …`` line; an alias to a URL cites it as ``url:``."""
    source = _manubot(
        tmp_path,
        {"01.intro.md": "## Intro\n\nSee [@a; @tag:b] and @c.\n"},
        metadata + "  c: https://example.org/p\n"
        if "pandoc" not in metadata
        else metadata + "    c: https://example.org/p\n",
    )
    result = read_manubot(source, tmp_path)
    assert "See [@doi:10.1/x; @pmid:123] and @url:https://example.org/p." in result.pages["intro.md"]
    assert not [f for f in result.findings if "alias" in f.message]


def test_deep_review_keeps_every_citation_pandoc_reads(
    deep_review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As many citations on each imported page as pandoc reads in its chapter (cross-references
    and ``[@tag:x]: …`` alias lines aside): 657, where 655 came through (``[@a;; @b; @c]``, three
    citations to pandoc, was read as one)."""
    from pandoc_oracle import pandoc_cites

    out_dir = tmp_path / "out"
    status, out, _ = _import(capsys, str(deep_review), "-o", str(out_dir))
    assert status == 0
    total = 0
    for chapter in sorted((deep_review / "content").glob("0[2-8]*.md")):
        text = re.sub(r"(?m)^\[@tag:[^\]]*\]:.*$", "", chapter.read_text(encoding="utf-8"))
        cites = [c for c in pandoc_cites(text) if not all(CROSSREF.match(k) for k in c)]
        page = (out_dir / "content" / re.sub(r"^[0-9]+\.", "", chapter.name)).read_text(encoding="utf-8")
        found = [
            f for f in scan(page, chapter.name).found if not all(CROSSREF.match(k) for k in f.citation.keys)
        ]
        assert len(found) == len(cites), chapter.name
        total += len(cites)
    assert total == 657 and f"{total} citation(s)" in out


@pytest.mark.parametrize(
    ("affiliations", "shown"),
    [
        ("[Uni One, Uni Two]", ": Uni One; Uni Two"),
        ("Uni One; Uni Two", ": Uni One; Uni Two"),  # Manubot splits a string at "; "
        ("true", ""),  # was a TypeError, a traceback
        ("{a: b}", ""),
    ],
)
def test_an_authors_affiliations_as_manubot_reads_them(tmp_path: Path, affiliations: str, shown: str) -> None:
    """A string was read a character at a time ("U; n; i; …")."""
    metadata = f"title: A review\nauthors:\n  - name: Ann Alpha\n    affiliations: {affiliations}\n"
    result = read_manubot(_manubot(tmp_path, {"01.a.md": "## A\n"}, metadata), tmp_path)
    assert f"- Ann Alpha{shown}\n" in result.pages["index.md"], result.pages["index.md"]
