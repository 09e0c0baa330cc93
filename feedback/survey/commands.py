"""CLI commands of the survey area, registered by ``feedback.cli``."""

COMMANDS: list = []
