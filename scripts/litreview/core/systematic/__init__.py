"""Systematic reviews: the PRISMA 2020 flow's data, the checks that its numbers add up, and its diagram."""
