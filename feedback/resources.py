"""Where the app's own files are: Jinja templates and report assets, in a checkout and in an installed wheel.

In a source checkout (and an editable install) they are the project's
top-level ``templates/`` and ``reports/``, where they are edited. The wheel
maps them into the package as ``feedback/templates`` and
``feedback/report_assets`` (see ``setup.py``), since nothing outside the
package is installed. :func:`resource_path` is the one place that knows both.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "PROJECT_ROOT", "resource_path"]

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
# Name in the checkout -> name inside the installed package.
_IN_PACKAGE = {"templates": "templates", "reports": "report_assets"}


def resource_path(name: str) -> Path:
    """The folder ``templates`` or ``reports``: the installed package's copy if there is one, else the checkout's."""
    packaged = PACKAGE_DIR / _IN_PACKAGE[name]
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


def is_source_checkout() -> bool:
    """True when running from the project's own folder (``make run``, tests), False from an installed wheel."""
    return (PROJECT_ROOT / "pyproject.toml").is_file() and not (PACKAGE_DIR / "templates").is_dir()
