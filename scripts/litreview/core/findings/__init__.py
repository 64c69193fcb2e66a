"""Findings as data: the Problem record, the codes and their default severities, waivers."""
