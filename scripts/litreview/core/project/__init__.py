"""Configuration, options and findings: what every other part shares."""
