"""Hostile mkdocs-bibtex sites through `litreview import` (the round's attack on that importer).

The source's mkdocs.yml is someone else's: Python tags, ``!ENV``, paths out of the source
(``docs_dir``, ``bib_file``, ``bib_dir``, symlinks), Markdown extensions that read files,
alias bombs, and values meant to write YAML of their own into the new mkdocs.yml. Whatever
it holds, the import ends (0 or 2) without a traceback, reads nothing outside the source,
runs nothing, and writes an mkdocs.yml with only the keys litreview writes, its values as
the source had them or left out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.cli import main
from litreview.core.project.config import MkDocsLoader

CANARY = "CANARY-mkbib-51c"
KEYS = {
    "site_name", "site_author", "site_description", "docs_dir", "site_dir", "strict", "theme",
    "plugins", "markdown_extensions", "nav", "extra_javascript", "extra_css", "repo_url", "edit_uri",
    "exclude_docs", "not_in_nav", "validation", "extra", "watch",
}  # fmt: skip
INJECTIONS = [
    "x\nINHERIT: /etc/passwd",
    'x"\nplugins: []\n#',
    "x: !!python/name:os.system",
    "!!python/object/apply:os.system ['touch pwned']",
    "x\u2028INHERIT: y",
    "x\x85INHERIT: y",
    "\ufeffx",
    "x\ufffe",
    "x\udcff",
    "{{ config }}",
    "</title><script>alert(1)</script>",
]


def _site(base: Path, config: str, pages: dict[str, str] | None = None) -> Path:
    (base / "secret.bib").write_text(f"@misc{{s, title={{{CANARY}}}}}\n", encoding="utf-8")
    (base / "secret.md").write_text(f"# S\n\n{CANARY}\n", encoding="utf-8")
    site = base / "site"
    (site / "docs").mkdir(parents=True)
    (site / "refs.bib").write_text("@misc{a, title={A}}\n", encoding="utf-8")
    (site / "docs" / "index.md").write_text("# Home\n\nAs [@a] said.\n\n\\bibliography\n", encoding="utf-8")
    for rel, text in (pages or {}).items():
        (site / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "docs" / rel).write_text(text, encoding="utf-8", errors="surrogatepass")
    (site / "docs" / "out.md").symlink_to(base / "secret.md")
    (site / "docs" / "outdir").symlink_to(base, target_is_directory=True)
    (site / "linked.bib").symlink_to(base / "secret.bib")
    (site / "env.bib").symlink_to("/proc/self/environ")
    (site / "mkdocs.yml").write_text(config, encoding="utf-8", errors="surrogatepass")
    return site


def _import(base: Path, capsys: pytest.CaptureFixture[str]) -> int:
    cwd = os.getcwd()
    os.chdir(base)
    try:
        status = main(["import", "site", "-o", "w/out"])
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Warning:" not in err, err
    assert status in (0, 2), err
    assert not (base / "pwned").exists() and not (base / "site" / "pwned").exists()
    assert {p.name for p in base.iterdir()} <= {"secret.bib", "secret.md", "site", "w"}
    for top, _dirs, names in os.walk(base / "w"):
        for name in names:
            data = (Path(top) / name).read_bytes()
            assert CANARY.encode() not in data and b"PATH=" not in data and b"root:x:0:0" not in data, name
    written = base / "w" / "out" / "mkdocs.yml"
    if status == 0:
        config = yaml.load(written.read_text(encoding="utf-8"), Loader=MkDocsLoader)
        assert set(config) <= KEYS, set(config) - KEYS
        assert "INHERIT" not in config
    return status


BASE = "site_name: S\nplugins:\n  - search\n  - bibtex:\n      bib_file: refs.bib\n"
CONFIGS = [
    "site_name: !!python/object/apply:os.system ['touch pwned']\nplugins: [bibtex]\n",
    "site_name: !!python/name:os.system\nplugins:\n  - bibtex:\n      bib_file: !!python/object/apply:os.system ['touch pwned']\n",
    "site_name: !ENV [PATH]\nsite_author: !ENV HOME\nplugins: [{bibtex: {bib_file: !ENV PATH}}]\n",
    "site_name: S\ndocs_dir: /\nplugins: [{bibtex: {bib_file: refs.bib}}]\n",
    "site_name: S\ndocs_dir: ..\nplugins: [{bibtex: {bib_file: refs.bib}}]\n",
    "site_name: S\ndocs_dir: docs/outdir\nplugins: [{bibtex: {bib_file: refs.bib}}]\n",
    "site_name: S\ndocs_dir: /proc/self\nplugins: [{bibtex: {bib_file: refs.bib}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_file: ../secret.bib}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_file: ../../../../etc/passwd}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_file: /etc/passwd}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_file: linked.bib}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_file: env.bib}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_file: docs/outdir/secret.bib}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_dir: ..}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_dir: /}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_dir: docs/outdir}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_file: refs.bib, csl_file: ../../../etc/passwd}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_file: refs.bib, bib_command: ''}}]\n",
    "site_name: S\nplugins: [{bibtex: {bib_file: refs.bib, bib_command: '.'}}]\n",
    BASE
    + "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: /\n      check_paths: false\n  - pymdownx.b64:\n      base_path: /\n",
    BASE
    + "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_generator: !!python/name:os.system\n      emoji_index: !!python/name:pymdownx.emoji.twemoji\n",
    BASE
    + "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences: [{name: x, format: !!python/name:os.system}]\n",
    BASE + "markdown_extensions:\n  - pymdownx.highlight: !!python/object/apply:os.system ['touch pwned']\n",
    BASE
    + "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_generator: !!python/name:pymdownx.emoji.to_svg\nx\n",
    BASE
    + "nav:\n  - '<script>alert(1)</script>': index.md\n  - Up: ../secret.md\n  - Abs: /etc/passwd\n  - Out: out.md\n  - JS: 'javascript:alert(1)'\n",
    BASE + "INHERIT: ../secret.yml\nhooks: [../evil.py]\n",
    BASE + 'theme:\n  name: material\n  language: "en\\nINHERIT: x"\n  custom_dir: /\n',
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n" + BASE,
    BASE + "extra: " + "[" * 10_000 + "]" * 10_000 + "\n",
    BASE + "plugins: " + "- " * 5_000 + "bibtex\n",
    "plugins:\n  - bibtex: [1, 2]\n",
    "plugins:\n  - bibtex:\n      bib_file: [a, b]\n",
    "- bibtex\n",
    "plugins: {bibtex: {bib_file: refs.bib}}\nnav: {a: b}\n",
]


@pytest.mark.parametrize("config", CONFIGS, ids=range(len(CONFIGS)))
def test_a_hostile_mkdocs_yml_reads_only_the_source_and_runs_nothing(
    tmp_path: Path, config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _site(tmp_path, config)
    _import(tmp_path, capsys)


@pytest.mark.parametrize("value", INJECTIONS, ids=range(len(INJECTIONS)))
@pytest.mark.parametrize(
    "where",
    [
        "site_name: {v}\nsite_author: {v}\nsite_description: {v}\n",
        "site_name: S\nnav:\n  - {v}: index.md\n  - {v}:\n    - index.md\n",
        "site_name: S\nmarkdown_extensions:\n  - pymdownx.highlight:\n      css_class: {v}\n      anchor_linenums: {v}\n",
        "site_name: S\ntheme:\n  name: material\n  language: {v}\n",
    ],
)
def test_a_value_cannot_write_yaml_of_its_own(
    tmp_path: Path, where: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = where.format(v=json.dumps(value)) + "plugins:\n  - bibtex:\n      bib_file: refs.bib\n"
    _site(tmp_path, config)
    if _import(tmp_path, capsys) == 0:
        written = yaml.load((tmp_path / "w/out/mkdocs.yml").read_text(encoding="utf-8"), Loader=MkDocsLoader)
        assert written["plugins"][1]["litreview"]["bibliography"] == "refs.bib"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(min_size=1, max_size=20), st.text(max_size=20))
def test_generated_names_and_values(name: str, value: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as made:
        base = Path(made)
        config = (
            f"site_name: {json.dumps(value)}\nnav:\n  - {json.dumps(value or 'x')}: {json.dumps(name)}\n"
            "plugins: [bibtex]\n"
        )
        page = name.replace("/", "_").replace("\x00", "_").lstrip(".") or "p"
        try:
            _site(base, config, {f"{page}.md": f"# {value}\n"})
        except (OSError, UnicodeEncodeError, ValueError):
            return  # a name the file system refuses
        _quiet_import(base)


def _quiet_import(base: Path) -> None:
    import contextlib
    import io

    err = io.StringIO()
    cwd = os.getcwd()
    os.chdir(base)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            status = main(["import", "site", "-o", "w/out"])
    finally:
        os.chdir(cwd)
    assert status in (0, 2) and "Traceback" not in err.getvalue(), err.getvalue()
    if status == 0:
        text = (base / "w/out/mkdocs.yml").read_text(encoding="utf-8")
        assert set(yaml.load(text, Loader=MkDocsLoader)) <= KEYS
