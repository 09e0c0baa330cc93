"""Kiosk mode: a registered touch-screen terminal at a desk, ``/kiosk/<token>``."""
