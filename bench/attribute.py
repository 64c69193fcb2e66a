"""Split a litreview build's extra instructions into the content's cost and litreview's own.

Issue 30 asks a build to cost at most 1.10x plain Material. Part of what a litreview build
adds is not litreview's code but what any generator pays for the content the reader gets:
Material, search and the writer handling longer pages, the References page and the download
files. To measure that part, this script takes litreview's output (each citation's HTML, each
page's list, the References page, every file it writes) from one build and puts it into a
copy of the corpus that plain Material builds with no litreview code, two ways:

- ``post``: each citation in the pages is a text token, and a hook of a few lines does what
  litreview does with stored HTML, at the same moments: once a page is converted, the tokens
  become litreview's empty slots (so search indexes what it indexes under litreview), the
  References page gets its search text in on_env, and the stored HTML goes in in
  on_post_page. The site and search index come out as litreview's (the script checks): the
  same work for MkDocs, minus litreview's code. The hook's own work (reading the stored
  HTML, about 0.02x) is in this row; bench/attribute_phases.py counts it apart, and finds
  Markdown converting a token about 0.01x cheaper than a ``[@key]`` (a link it tries).
- ``raw``: the HTML written into the Markdown sources as raw HTML, no code at all. MkDocs'
  and Markdown's HTML parsers then read every added tag and search indexes all the added
  text: what it would cost to hand this content to Markdown (far more than the rest).

It prints how close each copy's site is to litreview's (pages, search index, files), then,
with valgrind present, the instructions of one build each (callgrind, as bench/bench.py
counts them, about 25 minutes in all) and their ratios to plain. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import instructions  # noqa: E402  (bench/ is not a package)
from generate import generate  # noqa: E402

CITATION = re.compile(r"\[@[^\]]*\]")
PAGE_SLOT = '<div class="lr-page-references" data-lr-slot="page"></div>'
SITE_SLOT = '<div class="lr-bibliography" data-lr-slot="site"></div>'
CITE_TOKEN, LIST_TOKEN = "@@lr-cite-{}@@", "@@lr-page-list@@"

HOOK = '''"""Put litreview's output, stored beforehand, where its slots are: no litreview code runs.

The pages hold text tokens, which Markdown passes through as text; once a page is converted
they become the empty slots litreview's Markdown extension leaves (so search indexes what it
indexes under litreview), and after search has read the page, the stored HTML.
"""

import json
import re
from pathlib import Path

_DATA = json.loads((Path(__file__).parent / "fragments.json").read_text(encoding="utf-8"))
_PAGES, _REFS = _DATA["pages"], _DATA["references"]
_TOKEN = re.compile(r"@@lr-cite-(\\d+)@@")
_CITING = re.compile(r"<p>(?=[^<]*@@lr-cite-(\\d+)@@)")
_SLOT = re.compile(r'<span class="lr-cite-slot" data-lr-cite="(\\d+)"></span>')


def on_page_content(html, page, config, files):
    found = _PAGES.get(page.file.src_uri)
    if found is None:
        return html
    blocks = found["blocks"]
    html = _CITING.sub(lambda m: f'<p id="{blocks[int(m.group(1))]}">', html)
    html = _TOKEN.sub(r'<span class="lr-cite-slot" data-lr-cite="\\1"></span>', html)
    return html.replace("<p>@@lr-page-list@@</p>", _DATA["page_slot"], 1)


def on_env(env, config, files):
    page = files.get_file_from_path(_REFS["src"]).page
    page.content = page.content.replace(_REFS["slot"], _REFS["light"], 1)
    return env


def on_post_page(output, page, config):
    src = page.file.src_uri
    if src == _REFS["src"]:
        return output.replace(_REFS["light"], _REFS["full"], 1)
    found = _PAGES.get(src)
    if found is None:
        return output
    cites = found["cites"]
    output = _SLOT.sub(lambda m: cites[int(m.group(1))], output)
    return output.replace(_DATA["page_slot"], found["list"], 1)
'''


def child_env(out: Path) -> dict[str, str]:
    """Every build reads compiled modules from one cache under ``out`` (this machine sets
    PYTHONDONTWRITEBYTECODE, and the editable install's own may be stale), so no variant
    compiles source the others don't; SOURCE_DATE_EPOCH keeps the sites comparable."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", NO_MKDOCS_2_WARNING="1")
    env["PYTHONPYCACHEPREFIX"] = str(out / "pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def capture(config: str, site: str, into: str) -> None:
    """Build with litreview into ``site``, recording the HTML it puts in each slot."""
    from run_build import build_into

    from litreview import plugin
    from litreview.core.build import sitewide
    from litreview.core.references import reference_html

    pages: dict[str, dict[str, Any]] = {}
    refs: dict[str, str] = {"slot": SITE_SLOT}
    current: dict[str, Any] = {}
    page_html, cite, listing = (
        sitewide.BuiltSite.page_html,
        reference_html.citation_html,
        reference_html.page_references,
    )
    full, stub = plugin.LitreviewPlugin._with_full_bibliography, reference_html.references_markdown

    def page_html_(self: Any, html: str, src: str, *args: Any, **kwargs: Any) -> str:
        current["page"] = pages.setdefault(src, {"cites": {}, "blocks": {}, "list": ""})
        return page_html(self, html, src, *args, **kwargs)

    def cite_(site_: Any, record: Any) -> Any:
        out = cite(site_, record)
        current["page"]["cites"][record.index] = str(out)
        current["page"]["blocks"][record.index] = record.block_id
        return out

    def listing_(*args: Any, **kwargs: Any) -> Any:
        out = listing(*args, **kwargs)
        current["page"]["list"] = str(out)
        return out

    def full_(self: Any, state: Any, output: str) -> str:
        result: str = full(self, state, output)
        before, light, after = output.partition(state.light_bibliography)
        refs.update(src=self.options.references_page, light=light)
        refs["full"] = result[len(before) : len(result) - len(after)]
        return result

    def stub_(title: str) -> str:
        refs["markdown"] = stub(title)
        return refs["markdown"]

    sitewide.BuiltSite.page_html = page_html_  # type: ignore[method-assign]
    reference_html.citation_html, reference_html.page_references = cite_, listing_
    plugin.LitreviewPlugin._with_full_bibliography = full_  # type: ignore[method-assign]
    reference_html.references_markdown = stub_
    cfg = build_into(config, site)
    pages = {src: page for src, page in pages.items() if page["cites"]}  # the others have no slot
    for page in pages.values():
        page["cites"] = [page["cites"][i] for i in range(len(page["cites"]))]
        page["blocks"] = [page["blocks"][i] for i in range(len(page["blocks"]))]
    extra = {
        "extra_css": [str(x) for x in cfg.extra_css],
        "extra_javascript": [str(x) for x in cfg.extra_javascript],
    }
    data = {"pages": pages, "references": refs, "page_slot": PAGE_SLOT, "extra": extra}
    Path(into).write_text(json.dumps(data), encoding="utf-8")


def mkdocs_build(config: Path, site: Path, env: dict[str, str]) -> None:
    """One build that keeps its site, to compare the variants' output."""
    shutil.rmtree(site, ignore_errors=True)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    subprocess.run(cmd, check=True, env=env)


def page_markdown(text: str, page: dict[str, Any], raw: bool) -> str:
    """A page's source with its citations as tokens (``raw``: their HTML, each citing
    paragraph's id as an attribute list), and the References heading and list at the end.

    Without ``raw`` the hook makes the slots and ids, as litreview's extension does, so
    Markdown reads text where the plain page has its ``[@key]``: raw HTML would cost MkDocs'
    and Markdown's HTML parsers each tag, and an attribute list's line makes a paragraph two
    lines, which Markdown's tables extension then splits as a table row."""
    lines, n = [], 0
    for line in text.split("\n"):
        found = CITATION.findall(line)
        for _ in found:
            html = page["cites"][n] if raw else CITE_TOKEN.format(n)
            line = CITATION.sub(lambda _m, html=html: html, line, count=1)
            n += 1
        if found and raw:  # with the hook, the hook gives the id
            line += f"\n{{: #{page['blocks'][n - 1]} }}"
        lines.append(line)
    if n != len(page["cites"]):
        raise SystemExit(f"{n} citations in the source, {len(page['cites'])} rendered: not this corpus")
    listing = page["list"] if raw else LIST_TOKEN
    return "\n".join(lines).rstrip("\n") + f"\n\n## References {{: #page-references }}\n\n{listing}\n"


def write_variant(
    corpus: Path, data: dict[str, Any], litreview_site: Path, plain_site: Path, raw: bool
) -> Path:
    """The corpus with litreview's output in it, built by plain Material (``raw``: no hook)."""
    name = "raw" if raw else "post"
    docs = corpus / f"docs-{name}"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(corpus / "docs", docs)
    for src, page in data["pages"].items():
        path = docs / src
        path.write_text(page_markdown(path.read_text(encoding="utf-8"), page, raw), encoding="utf-8")
    refs = data["references"]
    listing = refs["full"] if raw else refs["slot"]
    (docs / refs["src"]).write_text(refs["markdown"].replace(refs["slot"], listing), encoding="utf-8")
    for path in litreview_site.rglob("*"):  # what litreview writes besides pages: assets, downloads
        rel = path.relative_to(litreview_site)
        if path.is_file() and path.suffix != ".html" and not (plain_site / rel).exists():
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, docs / rel)
    if not raw:
        keep = {"pages", "references", "page_slot"}  # what the hook reads
        hook_data = {k: v for k, v in data.items() if k in keep}
        (corpus / "fragments.json").write_text(json.dumps(hook_data), encoding="utf-8")
        (corpus / "attr_hook.py").write_text(HOOK, encoding="utf-8")
    plain = (
        (corpus / "mkdocs-plain.yml")
        .read_text(encoding="utf-8")
        .replace("docs_dir: docs", f"docs_dir: {docs.name}")
    )
    extra = "".join(
        f"{key}:\n" + "".join(f"  - {v}\n" for v in values) for key, values in data["extra"].items()
    )
    config = corpus / f"mkdocs-content-{name}.yml"
    config.write_text(plain + extra + ("" if raw else "hooks:\n  - attr_hook.py\n"), encoding="utf-8")
    return config


def _search(site: Path) -> tuple[int, int, int]:
    """Search index: bytes, entries, characters of text and titles."""
    index = site / "search" / "search_index.json"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    return index.stat().st_size, len(docs), sum(len(d["text"]) + len(d["title"]) for d in docs)


def compare(ours: Path, other: Path, name: str) -> None:
    """How close ``other``'s site is to litreview's: its pages byte for byte (and once the
    whitespace between tags is ignored), every other file, the search index."""

    def squeeze(path: Path) -> str:
        return re.sub(r">\s+<", "><", path.read_text(encoding="utf-8"))

    files = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file() and "search" not in p.parts)
    html = [f for f in files if f.suffix == ".html"]
    missing = [f for f in files if not (other / f).exists()]
    same = [f for f in files if f not in missing and (ours / f).read_bytes() == (other / f).read_bytes()]
    near = [f for f in html if f not in missing and f not in same and squeeze(ours / f) == squeeze(other / f)]
    size = (
        sum((ours / f).stat().st_size for f in html),
        sum((other / f).stat().st_size for f in html if f not in missing),
    )
    print(
        f"{name:<22} {len(same)}/{len(files)} files identical, {len(near)} more pages identical but for "
        f"whitespace between tags, {len(missing)} missing; pages {size[1] / 1e6:.3f} MB (litreview "
        f"{size[0] / 1e6:.3f} MB)"
    )
    a, b = _search(ours), _search(other)
    print(
        f"{'':<22} search index {b[0] / 1e6:.3f} MB, {b[1]} entries, {b[2]} characters "
        f"(litreview {a[0] / 1e6:.3f} MB, {a[1]}, {a[2]})",
        flush=True,
    )


def prepare(
    out: Path, pages: int, refs: int, env: dict[str, str], variants: tuple[str, ...]
) -> tuple[dict[str, Path], dict[str, Path]]:
    """The corpus under ``out``, one litreview build of it that records its output (and fills
    the cache: later builds are warm), a plain build, and each of ``variants`` ("post", "raw")
    written: each configuration by name (also "warm" and "cold"), each site's folder by name."""
    corpus = generate(out / "corpus", pages, refs, 15)
    shutil.rmtree(corpus / ".cache", ignore_errors=True)
    sites = {name: out / f"site-{name}" for name in ("plain", "litreview", "post", "raw")}
    shutil.rmtree(sites["litreview"], ignore_errors=True)
    fragments = corpus / "captured.json"
    cmd = [
        sys.executable,
        __file__,
        "--capture",
        str(corpus / "mkdocs-litreview.yml"),
        str(sites["litreview"]),
    ]
    subprocess.run([*cmd, str(fragments)], check=True, env=env)
    mkdocs_build(corpus / "mkdocs-plain.yml", sites["plain"], env)
    data = json.loads(fragments.read_text(encoding="utf-8"))
    configs = {
        "plain": corpus / "mkdocs-plain.yml",
        "warm": corpus / "mkdocs-litreview.yml",
        "cold": corpus / "mkdocs-litreview-nocache.yml",
    }
    for name in variants:
        configs[name] = write_variant(corpus, data, sites["litreview"], sites["plain"], raw=name == "raw")
    return configs, sites


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "attribute")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--refs", type=int, default=1000)
    parser.add_argument("--no-instructions", action="store_true", help="only build and compare the sites")
    parser.add_argument("--capture", nargs=3, metavar=("CONFIG", "SITE", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.capture:
        capture(*args.capture)
        return
    args.out = args.out.resolve()  # MkDocs reads a relative site_dir from the config's folder
    env = child_env(args.out)
    configs, sites = prepare(args.out, args.pages, args.refs, env, ("post", "raw"))
    for name in ("post", "raw"):
        mkdocs_build(configs[name], sites[name], env)
        compare(sites["litreview"], sites[name], f"plain + content ({name})")
    compare(sites["litreview"], sites["plain"], "plain")
    if args.no_instructions or shutil.which("valgrind") is None:
        return
    os.environ.clear()
    os.environ.update(env)  # bench.instructions runs valgrind with this process's environment
    python = Path(sys.executable)
    rows = [
        ("plain", instructions(python, configs["plain"])),
        ("plain + content (post)", instructions(python, configs["post"])),
        ("plain + content (raw)", instructions(python, configs["raw"])),
        ("litreview warm", instructions(python, configs["warm"])),
        ("litreview cold", instructions(python, configs["cold"])),
    ]
    plain = rows[0][1]
    for name, count in rows:
        print(f"{name:<24} {count / 1e9:>7.3f}G instructions {count / plain:>6.3f}x plain", flush=True)
    content, warm, cold = rows[1][1], rows[3][1], rows[4][1]
    print(
        f"the content (and the hook) {(content - plain) / plain:+.3f}x of plain; litreview's own code, "
        f"warm: {(warm - content) / plain:+.3f}x; what a cold build adds: {(cold - warm) / plain:+.3f}x",
        flush=True,
    )


if __name__ == "__main__":
    main()
