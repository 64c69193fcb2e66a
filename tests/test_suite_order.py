"""The suite's own order (issue 30): the workers take the costliest files first, whole.

xdist's loadfile hands out files in collection order; ordered by their number of tests, the
files of one to three slow tests came last and the run ended on one worker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import cost
from conftest import _HeaviestFilesFirst


@dataclass
class _Item:
    path: Path
    marks: tuple[str, ...] = ()
    obj: Any = field(default=None)

    def get_closest_marker(self, name: str) -> str | None:
        return name if name in self.marks else None


class _Config:
    rootpath = Path("/r")


def _order(recorded: dict[str, float], items: list[_Item], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    order = _HeaviestFilesFirst()
    monkeypatch.setattr(order, "recorded", recorded)
    order.pytest_collection_modifyitems(_Config(), items)  # type: ignore[arg-type]
    return [f"{item.path.name}:{item.obj}" for item in items]


def test_recorded_files_go_costliest_first_each_kept_whole_and_in_its_own_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    many = [_Item(Path("/r/tests/test_many.py"), obj=i) for i in range(50)]  # 50 quick tests
    slow = [_Item(Path("/r/tests/test_slow.py"), obj=i) for i in range(2)]
    items = [*many[:25], *slow, *many[25:]]
    got = _order({"tests/test_many.py": 2.0, "tests/test_slow.py": 9.5}, items, monkeypatch)
    assert got == [f"test_slow.py:{i}" for i in range(2)] + [f"test_many.py:{i}" for i in range(50)]


def test_a_file_not_recorded_is_estimated_from_its_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    builds = [_Item(Path("/r/tests/test_new_builds.py"), ("build",), obj=i) for i in range(4)]  # ~2 s
    quick = [_Item(Path("/r/tests/test_new_quick.py"), obj=i) for i in range(20)]  # ~0.4 s
    known = [_Item(Path("/r/tests/test_known.py"), obj=0)]
    got = _order({"tests/test_known.py": 1.0}, [*quick, *known, *builds], monkeypatch)
    assert [name.split(":")[0] for name in got] == (
        ["test_new_builds.py"] * 4 + ["test_known.py"] + ["test_new_quick.py"] * 20
    )


def test_make_test_cost_records_each_files_wall_time_costliest_first(tmp_path: Path) -> None:
    rows = [
        {"test": "tests/a.py::t1", "own": 0.1, "children": 0.0, "wall": 0.25, "counts": {}},
        {"test": "tests/b.py::t1", "own": 0.1, "children": 0.0, "wall": 3.0, "counts": {}},
        {"test": "tests/a.py::t2", "own": 0.1, "children": 0.0, "wall": 0.5, "counts": {}},
    ]
    (tmp_path / "gw0.json").write_text(json.dumps(rows), encoding="utf-8")
    cost.write_file_costs(tmp_path, tmp_path / "costs.json")
    written = json.loads((tmp_path / "costs.json").read_text(encoding="utf-8"))
    assert list(written.items()) == [("tests/b.py", 3.0), ("tests/a.py", 0.8)]


def test_the_recorded_costs_name_files_that_exist() -> None:
    """A renamed file falls back to its estimate; most of the record still names real files."""
    root = Path(__file__).parent.parent
    recorded = json.loads((root / "tests" / "file_costs.json").read_text(encoding="utf-8"))
    assert sum((root / name).is_file() for name in recorded) >= 0.9 * len(recorded)
