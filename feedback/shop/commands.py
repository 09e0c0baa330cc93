"""CLI commands of the shop area, registered by ``feedback.cli``."""

from __future__ import annotations

import click
from flask import current_app

from ..links import public_url
from ..services.accounts import AccountError
from ..services.invitations import INVITATION_VALID_FOR, invite_shopper
from ..store import current_store

__all__ = ["COMMANDS"]


@click.command("invite-shopper")
@click.argument("email")
@click.option("--name", default="", help="The shopper's display name.")
@click.option("--base-url", default=None,
              help="Where guests and staff reach this installation (default: PUBLIC_URL); the link starts with it.")
def invite_shopper_command(email: str, name: str, base_url: str) -> None:
    """Invite a mystery shopper: print a single-use link to set a password."""
    try:
        invitation = invite_shopper(current_store(), email=email, display_name=name,
                                    secret_key=current_app.config["SECRET_KEY"])
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    link = public_url("shop.welcome", token=invitation.token, base=base_url)
    click.echo(f"Invitation for {invitation.user.email} (valid {INVITATION_VALID_FOR.days} days, once):")
    click.echo(link)


COMMANDS: list = [invite_shopper_command]
