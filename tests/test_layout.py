"""Names that say what they hold (issue 27): no two modules share a file name, no two classes a name.

Three ``run.py`` and three classes named ``Site`` made a reader open each to learn which was
meant; these tests keep a new module or class from bringing that back.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scripts" / "litreview"


def shared_module_names(root: Path) -> dict[str, list[str]]:
    """File name → the modules that have it, for names more than one module has."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        if path.name != "__init__.py":
            found[path.name].append(path.relative_to(root).as_posix())
    return {name: paths for name, paths in found.items() if len(paths) > 1}


def shared_class_names(root: Path) -> dict[str, list[str]]:
    """Class name → where each class of that name is defined, nested ones too."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                found[node.name].append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return {name: places for name, places in found.items() if len(places) > 1}


def test_no_two_modules_share_a_file_name() -> None:
    assert shared_module_names(PACKAGE) == {}


def test_no_two_classes_share_a_name() -> None:
    assert shared_class_names(PACKAGE) == {}


@pytest.mark.parametrize(
    ("files", "modules", "classes"),
    [
        ({"a/run.py": "", "b/run.py": "", "a/__init__.py": "", "b/__init__.py": ""}, {"run.py"}, set()),
        ({"a/x.py": "class Site:\n    pass\n", "b/y.py": "class Site:\n    pass\n"}, set(), {"Site"}),
        (
            {"a/x.py": "def f():\n    class Work:\n        pass\n", "a/y.py": "class Work: ..."},
            set(),
            {"Work"},
        ),
        ({"a/x.py": "class Site: ...", "b/y.py": "class Place: ..."}, set(), set()),
    ],
)
def test_the_checks_see_a_shared_name(
    tmp_path: Path, files: dict[str, str], modules: set[str], classes: set[str]
) -> None:
    """The checks find a name two modules or two classes share, anywhere in the tree."""
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert set(shared_module_names(tmp_path)) == modules
    assert set(shared_class_names(tmp_path)) == classes


def stdlib_shadows(root: Path) -> list[str]:
    """Modules named like a standard-library module: run as a script beside one, it hides it."""
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if path.stem in sys.stdlib_module_names and ".venv" not in path.parts
    )


@pytest.mark.parametrize("room", ["tests", "bench"])
def test_no_module_hides_a_standard_library_module(room: str) -> None:
    """tests/hostile/html.py hid ``html`` from fuzz.py (run as a script from that folder). Modules
    of the package are imported by their full names (``litreview.core.fetch.http``), never so."""
    assert stdlib_shadows(PACKAGE.parent.parent / room) == []


def test_the_shadow_check_sees_one(tmp_path: Path) -> None:
    (tmp_path / "hostile").mkdir()
    (tmp_path / "hostile" / "html.py").write_text("", encoding="utf-8")
    (tmp_path / "hostile" / "parsed_html.py").write_text("", encoding="utf-8")
    assert stdlib_shadows(tmp_path) == ["hostile/html.py"]
