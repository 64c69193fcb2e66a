"""Where one build's peak memory goes: what is held when it peaks, by place, traced by
tracemalloc from before MkDocs is imported.

bench/attribute_memory.py measures peaks (the process's resident set size); this says what
Python objects make them up. It runs the build twice, each in a process of its own:

1. Every plugin event is wrapped; between two consecutive events the traced memory's peak
   is taken (and reset), so the place the build peaks is known: which gap between events
   (a per-page gap, MkDocs converting or rendering a page, is told apart by its count).
2. Within that gap, a profile function follows the traced memory at each Python call and
   return; each time it passes its highest so far by 1 MB (within 2 MB of the first run's peak),
   the live blocks are grouped, the last grouping kept: what is alive at the peak. Each block
   is put under litreview when a litreview frame is on its allocation's stack (its innermost
   litreview line), else under the innermost third-party package (the search plugin apart
   from the rest of MkDocs), else "python".

Run with PYTHONHASHSEED fixed so the two runs take the same path. Traced memory is the
Python heap; the peak resident set size adds the interpreter, malloc's slack and, here,
tracemalloc's own tables, so compare places with each other, and totals only with totals.
"""

from __future__ import annotations

import os
import tracemalloc

#: Frames kept per allocation: one for the first run (only totals), enough for the second to
#: find a litreview frame under Markdown's processors.
tracemalloc.start(int(os.environ.get("MEMORY_PLACES_FRAMES", "1")))  # before MkDocs is imported

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
MB = 1024 * 1024


class Gaps:
    """The traced peak between each two consecutive marks (a mark before and after each
    plugin's event method), with the count of the gap's first mark when it peaked, and the
    memory held as the gap ends. Given ``watch`` (a mark and its count), profile the gap that
    follows it and keep what is alive whenever the traced memory, above ``near``, passes its
    highest so far."""

    def __init__(self, watch: tuple[str, int] | None = None, near: int = 0) -> None:
        self.last = "start"
        self.nth: dict[str, int] = defaultdict(int)
        self.gaps: dict[str, dict[str, Any]] = {}
        self.watch, self.near = watch, near
        self.best = self.offset = 0
        self.found: dict[str, Any] = {}

    def mark(self, label: str) -> None:
        """End the gap that began at the last mark; begin one (profiled if watched)."""
        sys.setprofile(None)
        current, peak = tracemalloc.get_traced_memory()
        gap = self.gaps.setdefault(f"{self.last} -> {label}", {"count": 0, "peak": 0, "at": 0, "held": 0})
        gap["count"] += 1
        if peak > gap["peak"]:
            gap["peak"], gap["at"] = peak, self.nth[self.last]
        gap["held"] = max(gap["held"], current)
        self.last = label
        self.nth[label] += 1
        tracemalloc.reset_peak()
        if self.watch == (label, self.nth[label]):
            sys.setprofile(self.profile)

    def profile(self, frame: Any, event: str, arg: Any) -> None:
        """At a call or return: group what is alive if the memory is past its highest by 1 MB."""
        current = tracemalloc.get_traced_memory()[0] - self.offset
        if current < self.near or current < self.best + MB:
            return
        sys.setprofile(None)
        self.found = {}
        base = tracemalloc.get_traced_memory()[0]
        snapshot = tracemalloc.take_snapshot()
        found = {"traced": current, "groups": groups(snapshot), "stack": stack(frame)}
        del snapshot
        self.found, self.best = found, current
        self.offset = tracemalloc.get_traced_memory()[0] - base  # what ``found`` holds
        sys.setprofile(self.profile)


def stack(frame: Any) -> list[str]:
    """The Python stack at ``frame``, outermost first, as file:line function."""
    out = []
    while frame is not None:
        out.append(f"{short(frame.f_code.co_filename)}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return out[::-1]


def short(filename: str) -> str:
    for marker in ("site-packages/", "/scripts/", "/lib/python3."):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def owner_of(filename: str) -> str | None:
    """The package a frame's file belongs to: litreview, a third-party one, or None."""
    if "/litreview/" in filename and "site-packages" not in filename:
        return "litreview"
    if "site-packages/" in filename:
        rest = filename.split("site-packages/", 1)[1]
        if rest.startswith(("mkdocs/contrib/search", "material/plugins/search")):
            return "search plugin"
        return rest.split("/", 1)[0].removesuffix(".py")
    if filename.endswith("attr_hook.py"):
        return "content hook (attr_hook.py)"
    return None


def groups(snapshot: tracemalloc.Snapshot) -> dict[str, dict[str, int]]:
    """Live bytes by owner, and by owner and line (the innermost frame of that owner)."""
    by_traceback: dict[int, list[Any]] = {}
    for _domain, size, frames, *_ in snapshot.traces._traces:  # type: ignore[attr-defined]
        # tracemalloc shares one tuple between the blocks of one traceback: each is placed once
        entry = by_traceback.setdefault(id(frames), [frames, 0])
        entry[1] += size
    owners: dict[str, int] = defaultdict(int)
    lines: dict[str, int] = defaultdict(int)
    for frames, size in by_traceback.values():  # innermost frame first
        found = next(((f, ln) for f, ln in frames if owner_of(f) == "litreview"), None)
        if found is None:
            found = next(((f, ln) for f, ln in frames if owner_of(f) is not None), None)
        who = owner_of(found[0]) if found is not None else "python"
        filename, lineno = found if found is not None else frames[0]
        owners[who or "python"] += size
        lines[f"{who} | {short(filename)}:{lineno}"] += size
    return {"owners": dict(owners), "lines": dict(lines)}


def wrap_events(gaps: Gaps) -> None:
    """Mark before and after every plugin's event method."""
    from mkdocs.plugins import PluginCollection

    run_event = PluginCollection.run_event
    wrapped: set[str] = set()

    def run_event_(self: PluginCollection, name: str, item: Any = None, **kwargs: Any) -> Any:
        if name not in wrapped:
            wrapped.add(name)
            methods = []
            for method in self.events[name]:
                origin = self._event_origins.get(method, "<unknown>")
                methods.append(one(name, origin, method))
                self._event_origins[methods[-1]] = origin
            self.events[name] = methods
        return run_event(self, name, item, **kwargs)

    def one(name: str, origin: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            gaps.mark(f"{name}<{origin}")
            result = method(*args, **kwargs)
            gaps.mark(f"{name}>{origin}")
            return result

        return call

    PluginCollection.run_event = run_event_  # type: ignore[method-assign]


def run(config: str, watch: tuple[str, int] | None, near: int) -> dict[str, Any]:
    from run_build import build_into

    logging.basicConfig(level=logging.ERROR)
    gaps = Gaps(watch, near)
    wrap_events(gaps)
    with tempfile.TemporaryDirectory() as site:
        build_into(config, site)
        gaps.mark("end")
    return {"gaps": gaps.gaps, "found": gaps.found, "peak": max(g["peak"] for g in gaps.gaps.values())}


def report(first: dict[str, Any], second: dict[str, Any], top: int) -> None:
    print(f"traced peak {first['peak'] / MB:.1f} MB; by gap between plugin events (max over repeats):")
    rows = sorted(first["gaps"].items(), key=lambda kv: -kv[1]["peak"])
    for key, gap in rows[:12]:
        print(
            f"  {gap['peak'] / MB:7.1f} MB peak {gap['held'] / MB:7.1f} MB held at its end "
            f"x{gap['count']:<5} {key}"
        )
    found = second["found"]
    if not found:
        print("no snapshot taken")
        return
    print(f"\nalive at the peak (traced {found['traced'] / MB:.1f} MB), by owner:")
    for who, size in sorted(found["groups"]["owners"].items(), key=lambda kv: -kv[1]):
        print(f"  {size / MB:7.2f} MB  {who}")
    lines = sorted(found["groups"]["lines"].items(), key=lambda kv: -kv[1])
    print(f"\ntop {top} litreview lines:")
    for where, size in [kv for kv in lines if kv[0].startswith("litreview |")][:top]:
        print(f"  {size / MB:7.2f} MB  {where}")
    print(f"\ntop {top} other lines:")
    for where, size in [kv for kv in lines if not kv[0].startswith("litreview |")][:top]:
        print(f"  {size / MB:7.2f} MB  {where}")
    print("\nthe stack at the peak (outermost first):")
    for line in found["stack"]:
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--frames", type=int, default=40, help="frames kept per allocation, second run (fewer: faster)"
    )
    parser.add_argument("--json", type=Path, help="also write both runs' figures here")
    parser.add_argument("--child", nargs=3, metavar=("WATCH", "AT", "NEAR"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        watch, at, near = args.child
        result = run(args.config, (watch, int(at)) if watch else None, int(near))
        args.out.write_text(json.dumps(result), encoding="utf-8")
        return
    env = dict(os.environ, PYTHONHASHSEED=os.environ.get("PYTHONHASHSEED", "0"), NO_MKDOCS_2_WARNING="1")
    frames = {"MEMORY_PLACES_FRAMES": "1"}, {"MEMORY_PLACES_FRAMES": str(args.frames)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.json"

        def child(watch: str, at: int, near: int, depth: dict[str, str]) -> dict[str, Any]:
            cmd = [
                sys.executable,
                __file__,
                args.config,
                "--child",
                watch,
                str(at),
                str(near),
                "--out",
                str(out),
            ]
            subprocess.run(cmd, check=True, env=env | depth)
            result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
            return result

        first = child("", 0, 0, frames[0])
        key, gap = max(first["gaps"].items(), key=lambda kv: kv[1]["peak"])
        second = child(key.split(" -> ")[0], gap["at"], gap["peak"] - 2 * MB, frames[1])
    if args.json:
        args.json.write_text(json.dumps({"first": first, "second": second}), encoding="utf-8")
    report(first, second, args.top)


if __name__ == "__main__":
    main()
