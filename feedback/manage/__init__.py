"""The manager console: dashboard, follow-ups, set-up pages, exports."""
