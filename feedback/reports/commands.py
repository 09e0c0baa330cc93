"""CLI commands of the reports area, registered by ``feedback.cli``."""

COMMANDS: list = []
