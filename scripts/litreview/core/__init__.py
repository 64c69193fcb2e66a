"""The portable core: bibliography, citations, numbering, rendering.

Nothing here imports mkdocs or the adapters; problems are returned as data
(:class:`~litreview.core.findings.problems.Problem`) and the adapters decide how to report them.
"""
