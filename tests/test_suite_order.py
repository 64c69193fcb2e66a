"""The suite's own order (issue 30): the workers take the costliest files first, whole.

xdist's loadfile hands out files in collection order; ordered by their number of tests, the
files of one to three slow tests came last and the run ended on one worker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import cost
from conftest import _HeaviestFilesFirst, read_file_costs


@dataclass
class _Item:
    path: Path
    marks: tuple[str, ...] = ()
    obj: Any = field(default=None)

    @property
    def nodeid(self) -> str:  # as pytest writes it: relative to the rootdir /r
        return f"{os.path.relpath(self.path, '/r')}::test_{self.obj}"

    def get_closest_marker(self, name: str) -> str | None:
        return name if name in self.marks else None


def _order(recorded: dict[str, float], items: list[_Item], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    order = _HeaviestFilesFirst()
    monkeypatch.setattr(order, "recorded", recorded)
    order.pytest_collection_modifyitems(items)  # type: ignore[arg-type]
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


def test_a_file_outside_the_rootdir_is_ordered_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a review: ``pytest tests/test_add.py /tmp/x/test_x.py`` stopped with an
    INTERNALERROR (a path outside the rootdir has no relative form)."""
    outside = [_Item(Path("/tmp/x/test_x.py"), ("build",), obj=i) for i in range(2)]
    inside = [_Item(Path("/r/tests/test_add.py"), obj=0)]
    got = _order({"tests/test_add.py": 3.0, "../tmp/x/test_x.py": 5.0}, [*inside, *outside], monkeypatch)
    assert got == ["test_x.py:0", "test_x.py:1", "test_add.py:0"]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (
            '{"a.py": NaN, "b.py": 1, "c.py": "x", "d.py": 1e999, "e.py": -Infinity, "f.py": null}',
            {"b.py": 1.0},
        ),
        ('["a.py", 1]', {}),
        ("{", {}),
        ("", {}),
    ],
)
def test_a_record_that_is_not_a_finite_number_is_not_used(
    text: str, read: dict[str, float], tmp_path: Path
) -> None:
    """A NaN rank made the sort inconsistent: files were no longer kept whole (a review)."""
    (tmp_path / "costs.json").write_text(text, encoding="utf-8")
    assert read_file_costs(tmp_path / "costs.json") == read
    assert read_file_costs(tmp_path / "missing.json") == {}


def test_a_run_that_ran_nothing_keeps_the_last_record(tmp_path: Path) -> None:
    (tmp_path / "costs.json").write_text('{"tests/a.py": 1.0}\n', encoding="utf-8")
    cost.write_file_costs(tmp_path / "no-rows", tmp_path / "costs.json")
    assert read_file_costs(tmp_path / "costs.json") == {"tests/a.py": 1.0}


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


@pytest.mark.parametrize("plugins", [[], ["-p", "no:xdist"]], ids=["with-xdist", "without-xdist"])
def test_the_suite_collects_with_or_without_xdist(plugins: list[str]) -> None:
    """The marks the suite sets (an xdist group for a shared build) are known to pytest even
    where xdist is not loaded: an unknown mark under --strict-markers stopped collection."""
    tests = Path(__file__).parent
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *plugins, "--collect-only", "-q", "-p", "no:cacheprovider",
         str(tests / "test_exports.py")],
        capture_output=True, text=True, cwd=tests.parent, check=False,
    )  # fmt: skip
    assert proc.returncode == 0 and "INTERNALERROR" not in proc.stdout + proc.stderr, proc.stdout[-3000:]
    assert "tests collected" in proc.stdout
