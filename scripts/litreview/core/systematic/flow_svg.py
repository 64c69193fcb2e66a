"""The PRISMA 2020 flow diagram drawn as SVG: real text, laid out as the statement's templates.

Columns: the previous version's studies (an updated review), identification via databases
and registers, and via other methods, each only when the flow has them; rows: the phases
(Identification, Screening, Included). Colours are presentation attributes, so the file
stands alone when downloaded; the page's stylesheet overrides them with the theme's colours
(both Material schemes). Every text from the file is escaped where it is written.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

from .flow_data import Flow

WIDTH, GAP, COLUMN_GAP, BAR, PAD, LINE, ROW_GAP = 240, 40, 36, 30, 10, 17, 34
WRAP = 31
"""Characters per line in a box (13px sans-serif in 240px, with padding)."""


@dataclass(frozen=True)
class Line:
    """One line of a box's text (bold for a heading)."""

    text: str
    strong: bool = False


@dataclass
class Placed:
    """A box's lines and where it is drawn."""

    lines: list[Line]
    x: int
    y: int = 0
    h: int = 0
    kind: str = "box"
    w: int = WIDTH


def _n(flow: Flow, key: str) -> str:
    n = flow.n(key)
    return "\u2013" if n is None else f"{n:,}"


def _eq(n: str) -> str:
    """``(n = 12)`` that never breaks across lines."""
    return f"(n\u00a0=\u00a0{n})"


def _count(flow: Flow, key: str) -> Line:
    return Line(f"{flow.label(key)} {_eq(_n(flow, key))}")


def _items(flow: Flow, key: str, indent: str = "") -> list[Line]:
    box = flow.boxes.get(key)
    return [Line(f"{indent}{item.name} {_eq(f'{item.n:,}')}") for item in (box.items if box else ())]


def _sources(flow: Flow, total: str, listed: str) -> list[Line]:
    return [_count(flow, total), *_items(flow, listed, "\u2003")]


def _excluded(flow: Flow, key: str) -> list[Line]:
    box = flow.boxes.get(key)
    if box is not None and box.items:
        return [Line(f"{flow.label(key)}:", True), *_items(flow, key)]
    return [_count(flow, key)]


def boxes(flow: Flow) -> dict[str, list[Line]]:
    """Every box the flow's layout draws, by place (``main.r1`` …), as lines of text."""
    out: dict[str, list[Line]] = {
        "main.title": [Line(flow.label("newstud"), True)],
        "main.r1": [
            Line("Records identified from:", True),
            *_sources(flow, "database_results", "database_specific_results"),
            *_sources(flow, "register_results", "register_specific_results"),
        ],
        "main.r1x": [
            Line("Records removed before screening:", True),
            _count(flow, "duplicates"),
            _count(flow, "excluded_automatic"),
            _count(flow, "excluded_other"),
        ],
        "main.r2": [_count(flow, "records_screened")],
        "main.r2x": [_count(flow, "records_excluded")],
        "main.r3": [_count(flow, "dbr_sought_reports")],
        "main.r3x": [_count(flow, "dbr_notretrieved_reports")],
        "main.r4": [_count(flow, "dbr_assessed")],
        "main.r4x": _excluded(flow, "dbr_excluded"),
        "main.r5": [_count(flow, "new_studies"), _count(flow, "new_reports")],
    }
    if flow.previous:
        out["prev.title"] = [Line(flow.label("prevstud"), True)]
        out["prev.r1"] = [_count(flow, "previous_studies"), _count(flow, "previous_reports")]
        out["prev.r5"] = [_count(flow, "total_studies"), _count(flow, "total_reports")]
    if flow.other:
        out["other.title"] = [Line(flow.label("othstud"), True)]
        out["other.r1"] = [
            Line("Records identified from:", True),
            *(_count(flow, k) for k in ("website_results", "organisation_results", "citations_results")),
        ]
        out["other.r3"] = [_count(flow, "other_sought_reports")]
        out["other.r3x"] = [_count(flow, "other_notretrieved_reports")]
        out["other.r4"] = [_count(flow, "other_assessed")]
        out["other.r4x"] = _excluded(flow, "other_excluded")
    return out


def _wrapped(lines: list[Line], width: int = WRAP) -> list[Line]:
    out = []
    for line in lines:
        parts = textwrap.wrap(line.text, width, break_long_words=True, break_on_hyphens=False) or [""]
        out += [Line(part, line.strong) for part in parts]
    return out


def _layout(flow: Flow) -> tuple[dict[str, Placed], int, int, dict[str, tuple[int, int]]]:
    """Each box placed; the width and height; each phase bar's top and bottom."""
    texts = boxes(flow)
    left = BAR + 16
    columns: dict[str, int] = {}
    for column, used, span in (
        ("prev", flow.previous, WIDTH),
        ("main", True, 2 * WIDTH + GAP),
        ("other", flow.other, 2 * WIDTH + GAP),
    ):
        if used:
            columns[column] = left
            left += span + COLUMN_GAP
    placed: dict[str, Placed] = {}
    for place, lines in texts.items():
        column, row = place.split(".")
        x = columns[column] + (WIDTH + GAP if row.endswith("x") else 0)
        wide = row == "title" and column != "prev"  # a title spans its column's two boxes
        w = 2 * WIDTH + GAP if wide else WIDTH
        kind = "title" if row == "title" else "box"
        placed[place] = Placed(_wrapped(lines, WRAP * w // WIDTH), x, kind=kind, w=w)
    y, bars = 0, {}
    for row in ("title", "r1", "r2", "r3", "r4", "r5"):
        here = [p for name, p in placed.items() if name.split(".")[1].rstrip("x") == row]
        if not here:
            continue
        h = max(len(p.lines) for p in here) * LINE + 2 * PAD
        for p in here:
            p.y, p.h = y, h
        bars[row] = (y, y + h)
        y += h + (ROW_GAP if row != "title" else 16)
    phases = {
        "identification": (bars["r1"][0], bars["r1"][1]),
        "screening": (bars["r2"][0], bars["r4"][1]),
        "included": (bars["r5"][0], bars["r5"][1]),
    }
    return placed, left - COLUMN_GAP + 8, y - ROW_GAP + 2, phases


def _rect(p: Placed) -> str:
    fill = "#eeeeee" if p.kind == "title" else "#ffffff"
    out = [
        f'<g class="lr-prisma-{p.kind}"><rect x="{p.x}" y="{p.y}" width="{p.w}" height="{p.h}" rx="4" '
        f'fill="{fill}" stroke="#555555"/>'
    ]
    for i, line in enumerate(p.lines):
        weight = ' font-weight="bold"' if line.strong else ""
        out.append(
            f'<text x="{p.x + PAD}" y="{p.y + PAD + 13 + i * LINE}"{weight}>{escape(line.text)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _head(tail: tuple[int, int], tip: tuple[int, int]) -> str:
    """An arrowhead at ``tip``, pointing away from ``tail`` (the arrows run across or down).

    Drawn as a path, not an SVG marker: a marker is found by id, and ids are renamed where the
    page is put in the PDF with the others."""
    (x0, y0), (x, y) = tail, tip
    dx, dy = (x > x0) - (x < x0), (y > y0) - (y < y0)
    back, side = 8, 4
    bx, by = x - dx * back, y - dy * back
    return f"M{x} {y} L{bx - dy * side} {by - dx * side} L{bx + dy * side} {by + dx * side} z"


def _arrows(placed: dict[str, Placed]) -> list[str]:
    """The arrows between boxes."""
    out = []

    def _arrow(points: list[tuple[int, int]]) -> str:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x} {y}" for i, (x, y) in enumerate(points))
        return (
            f'<path class="lr-prisma-arrow" d="{d}" fill="none" stroke="#555555" stroke-width="1.5"/>'
            f'<path class="lr-prisma-head" d="{_head(points[-2], points[-1])}" fill="#555555"/>'
        )

    def down(a: str, b: str) -> None:
        if a in placed and b in placed:
            pa, pb = placed[a], placed[b]
            x = pa.x + WIDTH // 2
            out.append(_arrow([(x, pa.y + pa.h), (x, pb.y - 2)]))

    def across(a: str) -> None:
        if a in placed and a + "x" in placed:
            pa = placed[a]
            out.append(_arrow([(pa.x + WIDTH, pa.y + pa.h // 2), (pa.x + WIDTH + GAP - 2, pa.y + pa.h // 2)]))

    for column in ("main", "other"):
        for a, b in (("r1", "r2"), ("r2", "r3"), ("r1", "r3"), ("r3", "r4"), ("r4", "r5")):
            if not (column == "main" and (a, b) == ("r1", "r3")):
                down(f"{column}.{a}", f"{column}.{b}")
        for row in ("r1", "r2", "r3", "r4"):
            across(f"{column}.{row}")
    down("prev.r1", "prev.r5")
    if "other.r4" in placed:  # other methods join the new studies
        o, m = placed["other.r4"], placed["main.r5"]
        x = o.x + WIDTH // 2
        out.append(_arrow([(x, o.y + o.h), (x, m.y + m.h // 2), (m.x + WIDTH + 2, m.y + m.h // 2)]))
    if "prev.r5" in placed:  # the new studies join the previous ones in the total
        p, m = placed["prev.r5"], placed["main.r5"]
        out.append(_arrow([(m.x, m.y + m.h // 2), (p.x + WIDTH + 2, p.y + p.h // 2)]))
    return out


def _bars(flow: Flow, phases: dict[str, tuple[int, int]]) -> list[str]:
    out = []
    for key, (top, bottom) in phases.items():
        cx, cy = BAR // 2, (top + bottom) // 2
        out.append(
            f'<g class="lr-prisma-bar"><rect x="0" y="{top}" width="{BAR}" height="{bottom - top}" rx="4" '
            f'fill="#4051b5"/><text x="{cx}" y="{cy}" transform="rotate(-90 {cx} {cy})" text-anchor="middle" '
            f'dominant-baseline="central" fill="#ffffff" font-weight="bold">'
            f"{escape(flow.label(key))}</text></g>"
        )
    return out


def description(flow: Flow) -> str:
    """The diagram as sentences, for screen readers and for anyone who can't see it."""
    parts = []
    for place, lines in boxes(flow).items():
        if not place.endswith(".title"):
            parts.append(", ".join(line.text.strip().rstrip(":") for line in lines))
    return "; ".join(parts) + "."


def svg(flow: Flow, suffix: str = "") -> str:
    """The diagram as one ``<svg>`` element, fit to stand inline in a page or alone as a file;
    ``suffix`` keeps its ids unique where a page holds more than one."""
    placed, width, height, phases = _layout(flow)
    ids = {name: f"lr-prisma-{name}{suffix}" for name in ("title", "desc")}
    body = [_rect(p) for p in placed.values()] + _arrows(placed) + _bars(flow, phases)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-prisma-svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{ids["title"]} {ids["desc"]}" '
        'font-family="Roboto, Helvetica, Arial, sans-serif" font-size="13" fill="#000000">'
        f'<title id="{ids["title"]}">PRISMA 2020 flow diagram</title>'
        f'<desc id="{ids["desc"]}">{escape(description(flow))}</desc>' + "".join(body) + "</svg>"
    )
