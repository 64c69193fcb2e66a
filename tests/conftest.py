"""Shared fixtures: the real review built once per session, strictly, outside the tree."""

from __future__ import annotations

import asyncio
import functools
import gc
import hashlib
import inspect
import io
import json
import logging
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType
from typing import NamedTuple

import jinja2
import pytest
from filelock import FileLock
from hypothesis import settings
from jinja2.bccache import Bucket

# Property tests assert behaviour, not speed: no per-example deadline, which would make them
# fail at random while the browser tests or a build share the machine.
settings.register_profile("litreview", deadline=None)
settings.load_profile("litreview")

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]


def tree_digest(folder: Path) -> str:
    """One digest of every file's path and bytes under ``folder``: equal means untouched."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def mkdocs_build(
    config: Path, site_dir: Path, *, extra_env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` (never with -q: quiet hides warnings from strict).

    Any Python warning is an error in the build, as in the tests' own process (pyproject's
    filterwarnings): a library's warning printed with traceback lines reads as a crash to users.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "error", **(extra_env or {})}
    proc = subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(config), "--site-dir", str(site_dir)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({proc.returncode}):\n{proc.stderr}")
    return proc


class _Records(logging.Handler):
    """What one in-process build logged, for the failure message."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")
        if record.exc_info:  # as the log shows it: a logged exception prints its traceback
            self.lines.append(logging.Formatter().formatException(record.exc_info))


class _CompiledTemplates(jinja2.BytecodeCache):
    """Theme templates compiled once per session, not once per in-process build (MkDocs makes a
    new Jinja environment per build; compiling Material's templates was over half of a small
    build's time). Keyed by what compiling depends on, checked against the source's checksum."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        options = (sorted(environment.extensions), environment.autoescape, environment.optimized)
        syntax = (environment.block_start_string, environment.variable_start_string)
        key = repr((name, filename, options, syntax, environment.trim_blocks, environment.lstrip_blocks))
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.codes:
            bucket.load_bytecode(io.BytesIO(self.codes[bucket.key]))

    def dump_bytecode(self, bucket: Bucket) -> None:
        out = io.BytesIO()
        bucket.write_bytecode(out)
        self.codes[bucket.key] = out.getvalue()


@pytest.fixture(autouse=True, scope="session")
def _theme_templates_compiled_once() -> Iterator[None]:
    from mkdocs.theme import Theme

    compiled = _CompiledTemplates()
    get_env = Theme.get_env

    def cached(self: Theme) -> jinja2.Environment:
        env = get_env(self)
        env.bytecode_cache = compiled
        return env

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Theme, "get_env", cached)
        yield


@pytest.fixture(autouse=True)
def _no_event_loop_left_by_playwright(request: pytest.FixtureRequest) -> Iterator[None]:
    """Playwright's sync API leaves its event loop marked running in the worker for the rest of
    the session; a test that drives no browser runs as in a process of its own, where
    ``asyncio.run`` works (under xdist, browser and other tests share a worker in any order)."""
    if "browser" in request.fixturenames:
        yield
        return
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


class Built(NamedTuple):
    """What one build did: whether it failed as ``mkdocs build --strict`` fails (exit 1), and
    what it logged, one ``LEVEL: message`` a line (the failure's own message last)."""

    failed: bool
    log: str


def build_outcome(
    config: Path, site_dir: Path, *, extra_env: dict[str, str] | None = None, strict: bool = True
) -> Built:
    """``mkdocs build --strict`` in this process, as ``mkdocs build`` runs it (startup, build,
    shutdown), for tests about the built output or the findings: 0.07 s where a subprocess
    costs 0.40 s (0.8 s of CPU under coverage, which measures each subprocess too). A failure
    the CLI reports with exit 1 (strict's abort, a bad config, a plugin's error) is returned;
    any other exception fails the test as it is, as it would print a traceback from the CLI.

    Keep :func:`mkdocs_build` where the test is about the exit status, stderr or the CLI. Strict
    counting is the CountHandler ``build`` adds to the ``mkdocs`` logger and removes again; the
    handler and logger level set here are removed again too, so nothing leaks into the next
    build. Python warnings are errors already (pyproject's filterwarnings). A build that prints
    the PDF runs as a subprocess: Playwright's sync API can't start where pytest-playwright runs.
    ``strict=False`` builds what a project with warnings still gets built (``mkdocs build``).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    records = _Records()
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(records)
    logger.setLevel(logging.INFO)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}.items():
            patch.setenv(name, value)
        try:
            cfg = load_config(config_file=str(config), site_dir=str(site_dir), strict=strict)
            plugin = cfg.plugins.get("litreview")
            if plugin is not None and plugin.config.get("pdf"):  # Chromium through Playwright's
                assert strict, "a PDF build runs as `mkdocs build --strict`"
                proc = mkdocs_build(config, site_dir, extra_env=extra_env, check=False)  # own process
                return Built(proc.returncode != 0, proc.stderr)
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build(cfg)
            finally:
                cfg.plugins.on_shutdown()
            return Built(False, "\n".join(records.lines))
        except MkDocsException as error:  # Abort (strict warnings), a bad config, a plugin's error
            return Built(True, "\n".join([*records.lines, f"ERROR: {error.format_message()}"]))
        finally:
            logger.removeHandler(records)
            logger.setLevel(level)


def build_in_process(
    config: Path, site_dir: Path, *, extra_env: dict[str, str] | None = None, strict: bool = True
) -> str:
    """:func:`build_outcome` for a build that must pass: what it logged; a failure fails the test."""
    built = build_outcome(config, site_dir, extra_env=extra_env, strict=strict)
    if built.failed:
        raise AssertionError(f"mkdocs build failed:\n{built.log}")
    return built.log


def shared_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder ``make`` fills once per test run, not once per xdist worker: the first worker
    to come builds it under a file lock in the run's common temporary folder, the others wait
    and reuse it (pytest-xdist's documented pattern). Its users only read it. A failed ``make``
    leaves no mark, so the next worker tries again and fails its tests as the first did."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:  # one process: its own temporary folder
        folder = factory.mktemp(name)
        make(folder)
        return folder
    root = factory.getbasetemp().parent  # pytest-N, shared by this run's workers only
    folder, done = root / name, root / f"{name}.done"
    with FileLock(root / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


#: 2025-06-30, the article's publication date: the date of the PDF's of ``built_site``, so a
#: test can build the review again and compare the two byte for byte.
REVIEW_EPOCH = {"SOURCE_DATE_EPOCH": "1751241600"}


def _review_build(site: Path) -> None:
    mkdocs_build(ROOT / "mkdocs.yml", site, extra_env=REVIEW_EPOCH)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real review, built with --strict into a temporary folder (once per run), dated."""
    return shared_once(tmp_path_factory, "site", _review_build)


def _zensical_build(zensical: Path, folder: Path) -> None:
    project = folder / "review"
    project.mkdir()
    for name in ("mkdocs.yml", "references.bib", "taxonomy.yml"):
        shutil.copy(ROOT / name, project / name)
    for sub in ("content", "overrides"):
        shutil.copytree(ROOT / sub, project / sub)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    proc = subprocess.run(
        [str(zensical), "build"], cwd=project, capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
    assert "error[" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr  # no finding on the review


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review built by Zensical (Markdown extensions only, no plugins), from a copy:
    Zensical writes into the project's own ``site_dir``."""
    zensical = Path(sys.executable).with_name("zensical")
    if not zensical.exists():
        pytest.skip("zensical is not installed (it is in the dev lock)")
    folder = shared_once(tmp_path_factory, "zensical", lambda folder: _zensical_build(zensical, folder))
    return folder / "review" / "site"


def _properdocs_build(site: Path) -> None:
    properdocs = Path(sys.executable).with_name("properdocs")
    proc = subprocess.run(
        [str(properdocs), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review built by ProperDocs, the maintained MkDocs fork, from the same mkdocs.yml."""
    return shared_once(tmp_path_factory, "properdocs-site", _properdocs_build)


GENERATORS = ["mkdocs", "properdocs", "zensical"]


def built_by(request: pytest.FixtureRequest) -> Path:
    """The review as one generator built it (for fixtures parametrized over GENERATORS)."""
    name = "built_site" if request.param == "mkdocs" else f"{request.param}_site"
    built: Path = request.getfixturevalue(name)
    return built


def valid_workflow(path: Path) -> str:
    """A GitHub Actions workflow checked offline against the vendored schema; its text."""
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return path.read_text(encoding="utf-8")


# --- markers and xdist groups, from what each test uses ----------------------------------------

#: Session fixtures that build a whole site: the tests that share one run on one xdist worker.
SHARED_BUILDS = ("many_works", "zensical_site", "properdocs_site", "built_site")
_BUILD_CALLS = {"mkdocs_build", "build_in_process", "build_outcome", "built_by", "litreview", "_run"}


def _local_code(target: object, names: dict[str, object]) -> CodeType | None:
    """The code of ``target`` if it is a function of the module whose globals are ``names``
    (through decorators such as ``contextmanager``)."""
    if not callable(target):
        return None
    function = inspect.unwrap(target)
    code = getattr(function, "__code__", None)
    local = isinstance(code, CodeType) and getattr(function, "__globals__", None) is names
    return code if local else None


def _builds(code: CodeType, names: dict[str, object], seen: set[CodeType]) -> bool:
    """Whether ``code`` (or a function of its module it calls, or a function nested in it) runs
    a subprocess or a build: a static look at the names it uses, so selection needs no run."""
    if code in seen:
        return False
    seen.add(code)
    for name in code.co_names:
        target = names.get(name)
        if target is subprocess or (name in _BUILD_CALLS and (target is None or callable(target))):
            return True
        inner = _local_code(target, names)
        if inner is not None and _builds(inner, names, seen):
            return True
    return any(isinstance(const, CodeType) and _builds(const, names, seen) for const in code.co_consts)


@functools.cache
def _function_builds(func: Callable[..., object]) -> bool:
    """Once per function: a parametrized test's items and every test's fixtures share theirs
    (asked afresh for each of 3,400 items, it was a fifth of a worker's collection)."""
    names: dict[str, object] = getattr(inspect.unwrap(func), "__globals__", {})
    code = _local_code(func, names)
    return code is not None and _builds(code, names, set())


def _fixture_functions(item: pytest.Function) -> Iterator[tuple[str, Callable[..., object]]]:
    for name, definitions in item._fixtureinfo.name2fixturedefs.items():
        for definition in definitions:
            yield name, definition.func


def _shared_build(item: pytest.Function) -> str | None:
    """The session build this test uses, by name or through ``built_by``'s parameter; else its
    module, if a module-scoped fixture of it is shared (each worker would make it again, and
    two ``python -m build`` of one tree at once race on its sdist folder)."""
    for name in SHARED_BUILDS:
        if name in item.fixturenames:
            return name
    params = getattr(getattr(item, "callspec", None), "params", {})
    for name, func in _fixture_functions(item):
        code = getattr(func, "__code__", None)
        if params.get(name) in GENERATORS and isinstance(code, CodeType) and "built_by" in code.co_names:
            return "built_site" if params[name] == "mkdocs" else f"{params[name]}_site"
    module = item.getparent(pytest.Module)
    for definitions in item._fixtureinfo.name2fixturedefs.values():
        if module is not None and any(d.scope == "module" and d.baseid == module.nodeid for d in definitions):
            return module.nodeid
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``browser`` (tests/browser/, or Chromium through Playwright) and ``build`` (a build or a CLI subprocess, directly, in a
    helper of its module or in a fixture) so ``make test-fast`` can leave them out; put the
    tests that share a session build in one xdist group, so ``--dist loadgroup`` builds it once."""
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        if browser_dir in item.path.parents or "browser" in item.fixturenames:  # Playwright's
            item.add_marker(pytest.mark.browser)
        shared = _shared_build(item)
        if shared is not None:
            item.add_marker(pytest.mark.xdist_group(shared))
        functions = [item.obj, *(func for _, func in _fixture_functions(item))]
        if shared is not None or any(_function_builds(func) for func in functions):
            item.add_marker(pytest.mark.build)


def read_file_costs(path: Path) -> dict[str, float]:
    """The recorded seconds of each test file; what is not a file name and a finite number is left out."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        k: float(v)
        for k, v in (recorded.items() if isinstance(recorded, dict) else ())
        if isinstance(v, int | float) and math.isfinite(v)
    }


class _HeaviestFilesFirst:
    """Orders the files costliest first, each file's tests in their own order.

    xdist's loadfile hands out files in this order (with ``--no-loadscope-reorder``; its own
    order is by number of tests, which put the files of 1 to 3 slow tests last, and the run
    ended on one worker while the others were idle). A file's cost is its wall time in the
    last ``make test-cost`` (tests/file_costs.json); a file not in it is estimated from its
    tests: a browser or generated (hypothesis) test about a second, a build half, others less.
    It runs last, after the marks are set and after pytest's own reordering by fixture."""

    def __init__(self) -> None:
        self.recorded = read_file_costs(Path(__file__).parent / "file_costs.json")

    @staticmethod
    def _estimate(item: pytest.Item) -> float:
        if item.get_closest_marker("browser") or getattr(
            getattr(item, "obj", None), "is_hypothesis_test", False
        ):
            return 1.0
        return 0.5 if item.get_closest_marker("build") else 0.02

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # a file's key as make test-cost writes it: its node id (relative to the rootdir, even
        # for a file outside it, where a path would not be)
        cost: dict[Path, float] = {}
        for item in items:
            recorded = self.recorded.get(item.nodeid.split("::")[0])
            cost[item.path] = (
                recorded if recorded is not None else cost.get(item.path, 0.0) + self._estimate(item)
            )
        items.sort(key=lambda item: (-cost[item.path], str(item.path)))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_HeaviestFilesFirst(), "litreview-heaviest-files-first")
    # The cyclic collector took 8-11% of each worker's CPU (perf, whole suite): a worker holds
    # every test module, Hypothesis and the builds' objects, and a young collection ran every
    # 700 new objects. At 7,000 there are a tenth as many (on four files: collector 2.5 s to
    # 1.2 s of 27 s with the freeze below; a worker's peak +30 MB).
    gc.set_threshold(7000, 10, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The imported modules and collected tests live as long as the worker: out of every later
    collection (gc.freeze), which would otherwise walk them all again each time."""
    gc.freeze()
