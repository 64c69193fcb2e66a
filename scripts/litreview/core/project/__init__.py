"""The project's configuration and options (mkdocs.yml): what every other part reads."""
