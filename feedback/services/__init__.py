"""Plain functions that hold the app's logic; they take and return plain data and know nothing of Flask's request."""
