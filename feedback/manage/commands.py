"""CLI commands of the manage area, registered by ``feedback.cli``."""

COMMANDS: list = []
