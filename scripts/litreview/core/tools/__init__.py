"""The CLI's other commands: diff, new, fmt."""
