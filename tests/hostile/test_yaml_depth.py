"""YAML that nests past any reader, through the one composer every YAML reader uses.

Found in the attack round: a ``_toc.yml`` of ``[[[[…`` (or ``- - - -…``, or a mapping chain)
ended the MyST import in PyYAML's RecursionError, with a traceback; front matter, the
taxonomy, the PRISMA and studies files and mkdocs.yml share the composer. Each is now a
YAML error at its place, as an alias bomb already was; so is nesting built from aliases.
"""

from __future__ import annotations

import pytest
import yaml

from litreview.core.files import yamlsafe
from litreview.core.source import frontmatter

DEEP = [
    "[" * 100_000,
    "[" * 5_000 + "]" * 5_000,
    "{a: " * 3_000 + "1" + "}" * 3_000,
    "- " * 50_000 + "x",
    "".join(" " * i + "a:\n" for i in range(2_000)) + " " * 2_000 + "b",
    "[" * (yamlsafe.MAX_DEPTH + 1) + "]" * (yamlsafe.MAX_DEPTH + 1),
    # nesting made of aliases: each anchor 50 deep, holding the one before
    "a0: &a0 " + "[" * 50 + "1" + "]" * 50 + "\n"
    + "".join(f"a{i}: &a{i} " + "[" * 50 + f"*a{i - 1}" + "]" * 50 + "\n" for i in range(1, 200)),
]  # fmt: skip


@pytest.mark.parametrize("text", DEEP, ids=range(len(DEEP)))
def test_yaml_nested_past_the_bound_is_a_yaml_error(text: str) -> None:
    with pytest.raises(yaml.YAMLError, match=r"nests deeper|aliases expand"):
        yamlsafe.load(text)


@pytest.mark.parametrize("text", DEEP[:4], ids=range(4))
def test_front_matter_nested_too_deep_is_a_finding(text: str) -> None:
    found = frontmatter.parse(f"---\nx: {text}\n---\n# T\n", "page.md")
    assert found.problems


@pytest.mark.parametrize("text", DEEP[:5], ids=range(5))
def test_yaml_nested_past_the_bound_is_read_no_further(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The depth was checked once the whole tree was composed: ``[[[[…`` was scanned until
    PyYAML's composer ran out of stack (a thousand levels), each token costing a pass over
    every open bracket. Composing now stops at the first node past the bound."""
    composed = 0
    original = yaml.composer.Composer.compose_node

    def counted(self: yaml.composer.Composer, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        nonlocal composed
        composed += 1
        return original(self, parent, index)

    monkeypatch.setattr(yaml.composer.Composer, "compose_node", counted)
    with pytest.raises(yaml.YAMLError, match="nests deeper"):
        yamlsafe.load(text)
    assert composed <= 2 * yamlsafe.MAX_DEPTH, composed


def test_nesting_within_the_bound_still_loads() -> None:
    depth = yamlsafe.MAX_DEPTH - 1
    assert yamlsafe.load("[" * depth + "]" * depth) is not None


def test_a_lone_surrogate_escape_becomes_a_replacement_character() -> None:
    """``"\\ud800"`` in YAML is no text: a studies file, front matter or mkdocs.yml holding it
    ended the write of the page or file that showed it (UnicodeEncodeError)."""
    loaded = yamlsafe.load('a: "x\\ud800y"\nb: ["\\udcff"]\n"\\udfff": 1\n')
    assert loaded == {"a": "x\ufffdy", "b": ["\ufffd"], "\ufffd": 1}
