"""The installation's logo for posters: one PNG file, ``branding/logo.png`` in the data folder.

Only :mod:`feedback.services.branding` writes it, after re-encoding the
upload; it is written to a temporary file and renamed into place, so a poster
never reads half a logo. It sits in the data folder, so backups keep it.
"""

from __future__ import annotations

import os
import tempfile

__all__ = ["BrandingFiles"]


class BrandingFiles:
    def __init__(self, store):
        self._store = store

    @property
    def _logo_path(self):
        return self._store.data_dir / "branding" / "logo.png"

    def logo(self) -> bytes | None:
        try:
            return self._logo_path.read_bytes()
        except FileNotFoundError:
            return None

    def save_logo(self, png: bytes) -> None:
        folder = self._logo_path.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".logo-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(png)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self._logo_path)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise

    def remove_logo(self) -> None:
        try:
            self._logo_path.unlink()
        except FileNotFoundError:
            pass
