"""`litreview linkcheck`: internal links of the built site, and external links against a local server."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, build_in_process
from linkserver import serve
from litreview.cli import main
from litreview.core.findings.problems import Problem
from litreview.core.site import external as ext
from litreview.core.site.built_pages import parse_page

CHECKS = Path(__file__).parent / "checks"


def test_the_review_site_has_no_broken_links(built_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["linkcheck", str(built_site), "-f", str(ROOT / "mkdocs.yml")]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("0 error(s), 0 warning(s)\nchecked 17 page(s), ")


def _built_base(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(CHECKS / "base", project)
    (project / "docs" / "figure.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg'/>\n", encoding="utf-8"
    )
    alpha = project / "docs" / "sections" / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8") + "\n![A figure](../figure.svg)\n", encoding="utf-8")
    build_in_process(project / "mkdocs.yml", project / "site")
    return project


def test_broken_output_links_map_back_to_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _built_base(tmp_path)
    monkeypatch.chdir(project)
    assert main(["linkcheck"]) == 0
    capsys.readouterr()
    (project / "site" / "figure.svg").unlink()  # lost after the build, e.g. by a deploy step
    page = project / "site" / "sections" / "beta" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace('id="how-it-arises"', 'id="how-it-arose"'), "utf-8"
    )
    assert main(["linkcheck"]) == 1
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[:2] == [
        "docs/index.md:9:41: error[SITE002] index.html: broken link → sections/beta/#how-it-arises (no such anchor)",
        "docs/sections/alpha.md:17:1: error[SITE001] sections/alpha/index.html: broken link → ../../figure.svg "
        "(no such file)",
    ]
    # The theme's own links to the heading (table of contents, permalink) have no Markdown line.
    assert len(lines) == 4
    assert all(
        line.startswith("site/sections/beta/index.html:")
        and line.endswith(
            "error[SITE002] sections/beta/index.html: broken link → #how-it-arises (no such anchor)"
        )
        for line in lines[2:]
    )


def test_unmapped_findings_point_into_the_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<p id="top">\n<a href="a/">ok</a> <a href="#top">ok</a> <a href="a/#nope">bad</a>\n'
        '<img src="missing.png"> <a href="mailto:x@example.org">mail</a> <a href="#">top</a></p>\n',
        encoding="utf-8",
    )
    (site / "a" / "index.html").write_text('<a href="../index.html#top">up</a>\n', encoding="utf-8")
    assert main(["linkcheck", str(site), "-f", str(tmp_path / "none.yml")]) == 2
    capsys.readouterr()
    assert main(["linkcheck", str(site)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{site}/index.html:2:43: error[SITE002] index.html: broken link → a/#nope (no such anchor)",
        f"{site}/index.html:3:1: error[SITE001] index.html: broken link → missing.png (no such file)",
    ]
    assert err.endswith("checked 2 page(s), 5 internal link(s)\n")


def test_missing_site_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["linkcheck", str(tmp_path / "nowhere")]) == 2
    assert "no built site here" in capsys.readouterr().err


def test_html_parser_collects_ids_and_links() -> None:
    page = parse_page('<a name="old"></a><h2 id="x">X</h2>\n<img src="i.png"><link href="s.css">')
    assert page.ids == {"old", "x"}
    assert [(link.url, link.line, link.tag) for link in page.links] == [
        ("i.png", 2, "img"),
        ("s.css", 2, "link"),
    ]


# --- external links, against a server on 127.0.0.1 -------------------------------------------

FAST = ext.ExternalCheckOptions(timeout=1.0, per_host=2, interval=0.05, retries=1, max_retry_after=5.0)


def test_external_statuses() -> None:
    with serve() as (base, log):
        paths = ["/ok", "/moved", "/missing", "/busy", "/slow", "/no-head"]
        results = ext.check_urls([base + p for p in paths], FAST, ext.SuccessCache(None, FAST.max_age))
        got = {
            p: (r.ok, r.status, r.moved_to.replace(base, ""))
            for p, r in zip(paths, results.values(), strict=True)
        }
        assert got == {
            "/ok": (True, "200", ""),
            "/moved": (True, "200", "/ok"),
            "/missing": (False, "404", ""),
            "/busy": (True, "200", ""),
            "/slow": (False, "timeout after 1 s", ""),
            "/no-head": (True, "200", ""),
        }
        busy = [t for method, path, t, _n in log.requests if path == "/busy"]
        assert len(busy) == 2 and busy[1] - busy[0] >= 1.0  # waited as Retry-After asked
        assert [m for m, path, _t, _n in log.requests if path == "/no-head"] == ["HEAD", "GET"]
        assert [m for m, path, _t, _n in log.requests if path == "/missing"] == ["HEAD"]  # 404 is final


def test_per_host_concurrency() -> None:
    """Counted where the checker sends: a server thread logs a request's end only after the
    client has its answer, so counting at the server sees a third request now and then."""
    transport = _CountingTransport()
    options = ext.ExternalCheckOptions(timeout=2.0, per_host=2, interval=0.001, retries=0)
    urls = [f"https://one.test/page{i}" for i in range(12)]
    results = ext.check_urls(urls, options, ext.SuccessCache(None, 60), transport=transport)
    assert all(r.ok for r in results.values())
    assert transport.most == 2


class _StartTimes(httpx.AsyncBaseTransport):
    """Records when each request leaves the checker, on the event loop's clock (no network)."""

    def __init__(self) -> None:
        self.starts: list[float] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.starts.append(asyncio.get_running_loop().time())
        await asyncio.sleep(0.01)
        return httpx.Response(200, request=request)


def test_per_host_interval() -> None:
    """Measured where the checker sends, not where a busy server thread happens to log arrival.

    Only a lower bound is asserted: the i-th request to a host leaves no earlier than i
    intervals after the check began. A loaded machine only makes requests later, so this holds
    under any load (gaps between two sends did not: one late send shortens the next gap, as a
    CI run under load found, 0.033 s for 0.05 s), and it fails if the interval is not kept.
    """
    transport = _StartTimes()
    options = ext.ExternalCheckOptions(timeout=2.0, per_host=2, interval=0.05, retries=0)
    urls = [f"https://one.test/page{i}" for i in range(12)]
    began = time.monotonic()  # the event loop's clock
    ext.check_urls(urls, options, ext.SuccessCache(None, 60), transport)
    starts = sorted(transport.starts)
    assert len(starts) == 12
    early = [(i, round(t - began, 4)) for i, t in enumerate(starts) if t - began < i * 0.05 - 0.002]
    assert early == []


def test_cache_keeps_successes_only_and_ages_them(tmp_path: Path) -> None:
    cache_file = tmp_path / "links.json"
    with serve() as (base, log):
        urls = [f"{base}/ok", f"{base}/missing"]
        cache = ext.SuccessCache(cache_file, max_age=3600, now=1000.0)
        ext.check_urls(urls, FAST, cache)
        cache.save()
        assert json.loads(cache_file.read_text(encoding="utf-8")) == {"ok": {f"{base}/ok": 1000.0}}

        log.requests.clear()
        second = ext.check_urls(urls, FAST, ext.SuccessCache(cache_file, max_age=3600, now=2000.0))
        assert log.paths() == ["/missing"]  # the success is trusted, the failure checked again
        assert second[f"{base}/ok"].cached

        log.requests.clear()
        ext.check_urls(urls, FAST, ext.SuccessCache(cache_file, max_age=3600, now=1000.0 + 3601))
        assert sorted(log.paths()) == ["/missing", "/ok"]  # too old: checked again


def test_retry_after_forms() -> None:
    now = time.time()
    assert ext.retry_after("7", now) == 7.0
    http_date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 30))
    wait = ext.retry_after(http_date, now)
    assert wait is not None and 28 <= wait <= 31
    assert ext.retry_after("soon", now) is None and ext.retry_after(None, now) is None


def test_linkcheck_external_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with serve() as (base, _log):
        site = tmp_path / "site"
        site.mkdir()
        (site / "index.html").write_text(
            f'<a href="{base}/ok">a</a>\n<a href="{base}/missing">b</a>\n<a href="{base}/moved">c</a>\n'
            f'<a href="{base}/skipped">d</a>\n',
            encoding="utf-8",
        )
        summary = tmp_path / "summary.md"
        args = ["linkcheck", str(site), "--external", "--timeout", "2", "--exclude", "/skipped$"]
        assert main([*args, "--cache", str(tmp_path / "c.json"), "--summary", str(summary)]) == 1
        out, _ = capsys.readouterr()
        assert out.splitlines() == [
            f"{site}/index.html:2:1: error[EXT001] index.html: broken link → {base}/missing (404)",
            f"{site}/index.html:3:1: warning[EXT003] index.html: {base}/moved moved permanently → {base}/ok",
        ]
        text = summary.read_text(encoding="utf-8")
        assert "3 external URLs: **1 broken**" in text and f"{base}/missing (404)" in text

    # Offline: nothing is fetched; the cached success passes, the rest is reported unchecked.
    assert main([*args, "--offline", "--cache", str(tmp_path / "c.json")]) == 0
    out, _ = capsys.readouterr()
    assert [line.split("] ")[0] for line in out.splitlines()] == [
        f"{site}/index.html:2:1: warning[EXT002",
        f"{site}/index.html:3:1: warning[EXT002",
    ]


def test_problem_text_is_stable() -> None:
    p = Problem("a.md", 1, 2, "EXT001", "x: broken link → https://example.org (404)")
    assert p.format() == "a.md:1:2: error[EXT001] x: broken link → https://example.org (404)"


# --- malformed URLs and load (issue 11) ----------------------------------------------------------


def test_malformed_urls_are_findings_not_crashes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    site.mkdir()
    links = [
        "http://[::1/x",
        "//[::1/y",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1:abc/",
        "http:///nohost",
    ]
    body = "".join(f'<a href="{u}">x</a>\n' for u in links)
    (site / "index.html").write_text(f"<html><body>\n{body}</body></html>\n", encoding="utf-8")
    assert main(["linkcheck", str(site)]) == 0  # internal check: none of these is internal
    capsys.readouterr()
    assert main(["linkcheck", str(site), "--external", "--timeout", "2"]) == 1
    out = capsys.readouterr().out
    assert out.count("error[EXT001]") == len(links)
    assert out.count("malformed URL") == len(links)


def test_a_redirect_to_javascript_is_a_broken_link() -> None:
    with serve() as (base, _log):
        results = ext.check_urls(
            [f"{base}/to-javascript"], ext.ExternalCheckOptions(timeout=5), ext.SuccessCache(None, 0)
        )
    result = results[f"{base}/to-javascript"]
    assert not result.ok and result.checked and "malformed URL" in result.status


def test_the_timeout_bounds_the_whole_response() -> None:
    """A server dripping a byte at a time held a URL for 152 s under a per-read timeout."""
    with serve() as (base, _log):
        started = time.monotonic()
        results = ext.check_urls(
            [f"{base}/drip"], ext.ExternalCheckOptions(timeout=1, retries=0), ext.SuccessCache(None, 0)
        )
        elapsed = time.monotonic() - started
    assert results[f"{base}/drip"].status == "timeout after 1 s"
    assert elapsed < 5  # the drip alone takes 8.5 s


def test_a_long_retry_after_is_not_checked_rather_than_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve() as (base, _log):
        site = tmp_path / "site"
        site.mkdir()
        (site / "index.html").write_text(f'<a href="{base}/limited">x</a>\n', encoding="utf-8")
        assert main(["linkcheck", str(site), "--external"]) == 0
    out = capsys.readouterr().out
    assert "warning[EXT002] index.html: not checked (429, retry after 3600 s)" in out


class _CountingTransport(httpx.AsyncBaseTransport):
    """A thousand hosts without a network: every answer is 200 after a short while."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.most = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            return httpx.Response(200, request=request)
        finally:
            self.in_flight -= 1


def test_a_thousand_hosts_share_a_bounded_number_of_requests() -> None:
    transport = _CountingTransport()
    urls = [f"https://host{i}.test/page" for i in range(1000)]
    options = ext.ExternalCheckOptions(timeout=5, total=16)
    results = ext.check_urls(urls, options, ext.SuccessCache(None, 0), transport=transport)
    assert all(r.ok for r in results.values())  # 900 healthy links were reported as timeouts
    assert transport.most <= options.total


# --- real sites (issue 12) ------------------------------------------------------------------------


def test_a_site_served_under_a_sub_path_has_no_false_broken_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """site_url https://example.org/fixture/: Material's 404 page links /fixture/assets/… ."""
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", project)
    build_in_process(project / "mkdocs.yml", project / "site")
    assert "/fixture/" in (project / "site" / "404.html").read_text(encoding="utf-8")
    assert main(["linkcheck", "-f", str(project / "mkdocs.yml")]) == 0, capsys.readouterr().out
    capsys.readouterr()
    (project / "site" / "index.html").write_text('<a href="/fixture/nowhere/">x</a><a href="/other/">y</a>\n')
    assert main(["linkcheck", "-f", str(project / "mkdocs.yml")]) == 1
    out = capsys.readouterr().out
    assert "broken link → /fixture/nowhere/ (no such file)" in out
    assert "broken link → /other/ (no such file)" in out


def test_any_built_folder_can_be_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "built"
    (site / "guide").mkdir(parents=True)
    (site / "guide" / "page.html").write_text('<a href="../guide/page.html#top" id="top">x</a>\n')
    assert main(["linkcheck", str(site)]) == 0
