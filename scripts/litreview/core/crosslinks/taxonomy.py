"""The concept taxonomy: what each concept is called, what kind it is, how else it is written.

Loaded from a YAML file named by the plugin's ``taxonomy`` option, validated with JSON
Schema (``schemas/taxonomy.json``); problems come back as data at their line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..citations.syntax import Citation, find_in_text
from ..files import jsonfile, yamlsafe
from ..findings.problems import Problem

KINDS = ("mechanism", "treatment", "diagnostic approach", "pathology", "risk factor")
KIND_TITLES = {
    "mechanism": "Mechanisms",
    "treatment": "Treatments",
    "diagnostic approach": "Diagnostic approaches",
    "pathology": "Pathologies",
    "risk factor": "Risk factors",
}


@dataclass(frozen=True)
class Concept:
    """One concept of the taxonomy: its label, kind, synonyms and cited description."""

    id: str
    label: str
    kind: str
    synonyms: tuple[str, ...] = ()
    description: str = ""
    line: int = 0
    description_line: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """Every wording that counts as a mention, the label first."""
        return (self.label, *self.synonyms)

    @property
    def anchor(self) -> str:
        """The concept's id on the Concepts page (``c-<id>``)."""
        return f"c-{self.id}"


@dataclass
class Taxonomy:
    """The concepts by id, and what was wrong with the file."""

    concepts: dict[str, Concept] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    path: str = ""

    def by_kind(self) -> dict[str, list[Concept]]:
        """Concepts grouped by kind, kinds in :data:`KINDS` order, concepts in file order."""
        out: dict[str, list[Concept]] = {k: [] for k in KINDS}
        for concept in self.concepts.values():
            if concept.kind in out:
                out[concept.kind].append(concept)
        return {k: v for k, v in out.items() if v}


def _key_lines(node: yaml.Node | None) -> dict[tuple[str, ...], int]:
    """1-based line of every mapping key, by its path: where to report a finding."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(n: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                sub = (*path, str(key.value))
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)

    if node is not None:
        walk(node, ())
    return lines


def load(path: Path, display: str) -> Taxonomy:
    """Read the taxonomy; a file that can't be used yields an empty taxonomy and findings."""
    tax = Taxonomy(path=display)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        tax.problems.append(Problem(display, 0, 0, "TAX001", f"cannot read taxonomy: {reason}"))
        return tax
    try:
        node = yamlsafe.compose(text)
        data = yamlsafe.construct(node)
    except yaml.YAMLError as exc:
        line, col = yamlsafe.error_position(exc, (1, 1))
        reason = yamlsafe.error_reason(exc, "invalid YAML")
        tax.problems.append(Problem(display, line, col, "TAX001", f"taxonomy is not valid YAML: {reason}"))
        return tax
    lines = _key_lines(node)
    import jsonschema

    for error in jsonschema.Draft202012Validator(jsonfile.schema("taxonomy.json")).iter_errors(data):
        path_keys = tuple(str(p) for p in error.absolute_path)
        line = lines.get(path_keys, 0) or lines.get(path_keys[:2], 1)
        where = " → ".join(path_keys) or "taxonomy"
        tax.problems.append(Problem(display, line, 1, "TAX002", f"{where}: {error.message}"))
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), dict):
        return tax
    for cid, raw in data["concepts"].items():
        if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
            continue  # already reported by the schema
        # A concept of an unknown kind (reported) still names things, so pages using it are fine.
        synonyms = tuple(s for s in raw.get("synonyms") or () if isinstance(s, str))
        description = str(raw["description"]) if isinstance(raw.get("description"), str) else ""
        kind = str(raw.get("kind", ""))
        line = lines.get(("concepts", str(cid)), 0)
        concept = Concept(
            str(cid),
            raw["label"],
            kind,
            synonyms,
            description,
            line,
            lines.get(("concepts", str(cid), "description"), line),
        )
        tax.concepts[concept.id] = concept
        if description and not any(isinstance(c, Citation) for c in find_in_text(description)):
            tax.problems.append(
                Problem(
                    display,
                    concept.description_line,
                    1,
                    "TAX003",
                    f"description of '{concept.id}' cites no source; add a citation such as [@key]",
                )
            )
    return tax
