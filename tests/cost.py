"""Where the test suite's time goes, in CPU seconds: a pytest plugin and its report (issue 30).

Wall time on a shared machine says little; CPU time does not drift with the load. Each test's
cost is the CPU of its own process plus that of every process it started: those already reaped
(``RUSAGE_CHILDREN``) and those still running (Chromium under Playwright's driver, read from
/proc). It also counts what is costly: subprocesses by program, Chromium launches and pages.

    make test-cost            # the suite with coverage, as make test runs it, then the table
    python tests/cost.py      # the table again, from tests/artifacts/cost/

Both also write tests/file_costs.json, each file's wall seconds on its worker: the order in
which the workers are handed the files (tests/conftest.py), costliest first.
"""

from __future__ import annotations

import collections
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

OUT = Path(__file__).parent / "artifacts" / "cost"
TICK = os.sysconf("SC_CLK_TCK")
_counts: collections.Counter[str] = collections.Counter()
_rows: list[dict[str, Any]] = []


def _program(args: object) -> str:
    """``-m mkdocs build``, ``litreview check``, ``git``: what a subprocess runs, briefly."""
    argv = [str(a) for a in args] if isinstance(args, list | tuple) else [str(args)]
    if len(argv) > 2 and argv[1] == "-m":
        return " ".join(["-m", *argv[2:4]])
    name = Path(argv[0]).name
    return f"{name} {argv[1]}" if name in ("litreview", "mkdocs", "zensical", "properdocs") else name


_popen_init = subprocess.Popen.__init__


def _counted_init(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> None:
    _counts["run " + _program(args)] += 1
    _popen_init(self, args, *rest, **kwargs)


def _count_browser() -> None:
    try:
        from playwright.sync_api import Browser, BrowserContext, BrowserType, Page
    except ImportError:
        return
    for cls, method, key in (
        (BrowserType, "launch", "chromium launches"),
        (Browser, "new_context", "browser contexts"),
        (Browser, "new_page", "browser pages"),
        (BrowserContext, "new_page", "browser pages"),
        (Page, "goto", "page loads"),
    ):
        original = getattr(cls, method)

        def counted(*args: Any, __original: Any = original, __key: str = key, **kwargs: Any) -> Any:
            _counts[__key] += 1
            return __original(*args, **kwargs)

        setattr(cls, method, counted)


def _live_descendants() -> float:
    """CPU seconds of the processes this one started that still run (and their reaped ones)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(stat[1])
        cpu[int(entry)] = sum(int(v) for v in stat[11:15]) / TICK
    mine = {os.getpid()}
    for _ in range(8):  # a few generations: the driver, Chromium, its helpers
        mine |= {pid for pid, parent in parents.items() if parent in mine}
    return sum(cpu[pid] for pid in mine if pid != os.getpid())


def _cpu() -> tuple[float, float]:
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), reaped.ru_utime + reaped.ru_stime + _live_descendants()


def pytest_configure(config: pytest.Config) -> None:
    """Count subprocesses and browser pages from here on."""
    subprocess.Popen.__init__ = _counted_init  # type: ignore[method-assign]
    _count_browser()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    """One row per test: its own CPU, its processes' CPU, its wall time, what it started."""
    before = dict(_counts)
    own, children = _cpu()
    start = time.perf_counter()
    yield
    own_after, children_after = _cpu()
    started = {k: v - before.get(k, 0) for k, v in _counts.items() if v != before.get(k, 0)}
    _rows.append(
        {
            "test": item.nodeid,
            "own": own_after - own,
            "children": max(0.0, children_after - children),
            "wall": time.perf_counter() - start,
            "counts": started,
        }
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """One file per process (each xdist worker writes its own)."""
    if not _rows:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    (OUT / f"{worker}.json").write_text(json.dumps(_rows), encoding="utf-8")


def _read_rows(folder: Path) -> list[dict[str, Any]]:
    """Every test's row, from each worker's file."""
    return [row for path in sorted(folder.glob("*.json")) for row in json.loads(path.read_text())]


def report(folder: Path = OUT, top: int = 30) -> str:
    """The table: totals, counts, then the costliest files and tests by CPU."""
    rows = _read_rows(folder)
    files: dict[str, list[Any]] = collections.defaultdict(lambda: [0, 0.0, 0.0, 0.0, collections.Counter()])
    counts: collections.Counter[str] = collections.Counter()
    for row in rows:
        line = files[row["test"].split("::")[0]]
        line[0] += 1
        line[1] += row["own"]
        line[2] += row["children"]
        line[3] += row["wall"]
        line[4].update(row["counts"])
        counts.update(row["counts"])
    own = sum(r["own"] for r in rows)
    children = sum(r["children"] for r in rows)
    out = [
        f"{len(rows)} tests: {own:.0f} s CPU in the test processes, {children:.0f} s in what they started",
        ", ".join(f"{k}: {v}" for k, v in counts.most_common()),
        "",
        f"{'file':48} {'tests':>5} {'own':>6} {'started':>7} {'CPU':>6} {'wall':>6}",
    ]
    for name, (n, o, c, w, _) in sorted(files.items(), key=lambda kv: -(kv[1][1] + kv[1][2]))[:top]:
        out.append(f"{name:48} {n:5} {o:6.1f} {c:7.1f} {o + c:6.1f} {w:6.1f}")
    out += ["", "costliest tests (CPU s, wall s)"]
    for row in sorted(rows, key=lambda r: -(r["own"] + r["children"]))[:top]:
        out.append(f"{row['own'] + row['children']:6.1f} {row['wall']:6.1f}  {row['test']}")
    return "\n".join(out)


FILE_COSTS = Path(__file__).parent / "file_costs.json"


def write_file_costs(folder: Path = OUT, target: Path = FILE_COSTS) -> None:
    """Each test file's wall seconds on its worker, costliest first, for the workers' order."""
    walls: collections.Counter[str] = collections.Counter()
    for row in _read_rows(folder):
        walls[row["test"].split("::")[0]] += row["wall"]
    if not walls:  # a run that ran nothing (a crash before the first test) keeps the last record
        return
    costs = {name: round(wall, 1) for name, wall in sorted(walls.items(), key=lambda kv: (-kv[1], kv[0]))}
    target.write_text(json.dumps(costs, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    print(report(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
    write_file_costs(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
