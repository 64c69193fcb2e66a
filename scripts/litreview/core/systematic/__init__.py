"""Systematic reviews: the PRISMA flow diagram, the table of included studies and GRADE."""
