"""A review of 2,500 works, the top of a living review's range (HEPML lists about 2,400).

Works of every kind readers filter by (articles, arXiv preprints, conference papers, books,
theses, reports) over 40 years, each cited once across 25 sections. Titles draw on one word
list and venues on another, so a test knows from the .bib alone how many titles a word finds.
Keys come in every style reviews write (KEY_STYLES: INSPIRE's ``Author:2021abc``, Manubot's
``doi:``/``url:``, Better BibTeX's, Unicode, each punctuation pandoc allows inside a key): the
filter once found only the works whose key needed no escaping in an id (issue 28).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

TOPICS = (
    "pain", "nerve", "inflammation", "sensitization", "cytokine", "glial", "channel", "stenosis",
    "disc", "degeneration", "facet", "tumour", "injury", "stimulation", "therapy", "cohort",
    "trial", "mechanism", "outcome", "ganglion", "modulation", "imaging", "genetics", "surgery",
)  # fmt: skip
VENUES = ("Spine", "Neurology", "Anaesthesia", "Rheumatology", "Physiology", "Medicine")
FAMILIES = ("Okafor", "Lindqvist", "Tanaka", "Moreau", "Kowalczyk", "Haddad", "Silva", "Novak")
KINDS = (
    ("Article", 60), ("Preprint", 15), ("Conference paper", 10), ("Book", 5), ("Thesis", 5), ("Report", 5),
)  # fmt: skip


#: pandoc's punctuation inside a key, each of which a key below uses.
KEY_PUNCTUATION = ":.#$%&-+?<>~/"


def _letters(i: int) -> str:
    """``i`` in three lowercase letters (INSPIRE's suffix: ``Aad:2012tfa``)."""
    return "".join(chr(ord("a") + (i // 26**n) % 26) for n in (2, 1, 0))


#: A style of key, and how the work numbered ``i`` of ``year`` is keyed in it (each unique).
KEY_STYLES = {
    "plain": lambda i, year: f"w{i:04d}",
    "inspire": lambda i, year: f"{FAMILIES[i % len(FAMILIES)]}:{year}{_letters(i)}",
    "manubot doi": lambda i, year: f"doi:10.1007/978-3-030-{i:05d}-3_16",
    "manubot url": lambda i, year: f"url:https://example.org/works/{i}",
    "better bibtex": lambda i, year: f"{FAMILIES[i % len(FAMILIES)].lower()}Study{year}_{i}",
    "unicode": lambda i, year: f"Müller李{i}",
    "punctuation": lambda i, year: f"p{i}{KEY_PUNCTUATION[i % len(KEY_PUNCTUATION)]}x",
}


def key_of(i: int, year: int) -> str:
    """The key of work ``i``: the styles in turn, so every style is in every stretch of the list."""
    styles = list(KEY_STYLES.values())
    return styles[i % len(styles)](i, year)


@dataclass(frozen=True)
class Work:
    """What the tests know of each generated work."""

    key: str
    title: str
    year: int
    kind: str
    section: str


def _entry(work: Work, rng: random.Random, i: int) -> str:
    authors = f"{rng.choice(FAMILIES)}{i % 50}, A. and {rng.choice(FAMILIES)}, B."
    venue = f"J {rng.choice(VENUES)}"
    fields = {"author": authors, "title": work.title, "year": str(work.year)}
    kind = {
        "Article": (
            "article",
            {"journal": venue, "volume": str(i % 40 + 1), "pages": f"{i % 900 + 1}--{i % 900 + 9}"},
        ),
        "Preprint": ("misc", {"eprint": f"{2000 + i % 25:04d}.{i:05d}", "archiveprefix": "arXiv"}),
        "Conference paper": ("inproceedings", {"booktitle": f"Proc. {venue} Meeting"}),
        "Book": ("book", {"publisher": "Example Press"}),
        "Thesis": ("phdthesis", {"school": "Example University"}),
        "Report": ("techreport", {"institution": "Example Institute"}),
    }[work.kind]
    fields |= kind[1]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@{kind[0]}{{{work.key},\n{body},\n}}\n"


def generate(out: Path, count: int = 2500, sections: int = 25, seed: int = 7) -> list[Work]:
    """Write the review (mkdocs.yml, refs.bib, docs/) into ``out``; return its works."""
    rng = random.Random(seed)
    kinds = [k for k, weight in KINDS for _ in range(weight)]
    names = [f"Section {n + 1:02d}" for n in range(sections)]
    works = []
    for i in range(count):
        title = (
            f"{rng.choice(TOPICS).capitalize()} and {rng.choice(TOPICS)} in {rng.choice(TOPICS)}, study {i}"
        )
        year = min(2025, 1985 + int(rng.triangular(0, 41, 38)))
        works.append(Work(key_of(i, year), title, year, rng.choice(kinds), names[i % sections]))
    docs = out / "docs"
    (docs / "sections").mkdir(parents=True, exist_ok=True)
    (out / "refs.bib").write_text("\n".join(_entry(w, rng, i) for i, w in enumerate(works)), encoding="utf-8")
    for n, name in enumerate(names):
        mine = [w for w in works if w.section == name]
        paragraphs = [
            f"Findings on {rng.choice(TOPICS)} and {rng.choice(TOPICS)} "
            + "["
            + "; ".join(f"@{w.key}" for w in mine[j : j + 5])
            + "]."
            for j in range(0, len(mine), 5)
        ]
        (docs / "sections" / f"s{n + 1:02d}.md").write_text(
            f"# {name}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
        )
    (docs / "index.md").write_text(
        "# A review of many works\n\nGenerated for the browser tests.\n", encoding="utf-8"
    )
    nav = "\n".join(f"      - sections/s{n + 1:02d}.md" for n in range(sections))
    (out / "mkdocs.yml").write_text(
        "site_name: Many works\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - litreview:\n      bibliography: refs.bib\n      page_references: false\n"
        f"nav:\n  - Home: index.md\n  - Sections:\n{nav}\n  - References: references.md\n",
        encoding="utf-8",
    )
    return works


#: Type "glial" a letter at a time, then clear the field: each step's update of the list,
#: the filter's own work and the layout the reader waits for, timed with the Performance API.
KEYSTROKES = """() => {
  const field = document.getElementById('lr-filter');
  const out = [];
  for (const text of ['g', 'gl', 'gli', 'glia', 'glial', 'glial ', 'glial s', '']) {
    field.value = text;
    const t0 = performance.now();
    field.dispatchEvent(new Event('input', {bubbles: true}));
    document.body.offsetHeight;
    out.push(performance.now() - t0);
  }
  return out;
}"""


def keystroke_report(count: int, times: list[float], load: float) -> str:
    """One line for the test's artifact and ``make bench``."""
    ordered = sorted(times)
    narrowing = max(times[:-1])
    return (
        f"{count} works: page load {load:.2f} s; keystroke update median {ordered[len(ordered) // 2]:.0f} ms, "
        f"narrowing at most {narrowing:.0f} ms, all {count} shown again {times[-1]:.0f} ms"
    )
