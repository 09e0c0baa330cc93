"""CLI commands of the survey area, registered by ``feedback.cli``: ``poster``."""

from __future__ import annotations

from pathlib import Path

import click

from ..links import public_base
from ..services.posters import PosterError, build_poster
from ..store import current_store

__all__ = ["COMMANDS"]


@click.command("poster")
@click.argument("branch")
@click.argument("desk", required=False)
@click.option("--staff", "staff_code", help="A staff member's public code, for a personal poster.")
@click.option("--base-url", help="The public address printed in the QR code (default: PUBLIC_URL).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The PDF file to write.")
def poster_command(branch: str, desk: str | None, staff_code: str | None, base_url: str | None, out: Path) -> None:
    """Write a printable QR poster for a branch, a desk or a staff member."""
    try:
        pdf = build_poster(current_store(), base_url=base_url or public_base(), branch=branch, desk=desk,
                           staff_code=staff_code)
    except PosterError as exc:
        raise click.ClickException(str(exc)) from None
    out.write_bytes(pdf)
    click.echo(f"Wrote {out}.")


COMMANDS: list = [poster_command]
