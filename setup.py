"""Packaging layout that ``pyproject.toml`` cannot say: top-level folders mapped into the package, and compiled catalogues.

The Jinja templates (``templates/``) and the report assets (``reports/``) stay
at the project's root, where everyone edits them, and are mapped into the
wheel as ``feedback/templates`` and ``feedback/report_assets``;
``feedback.resources`` finds them in either place. The translation catalogues
are committed as ``.po`` files only: ``build_py`` compiles them to ``.mo`` in
the build, so a wheel built from a clean checkout speaks every language.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

MAPPED = {"feedback.templates": "templates", "feedback.report_assets": "reports"}


def _mapped_packages() -> list[str]:
    """Each mapped folder and its subfolders, as packages (data-only, no ``__init__.py``)."""
    names = []
    for package, folder in MAPPED.items():
        root = Path(folder)
        names.append(package)
        for sub in sorted(p for p in root.rglob("*") if p.is_dir() and "__pycache__" not in p.parts):
            names.append(package + "." + ".".join(sub.relative_to(root).parts))
    return names


class BuildWithCatalogues(build_py):
    """``build_py`` that also compiles ``feedback/translations/*/LC_MESSAGES/*.po`` into ``.mo`` files."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path("feedback/translations").glob("*/LC_MESSAGES/*.po"):
            target = Path(self.build_lib) / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with target.open("wb") as out:
                write_mo(out, catalog, use_fuzzy=False)


packages = find_packages(include=["feedback", "feedback.*"]) + _mapped_packages()
package_dir = {"": "."}
for package in _mapped_packages():
    top = next(p for p in MAPPED if package == p or package.startswith(p + "."))
    package_dir[package] = str(Path(MAPPED[top], *package[len(top) + 1:].split(".")) if package != top
                               else Path(MAPPED[top]))

setup(
    packages=packages,
    package_dir=package_dir,
    package_data={
        "feedback": ["data/*.json", "static/**/*", "translations/*/LC_MESSAGES/*.po", "translations/*.pot"],
        **{package: ["*"] for package in _mapped_packages()},
    },
    cmdclass={"build_py": BuildWithCatalogues},
)
