"""`litreview verify`: each entry against the record of its work, a verdict per entry (issue 15).

Reported: invented references are the live problem of review writing (typed from memory,
copied from other papers' lists, made up by tools), and nothing told a reader whether a cited
work exists and says what the entry claims. Every source here is a local stand-in on
127.0.0.1 answering from deep-review's recorded metadata (tests/metaserver.py).
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_process import base_project
from corpora import corpus
from labelled import verify_set
from litreview.cli import main
from litreview.core.bibliography import verdicts
from litreview.core.fetch.http import Client
from litreview.core.project.config import load_project
from litreview.core.verify.verification import verify
from metaserver import FAULT_WORK, Works, serving

DEAD = {
    f"LITREVIEW_{s}_URL": "http://127.0.0.1:9"
    for s in ("DOI", "PUBMED", "IDCONV", "ARXIV", "OPENLIBRARY", "CROSSREF", "OPENALEX")
}


def _items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(
        (corpus("deep-review") / "references.json").read_text(encoding="utf-8")
    )
    return items


@pytest.fixture(scope="module")
def works() -> Works:
    return Works.from_csl(_items())


def _by_doi(doi: str) -> dict[str, Any]:
    return next(i for i in _items() if str(i.get("DOI", "")).lower() == doi.lower())


def _entry(item: dict[str, Any], key: str, doi: bool = True, **changed: Any) -> dict[str, Any]:
    """A CSL-JSON entry of ``item``: no identifier to look it up by but its DOI, if ``doi``."""
    out = {k: v for k, v in item.items() if k not in ("DOI", "URL", "PMID", "PMCID", "note")}
    if doi:
        out["DOI"] = item["DOI"]
    return {**out, **changed, "id": key}


def _project(tmp_path: Path, entries: list[dict[str, Any]], options: str = "") -> Path:
    project = base_project(tmp_path)
    (project / "refs.json").write_text(json.dumps(entries), encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("bibliography: refs.bib", "bibliography: refs.json")
    config.write_text(text.replace("      taxonomy:", options + "      taxonomy:"), encoding="utf-8")
    return project


DEEP = "10.1038/nature14539"  # LeCun, Bengio, Hinton: Deep learning (Nature 2015)
GULSHAN = "10.1001/jama.2016.17216"


def _verify_json(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, *args: str) -> tuple[int, Any]:
    monkeypatch.chdir(project)
    status = main(["verify", "--format", "json", *args])
    return status, json.loads(capsys.readouterr().out)


def test_each_status_with_what_it_rests_on(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    deep, gulshan = _by_doi(DEEP), _by_doi(GULSHAN)
    project = _project(
        tmp_path,
        [
            _entry(deep, "lecun2015"),
            _entry(gulshan, "gulshan2016", doi=False),  # found by search, its DOI given back
            _entry(deep, "lecun2019", issued={"date-parts": [[2019]]}),
            _entry(deep, "madeup", doi=False, title="Quantum widgets relieve allodynia in zebra finches"),
            _entry(gulshan, "retracted", doi=True),
        ],
    )
    works.retracted = {GULSHAN: "10.9999/retraction-notice"}
    try:
        with serving(works, monkeypatch) as log:
            status, rows = _verify_json(project, monkeypatch, capsys)
    finally:
        works.retracted = {}
    assert status == 1
    by_key = {r["key"]: r for r in rows}
    assert {k: r["status"] for k, r in by_key.items()} == {
        "lecun2015": "verified",
        "gulshan2016": "retracted",  # the same work, found without its DOI
        "lecun2019": "mismatch",
        "madeup": "not-found",
        "retracted": "retracted",
    }
    assert by_key["lecun2015"]["doi"] == DEEP and by_key["lecun2015"]["source"] == "crossref"
    assert by_key["gulshan2016"]["doi"].lower() == GULSHAN
    assert by_key["lecun2019"]["differences"] == [{"field": "year", "entry": "2019", "record": "2015"}]
    assert by_key["retracted"]["notice"] == "https://doi.org/10.9999/retraction-notice"
    assert all(set(r) >= {"key", "status", "doi", "source", "differences"} for r in rows)
    # the searches answered (they always do); no hit was taken for its rank
    assert any(path == "/crossref/works" for path, _agent in log.requests)


def _cli(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    """``litreview ARGS`` run in ``project`` in this process, as the command line runs it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        try:
            status = main(list(args))
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else 1
    said = capsys.readouterr()
    return subprocess.CompletedProcess(["litreview", *args], status, said.out, said.err)


def test_text_output_points_at_the_entry_and_validation_lowers_it(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through ``main`` (its return is the exit status): the subject is the output's form;
    verify as a process is test_an_empty_bibliography_keys_and_sources_are_handled."""
    deep = _by_doi(DEEP)
    project = _project(
        tmp_path,
        [_entry(deep, "lecun2015", page="999")],
        options="      validation: {VER001: warn}\n",
    )
    with serving(works, monkeypatch):
        proc = _cli(project, capsys, "verify")
        github = _cli(project, capsys, "verify", "--format", "github", "--refresh")
    assert proc.returncode == 0, proc.stderr  # lowered to a warning
    assert proc.stdout.splitlines() == [
        "refs.json:1:1: warning[VER001] lecun2015: the entry differs from the record "
        f"(crossref, doi:{DEEP}): pages: '999' in the entry, '436' in the record"
    ]
    assert "0 error(s), 1 warning(s)" in proc.stderr and "1 mismatch" in proc.stderr
    assert github.returncode == 0, github.stderr
    assert github.stdout.startswith("::warning file=refs.json,line=1,col=1,title=VER001::lecun2015:")


def test_the_cache_answers_until_an_entry_changes_and_offline_asks_nobody(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    deep, gulshan = _by_doi(DEEP), _by_doi(GULSHAN)
    entries = [_entry(deep, "lecun2015"), _entry(gulshan, "gulshan2016")]
    project = _project(tmp_path, entries)
    with serving(works, monkeypatch) as log:
        assert _verify_json(project, monkeypatch, capsys)[0] == 0
        first = len(log.requests)
        assert _verify_json(project, monkeypatch, capsys)[0] == 0
        assert len(log.requests) == first  # every verdict from the cache
        entries[1]["volume"] = "999"  # an edit: that entry alone is checked again
        (project / "refs.json").write_text(json.dumps(entries), encoding="utf-8")
        status, rows = _verify_json(project, monkeypatch, capsys)
        assert status == 1 and len(log.requests) == first + 1
        assert [r["status"] for r in rows] == ["verified", "mismatch"]
    cached = json.loads((project / "references.verified.json").read_text(encoding="utf-8"))
    assert cached["format"] == "litreview-verified/1"
    assert sorted(v["key"] for v in cached["entries"].values()) == ["gulshan2016", "lecun2015"]

    entries.append(_entry(deep, "later", title="Deep learning, again"))
    (project / "refs.json").write_text(json.dumps(entries), encoding="utf-8")
    for name, value in DEAD.items():
        monkeypatch.setenv(name, value)
    before = (project / "references.verified.json").read_bytes()
    status, rows = _verify_json(project, monkeypatch, capsys, "--offline")
    assert [r["status"] for r in rows] == ["verified", "mismatch", "unchecked"]
    assert (project / "references.verified.json").read_bytes() == before  # offline writes nothing


def test_errors_are_never_cached_and_not_found_expires(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = _by_doi(DEEP)
    entries = [
        _entry(deep, "outage", doi=False, title="OUTAGE of the deep learning record"),
        _entry(deep, "nosuch", doi=False, title="Quantum widgets relieve allodynia in zebra finches"),
    ]
    project = _project(tmp_path, entries, options="      recheck_not_found: 7\n")
    with serving(works, monkeypatch):
        loaded = load_project(project / "mkdocs.yml")
        day = datetime.date(2026, 1, 1)
        client = Client(retries=0)
        result = verify(loaded, client, sources=("crossref",), today=day)
        assert [(v.key, v.status) for v in result.verdicts] == [("outage", "error"), ("nosuch", "not-found")]
        assert "crossref: 127.0.0.1: HTTP 503 after 1 tries" in result.verdicts[0].message
        kept = json.loads((project / "references.verified.json").read_text(encoding="utf-8"))["entries"]
        assert [v["key"] for v in kept.values()] == ["nosuch"]  # the error is not kept
        asked = client.requests
        again = verify(loaded, client, sources=("crossref",), today=day + datetime.timedelta(days=6))
        assert again.from_cache == 1 and client.requests == asked + 1  # only the error is asked again
        later = verify(loaded, client, sources=("crossref",), today=day + datetime.timedelta(days=7))
        assert later.from_cache == 0 and client.requests == asked + 3
        client.close()


def test_several_equally_good_candidates_are_ambiguous(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = _by_doi(DEEP)
    twin = {**deep, "DOI": "10.5555/deep-learning-reprint"}  # the same work registered twice
    both = Works.from_csl([*_items(), twin])
    project = _project(tmp_path, [_entry(deep, "lecun", doi=False, volume="", page="")])
    with serving(both, monkeypatch):
        status, rows = _verify_json(project, monkeypatch, capsys)
    assert status == 0 and rows[0]["status"] == "ambiguous"  # a warning: add the DOI meant
    assert DEEP in rows[0]["message"] and "10.5555/deep-learning-reprint" in rows[0]["message"]


@pytest.mark.parametrize(
    ("doi", "status", "said"),
    [
        ("10.9999/busy", "verified", ""),  # 429 with Retry-After: 1, then the work
        ("10.9999/flaky", "verified", ""),  # 503, then the work
        ("10.9999/garbled", "error", "crossref: Crossref answered with something that is not JSON"),
        ("10.9999/slow", "error", "crossref: 127.0.0.1: no answer within 1 s after 2 tries"),
        ("10.9999/limited", "error", "asks to wait 3600 s (HTTP 429); try later"),
        ("10.9999/x(1999)45:2<1::y>3.0.co;2-n#z?q", "verified", ""),
        ("10.9999/spinal-ü-ñ", "verified", ""),
    ],
)
def test_faults_give_a_status_and_a_reason(
    works: Works, doi: str, status: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path, [{**FAULT_WORK, "DOI": doi, "id": "kumar2007"}])
    with serving(works, monkeypatch):
        client = Client(timeout=1.0, retries=1, sleep=lambda _s: None)
        result = verify(load_project(project / "mkdocs.yml"), client, sources=("crossref",))
        client.close()
    verdict = result.verdicts[0]
    assert (verdict.status, verdict.doi if status == "verified" else "") == (
        status,
        doi if status == "verified" else "",
    )
    assert said in verdict.message


def test_an_empty_bibliography_keys_and_sources_are_handled(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, [])
    with serving(works, monkeypatch):
        empty = _cli(project, capsys, "verify")
        unknown = _cli(project, capsys, "verify", "nosuch")
        sources = _cli(project, capsys, "verify", "--sources", "crossref,scholar")
    assert empty.returncode == 0 and "no entries (0 from the cache, 0 request(s))" in empty.stderr
    assert unknown.returncode == 2
    assert "mkdocs.yml:0:0: error[VER008] no entry 'nosuch' in the bibliography" in unknown.stderr
    assert sources.returncode == 2 and "--sources: unknown scholar" in sources.stderr
    assert all("Traceback" not in p.stderr for p in (empty, unknown, sources))


def test_identifier_citations_are_verified_from_the_lock_file(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    page = project / "docs" / "sections" / "beta.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nBy DOI [@doi:{DEEP}].\n", encoding="utf-8")
    with serving(works, monkeypatch):
        monkeypatch.chdir(project)
        assert main(["fetch"]) == 0
        capsys.readouterr()
        _status, rows = _verify_json(project, monkeypatch, capsys, f"doi:{DEEP}")
    assert rows == [
        {
            "key": f"doi:{DEEP}",
            "status": "verified",
            "doi": DEEP,
            "source": "crossref",
            "differences": [],
            "notice": "",
            "checked": datetime.date.today().isoformat(),
            "message": "",
        }
    ]


@given(
    st.recursive(
        st.none() | st.booleans() | st.text(max_size=5) | st.integers(),
        lambda c: st.lists(c) | st.dictionaries(st.text(max_size=8), c),
        max_leaves=20,
    )
)
def test_any_verdict_cache_reads_or_is_reported(data: object) -> None:
    for shaped in (
        data,
        {"format": verdicts.FORMAT, "entries": data},
        {"format": verdicts.FORMAT, "entries": {"h": data}},
    ):
        found, problems = verdicts.read_data(shaped, "v.json")
        assert all(isinstance(v, verdicts.Verdict) for v in found.values())
        assert all(p.code == "VER007" for p in problems)


def test_verify_end_to_end_on_a_labelled_set(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every 6th work of deep-review (bench/verify_compare.py runs them all): the floors."""
    entries, retracted = verify_set(corpus("deep-review") / "references.json", every=6)
    project = _project(tmp_path, [e.item for e in entries])
    marked = Works.from_csl(_items())
    marked.retracted = retracted
    with serving(marked, monkeypatch):
        client = Client()
        result = verify(load_project(project / "mkdocs.yml"), client)
        client.close()
    kind = {e.key: e.kind for e in entries}
    outcome = Counter((kind[v.key], v.status) for v in result.verdicts)
    verified = sum(n for (k, s), n in outcome.items() if s == "verified")
    true = outcome[("positive", "verified")]
    positives = sum(n for (k, _s), n in outcome.items() if k == "positive")
    assert true / verified >= 0.98 and true / positives >= 0.90, outcome
    fabricated = [s for (k, s), n in outcome.items() for _ in range(n) if k in ("fabricated", "invented")]
    assert fabricated and fabricated.count("verified") <= 0.05 * len(fabricated)
    assert outcome[("retracted", "retracted")] == sum(1 for e in entries if e.kind == "retracted") > 0
    assert result.requests <= 3 * len(entries)


def test_a_damaged_verdict_cache_is_reported_and_replaced(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, [_entry(_by_doi(DEEP), "lecun2015")])
    cache = project / "references.verified.json"
    cache.write_text('{"format": "litreview-verified/1", "entries": {"abc": {"status": "verified"}}}')
    with serving(works, monkeypatch):
        monkeypatch.chdir(project)
        shutil.copy(cache, tmp_path / "damaged.json")
        assert main(["verify"]) == 0
        text = capsys.readouterr()
        shutil.copy(tmp_path / "damaged.json", cache)
        assert main(["verify", "--format", "json"]) == 0
        as_json = capsys.readouterr()
    assert "references.verified.json:1:1: warning[VER007] malformed verdicts left out: abc" in text.out
    assert "warning[VER007] malformed verdicts left out: abc" in as_json.err
    assert json.loads(as_json.out)[0]["status"] == "verified"
    assert [v["key"] for v in json.loads(cache.read_text())["entries"].values()] == ["lecun2015"]


def test_deep_reviews_own_bibliography_verifies_but_its_web_pages(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real data: Manubot's 615 works as its references.json gives them. Found on it: arXiv
    ids looked up without their version, names given whole ({"literal": "Yifan Peng"}) against
    a record's family name, blog posts called not-found, NeurIPS papers with no DOI."""
    project = base_project(tmp_path)
    (project / "refs.json").write_bytes((corpus("deep-review") / "references.json").read_bytes())
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("refs.bib", "refs.json"), encoding="utf-8")
    with serving(works, monkeypatch):
        client = Client()
        result = verify(load_project(config), client)
        client.close()
    statuses = Counter(v.status for v in result.verdicts)
    assert statuses == {"verified": 590, "unchecked": 25}, statuses
    web = [v for v in result.verdicts if v.status == "unchecked"]
    reasons = Counter(v.message.split(":")[0].split(",")[0] for v in web)
    assert reasons == {"a web page": 24, "nothing to look it up by": 1}, reasons
    assert result.requests <= len(result.verdicts) + 10


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("yifan peng", "peng", True),  # given whole vs a family name
        ("the encode project consortium", "consortium", True),
        ("garcia marquez", "garcia", True),
        ("van dijk", "van berg", False),  # a particle is no match
        ("smith", "smithson", False),
    ],
)
def test_family_names_given_in_different_forms(a: str, b: str, same: bool) -> None:
    from litreview.core.verify.compare import same_family

    assert same_family(a, b) is same


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
_FIELDS = (
    st.sampled_from(["title", "author", "issued", "container-title", "volume", "page", "DOI", "updated-by"])
    | st.sampled_from(
        ["authorships", "biblio", "primary_location", "publication_year", "is_retracted", "doi"]
    )
    | st.sampled_from(["authors", "articleids", "pubdate", "fulljournalname", "pubtype"])
)


@given(st.dictionaries(_FIELDS, _JSON, max_size=6))
def test_any_record_a_source_sends_is_judged_without_a_crash(message: dict[str, Any]) -> None:
    """A source's answer is untrusted input: whatever shape its fields take, a verdict."""
    from litreview.core.fetch import sources
    from litreview.core.verify import decide, source_records
    from litreview.core.verify.compare import WorkFacts

    entry = WorkFacts(title="Deep learning", families=("lecun",), year="2015", journal="Nature")
    esummary = source_records.Record(
        "pubmed", sources.from_esummary("1", {**message, "title": "Deep learning"})
    )
    for record in (source_records.from_crossref(message), source_records.from_openalex(message), esummary):
        verdict = decide.choose("k", entry, [record], "2026-11-26")
        assert verdict is None or verdict.status in verdicts.STATUSES


def test_iridias_entries_of_works_deep_review_also_cites_verify(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real data: six of IRIDIA's 3,305 hand-kept entries are works the stand-ins hold; two read
    as mismatches on their venue ("Arxiv preprint arXiv:1609.08144 [cs.CL]", a NIPS volume
    named as the proceedings' full title) until venues named two ways were told apart."""
    iridia = Path(__file__).parent / "fixtures" / "iridia"
    names = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# IRIDIA\n", encoding="utf-8")
    files = "".join(f"        - {iridia / name}\n" for name in names)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"site_name: IRIDIA\nplugins:\n  - litreview:\n      bibliography:\n{files}", encoding="utf-8"
    )
    keys = ["BerBen2012jmlr", "LeCBenHin2015nature", "MaaHin2008tsne", "StoMcNutBai2016enhancing"]
    keys += ["WuSchCheLeNorMacKriCaoGaoMac2016gnmt", "BerBarBen2011nips"]
    with serving(works, monkeypatch):
        client = Client()
        result = verify(load_project(config), client, keys)
        client.close()
    assert {v.key: v.status for v in result.verdicts} == dict.fromkeys(keys, "verified")


#: (identifier given, sources asked, arXiv reachable) → the verdict on a true entry of
#: LeCun et al. (Nature 2015) that carries that identifier instead of its DOI (issue 28 §4:
#: `verify --sources crossref` called every published article carrying its preprint's eprint a
#: mismatch, "identifier: 2502.06637 vs 10.1140/epjc/…", half of all true entries).
_KINDS = [
    # another kind of identifier than the record's DOI, never asked about: no evidence
    pytest.param(
        {"URL": "https://arxiv.org/abs/2502.06637"}, ("crossref",), True, "verified", id="arxiv-not-asked"
    ),
    pytest.param({"PMID": "99999999"}, ("crossref",), True, "verified", id="pmid-not-asked"),
    # asked, and arXiv failed: unchecked, still no evidence
    pytest.param(
        {"URL": "https://arxiv.org/abs/2502.06637"},
        ("crossref", "arxiv"),
        False,
        "verified",
        id="arxiv-failed",
    ),
    # asked, and arXiv does not know the id: the entry's identifier is wrong
    pytest.param(
        {"URL": "https://arxiv.org/abs/2502.06637"},
        ("crossref", "arxiv"),
        True,
        ("2502.06637", "(none)"),
        id="arxiv-unknown",
    ),
    # a DOI Crossref does not know, against the record's DOI: the same kind, a conflict
    pytest.param(
        {"DOI": "10.9999/not.this.one"}, ("crossref",), True, ("10.9999/not.this.one", DEEP), id="doi-unknown"
    ),
]


@pytest.mark.parametrize(("given", "sources", "arxiv_up", "status"), _KINDS)
def test_identifiers_conflict_only_with_identifiers_of_their_kind(
    works: Works,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    given: dict[str, str],
    sources: tuple[str, ...],
    arxiv_up: bool,
    status: str | tuple[str, str],
) -> None:
    """A verified verdict says which identifier went unchecked; a mismatch names both identifiers."""
    project = _project(tmp_path, [{**_entry(_by_doi(DEEP), "lecun2015", doi=False), **given}])
    with serving(works, monkeypatch):
        if not arxiv_up:
            monkeypatch.setenv("LITREVIEW_ARXIV_URL", "http://127.0.0.1:9")
        client = Client(timeout=1.0, retries=1, sleep=lambda _s: None)
        result = verify(load_project(project / "mkdocs.yml"), client, sources=sources)
        client.close()
    [verdict] = result.verdicts
    if status == "verified":
        assert (verdict.status, verdict.doi, verdict.differences) == ("verified", DEEP, ()), verdict
        assert "not checked" in verdict.message
    else:
        assert (verdict.status, verdict.differences) == ("mismatch", (("identifier", *status),)), verdict


def test_a_malformed_verdict_is_reported_at_its_line(tmp_path: Path) -> None:
    """Reported: a verdict whose status is a list crashed verify --offline and the build."""
    good = verdicts.Verdict("ada2020", "verified", checked="2024-01-01").as_json()
    entries = {"a" * 20: good, "b" * 20: {**good, "status": ["verified"]}, "c" * 20: {**good, "key": 1}}
    path = tmp_path / "references.verified.json"
    path.write_text(json.dumps({"format": verdicts.FORMAT, "entries": entries}, indent=2), encoding="utf-8")
    found, problems = verdicts.read(path, "references.verified.json")
    assert list(found) == ["a" * 20]
    line = path.read_text(encoding="utf-8").splitlines().index(f'    "{"b" * 20}": {{') + 1
    assert [(p.line, p.col, p.code, p.message) for p in problems] == [
        (line, 5, "VER007", f"malformed verdicts left out: {'b' * 20}, {'c' * 20}")
    ]
