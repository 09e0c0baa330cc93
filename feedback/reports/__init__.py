"""PDF coaching reports per staff member, branch and system."""
