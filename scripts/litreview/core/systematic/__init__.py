"""Systematic reviews: the PRISMA 2020 flow and its diagram, the table of included studies and
the GRADE summary of findings, and the checks that their numbers add up."""
