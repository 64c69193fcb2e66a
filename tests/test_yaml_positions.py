"""Every reader of YAML points a finding at the line and column PyYAML gives (one helper,
yamlsafe.error_position, for mkdocs.yml, front matter, the taxonomy and CSL-YAML)."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.core.bibliography import cslfile
from litreview.core.crosslinks.taxonomy import load as load_taxonomy
from litreview.core.files import yamlsafe
from litreview.core.project.config import ConfigError, project_from_text
from litreview.core.source import frontmatter

_BROKEN = st.sampled_from(
    ["key: [1, 2", "a: b: c", "- x\nk: v", "k: 'open", "k: {a: 1", "\tk: v", "k: *nope"]
)
_GOOD = st.lists(st.sampled_from(["a: 1", "b: text", "c: [1, 2]", "# note", ""]), max_size=4)


def _expected(text: str) -> tuple[int, int]:
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return yamlsafe.error_position(exc)
    raise AssertionError("the text was meant to be broken")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_GOOD, _BROKEN)
def test_each_reader_points_where_pyyaml_does(tmp_path: Path, before: list[str], broken: str) -> None:
    text = "\n".join([*before, broken]) + "\n"
    line, col = _expected(text)
    assert line >= len(before) + 1

    page = frontmatter.parse(f"---\n{text}---\n# Page\n", "page.md")
    assert [(p.code, p.line, p.col) for p in page.problems] == [("FM001", line + 1, col)]

    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(text, encoding="utf-8")
    assert [(p.code, p.line, p.col) for p in load_taxonomy(taxonomy, "taxonomy.yml").problems] == [
        ("TAX001", line, col)
    ]

    try:
        project_from_text(text, tmp_path / "mkdocs.yml")
    except ConfigError as exc:
        assert (exc.problem.code, exc.problem.line, exc.problem.col) == ("CFG002", line, col)
    else:
        raise AssertionError("mkdocs.yml was broken")

    assert [(p.code, p.line) for p in cslfile.read(text, "refs.yaml", ".yaml").problems] == [("BIB003", line)]


def test_mkdocs_tags_are_read_as_the_names_they_give() -> None:
    """The catch-all tag constructor was tried first, so every ``!!python/`` value read as ''
    (Material's emoji index, a configured slugify) and the slug rules fell back to the default."""
    from litreview.core.project.config import MkDocsLoader, PythonCall, PythonName
    from litreview.slugs import rules

    text = (
        "index: !!python/name:material.extensions.emoji.twemoji\n"
        "slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"
    )
    data = yamlsafe.load(text, MkDocsLoader)
    assert data["index"] == "material.extensions.emoji.twemoji" and isinstance(data["index"], PythonName)
    assert data["slugify"] == PythonCall("pymdownx.slugs.slugify", (), {"case": "lower"})
    from pymdownx.slugs import slugify

    assert (
        rules(data).slugify("Héllo Wörld", "-") == slugify(case="lower")("Héllo Wörld", "-") == "héllo-wörld"
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_GOOD, _BROKEN)
def test_an_import_refuses_broken_yaml_where_pyyaml_points(
    tmp_path: Path, before: list[str], broken: str
) -> None:
    """Import refusals carried the line only (column 1, or :0:0 without a line)."""
    from litreview.core.importers.imported import ImportRefused, load_yaml
    from litreview.core.importers.mkdocs_bibtex import read_mkdocs_bibtex

    text = "\n".join([*before, broken]) + "\n"
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - bibtex\n" + text, encoding="utf-8")
    shifted = "plugins:\n  - bibtex\n" + text
    for read, expected in (
        (lambda: load_yaml(text, "_quarto.yml"), _expected(text)),
        (lambda: read_mkdocs_bibtex(tmp_path, tmp_path), _expected(shifted)),
    ):
        try:
            read()
        except ImportRefused as exc:
            assert (exc.problem.code, exc.problem.line, exc.problem.col) == ("IMP001", *expected)
        else:
            raise AssertionError("the text was meant to be broken")


@given(st.lists(st.sampled_from(["a: 1", "b:\n  - x\n  - y: 2", "c: {d: 3}", "# note", ""]), max_size=5))
def test_positions_name_where_each_key_is_written(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    node = yamlsafe.compose(text)
    for path, (line, col) in yamlsafe.positions(node).items():
        written = text.split("\n")[line - 1][col - 1 :]
        last = path[-1]
        assert written.startswith(last if isinstance(last, str) else ("x", "y", "- ", "y"))
