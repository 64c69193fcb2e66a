"""The ``litreview`` command's subcommands, by what they do; ``litreview.cli`` parses and dispatches."""
