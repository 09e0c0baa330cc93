"""CLI commands of the kiosk area, registered by ``feedback.cli``: ``kiosk add|list|revoke|restore|discard-queue``."""

from __future__ import annotations

import click

from ..links import public_url
from ..services.kiosks import (
    KioskError,
    discard_kiosk_queue,
    register_kiosk,
    reregister_kiosk,
    revoke_kiosk,
)
from ..store import NotFoundError, current_store

__all__ = ["COMMANDS"]


@click.group("kiosk")
def kiosk_group() -> None:
    """Register, list and revoke kiosks (touch-screen survey terminals)."""


@kiosk_group.command("add")
@click.argument("branch")
@click.argument("desk")
@click.option("--label", default="", help="A name to tell kiosks apart, e.g. 'by the entrance'.")
@click.option("--base-url", help="The public address of the app (default: PUBLIC_URL).")
def add_command(branch: str, desk: str, label: str, base_url: str | None) -> None:
    """Register a kiosk for a desk and print the link to open on it."""
    try:
        kiosk = register_kiosk(current_store(), branch, desk, label)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(public_url("kiosk.kiosk", token=kiosk.token, base=base_url))


@kiosk_group.command("list")
def list_command() -> None:
    """List kiosks: branch, desk, label and whether they are active (tokens are not shown)."""
    for kiosk in current_store().directory.kiosks():
        state = "active" if kiosk.active else "revoked"
        click.echo(f"{kiosk.branch:12} {kiosk.desk:12} {state:8} {kiosk.label} ({kiosk.token[:6]}…)")


@kiosk_group.command("revoke")
@click.argument("token")
def revoke_command(token: str) -> None:
    """Stop a kiosk at once: its link answers 404 from now on."""
    try:
        revoke_kiosk(current_store(), token)
    except NotFoundError:
        raise click.ClickException("no kiosk with that token") from None
    click.echo("Kiosk revoked.")


@kiosk_group.command("restore")
@click.argument("token")
def restore_command(token: str) -> None:
    """Register a revoked kiosk again: its link works, and the answers it kept are sent."""
    try:
        reregister_kiosk(current_store(), token)
    except NotFoundError:
        raise click.ClickException("no kiosk with that token") from None
    click.echo("Kiosk registered again.")


@kiosk_group.command("discard-queue")
@click.argument("token")
def discard_queue_command(token: str) -> None:
    """Revoke a kiosk and have it discard the answers it still holds (they are never sent)."""
    try:
        discard_kiosk_queue(current_store(), token)
    except NotFoundError:
        raise click.ClickException("no kiosk with that token") from None
    click.echo("Kiosk revoked; it will discard its waiting answers the next time it reaches the server.")


COMMANDS: list = [kiosk_group]
