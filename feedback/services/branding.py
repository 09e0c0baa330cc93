"""The library's name and logo on posters: an upload checked, re-encoded and kept small.

A logo comes from an administrator's browser, so it is treated as untrusted:
at most :data:`LOGO_MAX_BYTES`, it must open as a PNG or JPEG image of at
most :data:`LOGO_MAX_PIXELS`, and it is re-encoded by Pillow into a fresh PNG
(no metadata, no trailing bytes, at most :data:`LOGO_MAX_SIDE` pixels a side)
before it is stored. WeasyPrint gets it only as a ``generated:logo`` image
through the report URL fetcher (``feedback.pdf``), never by path or URL.
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

__all__ = ["LOGO_MAX_BYTES", "LOGO_MAX_PIXELS", "LOGO_MAX_SIDE", "LogoError", "clean_logo", "save_logo",
           "poster_branding", "save_library_name"]

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000  # refuses decompression bombs before decoding them
LOGO_MAX_SIDE = 1200
_ALLOWED_FORMATS = {"PNG", "JPEG"}


class LogoError(ValueError):
    """The upload is not a logo we accept; ``reason`` is ``too_large``, ``not_an_image`` or ``too_many_pixels``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def clean_logo(data: bytes) -> bytes:
    """The upload as a fresh, small PNG; :class:`LogoError` when it is not an acceptable image."""
    if len(data) > LOGO_MAX_BYTES:
        raise LogoError("too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in _ALLOWED_FORMATS:
                raise LogoError("not_an_image")
            width, height = probe.size
            if width * height > LOGO_MAX_PIXELS:
                raise LogoError("too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = image.convert("RGBA")
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, LogoError):
            raise
        raise LogoError("not_an_image") from None
    return out.getvalue()


def save_logo(store, data: bytes) -> None:
    store.branding.save_logo(clean_logo(data))


def save_library_name(store, name: str) -> None:
    store.directory.update_settings(poster_library_name=name.strip()[:120])


def poster_branding(store, default_name: str) -> tuple[str, bytes | None]:
    """The name and logo posters carry: the set name (else ``SYSTEM_NAME``) and the logo PNG, if any."""
    name = str(store.directory.settings().get("poster_library_name") or "").strip() or default_name
    return name, store.branding.logo()
