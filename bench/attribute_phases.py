"""Count one build's instructions by where they run: MkDocs' phases, each plugin's hooks, and
inside litreview its steps and its Markdown extension.

bench/attribute.py says how much of a litreview build is the content's cost and how much is
litreview's code; this says where each goes. Under callgrind, the entry points are wrapped
and, whenever the place running changes, the counts so far are dumped under the place's
name (callgrind's client requests, from a small C library built here with gcc). A place's
count is its own, without the wrapped places inside it; what a place calls that is not
wrapped (json, re, MkDocs' helpers) counts as its own. Everything the process runs is
counted, so the places add up to the build (python's start-up is in "start").
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import types
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
CALIBRATION = 1000
BASE = "mkdocs & python (unwrapped)"

HELPER = r"""
#include <valgrind/callgrind.h>
void lr_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
"""


class Counter:
    """Which place the instructions being counted belong to; a dump closes each stretch."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib, self.stack = lib, ["start"]
        self.calls: dict[str, int] = defaultdict(int)

    def enter(self, place: str) -> None:
        """Count for ``place`` from here (dumping the stretch before it if it was another's)."""
        self.calls[place] += 1
        if place != self.stack[-1]:
            self.lib.lr_dump(self.stack[-1].encode())
        self.stack.append(place)

    def leave(self) -> None:
        """Back to the place the last ``enter`` came from."""
        place = self.stack.pop()
        if place != self.stack[-1]:
            self.lib.lr_dump(place.encode())

    def counted(self, fn: Any, place: str) -> Any:
        """``fn``, its instructions counted as ``place``'s."""

        @functools.wraps(fn)
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.enter(place)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()

        return counted

    def wrap(self, owner: Any, name: str, place: str) -> None:
        """``owner.name`` counted as ``place``."""
        setattr(owner, name, self.counted(getattr(owner, name), place))


class _CountedRegex:
    """The citation pattern as Markdown's inline loop uses it, its search counted."""

    def __init__(self, regex: re.Pattern[str], counter: Counter) -> None:
        self.regex, self.counter = regex, counter

    def finditer(self, data: str, start: int = 0) -> Iterator[re.Match[str]]:
        """Each match found as litreview's (Markdown calls ``next`` between them)."""
        found = self.regex.finditer(data, start)
        while True:
            self.counter.enter("litreview: Markdown citations")
            try:
                match = next(found, None)
            finally:
                self.counter.leave()
            if match is None:
                return
            yield match


def instrument_mkdocs(counter: Counter) -> None:
    """MkDocs' phases, and every plugin's (and hook's) event methods by plugin."""
    import jinja2
    from mkdocs import plugins, utils
    from mkdocs.commands import build
    from mkdocs.config import config_options
    from mkdocs.structure import files, pages

    for owner, name, place in [
        (build, "get_files", "mkdocs: find files"),
        (build, "get_navigation", "mkdocs: navigation"),
        (build, "_populate_page", "mkdocs: read pages"),
        (pages.Page, "render", "mkdocs: Markdown convert"),
        (build, "_build_page", "mkdocs: build pages"),
        (jinja2.Template, "render", "theme: render templates"),
        (utils, "write_file", "mkdocs: write files"),
        (build, "_build_theme_template", "mkdocs: theme pages (404, sitemap)"),
        (files.Files, "copy_static_files", "mkdocs: copy static files"),
        (config_options.Hooks, "_load_hook", "hook: load"),
    ]:
        counter.wrap(owner, name, place)
    register = plugins.PluginCollection._register_event

    def counted_event(self: Any, event: str, method: Any, plugin_name: str | None = None) -> None:
        if not isinstance(method, plugins.CombinedEvent):
            owner = (plugin_name or "?").split("/")[0]
            method = counter.counted(method, f"{owner}: on_{event}")
        register(self, event, method, plugin_name=plugin_name)

    plugins.PluginCollection._register_event = counted_event  # type: ignore[method-assign]


def instrument_litreview(counter: Counter) -> None:
    """Inside litreview: the steps of its hooks worth telling apart, and its Markdown extension."""
    from litreview import building, markdown_engine, plugin
    from litreview.core.bibliography import quality
    from litreview.core.build import bib_checks, page_checks, sitewide
    from litreview.core.publication import work_texts
    from litreview.core.references import cache, reference_html

    steps: list[tuple[Any, str, str]] = [
        (plugin.LitreviewPlugin, "load_config", "litreview: options"),
        (building.AcrossBuilds, "load_bibliography", "litreview: on_config: bibliography"),
        (plugin.LitreviewPlugin, "_formatter", "litreview: on_config: style"),
        (sitewide, "_citation_problems", "litreview: on_env: citation checks"),
        (bib_checks.BibliographyChecks, "problems", "litreview: on_env: quality pass"),
        (quality, "check", "litreview: on_env: quality pass"),
        (sitewide, "site_for", "litreview: on_env: site context"),
        (plugin, "verdicts_for", "litreview: on_env: verdicts"),
        (reference_html, "search_text", "litreview: on_env: References search text"),
        (plugin.LitreviewPlugin, "_flow_slots", "litreview: on_env: slot checks"),
        (sitewide.BuiltSite, "page_html", "litreview: on_post_page: fill pages"),
        (plugin.LitreviewPlugin, "_with_full_bibliography", "litreview: on_post_page: References list"),
        (sitewide.BuiltSite, "cited_in", "litreview: on_post_page: cited in"),
        (sitewide.BuiltSite, "_explore", "litreview: on_post_page: explorer"),
        (work_texts.WorkTexts, "save", "litreview: on_post_build: cache saves"),
        (page_checks.PageChecks, "save", "litreview: on_post_build: cache saves"),
        (cache.FormattedStore, "save", "litreview: on_post_build: cache saves"),
        (markdown_engine.CitationExtension, "extendMarkdown", "litreview: Markdown setup"),
        (markdown_engine.CitationInlineProcessor, "handleMatch", "litreview: Markdown citations"),
    ]
    for owner, name, place in steps:
        counter.wrap(owner, name, place)
    trees = ["AltTextTreeprocessor", "RawHtmlTreeprocessor", "StudyTablesTreeprocessor"]
    for name in [*trees, "CitedBlockTreeprocessor", "AutolinkTreeprocessor"]:
        counter.wrap(getattr(markdown_engine, name), "run", "litreview: Markdown tree processors")
    compiled = markdown_engine.CitationInlineProcessor.getCompiledRegExp

    def counted_regex(self: Any) -> Any:
        return _CountedRegex(compiled(self), counter)

    markdown_engine.CitationInlineProcessor.getCompiledRegExp = counted_regex  # type: ignore[method-assign]


def _nothing() -> None:
    """Nothing: wrapped, what the wrapping itself costs a call."""


def child(config: str, helper: str) -> None:
    """One build as bench/run_build.py makes it, counted by place."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import material.plugins.search.plugin  # noqa: F401  (every build imports it, before litreview)
    from run_build import build_into

    counter = Counter(ctypes.CDLL(helper))
    counter.enter(BASE)
    calibration = types.SimpleNamespace(call=counter.counted(_nothing, "calibration"))
    counter.enter("calibration loop")
    for _ in range(CALIBRATION):
        calibration.call()
    counter.leave()
    instrument_mkdocs(counter)
    if re.search(r"^\s*- litreview", Path(config).read_text(encoding="utf-8"), re.M):
        counter.enter("litreview: import")
        import litreview.plugin  # noqa: F401

        counter.leave()
        instrument_litreview(counter)
    with tempfile.TemporaryDirectory() as site:
        build_into(config, site)
    counter.leave()
    print(json.dumps(counter.calls))


def compile_helper(out: Path) -> Path:
    """The client request as a shared library ctypes loads (needs gcc and valgrind's headers)."""
    source, lib = out / "lr_callgrind.c", out / "lr_callgrind.so"
    source.write_text(HELPER, encoding="utf-8")
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(lib), str(source)], check=True)
    return lib


def counted(config: Path, helper: Path, env: dict[str, str]) -> tuple[dict[str, int], dict[str, int]]:
    """Instructions and wrapped calls by place, from one build under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        cmd = ["valgrind", "--tool=callgrind", "--dump-line=no", f"--callgrind-out-file={out}"]
        cmd += [sys.executable, __file__, "--child", str(config), str(helper)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"callgrind run failed: {config}\n{proc.stderr[-2000:]}")
        counts: dict[str, int] = defaultdict(int)
        for name in glob.glob(f"{out}*"):
            text = Path(name).read_text(encoding="utf-8", errors="replace")
            label = re.search(r"^desc: Trigger: (?:Client Request: )?(.*)$", text, re.M)
            total = re.search(r"^(?:totals|summary): (\d+)", text, re.M)
            if label and total:
                counts[label.group(1)] += int(total.group(1))
    return counts, json.loads(proc.stdout.strip().splitlines()[-1])


def report(name: str, counts: dict[str, int], calls: dict[str, int], plain: float) -> int:
    """Each place's instructions, less what wrapping cost its calls inside it, and its share;
    returns the build's total less all the wrapping cost (inside and around the calls)."""
    inside = counts.pop("calibration", 0) / CALIBRATION
    around = counts.pop("calibration loop", 0) / CALIBRATION
    calls = {place: n for place, n in calls.items() if not place.startswith("calibration")}
    fixed = {place: n - inside * calls.get(place, 0) for place, n in counts.items()}
    total = sum(fixed.values()) - around * sum(calls.values())
    ours = sum(n for place, n in fixed.items() if place.startswith("litreview"))
    print(
        f"{name}: {total / 1e9:.3f}G instructions ({total / plain:.3f}x plain), litreview's places "
        f"{ours / 1e9:.3f}G ({ours / plain:.3f}x plain). Wrapping cost a call {inside:.0f} "
        f"instructions inside (subtracted) and {around:.0f} around it (left in the caller's place, "
        f"{around * sum(calls.values()) / 1e6:.0f}M in all over {sum(calls.values())} calls)",
        flush=True,
    )
    for place, n in sorted(fixed.items(), key=lambda kv: -kv[1]):
        print(f"  {place:<48} {n / 1e6:>9.1f}M {n / plain:>7.4f}x plain {calls.get(place, 0):>7} calls")
    return round(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "attribute")
    parser.add_argument(
        "--configs",
        nargs="+",
        default=["plain", "content-post", "litreview", "litreview-nocache"],
        help="mkdocs-NAME.yml of bench/attribute.py's corpus (made and warmed by it first)",
    )
    parser.add_argument("--child", nargs=2, metavar=("CONFIG", "HELPER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from attribute import child_env

    args.out = args.out.resolve()
    helper, plain, env = compile_helper(args.out), 0.0, child_env(args.out)
    subprocess.run([sys.executable, "-c", "import ctypes"], check=True, env=env)  # compiled once, not counted
    for name in args.configs:
        counts, calls = counted(args.out / "corpus" / f"mkdocs-{name}.yml", helper, env)
        total = report(name, counts, calls, plain or sum(counts.values()))
        plain = plain or total


if __name__ == "__main__":
    main()
