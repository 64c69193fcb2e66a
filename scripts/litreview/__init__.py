"""litreview: a literature review written as Markdown + BibTeX, published as a website."""

__version__ = "0.1.0"
