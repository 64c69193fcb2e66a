"""Servers cannot hang or flood the commands that ask them (issue 26).

Reported: `fetch` and `add` read a whole answer into memory, so a server whose body never
ends ran them out of memory (3 GB in 3.3 s, then a MemoryError traceback); and httpx's
timeout is per read, so a server sending one byte every 2 s kept `fetch` waiting 150 s and
`verify` 90 s. Each command now reads at most 10 MiB of an answer and gives a whole answer
a deadline (``LITREVIEW_HTTP_DEADLINE`` lowers it here, so the drip test takes seconds).
The commands run as real processes under an address-space limit of 1.5 GiB; the stand-in
servers are local (tests/metaserver.py: ``endless``, ``drip``).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import linkserver
from cli_process import base_project, litreview
from corpora import corpus
from metaserver import DRIP_BYTES, DRIP_SECONDS, FAULT_WORK, Works, serve

MEMORY = 1536 * 1024**2
#: The drip's whole answer takes this long; each command must end well before it.
DRIP_TOTAL = DRIP_BYTES * DRIP_SECONDS
DEADLINE = {"LITREVIEW_HTTP_DEADLINE": "2"}


@pytest.fixture(scope="module")
def works() -> Works:
    return Works.from_csl(json.loads((corpus("deep-review") / "references.json").read_text(encoding="utf-8")))


def _said(fault: str) -> str:
    return "answer larger than 10 MiB" if fault == "endless" else "no whole answer within 2 s"


def _cite(project: Path, doi: str) -> None:
    page = project / "docs" / "sections" / "beta.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nBy identifier: [@doi:{doi}].\n", encoding="utf-8")


@pytest.mark.parametrize("fault", ["endless", "drip"])
def test_fetch_reads_a_bounded_answer_within_a_deadline(works: Works, fault: str, tmp_path: Path) -> None:
    project = base_project(tmp_path)
    _cite(project, f"10.9999/{fault}")
    with serve(works) as (env, _log):
        proc = litreview(
            project, "fetch", memory=MEMORY, timeout=DRIP_TOTAL / 2, env_extra={**env, **DEADLINE}
        )
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1
    said = proc.stdout + proc.stderr
    assert f"error[FET001] doi:10.9999/{fault}: " in said and _said(fault) in said
    assert not (project / "references.lock.json").exists()


@pytest.mark.parametrize("fault", ["endless", "drip"])
def test_add_reads_a_bounded_answer_within_a_deadline(works: Works, fault: str, tmp_path: Path) -> None:
    project = base_project(tmp_path)
    before = (project / "refs.bib").read_bytes()
    with serve(works) as (env, _log):
        proc = litreview(
            project,
            "add",
            f"10.9999/{fault}",
            memory=MEMORY,
            timeout=DRIP_TOTAL / 2,
            env_extra={**env, **DEADLINE},
        )
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1
    assert f"error[FET001] doi:10.9999/{fault}: " in proc.stderr and _said(fault) in proc.stderr
    assert (project / "refs.bib").read_bytes() == before


@pytest.mark.parametrize("fault", ["endless", "drip"])
def test_verify_reads_a_bounded_answer_within_a_deadline(works: Works, fault: str, tmp_path: Path) -> None:
    project = base_project(tmp_path)
    (project / "refs.json").write_text(
        json.dumps([{**FAULT_WORK, "DOI": f"10.9999/{fault}", "id": "kumar2007"}]), encoding="utf-8"
    )
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("bibliography: refs.bib", "bibliography: refs.json"),
        encoding="utf-8",
    )
    with serve(works) as (env, _log):
        proc = litreview(
            project,
            "verify",
            "--sources",
            "crossref",
            memory=MEMORY,
            timeout=DRIP_TOTAL / 2,
            env_extra={**env, **DEADLINE},
        )
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 0  # a source that failed is a warning (VER005)
    said = proc.stdout + proc.stderr
    assert "warning[VER005] kumar2007: not verified, a source failed: crossref: " in said
    assert _said(fault) in said


_LINKCHECK = """
import sys
from litreview.core.site import external as ext
urls = sys.argv[1:]
results = ext.check_urls(urls, ext.Options(timeout=5, retries=0), ext.SuccessCache(None, 0))
for url in urls:
    print(url, results[url].ok, results[url].status, results[url].moved_to)
"""


def test_the_link_check_reads_no_body_and_no_redirects_body() -> None:
    """httpx read a redirect's body whole before following it; a page's body is never needed."""
    with linkserver.serve() as (base, _log):
        urls = [f"{base}/endless", f"{base}/endless-moved"]
        proc = subprocess.run(
            [sys.executable, "-c", _LINKCHECK, *urls],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY)),
        )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stdout.splitlines() == [
        f"{base}/endless True 200 ",
        f"{base}/endless-moved True 200 {base}/ok",
    ]
