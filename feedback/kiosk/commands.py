"""CLI commands of the kiosk area, registered by ``feedback.cli``."""

COMMANDS: list = []
