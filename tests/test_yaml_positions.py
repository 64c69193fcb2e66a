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
