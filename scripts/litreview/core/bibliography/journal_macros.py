"""The AAS journal macros NASA ADS writes as venues (``journal = {\\apj}``), and their names.

ADS exports leave the journal to the LaTeX macros of AASTeX, which authors outside AASTeX get
from ``aas_macros.sty`` (ADS's copy of the AAS TeX macro package 5.2's journal abbreviations,
compatible with the A&A document class 7.0; AASTeX 6.3 added ``\\psj``, ``\\rnaas``, ``\\maps``,
``\\aas`` and ``\\dps``). Without them a venue decodes to nothing. Each macro here maps to the
journal's full name (the comment beside it in ``aas_macros.sty``, written out): readers of a
web page, RIS and COinS consumers and the record ``verify`` compares with all want the name,
not the AAS abbreviation the macro typesets.
"""

from __future__ import annotations

import re

#: Macro name (without the backslash) → the journal's full name.
JOURNAL_MACROS: dict[str, str] = {
    "aj": "The Astronomical Journal",
    "actaa": "Acta Astronomica",
    "araa": "Annual Review of Astronomy and Astrophysics",
    "apj": "The Astrophysical Journal",
    "apjl": "The Astrophysical Journal Letters",
    "apjs": "The Astrophysical Journal Supplement Series",
    "ao": "Applied Optics",
    "apss": "Astrophysics and Space Science",
    "aap": "Astronomy and Astrophysics",
    "aapr": "Astronomy and Astrophysics Review",
    "aaps": "Astronomy and Astrophysics Supplement Series",
    "azh": "Astronomicheskii Zhurnal",
    "baas": "Bulletin of the American Astronomical Society",
    "bac": "Bulletin of the Astronomical Institutes of Czechoslovakia",
    "caa": "Chinese Astronomy and Astrophysics",
    "cjaa": "Chinese Journal of Astronomy and Astrophysics",
    "icarus": "Icarus",
    "jcap": "Journal of Cosmology and Astroparticle Physics",
    "jrasc": "Journal of the Royal Astronomical Society of Canada",
    "memras": "Memoirs of the Royal Astronomical Society",
    "mnras": "Monthly Notices of the Royal Astronomical Society",
    "na": "New Astronomy",
    "nar": "New Astronomy Reviews",
    "pra": "Physical Review A",
    "prb": "Physical Review B",
    "prc": "Physical Review C",
    "prd": "Physical Review D",
    "pre": "Physical Review E",
    "prl": "Physical Review Letters",
    "pasa": "Publications of the Astronomical Society of Australia",
    "pasp": "Publications of the Astronomical Society of the Pacific",
    "pasj": "Publications of the Astronomical Society of Japan",
    "rmxaa": "Revista Mexicana de Astronomía y Astrofísica",
    "qjras": "Quarterly Journal of the Royal Astronomical Society",
    "skytel": "Sky and Telescope",
    "solphys": "Solar Physics",
    "sovast": "Soviet Astronomy",
    "ssr": "Space Science Reviews",
    "zap": "Zeitschrift für Astrophysik",
    "nat": "Nature",
    "iaucirc": "IAU Circulars",
    "aplett": "Astrophysical Letters",
    "apspr": "Astrophysics and Space Physics Research",
    "bain": "Bulletin of the Astronomical Institutes of the Netherlands",
    "fcp": "Fundamentals of Cosmic Physics",
    "gca": "Geochimica et Cosmochimica Acta",
    "grl": "Geophysical Research Letters",
    "jcp": "The Journal of Chemical Physics",
    "jgr": "Journal of Geophysical Research",
    "jqsrt": "Journal of Quantitative Spectroscopy and Radiative Transfer",
    "memsai": "Memorie della Società Astronomica Italiana",
    "nphysa": "Nuclear Physics A",
    "physrep": "Physics Reports",
    "physscr": "Physica Scripta",
    "planss": "Planetary and Space Science",
    "procspie": "Proceedings of the SPIE",
    # aliases aas_macros.sty defines with \let
    "astap": "Astronomy and Astrophysics",
    "apjlett": "The Astrophysical Journal Letters",
    "apjsupp": "The Astrophysical Journal Supplement Series",
    "applopt": "Applied Optics",
    # AASTeX 6.3
    "psj": "The Planetary Science Journal",
    "rnaas": "Research Notes of the American Astronomical Society",
    "maps": "Meteoritics and Planetary Science",
    "aas": "American Astronomical Society Meeting Abstracts",
    "dps": "AAS/Division for Planetary Sciences Meeting Abstracts",
}

#: A value that is one macro and nothing else, as ADS writes a journal (``\apj``, ``{\mnras}``).
_ALONE = re.compile(r"\{*\s*\\([A-Za-z]+)\s*\}*")


def macro_alone(value: str) -> str | None:
    """The macro's name if ``value`` is one macro and nothing else, else None."""
    m = _ALONE.fullmatch(value.strip())
    return m.group(1) if m else None


def expand(value: str) -> str | None:
    """The journal a value that is one AAS macro names, or None (not one, or not known)."""
    name = macro_alone(value)
    return JOURNAL_MACROS.get(name) if name is not None else None
