"""Reading .bib files (macros, crossrefs, names, LaTeX) and judging their entries."""
