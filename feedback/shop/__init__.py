"""The mystery-shopper programme: assignments, visit reports, and their review."""
