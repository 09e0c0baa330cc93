"""CLI commands of the shop area, registered by ``feedback.cli``."""

COMMANDS: list = []
