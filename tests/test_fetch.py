"""Cite by identifier, fetch once into the lock file, build offline (issue 15).

Reported: contributors must type BibTeX by hand, while Manubot's users cite
`[@doi:10.1038/nature14539]` and never write an entry; MyST's DOI fetch crashed builds and was
rate-limited on CI until it gained a cache. Every source is a local stand-in on 127.0.0.1
answering from deep-review's recorded metadata (tests/metaserver.py); nothing here reaches
the network.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_process import base_project, check_json, litreview
from conftest import build_in_process
from corpora import corpus
from litreview.cli import main
from litreview.core.fetch.http import Client, FetchError
from litreview.core.fetch.sources import lookup
from litreview.core.identifiers import lock
from litreview.core.identifiers.citekey import parse
from metaserver import Works, serve, serving

CITED = {
    "doi:10.1038/nature14539": "Deep learning",
    "pmid:27898976": "Development and Validation of a Deep Learning Algorithm",
    "pmcid:PMC5278791": "3D Deep Learning for Multi-modal Imaging-Guided Survival",
    "arxiv:1106.5730": "HOGWILD!: A Lock-Free Approach to Parallelizing",
    "doi:10.1016/S0097-8485(96)80015-5": "",
}
#: Where nothing listens: a build or check that tried a source would fail on it.
DEAD = {
    f"LITREVIEW_{s}_URL": "http://127.0.0.1:9" for s in ("DOI", "PUBMED", "IDCONV", "ARXIV", "OPENLIBRARY")
}


@pytest.fixture(scope="module")
def works() -> Works:
    return Works.from_csl(json.loads((corpus("deep-review") / "references.json").read_text(encoding="utf-8")))


def _cite(project: Path, keys: list[str]) -> None:
    page = project / "docs" / "sections" / "beta.md"
    cites = " ".join(f"[@{{{k}}}]" if "(" in k else f"[@{k}]" for k in keys)
    page.write_text(page.read_text(encoding="utf-8") + f"\nBy identifier: {cites}.\n", encoding="utf-8")


def test_cited_identifiers_are_fetched_once_and_built_offline(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    _cite(project, list(CITED))
    status, findings = check_json(project, monkeypatch, capsys)
    missing = [(f["line"], f["col"], f["message"]) for f in findings if f["code"] == "CIT006"]
    assert status == 1 and len(missing) == 5
    assert missing[0][2] == (
        "no metadata for 'doi:10.1038/nature14539': run `litreview fetch` to look it up and record it "
        "in the lock file (references.lock.json), or add a BibTeX entry with this key"
    )
    with serving(works, monkeypatch) as log:
        monkeypatch.setenv("LITREVIEW_MAILTO", "review@example.org")
        assert main(["fetch"]) == 0
        out = capsys.readouterr().out
        assert "recorded 5 work(s) in references.lock.json" in out
        assert all(
            "litreview/1" in agent and "mailto:review@example.org" in agent for _p, agent in log.requests
        )
        requests = len(log.requests)
        assert main(["fetch"]) == 0  # all there: no request at all
        assert len(log.requests) == requests
        assert "nothing to fetch" in capsys.readouterr().out
    locked = json.loads((project / "references.lock.json").read_text(encoding="utf-8"))
    assert locked["format"] == "litreview-lock/1"
    assert sorted(locked["works"]) == sorted(str(parse(k)) for k in CITED)
    for key, title in CITED.items():
        entry = locked["works"][str(parse(key))]
        assert entry["csl"]["title"].startswith(title) and entry["retrieved"]
    assert locked["works"]["pmc:PMC5278791"]["source"] == "pubmed"
    assert locked["works"]["arxiv:1106.5730"]["csl"]["DOI"] == "10.48550/arXiv.1106.5730"

    for name, value in DEAD.items():
        monkeypatch.setenv(name, value)
    status, findings = check_json(project, monkeypatch, capsys)
    assert [f for f in findings if f["code"] in ("CIT006", "CIT001")] == []
    build_in_process(project / "mkdocs.yml", tmp_path / "site", extra_env=DEAD)
    html = (tmp_path / "site" / "sections" / "beta" / "index.html").read_text(encoding="utf-8")
    assert "HOGWILD!: A Lock-Free Approach" in html and "Deep learning" in html


def test_a_cited_identifier_no_source_knows_is_reported_where_it_is_cited(
    works: Works, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    _cite(
        project,
        [
            "doi:10.1038/nature14539",
            "doi:10.5555/no-such-work",
            "isbn:9780262035613",
            "url:https://example.org/x",
        ],
    )
    with serve(works) as (env, _log):
        proc = litreview(project, "fetch", env_extra=env)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert (
        "docs/sections/beta.md:17:43: error[FET002] doi:10.5555/no-such-work: doi.org knows no DOI 10.5555/no-such-work"
        in lines
    )
    assert any(
        "[FET002] isbn:9780262035613: Open Library has no book 9780262035613" in line for line in lines
    )
    assert any(
        "[FET001] url:https://example.org/x: url: identifiers are not looked up" in line for line in lines
    )
    assert "recorded 1 work(s)" in proc.stdout and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("accession", "outcome"),
    [
        ("10.9999/busy", "Spinal cord stimulation"),  # 429 with Retry-After: 1, then the work
        ("10.9999/flaky", "Spinal cord stimulation"),  # 503, then the work
        ("10.9999/limited", "FetchError: 127.0.0.1 asks to wait 3600 s (HTTP 429); try later"),
        ("10.9999/garbled", "FetchError: doi.org answered with something that is not JSON"),
        ("10.9999/slow", "FetchError: 127.0.0.1: no answer within 1 s after 2 tries"),
        ("10.5555/none", "NotFound: doi.org knows no DOI 10.5555/none"),
        ("10.9999/x(1999)45:2<1::y>3.0.co;2-n#z?q", "Spinal cord stimulation"),  # URL syntax in a DOI
    ],
)
def test_faults_give_a_clear_reason(
    works: Works, accession: str, outcome: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    client = Client(timeout=1.0, retries=1, sleep=waits.append)
    with serve(works) as (env, log):
        monkeypatch.setenv("LITREVIEW_DOI_URL", env["LITREVIEW_DOI_URL"])
        identifier = parse(f"doi:{accession}")
        assert identifier is not None
        try:
            got = lookup(client, identifier)[1]["title"]
        except FetchError as exc:
            got = f"{type(exc).__name__}: {exc}"
        finally:
            client.close()
    assert got.startswith(outcome), got
    if accession.endswith("busy"):
        assert waits[-1] == pytest.approx(1.0, abs=0.01) and len(log.requests) == 2


def test_no_test_reaches_the_network() -> None:
    """pytest-socket lets tests reach 127.0.0.1 only."""
    import socket

    with pytest.raises(Exception, match=r"(?i)socket|host"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_a_damaged_lock_file_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    _cite(project, ["doi:10.1038/nature14539"])
    (project / "references.lock.json").write_text(
        '{"format": "litreview-lock/1", "works": {\n  "doi:10.1038/NATURE14539": {"csl": {"title": "x"}},\n'
        '  "doi:10.1038/nature14539": {"source": "doi.org"}\n}}\n',
        encoding="utf-8",
    )
    status, findings = check_json(project, monkeypatch, capsys)
    assert status == 1
    lock_findings = [(f["path"], f["line"], f["message"]) for f in findings if f["code"] == "LOCK001"]
    assert lock_findings == [
        (
            "references.lock.json",
            2,
            "'doi:10.1038/NATURE14539' is not an identifier in its standard form; left out",
        ),
        ("references.lock.json", 3, "'doi:10.1038/nature14539' has no CSL-JSON item; left out"),
    ]
    assert [f["line"] for f in findings if f["code"] == "CIT006"] == [17]
    (project / "references.lock.json").write_text("{not json", encoding="utf-8")
    status, findings = check_json(project, monkeypatch, capsys)
    assert status == 1
    assert [(f["line"], f["code"]) for f in findings if f["path"] == "references.lock.json"] == [
        (1, "BIB003")
    ]


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=30), inner, max_size=4),
        max_leaves=20,
    )
)
def test_any_lock_content_reads_or_is_reported(data: object) -> None:
    text = json.dumps({"format": "litreview-lock/1", "works": data})
    works, problems = lock.parse(json.loads(text), text, "references.lock.json")
    assert all(p.code == "LOCK001" for p in problems)
    assert all(key == str(parse(key)) for key in works)


def test_refresh_leaves_works_with_bibtex_entries_alone(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    _cite(project, ["doi:10.1038/NATURE14539", "arxiv:1106.5730"])
    with (project / "refs.bib").open("a", encoding="utf-8") as out:
        out.write(
            "\n@article{doi:10.1038/nature14539, author={LeCun, Yann}, title={Deep learning},"
            " journal={Nature}, year={2015}}\n"
        )
    with serving(works, monkeypatch) as log:
        monkeypatch.chdir(project)
        assert main(["fetch", "--refresh"]) == 0
        assert [path for path, _agent in log.requests] == ["/arxiv/query"]
    capsys.readouterr()
    locked = json.loads((project / "references.lock.json").read_text(encoding="utf-8"))
    assert list(locked["works"]) == ["arxiv:1106.5730"]


def test_a_lock_file_changed_during_a_fetch_is_not_overwritten(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from litreview.core.fetch import missing_metadata

    project = base_project(tmp_path)
    _cite(project, ["doi:10.1038/nature14539"])
    lock_file = project / "references.lock.json"
    real = missing_metadata.lookup

    def meanwhile(client: Client, identifier: object) -> object:
        lock_file.write_text(
            '{"format": "litreview-lock/1", "works": {}}\n', encoding="utf-8"
        )  # another fetch
        return real(client, identifier)  # type: ignore[arg-type]

    monkeypatch.setattr(missing_metadata, "lookup", meanwhile)
    with serving(works, monkeypatch):
        monkeypatch.chdir(project)
        assert main(["fetch"]) == 2
    assert "changed while litreview was working on it" in capsys.readouterr().err
    assert lock_file.read_text(encoding="utf-8") == '{"format": "litreview-lock/1", "works": {}}\n'


@pytest.mark.parametrize(
    ("base", "reason"),
    [
        ("http://[::1/doi", "FetchError: cannot ask 'http://[::1/doi/10.1038/nature14539'"),
        ("http://" + "a" * 300 + "/doi", "FetchError: cannot ask 'http://aaaa"),
        ("notascheme://x", "FetchError: x: cannot connect (UnsupportedProtocol) after 1 tries"),
    ],
)
def test_a_base_url_that_cannot_be_asked_is_a_reason(
    base: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITREVIEW_DOI_URL", base)
    client = Client(retries=0, sleep=lambda _s: None)
    identifier = parse("doi:10.1038/nature14539")
    assert identifier is not None
    with pytest.raises(FetchError) as caught:
        lookup(client, identifier)
    client.close()
    assert f"FetchError: {caught.value}".startswith(reason)


def test_build_online_fetches_what_the_lock_file_lacks_then_builds(works: Works, tmp_path: Path) -> None:
    """The issue: the lock file "is written by `litreview fetch`, or by the build with `--online`"."""
    project = base_project(tmp_path)
    _cite(project, ["doi:10.1038/nature14539"])
    offline = litreview(project, "build", env_extra=DEAD)
    assert offline.returncode == 1 and "CIT006" in offline.stderr  # never a hang, never a request
    assert not (project / "site").exists()
    with serve(works) as (env, log):
        online = litreview(project, "build", "--online", env_extra=env)
    assert online.returncode == 0, online.stderr
    assert "recorded 1 work(s) in references.lock.json" in online.stdout and len(log.requests) == 1
    html = (project / "site" / "sections" / "beta" / "index.html").read_text(encoding="utf-8")
    assert "Deep learning" in html


@pytest.mark.parametrize(
    ("cited", "summary"),
    [
        (
            ["doi:10.9999/garbled"],
            "fetched nothing: 1 identifier(s) could not be fetched (references.lock.json unchanged)",
        ),
        (
            ["doi:10.5555/none"],
            "fetched nothing: 1 identifier(s) could not be fetched (references.lock.json unchanged)",
        ),
        (
            ["doi:10.1038/nature14539", "doi:10.5555/none"],
            "recorded 1 work(s) in references.lock.json (2 request(s)): doi:10.1038/nature14539; "
            "1 identifier(s) could not be fetched",
        ),
        ([], "nothing to fetch: every cited identifier has metadata (references.lock.json unchanged)"),
    ],
)
def test_the_summary_agrees_with_the_findings(
    works: Works,
    cited: list[str],
    summary: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Reported: fetch said a source failed, then "nothing to fetch: every cited identifier has metadata"."""
    project = base_project(tmp_path)
    _cite(project, cited)
    with serving(works, monkeypatch) as _log:
        monkeypatch.chdir(project)
        status = main(["fetch"])
    out = capsys.readouterr().out
    assert status == (1 if any("none" in c or "garbled" in c for c in cited) else 0)
    assert out.rstrip("\n").splitlines()[-1] == summary, out
